//! Test harness: fresh databases per test, the app on port 0, one method per endpoint.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Output;

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};
use waypoint::config::{DatabaseUrl, Settings, Sources};
use waypoint::core::Clock;
use waypoint::db::{DbConnection, Pool};
use waypoint::startup::Application;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub fn backend() -> Backend {
    match std::env::var("WAYPOINT_TEST_BACKEND").as_deref() {
        Ok("postgres") => Backend::Postgres,
        Ok("sqlite") | Err(_) => Backend::Sqlite,
        Ok(other) => panic!("WAYPOINT_TEST_BACKEND={other}: expected sqlite or postgres"),
    }
}

/// A database made for one test and removed after it.
pub struct TestDb {
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    pg: Option<(String, String)>, // (admin url, database name)
}

impl TestDb {
    pub fn new() -> TestDb {
        match backend() {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}", dir.path().join("waypoint.db").display());
                TestDb { url, _dir: Some(dir), pg: None }
            }
            Backend::Postgres => {
                let admin = std::env::var("WAYPOINT_TEST_POSTGRES_URL").expect(
                    "WAYPOINT_TEST_BACKEND=postgres needs WAYPOINT_TEST_POSTGRES_URL (scripts/test.sh sets it)",
                );
                let name = format!("waypoint_test_{}", uuid::Uuid::new_v4().simple());
                let mut conn = PgConnection::establish(&admin).expect("connect to WAYPOINT_TEST_POSTGRES_URL");
                conn.batch_execute(&format!("CREATE DATABASE {name}")).expect("create test database");
                let mut url = url::Url::parse(&admin).expect("admin url");
                url.set_path(&format!("/{name}"));
                TestDb { url: url.to_string(), _dir: None, pg: Some((admin, name)) }
            }
        }
    }

    /// The same database for a second app instance (this one keeps owning it).
    pub fn shared(&self) -> TestDb {
        TestDb { url: self.url.clone(), _dir: None, pg: None }
    }

    pub fn database_url(&self) -> DatabaseUrl {
        DatabaseUrl::parse(&self.url).expect("test database url")
    }

    /// A fresh connection, migrated.
    pub fn connect(&self) -> DbConnection {
        let mut conn = DbConnection::open(&self.database_url()).expect("open test database");
        conn.migrate().expect("migrate test database");
        conn
    }

    /// Takes the database away under a running app: drops a PostgreSQL test database at
    /// once (the app's open connections with it); removes a SQLite database's files.
    pub fn drop_now(&mut self) {
        if let Some(path) = self.url.strip_prefix("sqlite://") {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{path}{suffix}"));
            }
        }
        if let Some((admin, name)) = self.pg.take() {
            if let Ok(mut conn) = PgConnection::establish(&admin) {
                let _ = conn.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
            }
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        self.drop_now();
    }
}

pub struct TestApp {
    pub address: String,
    /// The app's campus clock: real time unless the test fixed it (`spawn_app_at`).
    pub clock: Clock,
    /// The browser of these tests; `browser()` makes more.
    pub client: reqwest::Client,
    pub pool: Pool,
    pub db: TestDb,
}

/// The form secret of the tests' apps (outside demo mode serving needs one).
pub const TEST_FORM_SECRET: &str = "waypoint-tests-form-secret-0123456789abcdef";

pub fn settings_for(db: &TestDb, extra: &[(&str, &str)]) -> Settings {
    let mut env = BTreeMap::new();
    env.insert("WAYPOINT_DATABASE_URL".to_owned(), db.url.clone());
    env.insert("WAYPOINT_BIND".to_owned(), "127.0.0.1:0".to_owned());
    for (k, v) in extra {
        env.insert((*k).to_owned(), (*v).to_owned());
    }
    let demo = env.get("WAYPOINT_DEMO").is_some_and(|v| v == "true");
    if !demo && !env.contains_key("WAYPOINT_OIDC_ISSUER") {
        // Tests that never sign in still need a provider configured to serve; this one
        // is never reached (port 9 is the discard service, closed here).
        env.insert("WAYPOINT_OIDC_ISSUER".to_owned(), "http://127.0.0.1:9".to_owned());
        env.insert("WAYPOINT_OIDC_CLIENT_ID".to_owned(), "waypoint".to_owned());
    }
    if !demo && !env.contains_key("WAYPOINT_FORM_SECRET") && !env.contains_key("WAYPOINT_SESSION_SECRET") {
        // Serving outside demo mode needs the form secret, as in production.
        env.insert("WAYPOINT_FORM_SECRET".to_owned(), TEST_FORM_SECRET.to_owned());
    }
    Settings::load(&Sources::from_map(env), false).expect("test settings are valid")
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(TestDb::new(), &[]).await
}

