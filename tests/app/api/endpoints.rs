//! Each endpoint: the roster and outcomes batches (all or nothing, the CSV imports'
//! checks, problems per item), employers, the catalogue with its filters, outcomes read
//! back, the first-destination report (the same figures as the CSV, and its very bytes),
//! fair sessions with their counts, and ETags.

use serde_json::json;

use super::{get, n, post, token, ALL_SCOPES};
use crate::fixtures::{employer, posting, session, sql, student, Posting};
use crate::helpers::spawn_app_at;
use crate::idp::spawn_with_idp_at;

fn roster_item(number: &str, email: &str, major: &str) -> serde_json::Value {
    json!({ "student_number": number, "email": email, "name": format!("Student {number}"), "college": "Engineering",
            "major": major, "class_year": 2026, "graduation_term": "2026-05" })
}

#[tokio::test]
async fn a_roster_batch_is_written_whole_or_not_at_all() {
    let app = spawn_app_at("2026-11-30", "09:00", &[]).await;
    let sis = token(&app, &["roster:write"], "30").await;
    let good = json!({ "students": [roster_item("N1", "n1@northfield.edu", "Physics"), roster_item("N2", "n2@northfield.edu", "History")] });
    let r = post(&app, &sis, "/api/v1/students", &good).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json, json!({ "created": 2, "updated": 0, "unchanged": 0 }));
    let again = post(&app, &sis, "/api/v1/students", &good).await;
    assert_eq!(again.json, json!({ "created": 0, "updated": 0, "unchanged": 2 }), "sending it again changes nothing");

    // One bad item: nothing is written, every problem named with its item's index.
    let mut bad_email = roster_item("N4", "not-an-address", "Physics");
    bad_email["class_year"] = json!(1800);
    let batch = json!({ "students": [
        roster_item("N1", "n1@northfield.edu", "Chemistry"),
        roster_item("N3", "n3@northfield.edu", "Physics"),
        bad_email,
        roster_item("N3", "n3b@northfield.edu", "Physics"),
        { "student_number": "N5", "email": "n2@northfield.edu", "name": "Taken", "college": "Engineering",
          "major": "Physics", "class_year": 2026, "graduation_term": "2026-05" },
    ] });
    let r = post(&app, &sis, "/api/v1/students", &batch).await;
    r.assert_problem(422);
    let invalid = r.invalid();
    for expected in [(Some(2), "email"), (Some(2), "class_year"), (Some(3), "student_number")] {
        assert!(invalid.contains(&(expected.0, expected.1.to_owned())), "{expected:?} in {}", r.text);
    }
    assert_eq!(n(&app, "SELECT COUNT(*) AS n FROM students").await, 2, "nothing written");
    assert_eq!(n(&app, "SELECT COUNT(*) AS n FROM students WHERE major = 'Chemistry'").await, 0);
    // An email that belongs to another student is a problem of its item too.
    let taken = json!({ "students": [roster_item("N5", "n2@northfield.edu", "Physics")] });
    let r = post(&app, &sis, "/api/v1/students", &taken).await;
    r.assert_problem(422);
    assert_eq!(r.invalid(), [(Some(0), "email".to_owned())], "{}", r.text);
    assert_eq!(n(&app, "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'roster.imported' AND actor_label = 'API token “Test system”'").await, 2);
}

#[tokio::test]
async fn outcomes_are_written_in_batches_and_read_back_by_date() {
    let app = spawn_app_at("2026-11-30", "09:00", &[]).await;
    student(&app, "N301", "n301@northfield.edu", "Engineering", "Physics", 2026).await;
    student(&app, "N302", "n302@northfield.edu", "Engineering", "Physics", 2026).await;
    let writer = token(&app, &["outcomes:write"], "30").await;
    let reader = token(&app, &["outcomes:read"], "30").await;
    let bad = json!({ "outcomes": [
        { "student_number": "N301", "category": "employed_full_time", "source": "survey", "known_on": "2026-08-01" },
        { "student_number": "N999", "category": "hired", "source": "survey", "known_on": "2026-08-01", "annual_salary": "lots" },
    ] });
    let r = post(&app, &writer, "/api/v1/outcomes", &bad).await;
    r.assert_problem(422);
    let invalid = r.invalid();
    for field in ["student_number", "category", "annual_salary"] {
        assert!(invalid.contains(&(Some(1), field.to_owned())), "{field} of item 1 in {}", r.text);
    }
    assert_eq!(n(&app, "SELECT COUNT(*) AS n FROM outcomes").await, 0);
    let good = json!({ "outcomes": [
        { "student_number": "N301", "category": "employed_full_time", "source": "survey", "known_on": "2026-08-01",
          "employment_type": "standard", "organization": "Acme", "job_title": "Analyst", "annual_salary": "52,000.50",
          "currency": "USD", "primary": true },
        { "student_number": "N302", "category": "continuing_education", "source": "counselor", "known_on": "2026-10-15" },
    ] });
    let r = post(&app, &writer, "/api/v1/outcomes", &good).await;
    assert_eq!(r.json, json!({ "created": 2, "updated": 0, "unchanged": 0 }), "{}", r.text);
    assert_eq!(post(&app, &writer, "/api/v1/outcomes", &good).await.json["unchanged"], 2);
    let all = get(&app, Some(&reader), "/api/v1/outcomes").await;
    assert_eq!(all.json["items"].as_array().unwrap().len(), 2, "{}", all.text);
    let october = get(&app, Some(&reader), "/api/v1/outcomes?known_from=2026-10-01&known_until=2026-10-31").await;
    let items = october.json["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{}", october.text);
    assert_eq!(
        (items[0]["student_number"].as_str(), items[0]["category"].as_str()),
        (Some("N302"), Some("continuing_education"))
    );
    let acme = &all.json["items"].as_array().unwrap().iter().find(|o| o["student_number"] == "N301").unwrap().clone();
    assert_eq!((acme["annual_salary_cents"].as_i64(), acme["primary"].as_bool()), (Some(5_200_050), Some(true)));
    get(&app, Some(&reader), "/api/v1/outcomes?known_from=last-month").await.assert_problem(422);
}

