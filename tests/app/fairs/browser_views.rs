//! The fairs' views in a real browser, in demo mode, each page checked by axe-core at
//! phone and desktop width: a student's fair page with its filters (one not understood,
//! named on its field), a host's roster and one-on-one series (and the question before
//! shortening it), and the office's overview of a fair that has taken place.

use crate::browser::harness::Chromium;
use crate::helpers::{spawn_app_with, TestApp, TestDb};

async fn first(app: &TestApp, sql: &str) -> String {
    #[derive(diesel::QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Text)]
        v: String,
    }
    let sql = sql.to_owned();
    app.with_db(move |c| {
        use diesel::RunQueryDsl;
        let rows: Vec<Row> = diesel::sql_query(&sql).load(c).unwrap_or_else(|e| panic!("{sql}: {e}"));
        rows.into_iter().next().unwrap_or_else(|| panic!("no row: {sql}")).v
    })
    .await
}

async fn sign_out(b: &Chromium) {
    b.click("form[action='/auth/logout'] button").await;
    b.wait_for_text(">Sign in<").await;
}

#[tokio::test]
async fn a_student_filters_a_host_reads_the_roster_and_the_office_reads_the_overview_in_the_browser() {
    let app = spawn_app_with(TestDb::new(), &[("WAYPOINT_DEMO", "true")]).await;
    let upcoming = first(&app, "SELECT id AS v FROM fairs WHERE status = 'published'").await;
    let past = first(&app, "SELECT id AS v FROM fairs WHERE status = 'closed'").await;
    let b = Chromium::start(&app.address).await;

    // A student: the fair's sessions, filtered; a time not understood is named.
    // The demo provider lists the first 40 students, the latest classes first.
    let student = first(&app, "SELECT id AS v FROM students ORDER BY class_year DESC, name").await;
    b.goto("/auth/login?return_to=/fairs").await;
    b.wait_for_text("Career counselors").await;
    b.click(&format!("form:has(input[name='person'][value='student:{student}']) button")).await;
    b.wait_for_text("Sign out").await;
    b.visit_checked(&format!("/fairs/{upcoming}?kind=group"), "fair-filtered").await;
    assert!(b.source().await.contains("sessions match the filters"));
    b.visit_checked(&format!("/fairs/{upcoming}?from=2pm&kind=one_on_one"), "fair-filter-refused").await;
    assert!(b.source().await.contains("Starting from: is not a time HH:MM"));
    sign_out(&b).await;

    // A host of a one-on-one series: its slots, the question before shortening, a roster.
    let (slot, series) = (
        first(&app, &format!("SELECT id AS v FROM fair_sessions WHERE fair_id = '{upcoming}' AND kind = 'one_on_one' ORDER BY starts_at")).await,
        first(&app, &format!("SELECT series_id AS v FROM fair_sessions WHERE fair_id = '{upcoming}' AND kind = 'one_on_one' ORDER BY starts_at")).await,
    );
    let host = first(
        &app,
        &format!(
            "SELECT u.email AS v FROM fair_sessions s JOIN recruiters r ON r.id = s.host_id \
             JOIN users u ON u.id = r.user_id WHERE s.id = '{slot}'"
        ),
    )
    .await;
    b.goto("/login/recruiter").await;
    let password = b.js("return document.querySelector('.notice code').textContent").await;
    b.type_into("#field-email", &host).await;
    b.type_into("#field-password", password.as_str().unwrap()).await;
    b.click("form[action='/login/recruiter'] button[type=submit]").await;
    b.wait_for_text("Sign out").await;
    b.visit_checked(&format!("/series/{series}"), "fair-series").await;
    b.type_into("#field-end", "09:00").await;
    b.click(&format!("form[action='/series/{series}/shorten'] button[type=submit]")).await;
    b.wait_for_text("Keep the series as it is").await;
    let problems = b.check_both_here("fair-series-shorten-question").await;
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    b.visit_checked(&format!("/sessions/{slot}/roster"), "fair-roster").await;
    assert!(b.source().await.contains("Download the roster (CSV)"));
    sign_out(&b).await;

    // The office: the overview of the fair that took place.
    let counselor = first(
        &app,
        "SELECT u.id AS v FROM users u JOIN user_roles r ON r.user_id = u.id \
         WHERE r.role = 'counselor' AND u.disabled = FALSE ORDER BY u.display_name",
    )
    .await;
    b.goto("/auth/login?return_to=/fairs").await;
    b.wait_for_text("Career counselors").await;
    b.click(&format!("form:has(input[name='person'][value='user:{counselor}']) button")).await;
    b.wait_for_text("Sign out").await;
    b.visit_checked(&format!("/fairs/{past}"), "fair-overview").await;
    let page = b.source().await;
    assert!(page.contains("By employer") && page.contains("Attendance rate"), "{page}");
}
