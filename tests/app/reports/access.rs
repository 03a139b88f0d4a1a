//! Who may have the reports: counselors and admins; students, faculty and recruiters are
//! refused (403) the page and every file, and nothing is audited for them. The `/reports`
//! page lists every report with its download link carrying the filters it takes, keeps
//! the values typed, and names a bad filter by its label.

use super::{fetch, n};
use crate::idp::spawn_with_idp_at;
use crate::recruiters::a_recruiter;

#[tokio::test]
async fn only_the_office_has_the_reports_and_the_page_makes_the_links() {
    let (app, idp) = spawn_with_idp_at("2026-11-30", "12:00").await;
    crate::fixtures::employer(&app, "Acme Labs", "Software", Some("acme.com"), "active").await;
    let student = app.signed_in(&idp, "student").await;
    let faculty = app.signed_in(&idp, "faculty").await;
    let recruiter = a_recruiter(&app, &idp).await;
    let names =
        ["first-destination", "placements", "conversions", "micro-internships", "endorsements", "fair-attendance"];
    for (who, b) in [("student", &student), ("faculty", &faculty), ("recruiter", &recruiter)] {
        let (status, _, _) = fetch(&app, b, "/reports").await;
        assert_eq!(status, 403, "{who} /reports");
        for name in names {
            let (status, _, _) = fetch(&app, b, &format!("/reports/{name}.csv?cohort=2026")).await;
            assert_eq!(status, 403, "{who} {name}");
        }
        let (_, _, home) = fetch(&app, b, "/").await;
        assert!(!home.contains("href=\"/reports\""), "no Reports link for a {who}");
    }
    assert_eq!(n(&app, "SELECT COUNT(*) AS n FROM audit_events WHERE subject_type = 'report'").await, 0);

    for role in ["counselor", "admin"] {
        let b = app.signed_in(&idp, role).await;
        let (status, _, page) = fetch(&app, &b, "/reports").await;
        assert_eq!(status, 200, "{role}");
        assert!(page.contains("<a href=\"/reports\""), "the navigation links the reports for a {role}");
        for name in &names[1..] {
            assert!(page.contains(&format!("href=\"/reports/{name}.csv\"")), "{name} without filters\n{page}");
        }
        assert!(page.contains("Choose a cohort to download it."), "first destinations need a cohort");
    }

    // Filters typed on the page: each report's link carries those it takes; values kept.
    let c = app.signed_in(&idp, "counselor").await;
    let (status, _, page) = fetch(
        &app,
        &c,
        "/reports?cohort=2026&group_by=major&college=Arts+%26+Letters&employer=acme+labs&from=2026-01-01&to=",
    )
    .await;
    assert_eq!(status, 200, "{page}");
    // Handlebars writes `=` in an attribute as `&#x3D;`.
    let page = page.replace("&#x3D;", "=");
    for link in [
        "/reports/first-destination.csv?cohort=2026&amp;group_by=major&amp;college=Arts+%26+Letters",
        "/reports/placements.csv?cohort=2026&amp;college=Arts+%26+Letters&amp;employer=acme+labs&amp;from=2026-01-01",
        "/reports/endorsements.csv?cohort=2026&amp;college=Arts+%26+Letters&amp;from=2026-01-01\"",
    ] {
        assert!(page.contains(link), "{link}\n{page}");
    }
    assert!(page.contains("value=\"Arts &amp; Letters\"") && page.contains("value=\"acme labs\""), "values kept");
    for link in ["/reports/placements.csv?cohort=2026", "/reports/first-destination.csv?cohort=2026"] {
        let (status, _, _) = fetch(&app, &c, &link.replace("&amp;", "&")).await;
        assert_eq!(status, 200, "{link}");
    }

    // Bad filters: the form again (422) with each problem under its label; no links.
    let (status, _, page) = fetch(&app, &c, "/reports?cohort=soon&from=2026-02-30&employer=Nobody").await;
    assert_eq!(status, 422, "{page}");
    for field in ["cohort", "from", "employer"] {
        assert!(page.contains(&format!("href=\"#field-{field}\"")), "{field} in the summary\n{page}");
    }
    assert!(page.contains("Cohort (class year): &#x60;soon&#x60; is not a year"), "{page}");
    assert!(page.contains("value=\"soon\""), "the typed value is kept");
    assert!(!page.contains(".csv"), "no download links while the filters are wrong");
}
