//! auth's pages, by what they serve: campus sign-in and sign-out (`campus`), recruiters'
//! sign-in and invitations (`recruiters`), the account page (`account`), and the
//! admin's roles and audit pages (`admin`). Handlers stay thin: the decisions are in
//! `login.rs`, the queries in the stores beside, the pages' data in `views.rs`.

mod account;
mod accounts;
mod admin;
mod campus;
mod recruiters;

use actix_web::cookie::Cookie;
use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::sessions::CookieKind;
use super::AuthContext;
use crate::core::Secret;

pub fn configure(cfg: &mut web::ServiceConfig) {
    campus::configure(cfg);
    recruiters::configure(cfg);
    account::configure(cfg);
    accounts::configure(cfg);
    admin::configure(cfg);
}

/// The client's address (behind trusted proxies, the one they report): the key of the
/// per-address sign-in limit and the address in the audit log.
fn client_ip(req: &HttpRequest) -> String {
    crate::web::client::client_ip(req).unwrap_or_else(|| "unknown".into())
}

fn user_agent(req: &HttpRequest) -> Option<String> {
    req.headers().get(header::USER_AGENT).and_then(|v| v.to_str().ok()).map(str::to_owned)
}

fn with_cookie(mut res: HttpResponse, cookie: Option<Cookie<'static>>) -> HttpResponse {
    if let Some(c) = cookie {
        let _ = res.add_cookie(&c);
    }
    res
}

/// `res` with the cookie of the session just started.
fn with_session(mut res: HttpResponse, auth: &AuthContext, secret: &Secret) -> HttpResponse {
    let _ = res.add_cookie(&auth.cookies.make(CookieKind::Session, secret.expose().to_owned()));
    res
}

/// Where to go after signing in (checked by `login::safe_return_to` before use).
#[derive(Deserialize)]
struct ReturnTo {
    return_to: Option<String>,
}

/// The two fields where a recruiter chooses a password (invitation, reset, change): the
/// hint states the policy that `recruiters::check_password` enforces.
fn new_password_fields(label: &str) -> [crate::web::forms::Field; 2] {
    use crate::web::forms::Field;
    [
        Field::password("password", label).required().autocomplete("new-password").hint(&format!(
            "At least {} characters; a passphrase of several words is easiest",
            super::recruiters::MIN_PASSWORD
        )),
        Field::password("password_confirm", &format!("{label} again")).required().autocomplete("new-password"),
    ]
}
