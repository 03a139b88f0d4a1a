//! The command line: help, configuration errors, grants, and `serve --demo`.

use crate::helpers::{count, stderr, stdout, waypoint_cmd, TestDb};

#[test]
fn every_command_has_useful_help() {
    for (args, words) in [
        (vec!["--help"], vec!["serve", "migrate", "seed", "import", "grant"]),
        (vec!["serve", "--help"], vec!["--demo"]),
        (vec!["import", "students", "--help"], vec!["student_number", "graduation_term"]),
        (vec!["grant", "--help"], vec!["counselor", "--revoke"]),
        (vec!["seed", "--help"], vec!["demo data"]),
        (vec!["migrate", "--help"], vec!["migrations"]),
    ] {
        let out = waypoint_cmd("sqlite://unused.db", &args, &[]);
        assert!(out.status.success(), "{args:?}");
        for w in words {
            assert!(stdout(&out).contains(w), "`waypoint {}` does not mention {w}", args.join(" "));
        }
    }
}

/// A bad value stops the program with one line naming the variable; exit code 2; no
/// panic; and the database is not touched.
#[test]
fn bad_configuration_gives_one_line_and_leaves_the_database_alone() {
    let dir = tempfile::tempdir().unwrap();
    let db_path = dir.path().join("never.db");
    let url = format!("sqlite://{}", db_path.display());
    for (var, value) in [
        ("WAYPOINT_BIND", "not-an-address"),
        ("WAYPOINT_PUBLIC_URL", "gopher://campus"),
        ("WAYPOINT_TIMEZONE", "Atlantis/Lost"),
        ("WAYPOINT_MIN_HOURLY_FEE_CENTS", "cheap"),
        ("WAYPOINT_NO_SHOW_LIMIT", "0"),
        ("WAYPOINT_LOG_FORMAT", "yaml"),
        ("WAYPOINT_OIDC_ISSUER", "not a url"),
    ] {
        for command in [&["migrate"][..], &["serve"][..], &["seed"][..]] {
            let out = waypoint_cmd(&url, command, &[(var, value)]);
            assert_eq!(out.status.code(), Some(2), "{var}={value} {command:?}: {}", stderr(&out));
            let err = stderr(&out);
            assert_eq!(err.trim().lines().count(), 1, "one line, got:\n{err}");
            assert!(err.contains(var), "the line names {var}: {err}");
            assert!(!err.contains("panicked") && !err.contains("RUST_BACKTRACE"));
        }
    }
    let out = waypoint_cmd("mysql://nope", &["migrate"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("WAYPOINT_DATABASE_URL"));
    assert!(!db_path.exists(), "no database file was created");
}

#[test]
fn serve_without_a_campus_provider_refuses_to_start_outside_demo_mode() {
    let db = TestDb::new();
    let out = waypoint_cmd(&db.url, &["serve"], &[("WAYPOINT_BIND", "127.0.0.1:0")]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("WAYPOINT_OIDC_ISSUER") && err.contains("--demo"), "{err}");
}

#[test]
fn serve_without_the_form_secret_refuses_to_start_outside_demo_mode() {
    let db = TestDb::new();
    let provider = [
        ("WAYPOINT_BIND", "127.0.0.1:0"),
        ("WAYPOINT_OIDC_ISSUER", "http://127.0.0.1:9"),
        ("WAYPOINT_OIDC_CLIENT_ID", "waypoint"),
    ];
    let out = waypoint_cmd(&db.url, &["serve"], &provider);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("WAYPOINT_FORM_SECRET") && err.contains("every instance"), "{err}");
}

#[test]
fn a_missing_database_directory_gives_one_line() {
    let out = waypoint_cmd("sqlite:///no/such/directory/waypoint.db", &["migrate"], &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("/no/such/directory"), "{err}");
    assert!(!std::path::Path::new("/no/such/directory").exists());
}

/// `waypoint` in `dir` with no WAYPOINT_* variable but `env`: the configuration comes
/// from the file.
fn waypoint_in(dir: &std::path::Path, args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_waypoint"));
    for (k, _) in std::env::vars() {
        if k.starts_with("WAYPOINT_") {
            cmd.env_remove(k);
        }
    }
    cmd.current_dir(dir).args(args).envs(env.iter().copied()).output().expect("run waypoint")
}

/// Whether the migrations ran on the database at `url` (opened without migrating).
fn migrated(url: &str) -> bool {
    let url = waypoint::config::DatabaseUrl::parse(url).unwrap();
    let Ok(mut conn) = waypoint::db::DbConnection::open(&url) else { return false };
    diesel::RunQueryDsl::execute(diesel::sql_query("SELECT id FROM users"), &mut conn).is_ok()
}

