//! The fair journeys in a real browser, in demo mode, each page checked by axe-core at
//! phone and desktop width: a recruiter opens the upcoming fair and its session form,
//! sends it empty (refused, every problem listed), then adds a session in a free half
//! hour; a student opens the fair, registers for a session and lands on its page.

use chrono::{Duration, NaiveDateTime};
use diesel::RunQueryDsl;

use crate::browser::harness::Chromium;
use crate::helpers::{spawn_app_with, TestApp, TestDb};

async fn strings(app: &TestApp, sql: String) -> Vec<String> {
    #[derive(diesel::QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Text)]
        v: String,
    }
    app.with_db(move |c| {
        let rows: Vec<Row> = diesel::sql_query(&sql).load(c).unwrap_or_else(|e| panic!("{sql}: {e}"));
        rows.into_iter().map(|r| r.v).collect()
    })
    .await
}

async fn spans(app: &TestApp, sql: String) -> Vec<(NaiveDateTime, NaiveDateTime)> {
    #[derive(diesel::QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Timestamp)]
        s: NaiveDateTime,
        #[diesel(sql_type = diesel::sql_types::Timestamp)]
        e: NaiveDateTime,
    }
    app.with_db(move |c| diesel::sql_query(&sql).load::<Row>(c).unwrap().into_iter().map(|r| (r.s, r.e)).collect())
        .await
}

#[tokio::test]
async fn a_recruiter_adds_a_session_and_a_student_registers_in_the_browser() {
    let app = spawn_app_with(TestDb::new(), &[("WAYPOINT_DEMO", "true")]).await;
    let fair = strings(&app, "SELECT id AS v FROM fairs WHERE status = 'published' ORDER BY starts_at".into()).await;
    let fair = fair.first().expect("the demo has an upcoming fair").clone();
    let host = strings(
        &app,
        format!(
            "SELECT u.email AS v FROM fair_sessions s JOIN recruiters r ON r.id = s.host_id JOIN users u ON u.id = r.user_id \
             WHERE s.fair_id = '{fair}' ORDER BY u.email"
        ),
    )
    .await;
    let b = Chromium::start(&app.address).await;

    // The recruiter: the fair, the session form, refused empty, then a free half hour.
    b.goto("/login/recruiter").await;
    let password = b.js("return document.querySelector('.notice code').textContent").await;
    b.type_into("#field-email", &host[0]).await;
    b.type_into("#field-password", password.as_str().unwrap()).await;
    b.click("form[action='/login/recruiter'] button[type=submit]").await;
    b.wait_for_text("Sign out").await;
    b.visit_checked(&format!("/fairs/{fair}"), "fair-recruiter").await;
    assert!(b.source().await.contains("Add a group session"), "the host's employer takes part");
    b.visit_checked(&format!("/fairs/{fair}/sessions/new"), "fair-session-form").await;
    b.click("form.form button[type=submit]").await;
    let refused = b.wait_for_text("Please correct the following").await;
    for part in ["Title: is required", "Date: is not a date", "Meeting link: is required"] {
        assert!(refused.contains(part), "{part}");
    }
    let problems = b.check_both_here("fair-session-form-refused").await;
    assert!(problems.is_empty(), "{}", problems.join("\n"));

    let window = spans(&app, format!("SELECT starts_at AS s, ends_at AS e FROM fairs WHERE id = '{fair}'")).await[0];
    let busy = spans(
        &app,
        format!(
            "SELECT s.starts_at AS s, s.ends_at AS e FROM fair_sessions s JOIN recruiters r ON r.id = s.host_id JOIN users u ON u.id = r.user_id \
             WHERE u.email = '{}' AND s.status = 'scheduled'",
            host[0]
        ),
    )
    .await;
    let mut at = window.0;
    while busy.iter().any(|(s, e)| *s < at + Duration::minutes(30) && at < *e) {
        at += Duration::minutes(30);
    }
    assert!(at + Duration::minutes(30) <= window.1, "the host has a free half hour in the fair");
    let campus = app.clock.to_campus(at);
    let end = app.clock.to_campus(at + Duration::minutes(30));
    b.goto(&format!("/fairs/{fair}/sessions/new")).await;
    b.type_into("#field-title", "Ask us anything").await;
    b.js(&format!("document.querySelector('#field-date').value = '{}'; return true", campus.format("%Y-%m-%d"))).await;
    b.type_into("#field-start", &campus.format("%H:%M").to_string()).await;
    b.type_into("#field-end", &end.format("%H:%M").to_string()).await;
    b.js("document.querySelector('#field-capacity').value = ''; return true").await;
    b.type_into("#field-capacity", "2").await;
    b.type_into("#field-meeting_url", "https://meet.example.com/ask").await;
    b.click("form.form button[type=submit]").await;
    let added = b.wait_for_text("Session “Ask us anything” added").await;
    assert!(added.contains("Roster and attendance"));
    let problems = b.check_both_here("fair-session-added").await;
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let session = b.path().await;
    b.click("form[action='/auth/logout'] button").await;
    b.wait_for_text(">Sign in<").await;

    // A student with no registration yet: the fair, then registering for the new session.
    let student = strings(
        &app,
        "SELECT s.id AS v FROM (SELECT id, name, class_year FROM students ORDER BY class_year DESC, name LIMIT 40) s \
         WHERE s.id NOT IN (SELECT student_id FROM registrations) ORDER BY s.class_year DESC, s.name"
            .into(),
    )
    .await;
    b.goto("/auth/login?return_to=/fairs").await;
    b.wait_for_text("Career counselors").await;
    b.click(&format!("form:has(input[name='person'][value='student:{}']) button", student[0])).await;
    b.wait_for_text("Sign out").await;
    b.visit_checked(&format!("/fairs/{fair}"), "fair-student").await;
    b.visit_checked(&session, "fair-session-student").await;
    b.click(&format!("form[action='{session}/register'] button")).await;
    let registered = b.wait_for_text("You are registered for “Ask us anything”").await;
    assert!(registered.contains("Cancel my registration"));
    let problems = b.check_both_here("fair-session-registered").await;
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    b.visit_checked(&format!("/fairs/{fair}"), "fair-student-schedule").await;
    assert!(b.source().await.contains("Ask us anything"), "the student's schedule lists it");
}
