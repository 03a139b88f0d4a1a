//! Outcomes: counselors record and change a graduate's outcome (each change kept, one
//! primary per graduate), the import (all or nothing, idempotent), and who is refused.

mod survey;
mod upload;

use crate::fixtures::{sql, student};
use crate::helpers::{count, stderr, stdout, waypoint_cmd, TestApp, TestDb};
use crate::idp::{spawn_with_idp_and, spawn_with_idp_at};
use crate::recruiters::a_recruiter;

async fn n(app: &TestApp, query: &str) -> i64 {
    let query = query.to_owned();
    app.with_db(move |c| count(c, &query)).await
}

async fn get(app: &TestApp, b: &reqwest::Client, path: &str) -> (u16, String) {
    let r = b.get(format!("{}{path}", app.address)).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

fn outcome<'a>(
    category: &'a str,
    organization: &'a str,
    primary: &'a str,
    known_on: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("category", category),
        ("employment_type", "standard"),
        ("organization", organization),
        ("job_title", "Analyst"),
        ("start_on", "2026-09-01"),
        ("annual_salary", "61,500"),
        ("currency", "USD"),
        ("source", "counselor"),
        ("primary", primary),
        ("offer_on", "2026-07-01"),
        ("accepted_on", "2026-07-03"),
        ("known_on", known_on),
    ]
}

#[tokio::test]
async fn counselors_record_and_change_outcomes_with_history_and_one_primary() {
    let (app, idp) = spawn_with_idp_at("2026-11-30", "12:00").await;
    let c = app.signed_in(&idp, "counselor").await;
    let s = student(&app, "N100", "n100@northfield.edu", "Engineering", "Physics", 2026).await;
    let (status, html) = get(&app, &c, &format!("/students/{s}")).await;
    assert_eq!(status, 200);
    assert!(html.contains(&format!("href=\"/students/{s}/outcomes\"")), "the student's page links to the outcomes");
    let (status, form) = get(&app, &c, &format!("/students/{s}/outcomes/new")).await;
    assert_eq!(status, 200);
    assert!(form.contains("Date the office learnt it"), "{form}");

    // The first, primary outcome.
    let path = format!("/students/{s}/outcomes");
    let new = format!("/students/{s}/outcomes/new");
    let r = app.post_form(&c, &new, &path, &outcome("employed_full_time", "Acme Labs", "true", "2026-08-01")).await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"].to_str().unwrap(), path);
    let (_, html) = get(&app, &c, &path).await;
    assert!(html.contains("Outcome recorded for Student N100"), "the flash says what was done: {html}");
    assert!(html.contains("Employed full-time") && html.contains("$61,500.00") && html.contains("Acme Labs"), "{html}");
    assert_eq!(
        n(&app, "SELECT COUNT(*) AS n FROM outcomes WHERE is_primary AND annual_salary_cents = 6150000").await,
        1
    );

    // A second primary unmarks the first, in the same transaction, and keeps that change.
    let r =
        app.post_form(&c, &new, &path, &outcome("continuing_education", "Northfield Law", "true", "2026-09-01")).await;
    assert_eq!(r.status(), 303);
    assert_eq!(n(&app, &format!("SELECT COUNT(*) AS n FROM outcomes WHERE student_id = '{s}'")).await, 2);
    assert_eq!(
        n(&app, &format!("SELECT COUNT(*) AS n FROM outcomes WHERE student_id = '{s}' AND is_primary")).await,
        1
    );
    assert_eq!(
        n(&app, "SELECT COUNT(*) AS n FROM outcomes WHERE is_primary AND organization = 'Northfield Law'").await,
        1
    );
    // Two recordings and one unmarking: three kept changes, each naming the counselor.
    assert_eq!(
        n(&app, &format!("SELECT COUNT(*) AS n FROM outcome_changes WHERE student_id = '{s}' AND changed_by_label = 'cory.banks@northfield.edu'"))
            .await,
        3
    );

    // A refused change comes back with every problem named by its label, values kept, nothing changed.
    let id = app
        .with_db(move |c| {
            use diesel::prelude::*;
            use waypoint::db::schema::outcomes;
            outcomes::table
                .filter(outcomes::organization.eq("Acme Labs"))
                .select(outcomes::id)
                .first::<String>(c)
                .unwrap()
        })
        .await;
    let edit = format!("/students/{s}/outcomes/{id}/edit");
    let target = format!("/students/{s}/outcomes/{id}");
    let mut bad = outcome("hired", "Acme Labs", "false", "2026-08-01");
    bad[5] = ("annual_salary", "sixty thousand");
    let r = app.post_form(&c, &edit, &target, &bad).await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("href=\"#field-category\"") && html.contains("href=\"#field-annual_salary\""), "{html}");
    assert!(html.contains("sixty thousand"), "the typed value is kept");
    assert_eq!(n(&app, "SELECT COUNT(*) AS n FROM outcome_changes").await, 3);

    // A good change: the history keeps before and after.
    let mut good = outcome("employed_part_time", "Acme Labs", "false", "2026-08-01");
    good[5] = ("annual_salary", "30000");
    let r = app.post_form(&c, &edit, &target, &good).await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        n(&app, &format!(
            "SELECT COUNT(*) AS n FROM outcome_changes WHERE outcome_id = '{id}' AND before_fields LIKE '%employed_full_time%' AND after_fields LIKE '%employed_part_time%'"
        ))
        .await,
        1
    );
    let (status, html) = get(&app, &c, &path).await;
    assert_eq!(status, 200);
    assert!(html.contains("category: employed_full_time → employed_part_time"), "{html}");
}

