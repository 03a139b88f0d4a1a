//! Time is campus time: "today" is the date on campus (America/New_York here), not in
//! UTC; dates typed in forms are campus dates; pages show campus times with the zone.
//! The clock is fixed, and moved, by the tests.

use chrono::Duration;

use crate::fixtures::{employer, posting, student, Posting};
use crate::helpers::{count, TestApp};
use crate::idp::spawn_with_idp_at;

async fn n(app: &TestApp, query: &str) -> i64 {
    let query = query.to_owned();
    app.with_db(move |c| count(c, &query)).await
}

async fn page(app: &TestApp, b: &reqwest::Client, path: &str) -> (u16, String) {
    let r = b.get(format!("{}{path}", app.address)).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

/// What the periodic task runs, on the app's clock. (The app's own task may have run it
/// too, on the same clock: tests look at the postings, not at the count.)
async fn close_due(app: &TestApp) -> usize {
    let clock = app.clock.clone();
    app.with_db(move |c| waypoint::tasks::close_due_postings(c, &clock).unwrap()).await
}

async fn status_of(app: &TestApp, id: &str) -> String {
    let id = id.to_owned();
    app.with_db(move |c| {
        use diesel::prelude::*;
        use waypoint::db::schema::opportunities;
        opportunities::table.find(&id).select(opportunities::status).first::<String>(c).unwrap()
    })
    .await
}

/// At 7:30 pm in New York on the apply-by date it is already the next day in UTC; the
/// posting takes applications until midnight on campus, and closes after it.
#[tokio::test]
async fn an_apply_by_date_lasts_until_midnight_on_campus() {
    let (app, idp) = spawn_with_idp_at("2027-02-16", "19:30").await;
    assert_eq!(app.clock.now_utc().to_string(), "2027-02-17 00:30:00", "UTC is a day ahead");
    let e = employer(&app, "Brightpath Analytics", "Software", Some("brightpath.com"), "active").await;
    let opened = "2027-02-01 15:00:00";
    let due_today = posting(
        &app,
        &e,
        Posting { title: "Due today on campus", apply_by: "2027-02-16", opened_at: opened, ..Default::default() },
    )
    .await;
    let due_yesterday = posting(
        &app,
        &e,
        Posting { title: "Due yesterday", apply_by: "2027-02-15", opened_at: opened, ..Default::default() },
    )
    .await;
    student(&app, "N1", "ava.okafor@northfield.edu", "School of Business", "Finance", 2027).await;
    student(&app, "N2", "ben.lee@northfield.edu", "School of Business", "Finance", 2027).await;
    let ava = app.signed_in(&idp, "student").await;

    // The catalogue still lists it, with its date as people read it.
    let (status, html) = page(&app, &ava, "/opportunities").await;
    assert_eq!(status, 200);
    assert!(html.contains("Due today on campus"), "{html}");
    assert!(html.contains(r#"apply by <time datetime="2027-02-16">Feb 16, 2027</time>"#), "{html}");
    assert!(!html.contains("Due yesterday"), "yesterday's posting is past its date");
    let (_, home) = page(&app, &crate::helpers::browser(), "/").await; // the public home's figures
    assert!(home.contains("data-figure=\"open_opportunities\">1<"), "{home}");

    // The periodic close leaves it open (and closes yesterday's).
    close_due(&app).await;
    assert_eq!(status_of(&app, &due_today).await, "open");
    assert_eq!(status_of(&app, &due_yesterday).await, "closed");

    // Ava can still apply.
    let listing = format!("/opportunities/{due_today}");
    let r = app
        .post_form(&ava, &listing, &format!("{listing}/apply"), &[("statement", "I have done three price studies.")])
        .await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap_or_default());
    assert_eq!(
        n(&app, &format!("SELECT COUNT(*) AS n FROM applications WHERE opportunity_id = '{due_today}'")).await,
        1
    );

    // Past midnight on campus (00:30 EST on Feb 17): applications are refused, and the
    // periodic close closes the posting.
    app.clock.advance(Duration::hours(5));
    let ben = app.signed_in(&idp, "student-array").await;
    let form = page(&app, &ben, &listing).await;
    assert_eq!(form.0, 404, "no longer in the catalogue");
    let r = app.post_form(&ben, "/account", &format!("{listing}/apply"), &[("statement", "Late, sorry.")]).await;
    assert_eq!(r.status(), 409, "applications are closed");
    close_due(&app).await;
    assert_eq!(status_of(&app, &due_today).await, "closed");
    assert_eq!(close_due(&app).await, 0, "idempotent");
    let (_, home) = page(&app, &crate::helpers::browser(), "/").await; // the public home's figures
    assert!(home.contains("data-figure=\"open_opportunities\">0<"), "{home}");
}

/// "Must be in the future" is judged on the campus date: at 7:30 pm on Feb 16 in New York
/// (Feb 17 in UTC), Feb 17 is tomorrow and Feb 16 is today. The review queue shows when
/// it was submitted on the campus clock, with the zone named.
#[tokio::test]
async fn dates_typed_in_forms_are_campus_dates_and_times_are_shown_with_the_zone() {
    let (app, idp) = spawn_with_idp_at("2027-02-16", "19:30").await;
    let e = employer(&app, "Brightpath Analytics", "Software", Some("brightpath.com"), "active").await;
    let counselor = app.signed_in(&idp, "counselor").await;
    let new = format!("/employers/{e}/postings/new");
    let action = format!("/employers/{e}/postings");
    let fields = |apply_by: &'static str| {
        vec![
            ("title", "Competitor pricing scan"),
            ("description", "Collect the list prices of ten competitors into a spreadsheet, with sources."),
            ("category", "research"),
            ("skills", "excel"),
            ("hours", "10"),
            ("fee", "400"),
            ("currency", "USD"),
            ("mode", "remote"),
            ("apply_by", apply_by),
            ("due_by", "2027-03-20"),
            ("openings", "1"),
            ("intent", "submit"),
        ]
    };
    let r = app.post_form(&counselor, &new, &action, &fields("2027-02-16")).await;
    assert_eq!(r.status(), 422, "today on campus is not the future");
    let html = r.text().await.unwrap();
    assert!(html.contains("href=\"#field-apply_by\"") && html.contains("must be in the future"), "{html}");
    let r = app.post_form(&counselor, &new, &action, &fields("2027-02-17")).await;
    assert_eq!(r.status(), 303, "tomorrow on campus is: {}", r.text().await.unwrap_or_default());
    let id = r.headers()["location"].to_str().unwrap().trim_start_matches("/postings/").to_owned();

    let (_, posting) = page(&app, &counselor, &format!("/postings/{id}")).await;
    assert!(posting.contains(r#"apply by <time datetime="2027-02-17">Feb 17, 2027</time>"#), "{posting}");
    let (_, queue) = page(&app, &counselor, "/review").await;
    assert!(
        queue.contains(r#"<time datetime="2027-02-17T00:30:00Z">Feb 16, 2027, 7:30 PM EST</time>"#),
        "submitted at 7:30 PM on campus: {queue}"
    );
    assert!(!queue.contains("(UTC)"), "no UTC left on the page");
}
