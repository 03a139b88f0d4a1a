//! The `/reports` page in a real browser (demo data, signed in as a counselor): as
//! opened, with filters applied, and with bad filters shown back — each passes axe-core
//! and fits a phone; the filters typed make the download links.

use diesel::RunQueryDsl;

use super::harness::Chromium;
use crate::helpers::{spawn_app_with, TestDb};

#[tokio::test]
async fn the_reports_page_passes_axe_and_fits_a_phone() {
    let app = spawn_app_with(TestDb::new(), &[("WAYPOINT_DEMO", "true")]).await;
    #[derive(diesel::QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Text)]
        v: String,
    }
    let counselor = app
        .with_db(|c| {
            let rows: Vec<Row> = diesel::sql_query(
                "SELECT u.id AS v FROM users u JOIN user_roles r ON r.user_id = u.id WHERE r.role = 'counselor' ORDER BY u.display_name",
            )
            .load(c)
            .unwrap();
            rows.into_iter().next().expect("the demo data has a counselor").v
        })
        .await;
    let b = Chromium::start(&app.address).await;
    b.goto("/auth/login?return_to=/reports").await;
    b.wait_for_text("Career counselors").await;
    b.click(&format!("form:has(input[name='person'][value='user:{counselor}']) button")).await;
    b.wait_for_text("Sign out").await;

    let mut problems = Vec::new();
    problems.extend(b.visit_with("/reports", "reports", true).await);
    problems.extend(b.visit("/reports?cohort=2026&group_by=major&college=Engineering", "reports-filtered").await);
    let links = b.hrefs("a[href^='/reports/']").await;
    assert!(
        links
            .iter()
            .any(|l| l.ends_with("/reports/first-destination.csv?cohort=2026&group_by=major&college=Engineering")),
        "{links:?}"
    );
    problems.extend(b.visit("/reports?cohort=soon&from=2026-02-30", "reports-refused").await);
    assert!(b.source().await.contains("Cohort (class year): `soon` is not a year"), "the problem is told by its label");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
