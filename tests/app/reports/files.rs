//! The files themselves: cells a spreadsheet would take for a formula come back
//! neutralised with a leading `'`, quotes and commas survive, and Python's `csv` module
//! reads the file (byte-order mark aside) into exactly the values written.

use super::{fetch, outcome};
use crate::fixtures::{sql, student};
use crate::idp::spawn_with_idp_at;

/// The rows of a CSV file as Python's `csv` module reads them.
fn python_rows(body: &str) -> Vec<Vec<String>> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.csv");
    std::fs::write(&file, body).unwrap();
    let out = std::process::Command::new("python3")
        .args([
            "-c",
            "import csv, json, sys\nwith open(sys.argv[1], newline='', encoding='utf-8-sig') as f:\n    print(json.dumps(list(csv.reader(f))))",
            file.to_str().unwrap(),
        ])
        .output()
        .expect("python3 runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[tokio::test]
async fn formula_cells_are_neutralised_and_python_reads_the_same_values() {
    let (app, idp) = spawn_with_idp_at("2026-11-30", "12:00").await;
    let s = student(&app, "F1", "f1@northfield.edu", "-1", "+1", 2026).await;
    sql(&app, format!("UPDATE students SET name = '=HYPERLINK(\"http://evil.example\",\"Zoë, \"\"the\"\" best\")' WHERE id = '{s}'"))
        .await;
    outcome(&app, &s, "employed_full_time", None, "@SUM(A1)", "counselor", None, None, "2026-08-01").await;
    sql(&app, format!("UPDATE outcomes SET job_title = '\tlead' WHERE student_id = '{s}'")).await;
    let c = app.signed_in(&idp, "counselor").await;
    let (status, _, body) = fetch(&app, &c, "/reports/placements.csv").await;
    assert_eq!(status, 200, "{body}");
    assert!(body.starts_with('\u{feff}'), "a byte-order mark first");
    assert!(body.contains("\r\n") && !body.replace("\r\n", "").contains('\n'), "CRLF line ends only");
    let rows = python_rows(&body);
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0][0], "student_number", "the mark is not part of the first header");
    let expected: Vec<String> = [
        "F1",
        "'=HYPERLINK(\"http://evil.example\",\"Zoë, \"\"the\"\" best\")",
        "f1@northfield.edu",
        "'-1",
        "'+1",
        "2026",
        "employed_full_time",
        "",
        "'@SUM(A1)",
        "'\tlead",
        "",
        "",
        "USD",
        "counselor",
        "false",
        "",
        "",
    ]
    .map(String::from)
    .to_vec();
    assert_eq!(rows[1], expected);
}
