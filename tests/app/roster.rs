//! `waypoint import students FILE.csv`: all or nothing, with FILE:LINE: field: problem.

use crate::helpers::{count, stderr, stdout, waypoint_cmd, TestDb};

const HEADER: &str = "student_number,email,name,college,major,class_year,graduation_term\n";

fn write(db: &TestDb, dir: &tempfile::TempDir, name: &str, body: &str) -> String {
    let _ = db;
    let path = dir.path().join(name);
    std::fs::write(&path, body).unwrap();
    path.display().to_string()
}

fn students(db: &TestDb) -> i64 {
    count(&mut db.connect(), "SELECT COUNT(*) AS n FROM students")
}

#[test]
fn a_good_roster_is_imported_and_a_second_run_changes_nothing() {
    let db = TestDb::new();
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        &db,
        &dir,
        "roster.csv",
        &format!(
            "{HEADER}N00000001,Ada.Lovelace@Northfield.edu,Ada Lovelace,College of Engineering,Computer Science,2027,2027-05\n\
             N00000002,grace.hopper@northfield.edu,Grace Hopper,College of Engineering,Mathematics,2026,Summer 2025\n\
             N00000003,\"kahn.ito@northfield.edu\",\"Ito, Kahn\",College of Arts and Sciences,History,2025,2024-12\n"
        ),
    );
    let out = waypoint_cmd(&db.url, &["import", "students", &file], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("3 created, 0 updated, 0 unchanged"), "{}", stdout(&out));
    assert_eq!(students(&db), 3);
    let mut conn = db.connect();
    assert_eq!(count(&mut conn, "SELECT COUNT(*) AS n FROM students WHERE email = 'ada.lovelace@northfield.edu' AND graduation_term = '2027-05'"), 1);
    assert_eq!(count(&mut conn, "SELECT COUNT(*) AS n FROM students WHERE name = 'Ito, Kahn'"), 1);
    assert_eq!(count(&mut conn, "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'roster.imported'"), 1);

    let again = waypoint_cmd(&db.url, &["import", "students", &file], &[]);
    assert!(again.status.success());
    assert!(stdout(&again).contains("0 created, 0 updated, 3 unchanged"), "{}", stdout(&again));

    // A changed major and a new student: one updated, one created, two unchanged.
    let next = write(
        &db,
        &dir,
        "roster2.csv",
        &format!(
            "{HEADER}N00000001,ada.lovelace@northfield.edu,Ada Lovelace,College of Engineering,Electrical Engineering,2027,2027-05\n\
             N00000002,grace.hopper@northfield.edu,Grace Hopper,College of Engineering,Mathematics,2026,2025-08\n\
             N00000003,kahn.ito@northfield.edu,\"Ito, Kahn\",College of Arts and Sciences,History,2025,2024-12\n\
             N00000004,li.wei@northfield.edu,Li Wei,School of Business,Finance,2027,2027-05\n"
        ),
    );
    let out = waypoint_cmd(&db.url, &["import", "students", &next], &[]);
    assert!(stdout(&out).contains("1 created, 1 updated, 2 unchanged"), "{}{}", stdout(&out), stderr(&out));
    assert_eq!(count(&mut conn, "SELECT COUNT(*) AS n FROM students WHERE major = 'Electrical Engineering'"), 1);
}

#[test]
fn bad_rows_are_all_reported_with_their_lines_and_nothing_is_written() {
    let db = TestDb::new();
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        &db,
        &dir,
        "bad.csv",
        &format!(
            "{HEADER}N1,ok.one@northfield.edu,Ok One,Arts,History,2027,2027-05\n\
             N2,not-an-email,Two,Arts,History,2027,2027-05\n\
             N3,three@northfield.edu,,Arts,History,2026,2026-08\n\
             N1,four@northfield.edu,Four,Arts,History,2027,2027-05\n\
             N5,five@northfield.edu,Five,Arts,History\n"
        ),
    );
    let out = waypoint_cmd(&db.url, &["import", "students", &file], &[]);
    assert!(!out.status.success());
    let err = stderr(&out);
    for expected in [
        format!("{file}:3: email:"),
        format!("{file}:4: name: is required"),
        format!("{file}:4: class_year: 2026 does not match graduation_term 2026-08"),
        format!("{file}:5: student_number: N1 appears again (first on line 2)"),
        format!("{file}:6: row: has 5 fields but the header has 7"),
    ] {
        assert!(err.contains(&expected), "missing `{expected}` in:\n{err}");
    }
    assert!(err.contains("nothing imported"));
    assert!(!err.contains("panicked"));
    assert_eq!(students(&db), 0, "a bad file writes nothing, not even its good rows");
}

