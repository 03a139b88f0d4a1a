//! schemathesis (PyPI, pinned in tests/requirements.txt) against /api/openapi.json: with
//! a token of every scope it calls each operation with generated inputs (bounded: a
//! few dozen examples each, well under a minute) and checks that no answer is a server
//! error and every answer matches the document (status, media type, body schema, headers).

use super::{token, ALL_SCOPES};
use crate::fixtures::{employer, posting, session, student, Posting};
use crate::helpers::{spawn_app_with, TestDb};

/// The schemathesis command (`st`), or None where it is not installed: scripts/test.sh
/// installs it; a bare `cargo test` on a machine without it says so and passes on.
fn schemathesis() -> Option<std::path::PathBuf> {
    let ok =
        |p: &std::path::Path| std::process::Command::new(p).arg("--version").output().is_ok_and(|o| o.status.success());
    ["schemathesis", "st"].iter().map(std::path::PathBuf::from).find(|p| ok(p))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn schemathesis_finds_no_server_error_and_no_schema_violation() {
    let Some(st) = schemathesis() else {
        if std::env::var_os("WAYPOINT_REQUIRE_SCHEMATHESIS").is_some() {
            panic!("schemathesis is not installed (pip install -r tests/requirements.txt)");
        }
        eprintln!("schemathesis is not installed: skipped (scripts/test.sh installs it)");
        return;
    };
    // A generous rate: the fuzzer's calls are not what this test limits.
    let app = spawn_app_with(TestDb::new(), &[("WAYPOINT_API_RATE_LIMIT", "100000")]).await;
    let acme = employer(&app, "Acme Analytics", "Software", Some("acme.com"), "active").await;
    posting(&app, &acme, Posting::default()).await;
    session(&app, &acme).await;
    student(&app, "N1", "n1@northfield.edu", "Engineering", "Physics", 2026).await;
    let t = token(&app, &ALL_SCOPES, "30").await;
    let url = format!("{}/api/openapi.json", app.address);
    // It keeps a cache of what it found in its working directory: a throwaway one.
    let scratch = tempfile::tempdir().unwrap();
    let dir = scratch.path().to_owned();
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new(st)
            .current_dir(dir)
            .args([
                "run",
                &url,
                "--header",
                &format!("Authorization: Bearer {t}"),
                "--checks",
                "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance",
                "--max-examples",
                "25",
                "--phases",
                "examples,coverage,fuzzing",
                "--seed",
                "1",
                "--no-color",
            ])
            .env("SCHEMATHESIS_HOOKS", "")
            .output()
            .expect("schemathesis runs")
    })
    .await
    .unwrap();
    let report = format!("{}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "schemathesis found problems:\n{report}");
    eprintln!("{report}");
}
