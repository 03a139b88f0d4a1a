//! The office's reports: each report's header and a hand-built data set's exact rows
//! (`rows.rs`), filters and bad filters, formula cells neutralised and Python's `csv`
//! reading the same values (`files.rs`), the command line giving the portal's bytes
//! (`cli.rs`), who is refused (`access.rs`), the fair-attendance report
//! (`fair_attendance.rs`), and files longer than a page and a chunk (`batches.rs`).

mod access;
mod batches;
mod cli;
pub mod fair_attendance;
mod files;
mod rows;

use crate::fixtures::{application, employer, posting, sql, student, Posting};
use crate::helpers::{count, TestApp};

pub async fn n(app: &TestApp, query: &str) -> i64 {
    let query = query.to_owned();
    app.with_db(move |c| count(c, &query)).await
}

/// GET `path` with browser `b`: status, content-disposition, body.
pub async fn fetch(app: &TestApp, b: &reqwest::Client, path: &str) -> (u16, String, String) {
    let r = b.get(format!("{}{path}", app.address)).send().await.unwrap();
    let status = r.status().as_u16();
    let disposition =
        r.headers().get("content-disposition").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    (status, disposition, r.text().await.unwrap())
}

/// A hand-built world (see each report's expected rows in `rows.rs`):
/// - Acme Labs (gold) with postings P1 “Churn study” (10 h, $500.00) and P2 “Pricing
///   review” (20 h, $900.00); Birch & Co (silver) with P3 “Field survey” (5 h, $150.00).
/// - Students N1, N2 (Engineering, Physics, 2026-05), N3 (Arts, History, 2025-12),
///   N4 (Engineering, Physics, 2027-05: not a graduate yet).
/// - Engagements eng-1 N1/P1 completed 03-15; eng-2 N1/P2 completed 04-20; eng-3 N2/P1
///   completed 03-25; eng-4 N3/P2 active; eng-5 N3/P3 completed 04-10 (all in 2026).
/// - Offers: Acme → N1 on 04-01 accepted (17 days after 03-15); Acme → N2 on 03-25 (the
///   completion day: not after) declined; N2's outcome names Acme with offer 05-04,
///   accepted 05-06 (40 days after 03-25).
pub struct World {
    pub acme: String,
    pub birch: String,
    pub postings: [String; 3],
    pub students: [String; 4],
}

async fn engagement(app: &TestApp, id: &str, w: (&str, &str, &str, &str), started: &str, done: Option<(&str, i32)>) {
    let (application, posting, student, employer) = w;
    let (status, completed, rating, submitted) = match done {
        Some((on, rating)) => ("completed", format!("'{on}'"), rating.to_string(), format!("'{on}'")),
        None => ("active", "NULL".into(), "NULL".into(), "NULL".into()),
    };
    sql(
        app,
        format!(
            "INSERT INTO engagements (id, application_id, opportunity_id, student_id, employer_id, status, started_on, due_on, \
             submitted_on, completed_on, rating, created_at, updated_at) VALUES ('{id}', '{application}', '{posting}', '{student}', \
             '{employer}', '{status}', '{started}', '2026-12-31', {submitted}, {completed}, {rating}, '2026-03-01 09:00:00', '2026-03-01 09:00:00')"
        ),
    )
    .await;
}

#[allow(clippy::too_many_arguments)]
pub async fn outcome(
    app: &TestApp,
    student: &str,
    category: &str,
    employer: Option<&str>,
    organization: &str,
    source: &str,
    offer_on: Option<&str>,
    accepted_on: Option<&str>,
    known_on: &str,
) {
    let id = uuid::Uuid::new_v4();
    let opt = |v: Option<&str>| v.map(|v| format!("'{}'", v.replace('\'', "''"))).unwrap_or_else(|| "NULL".into());
    let organization = if organization.is_empty() { "NULL".into() } else { opt(Some(organization)) };
    sql(
        app,
        format!(
            "INSERT INTO outcomes (id, student_id, category, employer_id, organization, currency, source, is_primary, offer_on, accepted_on, \
             known_on, created_at, updated_at) VALUES ('{id}', '{student}', '{category}', {}, {organization}, 'USD', '{source}', FALSE, {}, {}, \
             '{known_on}', '2026-06-01 09:00:00', '2026-06-01 09:00:00')",
            opt(employer),
            opt(offer_on),
            opt(accepted_on)
        ),
    )
    .await;
}