#[test]
fn a_config_file_sets_keys_and_rejects_unknown_ones() {
    let dir = tempfile::tempdir().unwrap();
    // The file's database_url is the one migrate uses: ./waypoint.toml, found by itself...
    let db = TestDb::new();
    std::fs::write(dir.path().join("waypoint.toml"), format!("database_url = \"{}\"\nno_show_limit = 3\n", db.url))
        .unwrap();
    assert!(!migrated(&db.url));
    let out = waypoint_in(dir.path(), &["migrate"], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("applied"), "{}", stdout(&out));
    assert!(migrated(&db.url), "migrate worked on the file's database_url");

    // ...or named by WAYPOINT_CONFIG; the environment wins over it.
    let named = dir.path().join("named.toml");
    let file_db = dir.path().join("from-file.db");
    let env_db = dir.path().join("from-env.db");
    std::fs::write(&named, format!("database_url = \"sqlite://{}\"\n", file_db.display())).unwrap();
    let config = named.to_str().unwrap();
    let out = waypoint_in(dir.path(), &["migrate"], &[("WAYPOINT_CONFIG", config)]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(migrated(&format!("sqlite://{}", file_db.display())), "the named file's database has the tables");
    let env_url = format!("sqlite://{}", env_db.display());
    let out =
        waypoint_in(dir.path(), &["migrate"], &[("WAYPOINT_CONFIG", config), ("WAYPOINT_DATABASE_URL", &env_url)]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(migrated(&env_url), "the environment's database_url wins over the file's");

    // A bad key or value names the file (and the value, its variable).
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "timezone = \"America/Chicago\"\nfavourite_colour = \"blue\"\n").unwrap();
    let out = waypoint_in(dir.path(), &["migrate"], &[("WAYPOINT_CONFIG", bad.to_str().unwrap())]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains(&format!("{}: unknown key `favourite_colour`", bad.display())), "{err}");
    let wrong = dir.path().join("wrong.toml");
    std::fs::write(&wrong, "no_show_limit = \"lots\"\n").unwrap();
    let out = waypoint_in(dir.path(), &["migrate"], &[("WAYPOINT_CONFIG", wrong.to_str().unwrap())]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains(&format!("WAYPOINT_NO_SHOW_LIMIT (from {})", wrong.display())), "{err}");
}

#[test]
fn migrate_twice_is_a_no_op() {
    let db = TestDb::new();
    let first = waypoint_cmd(&db.url, &["migrate"], &[]);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(stdout(&first).contains("applied"));
    let second = waypoint_cmd(&db.url, &["migrate"], &[]);
    assert!(stdout(&second).contains("up to date"), "{}", stdout(&second));
}

#[test]
fn grant_and_revoke_roles_with_an_audit_trail() {
    let db = TestDb::new();
    let mut conn = db.connect();
    // Someone who has signed in: the grant applies at once.
    diesel::RunQueryDsl::execute(
        diesel::sql_query(
            "INSERT INTO users (id, issuer, subject, email, display_name, created_at, updated_at) \
             VALUES ('u1', 'https://sso.northfield.edu', 'sub-sam', 'sam.ortiz@northfield.edu', 'Sam Ortiz', \
             '2026-11-02 14:00:00', '2026-11-02 14:00:00')",
        ),
        &mut conn,
    )
    .unwrap();
    let out = waypoint_cmd(&db.url, &["grant", "counselor", "Sam.Ortiz@Northfield.edu"], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).trim(), "Granted counselor to sam.ortiz@northfield.edu.");
    let again = waypoint_cmd(&db.url, &["grant", "counselor", "sam.ortiz@northfield.edu"], &[]);
    assert!(stdout(&again).contains("already holds"), "{}", stdout(&again));
    assert_eq!(
        count(
            &mut conn,
            "SELECT COUNT(*) AS n FROM user_roles WHERE user_id = 'u1' AND role = 'counselor' AND source = 'grant'"
        ),
        1
    );

    let bad_role = waypoint_cmd(&db.url, &["grant", "dean", "sam.ortiz@northfield.edu"], &[]);
    assert_eq!(bad_role.status.code(), Some(2));
    let recruiter = waypoint_cmd(&db.url, &["grant", "recruiter", "sam.ortiz@northfield.edu"], &[]);
    assert!(!recruiter.status.success());
    assert!(stderr(&recruiter).contains("invitation"));
    let bad_email = waypoint_cmd(&db.url, &["grant", "admin", "sam.ortiz"], &[]);
    assert!(!bad_email.status.success());

    let revoked = waypoint_cmd(&db.url, &["grant", "counselor", "sam.ortiz@northfield.edu", "--revoke"], &[]);
    assert_eq!(stdout(&revoked).trim(), "Revoked counselor from sam.ortiz@northfield.edu.");
    assert_eq!(count(&mut conn, "SELECT COUNT(*) AS n FROM user_roles WHERE role = 'counselor'"), 0);
    assert_eq!(
        count(&mut conn, "SELECT COUNT(*) AS n FROM audit_events WHERE action IN ('role.granted', 'role.revoked')"),
        2
    );
}

