//! The text mapping of core's enums and ids, through the application's own connection
//! type (the `MultiConnection` backend), on SQLite. The integration tests run the same
//! checks on PostgreSQL (`tests/app/mapping.rs`).

use diesel::prelude::*;
use diesel::sql_types::{Nullable, Text};

use super::DbConnection;
use crate::config::DatabaseUrl;
use crate::core::{Error, UserId};

crate::core::text_enum! {
    /// A test status.
    enum Light: "light" {
        Red => "red", "Red";
        Amber => "amber", "Amber";
        Green => "green", "Green";
    }
}

fn database() -> (tempfile::TempDir, DbConnection) {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = DbConnection::open(&DatabaseUrl::Sqlite(dir.path().join("t.db"))).unwrap();
    conn.migrate().unwrap();
    (dir, conn)
}

#[test]
fn a_known_stored_value_reads_as_its_variant_and_binds_as_its_text() {
    let (_dir, mut c) = database();
    let light: Light = diesel::select("amber".into_sql::<Text>()).get_result(&mut c).unwrap();
    assert_eq!(light, Light::Amber);
    let text: String = diesel::select(Light::Green.into_sql::<Text>()).get_result(&mut c).unwrap();
    assert_eq!(text, "green");
    let none: Option<Light> = diesel::select(None::<String>.into_sql::<Nullable<Text>>()).get_result(&mut c).unwrap();
    assert_eq!(none, None);
    let id = UserId::generate();
    let back: UserId = diesel::select((&id).into_sql::<Text>()).get_result(&mut c).unwrap();
    assert_eq!(back, id);
}

#[test]
fn an_unknown_stored_value_is_an_error_not_a_default() {
    let (_dir, mut c) = database();
    let read = diesel::select("purple".into_sql::<Text>()).get_result::<Light>(&mut c);
    match read {
        Err(diesel::result::Error::DeserializationError(e)) => {
            assert!(format!("{e:?}").contains("`purple` is not a light"), "{e:?}")
        }
        other => panic!("an unknown value must not read: {other:?}"),
    }
    let as_domain: Error = diesel::select("".into_sql::<Text>()).get_result::<Light>(&mut c).unwrap_err().into();
    assert!(matches!(as_domain, Error::Internal(_)), "{as_domain:?}");
    assert_eq!("purple".parse::<Light>().unwrap_err(), "`purple` is not a light (red, amber, green)");
    assert_eq!(" red ".parse::<Light>(), Ok(Light::Red), "forms are trimmed");
    assert_eq!(Light::ALL.map(Light::label), ["Red", "Amber", "Green"]);
    assert!("Red".parse::<Light>().is_err(), "case matters unless the enum says ignore_case");
}

#[test]
fn statuses_and_ids_filter_and_load_rows() {
    use super::schema::{user_roles, users};
    use crate::core::Role;
    let (_dir, mut c) = database();
    let now = chrono::NaiveDate::from_ymd_opt(2027, 2, 16).unwrap().and_hms_opt(9, 0, 0).unwrap();
    let user = UserId::generate();
    diesel::sql_query(
        "INSERT INTO users (id, email, display_name, created_at, updated_at) VALUES (?1, ?2, 'A', ?3, ?3)",
    )
    .bind::<Text, _>(&user)
    .bind::<Text, _>("a@northfield.edu")
    .bind::<diesel::sql_types::Timestamp, _>(now)
    .execute(&mut c)
    .unwrap();
    for role in [Role::Faculty, Role::Admin] {
        diesel::insert_into(user_roles::table)
            .values((
                user_roles::id.eq(UserId::generate().as_str()),
                user_roles::user_id.eq(&user),
                user_roles::role.eq(role),
                user_roles::source.eq("grant"),
                user_roles::created_at.eq(now),
                user_roles::updated_at.eq(now),
            ))
            .execute(&mut c)
            .unwrap();
    }
    let rows: Vec<(UserId, Role)> = user_roles::table
        .filter(user_roles::user_id.eq(&user))
        .filter(user_roles::role.eq_any([Role::Admin, Role::Counselor]))
        .select((user_roles::user_id, user_roles::role))
        .load(&mut c)
        .unwrap();
    assert_eq!(rows, [(user.clone(), Role::Admin)]);
    // `user_roles.role` has a CHECK; a column without one shows what reading does.
    let as_role = users::table.select(users::display_name).load::<Role>(&mut c);
    assert!(as_role.is_err(), "a row with an unknown role does not read as some other role");
}
