//! Leases in `task_leases`: of several instances on one database, the one that holds a
//! task's lease does its work for a while; a lease that lapses (its holder stopped) is
//! taken by the next instance that asks. Used by the periodic tasks and the mail worker.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{Text, Timestamp};

use super::DbConnection;

/// Takes the lease named `task` until `until` if it is free (or lapsed). Returns whether we hold it.
pub fn take(
    conn: &mut DbConnection,
    task: &str,
    holder: &str,
    now: NaiveDateTime,
    until: NaiveDateTime,
) -> QueryResult<bool> {
    let (p1, p2, p3, p4) = (conn.placeholder(1), conn.placeholder(2), conn.placeholder(3), conn.placeholder(4));
    // Make the row once (a concurrent insert is simply ignored)...
    diesel::sql_query(format!(
        "INSERT INTO task_leases (id, holder, lease_until, created_at, updated_at) VALUES ({p1}, '', {p2}, {p2}, {p2}) ON CONFLICT (id) DO NOTHING"
    ))
    .bind::<Text, _>(task)
    .bind::<Timestamp, _>(chrono::NaiveDate::from_ymd_opt(2000, 1, 1).and_then(|d| d.and_hms_opt(0, 0, 0)).unwrap_or(now))
    .execute(conn)?;
    // ...then take it only if free: one UPDATE, so two instances cannot both win.
    let taken = diesel::sql_query(format!(
        "UPDATE task_leases SET holder = {p1}, lease_until = {p2}, last_run_at = {p3}, updated_at = {p3} WHERE id = {p4} AND (lease_until < {p3} OR holder = {p1})"
    ))
    .bind::<Text, _>(holder)
    .bind::<Timestamp, _>(until)
    .bind::<Timestamp, _>(now)
    .bind::<Text, _>(task)
    .execute(conn)?;
    Ok(taken == 1)
}
