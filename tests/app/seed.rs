//! Demo data: loads on both backends, is idempotent, and reads like a real office's.

use crate::helpers::{count, spawn_app_with, stderr, stdout, waypoint_cmd, TestDb};

#[test]
fn seed_loads_once_and_a_second_run_changes_nothing() {
    let db = TestDb::new();
    let first = waypoint_cmd(&db.url, &["seed"], &[]);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(!stdout(&first).contains(" 0 rows added"), "{}", stdout(&first));
    let mut conn = db.connect();
    let total = |conn: &mut _| {
        [
            "users",
            "students",
            "employers",
            "opportunities",
            "opportunity_skills",
            "opportunity_majors",
            "applications",
            "engagements",
            "outcomes",
            "registrations",
        ]
        .iter()
        .map(|t| count(conn, &format!("SELECT COUNT(*) AS n FROM {t}")))
        .collect::<Vec<_>>()
    };
    let before = total(&mut conn);
    // The catalogue's tags are derived for every posting with skills (and the listed majors).
    assert_eq!(
        count(
            &mut conn,
            "SELECT COUNT(*) AS n FROM opportunities o WHERE o.skills <> '' \
             AND NOT EXISTS (SELECT 1 FROM opportunity_skills s WHERE s.opportunity_id = o.id)"
        ),
        0
    );
    assert!(count(&mut conn, "SELECT COUNT(*) AS n FROM opportunity_majors") > 0);
    let second = waypoint_cmd(&db.url, &["seed"], &[]);
    assert!(second.status.success(), "{}", stderr(&second));
    assert!(stdout(&second).contains("demo data: 0 rows added"), "{}", stdout(&second));
    assert_eq!(total(&mut conn), before);
}

