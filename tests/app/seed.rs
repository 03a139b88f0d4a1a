//! Demo data: loads on both backends, is idempotent, and reads like a real office's.

use chrono::{Datelike, NaiveDate};
use waypoint::core::Clock;
use waypoint::db::DbConnection;

use crate::helpers::{browser, count, spawn_app_at, spawn_app_with, stderr, stdout, waypoint_cmd, TestApp, TestDb};

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
    // Knowledge rate of each graduated cohort (the two oldest classes, whatever year the
    // data was moved to): known by December 31 of the class year.
    let oldest = n(&mut c, "SELECT CAST(MIN(class_year) AS BIGINT) AS n FROM students");
    for year in [oldest, oldest + 1] {
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

/// The demo data loaded as `waypoint seed` would load it at noon on campus day `date`.
fn seeded_on(date: &str) -> (DbConnection, Clock, TestDb) {
    let db = TestDb::new();
    let mut conn = db.connect();
    let clock = Clock::fixed_at_campus(chrono_tz::America::New_York, date, "12:00");
    waypoint::seed::load_demo_data(&mut conn, &clock).expect("the demo data loads");
    (conn, clock, db)
}

/// What must not change when the data moves: per graduated class (oldest first), its
/// graduates and those with an outcome known by December 31; the conversions.
#[derive(Debug, PartialEq, Eq)]
struct Figures {
    cohorts: Vec<(i64, i64)>,
    students_converted: i64,
    offers: i64,
}

fn figures(c: &mut DbConnection) -> Figures {
    let oldest = count(c, "SELECT CAST(MIN(class_year) AS BIGINT) AS n FROM students");
    let cohorts = (oldest..oldest + 2)
        .map(|year| {
            let graduates = count(c, &format!("SELECT COUNT(*) AS n FROM students WHERE class_year = {year}"));
            let known = count(
                c,
                &format!(
                    "SELECT COUNT(DISTINCT s.id) AS n FROM students s JOIN outcomes o ON o.student_id = s.id \
                     WHERE s.class_year = {year} AND o.known_on <= '{year}-12-31'"
                ),
            );
            (graduates, known)
        })
        .collect();
    Figures {
        cohorts,
        students_converted: count(
            c,
            "SELECT COUNT(DISTINCT f.student_id) AS n FROM offers f JOIN outcomes o ON o.id = f.outcome_id \
             WHERE o.source = 'conversion'",
        ),
        offers: count(c, "SELECT COUNT(*) AS n FROM offers"),
    }
}

/// Loaded years after its reference day, at two points of the academic year, the demo
/// data still has open postings, an upcoming fair, two graduated classes whose outcomes
/// were known inside their NACE windows (the same figures as on the reference day),
/// conversions that follow completed projects, and nothing dated after today that
/// describes the past.
#[test]
fn demo_data_moved_years_ahead_keeps_postings_open_fairs_ahead_and_cohorts_whole() {
    let reference = {
        let (mut c, _, _db) = seeded_on(&waypoint::seed::reference_day().unwrap().to_string());
        figures(&mut c)
    };
    assert_eq!(reference.cohorts.len(), 2);
    for date in ["2031-03-10", "2029-09-01"] {
        let (mut c, clock, _db) = seeded_on(date);
        let today = clock.today();
        let now = clock.now_utc();
        let n = |c: &mut DbConnection, sql: String| count(c, &sql);
        assert_eq!(figures(&mut c), reference, "{date}: the cohorts and conversions are those of the reference day");

        // Open postings to apply to, and a fair ahead (after the end of today on campus).
        let open = n(
            &mut c,
            format!("SELECT COUNT(*) AS n FROM opportunities WHERE status = 'open' AND apply_by > '{today}'"),
        );
        assert!(open >= 10, "{date}: {open} open postings");
        assert_eq!(
            n(
                &mut c,
                format!("SELECT COUNT(*) AS n FROM opportunities WHERE status = 'open' AND apply_by <= '{today}'")
            ),
            0,
            "{date}: an open posting past its date"
        );
        let tonight = clock.end_of_campus_day(today);
        assert_eq!(
            n(
                &mut c,
                format!("SELECT COUNT(*) AS n FROM fairs WHERE status = 'published' AND starts_at > '{tonight}'")
            ),
            1,
            "{date}: the upcoming fair"
        );

        // The two oldest classes have graduated: each term's month has begun on campus,
        // and every outcome was known by December 31 of the class year or is the handful
        // recorded later, none after today.
        let oldest = n(&mut c, "SELECT CAST(MIN(class_year) AS BIGINT) AS n FROM students".into());
        let month = format!("{:04}-{:02}", today.year(), today.month());
        for year in [oldest, oldest + 1] {
            assert_eq!(
                n(
                    &mut c,
                    format!(
                        "SELECT COUNT(*) AS n FROM students WHERE class_year = {year} AND graduation_term > '{month}'"
                    )
                ),
                0,
                "{date}: class of {year} not graduated"
            );
            assert!(
                NaiveDate::from_ymd_opt(year as i32, 12, 31).unwrap() < today,
                "{date}: class of {year}'s window closed"
            );
            assert_eq!(
                n(
                    &mut c,
                    format!(
                        "SELECT COUNT(*) AS n FROM outcomes o JOIN students s ON s.id = o.student_id \
                         WHERE s.class_year = {year} AND o.source = 'conversion' AND o.is_primary AND o.known_on > '{year}-12-31'"
                    )
                ),
                0,
                "{date}: a graduate's conversion outside the window"
            );
        }
        for (table, column) in [
            ("outcomes", "known_on"),
            ("outcomes", "accepted_on"),
            ("offers", "offer_on"),
            ("offers", "decided_on"),
            ("engagements", "started_on"),
            ("engagements", "submitted_on"),
            ("engagements", "completed_on"),
            ("engagements", "paid_on"),
            ("partnerships", "starts_on"),
        ] {
            assert_eq!(
                n(&mut c, format!("SELECT COUNT(*) AS n FROM {table} WHERE {column} > '{today}'")),
                0,
                "{date}: {table}.{column} after today"
            );
        }
        for table in ["applications", "engagements", "outcomes", "offers", "registrations", "notifications", "fairs"] {
            assert_eq!(
                n(
                    &mut c,
                    format!("SELECT COUNT(*) AS n FROM {table} WHERE created_at > '{now}' OR updated_at > '{now}'")
                ),
                0,
                "{date}: a {table} row made after now"
            );
        }
        assert_eq!(
            n(&mut c, format!("SELECT COUNT(*) AS n FROM registrations WHERE attended_at > '{now}'")),
            0,
            "{date}: attendance in the future"
        );

        // Conversions: an offer follows a completed project with the same employer.
        assert_eq!(
            n(
                &mut c,
                "SELECT COUNT(*) AS n FROM offers f JOIN engagements e ON e.id = f.engagement_id \
                 WHERE e.status <> 'completed' OR f.offer_on <= e.completed_on OR f.employer_id <> e.employer_id \
                 OR f.student_id <> e.student_id"
                    .into()
            ),
            0,
            "{date}: an offer before its project was completed"
        );
        assert_eq!(
            n(
                &mut c,
                "SELECT COUNT(*) AS n FROM offers f JOIN outcomes o ON o.id = f.outcome_id \
                 WHERE o.offer_on <> f.offer_on OR o.accepted_on <> f.decided_on OR o.engagement_id <> f.engagement_id"
                    .into()
            ),
            0,
            "{date}: a conversion outcome apart from its offer"
        );
    }
}

/// Signs in through the demo mode's built-in provider as the first person of `group`.
async fn demo_sign_in(app: &TestApp, group: &str) -> reqwest::Client {
    let b = browser();
    let authorize = app.start_sign_in(&b, "/account").await;
    let url = url::Url::parse(&authorize).unwrap();
    let mut form: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    let chooser = b.get(&authorize).send().await.unwrap().text().await.unwrap();
    let section = chooser.split(group).nth(1).unwrap_or_else(|| panic!("{group} on the chooser"));
    let person = section.split("name=\"person\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    form.push(("person".into(), person));
    form.push(("csrf_token".into(), crate::idp::csrf_token(&chooser).expect("the chooser carries a form token")));
    let r = b
        .post(format!("{}/dev-idp/authorize", app.address))
        .header("Origin", &app.address)
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let back = r.headers()["location"].to_str().unwrap().to_owned();
    let r = b.get(&back).send().await.unwrap();
    assert_eq!(r.status(), 303, "signed in: {}", r.text().await.unwrap_or_default());
    b
}

/// `serve --demo` years after the reference day: the home page counts open projects and
/// an upcoming fair, and a student's catalogue lists projects to apply to.
#[tokio::test]
async fn serve_demo_years_ahead_shows_open_postings_and_an_upcoming_fair() {
    let app = spawn_app_at("2031-03-10", "12:00", &[("WAYPOINT_DEMO", "true")]).await;
    let home = app.home().await.text().await.unwrap();
    let open = app.with_db(|c| count(c, "SELECT COUNT(*) AS n FROM opportunities WHERE status = 'open'")).await;
    assert!(open >= 10);
    assert!(home.contains(&format!("data-figure=\"open_opportunities\">{open}<")), "{home}");
    assert!(home.contains("data-figure=\"upcoming_fairs\">1<"), "{home}");

    let student = demo_sign_in(&app, "Students").await;
    let catalogue = student.get(format!("{}/opportunities", app.address)).send().await.unwrap().text().await.unwrap();
    let dates: Vec<NaiveDate> = catalogue
        .split("apply by <time datetime=\"")
        .skip(1)
        .map(|rest| NaiveDate::parse_from_str(&rest[..10], "%Y-%m-%d").unwrap())
        .collect();
    assert!(!dates.is_empty(), "{catalogue}");
    assert!(dates.iter().all(|d| *d > app.clock.today()), "{dates:?}");
}
