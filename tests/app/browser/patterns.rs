//! The portal's shared patterns in a real browser, before any area page adopts them: a
//! form with every kind of field refused with problems, the confirmation page of a
//! destructive action, a page showing a message after an action, and a list's pager —
//! each rendered by the real templates and stylesheet, served by a throwaway HTTP server
//! here — pass axe-core and fit a phone; the page lands on the error summary with a
//! visible focus ring; a danger button does not look like the primary one.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;

use actix_web::body::to_bytes;
use actix_web::test::TestRequest;
use actix_web::web;
use serde_json::json;
use waypoint::core::{Clock, Role};
use waypoint::web::confirm::Confirmation;
use waypoint::web::flash;
use waypoint::web::pages::{context, Pager, SignedIn};
use waypoint::web::templates::Assets;
use waypoint::web::Templates;

use super::harness::{Chromium, Width};
use crate::patterns::{refused_form, sample_form};

struct Counselor;

impl SignedIn for Counselor {
    fn display_name(&self) -> &str {
        "Cory Banks"
    }
    fn roles(&self) -> &[Role] {
        &[Role::Counselor]
    }
    fn has_student_record(&self) -> bool {
        false
    }
    fn unread(&self) -> i64 {
        2
    }
    fn csrf(&self) -> &str {
        "the-session-token"
    }
}

/// A page of the layout with `content` (a template) in it.
fn in_layout(t: &Templates, title: &str, content: &str, data: serde_json::Value) -> String {
    let template =
        format!("{{{{#> layouts/base}}}}{{{{#*inline \"content\"}}}}{content}{{{{/inline}}}}{{{{/layouts/base}}}}");
    t.render_str(&template, &context(title, Some(&Counselor), data)).unwrap()
}

#[derive(serde::Serialize)]
struct CancelForm {
    reason: String,
    step: String,
    confirm: Option<String>,
}

async fn pages() -> HashMap<String, (&'static str, Vec<u8>)> {
    let t = Templates::load(&Clock::system(chrono_tz::America::New_York)).unwrap();
    let mut pages = HashMap::new();
    let form = "<h1>Post a micro-internship</h1>{{> partials/error_summary form}}
        <form method=\"post\" action=\"/form\" class=\"form\" novalidate>
        {{#each form.list}}{{> partials/field this}}{{/each}}
        <button type=\"submit\">Submit for review</button></form>";
    let refused = in_layout(&t, "Post a micro-internship", form, json!({ "form": refused_form() }));
    pages.insert("/form".to_owned(), ("text/html", refused.into_bytes()));
    let fresh = in_layout(&t, "Post a micro-internship", form, json!({ "form": sample_form() }));
    pages.insert("/form-new".to_owned(), ("text/html", fresh.into_bytes()));

    // The confirmation page, as the handler's one statement answers it.
    let req = TestRequest::post().uri("/engagements/e1/move").app_data(web::Data::new(t.clone())).to_http_request();
    let submitted =
        CancelForm { reason: "The employer reorganised the team.".into(), step: "cancel".into(), confirm: None };
    let ask = Confirmation::new("Cancel the project “Churn study”?")
        .explain("Dana Kim and Ledgerwise are told. A cancelled project cannot be restarted.")
        .fact("Project", "Churn study for Ledgerwise")
        .fact("Student", "Dana Kim")
        .fact("Reason", "The employer reorganised the team.")
        .button("Cancel the project")
        .cancel_to("/form")
        .cancel_label("Keep the project")
        .unless_confirmed(&req, &submitted, &Counselor)
        .unwrap()
        .expect("asks");
    pages.insert("/confirm".to_owned(), ("text/html", to_bytes(ask.into_body()).await.unwrap().to_vec()));

    // A message after an action, put in the layout's slot as the middleware does.
    let list = "<h1>Employers</h1><p>{{plural total \"employer\"}}, fees from {{money low \"USD\"}} to {{money high \"JPY\"}}.</p>{{> partials/pager}}";
    let data = json!({ "total": 290, "low": 57_500, "high": 12_000_000, "pager": Pager::new(2, 290, 25, "/employers?status=active&") });
    let shown = in_layout(&t, "Employers", list, data).replacen(
        flash::SLOT,
        &flash::shown("Posting returned to Ledgerwise with your reason"),
        1,
    );
    pages.insert("/flash".to_owned(), ("text/html", shown.into_bytes()));

    let css = Assets::get("site.css").unwrap().data.into_owned();
    pages.insert("/assets/site.css".to_owned(), ("text/css", css));
    pages
}

/// Serves `pages` on a free port (one thread, closes each connection after its answer).
fn serve(pages: HashMap<String, (&'static str, Vec<u8>)>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            if reader.read_line(&mut line).is_err() {
                continue;
            }
            let mut header = String::new();
            while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
                header.clear();
            }
            let path = line.split_whitespace().nth(1).unwrap_or("/").split(['?', '#']).next().unwrap().to_owned();
            let (status, kind, body) = match pages.get(&path) {
                Some((kind, body)) => ("200 OK", *kind, body.clone()),
                None => ("404 Not Found", "text/plain", b"no such page".to_vec()),
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Type: {kind}; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(&body);
        }
    });
    address
}