/// A grant to an email no one has signed in with says so, waits (no user is made for
/// it), and can be revoked before it applies.
#[test]
fn a_grant_to_someone_who_never_signed_in_waits_for_their_first_sign_in() {
    let db = TestDb::new();
    let out = waypoint_cmd(&db.url, &["grant", "counselor", "Pat.Lee@Northfield.edu"], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out).trim(),
        "No one has signed in with pat.lee@northfield.edu yet: the counselor role will apply at their first sign-in."
    );
    let again = waypoint_cmd(&db.url, &["grant", "counselor", "pat.lee@northfield.edu"], &[]);
    assert!(stdout(&again).contains("already waits for their first sign-in"), "{}", stdout(&again));
    let mut conn = db.connect();
    assert_eq!(
        count(
            &mut conn,
            "SELECT COUNT(*) AS n FROM pending_grants WHERE email = 'pat.lee@northfield.edu' AND role = 'counselor'"
        ),
        1
    );
    assert_eq!(count(&mut conn, "SELECT COUNT(*) AS n FROM users"), 0, "no user is made for a grant");
    assert_eq!(count(&mut conn, "SELECT COUNT(*) AS n FROM user_roles"), 0);

    let revoked = waypoint_cmd(&db.url, &["grant", "counselor", "pat.lee@northfield.edu", "--revoke"], &[]);
    assert!(revoked.status.success(), "{}", stderr(&revoked));
    assert!(stdout(&revoked).contains("Revoked the pending counselor grant for pat.lee@northfield.edu"));
    assert_eq!(count(&mut conn, "SELECT COUNT(*) AS n FROM pending_grants"), 0);
    let nothing = waypoint_cmd(&db.url, &["grant", "counselor", "pat.lee@northfield.edu", "--revoke"], &[]);
    assert!(!nothing.status.success());
    assert!(stderr(&nothing).contains("no one has signed in with pat.lee@northfield.edu"), "{}", stderr(&nothing));
    assert_eq!(
        count(
            &mut conn,
            "SELECT COUNT(*) AS n FROM audit_events WHERE action IN ('role.granted', 'role.revoked') \
             AND subject_type = 'pending_grant'"
        ),
        2,
        "the pending grant and its revocation are audited"
    );
}

/// `serve` with a real port: the binary starts, answers, and logs JSON lines with the
/// request id when asked to.
#[test]
fn serve_answers_and_logs_json_with_request_ids() {
    let db = TestDb::new();
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let dir = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_waypoint"))
        .arg("serve")
        .current_dir(dir.path())
        .env("WAYPOINT_DATABASE_URL", &db.url)
        .env("WAYPOINT_BIND", format!("127.0.0.1:{port}"))
        .env("WAYPOINT_LOG_FORMAT", "json")
        .env("WAYPOINT_OIDC_ISSUER", "http://127.0.0.1:9")
        .env("WAYPOINT_OIDC_CLIENT_ID", "waypoint")
        .env("WAYPOINT_FORM_SECRET", crate::helpers::TEST_FORM_SECRET)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut request_id = None;
    for _ in 0..150 {
        if let Some(id) = healthz_request_id(port) {
            request_id = Some(id);
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let request_id = request_id.expect("the server answered");
    child.kill().unwrap();
    let out = child.wait_with_output().unwrap();
    let log = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = log.lines().filter(|l| !l.trim().is_empty()).collect();
    assert!(!lines.is_empty());
    for line in &lines {
        serde_json::from_str::<serde_json::Value>(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
    }
    assert!(
        lines.iter().any(|l| l.contains(&request_id) && l.contains("/healthz")),
        "a log line carries the request id {request_id}:\n{log}"
    );
}

/// GET /healthz over a plain socket (this test runs outside any async runtime);
/// returns the x-request-id of a 200 answer.
fn healthz_request_id(port: u16) -> Option<String> {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").ok()?;
    let mut text = String::new();
    s.read_to_string(&mut text).ok()?;
    if !text.starts_with("HTTP/1.1 200") {
        return None;
    }
    text.lines().find_map(|l| l.strip_prefix("x-request-id: ")).map(|id| id.trim().to_owned())
}
