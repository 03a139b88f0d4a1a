//! Statuses and ids as the database stores them (text), on this run's backend, through
//! the application's connection type: a known value reads back as itself, a typed id
//! filters and loads, and a value the enum does not know is an error, never a default.

use diesel::prelude::*;
use waypoint::core::{Role, UserId};
use waypoint::db::schema::{user_roles, users};

use crate::helpers::TestDb;

#[test]
fn roles_and_user_ids_round_trip_and_an_unknown_value_does_not_read() {
    let db = TestDb::new();
    let mut c = db.connect();
    let now = chrono::NaiveDate::from_ymd_opt(2027, 2, 16).unwrap().and_hms_opt(14, 0, 0).unwrap();
    let user = UserId::generate();
    diesel::insert_into(users::table)
        .values((
            users::id.eq(&user),
            users::email.eq("ada@northfield.edu"),
            users::display_name.eq("Ada Lovelace"),
            users::created_at.eq(now),
            users::updated_at.eq(now),
        ))
        .execute(&mut c)
        .unwrap();
    for role in [Role::Counselor, Role::Faculty] {
        diesel::insert_into(user_roles::table)
            .values((
                user_roles::id.eq(UserId::generate().as_str()),
                user_roles::user_id.eq(&user),
                user_roles::role.eq(role),
                user_roles::source.eq("grant"),
                user_roles::granted_by.eq(None::<UserId>),
                user_roles::created_at.eq(now),
                user_roles::updated_at.eq(now),
            ))
            .execute(&mut c)
            .unwrap();
    }
    let mut held: Vec<(UserId, Role)> = user_roles::table
        .filter(user_roles::user_id.eq(&user))
        .select((user_roles::user_id, user_roles::role))
        .load(&mut c)
        .unwrap();
    held.sort_by_key(|(_, r)| *r);
    assert_eq!(held, [(user.clone(), Role::Faculty), (user.clone(), Role::Counselor)]);
    let admins: i64 = user_roles::table.filter(user_roles::role.eq(Role::Admin)).count().get_result(&mut c).unwrap();
    assert_eq!(admins, 0);
    // A stored value that is no role (here a display name) fails to read, naming the
    // value, rather than turning into some role.
    let read = users::table.select(users::display_name).first::<Role>(&mut c);
    assert!(
        matches!(&read, Err(diesel::result::Error::DeserializationError(e))
            if format!("{e:?}").contains("`Ada Lovelace` is not a role")),
        "{read:?}"
    );
}
