//! The synthetic data set (`waypoint seed --synthetic`), small (N = 2,000 students), on
//! the backend under test: its counts are the plan's, it is the same for the same seed and
//! differs for another, every reference holds, every record is in a state its area's
//! rules allow, and the benchmark's handles keep their promises. No timing here: speed
//! is measured by scripts/bench.sh.

use std::collections::BTreeSet;

use diesel::sql_types::Text;
use diesel::RunQueryDsl;
use waypoint::core::Clock;
use waypoint::db::DbConnection;
use waypoint::synthetic::plan::Counts;
use waypoint::synthetic::{self, Report};

use crate::helpers::{backend, count, stdout, waypoint_cmd, Backend, TestDb};

const DAY: &str = "2026-11-30";

fn clock() -> Clock {
    Clock::fixed_at_campus(chrono_tz::America::New_York, DAY, "10:00")
}

fn generated(students: usize, seed: u64) -> (TestDb, DbConnection, Report) {
    let db = TestDb::new();
    let mut conn = db.connect();
    let report = synthetic::generate(&mut conn, &clock(), students, seed).expect("generate");
    (db, conn, report)
}

#[derive(diesel::QueryableByName)]
struct Line {
    #[diesel(sql_type = Text)]
    line: String,
}

fn lines(conn: &mut DbConnection, sql: &str) -> Vec<String> {
    let rows: Vec<Line> = diesel::sql_query(sql).load(conn).unwrap_or_else(|e| panic!("{sql}: {e}"));
    rows.into_iter().map(|l| l.line).collect()
}

fn columns(conn: &mut DbConnection, table: &str) -> Vec<String> {
    let sql = match backend() {
        Backend::Sqlite => format!("SELECT name AS line FROM pragma_table_info('{table}') ORDER BY cid"),
        Backend::Postgres => format!(
            "SELECT column_name::text AS line FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name = '{table}' ORDER BY ordinal_position"
        ),
    };
    lines(conn, &sql)
}

/// Every row of `table`, every column, as text, in id order. Except the one password
/// hash (the benchmark recruiter's): it has a fresh salt, as every password hash should.
fn dump(conn: &mut DbConnection, table: &str) -> Vec<String> {
    let cols: Vec<String> = columns(conn, table)
        .iter()
        .filter(|c| *c != "password_hash")
        .map(|c| format!("COALESCE(CAST({c} AS TEXT), '-')"))
        .collect();
    lines(conn, &format!("SELECT {} AS line FROM {table} ORDER BY id", cols.join(" || '|' || ")))
}

/// The tables whose rows (ids included) the generator decides.
const TABLES: &[&str] = &[
    "users",
    "user_roles",
    "faculty",
    "students",
    "employers",
    "partnerships",
    "partnership_events",
    "employer_vettings",
    "recruiters",
    "opportunities",
    "applications",
    "engagements",
    "endorsements",
    "endorsement_requests",
    "outcomes",
    "fairs",
    "fair_days",
    "fair_sessions",
    "registrations",
];

/// Whether a stored status is one of an area's.
type Parses = fn(&str) -> bool;

fn zero(conn: &mut DbConnection, what: &str, sql: &str) {
    assert_eq!(count(conn, sql), 0, "{what}: {sql}");
}

fn statuses(conn: &mut DbConnection, table: &str, column: &str) -> Vec<String> {
    lines(conn, &format!("SELECT DISTINCT CAST({column} AS TEXT) AS line FROM {table} WHERE {column} IS NOT NULL"))
}

