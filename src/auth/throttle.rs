//! Rate limits for password sign-in, per account and per address. Every attempt first
//! reserves its place: one atomic statement counts it and returns the count, and only an
//! attempt within the limit has its password checked. (Reading the count and writing it
//! afterwards let parallel guesses all pass the check before any was counted, and two
//! first failures at once collide on the unique key.) A successful sign-in gives its
//! reservation back: the account's count is cleared, the address's attempt returned.
//!
//! Attempts inside a window count; at the limit the key is locked for a while, and each
//! attempt while locked extends the lock. The answer to a locked or wrong attempt is the
//! same whether the account exists or not.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::{Integer, Text, Timestamp};

use crate::db::schema::login_throttles;
use crate::db::DbConnection;

pub const WINDOW: Duration = Duration::minutes(15);
pub const LOCK: Duration = Duration::minutes(15);
pub const ACCOUNT_LIMIT: i32 = 5;
pub const ADDRESS_LIMIT: i32 = 20;

crate::core::text_enum! {
    /// What a count is kept for (`login_throttles.scope`).
    pub enum Scope: "throttle scope" {
        /// One account's email: a guesser trying many passwords on it.
        Account => "account", "Account";
        /// One client address: a spray of guesses across accounts.
        Address => "address", "Address";
    }
}

impl Scope {
    pub fn limit(self) -> i32 {
        match self {
            Scope::Account => ACCOUNT_LIMIT,
            Scope::Address => ADDRESS_LIMIT,
        }
    }
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = Integer)]
    failures: i32,
}

/// Counts one attempt on `key` at `now` and says whether it is within the limit (the
/// password may then be checked). One statement, atomic on both backends: the first
/// attempt makes the row, later ones add to it; an attempt after the window (and any
/// lock) has passed starts a new window.
pub fn reserve(conn: &mut DbConnection, scope: Scope, key: &str, now: NaiveDateTime) -> QueryResult<bool> {
    let p: Vec<String> = (1..=7).map(|n| conn.placeholder(n)).collect();
    let (id, scope_name, key_p, now_p, limit, lock_until, window_from) =
        (&p[0], &p[1], &p[2], &p[3], &p[4], &p[5], &p[6]);
    // Inside the window or still locked: the count goes on; otherwise it starts again.
    let going =
        format!("(login_throttles.window_started_at > {window_from} OR login_throttles.locked_until > {now_p})");
    let next = format!("CASE WHEN {going} THEN login_throttles.failures + 1 ELSE 1 END");
    let sql = format!(
        "INSERT INTO login_throttles (id, scope, key, failures, window_started_at, locked_until, created_at, updated_at) \
         VALUES ({id}, {scope_name}, {key_p}, 1, {now_p}, CASE WHEN 1 >= {limit} THEN {lock_until} END, {now_p}, {now_p}) \
         ON CONFLICT (scope, key) DO UPDATE SET \
           failures = {next}, \
           window_started_at = CASE WHEN {going} THEN login_throttles.window_started_at ELSE {now_p} END, \
           locked_until = CASE WHEN {next} >= {limit} THEN {lock_until} END, \
           updated_at = {now_p} \
         RETURNING failures"
    );
    let counted: Count = diesel::sql_query(sql)
        .bind::<Text, _>(uuid::Uuid::new_v4().to_string())
        .bind::<Text, _>(scope)
        .bind::<Text, _>(key)
        .bind::<Timestamp, _>(now)
        .bind::<Integer, _>(scope.limit())
        .bind::<Timestamp, _>(now + LOCK)
        .bind::<Timestamp, _>(now - WINDOW)
        .get_result(conn)?;
    Ok(counted.failures <= scope.limit())
}

/// Gives back the attempt a successful sign-in reserved (and the lock it may have set):
/// a right password does not count against the address, but neither does it excuse a
/// spray from there.
pub fn refund(conn: &mut DbConnection, scope: Scope, key: &str, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(
        login_throttles::table
            .filter(login_throttles::scope.eq(scope))
            .filter(login_throttles::key.eq(key))
            .filter(login_throttles::failures.gt(0)),
    )
    .set((
        login_throttles::failures.eq(login_throttles::failures - 1),
        login_throttles::locked_until.eq(diesel::dsl::case_when(
            (login_throttles::failures - 1).ge(scope.limit()),
            login_throttles::locked_until,
        )),
        login_throttles::updated_at.eq(now),
    ))
    .execute(conn)?;
    Ok(())
}