#[tokio::test]
async fn students_faculty_and_recruiters_are_refused() {
    let (app, idp) = spawn_with_idp_at("2026-11-30", "12:00").await;
    let s = student(&app, "N200", "n200@northfield.edu", "Engineering", "Physics", 2026).await;
    let c = app.signed_in(&idp, "counselor").await;
    let new = format!("/students/{s}/outcomes/new");
    let path = format!("/students/{s}/outcomes");
    let r = app.post_form(&c, &new, &path, &outcome("military", "", "false", "2026-08-01")).await;
    assert_eq!(r.status(), 303);
    let id = app
        .with_db(|c| {
            use diesel::prelude::*;
            use waypoint::db::schema::outcomes;
            outcomes::table.select(outcomes::id).first::<String>(c).unwrap()
        })
        .await;
    let student_b = app.signed_in(&idp, "student").await;
    let faculty = app.signed_in(&idp, "faculty").await;
    let recruiter = a_recruiter(&app, &idp).await;
    for (who, b, expected) in [("student", &student_b, 403), ("faculty", &faculty, 403), ("recruiter", &recruiter, 404)]
    {
        for page in [path.clone(), new.clone(), format!("/students/{s}/outcomes/{id}/edit")] {
            let (status, _) = get(&app, b, &page).await;
            assert_eq!(status, expected, "{who} GET {page}");
        }
    }
    // A counselor asking for someone else's outcome under this student, or no student: 404.
    let (status, _) = get(&app, &c, &format!("/students/{s}/outcomes/nope/edit")).await;
    assert_eq!(status, 404);
    let (status, _) = get(&app, &c, "/students/nobody/outcomes").await;
    assert_eq!(status, 404);
    assert_eq!(n(&app, "SELECT COUNT(*) AS n FROM outcomes").await, 1);
}

const HEADER: &str = "student_number,category,employment_type,organization,job_title,start_on,annual_salary,currency,source,primary,offer_on,accepted_on,known_on\n";

