//! Rate limits for password sign-in, per account and per address. Failures inside a
//! window count; past the limit the key is locked for a while. The answer to a locked
//! or wrong attempt is the same whether the account exists or not.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::login_throttles;
use crate::db::DbConnection;

pub const WINDOW: Duration = Duration::minutes(15);
pub const LOCK: Duration = Duration::minutes(15);
pub const ACCOUNT_LIMIT: i32 = 5;
pub const ADDRESS_LIMIT: i32 = 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Account,
    Address,
}

impl Scope {
    fn name(self) -> &'static str {
        match self {
            Scope::Account => "account",
            Scope::Address => "address",
        }
    }
    fn limit(self) -> i32 {
        match self {
            Scope::Account => ACCOUNT_LIMIT,
            Scope::Address => ADDRESS_LIMIT,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counter {
    pub failures: i32,
    pub window_started_at: NaiveDateTime,
    pub locked_until: Option<NaiveDateTime>,
}

/// Whether the key is locked at `now`.
pub fn is_locked(c: &Counter, now: NaiveDateTime) -> bool {
    c.locked_until.is_some_and(|until| now < until)
}

/// The counter after one more failure at `now`.
pub fn after_failure(c: Option<Counter>, limit: i32, now: NaiveDateTime) -> Counter {
    let fresh = Counter { failures: 0, window_started_at: now, locked_until: None };
    let mut c = match c {
        Some(c) if now - c.window_started_at < WINDOW || is_locked(&c, now) => c,
        _ => fresh,
    };
    c.failures += 1;
    if c.failures >= limit {
        c.locked_until = Some(now + LOCK);
    }
    c
}

fn load(conn: &mut DbConnection, scope: Scope, key: &str) -> QueryResult<Option<(String, Counter)>> {
    login_throttles::table
        .filter(login_throttles::scope.eq(scope.name()))
        .filter(login_throttles::key.eq(key))
        .select((
            login_throttles::id,
            login_throttles::failures,
            login_throttles::window_started_at,
            login_throttles::locked_until,
        ))
        .first::<(String, i32, NaiveDateTime, Option<NaiveDateTime>)>(conn)
        .optional()
        .map(|r| {
            r.map(|(id, failures, window_started_at, locked_until)| {
                (id, Counter { failures, window_started_at, locked_until })
            })
        })
}

pub fn locked(conn: &mut DbConnection, scope: Scope, key: &str, now: NaiveDateTime) -> QueryResult<bool> {
    Ok(load(conn, scope, key)?.is_some_and(|(_, c)| is_locked(&c, now)))
}

pub fn record_failure(conn: &mut DbConnection, scope: Scope, key: &str, now: NaiveDateTime) -> QueryResult<()> {
    let current = load(conn, scope, key)?;
    let next = after_failure(current.as_ref().map(|(_, c)| *c), scope.limit(), now);
    match current {
        Some((id, _)) => diesel::update(login_throttles::table.find(id))
            .set((
                login_throttles::failures.eq(next.failures),
                login_throttles::window_started_at.eq(next.window_started_at),
                login_throttles::locked_until.eq(next.locked_until),
                login_throttles::updated_at.eq(now),
            ))
            .execute(conn)?,
        None => diesel::insert_into(login_throttles::table)
            .values((
                login_throttles::id.eq(uuid::Uuid::new_v4().to_string()),
                login_throttles::scope.eq(scope.name()),
                login_throttles::key.eq(key),
                login_throttles::failures.eq(next.failures),
                login_throttles::window_started_at.eq(next.window_started_at),
                login_throttles::locked_until.eq(next.locked_until),
                login_throttles::created_at.eq(now),
                login_throttles::updated_at.eq(now),
            ))
            .execute(conn)?,
    };
    Ok(())
}

/// A successful sign-in clears the account's counter (not the address's: one good
/// password does not excuse a spray from that address).
pub fn clear(conn: &mut DbConnection, scope: Scope, key: &str) -> QueryResult<()> {
    diesel::delete(
        login_throttles::table.filter(login_throttles::scope.eq(scope.name())).filter(login_throttles::key.eq(key)),
    )
    .execute(conn)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(m: i64) -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap().and_hms_opt(12, 0, 0).unwrap() + Duration::minutes(m)
    }

    #[test]
    fn locks_at_the_limit_and_unlocks_after_the_lock() {
        let mut c = None;
        for i in 0..ACCOUNT_LIMIT {
            let next = after_failure(c, ACCOUNT_LIMIT, t(i as i64));
            assert_eq!(is_locked(&next, t(i as i64)), i == ACCOUNT_LIMIT - 1, "after {} failures", i + 1);
            c = Some(next);
        }
        let locked = c.unwrap();
        assert!(is_locked(&locked, t(10)));
        assert!(!is_locked(&locked, t(4) + LOCK));
    }

    #[test]
    fn old_failures_fall_out_of_the_window() {
        let c = after_failure(None, ACCOUNT_LIMIT, t(0));
        let c = after_failure(Some(c), ACCOUNT_LIMIT, t(1));
        assert_eq!(c.failures, 2);
        let later = after_failure(Some(c), ACCOUNT_LIMIT, t(20));
        assert_eq!(later.failures, 1, "a new window starts");
    }
}
