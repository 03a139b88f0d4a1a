//! Reports longer than one page of the database (1,000 rows; 200 employers for
//! conversions) and than one chunk of the file (64 KiB): every row once, in order, the
//! same bytes from the portal and the command line. The world is made in SQL, a row
//! per number: 2,345 graduating students (odd numbers Engineering, even Arts), 450
//! employers with a project each, every student completing one project with employer
//! (i mod 450) + 1 on 2026-03-15 and recording an outcome with that employer, offered
//! on 2026-04-01 (17 days later).

use super::fetch;
use crate::fixtures::sql;
use crate::helpers::{stderr, TestApp, TestDb};
use crate::idp::spawn_with_idp_and;

const BOM: &str = "\u{feff}";
const STUDENTS: usize = 2345;
const EMPLOYERS: usize = 450;
const AT: &str = "'2026-03-01 09:00:00'";

/// `INSERT … SELECT` over the numbers 1..=n (the same SQL on both backends).
async fn per_number(app: &TestApp, n: usize, insert: &str, select: &str) {
    sql(
        app,
        format!(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {n}) {insert} SELECT {select} FROM n"
        ),
    )
    .await;
}

async fn many(app: &TestApp) {
    let e = EMPLOYERS;
    per_number(
        app,
        e,
        "INSERT INTO employers (id, name, industry, location, description, created_at, updated_at)",
        &format!("'em' || (1000 + i), 'Employer ' || (1000 + i), 'Software', 'Boston, MA', 'A partner.', {AT}, {AT}"),
    )
    .await;
    per_number(
        app,
        e,
        "INSERT INTO opportunities (id, employer_id, title, description, category, skills, hours, fee_cents, currency, \
         remote, location, apply_by, due_by, openings, eligible_colleges, eligible_majors, eligible_class_years, status, \
         opened_at, created_at, updated_at)",
        &format!(
            "'op' || (1000 + i), 'em' || (1000 + i), 'Project ' || (1000 + i), 'A project.', 'research', '', 10, 50000, \
             'USD', TRUE, NULL, '2026-02-01', '2026-12-31', 1, '', '', '', 'closed', {AT}, {AT}, {AT}"
        ),
    )
    .await;
    per_number(
        app,
        STUDENTS,
        "INSERT INTO students (id, student_number, email, name, college, major, class_year, graduation_term, created_at, updated_at)",
        &format!(
            "'s' || (10000 + i), 'B' || (10000 + i), 'b' || (10000 + i) || '@northfield.edu', 'Student B' || (10000 + i), \
             CASE WHEN i % 2 = 1 THEN 'Engineering' ELSE 'Arts' END, 'Physics', 2026, '2026-05', {AT}, {AT}"
        ),
    )
    .await;
    let employer = format!("(1000 + i % {e} + 1)");
    per_number(
        app,
        STUDENTS,
        "INSERT INTO applications (id, opportunity_id, student_id, statement, status, created_at, updated_at)",
        &format!("'a' || (10000 + i), 'op' || {employer}, 's' || (10000 + i), 'Please.', 'accepted', {AT}, {AT}"),
    )
    .await;
    per_number(
        app,
        STUDENTS,
        "INSERT INTO engagements (id, application_id, opportunity_id, student_id, employer_id, status, started_on, due_on, \
         submitted_on, completed_on, rating, created_at, updated_at)",
        &format!(
            "'g' || (10000 + i), 'a' || (10000 + i), 'op' || {employer}, 's' || (10000 + i), 'em' || {employer}, \
             'completed', '2026-03-01', '2026-12-31', '2026-03-15', '2026-03-15', 4, {AT}, {AT}"
        ),
    )
    .await;
    per_number(
        app,
        STUDENTS,
        "INSERT INTO outcomes (id, student_id, category, employer_id, currency, source, is_primary, offer_on, known_on, \
         created_at, updated_at)",
        &format!(
            "'o' || (10000 + i), 's' || (10000 + i), 'employed_full_time', 'em' || {employer}, 'USD', 'counselor', FALSE, \
             '2026-04-01', '2026-04-02', {AT}, {AT}"
        ),
    )
    .await;
}

/// The employer of student `i` (1-based), as `many` assigns it.
fn employer_of(i: usize) -> usize {
    1000 + i % EMPLOYERS + 1
}