#[test]
fn synthetic_data_is_in_proportion_consistent_and_keeps_the_benchmarks_promises() {
    let (_db, mut c, report) = generated(2_000, 1);
    let plan = Counts::for_students(2_000);
    let today = "'2026-11-30'";
    let now = "'2026-11-30 15:00:00'"; // 10 AM in New York, in UTC

    // Counts: exactly the plan's.
    for (table, expected) in [
        ("students", plan.students),
        ("faculty", plan.faculty),
        ("employers", plan.employers),
        ("recruiters", plan.recruiters),
        ("opportunities", plan.postings),
        ("applications", plan.applications),
        ("engagements", plan.engagements),
        ("endorsements", plan.endorsements),
        ("endorsement_requests", plan.endorsement_requests),
        ("fairs", plan.fairs),
        ("fair_sessions", plan.fair_sessions),
        ("registrations", plan.registrations),
        ("outcomes", plan.outcomes),
    ] {
        assert_eq!(count(&mut c, &format!("SELECT COUNT(*) AS n FROM {table}")), expected as i64, "{table}");
        assert_eq!(report.count(table), expected, "the report's {table}");
    }
    assert_eq!((plan.postings, plan.applications, plan.registrations), (800, 20_000, 6_000));
    let staff = plan.faculty + plan.counselors + plan.admins + plan.recruiters;
    assert_eq!(count(&mut c, "SELECT COUNT(*) AS n FROM users"), staff as i64, "students get accounts at sign-in");

    // Every reference holds (PostgreSQL enforces them as rows go in; SQLite checks here).
    if backend() == Backend::Sqlite {
        assert_eq!(lines(&mut c, "SELECT \"table\" AS line FROM pragma_foreign_key_check"), Vec::<String>::new());
    }
    // ... and the references the schema does not enforce agree with each other.
    zero(&mut c, "a project repeats its application's posting and student", "SELECT COUNT(*) AS n FROM engagements e JOIN applications a ON a.id = e.application_id WHERE a.opportunity_id <> e.opportunity_id OR a.student_id <> e.student_id");
    zero(&mut c, "a project names its posting's employer", "SELECT COUNT(*) AS n FROM engagements e JOIN opportunities o ON o.id = e.opportunity_id WHERE o.employer_id <> e.employer_id");
    zero(
        &mut c,
        "an outcome's organisation is its employer's name",
        "SELECT COUNT(*) AS n FROM outcomes o JOIN employers e ON e.id = o.employer_id WHERE o.organization <> e.name",
    );
    zero(&mut c, "a session's host works for its employer", "SELECT COUNT(*) AS n FROM fair_sessions s JOIN recruiters r ON r.id = s.host_id WHERE r.employer_id <> s.employer_id");
    zero(&mut c, "a fulfilled request names an endorsement of the same student and faculty member", "SELECT COUNT(*) AS n FROM endorsement_requests q LEFT JOIN endorsements e ON e.id = q.endorsement_id WHERE q.status = 'fulfilled' AND (e.id IS NULL OR e.student_id <> q.student_id OR e.faculty_id <> q.faculty_id)");
    zero(&mut c, "a posting's tags are its lists", "SELECT COUNT(*) AS n FROM opportunities o WHERE NOT EXISTS (SELECT 1 FROM opportunity_skills t WHERE t.opportunity_id = o.id)");

    // Every status is one the areas know.
    use waypoint::endorsements::rules::RequestStatus;
    use waypoint::fairs::rules::{FairStatus, RegistrationStatus, SessionStatus};
    use waypoint::opportunities::rules::{ApplicationStatus, EngagementStatus, PostingStatus};
    use waypoint::outcomes::rules::Category;
    use waypoint::partners::rules::PartnershipStatus;
    let known: [(&str, &str, Parses); 9] = [
        ("opportunities", "status", |s| PostingStatus::from_stored(s).is_some()),
        ("applications", "status", |s| ApplicationStatus::from_stored(s).is_some()),
        ("engagements", "status", |s| EngagementStatus::from_stored(s).is_some()),
        ("partnerships", "status", |s| PartnershipStatus::from_stored(s).is_some()),
        ("endorsement_requests", "status", |s| RequestStatus::from_stored(s).is_some()),
        ("fairs", "status", |s| FairStatus::from_stored(s).is_some()),
        ("fair_sessions", "status", |s| SessionStatus::from_stored(s).is_some()),
        ("registrations", "status", |s| RegistrationStatus::from_stored(s).is_some()),
        ("outcomes", "category", |s| Category::from_stored(s).is_some()),
    ];
    for (table, column, parses) in known {
        let found = statuses(&mut c, table, column);
        assert!(found.iter().all(|s| parses(s)), "{table}.{column}: {found:?}");
    }
    let postings: BTreeSet<String> = statuses(&mut c, "opportunities", "status").into_iter().collect();
    assert_eq!(postings.len(), 5, "every posting status appears: {postings:?}");
    assert!(statuses(&mut c, "engagements", "status").len() >= 4, "projects in several states");

    // Partnerships: an active partner was vetted; each history ends where its partnership is.
    zero(&mut c, "an active partner is vetted", "SELECT COUNT(*) AS n FROM partnerships p WHERE p.status = 'active' AND NOT EXISTS (SELECT 1 FROM employer_vettings v WHERE v.employer_id = p.employer_id AND v.domain_verified)");
    zero(&mut c, "a history ends in the partnership's status", "SELECT COUNT(*) AS n FROM partnerships p WHERE p.status <> (SELECT e.to_status FROM partnership_events e WHERE e.partnership_id = p.id ORDER BY e.at DESC LIMIT 1)");

    // Postings: open ones take applications until today or later, from an active partner,
    // and keep an opening; only open and closed postings have applicants.
    zero(&mut c, "an open posting is current", &format!("SELECT COUNT(*) AS n FROM opportunities o JOIN partnerships p ON p.employer_id = o.employer_id WHERE o.status = 'open' AND (o.apply_by < {today} OR p.status <> 'active' OR o.opened_at IS NULL)"));
    zero(&mut c, "not-yet-open postings are an active partner's", "SELECT COUNT(*) AS n FROM opportunities o JOIN partnerships p ON p.employer_id = o.employer_id WHERE o.status IN ('draft', 'pending_review') AND p.status <> 'active'");
    zero(&mut c, "selected applicants fit the openings", "SELECT COUNT(*) AS n FROM opportunities o WHERE (SELECT COUNT(*) FROM applications a WHERE a.opportunity_id = o.id AND a.status = 'accepted') > o.openings");
    zero(&mut c, "an open posting keeps an opening", "SELECT COUNT(*) AS n FROM opportunities o WHERE o.status = 'open' AND (SELECT COUNT(*) FROM applications a WHERE a.opportunity_id = o.id AND a.status = 'accepted') >= o.openings");
    zero(&mut c, "applicants only to open or closed postings", "SELECT COUNT(*) AS n FROM applications a JOIN opportunities o ON o.id = a.opportunity_id WHERE o.status NOT IN ('open', 'closed')");
    zero(&mut c, "applicants are eligible", "SELECT COUNT(*) AS n FROM applications a JOIN opportunities o ON o.id = a.opportunity_id JOIN students s ON s.id = a.student_id WHERE o.eligible_colleges <> '' AND o.eligible_colleges <> s.college");
    zero(&mut c, "current students apply", &format!("SELECT COUNT(*) AS n FROM applications a JOIN students s ON s.id = a.student_id WHERE s.class_year <= 2026 OR a.created_at > {now}"));

    // Projects: one for each accepted application and none other, each in a consistent state.
    assert_eq!(
        count(&mut c, "SELECT COUNT(*) AS n FROM applications WHERE status = 'accepted'"),
        plan.engagements as i64
    );
    zero(&mut c, "projects only of accepted applications", "SELECT COUNT(*) AS n FROM engagements e JOIN applications a ON a.id = e.application_id WHERE a.status <> 'accepted'");
    zero(&mut c, "active and cancelled projects delivered nothing", "SELECT COUNT(*) AS n FROM engagements WHERE status IN ('active', 'cancelled') AND (submitted_on IS NOT NULL OR deliverable_url IS NOT NULL OR completed_on IS NOT NULL)");
    zero(&mut c, "delivered projects have their deliverable", "SELECT COUNT(*) AS n FROM engagements WHERE status IN ('submitted', 'revision_requested', 'completed') AND (submitted_on IS NULL OR deliverable_url IS NULL OR submitted_on < started_on)");
    zero(&mut c, "only completed projects are rated and paid", "SELECT COUNT(*) AS n FROM engagements WHERE status <> 'completed' AND (rating IS NOT NULL OR completed_on IS NOT NULL OR paid_on IS NOT NULL)");
    zero(&mut c, "payments after completion, not after today", &format!("SELECT COUNT(*) AS n FROM engagements WHERE paid_on < completed_on OR completed_on < submitted_on OR paid_on > {today} OR due_on <= started_on"));
    zero(
        &mut c,
        "a cancelled project says why",
        "SELECT COUNT(*) AS n FROM engagements WHERE status = 'cancelled' AND cancel_reason IS NULL",
    );

    // Endorsement requests: a pending one is recent and the only one of its pair.
    zero(
        &mut c,
        "pending requests are under 30 days old",
        "SELECT COUNT(*) AS n FROM endorsement_requests WHERE status = 'pending' AND created_at < '2026-10-31'",
    );
    zero(
        &mut c,
        "answered requests were answered after asked",
        "SELECT COUNT(*) AS n FROM endorsement_requests WHERE responded_at < created_at",
    );

    // Fairs: no session over capacity; a waitlist only behind a full session, in order;
    // one-on-one slots keep no waitlist.
    zero(&mut c, "no session over capacity", "SELECT COUNT(*) AS n FROM fair_sessions s WHERE (SELECT COUNT(*) FROM registrations r WHERE r.session_id = s.id AND r.status = 'registered') > s.capacity");
    zero(&mut c, "a waitlist only behind a full session", "SELECT COUNT(*) AS n FROM fair_sessions s WHERE EXISTS (SELECT 1 FROM registrations r WHERE r.session_id = s.id AND r.status = 'waitlisted') AND (SELECT COUNT(*) FROM registrations r WHERE r.session_id = s.id AND r.status = 'registered') < s.capacity");
    zero(&mut c, "waitlist positions run 1..n", "SELECT COUNT(*) AS n FROM fair_sessions s WHERE (SELECT COALESCE(MAX(waitlist_position), 0) FROM registrations r WHERE r.session_id = s.id) <> (SELECT COUNT(*) FROM registrations r WHERE r.session_id = s.id AND r.status = 'waitlisted')");
    zero(&mut c, "one-on-one slots keep no waitlist", "SELECT COUNT(*) AS n FROM registrations r JOIN fair_sessions s ON s.id = r.session_id WHERE s.kind = 'one_on_one' AND r.status = 'waitlisted'");
    zero(&mut c, "a session falls inside one of its fair's days", "SELECT COUNT(*) AS n FROM fair_sessions s WHERE NOT EXISTS (SELECT 1 FROM fair_days d WHERE d.fair_id = s.fair_id AND d.starts_at <= s.starts_at AND s.ends_at <= d.ends_at)");
    zero(&mut c, "only past sessions were attended", &format!("SELECT COUNT(*) AS n FROM registrations r JOIN fair_sessions s ON s.id = r.session_id WHERE r.attended_at IS NOT NULL AND (s.starts_at > {now} OR r.status <> 'registered')"));
    zero(
        &mut c,
        "upcoming fairs are published, past ones closed",
        &format!("SELECT COUNT(*) AS n FROM fairs WHERE (starts_at > {now}) <> (status = 'published')"),
    );

    // Outcomes: graduates only, known by the end of their class's window and by today,
    // one primary for each graduate who has any.
    zero(&mut c, "outcomes only of graduates", "SELECT COUNT(*) AS n FROM outcomes o JOIN students s ON s.id = o.student_id WHERE s.graduation_term > '2026-11' OR s.class_year > 2026");
    zero(&mut c, "known within the class's window", &format!("SELECT COUNT(*) AS n FROM outcomes o JOIN students s ON s.id = o.student_id WHERE o.known_on > {today} OR CAST(o.known_on AS TEXT) > CAST(s.class_year AS TEXT) || '-12-31'"));
    zero(&mut c, "one primary outcome for each graduate with outcomes", "SELECT COUNT(*) AS n FROM (SELECT student_id FROM outcomes GROUP BY student_id HAVING SUM(CASE WHEN is_primary THEN 1 ELSE 0 END) <> 1) x");
    zero(&mut c, "employed graduates name their employer", "SELECT COUNT(*) AS n FROM outcomes WHERE category IN ('employed_full_time', 'employed_part_time') AND (employer_id IS NULL OR job_title IS NULL)");

    // Nothing happened after now.
    for (table, column) in [
        ("applications", "created_at"),
        ("applications", "decided_at"),
        ("engagements", "updated_at"),
        ("endorsements", "created_at"),
        ("registrations", "created_at"),
        ("outcomes", "created_at"),
        ("opportunities", "opened_at"),
    ] {
        zero(&mut c, "nothing after now", &format!("SELECT COUNT(*) AS n FROM {table} WHERE {column} > {now}"));
    }

    // The benchmark's handles.
    let h = &report.handles;
    let quote = |s: &str| format!("'{}'", s.replace('\'', "''"));
    assert_eq!(
        count(
            &mut c,
            &format!(
                "SELECT COUNT(*) AS n FROM applications a JOIN students s ON s.id = a.student_id WHERE s.email = {}",
                quote(&h.student_email)
            )
        ),
        50,
        "the student has exactly 50 applications"
    );
    let posting = quote(&h.posting_id);
    assert_eq!(count(&mut c, &format!("SELECT COUNT(*) AS n FROM opportunities WHERE id = {posting} AND status = 'open' AND apply_by >= {today}")), 1);
    assert!(
        count(&mut c, &format!("SELECT COUNT(*) AS n FROM applications WHERE opportunity_id = {posting}"))
            >= 2_000 / 50
    );
    assert_eq!(
        count(&mut c, &format!("SELECT COUNT(*) AS n FROM users u JOIN recruiters r ON r.user_id = u.id JOIN opportunities o ON o.employer_id = r.employer_id WHERE u.email = {} AND o.id = {posting}", quote(&h.recruiter_email))),
        1,
        "the recruiter works for the posting's employer"
    );
    let hashes = lines(&mut c, "SELECT password_hash AS line FROM users WHERE password_hash IS NOT NULL");
    assert_eq!(hashes.len(), 1, "only the benchmark's recruiter has a password");
    let hash = argon2::PasswordHash::new(&hashes[0]).expect("a PHC string");
    use argon2::PasswordVerifier;
    assert!(argon2::Argon2::default().verify_password(synthetic::BENCH_PASSWORD.as_bytes(), &hash).is_ok());
    for (email, role) in [(&h.counselor_email, "counselor"), (&h.admin_email, "admin")] {
        assert_eq!(
            count(&mut c, &format!("SELECT COUNT(*) AS n FROM users u JOIN user_roles r ON r.user_id = u.id WHERE u.email = {} AND r.role = '{role}'", quote(email))),
            1,
            "{role}"
        );
    }
    let fair = quote(&h.fair_id);
    assert_eq!(
        count(
            &mut c,
            &format!(
                "SELECT COUNT(*) AS n FROM fairs WHERE id = {fair} AND status = 'published' AND starts_at > {now}"
            )
        ),
        1
    );
    assert!(
        count(&mut c, &format!("SELECT COUNT(*) AS n FROM fair_sessions s WHERE s.fair_id = {fair} AND s.status = 'scheduled' AND s.kind = 'group' AND (SELECT COUNT(*) FROM registrations r WHERE r.session_id = s.id AND r.status = 'registered') < s.capacity")) >= 50,
        "50 sessions of the fair have room"
    );
    zero(&mut c, "no current student is registered at the benchmark's fair", &format!("SELECT COUNT(*) AS n FROM registrations r JOIN fair_sessions s ON s.id = r.session_id JOIN students st ON st.id = r.student_id WHERE s.fair_id = {fair} AND st.graduation_term > '2026-11'"));
}

