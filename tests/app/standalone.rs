//! The binary stands alone: it links no system OpenSSL (rustls for HTTP and mail; the
//! bundled libpq carries a vendored OpenSSL, linked statically), and libpq still speaks
//! TLS to PostgreSQL (`sslmode=require`), against a server of its own that refuses
//! connections without TLS.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::helpers::{stderr, stdout, waypoint_cmd};

#[test]
fn the_binary_links_no_system_openssl() {
    let out = Command::new("ldd").arg(env!("CARGO_BIN_EXE_waypoint")).output().expect("ldd runs (libc-bin)");
    let libraries = stdout(&out);
    assert!(out.status.success() && libraries.contains("libc.so"), "ldd lists the libraries: {libraries}");
    for openssl in ["libssl", "libcrypto"] {
        assert!(!libraries.contains(openssl), "the binary needs the system's {openssl}:\n{libraries}");
    }
}

/// PostgreSQL's server programs, newest version first (Debian's layout).
fn postgres_bin() -> Option<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|bin| bin.join("initdb").is_file() && bin.join("pg_ctl").is_file())
        .collect();
    dirs.sort_by_key(|d| {
        d.parent().and_then(|v| v.file_name()).and_then(|v| v.to_str()).and_then(|v| v.parse::<u32>().ok())
    });
    dirs.pop()
}

/// A throwaway PostgreSQL cluster in a temp dir on its own port, with TLS on (a
/// self-signed certificate) and plain connections refused. Stopped when dropped.
struct TlsPostgres {
    bin: PathBuf,
    data: PathBuf,
    port: u16,
    _dir: tempfile::TempDir,
}

/// Runs a PostgreSQL program as the `postgres` user when we are root (they refuse root).
fn as_postgres(program: &Path, args: &[&str]) -> Output {
    let root = Command::new("id").arg("-u").output().map(|o| stdout(&o).trim() == "0").unwrap_or(false);
    let mut cmd = if root {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(program);
        c
    } else {
        Command::new(program)
    };
    cmd.args(args).output().unwrap_or_else(|e| panic!("{}: {e}", program.display()))
}

fn ok(what: &str, out: Output) -> Output {
    assert!(out.status.success(), "{what}: {}{}", stdout(&out), stderr(&out));
    out
}

impl TlsPostgres {
    fn start(bin: PathBuf) -> TlsPostgres {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let root = Command::new("id").arg("-u").output().map(|o| stdout(&o).trim() == "0").unwrap_or(false);
        if root {
            ok("chown", Command::new("chown").args(["postgres:", dir.path().to_str().unwrap()]).output().unwrap());
        }
        let data_s = data.to_str().unwrap();
        ok("initdb", as_postgres(&bin.join("initdb"), &["-D", data_s, "-U", "postgres", "--auth=trust", "-E", "UTF8"]));
        ok(
            "openssl req",
            as_postgres(
                Path::new("openssl"),
                &[
                    "req",
                    "-x509",
                    "-newkey",
                    "rsa:2048",
                    "-nodes",
                    "-days",
                    "2",
                    "-subj",
                    "/CN=127.0.0.1",
                    "-keyout",
                    data.join("server.key").to_str().unwrap(),
                    "-out",
                    data.join("server.crt").to_str().unwrap(),
                ],
            ),
        );
        ok("chmod", as_postgres(Path::new("chmod"), &["600", data.join("server.key").to_str().unwrap()]));
        std::fs::write(
            data.join("pg_hba.conf"),
            "local all all trust\nhostssl all all 127.0.0.1/32 trust\nhostnossl all all 0.0.0.0/0 reject\n",
        )
        .unwrap();
        let socket_dir = dir.path().to_str().unwrap();
        let options = format!("-p {port} -c listen_addresses=127.0.0.1 -c ssl=on -k {socket_dir}");
        let log = dir.path().join("server.log");
        ok(
            "pg_ctl start",
            as_postgres(
                &bin.join("pg_ctl"),
                &["-D", data_s, "-o", &options, "-l", log.to_str().unwrap(), "-w", "-t", "60", "start"],
            ),
        );
        TlsPostgres { bin, data, port, _dir: dir }
    }

    fn url(&self, sslmode: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres?sslmode={sslmode}", self.port)
    }
}

impl Drop for TlsPostgres {
    fn drop(&mut self) {
        let _ = as_postgres(&self.bin.join("pg_ctl"), &["-D", self.data.to_str().unwrap(), "-m", "immediate", "stop"]);
    }
}

#[test]
fn postgres_connections_use_tls_with_sslmode_require() {
    let Some(bin) = postgres_bin() else {
        // Only where PostgreSQL is not installed at all; scripts/test.sh installs it.
        eprintln!("skipped: no PostgreSQL server programs in /usr/lib/postgresql/*/bin");
        return;
    };
    let pg = TlsPostgres::start(bin);

    // The server refuses plain connections, so a working one is a TLS one.
    let plain = waypoint_cmd(&pg.url("disable"), &["migrate"], &[]);
    assert!(!plain.status.success(), "a plain connection is refused: {}", stdout(&plain));
    assert!(stderr(&plain).contains("no encryption"), "{}", stderr(&plain));

    let out = waypoint_cmd(&pg.url("require"), &["migrate"], &[]);
    assert!(out.status.success(), "migrate over TLS: {}", stderr(&out));
    assert!(stdout(&out).contains("applied"), "{}", stdout(&out));

    // And from this process's libpq (the same bundled one), TLS is what the server sees.
    let url = waypoint::config::DatabaseUrl::parse(&pg.url("require")).unwrap();
    let mut conn = waypoint::db::DbConnection::open(&url).expect("connect with sslmode=require");
    #[derive(diesel::QueryableByName)]
    struct Tls {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        ssl: bool,
        #[diesel(sql_type = diesel::sql_types::Text)]
        version: String,
    }
    let tls: Tls = diesel::RunQueryDsl::get_result(
        diesel::sql_query("SELECT ssl, COALESCE(version, '') AS version FROM pg_stat_ssl WHERE pid = pg_backend_pid()"),
        &mut conn,
    )
    .unwrap();
    assert!(tls.ssl && tls.version.starts_with("TLS"), "the connection is encrypted: {}", tls.version);
}