/// Starts the app on a fresh port; its public URL is that port's.
pub async fn spawn_app_with(db: TestDb, extra: &[(&str, &str)]) -> TestApp {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    spawn_on(listener, db, extra).await
}

pub async fn spawn_on(listener: std::net::TcpListener, db: TestDb, extra: &[(&str, &str)]) -> TestApp {
    spawn_on_with_clock(listener, db, extra, None).await
}

/// Starts the app with its campus clock fixed (in the configured zone) at `campus_date`
/// `campus_time` ("2027-02-16", "19:30"); move it with `app.clock.advance(...)`.
pub async fn spawn_app_at(campus_date: &str, campus_time: &str, extra: &[(&str, &str)]) -> TestApp {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let zone = extra
        .iter()
        .find(|(k, _)| *k == "WAYPOINT_TIMEZONE")
        .map(|(_, v)| v.parse().expect("test time zone"))
        .unwrap_or(chrono_tz::America::New_York);
    let clock = Clock::fixed_at_campus(zone, campus_date, campus_time);
    spawn_on_with_clock(listener, TestDb::new(), extra, Some(clock)).await
}

pub async fn spawn_on_with_clock(
    listener: std::net::TcpListener,
    db: TestDb,
    extra: &[(&str, &str)],
    clock: Option<Clock>,
) -> TestApp {
    if std::env::var_os("WAYPOINT_TEST_LOG").is_some() {
        waypoint::telemetry::init(waypoint::config::LogFormat::Text);
    }
    let port = listener.local_addr().unwrap().port();
    let address = format!("http://127.0.0.1:{port}");
    let mut all: Vec<(&str, &str)> = vec![("WAYPOINT_PUBLIC_URL", address.as_str())];
    all.extend_from_slice(extra);
    let settings = settings_for(&db, &all);
    let clock = clock.unwrap_or_else(|| Clock::system(settings.timezone));
    let app = Application::build_with_clock(listener, settings, clock).expect("application builds");
    let pool = app.pool();
    let clock = app.clock();
    tokio::spawn(app.run_until_stopped());
    TestApp { address, clock, client: browser(), pool, db }
}

/// A browser without JavaScript: a cookie jar, and redirects left to the test. Idle
/// connections are dropped after 2 s, before the server's 5 s keep-alive closes them: a
/// test that waits (a Python parser, a moved clock) would otherwise send its next request
/// on a connection the server is closing, and get `IncompleteMessage`.
pub fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .pool_idle_timeout(std::time::Duration::from_secs(2))
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        // Never reuse a connection the server (keep-alive: 5 s) may be closing just then:
        // a client idle for longer would fail with `IncompleteMessage` under a busy suite.
        .pool_idle_timeout(std::time::Duration::from_secs(2))
        .build()
        .expect("http client")
}

impl TestApp {
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(format!("{}{path}", self.address)).send().await.expect("request")
    }

    pub async fn healthz(&self) -> reqwest::Response {
        self.get("/healthz").await
    }

    pub async fn readyz(&self) -> reqwest::Response {
        self.get("/readyz").await
    }

    pub async fn metrics(&self) -> String {
        self.get("/metrics").await.text().await.expect("metrics body")
    }

    pub async fn home(&self) -> reqwest::Response {
        self.get("/").await
    }

    /// Runs a closure with a pooled connection of the app's own database.
    pub async fn with_db<T: Send + 'static>(&self, f: impl FnOnce(&mut DbConnection) -> T + Send + 'static) -> T {
        let pool = self.pool.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = pool.get().expect("pooled connection");
            f(&mut conn)
        })
        .await
        .expect("db task")
    }

    /// The `waypoint` binary with this app's database.
    pub fn waypoint(&self, args: &[&str]) -> Output {
        waypoint_cmd(&self.db.url, args, &[])
    }
}

/// Runs the `waypoint` binary with a clean WAYPOINT_* environment plus `env`.
pub fn waypoint_cmd(database_url: &str, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_waypoint"));
    for (k, _) in std::env::vars() {
        if k.starts_with("WAYPOINT_") {
            cmd.env_remove(k);
        }
    }
    let workdir = tempfile::tempdir().expect("work dir");
    cmd.current_dir(workdir.path()).env("WAYPOINT_DATABASE_URL", database_url).args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run waypoint")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The repository's root (for files the tests read: migrations, schema, seed).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn count(conn: &mut DbConnection, sql: &str) -> i64 {
    use diesel::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let rows: Vec<N> = diesel::sql_query(sql).load(conn).unwrap_or_else(|e| panic!("{sql}: {e}"));
    rows[0].n
}