#[tokio::test]
async fn employers_opportunities_and_fair_sessions_are_listed_with_their_figures() {
    let app = spawn_app_at("2026-11-30", "09:00", &[]).await;
    let t = token(&app, &ALL_SCOPES, "30").await;
    let acme = employer(&app, "Acme Analytics", "Software", Some("acme.com"), "active").await;
    let paused = employer(&app, "Paused Co", "Retail", Some("paused.com"), "paused").await;
    posting(&app, &acme, Posting { title: "Churn study", skills: "python,sql", hours: 20, ..Posting::default() }).await;
    posting(&app, &acme, Posting { title: "Price scan", remote: false, ..Posting::default() }).await;
    posting(&app, &paused, Posting { title: "Hidden", ..Posting::default() }).await;
    posting(&app, &acme, Posting { title: "Draft", status: "draft", ..Posting::default() }).await;

    let e = get(&app, Some(&t), "/api/v1/employers").await;
    assert_eq!(e.status, 200, "{}", e.text);
    let names: Vec<(&str, &str)> = e.json["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| (x["name"].as_str().unwrap(), x["partnership_status"].as_str().unwrap()))
        .collect();
    assert_eq!(names.len(), 2);
    assert!(names.contains(&("Acme Analytics", "active")) && names.contains(&("Paused Co", "paused")));
    assert!(e.json["next_cursor"].is_null());

    let o = get(&app, Some(&t), "/api/v1/opportunities").await;
    let titles: Vec<&str> = o.json["items"].as_array().unwrap().iter().map(|x| x["title"].as_str().unwrap()).collect();
    assert_eq!(titles.len(), 2, "open postings of active partners only: {titles:?}");
    let python = get(&app, Some(&t), "/api/v1/opportunities?skills=Python&hours_min=15").await;
    let items = python.json["items"].as_array().unwrap();
    assert_eq!((items.len(), items[0]["title"].as_str()), (1, Some("Churn study")), "{}", python.text);
    assert_eq!(items[0]["skills"], json!(["python", "sql"]));
    let onsite = get(&app, Some(&t), "/api/v1/opportunities?remote=onsite&q=price").await;
    assert_eq!(onsite.json["items"][0]["title"], "Price scan", "{}", onsite.text);
    let bad = get(&app, Some(&t), "/api/v1/opportunities?hours_min=99&remote=sometimes").await;
    bad.assert_problem(422);
    assert_eq!(bad.invalid(), [(None, "hours_min".to_owned()), (None, "remote".to_owned())]);

    // A session with two seats taken, one waiting and one cancelled.
    let s = session(&app, &acme).await;
    for (i, status) in ["registered", "registered", "waitlisted", "cancelled"].iter().enumerate() {
        let st = student(&app, &format!("N{i}"), &format!("n{i}@northfield.edu"), "Engineering", "Physics", 2027).await;
        let position = if *status == "waitlisted" { "1" } else { "NULL" };
        sql(&app, format!("INSERT INTO registrations (id, session_id, student_id, status, waitlist_position, created_at, updated_at) VALUES ('r{i}', '{s}', '{st}', '{status}', {position}, '2026-11-01 09:00:00', '2026-11-01 09:00:00')")).await;
    }
    let f = get(&app, Some(&t), "/api/v1/fairs/sessions").await;
    let item = &f.json["items"][0];
    assert_eq!(
        (item["id"].as_str(), item["registered"].as_i64(), item["waitlisted"].as_i64()),
        (Some(s.as_str()), Some(2), Some(1)),
        "{}",
        f.text
    );
    assert_eq!(
        (item["employer_name"].as_str(), item["starts_at"].as_str()),
        (Some("Acme Analytics"), Some("2099-02-01T15:00:00Z"))
    );

    // Reads carry an ETag; the same one back is 304 until the data change.
    let etag = e.header("etag").to_owned();
    assert!(etag.starts_with('"'), "{etag}");
    let again = reqwest::Client::new()
        .get(format!("{}/api/v1/employers", app.address))
        .header("Authorization", format!("Bearer {t}"))
        .header("If-None-Match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    assert_eq!(again.headers()["etag"].to_str().unwrap(), etag);
    employer(&app, "New Partner", "Health", Some("new.org"), "prospect").await;
    let changed = reqwest::Client::new()
        .get(format!("{}/api/v1/employers", app.address))
        .header("Authorization", format!("Bearer {t}"))
        .header("If-None-Match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), 200, "a new employer changes the page");
}

#[tokio::test]
async fn the_report_has_the_csv_figures_and_with_accept_csv_its_very_bytes() {
    let (app, idp) = spawn_with_idp_at("2026-11-30", "12:00").await;
    for (i, (college, category)) in [
        ("Engineering", Some("employed_full_time")),
        ("Engineering", Some("seeking_employment")),
        ("Engineering", None),
        ("Business", Some("continuing_education")),
    ]
    .iter()
    .enumerate()
    {
        student(&app, &format!("N{i}"), &format!("n{i}@northfield.edu"), college, "Physics", 2026).await;
        if let Some(c) = category {
            let writer = token(&app, &["outcomes:write"], "1").await;
            let batch = json!({ "outcomes": [{ "student_number": format!("N{i}"), "category": c, "source": "survey", "known_on": "2026-08-01" }] });
            assert_eq!(post(&app, &writer, "/api/v1/outcomes", &batch).await.status, 200);
        }
    }
    let warehouse = token(&app, &["reports:read"], "30").await;
    let report = get(&app, Some(&warehouse), "/api/v1/reports/first-destination?class=2026").await;
    assert_eq!(report.status, 200, "{}", report.text);
    let counselor = app.signed_in(&idp, "counselor").await;
    let csv = counselor
        .get(format!("{}/reports/first-destination.csv?class=2026", app.address))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    // The same figures: every CSV row, cell for cell, under its column.
    let mut lines = csv.trim_start_matches('\u{feff}').lines();
    let columns: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(report.json["columns"], json!(columns));
    let rows = report.json["rows"].as_array().unwrap();
    let csv_rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), csv_rows.len());
    assert_eq!(rows.len(), 2, "Business and Engineering: {}", report.text);
    for (row, cells) in rows.iter().zip(&csv_rows) {
        for (column, cell) in columns.iter().zip(cells) {
            assert_eq!(row[*column].as_str(), Some(*cell), "{column}");
        }
    }
    let engineering = rows.iter().find(|r| r["group"] == "Engineering").unwrap();
    assert_eq!((engineering["graduates"].as_str(), engineering["known"].as_str()), (Some("3"), Some("2")));
    // `class` is the older name of the portal's `cohort` filter: the answer states it as cohort.
    assert_eq!(report.json["filters"], json!({ "cohort": "2026", "group_by": "college" }));
    // With Accept: text/csv, the CSV's very bytes.
    let bytes = reqwest::Client::new()
        .get(format!("{}/api/v1/reports/first-destination?class=2026", app.address))
        .header("Authorization", format!("Bearer {warehouse}"))
        .header("Accept", "text/csv")
        .send()
        .await
        .unwrap();
    assert_eq!(bytes.headers()["content-type"], "text/csv; charset=utf-8");
    assert_eq!(bytes.text().await.unwrap(), csv);
    let bad = get(&app, Some(&warehouse), "/api/v1/reports/first-destination?class=twenty&group_by=dean").await;
    bad.assert_problem(422);
    assert_eq!(bad.invalid(), [(None, "class".to_owned()), (None, "group_by".to_owned())]);
    // Every report of the portal is served, with the portal's filters and their checks.
    for name in ["placements", "conversions", "micro-internships", "endorsements"] {
        let r = get(&app, Some(&warehouse), &format!("/api/v1/reports/{name}?from=2026-01-01")).await;
        assert_eq!(r.status, 200, "{name}: {}", r.text);
        let portal = counselor
            .get(format!("{}/reports/{name}.csv?from=2026-01-01", app.address))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let header = portal.trim_start_matches('\u{feff}').lines().next().unwrap().to_owned();
        assert_eq!(r.json["columns"], json!(header.split(',').collect::<Vec<_>>()), "{name}");
    }
    let refused = get(&app, Some(&warehouse), "/api/v1/reports/endorsements?employer=Kestrel").await;
    refused.assert_problem(422);
    assert_eq!(refused.invalid(), [(None, "employer".to_owned())], "a filter the report does not take");
    let missing = get(&app, Some(&warehouse), "/api/v1/reports/no-such-report").await;
    missing.assert_problem(404);
}
