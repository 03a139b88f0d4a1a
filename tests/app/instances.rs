//! Several instances on one database, as behind a load balancer: two `waypoint serve`
//! processes (the built binary) on one PostgreSQL database — or one SQLite file — with one
//! public URL (the balancer's, where nothing listens here: the client sends each request
//! to one instance or the other itself), one form secret and one campus provider.
//!
//! - a campus sign-in started on one instance is finished on the other, and the session
//!   and its form token work on both; a recruiter's sign-in form served by one is
//!   accepted by the other (the shared form secret; an instance with another secret
//!   refuses it); signing out on one signs out on both;
//! - the periodic tasks run on both at once over due work (and, as instances whose leases
//!   lapsed would, from the test too), and each effect happens once: one closing per
//!   posting, one lapse per request, one reminder per person and session, one survey
//!   reminder per graduate, one mail per message at a real SMTP server;
//! - many students registering at once through both never overfill a session;
//! - two overlapping runs of the endorsement-request lapse tell each student once.
//!
//! The binary's clock is the real one (it has no test clock, and gets none for this):
//! the due work is made relative to now.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use chrono::NaiveDateTime;
use diesel::connection::SimpleConnection;
use diesel::RunQueryDsl;
use waypoint::core::Clock;
use waypoint::db::DbConnection;

use crate::helpers::{backend, browser, count, Backend, TestDb, TEST_FORM_SECRET};
use crate::idp::{accounts, csrf_token, urlencode, Idp, CLIENT_ID, CLIENT_SECRET};
use crate::mail::SmtpSink;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn ts(t: NaiveDateTime) -> String {
    format!("'{}'", t.format("%Y-%m-%d %H:%M:%S"))
}

fn now() -> NaiveDateTime {
    Clock::system(chrono_tz::America::New_York).now_utc()
}

/// Runs statements on the test's database (from the test, not through an instance).
fn exec(conn: &mut DbConnection, statements: &[String]) {
    for s in statements {
        diesel::sql_query(s).execute(conn).unwrap_or_else(|e| panic!("{s}: {e}"));
    }
}

/// One `waypoint serve` process.
struct Instance {
    address: String,
    child: Child,
    dir: tempfile::TempDir,
}