/// A successful sign-in clears the account's count.
pub fn clear(conn: &mut DbConnection, scope: Scope, key: &str) -> QueryResult<()> {
    diesel::delete(
        login_throttles::table.filter(login_throttles::scope.eq(scope)).filter(login_throttles::key.eq(key)),
    )
    .execute(conn)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::DatabaseUrl;

    fn t(m: i64) -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap().and_hms_opt(12, 0, 0).unwrap() + Duration::minutes(m)
    }

    /// A migrated SQLite database of its own (the integration tests cover PostgreSQL).
    fn database() -> (tempfile::TempDir, DbConnection) {
        let dir = tempfile::tempdir().unwrap();
        let mut conn = DbConnection::open(&DatabaseUrl::Sqlite(dir.path().join("t.db"))).unwrap();
        conn.migrate().unwrap();
        (dir, conn)
    }

    fn row(conn: &mut DbConnection, key: &str) -> Option<(i32, Option<NaiveDateTime>)> {
        login_throttles::table
            .filter(login_throttles::key.eq(key))
            .select((login_throttles::failures, login_throttles::locked_until))
            .first(conn)
            .optional()
            .unwrap()
    }

    #[test]
    fn locks_at_the_limit_and_unlocks_after_the_lock() {
        let (_dir, mut c) = database();
        for i in 0..ACCOUNT_LIMIT {
            assert!(reserve(&mut c, Scope::Account, "ana@x.com", t(i.into())).unwrap(), "attempt {}", i + 1);
        }
        assert_eq!(row(&mut c, "ana@x.com"), Some((5, Some(t(4) + LOCK))), "locked at the fifth");
        assert!(!reserve(&mut c, Scope::Account, "ana@x.com", t(10)).unwrap(), "the sixth is refused");
        assert_eq!(row(&mut c, "ana@x.com"), Some((6, Some(t(10) + LOCK))), "and extends the lock");
        assert!(reserve(&mut c, Scope::Account, "ana@x.com", t(10) + LOCK).unwrap(), "after the lock, anew");
        assert_eq!(row(&mut c, "ana@x.com"), Some((1, None)));
        assert!(reserve(&mut c, Scope::Address, "ana@x.com", t(0)).unwrap(), "scopes count apart");
    }

    #[test]
    fn old_failures_fall_out_of_the_window() {
        let (_dir, mut c) = database();
        reserve(&mut c, Scope::Account, "ana@x.com", t(0)).unwrap();
        reserve(&mut c, Scope::Account, "ana@x.com", t(1)).unwrap();
        assert_eq!(row(&mut c, "ana@x.com"), Some((2, None)));
        reserve(&mut c, Scope::Account, "ana@x.com", t(20)).unwrap();
        assert_eq!(row(&mut c, "ana@x.com"), Some((1, None)), "a new window starts");
    }

    #[test]
    fn a_success_gives_its_attempt_back() {
        let (_dir, mut c) = database();
        for i in 0..ADDRESS_LIMIT {
            assert!(reserve(&mut c, Scope::Address, "192.0.2.1", t(0) + Duration::seconds(i.into())).unwrap());
        }
        assert!(row(&mut c, "192.0.2.1").unwrap().1.is_some(), "the last attempt allowed locks");
        refund(&mut c, Scope::Address, "192.0.2.1", t(1)).unwrap();
        assert_eq!(row(&mut c, "192.0.2.1"), Some((ADDRESS_LIMIT - 1, None)), "returned, and unlocked");
        assert!(reserve(&mut c, Scope::Address, "192.0.2.1", t(2)).unwrap());
        clear(&mut c, Scope::Address, "192.0.2.1").unwrap();
        assert_eq!(row(&mut c, "192.0.2.1"), None);
        refund(&mut c, Scope::Address, "192.0.2.1", t(3)).unwrap();
        assert_eq!(row(&mut c, "192.0.2.1"), None, "nothing to give back");
    }
}