#[tokio::test]
async fn the_import_is_all_or_nothing_and_a_second_run_changes_nothing() {
    let db = TestDb::new();
    let (app, _idp) = spawn_with_idp_and(db.shared(), None, &[]).await;
    student(&app, "N301", "n301@northfield.edu", "Engineering", "Physics", 2026).await;
    student(&app, "N302", "n302@northfield.edu", "Business", "Finance", 2026).await;
    sql(&app, "UPDATE students SET graduation_term = '2026-05'".into()).await;
    let dir = tempfile::tempdir().unwrap();

    // Every bad row is reported with its line; nothing is written.
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        format!(
            "{HEADER}N301,employed_full_time,standard,Acme,Analyst,2026-09-01,52000,USD,survey,true,,,2026-08-01\n\
             N999,military,,,,,,,counselor,,,,2026-08-01\n\
             N302,hired,standard,Acme,,,lots,USD,survey,maybe,,,2026-08-01\n\
             N301,not_seeking,,,,,,,counselor,true,,,\n"
        ),
    )
    .unwrap();
    let bad = bad.display().to_string();
    let out = waypoint_cmd(&db.url, &["import", "outcomes", &bad], &[]);
    assert!(!out.status.success());
    let err = stderr(&out);
    for expected in [
        format!("{bad}:3: student_number: no student has the number N999"),
        format!("{bad}:4: category: `hired` is not one of"),
        format!("{bad}:4: annual_salary: `lots` is not an amount"),
        format!("{bad}:4: primary: `maybe` is not true or false"),
        format!("{bad}:5: known_on: is required"),
    ] {
        assert!(err.contains(&expected), "{expected}\nin\n{err}");
    }
    assert_eq!(n(&app, "SELECT COUNT(*) AS n FROM outcomes").await, 0);

    // A good file: two created; the same file again: nothing changes.
    let good = dir.path().join("good.csv");
    std::fs::write(
        &good,
        format!(
            "{HEADER}N301,employed_full_time,standard,Acme,Analyst,2026-09-01,\"52,000.50\",USD,survey,true,2026-07-01,2026-07-02,2026-08-01\n\
             N302,seeking_employment,,,,,,,counselor,,,,2026-08-15\n"
        ),
    )
    .unwrap();
    let good = good.display().to_string();
    let out = waypoint_cmd(&db.url, &["import", "outcomes", &good], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("2 created, 0 updated, 0 unchanged"), "{}", stdout(&out));
    assert_eq!(
        n(&app, "SELECT COUNT(*) AS n FROM outcomes WHERE is_primary AND annual_salary_cents = 5200050").await,
        1
    );
    let changes = n(&app, "SELECT COUNT(*) AS n FROM outcome_changes").await;
    let again = waypoint_cmd(&db.url, &["import", "outcomes", &good], &[]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(stdout(&again).contains("0 created, 0 updated, 2 unchanged"), "{}", stdout(&again));
    assert_eq!(n(&app, "SELECT COUNT(*) AS n FROM outcomes").await, 2);
    assert_eq!(
        n(&app, "SELECT COUNT(*) AS n FROM outcome_changes").await,
        changes,
        "no change kept for an unchanged row"
    );
    assert_eq!(n(&app, "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'outcomes.imported'").await, 2);
}

/// A graduate in `college` with graduation term `term`, and their outcomes
/// `(category, primary, known_on, recorded_at)`.
async fn graduate(app: &TestApp, number: &str, college: &str, term: &str, outcomes: &[(&str, bool, &str, &str)]) {
    let s = student(app, number, &format!("{}@northfield.edu", number.to_lowercase()), college, "Physics", 2026).await;
    sql(app, format!("UPDATE students SET graduation_term = '{term}' WHERE id = '{s}'")).await;
    for (category, primary, known_on, at) in outcomes {
        let id = uuid::Uuid::new_v4();
        sql(
            app,
            format!(
                "INSERT INTO outcomes (id, student_id, category, currency, source, is_primary, known_on, created_at, updated_at) \
                 VALUES ('{id}', '{s}', '{category}', 'USD', 'counselor', {primary}, '{known_on}', '{at}', '{at}')"
            ),
        )
        .await;
    }
}