impl Instance {
    /// Its log so far (for a failure's message).
    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("stderr.log")).unwrap_or_default()
    }

    /// `url` (an address under the public URL, or a path) sent to this instance.
    fn at(&self, site: &Site, url: &str) -> String {
        match url.strip_prefix(&site.public) {
            Some(path) => format!("{}{path}", self.address),
            None if url.starts_with('/') => format!("{}{url}", self.address),
            None => panic!("{url} is not under the public URL {}", site.public),
        }
    }

    /// Waits until `/readyz` answers 200 (the instance migrated and reaches the database).
    async fn ready(&mut self) {
        let client = browser();
        for _ in 0..600 {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("the instance at {} stopped ({status}):\n{}", self.address, self.log());
            }
            if let Ok(r) = client.get(format!("{}/readyz", self.address)).send().await {
                if r.status() == 200 {
                    return;
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the instance at {} never became ready:\n{}", self.address, self.log());
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What the instances of one site share: database, public URL, form secret, provider.
struct Site {
    db: TestDb,
    public: String,
    env: Vec<(String, String)>,
}

impl Site {
    fn new(db: TestDb, public: String, idp: Option<&Idp>, extra: &[(&str, &str)]) -> Site {
        let mut env: Vec<(String, String)> = vec![
            ("WAYPOINT_PUBLIC_URL".into(), public.clone()),
            ("WAYPOINT_FORM_SECRET".into(), TEST_FORM_SECRET.into()),
            ("WAYPOINT_OIDC_CLIENT_ID".into(), CLIENT_ID.into()),
            ("WAYPOINT_OIDC_CLIENT_SECRET".into(), CLIENT_SECRET.into()),
            ("WAYPOINT_OIDC_SCOPES".into(), "openid email profile affiliation".into()),
        ];
        let issuer = idp.map(|i| i.issuer.clone()).unwrap_or_else(|| "http://127.0.0.1:9".into());
        env.push(("WAYPOINT_OIDC_ISSUER".into(), issuer));
        env.extend(extra.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())));
        Site { db, public, env }
    }

    /// Starts one more instance (not waiting for it: see [`Instance::ready`]).
    fn start(&self, extra: &[(&str, &str)]) -> Instance {
        let port = free_port();
        let dir = tempfile::tempdir().unwrap();
        let log = std::fs::File::create(dir.path().join("stderr.log")).unwrap();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_waypoint"));
        for (k, _) in std::env::vars() {
            if k.starts_with("WAYPOINT_") {
                cmd.env_remove(k);
            }
        }
        cmd.arg("serve")
            .current_dir(dir.path())
            .env("WAYPOINT_DATABASE_URL", &self.db.url)
            .env("WAYPOINT_BIND", format!("127.0.0.1:{port}"))
            .envs(self.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .envs(extra.iter().copied())
            .stdout(Stdio::null())
            .stderr(log);
        let child = cmd.spawn().expect("run waypoint serve");
        Instance { address: format!("http://127.0.0.1:{port}"), child, dir }
    }

    /// Two instances started at once. On PostgreSQL both migrate the empty database at
    /// the same moment (they take turns on an advisory lock); a SQLite file is migrated
    /// by the first before the second starts (SQLite serves one instance in production).
    async fn two(&self, extra: &[(&str, &str)]) -> (Instance, Instance) {
        let mut a = self.start(extra);
        if backend() == Backend::Sqlite {
            a.ready().await;
        }
        let mut b = self.start(extra);
        a.ready().await;
        b.ready().await;
        (a, b)
    }

    fn conn(&self) -> DbConnection {
        DbConnection::open(&self.db.database_url()).expect("open the test database")
    }
}

fn location(r: &reqwest::Response) -> String {
    r.headers().get("location").unwrap_or_else(|| panic!("{} has no Location", r.url())).to_str().unwrap().to_owned()
}

/// A campus sign-in as `login` started on `first` and finished (the provider's redirect
/// to the public callback) on `second`; returns the callback's answer.
async fn campus_sign_in(
    b: &reqwest::Client,
    site: &Site,
    idp: &Idp,
    first: &Instance,
    second: &Instance,
    login: &str,
) -> reqwest::Response {
    let r = b.get(format!("{}/auth/login?return_to={}", first.address, urlencode("/account"))).send().await.unwrap();
    assert_eq!(r.status(), 303, "the sign-in starts on the first instance");
    let authorize = location(&r);
    assert!(authorize.starts_with(&idp.issuer), "{authorize}");
    let r = b.get(&authorize).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let mut login_page = location(&r);
    if login_page.starts_with('/') {
        login_page = format!("{}{login_page}", idp.issuer);
    }
    assert_eq!(b.get(&login_page).send().await.unwrap().status(), 200, "the provider's login page");
    let r =
        b.post(&login_page).form(&[("prompt", "login"), ("login", login), ("password", "any")]).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let r = b.get(location(&r)).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let callback = location(&r);
    assert!(callback.starts_with(&format!("{}/auth/callback?", site.public)), "to the public callback: {callback}");
    b.get(second.at(site, &callback)).send().await.unwrap()
}

async fn page(b: &reqwest::Client, url: String) -> (u16, String) {
    let r = b.get(url).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

/// A recruiter with a password, of an employer with an active partnership.
fn recruiter(conn: &mut DbConnection, email: &str, password: &str) {
    let hash = waypoint::auth::recruiters::hash_password(password).unwrap();
    let at = ts(now());
    exec(
        conn,
        &[
            format!("INSERT INTO employers (id, name, industry, email_domain, created_at, updated_at) VALUES ('e-rec', 'Brightpath Analytics', 'Consulting', 'brightpath.com', {at}, {at})"),
            format!("INSERT INTO partnerships (id, employer_id, tier, status, created_at, updated_at) VALUES ('p-rec', 'e-rec', 'gold', 'active', {at}, {at})"),
            format!("INSERT INTO users (id, email, display_name, password_hash, created_at, updated_at) VALUES ('u-rec', '{email}', 'Rosa Diaz', '{hash}', {at}, {at})"),
            format!("INSERT INTO recruiters (id, user_id, employer_id, title, created_at, updated_at) VALUES ('r-rec', 'u-rec', 'e-rec', 'Campus Recruiter', {at}, {at})"),
        ],
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_and_its_forms_work_on_every_instance() {
    let public = format!("http://127.0.0.1:{}", free_port());
    let idp = Idp::start(&public, accounts(), "k1", None);
    let site = Site::new(TestDb::new(), public, Some(&idp), &[]);
    let (a, b) = site.two(&[]).await;

    // Campus sign-in: started on A, the provider's answer lands on B.
    let student = browser();
    let r = campus_sign_in(&student, &site, &idp, &a, &b, "student").await;
    assert_eq!(r.status(), 303, "B finishes A's sign-in: {}", r.text().await.unwrap_or_default());
    for instance in [&a, &b] {
        let (status, body) = page(&student, instance.at(&site, "/account")).await;
        assert_eq!(status, 200, "signed in on {}", instance.address);
        assert!(body.contains("ava.okafor@northfield.edu"), "{body}");
    }

    // The recruiter sign-in form served by A (its token made from the anonymous cookie
    // with the form secret) is posted to B.
    recruiter(&mut site.conn(), "rosa.diaz@brightpath.com", "a long enough passphrase");
    let rosa = browser();
    let form = |instance: &Instance| instance.at(&site, "/login/recruiter");
    let (_, html) = page(&rosa, form(&a)).await;
    let token = csrf_token(&html).expect("the sign-in form has a token");
    let sign_in = |to: String, token: String| {
        let rosa = rosa.clone();
        let origin = site.public.clone();
        async move {
            rosa.post(to)
                .header("Origin", origin)
                .form(&[
                    ("csrf_token", token.as_str()),
                    ("email", "rosa.diaz@brightpath.com"),
                    ("password", "a long enough passphrase"),
                    ("return_to", "/account"),
                ])
                .send()
                .await
                .unwrap()
        }
    };
    // An instance with another form secret is not of this site: it refuses A's form.
    let mut stranger = site.start(&[("WAYPOINT_FORM_SECRET", "another-site-form-secret-0123456789abcdefgh")]);
    stranger.ready().await;
    let refused = sign_in(form(&stranger), token.clone()).await;
    assert_eq!(refused.status(), 403, "a different form secret refuses the form");
    drop(stranger);
    let r = sign_in(form(&b), token).await;
    assert_eq!(r.status(), 303, "B accepts A's form: {}", r.text().await.unwrap_or_default());
    for instance in [&b, &a] {
        let (status, body) = page(&rosa, instance.at(&site, "/account")).await;
        assert_eq!(status, 200);
        assert!(body.contains("rosa.diaz@brightpath.com"), "{body}");
    }

    // The student's session form token, from a page of B, signs out through A: the
    // session is gone on both.
    let (_, html) = page(&student, b.at(&site, "/account")).await;
    let token = csrf_token(&html).expect("a signed-in page carries the session's form token");
    let r = student
        .post(a.at(&site, "/auth/logout"))
        .header("Origin", &site.public)
        .form(&[("csrf_token", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "A takes B's form token");
    for instance in [&a, &b] {
        let (status, _) = page(&student, instance.at(&site, "/account")).await;
        assert_eq!(status, 303, "signed out on {}", instance.address);
    }
    let (status, _) = page(&rosa, a.at(&site, "/account")).await;
    assert_eq!(status, 200, "the recruiter's own session is untouched");
}

/// The due work of every periodic task, relative to now (see the module's note).
struct Due {
    postings: usize,
    requests: usize,
    seats: usize,
    invitations: usize,
}

/// Students (with sign-ins) `s0..sN`, an employer with a recruiter, and due work: postings
/// past their apply-by date with an applicant each, requests older than 30 days, a
/// session starting in 30 minutes with seats taken, survey invitations a week old.
fn due_work(conn: &mut DbConnection) -> Due {
    let (now, yesterday) = (now(), Clock::system(chrono_tz::America::New_York).today() - chrono::Duration::days(2));
    let (at, old) = (ts(now), ts(now - chrono::Duration::days(40)));
    let mut sql = vec![
        format!("INSERT INTO employers (id, name, industry, email_domain, created_at, updated_at) VALUES ('e1', 'Harbor Freight Labs', 'Software', 'harbor.com', {at}, {at})"),
        format!("INSERT INTO partnerships (id, employer_id, tier, status, created_at, updated_at) VALUES ('p1', 'e1', 'gold', 'active', {at}, {at})"),
        format!("INSERT INTO users (id, email, display_name, created_at, updated_at) VALUES ('u-host', 'host@harbor.com', 'Hana Host', {at}, {at})"),
        format!("INSERT INTO recruiters (id, user_id, employer_id, title, created_at, updated_at) VALUES ('r-host', 'u-host', 'e1', 'Recruiter', {at}, {at})"),
        format!("INSERT INTO users (id, email, display_name, created_at, updated_at) VALUES ('u-fac', 'prof@northfield.edu', 'Prof Ines Garcia', {at}, {at})"),
        format!("INSERT INTO faculty (id, user_id, department, title, created_at, updated_at) VALUES ('f1', 'u-fac', 'Economics', 'Professor', {at}, {at})"),
        format!("INSERT INTO fairs (id, name, starts_at, ends_at, status, created_at, updated_at) VALUES ('fair1', 'Today''s Fair', {old}, {}, 'published', {at}, {at})", ts(now + chrono::Duration::days(2))),
        format!(
            "INSERT INTO fair_sessions (id, fair_id, employer_id, host_id, kind, title, starts_at, ends_at, capacity, meeting_url, created_at, updated_at) \
             VALUES ('fs1', 'fair1', 'e1', 'r-host', 'group', 'Meet the team', {}, {}, 30, 'https://meet.example.com/x', {at}, {at})",
            ts(now + chrono::Duration::minutes(30)),
            ts(now + chrono::Duration::minutes(75)),
        ),
    ];
    let due = Due { postings: 3, requests: 3, seats: 3, invitations: 2 };
    for i in 0..8 {
        sql.push(format!("INSERT INTO users (id, email, display_name, created_at, updated_at) VALUES ('u{i}', 's{i}@northfield.edu', 'Student {i}', {at}, {at})"));
        // The survey's graduates (the last two) have graduated; the others not.
        let class = if i >= 6 { 2025 } else { 2027 };
        sql.push(format!("INSERT INTO students (id, user_id, student_number, email, name, college, major, class_year, graduation_term, created_at, updated_at) VALUES ('s{i}', 'u{i}', 'N000{i}', 's{i}@northfield.edu', 'Student {i}', 'School of Business', 'Finance', {class}, '{class}-05', {at}, {at})"));
    }
    for p in 0..due.postings {
        sql.push(format!(
            "INSERT INTO opportunities (id, employer_id, title, description, category, skills, hours, fee_cents, currency, remote, apply_by, due_by, openings, eligible_colleges, eligible_majors, eligible_class_years, status, opened_at, created_at, updated_at) \
             VALUES ('o{p}', 'e1', 'Pricing scan {p}', 'Collect ten competitors'' list prices.', 'research', 'excel', 10, 40000, 'USD', TRUE, '{yesterday}', '{}', 1, '', '', '', 'open', {old}, {old}, {old})",
            yesterday + chrono::Duration::days(30)
        ));
        sql.push(format!("INSERT INTO applications (id, opportunity_id, student_id, statement, status, created_at, updated_at) VALUES ('a{p}', 'o{p}', 's{p}', 'I would like to.', 'submitted', {old}, {old})"));
    }
    for r in 0..due.requests {
        sql.push(format!("INSERT INTO endorsement_requests (id, student_id, faculty_id, message, status, created_at, updated_at) VALUES ('q{r}', 's{r}', 'f1', 'Would you endorse me?', 'pending', {old}, {old})"));
    }
    for s in 0..due.seats {
        sql.push(format!("INSERT INTO registrations (id, session_id, student_id, status, created_at, updated_at) VALUES ('g{s}', 'fs1', 's{}', 'registered', {at}, {at})", s + 3));
    }
    for v in 0..due.invitations {
        let sent = ts(now - chrono::Duration::days(8));
        sql.push(format!("INSERT INTO survey_invitations (id, student_id, class_year, invited_at, last_sent_at, reminders, created_at, updated_at) VALUES ('v{v}', 's{}', 2025, {sent}, {sent}, 0, {sent}, {sent})", v + 6));
    }
    exec(conn, &sql);
    due
}

/// Every periodic task's work, run once by the test itself, as an instance whose lease
/// lapsed mid-run would (the mail goes through the instances only).
fn run_every_task(url: waypoint::config::DatabaseUrl) {
    let mut conn = DbConnection::open(&url).unwrap();
    let clock = Clock::system(chrono_tz::America::New_York);
    waypoint::tasks::close_due_postings(&mut conn, &clock).unwrap();
    waypoint::tasks::expire_endorsement_requests(&mut conn, &clock).unwrap();
    waypoint::tasks::send_fair_reminders(&mut conn, &clock).unwrap();
    waypoint::outcomes::survey::remind_due(&mut conn, clock.now_utc(), None).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn periodic_tasks_on_two_instances_do_each_thing_once() {
    let smtp_port = free_port();
    let smtp = SmtpSink::start(smtp_port);
    let smtp_url = format!("smtp://127.0.0.1:{smtp_port}");
    let db = TestDb::new();
    let mut conn = db.connect();
    let due = due_work(&mut conn);
    let site = Site::new(db, format!("http://127.0.0.1:{}", free_port()), None, &[("WAYPOINT_SMTP_URL", &smtp_url)]);

    // Both instances start their task loops over the same due work, and meanwhile the
    // test runs every task from four threads of its own.
    let mut a = site.start(&[]);
    if backend() == Backend::Sqlite {
        a.ready().await;
    }
    let mut b = site.start(&[]);
    a.ready().await;
    b.ready().await;
    let runs: Vec<_> = (0..4)
        .map(|_| {
            let url = site.db.database_url();
            tokio::task::spawn_blocking(move || run_every_task(url))
        })
        .collect();
    for r in runs {
        r.await.expect("the test's own runs succeed");
    }

    let n = |conn: &mut DbConnection, sql: &str| count(conn, sql);
    // Applicants and the recruiter told of closings, lapses, reminders (seats and host), surveys.
    let expected_notices = 2 * due.postings + due.requests + due.seats + 1 + due.invitations;
    let mut settled = false;
    for _ in 0..1200 {
        let closed = n(&mut conn, "SELECT COUNT(*) AS n FROM opportunities WHERE status = 'closed'") as usize;
        let lapsed = n(&mut conn, "SELECT COUNT(*) AS n FROM endorsement_requests WHERE status = 'expired'") as usize;
        let reminded =
            n(&mut conn, "SELECT COUNT(*) AS n FROM fair_sessions WHERE reminded_1h_at IS NOT NULL") as usize;
        let surveyed = n(&mut conn, "SELECT COUNT(*) AS n FROM survey_invitations WHERE reminders > 0") as usize;
        let unsent = n(&mut conn, "SELECT COUNT(*) AS n FROM outbox WHERE sent_at IS NULL");
        let mails = n(&mut conn, "SELECT COUNT(*) AS n FROM outbox") as usize;
        if (closed, lapsed, reminded, surveyed) == (due.postings, due.requests, 1, due.invitations)
            && unsent == 0
            && mails >= expected_notices
        {
            settled = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(settled, "the work was done:\nA:\n{}\nB:\n{}", a.log(), b.log());
    // Both mail loops keep polling a while longer: nothing goes out twice meanwhile either.
    tokio::time::sleep(Duration::from_secs(2)).await;
    drop((a, b));

    let once = |kind: &str| {
        format!("SELECT COUNT(*) AS n FROM (SELECT user_id FROM notifications WHERE kind = '{kind}' GROUP BY user_id HAVING COUNT(*) > 1) twice")
    };
    let of_kind = |kind: &str| format!("SELECT COUNT(*) AS n FROM notifications WHERE kind = '{kind}'");
    assert_eq!(
        n(&mut conn, &of_kind("endorsement_request_expired")) as usize,
        due.requests,
        "one lapse notice per request"
    );
    assert_eq!(
        n(&mut conn, &of_kind("fair_session.reminder")) as usize,
        due.seats + 1,
        "one reminder per seat and the host"
    );
    for kind in ["endorsement_request_expired", "fair_session.reminder"] {
        assert_eq!(n(&mut conn, &once(kind)), 0, "nobody told twice ({kind})");
    }
    assert_eq!(
        n(
            &mut conn,
            "SELECT COUNT(*) AS n FROM notifications WHERE kind = 'posting_closed' AND user_id IN ('u0', 'u1', 'u2')"
        ),
        due.postings as i64,
        "each applicant is told once that the posting closed"
    );
    assert_eq!(
        n(&mut conn, "SELECT COUNT(*) AS n FROM notifications WHERE kind = 'posting_closed' AND user_id = 'u-host'"),
        due.postings as i64,
        "and the recruiter once per posting"
    );
    assert_eq!(
        n(&mut conn, "SELECT COUNT(*) AS n FROM survey_invitations WHERE reminders = 1"),
        due.invitations as i64,
        "one survey reminder per graduate"
    );
    assert_eq!(
        n(&mut conn, "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'posting.closed'"),
        due.postings as i64,
        "one closing per posting"
    );
    let outbox = n(&mut conn, "SELECT COUNT(*) AS n FROM outbox") as usize;
    assert_eq!(
        outbox,
        n(&mut conn, "SELECT COUNT(*) AS n FROM notifications") as usize,
        "one mail per message (every person here has a sign-in)"
    );
    let received = smtp.stop();
    let delivered = received.matches("---------- MESSAGE FOLLOWS ----------").count();
    assert_eq!(delivered, outbox, "one mail per message at the SMTP server:\n{received}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registrations_through_two_instances_never_exceed_capacity() {
    const STUDENTS: usize = 40;
    const SEATS: usize = 5;
    let site = Site::new(TestDb::new(), format!("http://127.0.0.1:{}", free_port()), None, &[]);
    let (a, b) = site.two(&[]).await;
    let mut conn = site.conn();
    let at = ts(now());
    let mut sql = vec![
        format!("INSERT INTO employers (id, name, industry, created_at, updated_at) VALUES ('e1', 'Harbor Freight Labs', 'Software', {at}, {at})"),
        format!("INSERT INTO partnerships (id, employer_id, tier, status, created_at, updated_at) VALUES ('p1', 'e1', 'gold', 'active', {at}, {at})"),
        format!("INSERT INTO fairs (id, name, starts_at, ends_at, status, created_at, updated_at) VALUES ('fair1', 'Spring Fair', '2099-02-01 00:00:00', '2099-02-28 23:00:00', 'published', {at}, {at})"),
        format!(
            "INSERT INTO fair_sessions (id, fair_id, employer_id, kind, title, starts_at, ends_at, capacity, meeting_url, created_at, updated_at) \
             VALUES ('fs1', 'fair1', 'e1', 'group', 'Meet the team', '2099-02-01 15:00:00', '2099-02-01 15:45:00', {SEATS}, 'https://meet.example.com/x', {at}, {at})"
        ),
    ];
    for i in 0..STUDENTS {
        sql.push(format!("INSERT INTO users (id, email, display_name, created_at, updated_at) VALUES ('u{i}', 's{i}@northfield.edu', 'Student {i}', {at}, {at})"));
        sql.push(format!("INSERT INTO user_roles (id, user_id, role, source, created_at, updated_at) VALUES ('ur{i}', 'u{i}', 'student', 'claim', {at}, {at})"));
        sql.push(format!("INSERT INTO students (id, user_id, student_number, email, name, college, major, class_year, graduation_term, created_at, updated_at) VALUES ('s{i}', 'u{i}', 'N{i:05}', 's{i}@northfield.edu', 'Student {i}', 'School of Business', 'Finance', 2027, '2027-05', {at}, {at})"));
    }
    exec(&mut conn, &sql);
    // Each student signed in (a session row, as a campus sign-in makes), and its form token.
    let signed_in: Vec<(String, String)> = (0..STUDENTS)
        .map(|i| {
            let user = waypoint::core::UserId::from(format!("u{i}").as_str());
            let secret = waypoint::auth::sessions::create(&mut conn, &user, None, None, now()).unwrap();
            let digest = waypoint::auth::tokens::digest(secret.expose());
            #[derive(diesel::QueryableByName)]
            struct Token {
                #[diesel(sql_type = diesel::sql_types::Text)]
                csrf_token: String,
            }
            let q = format!("SELECT csrf_token FROM sessions WHERE id = '{digest}'");
            let t: Token = diesel::sql_query(q).get_result(&mut conn).unwrap();
            (secret.expose().to_owned(), t.csrf_token)
        })
        .collect();

    // All at once, every other one through the other instance.
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let answers: Vec<_> = signed_in
        .into_iter()
        .enumerate()
        .map(|(i, (cookie, token))| {
            let to = [&a, &b][i % 2].at(&site, "/sessions/fs1/register");
            let (client, origin) = (client.clone(), site.public.clone());
            tokio::spawn(async move {
                let r = client
                    .post(to)
                    .header("Origin", origin)
                    .header("Cookie", format!("waypoint_session={cookie}"))
                    .form(&[("csrf_token", token.as_str())])
                    .send()
                    .await
                    .unwrap();
                r.status().as_u16()
            })
        })
        .collect();
    for answer in answers {
        assert_eq!(answer.await.unwrap(), 303, "each registration is answered (a seat or a waitlist place)");
    }
    let registered = count(&mut conn, "SELECT COUNT(*) AS n FROM registrations WHERE status = 'registered'");
    assert_eq!(registered as usize, SEATS, "never more seats than the capacity");
    let waiting = count(
        &mut conn,
        "SELECT COUNT(DISTINCT waitlist_position) AS n FROM registrations WHERE status = 'waitlisted' AND waitlist_position BETWEEN 1 AND 35",
    );
    assert_eq!(waiting as usize, STUDENTS - SEATS, "the rest wait at distinct places 1..35");
}

/// Two runs of the lapse that overlap (as when a run outlasts its lease): both read the
/// same pending requests before either writes. On PostgreSQL the test holds the rows'
/// locks until both runs wait on them; each student is told once. (On SQLite one writer
/// at a time: the second run's transaction starts again and finds nothing pending.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn overlapping_runs_of_the_lapse_tell_each_student_once() {
    let db = TestDb::new();
    let mut conn = db.connect();
    due_work(&mut conn);
    let mut holder = DbConnection::open(&db.database_url()).unwrap();
    if backend() == Backend::Postgres {
        holder.batch_execute("BEGIN; SELECT id FROM endorsement_requests FOR UPDATE").unwrap();
    }
    let runs: Vec<_> = (0..2)
        .map(|_| {
            let url = db.database_url();
            std::thread::spawn(move || {
                let mut c = DbConnection::open(&url).unwrap();
                waypoint::tasks::expire_endorsement_requests(&mut c, &Clock::system(chrono_tz::America::New_York))
                    .unwrap()
            })
        })
        .collect();
    if backend() == Backend::Postgres {
        let waiting = "SELECT COUNT(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'";
        let mut both = false;
        for _ in 0..600 {
            if count(&mut conn, waiting) == 2 {
                both = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert!(both, "both runs read the pending requests and wait on their rows");
        holder.batch_execute("COMMIT").unwrap();
    }
    let expired: usize = runs.into_iter().map(|r| r.join().unwrap()).sum();
    assert_eq!(expired, 3, "the two runs together expired each request once");
    let told = count(&mut conn, "SELECT COUNT(*) AS n FROM notifications WHERE kind = 'endorsement_request_expired'");
    assert_eq!(told, 3, "each student is told once");
}

/// Instances starting at once on an empty PostgreSQL database all migrate it: one applies
/// the migrations, the others wait and find nothing pending.
#[test]
fn instances_starting_at_once_on_an_empty_database_all_migrate() {
    if backend() != Backend::Postgres {
        eprintln!("skipped on SQLite: a SQLite file serves one instance (PostgreSQL is for several)");
        return;
    }
    let db = TestDb::new();
    let runs: Vec<_> = (0..4)
        .map(|_| {
            let url = db.url.clone();
            std::thread::spawn(move || crate::helpers::waypoint_cmd(&url, &["migrate"], &[]))
        })
        .collect();
    for out in runs.into_iter().map(|r| r.join().unwrap()) {
        assert!(out.status.success(), "{}", crate::helpers::stderr(&out));
    }
    let versions = std::fs::read_dir(crate::helpers::repo().join("migrations/postgres")).unwrap().count() as i64;
    let mut conn = db.connect();
    assert_eq!(count(&mut conn, "SELECT COUNT(*) AS n FROM __diesel_schema_migrations"), versions);
}

/// A mail server slow enough that a run's batch outlasts the claims (each message takes
/// 100 s of campus time to deliver, the claim is 120 s), and a second instance whose mail
/// lease lapsed runs while the first is still delivering: no message goes out twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_mail_server_gets_each_message_once_from_two_instances() {
    use std::io::{BufRead, BufReader, Write};
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{Arc, Mutex};
    use waypoint::notify::mail::{send_due, Outgoing};

    let db = TestDb::new();
    let mut conn = db.connect();
    let clock = Clock::fixed_at_campus(chrono_tz::America::New_York, "2027-02-16", "09:00");
    let at = ts(clock.now_utc());
    exec(&mut conn, &[format!("INSERT INTO users (id, email, display_name, created_at, updated_at) VALUES ('u1', 'ava@northfield.edu', 'Ava', {at}, {at})")]);
    for i in 0..3 {
        let m = waypoint::notify::Message {
            kind: "test",
            title: format!("Message {i}"),
            body: "Hello.".into(),
            link: None,
        };
        waypoint::notify::send(&mut conn, "u1", &m, clock.now_utc()).unwrap();
    }
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let outgoing = Outgoing {
        smtp_url: waypoint::core::Secret::new(format!("smtp://127.0.0.1:{}", listener.local_addr().unwrap().port())),
        from: "Waypoint <no-reply@northfield.edu>".parse().unwrap(),
        public_url: "http://127.0.0.1:8080/".parse().unwrap(),
    };
    let received: Arc<Mutex<Vec<String>>> = Arc::default();
    let second_ran = Arc::new(AtomicBool::new(false));
    {
        let (clock, received, second_ran, outgoing, url) =
            (clock.clone(), received.clone(), second_ran.clone(), outgoing.clone(), db.database_url());
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (clock, received, second_ran, outgoing, url) =
                    (clock.clone(), received.clone(), second_ran.clone(), outgoing.clone(), url.clone());
                std::thread::spawn(move || {
                    let mut out = stream.try_clone().unwrap();
                    let mut lines = BufReader::new(stream);
                    let _ = out.write_all(b"220 slow.example ESMTP\r\n");
                    let mut line = String::new();
                    while lines.read_line(&mut line).unwrap_or(0) > 0 {
                        let verb = line.trim().to_ascii_uppercase();
                        if verb == "DATA" {
                            let _ = out.write_all(b"354 go on\r\n");
                            let mut subject = String::new();
                            let mut l = String::new();
                            while lines.read_line(&mut l).unwrap_or(0) > 0 && l != ".\r\n" {
                                if let Some(s) = l.strip_prefix("Subject: ") {
                                    subject = s.trim().to_owned();
                                }
                                l.clear();
                            }
                            clock.advance(chrono::Duration::seconds(100));
                            let n = {
                                let mut r = received.lock().unwrap();
                                r.push(subject);
                                r.len()
                            };
                            // While the first instance's second message is on its way, the
                            // other instance (its lease lapsed) runs its mail task.
                            if n == 2 && !second_ran.swap(true, Ordering::SeqCst) {
                                let mut c = DbConnection::open(&url).unwrap();
                                send_due(&mut c, &clock, &outgoing).unwrap();
                            }
                            let _ = out.write_all(b"250 queued\r\n");
                        } else if verb == "QUIT" {
                            let _ = out.write_all(b"221 bye\r\n");
                            break;
                        } else {
                            let _ = out.write_all(b"250 ok\r\n");
                        }
                        line.clear();
                    }
                });
            }
        });
    }
    let first = {
        let (clock, outgoing) = (clock.clone(), outgoing.clone());
        tokio::task::spawn_blocking(move || send_due(&mut conn, &clock, &outgoing).unwrap()).await.unwrap()
    };
    assert!(second_ran.load(Ordering::SeqCst), "the second instance ran meanwhile");
    let mut subjects = received.lock().unwrap().clone();
    subjects.sort();
    assert_eq!(subjects, ["Message 0", "Message 1", "Message 2"], "each message delivered once");
    assert_eq!(first, 2, "the first instance sent two, the second the third");
    let mut conn = db.connect();
    assert_eq!(count(&mut conn, "SELECT COUNT(*) AS n FROM outbox WHERE sent_at IS NULL"), 0);
}
