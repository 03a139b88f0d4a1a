//! The roster import and the students store on a real (SQLite) database.

use chrono::NaiveDate;

use super::import::import_roster;
use super::rules::ProfileVisibility;
use super::store::{self, Academic};
use crate::config::DatabaseUrl;
use crate::core::{Actor, Email, Error, StudentId, UserId};
use crate::csv_import::ImportCounts;
use crate::db::DbConnection;

const HEADER: &str = "student_number,email,name,college,major,class_year,graduation_term\n";

fn database() -> (tempfile::TempDir, DbConnection) {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = DbConnection::open(&DatabaseUrl::Sqlite(dir.path().join("t.db"))).unwrap();
    conn.migrate().unwrap();
    (dir, conn)
}

fn import(c: &mut DbConnection, rows: &str) -> Result<ImportCounts, Error> {
    let now = NaiveDate::from_ymd_opt(2027, 2, 16).unwrap().and_hms_opt(9, 0, 0).unwrap();
    import_roster(c, "roster.csv", format!("{HEADER}{rows}").as_bytes(), &Actor::Cli, now)
}

#[test]
fn the_store_reads_what_the_roster_import_wrote() {
    let (_dir, mut c) = database();
    let counts = import(
        &mut c,
        "N1,Ada@Northfield.edu,Ada Lovelace,Engineering,Computer Science,2027,2027-05\n\
         N2,ben@northfield.edu,Ben Okafor,Business,Finance,2026,Spring 2026\n",
    )
    .unwrap();
    assert_eq!((counts.created, counts.updated, counts.unchanged), (2, 0, 0));
    assert_eq!(store::count(&mut c).unwrap(), 2);

    let ada = Email::parse("ada@northfield.edu").unwrap();
    let found = store::by_numbers_or_emails(&mut c, &["N1"], &[&ada]).unwrap();
    assert_eq!(found.len(), 1, "one student, found by number and by address");
    let s = &found[0];
    assert_eq!(
        (s.email.as_str(), s.profile_visibility, s.user_id.as_ref()),
        ("ada@northfield.edu", ProfileVisibility::Private, None)
    );
    assert_eq!(store::find(&mut c, &s.id).unwrap().as_ref(), Some(s));
    assert_eq!(
        store::academic(&mut c, &s.id).unwrap(),
        Some(Academic { college: "Engineering".into(), major: "Computer Science".into(), class_year: 2027 })
    );
    assert_eq!(store::user_of(&mut c, &s.id).unwrap(), None, "not signed in yet");
    assert_eq!(store::of_user(&mut c, &UserId::generate()).unwrap(), None);
    assert_eq!(store::academic(&mut c, &StudentId::generate()).unwrap(), None);

    // Again with one change: matched by number, only that one updated.
    let counts = import(
        &mut c,
        "N1,ada@northfield.edu,Ada Lovelace,Engineering,Mathematics,2027,2027-05\n\
         N2,ben@northfield.edu,Ben Okafor,Business,Finance,2026,2026-05\n",
    )
    .unwrap();
    assert_eq!((counts.created, counts.updated, counts.unchanged), (0, 1, 1));
    assert_eq!(store::academic(&mut c, &s.id).unwrap().unwrap().major, "Mathematics");
}

#[test]
fn an_address_of_another_student_is_refused_even_when_the_file_does_not_name_them() {
    let (_dir, mut c) = database();
    import(&mut c, "N1,ada@northfield.edu,Ada Lovelace,Engineering,Computer Science,2027,2027-05\n").unwrap();
    let refused = import(&mut c, "N3,ada@northfield.edu,Ada Two,Arts,History,2027,2027-05\n");
    match refused {
        Err(Error::Invalid(p)) => {
            assert_eq!(p.to_string(), "roster.csv:2: email: ada@northfield.edu already belongs to student N1")
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(store::count(&mut c).unwrap(), 1, "nothing written");
}
