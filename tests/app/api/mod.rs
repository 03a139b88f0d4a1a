//! The JSON API: tokens (401, 403, 429, audit), problem details, the OpenAPI document and
//! its reference page, each endpoint, cursor pages under concurrent inserts, and a
//! property-based run of schemathesis against the document.

mod endpoints;
mod paging;
mod problems;
mod schemathesis;
mod tokens;

use reqwest::header::{HeaderMap, AUTHORIZATION};
use serde_json::Value;

use crate::helpers::TestApp;

pub const ALL_SCOPES: [&str; 6] =
    ["roster:write", "catalogue:read", "outcomes:read", "outcomes:write", "reports:read", "fairs:read"];

/// A token with `scopes` made as the command line makes it (its secret), expiring in `days`.
pub async fn token(app: &TestApp, scopes: &[&str], days: &str) -> String {
    let (scopes, days) = (scopes.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>(), days.to_owned());
    let clock = app.clock.clone();
    app.with_db(move |c| {
        let new = waypoint::api::rules::check_new_token("Test system", &scopes, &days).expect("a good token");
        let made = waypoint::api::tokens::create(c, &new, &waypoint::core::Actor::Cli, clock.now_utc()).expect("made");
        made.secret.expose().to_owned()
    })
    .await
}

/// An answer: status, headers, body as JSON (Null when it is not JSON) and as text.
pub struct Answer {
    pub status: u16,
    pub headers: HeaderMap,
    pub json: Value,
    pub text: String,
}

impl Answer {
    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
    }

    /// A problem detail of `status`: its media type and members.
    pub fn assert_problem(&self, status: u16) {
        assert_eq!(self.status, status, "{}", self.text);
        assert_eq!(self.header("content-type"), "application/problem+json", "{}", self.text);
        assert_eq!(self.json["status"], status, "{}", self.text);
        for member in ["type", "title", "detail"] {
            assert!(self.json[member].as_str().is_some_and(|s| !s.is_empty()), "{member} in {}", self.text);
        }
    }

    /// The `(index, field)` of each invalid field.
    pub fn invalid(&self) -> Vec<(Option<u64>, String)> {
        self.json["errors"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|e| (e["index"].as_u64(), e["field"].as_str().unwrap_or("").to_owned()))
            .collect()
    }
}

pub async fn answer(r: reqwest::Response) -> Answer {
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    let text = r.text().await.unwrap();
    let json = serde_json::from_str(&text).unwrap_or(Value::Null);
    Answer { status, headers, json, text }
}

/// `GET path` with the token (none: no Authorization header).
pub async fn get(app: &TestApp, token: Option<&str>, path: &str) -> Answer {
    let mut r = reqwest::Client::new().get(format!("{}{path}", app.address));
    if let Some(t) = token {
        r = r.header(AUTHORIZATION, format!("Bearer {t}"));
    }
    answer(r.send().await.unwrap()).await
}

/// `POST path` with the token and a JSON body.
pub async fn post(app: &TestApp, token: &str, path: &str, body: &Value) -> Answer {
    let r = reqwest::Client::new()
        .post(format!("{}{path}", app.address))
        .header(AUTHORIZATION, format!("Bearer {token}"))
        .json(body)
        .send()
        .await
        .unwrap();
    answer(r).await
}

pub async fn n(app: &TestApp, query: &str) -> i64 {
    let query = query.to_owned();
    app.with_db(move |c| crate::helpers::count(c, &query)).await
}