fn expected_placements() -> String {
    let mut s = format!("{BOM}student_number,student_name,email,college,major,cohort,category,employment_type,organization,job_title,start_on,annual_salary,currency,source,via_micro_internship,offer_on,accepted_on\r\n");
    for i in 1..=STUDENTS {
        let (n, college) = (10000 + i, if i % 2 == 1 { "Engineering" } else { "Arts" });
        s += &format!(
            "B{n},Student B{n},b{n}@northfield.edu,{college},Physics,2026,employed_full_time,,Employer {},,,,USD,counselor,true,2026-04-01,\r\n",
            employer_of(i)
        );
    }
    s
}

fn expected_micro_internships() -> String {
    let mut s = format!("{BOM}opportunity_id,title,employer,student_number,hours,fee,currency,status,started_on,submitted_on,completed_on,rating,paid_on,amount_paid\r\n");
    for i in 1..=STUDENTS {
        let e = employer_of(i);
        s += &format!(
            "op{e},Project {e},Employer {e},B{},10,500.00,USD,completed,2026-03-01,2026-03-15,2026-03-15,4,,\r\n",
            10000 + i
        );
    }
    s
}

fn expected_conversions() -> String {
    let mut s = format!("{BOM}employer,partnership_tier,engagements_completed,students_completed,students_offered,students_hired,conversion_rate,median_days_to_offer\r\n");
    for e in 1001..=1000 + EMPLOYERS {
        let c = (1..=STUDENTS).filter(|i| employer_of(*i) == e).count();
        s += &format!("Employer {e},,{c},{c},{c},{c},1.0000,17\r\n");
    }
    s += &format!("All employers,,{STUDENTS},{STUDENTS},{STUDENTS},{STUDENTS},1.0000,17\r\n");
    s
}

fn expected_first_destination() -> String {
    let arts = STUDENTS / 2;
    let engineering = STUDENTS - arts;
    let mut s = format!("{BOM}cohort,group,graduates,known,knowledge_rate,employed_full_time,employed_part_time,military,volunteer_service,continuing_education,seeking_employment,seeking_continuing_education,not_seeking,no_information,career_outcomes_rate\r\n");
    for (group, n) in [("Arts", arts), ("Engineering", engineering)] {
        s += &format!("2026,{group},{n},{n},1.0000,{n},0,0,0,0,0,0,0,0,1.0000\r\n");
    }
    s
}

#[tokio::test]
async fn reports_longer_than_a_page_and_a_chunk_have_every_row_once_in_order() {
    // On the real clock, as the command line runs: every date here is in the past.
    let (app, idp) = spawn_with_idp_and(TestDb::new(), None, &[]).await;
    many(&app).await;
    let c = app.signed_in(&idp, "counselor").await;
    for (path, expected, cli) in [
        ("/reports/placements.csv", expected_placements(), vec!["report", "placements"]),
        ("/reports/micro-internships.csv", expected_micro_internships(), vec!["report", "micro-internships"]),
        ("/reports/conversions.csv", expected_conversions(), vec!["report", "conversions"]),
        (
            "/reports/first-destination.csv?cohort=2026",
            expected_first_destination(),
            vec!["report", "first-destination", "--cohort", "2026"],
        ),
    ] {
        let (status, _, body) = fetch(&app, &c, path).await;
        assert_eq!(status, 200, "{path}: {body}");
        // Placements and micro-internships span several chunks of the file; conversions
        // three pages of employers; first destinations three pages of students.
        if path.contains("placements") || path.contains("micro") {
            assert!(expected.len() > 3 * 64 * 1024, "{path}: several chunks");
        }
        assert!(
            body == expected,
            "{path}: the file differs from the expected one\n{}",
            first_difference(&body, &expected)
        );
        let out = app.waypoint(&cli);
        assert!(out.status.success(), "{path}: {}", stderr(&out));
        assert!(out.stdout == body.as_bytes(), "{path}: the command line's file differs from the portal's");
    }
}

/// The first line where two files differ, for a readable failure.
fn first_difference(got: &str, want: &str) -> String {
    let (g, w): (Vec<&str>, Vec<&str>) = (got.lines().collect(), want.lines().collect());
    match g.iter().zip(&w).position(|(a, b)| a != b) {
        Some(i) => format!("line {}: got {:?}, want {:?}", i + 1, g[i], w[i]),
        None => format!("{} lines, want {}", g.len(), w.len()),
    }
}
