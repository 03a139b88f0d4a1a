//! The fair-attendance report through the registry: its header and a hand-built fair's
//! exact rows (the counts worked out by hand below), its filters (employer, campus dates)
//! and the ones it refuses (cohort, college), the `/reports` page's link; then the command
//! line and the JSON API giving the portal's bytes.

use super::{fetch, n, world, World};
use crate::fixtures::sql;
use crate::helpers::{stderr, stdout, TestApp, TestDb};
use crate::idp::{spawn_with_idp_and, spawn_with_idp_at};

const BOM: &str = "\u{feff}";
const HEADER: &str =
    "fair,employer,session,kind,starts_at,capacity,registered,waitlisted,attended,no_shows,attendance_rate\r\n";

/// The Autumn Fair (November 2026; the clock reads November 30). Times are UTC; campus is
/// New York (UTC−5).
/// - Acme's “Data careers” (group, 2 seats, Nov 10 15:00): N1 came, N2 did not, N3 waits.
/// - Acme's “Portfolio chat” (one-on-one, Nov 12 04:30 UTC = Nov 11 23:30 on campus): N4 came.
/// - Birch's “Empty booth” (group, 5 seats, Nov 10 17:00): ended, no one registered.
/// - Birch's “Store tour” (group, 10 seats, Dec 2): N1 registered, N2 cancelled; not yet held.
/// - Birch's “Cancelled talk”: cancelled, so not a row (N3 had registered and came).
pub async fn fair(app: &TestApp, w: &World) {
    let [s1, s2, s3, s4] = &w.students;
    sql(app, "INSERT INTO fairs (id, name, description, starts_at, ends_at, status, created_at, updated_at) VALUES ('fair-1', 'Autumn Fair', '', '2026-11-10 14:00:00', '2026-12-02 22:00:00', 'published', '2026-10-01 09:00:00', '2026-10-01 09:00:00')".into()).await;
    for (id, employer, kind, title, starts, ends, capacity, status) in [
        ("fs-1", &w.acme, "group", "Data careers", "2026-11-10 15:00:00", "2026-11-10 16:00:00", 2, "scheduled"),
        ("fs-2", &w.acme, "one_on_one", "Portfolio chat", "2026-11-12 04:30:00", "2026-11-12 04:50:00", 1, "scheduled"),
        ("fs-3", &w.birch, "group", "Empty booth", "2026-11-10 17:00:00", "2026-11-10 18:00:00", 5, "scheduled"),
        ("fs-4", &w.birch, "group", "Store tour", "2026-12-02 15:00:00", "2026-12-02 16:00:00", 10, "scheduled"),
        ("fs-5", &w.birch, "group", "Cancelled talk", "2026-11-10 15:00:00", "2026-11-10 16:00:00", 10, "cancelled"),
    ] {
        sql(
            app,
            format!(
                "INSERT INTO fair_sessions (id, fair_id, employer_id, kind, title, description, starts_at, ends_at, capacity, meeting_url, status, sequence, created_at, updated_at) \
                 VALUES ('{id}', 'fair-1', '{employer}', '{kind}', '{title}', '', '{starts}', '{ends}', {capacity}, 'https://meet.example.com/{id}', '{status}', 0, '2026-10-01 09:00:00', '2026-10-01 09:00:00')"
            ),
        )
        .await;
    }
    for (id, session, student, status, position, attended, cancelled) in [
        ("r-1", "fs-1", s1, "registered", "NULL", "'2026-11-10 15:02:00'", "NULL"),
        ("r-2", "fs-1", s2, "registered", "NULL", "NULL", "NULL"),
        ("r-3", "fs-1", s3, "waitlisted", "1", "NULL", "NULL"),
        ("r-4", "fs-2", s4, "registered", "NULL", "'2026-11-12 04:31:00'", "NULL"),
        ("r-5", "fs-4", s1, "registered", "NULL", "NULL", "NULL"),
        ("r-6", "fs-4", s2, "cancelled", "NULL", "NULL", "'2026-11-20 10:00:00'"),
        ("r-7", "fs-5", s3, "registered", "NULL", "'2026-11-10 15:01:00'", "NULL"),
    ] {
        sql(
            app,
            format!(
                "INSERT INTO registrations (id, session_id, student_id, status, waitlist_position, attended_at, cancelled_at, sequence, created_at, updated_at) \
                 VALUES ('{id}', '{session}', '{student}', '{status}', {position}, {attended}, {cancelled}, 0, '2026-11-01 09:00:00', '2026-11-01 09:00:00')"
            ),
        )
        .await;
    }
}

/// The hand-counted rows: by fair, employer, start.
pub const ROWS: [&str; 4] = [
    "Autumn Fair,Acme Labs,Data careers,group,2026-11-10T15:00:00Z,2,2,1,1,1,0.5000\r\n",
    "Autumn Fair,Acme Labs,Portfolio chat,one_on_one,2026-11-12T04:30:00Z,1,1,0,1,0,1.0000\r\n",
    "Autumn Fair,Birch & Co,Empty booth,group,2026-11-10T17:00:00Z,5,0,0,0,0,\r\n",
    "Autumn Fair,Birch & Co,Store tour,group,2026-12-02T15:00:00Z,10,1,0,0,0,\r\n",
];

