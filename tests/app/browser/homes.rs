//! Each role's home in demo mode, in a real browser, and the office's student lookup,
//! student page and projects list: zero axe-core violations at desktop and phone width,
//! nothing scrolling sideways. Each home is saved as `home-ROLE-{desktop,phone}.png`
//! under `$CARGO_TARGET_DIR/screenshots/`.

use diesel::RunQueryDsl;

use super::harness::{Chromium, Width};
use crate::helpers::{spawn_app_with, TestApp, TestDb};

async fn strings(app: &TestApp, sql: &'static str) -> Vec<String> {
    #[derive(diesel::QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Text)]
        v: String,
    }
    app.with_db(move |c| {
        let rows: Vec<Row> = diesel::sql_query(sql).load(c).unwrap_or_else(|e| panic!("{sql}: {e}"));
        rows.into_iter().map(|r| r.v).collect()
    })
    .await
}

/// Signs in at the demo provider as `person` (`user:ID` or `student:ID`) with no page
/// asking: the sign-in lands on the home.
async fn sign_in_home(b: &Chromium, person: &str) -> String {
    b.goto("/auth/login").await;
    b.wait_for_text("Career counselors").await;
    b.click(&format!("form:has(input[name='person'][value='{person}']) button")).await;
    let home = b.wait_for_text("Sign out").await;
    assert_eq!(b.path().await, "/", "sign-in lands on the home");
    home
}

async fn sign_out(b: &Chromium) {
    b.set_width(Width::Desktop).await;
    b.click("form[action='/auth/logout'] button").await;
    b.wait_for_text(">Sign in<").await;
}

async fn first_of(app: &TestApp, sql: &'static str, what: &str) -> String {
    strings(app, sql).await.into_iter().next().unwrap_or_else(|| panic!("the demo data has {what}"))
}

#[tokio::test]
async fn every_role_s_home_and_the_office_s_lists_pass_axe_and_fit_a_phone() {
    let app = spawn_app_with(TestDb::new(), &[("WAYPOINT_DEMO", "true")]).await;
    let b = Chromium::start(&app.address).await;

    // A counselor: the office's queue, the student lookup and a student's page, the projects.
    let counselor = first_of(
        &app,
        "SELECT u.id AS v FROM users u JOIN user_roles r ON r.user_id = u.id WHERE r.role = 'counselor' \
         AND NOT EXISTS (SELECT 1 FROM user_roles a WHERE a.user_id = u.id AND a.role = 'admin') ORDER BY u.display_name",
        "a counselor",
    )
    .await;
    let home = sign_in_home(&b, &format!("user:{counselor}")).await;
    assert!(home.contains("The office's queue") && home.contains("href=\"/postings/"), "postings to review");
    b.visit_and_screenshot("/", "home-counselor").await;
    b.visit_checked("/students", "students").await;
    b.visit_checked("/students?q=an&page=2", "students-found").await;
    b.visit_checked("/projects", "projects").await;
    // A student with a project, from the list of projects.
    let student = b.hrefs("tbody a[href^='/students/']").await.remove(0);
    b.visit_checked(&student, "student-record").await;
    assert!(b.source().await.contains("href=\"/engagements/"), "a student's page lists their projects");
    b.visit_checked("/projects?overdue=yes", "projects-overdue").await;
    b.visit_checked("/projects?status=completed&unpaid=yes", "projects-unpaid").await;
    sign_out(&b).await;

    // An administrator: the same queue, with roles and the audit log.
    let admin = first_of(
        &app,
        "SELECT u.id AS v FROM users u JOIN user_roles r ON r.user_id = u.id WHERE r.role = 'admin' ORDER BY u.display_name",
        "an administrator",
    )
    .await;
    let home = sign_in_home(&b, &format!("user:{admin}")).await;
    assert!(home.contains("href=\"/admin/audit\""), "the admin's tools on the home");
    b.visit_and_screenshot("/", "home-admin").await;
    sign_out(&b).await;

    // A faculty member with requests waiting.
    let faculty = first_of(
        &app,
        "SELECT u.id AS v FROM users u JOIN faculty f ON f.user_id = u.id \
         JOIN endorsement_requests q ON q.faculty_id = f.id AND q.status = 'pending' \
         GROUP BY u.id, u.display_name ORDER BY COUNT(*) DESC, u.display_name",
        "a faculty member with a request waiting",
    )
    .await;
    let home = sign_in_home(&b, &format!("user:{faculty}")).await;
    assert!(home.contains("href=\"/endorsements/requests/"), "the requests waiting");
    b.visit_and_screenshot("/", "home-faculty").await;
    sign_out(&b).await;

    // A student the demo provider lists, with a project under way.
    let student = first_of(
        &app,
        "SELECT s.id AS v FROM (SELECT id, name, class_year FROM students ORDER BY class_year DESC, name LIMIT 40) s \
         WHERE EXISTS (SELECT 1 FROM engagements e WHERE e.student_id = s.id AND e.status = 'active') \
         ORDER BY s.class_year DESC, s.name",
        "a student with a project under way",
    )
    .await;
    let home = sign_in_home(&b, &format!("student:{student}")).await;
    assert!(home.contains("href=\"/engagements/"), "the student's projects");
    b.visit_and_screenshot("/", "home-student").await;
    sign_out(&b).await;

    // A recruiter with new applicants, a deliverable to review and fair sessions
    // (recruiters sign in with a password).
    let recruiter = first_of(
        &app,
        "SELECT u.email AS v FROM recruiters r JOIN users u ON u.id = r.user_id \
         WHERE EXISTS (SELECT 1 FROM engagements e WHERE e.employer_id = r.employer_id AND e.status = 'submitted') \
           AND EXISTS (SELECT 1 FROM applications a JOIN opportunities o ON o.id = a.opportunity_id \
                       WHERE o.employer_id = r.employer_id AND a.status = 'submitted') \
           AND EXISTS (SELECT 1 FROM fair_sessions s WHERE s.employer_id = r.employer_id) \
         ORDER BY u.email",
        "a recruiter with applicants and a deliverable to review",
    )
    .await;
    b.goto("/login/recruiter").await;
    let password = b.js("return document.querySelector('.notice code').textContent").await;
    b.type_into("#field-email", &recruiter).await;
    b.type_into("#field-password", password.as_str().unwrap()).await;
    b.click("form[action='/login/recruiter'] button[type=submit]").await;
    let home = b.wait_for_text("Sign out").await;
    assert_eq!(b.path().await, "/", "a recruiter lands on the home too");
    assert!(home.contains("what waits for you"), "{home}");
    assert!(
        home.contains("href=\"/workspace/postings/") && home.contains("href=\"/engagements/"),
        "new applicants and a deliverable, one click away"
    );
    b.visit_and_screenshot("/", "home-recruiter").await;
}