#[test]
fn demo_data_is_varied_and_consistent() {
    let db = TestDb::new();
    let out = waypoint_cmd(&db.url, &["seed"], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mut c = db.connect();
    let n = |c: &mut _, sql: &str| count(c, sql);

    assert!(n(&mut c, "SELECT COUNT(*) AS n FROM students") >= 300);
    assert_eq!(
        n(&mut c, "SELECT COUNT(*) AS n FROM users WHERE password_hash IS NOT NULL"),
        0,
        "the demo password is set by serve --demo only"
    );
    assert_eq!(n(&mut c, "SELECT COUNT(DISTINCT college) AS n FROM students"), 4);
    assert!(n(&mut c, "SELECT COUNT(DISTINCT major) AS n FROM students") >= 20);
    assert_eq!(n(&mut c, "SELECT COUNT(DISTINCT class_year) AS n FROM students"), 3);
    assert_eq!(n(&mut c, "SELECT COUNT(*) AS n FROM faculty"), 40);
    assert_eq!(n(&mut c, "SELECT COUNT(*) AS n FROM employers"), 30);
    for tier in ["strategic", "gold", "silver", "standard"] {
        assert!(n(&mut c, &format!("SELECT COUNT(*) AS n FROM partnerships WHERE tier = '{tier}'")) > 0, "tier {tier}");
    }
    for status in ["prospect", "active", "paused", "ended"] {
        assert!(
            n(&mut c, &format!("SELECT COUNT(*) AS n FROM partnerships WHERE status = '{status}'")) > 0,
            "partnership {status}"
        );
    }
    assert!(n(&mut c, "SELECT COUNT(*) AS n FROM opportunities") >= 80);
    for status in ["draft", "pending_review", "open", "closed", "cancelled"] {
        assert!(
            n(&mut c, &format!("SELECT COUNT(*) AS n FROM opportunities WHERE status = '{status}'")) > 0,
            "posting {status}"
        );
    }
    // Only employers with an active partnership have live postings.
    assert_eq!(
        n(&mut c, "SELECT COUNT(*) AS n FROM opportunities o WHERE o.status IN ('draft', 'pending_review', 'open') \
                   AND NOT EXISTS (SELECT 1 FROM partnerships p WHERE p.employer_id = o.employer_id AND p.status = 'active')"),
        0
    );
    // Fees respect the default floor of $20/hour.
    assert_eq!(n(&mut c, "SELECT COUNT(*) AS n FROM opportunities WHERE fee_cents < 2000 * hours"), 0);
    // Accepted applications never exceed openings; each has exactly one engagement.
    assert_eq!(
        n(
            &mut c,
            "SELECT COUNT(*) AS n FROM opportunities o WHERE (SELECT COUNT(*) FROM applications a \
                   WHERE a.opportunity_id = o.id AND a.status = 'accepted') > o.openings"
        ),
        0
    );
    assert_eq!(
        n(&mut c, "SELECT COUNT(*) AS n FROM applications a WHERE a.status = 'accepted'"),
        n(&mut c, "SELECT COUNT(*) AS n FROM engagements")
    );
    assert!(n(&mut c, "SELECT COUNT(*) AS n FROM engagements WHERE status = 'completed'") > 0);
    assert!(n(&mut c, "SELECT COUNT(*) AS n FROM engagements WHERE paid_on IS NOT NULL") > 0);
    assert!(n(&mut c, "SELECT COUNT(*) AS n FROM offers") > 0);
    assert!(
        n(&mut c, "SELECT COUNT(*) AS n FROM outcomes WHERE source = 'conversion' AND engagement_id IS NOT NULL") > 0
    );
    // Shared endorsements are the applicant's own.
    assert_eq!(
        n(
            &mut c,
            "SELECT COUNT(*) AS n FROM application_endorsements ae JOIN applications a ON a.id = ae.application_id \
                   JOIN endorsements e ON e.id = ae.endorsement_id WHERE e.student_id <> a.student_id"
        ),
        0
    );
    assert!(n(&mut c, "SELECT COUNT(*) AS n FROM endorsements") > 0);
    assert_eq!(n(&mut c, "SELECT COUNT(*) AS n FROM fairs"), 2);
    assert!(n(&mut c, "SELECT COUNT(*) AS n FROM fair_sessions WHERE kind = 'group'") > 0);
    assert!(n(&mut c, "SELECT COUNT(*) AS n FROM fair_sessions WHERE kind = 'one_on_one'") > 0);
    assert!(n(&mut c, "SELECT COUNT(*) AS n FROM registrations WHERE attended_at IS NOT NULL") > 0);
    // Capacity is never exceeded.
    assert_eq!(
        n(
            &mut c,
            "SELECT COUNT(*) AS n FROM fair_sessions s WHERE (SELECT COUNT(*) FROM registrations r \
                   WHERE r.session_id = s.id AND r.status = 'registered') > s.capacity"
        ),
        0
    );
    for category in [
        "employed_full_time",
        "employed_part_time",
        "military",
        "volunteer_service",
        "continuing_education",
        "seeking_employment",
        "seeking_continuing_education",
        "not_seeking",
    ] {
        assert!(
            n(&mut c, &format!("SELECT COUNT(*) AS n FROM outcomes WHERE category = '{category}'")) > 0,
            "{category}"
        );
    }
    // Knowledge rate of each graduated cohort: known by December 31 of the class year.
    for year in [2025, 2026] {
        let graduates = n(&mut c, &format!("SELECT COUNT(*) AS n FROM students WHERE class_year = {year}"));
        let known = n(
            &mut c,
            &format!(
                "SELECT COUNT(DISTINCT s.id) AS n FROM students s JOIN outcomes o ON o.student_id = s.id \
                 WHERE s.class_year = {year} AND o.known_on <= '{year}-12-31'"
            ),
        );
        let rate = known as f64 / graduates as f64;
        assert!((0.65..=0.90).contains(&rate), "class of {year}: knowledge rate {rate:.3} ({known}/{graduates})");
    }
}

/// `serve --demo` on an empty database loads the demo data, and the home page shows it.
#[tokio::test]
async fn demo_mode_seeds_an_empty_database_and_the_home_page_shows_its_figures() {
    let app = spawn_app_with(TestDb::new(), &[("WAYPOINT_DEMO", "true")]).await;
    let html = app.home().await.text().await.unwrap();
    let students = app.with_db(|c| count(c, "SELECT COUNT(*) AS n FROM students")).await;
    let partners = app.with_db(|c| count(c, "SELECT COUNT(*) AS n FROM partnerships WHERE status = 'active'")).await;
    assert!(students >= 300);
    assert!(html.contains(&format!("data-figure=\"students\">{students}<")), "home shows {students} students");
    assert!(html.contains(&format!("data-figure=\"partner_employers\">{partners}<")));
    // The demo data is all there: seeding again adds nothing.
    let out = app.waypoint(&["seed"]);
    assert!(stdout(&out).contains("0 rows added"), "{}", stdout(&out));
}