#[tokio::test]
async fn forms_confirmations_messages_and_pagers_pass_axe_fit_a_phone_and_land_on_the_summary() {
    let site = serve(pages().await);
    let b = Chromium::start(&site).await;
    let mut problems = Vec::new();
    for (path, name) in [
        ("/form", "pattern-form-refused"),
        ("/form-new", "pattern-form-new"),
        ("/confirm", "pattern-confirm"),
        ("/flash", "pattern-flash-pager"),
    ] {
        problems.extend(b.visit_with(path, name, true).await);
    }
    assert!(problems.is_empty(), "{} problem(s):\n{}", problems.len(), problems.join("\n"));

    // A refused form: the page lands on the summary (no script: autofocus), which shows
    // its focus, and the summary's links lead to the fields.
    for width in [Width::Desktop, Width::Phone] {
        b.set_width(width).await;
        b.goto("/form").await;
        b.wait_for_text("Please correct the following").await;
        assert!(b.focus_is("#error-summary").await, "the page lands on the summary at {width:?}");
        assert_eq!(b.focus_problem().await, None, "with a visible focus ring");
    }
    b.set_width(Width::Desktop).await;
    let targets = b.hrefs(".error-summary a").await;
    assert_eq!(targets, ["#field-contact", "#field-hours", "#field-due_by", "#field-mode"]);
    b.click(".error-summary a[href='#field-hours']").await;
    assert!(b.url().await.ends_with("/form#field-hours"));
    assert!(b.focus_is("#field-hours").await, "the link moves the focus to the field");
    assert_eq!(b.focus_problem().await, None);
    let in_view = b
        .js("const top = document.querySelector('label[for=field-hours]').getBoundingClientRect().top; \
             const bottom = document.getElementById('field-hours').getBoundingClientRect().bottom; \
             return [top >= 0, bottom <= window.innerHeight];")
        .await;
    assert_eq!(in_view, json!([true, true]), "the field comes into view with its label and error above it");
    // What was typed is in the fields, exactly.
    let typed = b.js("return [document.getElementById('field-title').value, document.getElementById('field-description').value, document.getElementById('field-hours').value]").await;
    assert_eq!(
        typed,
        json!(["Churn \"study\" <b>&</b>", "\nFirst line kept after a blank one.\n  Indented second line.", "twelve"])
    );
    let described = b.js("return document.getElementById('field-hours').getAttribute('aria-describedby').split(' ').map(id => document.getElementById(id).textContent)").await;
    assert_eq!(
        described,
        json!(["From 5 to 40", "Error: Hours of work: must be a whole number from 5 to 40"]),
        "the field is described by its hint and its error"
    );

    // The danger button does not look like the primary one.
    let colour = |css: &'static str| {
        let b = &b;
        async move { b.js(&format!("return getComputedStyle(document.querySelector({css:?})).backgroundColor")).await }
    };
    b.goto("/form").await;
    let primary = colour("form.form button[type=submit]").await;
    b.goto("/confirm").await;
    let danger = colour("button.button-danger").await;
    assert_eq!(primary, "rgb(11, 79, 138)");
    assert_eq!(danger, "rgb(179, 38, 30)", "red, not the primary blue");
    let cancel = b.hrefs(".confirm-actions a").await;
    assert_eq!(cancel, ["/form"], "Cancel goes back");
    let sent =
        b.js("return [...new FormData(document.querySelector('.confirm-actions'))].map(([k, v]) => k + '=' + v)").await;
    assert_eq!(
        sent,
        json!([
            "csrf_token=the-session-token",
            "reason=The employer reorganised the team.",
            "step=cancel",
            "confirm=yes"
        ]),
        "the same fields again, and the answer"
    );

    // The message after an action is a polite status; the pager says where it is.
    b.goto("/flash").await;
    let status =
        b.js("const s = document.querySelector('main > .flash'); return [s.getAttribute('role'), s.textContent]").await;
    assert_eq!(status, json!(["status", "Posting returned to Ledgerwise with your reason"]));
    let pager = b.js("return document.querySelector('.pager').textContent.replace(/\\s+/g, ' ').trim()").await;
    assert_eq!(pager, "First page Previous page Page 2 of 12 Next page Last page");
    assert!(b.source().await.contains("290 employers, fees from $575.00 to ¥120,000."));
}
