//! The faculty member's endorsement journey in a real browser, in demo mode: from the
//! open requests to a request, writing the endorsement it asks for (refused once, with
//! the live character count that the page's own script file keeps), then revoking it
//! after the confirmation; and finding a student. Every page passes axe-core at desktop
//! and phone width.

use super::harness::Chromium;
use crate::helpers::{spawn_app_with, TestApp, TestDb};

async fn first(app: &TestApp, sql: &'static str) -> (String, String) {
    #[derive(diesel::QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Text)]
        a: String,
        #[diesel(sql_type = diesel::sql_types::Text)]
        b: String,
    }
    app.with_db(move |c| {
        use diesel::RunQueryDsl;
        let rows: Vec<Row> = diesel::sql_query(sql).load(c).unwrap();
        let r = rows.into_iter().next().expect("a row");
        (r.a, r.b)
    })
    .await
}

#[tokio::test]
async fn a_faculty_member_answers_a_request_then_revokes_the_endorsement() {
    let app = spawn_app_with(TestDb::new(), &[("WAYPOINT_DEMO", "true")]).await;
    let (user, request) = first(
        &app,
        "SELECT f.user_id AS a, r.id AS b FROM endorsement_requests r JOIN faculty f ON f.id = r.faculty_id \
         WHERE r.status = 'pending' ORDER BY r.created_at, r.id LIMIT 1",
    )
    .await;
    let b = Chromium::start(&app.address).await;
    b.goto("/auth/login?return_to=/endorsements").await;
    b.wait_for_text("Career counselors").await;
    b.click(&format!("form:has(input[name='person'][value='user:{user}']) button")).await;
    b.wait_for_text("Requests waiting for you").await;
    b.visit_checked("/endorsements", "faculty-endorsements").await;
    b.visit_checked(&format!("/endorsements/requests/{request}"), "faculty-request").await;
    b.click(&format!("a[href='/endorsements/new?request={request}']")).await;
    b.wait_for_text("Save the endorsement").await;
    let mut problems = b.check_both_here("endorsement-form").await;

    // The live count runs (a same-origin script file; no inline script is allowed).
    b.type_into("#field-statement", "Dana's analysis was careful and clear.").await;
    let counted = b.wait_for_text("38 of 2000 characters").await;
    assert!(counted.contains("id=\"field-statement-count\""));
    // Refused: no relationship chosen; the statement is kept.
    b.click("form.endorsement-form button[type=submit]").await;
    let refused = b.wait_for_text("Please correct the following").await;
    assert!(refused.contains("How you know the student: choose how you know the student"));
    assert!(refused.contains("careful and clear.</textarea>"));
    problems.extend(b.check_both_here("endorsement-form-refused").await);
    b.type_into("#field-skills", "Data analysis").await;
    b.click("#field-relationship-2").await; // Research
    b.click("form.endorsement-form button[type=submit]").await;
    let saved = b.wait_for_text("Revoke the endorsement").await;
    assert!(saved.contains("class=\"flash\"") && saved.contains(" saved</p>"), "the flash names the student");
    problems.extend(b.check_both_here("endorsement").await);

    // Revoking asks first (danger button), then the endorsement is revoked.
    b.click("form[action$='/revoke'] button.button-danger").await;
    b.wait_for_text("Keep the endorsement").await;
    problems.extend(b.check_both_here("endorsement-revoke-confirm").await);
    b.click("main form button.button-danger").await;
    let revoked = b.wait_for_text("employers no longer see it</p>").await;
    assert!(revoked.contains("status-revoked"));
    problems.extend(b.check_both_here("endorsement-revoked").await);

    problems.extend(b.visit("/endorsements/new?q=a", "endorsement-find").await);
    b.click("form[action='/auth/logout'] button").await;
    b.wait_for_text(">Sign in<").await;

    // A student (the first the demo provider lists): their endorsements and requests,
    // and asking for one.
    b.goto("/auth/login?return_to=/endorsements").await;
    b.wait_for_text("Career counselors").await;
    b.click("form:has(input[name='person'][value^='student:']) button").await;
    b.wait_for_text("Your endorsements").await;
    problems.extend(b.visit("/endorsements", "student-endorsements").await);
    problems.extend(b.visit("/endorsements/requests/new", "endorsement-request-form").await);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
