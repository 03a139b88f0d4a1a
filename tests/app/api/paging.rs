//! Cursor pages while rows are inserted: every row there at the start is seen exactly
//! once, none twice, whatever is added between (and during) the pages.

use std::collections::HashSet;

use super::{get, token};
use crate::fixtures::employer;
use crate::helpers::spawn_app;

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
