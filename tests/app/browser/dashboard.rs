//! The office dashboard in demo mode, in a real browser: an administrator sees both
//! graduated classes' knowledge and career outcomes rates (the first-destination report's
//! own rows), the funnel and conversion by employer; the page, a filtered view and a
//! refused filter pass axe-core at desktop and phone width without sideways scrolling.

use chrono::Datelike;
use diesel::RunQueryDsl;

use super::harness::Chromium;
use crate::helpers::{spawn_app_with, TestApp, TestDb};

async fn first(app: &TestApp, sql: &'static str) -> String {
    #[derive(diesel::QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Text)]
        v: String,
    }
    app.with_db(move |c| {
        let rows: Vec<Row> = diesel::sql_query(sql).load(c).unwrap_or_else(|e| panic!("{sql}: {e}"));
        rows.into_iter().next().map(|r| r.v).expect("a row")
    })
    .await
}

/// "0.6667" → "66.67%", as the dashboard shows the CSV's rates.
fn percent(cell: &str) -> String {
    if cell.is_empty() {
        return "no rate".into();
    }
    let n: u64 = cell.replace('.', "").parse().unwrap();
    format!("{}.{:02}%", n / 100, n % 100)
}

#[tokio::test]
async fn an_administrator_sees_both_graduated_classes_on_the_dashboard() {
    let app = spawn_app_with(TestDb::new(), &[("WAYPOINT_DEMO", "true")]).await;
    let b = Chromium::start(&app.address).await;
    let admin = first(
        &app,
        "SELECT u.id AS v FROM users u JOIN user_roles r ON r.user_id = u.id WHERE r.role = 'admin' ORDER BY u.display_name",
    )
    .await;
    b.goto("/auth/login?return_to=/office/dashboard").await;
    b.wait_for_text("Career counselors").await;
    b.click(&format!("form:has(input[name='person'][value='user:{admin}']) button")).await;
    b.wait_for_text("Sign out").await;
    assert_eq!(b.path().await, "/office/dashboard");

    let mut problems = b.visit_with("/office/dashboard", "office-dashboard", true).await;
    let html = b.source().await;
    // The two classes that have graduated in full by today (a class ends in June).
    let today = app.clock.today();
    let last = if today.month() >= 7 { today.year() } else { today.year() - 1 };
    for class in [last, last - 1] {
        assert!(html.contains(&format!("Class of {class}: knowledge and career outcomes rates")), "class of {class}");
        // Every college's row is the first-destination report's, and the demo's outcomes make rates.
        let rows = app
            .with_db(move |c| {
                let mut rows = Vec::new();
                let f = waypoint::reports::filters::Filters {
                    cohort: Some(class),
                    group_by: Some(waypoint::reports::filters::GroupBy::College),
                    ..Default::default()
                };
                waypoint::reports::first_destination::rows(c, &f, today, &mut |cells| {
                    rows.push(cells);
                    true
                })
                .unwrap();
                rows
            })
            .await;
        assert!(!rows.is_empty(), "the demo has graduates in the class of {class}");
        for r in rows {
            assert!(!r[4].is_empty() && r[3] != "0", "the demo knows outcomes in the class of {class}: {r:?}");
            let expected = format!(
                "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                r[1].replace('&', "&amp;"),
                r[2],
                r[3],
                percent(&r[4]),
                percent(&r[14])
            );
            assert!(html.contains(&expected), "{expected}");
        }
    }
    assert!(html.contains("The micro-internship funnel") && html.contains("Conversion rate by employer"));
    assert!(!html.contains("<desc id=\"funnel-desc\">The micro-internship funnel: No data"), "the demo has a funnel");
    assert!(!html.contains("<desc id=\"conversions-desc\">Conversion rate by employer: No data"), "and conversions");

    // A filtered view (the form in the browser), and a refused filter: told beside the field.
    b.click("#field-college option:nth-child(2)").await;
    b.click("form.filters button[type=submit]").await;
    b.wait_for_url("college=").await;
    problems.extend(b.check_both_here("office-dashboard-filtered").await);
    problems.extend(b.visit("/office/dashboard?cohort=twenty&from=2026-02-30", "office-dashboard-refused").await);
    let html = b.source().await;
    assert!(html.contains("Please correct the following") && html.contains("id=\"field-cohort-error\""));
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
