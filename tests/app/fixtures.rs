//! Records made straight in the database, for tests that need a known world.

use diesel::RunQueryDsl;

use crate::helpers::TestApp;

const NOW: &str = "'2026-11-01 09:00:00'";

fn q(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

pub async fn sql(app: &TestApp, statement: String) {
    app.with_db(move |c| {
        diesel::sql_query(&statement).execute(c).unwrap_or_else(|e| panic!("{statement}: {e}"));
    })
    .await;
}

/// An employer with one partnership; returns its id.
pub async fn employer(app: &TestApp, name: &str, industry: &str, domain: Option<&str>, status: &str) -> String {
    let id = uuid::Uuid::new_v4().to_string();
    let domain = domain.map(q).unwrap_or_else(|| "NULL".into());
    sql(app, format!("INSERT INTO employers (id, name, industry, email_domain, location, description, created_at, updated_at) VALUES ('{id}', {}, {}, {domain}, 'Boston, MA', 'A partner of the career office.', {NOW}, {NOW})", q(name), q(industry))).await;
    sql(app, format!("INSERT INTO partnerships (id, employer_id, tier, status, created_at, updated_at) VALUES ('p-{id}', '{id}', 'gold', '{status}', {NOW}, {NOW})")).await;
    id
}

pub struct Posting<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub skills: &'a str,
    pub hours: i32,
    pub fee_cents: i64,
    pub remote: bool,
    pub apply_by: &'a str,
    pub status: &'a str,
    pub opened_at: &'a str,
    pub colleges: &'a str,
    pub majors: &'a str,
    pub class_years: &'a str,
}

impl Default for Posting<'_> {
    fn default() -> Self {
        Posting {
            title: "Competitor pricing scan",
            description: "Collect the list prices of ten competitors and summarise them in a spreadsheet.",
            skills: "excel,market-research",
            hours: 10,
            fee_cents: 40_000,
            remote: true,
            apply_by: "2099-01-15",
            status: "open",
            opened_at: "2026-11-01 09:00:00",
            colleges: "",
            majors: "",
            class_years: "",
        }
    }
}

pub async fn posting(app: &TestApp, employer_id: &str, p: Posting<'_>) -> String {
    let id = uuid::Uuid::new_v4().to_string();
    let location = if p.remote { "NULL".to_owned() } else { "'Boston, MA'".to_owned() };
    sql(
        app,
        format!(
            "INSERT INTO opportunities (id, employer_id, title, description, category, skills, hours, fee_cents, currency, remote, location, apply_by, due_by, openings, \
             eligible_colleges, eligible_majors, eligible_class_years, status, opened_at, created_at, updated_at) VALUES ('{id}', '{employer_id}', {}, {}, 'research', {}, {}, {}, 'USD', {}, {location}, \
             '{}', '2099-12-31', 1, {}, {}, {}, '{}', '{}', {NOW}, {NOW})",
            q(p.title),
            q(p.description),
            q(p.skills),
            p.hours,
            p.fee_cents,
            if p.remote { "TRUE" } else { "FALSE" },
            p.apply_by,
            q(p.colleges),
            q(p.majors),
            q(p.class_years),
            p.status,
            p.opened_at,
        ),
    )
    .await;
    // The tags the catalogue matches, written as the store writes them.
    let (tag_id, skills, colleges, majors, class_years) =
        (id.clone(), p.skills.to_owned(), p.colleges.to_owned(), p.majors.to_owned(), p.class_years.to_owned());
    app.with_db(move |c| {
        let at = chrono::NaiveDateTime::parse_from_str("2026-11-01 09:00:00", "%Y-%m-%d %H:%M:%S").unwrap();
        let tag_id = waypoint::core::OpportunityId::from(tag_id);
        let lists = waypoint::opportunities::tags::PostingLists {
            id: &tag_id,
            skills: &skills,
            colleges: &colleges,
            majors: &majors,
            class_years: &class_years,
            at,
        };
        waypoint::opportunities::tags::write_tags(c, &[lists]).expect("posting tags");
    })
    .await;
    id
}

/// A roster student, optionally linked to the user with `email`.
pub async fn student(app: &TestApp, number: &str, email: &str, college: &str, major: &str, class_year: i32) -> String {
    let id = uuid::Uuid::new_v4().to_string();
    sql(
        app,
        format!(
            "INSERT INTO students (id, student_number, email, name, college, major, class_year, graduation_term, created_at, updated_at) \
             VALUES ('{id}', '{number}', '{email}', 'Student {number}', {}, {}, {class_year}, '{class_year}-05', {NOW}, {NOW})",
            q(college),
            q(major)
        ),
    )
    .await;
    id
}

pub async fn application(app: &TestApp, posting_id: &str, student_id: &str, status: &str) -> String {
    let id = uuid::Uuid::new_v4().to_string();
    sql(
        app,
        format!(
            "INSERT INTO applications (id, opportunity_id, student_id, statement, status, created_at, updated_at) \
             VALUES ('{id}', '{posting_id}', '{student_id}', 'I would love to do this project.', '{status}', {NOW}, {NOW})"
        ),
    )
    .await;
    id
}

pub async fn session(app: &TestApp, employer_id: &str) -> String {
    let fair = uuid::Uuid::new_v4().to_string();
    let id = uuid::Uuid::new_v4().to_string();
    sql(app, format!("INSERT INTO fairs (id, name, starts_at, ends_at, status, created_at, updated_at) VALUES ('{fair}', 'Spring Fair', '2099-02-01 14:00:00', '2099-02-01 20:00:00', 'published', {NOW}, {NOW})")).await;
    sql(
        app,
        format!(
            "INSERT INTO fair_sessions (id, fair_id, employer_id, kind, title, starts_at, ends_at, capacity, meeting_url, created_at, updated_at) \
             VALUES ('{id}', '{fair}', '{employer_id}', 'group', 'Meet the team', '2099-02-01 15:00:00', '2099-02-01 15:45:00', 30, 'https://meet.example.com/x', {NOW}, {NOW})"
        ),
    )
    .await;
    id
}

/// A faculty member's endorsement of a student; returns its id.
pub async fn endorsement(app: &TestApp, student_id: &str, faculty_name: &str, statement: &str) -> String {
    let (user, fac, id) =
        (uuid::Uuid::new_v4().to_string(), uuid::Uuid::new_v4().to_string(), uuid::Uuid::new_v4().to_string());
    let email = format!("{}@northfield.edu", faculty_name.to_lowercase().replace(' ', "."));
    sql(app, format!("INSERT INTO users (id, email, display_name, created_at, updated_at) VALUES ('{user}', '{email}', {}, {NOW}, {NOW})", q(faculty_name))).await;
    sql(app, format!("INSERT INTO faculty (id, user_id, department, title, created_at, updated_at) VALUES ('{fac}', '{user}', 'Economics', 'Professor', {NOW}, {NOW})")).await;
    sql(
        app,
        format!(
            "INSERT INTO endorsements (id, faculty_id, student_id, skills, statement, relationship, created_at, updated_at) \
             VALUES ('{id}', '{fac}', '{student_id}', 'analysis', {}, 'course', {NOW}, {NOW})",
            q(statement)
        ),
    )
    .await;
    id
}