#[tokio::test]
async fn the_first_destination_csv_of_a_hand_built_cohort() {
    let (app, idp) = spawn_with_idp_at("2026-11-30", "12:00").await;
    let arts = "Arts, Letters & Zoë";
    // Class of 2026 = terms 2025-07 … 2026-06; outcomes count when known by 2026-12-31.
    // E1 (first month): full-time known 2025-10-01, seeking known 2026-03-01 → the latest: seeking.
    graduate(
        &app,
        "E1",
        "Engineering",
        "2025-07",
        &[
            ("employed_full_time", false, "2025-10-01", "2025-10-01 09:00:00"),
            ("seeking_employment", false, "2026-03-01", "2026-03-01 09:00:00"),
        ],
    )
    .await;
    // E2 (last month): the primary (continuing education) beats a later part-time job.
    graduate(
        &app,
        "E2",
        "Engineering",
        "2026-06",
        &[
            ("continuing_education", true, "2026-02-01", "2026-02-01 09:00:00"),
            ("employed_part_time", false, "2026-05-01", "2026-05-01 09:00:00"),
        ],
    )
    .await;
    // E3: June 2025 is the class of 2025: in no row of 2026.
    graduate(&app, "E3", "Engineering", "2025-06", &[("military", true, "2025-08-01", "2025-08-01 09:00:00")]).await;
    // E4: known on January 1, 2027: too late → no information.
    graduate(
        &app,
        "E4",
        "Engineering",
        "2026-05",
        &[("employed_full_time", true, "2027-01-01", "2027-01-01 09:00:00")],
    )
    .await;
    // E5: not seeking, known on December 31, 2026: counts.
    graduate(&app, "E5", "Engineering", "2026-05", &[("not_seeking", false, "2026-12-31", "2026-11-01 09:00:00")])
        .await;
    // A1: military and volunteer service known the same day: the later recorded one counts.
    graduate(
        &app,
        "A1",
        arts,
        "2026-01",
        &[
            ("military", false, "2026-06-01", "2026-06-01 09:00:00"),
            ("volunteer_service", false, "2026-06-01", "2026-06-02 09:00:00"),
        ],
    )
    .await;
    // A2: nothing known.
    graduate(&app, "A2", arts, "2026-01", &[]).await;
    // Class of 2027 on November 30, 2026: E6 (2026-11) has graduated, E7 (2026-12) not yet.
    graduate(&app, "E6", "Engineering", "2026-11", &[]).await;
    graduate(
        &app,
        "E7",
        "Engineering",
        "2026-12",
        &[("employed_full_time", true, "2026-10-01", "2026-10-01 09:00:00")],
    )
    .await;

    let c = app.signed_in(&idp, "counselor").await;
    let r = c.get(format!("{}/reports/first-destination.csv?class=2026", app.address)).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "text/csv; charset=utf-8");
    assert_eq!(
        r.headers()["content-disposition"],
        "attachment; filename=\"first-destination_class-2026_by-college_2026-11-30.csv\""
    );
    let body = r.bytes().await.unwrap();
    // Arts: 2 graduates, 1 known (volunteer service): 1/2 = 0.5000; career 1/(1 − 0) = 1.0000.
    // Engineering: E1, E2, E4, E5 = 4 graduates; known E1 seeking, E2 continuing education,
    // E5 not seeking = 3: 3/4 = 0.7500; career 1 (E2) / (3 − 1 not seeking) = 0.5000.
    let expected = "\u{feff}cohort,group,graduates,known,knowledge_rate,employed_full_time,employed_part_time,military,volunteer_service,continuing_education,seeking_employment,seeking_continuing_education,not_seeking,no_information,career_outcomes_rate\r\n\
                    2026,\"Arts, Letters & Zoë\",2,1,0.5000,0,0,0,1,0,0,0,0,1,1.0000\r\n\
                    2026,Engineering,4,3,0.7500,0,0,0,0,1,1,0,1,1,0.5000\r\n";
    assert_eq!(String::from_utf8(body.to_vec()).unwrap(), expected);

    // Class of 2027 so far: only E6, nothing known; the career rate's denominator is 0: empty.
    let r = c
        .get(format!("{}/reports/first-destination.csv?cohort=2027&group_by=major", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let body = r.text().await.unwrap();
    assert_eq!(body.lines().nth(1).unwrap(), "2027,Physics,1,0,0.0000,0,0,0,0,0,0,0,0,1,");
    assert_eq!(body.lines().count(), 2);

    // Every download is audited with its filters and row count.
    assert_eq!(
        n(&app, "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'report.downloaded' AND subject_id = 'first-destination' AND details LIKE '%\"rows\":2%'").await,
        1
    );
    assert_eq!(n(&app, "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'report.downloaded'").await, 2);

    // Bad filters: 400 with the reason.
    let r = c
        .get(format!("{}/reports/first-destination.csv?class=twenty&group_by=dean", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let text = r.text().await.unwrap();
    assert!(
        text.contains("twenty") && text.contains("is not a year") && text.contains("is not college or major"),
        "{text}"
    );

    // Students, faculty and recruiters are refused, and nothing is audited for them.
    let student_b = app.signed_in(&idp, "student").await;
    let faculty = app.signed_in(&idp, "faculty").await;
    let recruiter = a_recruiter(&app, &idp).await;
    for (who, b) in [("student", &student_b), ("faculty", &faculty), ("recruiter", &recruiter)] {
        let r = b.get(format!("{}/reports/first-destination.csv?class=2026", app.address)).send().await.unwrap();
        assert_eq!(r.status(), 403, "{who}");
    }
    assert_eq!(n(&app, "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'report.downloaded'").await, 2);
    // An admin may download it too.
    let admin = app.signed_in(&idp, "admin").await;
    let r = admin.get(format!("{}/reports/first-destination.csv?class=2026", app.address)).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.bytes().await.unwrap(), expected.as_bytes());
}
