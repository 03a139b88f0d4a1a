//! The demo's fairs have real days (a session lies inside one of them, never across the
//! night), and a demo recruiter joins the upcoming fair and adds a one-on-one series to
//! it, as issue 12's "done when" walks through.

use crate::helpers::{browser, count, spawn_app_at};
use crate::recruiters::recruiter_sign_in;

#[tokio::test]
async fn demo_fairs_have_days_and_a_demo_recruiter_adds_a_series_to_the_upcoming_fair() {
    // The reference day of the demo data: nothing is moved, so its dates are the files'.
    let app = spawn_app_at("2026-11-22", "12:00", &[("WAYPOINT_DEMO", "true")]).await;
    let n = |sql: &'static str| app.with_db(move |c| count(c, sql));
    assert_eq!(n("SELECT COUNT(*) AS n FROM fair_days").await, 3, "two days, then one");
    assert_eq!(
        n("SELECT COUNT(*) AS n FROM fair_sessions s WHERE NOT EXISTS (SELECT 1 FROM fair_days d \
           WHERE d.fair_id = s.fair_id AND d.starts_at <= s.starts_at AND s.ends_at <= d.ends_at)")
        .await,
        0,
        "every session inside one day of its fair"
    );
    #[derive(diesel::QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Text)]
        id: String,
    }
    let fair = app
        .with_db(|c| {
            use diesel::RunQueryDsl;
            diesel::sql_query("SELECT id FROM fairs WHERE status = 'published'").load::<Row>(c).unwrap().remove(0).id
        })
        .await;

    // Kestrel Software (an active partner, not at this fair yet) joins and adds slots.
    let b = browser();
    let r = recruiter_sign_in(&app, &b, "jsingh@kestrel.dev", waypoint::auth::recruiters::DEMO_PASSWORD).await;
    assert_eq!(r.status(), 303);
    let r = app.post_form(&b, "/fairs", &format!("/fairs/{fair}/join"), &[]).await;
    assert_eq!(r.status(), 303);
    let series = |start: &'static str, end: &'static str| {
        [
            ("title", "1:1 with Kestrel's platform team"),
            ("date", "2027-02-17"),
            ("start", start),
            ("end", end),
            ("slot_minutes", "20"),
            ("gap_minutes", "0"),
            ("meeting_url", "https://meet.example.com/kestrel"),
        ]
    };
    // The fair's day is 9:00 to 17:00 on campus: an evening series is outside it.
    let r = app.post_form(&b, "/fairs", &format!("/fairs/{fair}/series"), &series("17:00", "18:00")).await;
    assert_eq!(r.status(), 422);
    let r = app.post_form(&b, "/fairs", &format!("/fairs/{fair}/series"), &series("10:00", "11:00")).await;
    assert_eq!(r.status(), 303);
    let to = r.headers()["location"].to_str().unwrap().to_owned();
    let page = b.get(format!("{}{to}", app.address)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("3 one-on-one slots added to Micro-Internship Showcase"), "{page}");
    assert!(page.contains("3 free slots"), "{page}");
}
