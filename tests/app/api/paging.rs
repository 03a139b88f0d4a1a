//! Cursor pages while rows are inserted: every row there at the start is seen exactly
//! once, none twice, whatever is added between (and during) the pages.

use std::collections::HashSet;

use serde_json::{json, Value};

use super::{get, post, token};
use crate::fixtures::{employer, student};
use crate::helpers::{spawn_app, spawn_app_at};

#[tokio::test]
async fn pages_neither_skip_nor_repeat_rows_while_rows_are_inserted() {
    let app = spawn_app().await;
    let t = token(&app, &["catalogue:read"], "30").await;
    let mut before = HashSet::new();
    for i in 0..40 {
        before.insert(employer(&app, &format!("Employer {i:02}"), "Software", None, "active").await);
    }
    // A writer adds employers all the while the pages are read (random ids: some sort
    // before the cursor, some after).
    let pool = app.pool.clone();
    let writer = tokio::task::spawn_blocking(move || {
        use diesel::RunQueryDsl;
        let mut c = pool.get().unwrap();
        for i in 0..60 {
            let id = uuid::Uuid::new_v4();
            diesel::sql_query(format!(
                "INSERT INTO employers (id, name, industry, location, description, created_at, updated_at) \
                 VALUES ('{id}', 'Late {i:02}', 'Retail', 'Boston, MA', 'x', '2026-11-01 09:00:00', '2026-11-01 09:00:00')"
            ))
            .execute(&mut *c)
            .unwrap();
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
    });
    let mut seen: Vec<String> = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let path = match &cursor {
            None => "/api/v1/employers?limit=7".to_owned(),
            Some(c) => format!("/api/v1/employers?limit=7&cursor={c}"),
        };
        let page = get(&app, Some(&t), &path).await;
        assert_eq!(page.status, 200, "{}", page.text);
        let items = page.json["items"].as_array().unwrap();
        assert!(items.len() <= 7);
        seen.extend(items.iter().map(|e| e["id"].as_str().unwrap().to_owned()));
        pages += 1;
        match page.json["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
        // And a few more between pages, for certain.
        employer(&app, &format!("Between {pages}"), "Retail", None, "prospect").await;
    }
    writer.await.unwrap();
    let unique: HashSet<&String> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len(), "no row twice");
    for id in &before {
        assert!(unique.contains(id), "every row there at the start is seen");
    }
    assert!(pages >= 6, "{pages} pages");
}

/// The data warehouse's job: last month's placements page by page with a `reports:read`
/// token, while the office records more; the SIS's `roster:write` token cannot, and the
/// warehouse's token cannot push a roster.
#[tokio::test]
async fn a_warehouse_pulls_last_month_s_placements_page_by_page_and_cannot_push_a_roster() {
    let app = spawn_app_at("2026-11-30", "09:00", &[]).await;
    for (n, college) in [("N401", "Engineering"), ("N402", "Business"), ("N403", "Engineering"), ("N405", "Arts")] {
        student(&app, n, &format!("{}@northfield.edu", n.to_lowercase()), college, "Physics", 2026).await;
    }
    let writer = token(&app, &["outcomes:write"], "30").await;
    let warehouse = token(&app, &["reports:read"], "30").await;
    let sis = token(&app, &["roster:write"], "30").await;
    let placed = |n: &str, known: &str| {
        json!({ "student_number": n, "category": "employed_full_time", "source": "counselor", "known_on": known,
                "organization": "=HYPERLINK(\"x\")", "job_title": "Analyst" })
    };
    let batch = json!({ "outcomes": [
        placed("N401", "2026-10-02"), placed("N402", "2026-10-09"), placed("N403", "2026-10-30"),
        placed("N405", "2026-11-02"),
    ] });
    assert_eq!(post(&app, &writer, "/api/v1/outcomes", &batch).await.json["created"], 4);
    let month = "/api/v1/reports/placements?from=2026-10-01&to=2026-10-31";
    let whole = get(&app, Some(&warehouse), month).await;
    assert_eq!(whole.status, 200, "{}", whole.text);
    assert_eq!(whole.json["next_cursor"], Value::Null, "the whole report in one answer");
    let expected: Vec<Value> = whole.json["rows"].as_array().unwrap().clone();
    assert_eq!(expected.len(), 3, "October's three: {}", whole.text);
    assert_eq!(expected[0]["organization"], "'=HYPERLINK(\"x\")", "cells as the CSV writes them");

    // Page by page, two at a time; a placement recorded between the pages, sorting before
    // the cursor, neither shifts nor repeats any row of the pages.
    let first = get(&app, Some(&warehouse), &format!("{month}&limit=2")).await;
    assert_eq!(first.status, 200, "{}", first.text);
    let mut pulled: Vec<Value> = first.json["rows"].as_array().unwrap().clone();
    assert_eq!(pulled.len(), 2);
    let cursor = first.json["next_cursor"].as_str().expect("more to come").to_owned();
    student(&app, "N400", "n400@northfield.edu", "Engineering", "Physics", 2026).await;
    let late = json!({ "outcomes": [placed("N400", "2026-10-15")] });
    assert_eq!(post(&app, &writer, "/api/v1/outcomes", &late).await.json["created"], 1);
    let second = get(&app, Some(&warehouse), &format!("{month}&limit=2&cursor={cursor}")).await;
    assert_eq!(second.status, 200, "{}", second.text);
    pulled.extend(second.json["rows"].as_array().unwrap().iter().cloned());
    assert_eq!(second.json["next_cursor"], Value::Null, "the last page");
    assert_eq!(pulled, expected, "every October placement once, in the file's order");

    // A cursor that is not one, a limit out of range, and paging a report that comes whole.
    let bad = get(&app, Some(&warehouse), &format!("{month}&limit=0&cursor=nonsense")).await;
    bad.assert_problem(422);
    assert_eq!(bad.invalid(), [(None, "limit".to_owned()), (None, "cursor".to_owned())], "{}", bad.text);
    get(&app, Some(&warehouse), "/api/v1/reports/conversions?limit=2").await.assert_problem(422);

    // Neither token does the other's work.
    get(&app, Some(&sis), month).await.assert_problem(403);
    let roster = json!({ "students": [] });
    post(&app, &warehouse, "/api/v1/students", &roster).await.assert_problem(403);
}