fn file(rows: &[usize]) -> String {
    format!("{BOM}{HEADER}{}", rows.iter().map(|i| ROWS[*i]).collect::<String>())
}

#[tokio::test]
async fn the_fair_attendance_report_has_the_hand_counted_rows_and_its_filters() {
    let (app, idp) = spawn_with_idp_at("2026-11-30", "12:00").await;
    let w = world(&app).await;
    fair(&app, &w).await;
    let c = app.signed_in(&idp, "counselor").await;

    let (status, disposition, body) = fetch(&app, &c, "/reports/fair-attendance.csv").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(disposition, "attachment; filename=\"fair-attendance_2026-11-30.csv\"");
    assert_eq!(body, file(&[0, 1, 2, 3]));

    // One employer (by name, case aside); campus dates: the 23:30 chat is on November 11.
    let (_, disposition, body) = fetch(&app, &c, "/reports/fair-attendance.csv?employer=birch%20%26%20co").await;
    assert_eq!(disposition, "attachment; filename=\"fair-attendance_employer-birch-co_2026-11-30.csv\"");
    assert_eq!(body, file(&[2, 3]));
    let (_, _, body) = fetch(&app, &c, "/reports/fair-attendance.csv?from=2026-11-11&to=2026-11-11").await;
    assert_eq!(body, file(&[1]));
    let (_, _, body) = fetch(&app, &c, "/reports/fair-attendance.csv?from=2026-11-12").await;
    assert_eq!(body, file(&[3]));
    let (_, _, body) = fetch(&app, &c, "/reports/fair-attendance.csv?employer=Acme%20Labs&to=2026-11-10").await;
    assert_eq!(body, file(&[0]));
    assert_eq!(n(&app, "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'report.downloaded' AND subject_id = 'fair-attendance'").await, 5);

    // Filters it does not take are refused, naming them; nothing more audited.
    for (path, expected) in [
        ("/reports/fair-attendance.csv?cohort=2026", "cohort: the fair-attendance report is not filtered by cohort"),
        ("/reports/fair-attendance.csv?college=Arts", "college: the fair-attendance report is not filtered by college"),
        ("/reports/fair-attendance.csv?employer=Nobody", "employer: no employer in the catalogue is named `Nobody`"),
    ] {
        let (status, _, body) = fetch(&app, &c, path).await;
        assert_eq!(status, 400, "{path}");
        assert!(
            body.contains(&expected.replace('`', "&#x60;")) || body.contains(expected),
            "{path}: {expected}\n{body}"
        );
    }
    assert_eq!(n(&app, "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'report.downloaded'").await, 5);

    // The reports page lists it; its link keeps only the filters it takes.
    let (_, _, page) = fetch(&app, &c, "/reports?cohort=2026&employer=Acme+Labs&from=2026-11-01").await;
    let page = page.replace("&#x3D;", "=");
    assert!(page.contains("id=\"report-fair-attendance\"") && page.contains("<h3>Fair attendance</h3>"), "{page}");
    assert!(page.contains("href=\"/reports/fair-attendance.csv?employer=Acme+Labs&amp;from=2026-11-01\""), "{page}");
}

#[tokio::test]
async fn the_command_line_and_the_api_give_the_portal_s_fair_attendance_bytes() {
    let (app, idp) = spawn_with_idp_and(TestDb::new(), None, &[]).await;
    let w = world(&app).await;
    fair(&app, &w).await;
    let c = app.signed_in(&idp, "counselor").await;
    let out = app.waypoint(&["token", "create", "--name", "Warehouse", "--scopes", "reports:read", "--expires", "30"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let token = stdout(&out).trim().to_owned();
    for (query, args) in [
        ("", vec!["report", "fair-attendance"]),
        (
            "?employer=Acme%20Labs&from=2026-11-11",
            vec!["report", "fair-attendance", "--employer", "Acme Labs", "--from", "2026-11-11"],
        ),
    ] {
        let r = c.get(format!("{}/reports/fair-attendance.csv{query}", app.address)).send().await.unwrap();
        assert_eq!(r.status(), 200, "{query}");
        let portal = r.bytes().await.unwrap();
        assert!(portal.starts_with(format!("{BOM}{HEADER}").as_bytes()) && portal.len() > 3 + HEADER.len(), "{query}");
        let out = app.waypoint(&args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        assert_eq!(out.stdout, portal.to_vec(), "{args:?} gives the bytes of {query}");
        let api = reqwest::Client::new()
            .get(format!("{}/api/v1/reports/fair-attendance{query}", app.address))
            .bearer_auth(&token)
            .header("accept", "text/csv")
            .send()
            .await
            .unwrap();
        assert_eq!(api.status(), 200, "{query}");
        assert_eq!(api.bytes().await.unwrap(), portal, "the API's CSV for {query}");
    }
    let out = app.waypoint(&["report", "fair-attendance", "--cohort", "2026"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("--cohort: the fair-attendance report is not filtered by cohort"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        n(
            &app,
            "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'report.run' AND subject_id = 'fair-attendance'"
        )
        .await,
        2
    );
}
