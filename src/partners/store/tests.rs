//! The partners store on a real (SQLite) database: statuses read as their enum, and a
//! stored value that is not a status is an error, never taken for another status.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::{directory, employers, partnerships};
use crate::config::DatabaseUrl;
use crate::core::{Actor, Error};
use crate::db::DbConnection;
use crate::partners::rules::{EmployerProfile, EmployerSize, PartnershipStatus, Tier};

fn database() -> (tempfile::TempDir, DbConnection) {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = DbConnection::open(&DatabaseUrl::Sqlite(dir.path().join("t.db"))).unwrap();
    conn.migrate().unwrap();
    (dir, conn)
}

fn day() -> (NaiveDate, NaiveDateTime) {
    let today = NaiveDate::from_ymd_opt(2027, 2, 16).unwrap();
    (today, today.and_hms_opt(14, 0, 0).unwrap())
}

fn profile(name: &str, domain: Option<&str>) -> EmployerProfile {
    EmployerProfile {
        name: name.into(),
        industry: "Software".into(),
        website: None,
        email_domain: domain.map(Into::into),
        size: Some(EmployerSize::UpTo50),
        location: String::new(),
        description: String::new(),
    }
}

#[test]
fn an_employer_starts_with_its_partnership_and_moves_by_the_rules() {
    let (_dir, mut c) = database();
    let (today, now) = day();
    let id = employers::create(
        &mut c,
        &profile("Brightpath", None),
        Tier::Gold,
        PartnershipStatus::Prospect,
        &Actor::Cli,
        today,
        now,
    )
    .unwrap();
    let p = partnerships::current(&mut c, &id).unwrap().unwrap();
    assert_eq!((p.status, p.tier, p.starts_on), (PartnershipStatus::Prospect, Tier::Gold, None));
    assert_eq!(employers::find(&mut c, &id).unwrap().unwrap().size, Some(EmployerSize::UpTo50));

    // Refused without a vetted domain: the domain is the field to fill in; nothing changes.
    let refused = partnerships::change_status(&mut c, &id, PartnershipStatus::Active, "", &Actor::Cli, today, now);
    assert!(matches!(&refused, Err(Error::Invalid(p)) if p.fields() == ["email_domain"]), "{refused:?}");
    assert!(!partnerships::is_active(&mut c, &id).unwrap());

    let later = now + chrono::Duration::hours(1);
    employers::update(&mut c, &id, &profile("Brightpath", Some("brightpath.com")), &Actor::Cli, later).unwrap();
    partnerships::change_status(&mut c, &id, PartnershipStatus::Active, "", &Actor::Cli, today, later).unwrap();
    assert!(partnerships::is_active(&mut c, &id).unwrap());
    assert_eq!(directory::partner(&mut c, &id).unwrap().map(|e| e.name), Some("Brightpath".to_owned()));
    let history = partnerships::history(&mut c, &id).unwrap();
    assert_eq!(
        history.iter().map(|h| (h.from_status, h.to_status)).collect::<Vec<_>>(),
        [(Some(PartnershipStatus::Prospect), PartnershipStatus::Active), (None, PartnershipStatus::Prospect)]
    );
}

#[test]
fn an_unknown_stored_status_is_an_error_not_ended() {
    let (_dir, mut c) = database();
    let (today, now) = day();
    let id = employers::create(
        &mut c,
        &profile("Harbor Health", Some("harborhealth.org")),
        Tier::Silver,
        PartnershipStatus::Active,
        &Actor::Cli,
        today,
        now,
    )
    .unwrap();
    // A value no version of Waypoint writes (the CHECK constraint set aside to store it).
    diesel::sql_query("PRAGMA ignore_check_constraints = ON").execute(&mut c).unwrap();
    diesel::sql_query("UPDATE partnerships SET status = 'archived'").execute(&mut c).unwrap();

    let read = partnerships::current(&mut c, &id);
    assert!(matches!(read, Err(diesel::result::Error::DeserializationError(_))), "{read:?}");
    assert!(format!("{read:?}").contains("`archived` is not a partnership status"), "{read:?}");
    let as_domain: Error = read.unwrap_err().into();
    assert!(matches!(as_domain, Error::Internal(_)), "{as_domain:?}");
    // Nothing acts on it as if it were ended (a new partnership) or anything else.
    let again = partnerships::start_new(&mut c, &id, Tier::Gold, &Actor::Cli, today, now);
    assert!(matches!(again, Err(Error::Internal(_))), "{again:?}");
    let moved = partnerships::change_status(&mut c, &id, PartnershipStatus::Paused, "", &Actor::Cli, today, now);
    assert!(matches!(moved, Err(Error::Internal(_))), "{moved:?}");
    let filter = employers::ListFilter::default();
    assert!(employers::list(&mut c, &filter, 1).is_err(), "the list does not show it as some status");
}
