//! Outcomes in a real browser, in demo mode: a counselor opens the cohorts, sends a
//! graduated class the first-destination survey (asked first), a graduate answers it
//! (refused once, then answered), and the counselor sees the answer waiting for
//! confirmation and the outcome form. Every page passes axe-core at desktop and phone width.

use diesel::RunQueryDsl;

use super::harness::{Chromium, Width};
use crate::helpers::{spawn_app_with, TestApp, TestDb};

async fn one(app: &TestApp, sql: String) -> String {
    #[derive(diesel::QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Text)]
        v: String,
    }
    app.with_db(move |c| {
        let rows: Vec<Row> = diesel::sql_query(&sql).load(c).unwrap_or_else(|e| panic!("{sql}: {e}"));
        rows.into_iter().next().unwrap_or_else(|| panic!("no row: {sql}")).v
    })
    .await
}

async fn as_counselor(b: &Chromium, return_to: &str) {
    b.goto(&format!("/auth/login?return_to={return_to}")).await;
    b.wait_for_text("Career counselors").await;
    b.click("main section:nth-of-type(2) button").await;
    b.wait_for_text("Sign out").await;
}

async fn sign_out(b: &Chromium) {
    b.set_width(Width::Desktop).await;
    b.click("form[action='/auth/logout'] button").await;
    b.wait_for_text(">Sign in<").await;
}

#[tokio::test]
async fn the_survey_the_cohort_page_and_the_outcome_form_pass_axe() {
    let app = spawn_app_with(TestDb::new(), &[("WAYPOINT_DEMO", "true")]).await;
    // A graduate with no outcome yet, and their class (July starts the next one).
    let month = app.clock.today().format("%Y-%m").to_string();
    let student = one(
        &app,
        format!(
            "SELECT id AS v FROM students WHERE graduation_term <= '{month}' \
             AND id NOT IN (SELECT student_id FROM outcomes) ORDER BY graduation_term DESC, id LIMIT 1"
        ),
    )
    .await;
    let term = one(&app, format!("SELECT graduation_term AS v FROM students WHERE id = '{student}'")).await;
    let (year, m): (i32, u32) = (term[..4].parse().unwrap(), term[5..].parse().unwrap());
    let class = if m >= 7 { year + 1 } else { year };

    let b = Chromium::start(&app.address).await;
    let mut problems = Vec::new();
    as_counselor(&b, "/outcomes/cohorts").await;
    problems.extend(b.visit("/outcomes/cohorts", "outcome-cohorts").await);
    let cohort = format!("/outcomes/cohorts/{class}");
    problems.extend(b.visit(&cohort, "outcome-cohort").await);
    b.goto(&cohort).await;
    b.click(&format!("form[action='{cohort}/survey'] button")).await;
    b.wait_for_text("Send the survey to").await;
    problems.extend(b.check_both_here("outcome-survey-confirm").await);
    b.click("main form button[type=submit]").await;
    let sent = b.wait_for_text("Survey sent to").await;
    assert!(sent.contains("class=\"flash\""), "the flash counts the graduates");
    problems.extend(b.check_both_here("outcome-cohort-sent").await);
    problems.extend(b.visit("/outcomes/import", "outcome-import").await);
    sign_out(&b).await;

    // The graduate's own link (the mail's token is not kept: the test adds a link of its
    // own to the invitation, as a reminder would).
    let token = waypoint::auth::tokens::random_token();
    let digest = waypoint::auth::tokens::digest(&token);
    let s = student.clone();
    app.with_db(move |c| {
        diesel::sql_query(format!(
            "INSERT INTO survey_links (id, token_digest, invitation_id, created_at, updated_at) \
             SELECT 'test-link', '{digest}', id, created_at, created_at FROM survey_invitations WHERE student_id = '{s}'"
        ))
        .execute(c)
        .unwrap()
    })
    .await;
    let link = format!("/survey/{token}");
    b.goto(&format!("/auth/login?return_to={link}")).await;
    b.wait_for_text("Career counselors").await;
    // The provider lists the newest classes' students only: its first student's button
    // is made this graduate's (the provider signs in whoever the form names).
    b.js(&format!(
        "document.querySelector(\"input[name='person'][value^='student:']\").value = 'student:{student}'; return null;"
    ))
    .await;
    b.click(&format!("form:has(input[name='person'][value='student:{student}']) button")).await;
    b.wait_for_text("Where are you now?").await;
    problems.extend(b.check_both_here("outcome-survey").await);
    b.type_into("#field-annual_salary", "lots").await;
    b.click("main form.form button[type=submit]").await;
    let refused = b.wait_for_text("Please correct the following").await;
    assert!(refused.contains("value=\"lots\""), "the typed salary is kept");
    problems.extend(b.check_both_here("outcome-survey-refused").await);
    b.js("document.querySelector('#field-category').value = 'employed_full_time'; return null;").await;
    b.js("document.querySelector('#field-annual_salary').value = '58000'; return null;").await;
    b.click("main form.form button[type=submit]").await;
    b.wait_for_text("This survey has been answered").await;
    problems.extend(b.check_both_here("outcome-survey-answered").await);
    sign_out(&b).await;

    // The counselor: the answer waits on the student's outcomes; the outcome form.
    let outcomes = format!("/students/{student}/outcomes");
    as_counselor(&b, &outcomes).await;
    b.goto(&outcomes).await;
    let page = b.wait_for_text("Awaiting confirmation").await;
    assert!(page.contains("/confirm"), "a Confirm button");
    problems.extend(b.check_both_here("outcome-awaiting").await);
    problems.extend(b.visit(&format!("/students/{student}/outcomes/new"), "outcome-form").await);
    problems.extend(b.visit_with(&cohort, "outcome-cohort-answered", true).await);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
