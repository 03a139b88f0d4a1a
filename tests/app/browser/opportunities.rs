//! The lifecycle's forms, messages and questions in a real browser (demo data): a review
//! refused for its missing rating (the feedback kept), an offer sent and one refused, a
//! posting form refused, the question before cancelling a posting, and a student's
//! offer waiting on their dashboard, declined after its question — each page passes
//! axe-core and fits a 390 px phone.

use diesel::RunQueryDsl;

use super::harness::{Chromium, Width};
use crate::helpers::{spawn_app_with, TestApp, TestDb};

/// The first column (text) of each row of `sql`.
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

async fn run(app: &TestApp, sql: String) {
    app.with_db(move |c| {
        diesel::sql_query(&sql).execute(c).unwrap_or_else(|e| panic!("{sql}: {e}"));
    })
    .await;
}

#[tokio::test]
async fn the_lifecycle_s_forms_messages_and_questions_pass_axe_and_fit_a_phone() {
    let app = spawn_app_with(TestDb::new(), &[("WAYPOINT_DEMO", "true")]).await;
    let b = Chromium::start(&app.address).await;
    let mut problems = Vec::new();
    let today = app.clock.today();

    // A recruiter whose employer has a project under way, one completed, and an open posting.
    let recruiter = strings(
        &app,
        "SELECT u.email AS v FROM recruiters r JOIN users u ON u.id = r.user_id \
         WHERE EXISTS (SELECT 1 FROM engagements e WHERE e.employer_id = r.employer_id AND e.status IN ('active', 'submitted')) \
           AND EXISTS (SELECT 1 FROM engagements e WHERE e.employer_id = r.employer_id AND e.status = 'completed') \
           AND EXISTS (SELECT 1 FROM opportunities o WHERE o.employer_id = r.employer_id AND o.status = 'open') \
         ORDER BY u.email"
            .into(),
    )
    .await;
    let email = recruiter.first().expect("the demo data has such a recruiter").clone();
    let of_employer = |what: &str| {
        format!(
            "SELECT {what} AS v FROM recruiters r JOIN users u ON u.id = r.user_id \
             JOIN engagements e ON e.employer_id = r.employer_id WHERE u.email = '{email}'"
        )
    };
    let under_way = strings(&app, of_employer("e.id") + " AND e.status IN ('active', 'submitted') ORDER BY e.id").await;
    let done = strings(&app, of_employer("e.id") + " AND e.status = 'completed' ORDER BY e.id").await;
    run(&app, format!("UPDATE engagements SET status = 'submitted', deliverable_url = 'https://drive.northfield.edu/work', submitted_on = started_on WHERE id = '{}'", under_way[0])).await;
    let open = strings(
        &app,
        format!(
            "SELECT o.id AS v FROM opportunities o JOIN recruiters r ON r.employer_id = o.employer_id \
             JOIN users u ON u.id = r.user_id WHERE u.email = '{email}' AND o.status = 'open' ORDER BY o.id"
        ),
    )
    .await;

    b.goto("/login/recruiter").await;
    let password = b.js("return document.querySelector('.notice code').textContent").await;
    b.type_into("#field-email", &email).await;
    b.type_into("#field-password", password.as_str().unwrap()).await;
    b.click("form[action='/login/recruiter'] button[type=submit]").await;
    b.wait_for_text("Sign out").await;

    // A completion without a rating: refused, the feedback kept.
    b.set_width(Width::Desktop).await;
    b.goto(&format!("/engagements/{}", under_way[0])).await;
    b.type_into("#field-feedback", "Clear work; the sources are missing.").await;
    b.click("button[name='step'][value='complete']").await;
    b.wait_for_text("Please correct the following").await;
    let kept = b.js("return document.querySelector('#field-feedback').value").await;
    assert_eq!(kept.as_str(), Some("Clear work; the sources are missing."), "the feedback is kept");
    problems.extend(b.check_both_here("project-review-refused").await);

    // An offer with its terms: sent, and the project's page says so.
    let project = format!("/engagements/{}", done[0]);
    b.goto(&project).await;
    b.type_into("#field-job_title", "Junior Analyst").await;
    b.type_into("#field-salary", "65,000").await;
    b.type_into("#field-location", "Boston, MA").await;
    b.click("form[action$='/offers'] button[type=submit]").await;
    b.wait_for_text("Offer sent to ").await;
    assert!(b.source().await.contains("Salary: $65,000.00 a year"));
    problems.extend(b.check_both_here("project-offer-sent").await);
    // And one refused: no title, a salary that is not an amount.
    b.goto(&project).await;
    b.type_into("#field-salary", "lots").await;
    b.click("form[action$='/offers'] button[type=submit]").await;
    b.wait_for_text("Please correct the following").await;
    problems.extend(b.check_both_here("project-offer-refused").await);

    // The posting form refused whole.
    b.goto("/workspace/postings/new").await;
    b.type_into("#field-hours", "twelve").await;
    b.click("button[name='intent'][value='save']").await;
    b.wait_for_text("Please correct the following").await;
    problems.extend(b.check_both_here("posting-form-refused").await);

    // Cancelling a posting asks first; "Keep the posting" goes back, nothing changed.
    b.goto(&format!("/postings/{}", open[0])).await;
    b.type_into("#field-reason", "Budget frozen.").await;
    b.click("button[name='to'][value='cancelled']").await;
    b.wait_for_text("Keep the posting").await;
    problems.extend(b.check_both_here("posting-cancel-question").await);
    b.click("main a.button.secondary").await;
    b.wait_for_url(&format!("/postings/{}", open[0])).await;
    b.set_width(Width::Desktop).await;
    b.click("form[action='/auth/logout'] button").await;
    b.wait_for_text(">Sign in<").await;

    // A student the demo provider lists, with a completed project and an offer after it.
    let student = strings(
        &app,
        "SELECT s.id AS v FROM (SELECT id, name, class_year FROM students ORDER BY class_year DESC, name LIMIT 40) s \
         WHERE EXISTS (SELECT 1 FROM engagements e WHERE e.student_id = s.id AND e.status = 'completed') \
         ORDER BY s.class_year DESC, s.name"
            .into(),
    )
    .await;
    let engagement = strings(
        &app,
        format!(
            "SELECT id AS v FROM engagements WHERE student_id = '{}' AND status = 'completed' ORDER BY id",
            student[0]
        ),
    )
    .await;
    let offer = uuid::Uuid::new_v4().to_string();
    run(
        &app,
        format!(
            "INSERT INTO offers (id, engagement_id, employer_id, student_id, kind, job_title, offer_on, status, annual_salary_cents, currency, location, created_at, updated_at) \
             SELECT '{offer}', id, employer_id, student_id, 'internship', 'Summer Analyst', '{today}', 'extended', 5200000, 'USD', 'Remote', '2026-11-01 09:00:00', '2026-11-01 09:00:00' \
             FROM engagements WHERE id = '{}'",
            engagement[0]
        ),
    )
    .await;
    b.goto("/auth/login?return_to=/dashboard").await;
    b.wait_for_text("Career counselors").await;
    b.click(&format!("form:has(input[name='person'][value='student:{}']) button", student[0])).await;
    b.wait_for_text("Sign out").await;
    b.visit_checked("/dashboard", "student-dashboard-offer").await;
    assert!(b.source().await.contains("Offers waiting for your answer"));
    b.visit_checked(&format!("/engagements/{}", engagement[0]), "student-project-offer").await;
    b.goto("/dashboard").await;
    b.click(&format!("form[action='/offers/{offer}/answer'] button[value='decline']")).await;
    b.wait_for_text("Keep the offer").await;
    problems.extend(b.check_both_here("offer-decline-question").await);
    b.set_width(Width::Desktop).await;
    b.click("main form button.button-danger").await;
    b.wait_for_text("You declined the offer: Summer Analyst").await;
    problems.extend(b.check_both_here("offer-declined").await);

    assert!(problems.is_empty(), "{} problem(s):\n{}", problems.len(), problems.join("\n"));
}