#[test]
fn header_problems_and_email_conflicts_refuse_the_file() {
    let db = TestDb::new();
    let dir = tempfile::tempdir().unwrap();
    let missing =
        write(&db, &dir, "missing.csv", "student_number,email,name,college,major,class_year\nN1,a@b.edu,A,B,C,2027\n");
    let out = waypoint_cmd(&db.url, &["import", "students", &missing], &[]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains(&format!("{missing}:1: header: missing column `graduation_term`")),
        "{}",
        stderr(&out)
    );

    let first =
        write(&db, &dir, "first.csv", &format!("{HEADER}N1,same@northfield.edu,A One,Arts,History,2027,2027-05\n"));
    assert!(waypoint_cmd(&db.url, &["import", "students", &first], &[]).status.success());
    let clash = write(
        &db,
        &dir,
        "clash.csv",
        &format!("{HEADER}N7,new@northfield.edu,New Seven,Arts,History,2027,2027-05\nN2,same@northfield.edu,B Two,Arts,History,2027,2027-05\n"),
    );
    let out = waypoint_cmd(&db.url, &["import", "students", &clash], &[]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains(&format!("{clash}:3: email: same@northfield.edu already belongs to student N1")),
        "{}",
        stderr(&out)
    );
    assert_eq!(students(&db), 1, "the clashing file wrote nothing");

    let empty = write(&db, &dir, "empty.csv", "");
    let out = waypoint_cmd(&db.url, &["import", "students", &empty], &[]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains(&format!("{empty}:1: header:")), "{}", stderr(&out));

    let out = waypoint_cmd(&db.url, &["import", "students", "/no/such/roster.csv"], &[]);
    assert!(!out.status.success());
    assert_eq!(stderr(&out).lines().count(), 1, "{}", stderr(&out));
}

#[test]
fn a_file_that_is_not_utf8_is_refused_with_its_line() {
    let db = TestDb::new();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("latin1.csv");
    let mut bytes = HEADER.as_bytes().to_vec();
    bytes.extend_from_slice(b"N1,jose@northfield.edu,Jos\xe9 P\xe9rez,Arts,History,2027,2027-05\n");
    std::fs::write(&path, bytes).unwrap();
    let file = path.display().to_string();
    let out = waypoint_cmd(&db.url, &["import", "students", &file], &[]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains(&format!("{file}:2: row: is not valid UTF-8")), "{}", stderr(&out));
    assert_eq!(students(&db), 0);
}

#[test]
fn a_roster_longer_than_a_batch_is_written_whole_or_not_at_all() {
    // New students are written many to a statement (500): 1,203 rows cross two batch
    // boundaries, and each student keeps their own fields.
    let db = TestDb::new();
    let dir = tempfile::tempdir().unwrap();
    let rows: String = (1..=1203)
        .map(|i| {
            format!("R{i:05},r{i:05}@northfield.edu,\"Student, {i}\",College {},Major {},2026,2026-05\n", i % 7, i % 11)
        })
        .collect();
    let file = write(&db, &dir, "roster.csv", &format!("{HEADER}{rows}"));
    let out = waypoint_cmd(&db.url, &["import", "students", &file], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("1203 created, 0 updated, 0 unchanged"), "{}", stdout(&out));
    assert_eq!(students(&db), 1203);
    let mut conn = db.connect();
    for i in [1, 500, 501, 1000, 1001, 1203] {
        let q = format!(
            "SELECT COUNT(*) AS n FROM students WHERE student_number = 'R{i:05}' AND email = 'r{i:05}@northfield.edu' \
             AND name = 'Student, {i}' AND college = 'College {}' AND major = 'Major {}' AND graduation_term = '2026-05'",
            i % 7,
            i % 11
        );
        assert_eq!(count(&mut conn, &q), 1, "student {i}");
    }
    assert_eq!(count(&mut conn, "SELECT COUNT(DISTINCT id) AS n FROM students"), 1203);

    // 600 new ones and a last row whose address is a known student's: refused at that
    // line, and none of the 600 is written.
    let more: String = (1204..=1803)
        .map(|i| format!("R{i:05},r{i:05}@northfield.edu,Student {i},College 1,Major 1,2026,2026-05\n"))
        .collect();
    let bad = "R09999,r00001@northfield.edu,Someone Else,College 1,Major 1,2026,2026-05\n";
    let next = write(&db, &dir, "roster2.csv", &format!("{HEADER}{more}{bad}"));
    let out = waypoint_cmd(&db.url, &["import", "students", &next], &[]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("roster2.csv:602: email: r00001@northfield.edu already belongs to student R00001"),
        "{}",
        stderr(&out)
    );
    assert_eq!(students(&db), 1203);
}