pub async fn world(app: &TestApp) -> World {
    let acme = employer(app, "Acme Labs", "Software", Some("acme.com"), "active").await;
    let birch = employer(app, "Birch & Co", "Retail", Some("birch.com"), "active").await;
    sql(app, format!("UPDATE partnerships SET tier = 'silver' WHERE employer_id = '{birch}'")).await;
    let p1 =
        posting(app, &acme, Posting { title: "Churn study", hours: 10, fee_cents: 50_000, ..Default::default() }).await;
    let p2 =
        posting(app, &acme, Posting { title: "Pricing review", hours: 20, fee_cents: 90_000, ..Default::default() })
            .await;
    let p3 = posting(app, &birch, Posting { title: "Field survey", hours: 5, fee_cents: 15_000, ..Default::default() })
        .await;
    let s1 = student(app, "N1", "n1@northfield.edu", "Engineering", "Physics", 2026).await;
    let s2 = student(app, "N2", "n2@northfield.edu", "Engineering", "Physics", 2026).await;
    let s3 = student(app, "N3", "n3@northfield.edu", "Arts", "History", 2026).await;
    let s4 = student(app, "N4", "n4@northfield.edu", "Engineering", "Physics", 2027).await;
    sql(app, format!("UPDATE students SET graduation_term = '2025-12' WHERE id = '{s3}'")).await;

    let a11 = application(app, &p1, &s1, "accepted").await;
    let a12 = application(app, &p2, &s1, "accepted").await;
    let a21 = application(app, &p1, &s2, "accepted").await;
    let a32 = application(app, &p2, &s3, "accepted").await;
    let a33 = application(app, &p3, &s3, "accepted").await;
    engagement(app, "eng-1", (&a11, &p1, &s1, &acme), "2026-03-01", Some(("2026-03-15", 5))).await;
    sql(app, "UPDATE engagements SET submitted_on = '2026-03-10', paid_on = '2026-03-20', amount_paid_cents = 50000 WHERE id = 'eng-1'".into()).await;
    engagement(app, "eng-2", (&a12, &p2, &s1, &acme), "2026-04-01", Some(("2026-04-20", 4))).await;
    engagement(app, "eng-3", (&a21, &p1, &s2, &acme), "2026-03-05", Some(("2026-03-25", 3))).await;
    engagement(app, "eng-4", (&a32, &p2, &s3, &acme), "2026-05-01", None).await;
    engagement(app, "eng-5", (&a33, &p3, &s3, &birch), "2026-04-01", Some(("2026-04-10", 4))).await;

    for (id, engagement, student, on, status) in
        [("o-1", "eng-1", &s1, "2026-04-01", "accepted"), ("o-2", "eng-3", &s2, "2026-03-25", "declined")]
    {
        sql(
            app,
            format!(
                "INSERT INTO offers (id, engagement_id, employer_id, student_id, kind, job_title, offer_on, status, created_at, updated_at) \
                 VALUES ('{id}', '{engagement}', '{acme}', '{student}', 'full_time', 'Analyst', '{on}', '{status}', '2026-04-01 09:00:00', '2026-04-01 09:00:00')"
            ),
        )
        .await;
    }
    // N1's accepted offer as the flow records it (source conversion), with its terms.
    outcome(
        app,
        &s1,
        "employed_full_time",
        Some(&acme),
        "Acme Labs",
        "conversion",
        Some("2026-04-01"),
        Some("2026-04-03"),
        "2026-04-03",
    )
    .await;
    sql(app, format!("UPDATE outcomes SET employment_type = 'standard', job_title = 'Analyst', start_on = '2026-07-01', annual_salary_cents = 6150000, engagement_id = 'eng-1' WHERE student_id = '{s1}'")).await;
    outcome(
        app,
        &s2,
        "employed_full_time",
        Some(&acme),
        "Acme Labs",
        "counselor",
        Some("2026-05-04"),
        Some("2026-05-06"),
        "2026-05-10",
    )
    .await;
    outcome(app, &s3, "continuing_education", None, "Northfield Law", "survey", None, None, "2026-08-01").await;
    outcome(app, &s3, "seeking_employment", None, "", "survey", None, None, "2026-06-01").await;
    outcome(app, &s4, "employed_part_time", Some(&birch), "", "counselor", Some("2026-06-01"), None, "2026-06-05")
        .await;

    // Endorsements: Ada Byron (Mathematics) endorses N1 (shared on both of N1's
    // applications), N1 again (revoked) and N2; Zed Young (Economics) endorses N3; Mia
    // Noor writes none.
    let ada = faculty(app, "Ada Byron", "Mathematics").await;
    let zed = faculty(app, "Zed Young", "Economics").await;
    faculty(app, "Mia Noor", "History").await;
    endorse(app, "en-1", &ada, &s1, false, "2026-02-01 15:00:00").await;
    endorse(app, "en-2", &ada, &s1, true, "2026-03-01 15:00:00").await;
    endorse(app, "en-3", &ada, &s2, false, "2026-04-01 15:00:00").await;
    endorse(app, "en-4", &zed, &s3, false, "2026-05-01 15:00:00").await;
    for (id, application) in [("ae-1", &a11), ("ae-2", &a12)] {
        sql(app, format!("INSERT INTO application_endorsements (id, application_id, endorsement_id, created_at, updated_at) VALUES ('{id}', '{application}', 'en-1', '2026-03-01 09:00:00', '2026-03-01 09:00:00')")).await;
    }
    World { acme, birch, postings: [p1, p2, p3], students: [s1, s2, s3, s4] }
}

async fn faculty(app: &TestApp, name: &str, department: &str) -> String {
    let (user, fac) = (uuid::Uuid::new_v4().to_string(), uuid::Uuid::new_v4().to_string());
    let email = format!("{}@northfield.edu", name.to_lowercase().replace(' ', "."));
    sql(app, format!("INSERT INTO users (id, email, display_name, created_at, updated_at) VALUES ('{user}', '{email}', '{name}', '2026-01-01 09:00:00', '2026-01-01 09:00:00')")).await;
    sql(app, format!("INSERT INTO faculty (id, user_id, department, title, created_at, updated_at) VALUES ('{fac}', '{user}', '{department}', 'Professor', '2026-01-01 09:00:00', '2026-01-01 09:00:00')")).await;
    fac
}

async fn endorse(app: &TestApp, id: &str, faculty: &str, student: &str, revoked: bool, at: &str) {
    let revoked = if revoked { format!("'{at}'") } else { "NULL".into() };
    sql(
        app,
        format!(
            "INSERT INTO endorsements (id, faculty_id, student_id, skills, statement, relationship, revoked_at, created_at, updated_at) \
             VALUES ('{id}', '{faculty}', '{student}', 'analysis', 'Careful and quick.', 'course', {revoked}, '{at}', '{at}')"
        ),
    )
    .await;
}