#[test]
fn synthetic_data_is_the_same_for_a_seed_and_differs_for_another() {
    let (_a, mut a, report_a) = generated(1_000, 7);
    let (_b, mut b, report_b) = generated(1_000, 7);
    let (_d, mut d, _) = generated(1_000, 8);
    assert_eq!(report_a.handles, report_b.handles);
    for table in TABLES {
        let (x, y) = (dump(&mut a, table), dump(&mut b, table));
        assert!(!x.is_empty(), "{table} has rows");
        assert!(x == y, "{table}: the same seed gives the same rows");
    }
    for table in ["students", "opportunities", "applications"] {
        assert_ne!(dump(&mut a, table), dump(&mut d, table), "{table}: another seed, other rows");
    }
    // Tag rows get their ids from the tag writer; their content is the same.
    let tags = "SELECT opportunity_id || '|' || skill AS line FROM opportunity_skills ORDER BY 1";
    assert_eq!(lines(&mut a, tags), lines(&mut b, tags));
}

#[test]
fn seed_synthetic_fills_an_empty_database_once_and_refuses_a_small_or_used_one() {
    let db = TestDb::new();
    let small = waypoint_cmd(&db.url, &["seed", "--synthetic", "--students", "10"], &[]);
    assert!(!small.status.success());
    assert!(String::from_utf8_lossy(&small.stderr).contains("at least 1000"), "{small:?}");

    let out = waypoint_cmd(&db.url, &["seed", "--synthetic", "--students", "1000", "--seed", "3"], &[]);
    assert!(out.status.success(), "{out:?}");
    let text = stdout(&out);
    let handles: Vec<&str> = text.lines().filter(|l| l.starts_with("bench-handle ")).collect();
    let keys: Vec<&str> =
        handles.iter().map(|l| l["bench-handle ".len()..].split('=').next().unwrap_or_default()).collect();
    assert_eq!(
        keys,
        [
            "student_email",
            "posting_id",
            "recruiter_email",
            "recruiter_password",
            "counselor_email",
            "admin_email",
            "fair_id"
        ]
    );
    assert!(handles.iter().all(|l| l.split_once('=').is_some_and(|(_, v)| !v.is_empty())), "{handles:?}");
    assert!(text.contains("applications") && text.contains("10000"), "per-table counts: {text}");

    let again = waypoint_cmd(&db.url, &["seed", "--synthetic", "--students", "1000"], &[]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("not empty"), "{again:?}");
}
