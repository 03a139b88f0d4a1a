//! The fairs' rows and queries, by aggregate: fairs (days, the employers taking part),
//! sessions (group sessions and one-on-one series), registrations (seats, waitlist,
//! attendance, no-shows). Each change runs in one transaction with its audit event and
//! its notifications; a refused change changes nothing.
//!
//! Seats are counted under a lock on the session's row, taken first in the transaction:
//! on PostgreSQL `SELECT … FOR UPDATE` (a second registration for the same session waits
//! until the first commits, then counts again); on SQLite a write to the row, which takes
//! the database's write lock at once (one writer at a time, waiting on `busy_timeout`).
//! So capacity is never exceeded and waitlist positions never repeat or skip.

pub mod fairs;
pub mod feeds;
pub mod figures;
pub mod registrations;
pub mod reminders;
pub mod series;
pub mod sessions;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::audit;
use crate::core::{Actor, StudentId, UserId};
use crate::db::schema::{registrations as regs, students, users};
use crate::db::{Backend, DbConnection};
use crate::fairs::rules::RegistrationStatus;
use crate::notify::{self, Message};

/// Takes the session row's lock for the rest of the transaction (see the module's note).
pub(crate) fn lock_session(conn: &mut DbConnection, id: &str) -> QueryResult<()> {
    let sql = match conn.backend() {
        Backend::Postgres => "SELECT id FROM fair_sessions WHERE id = $1 FOR UPDATE",
        Backend::Sqlite => "UPDATE fair_sessions SET updated_at = updated_at WHERE id = ?1",
    };
    diesel::sql_query(sql).bind::<diesel::sql_types::Text, _>(id).execute(conn).map(|_| ())
}

/// Takes the student's lock, so that two registrations of one student (for different
/// sessions) are checked against each other one after the other.
pub(crate) fn lock_student(conn: &mut DbConnection, id: &StudentId) -> QueryResult<()> {
    let sql = format!("UPDATE students SET updated_at = updated_at WHERE id = {}", conn.placeholder(1));
    diesel::sql_query(sql).bind::<diesel::sql_types::Text, _>(id.as_str()).execute(conn).map(|_| ())
}

/// The audit event of a change.
pub(crate) fn record(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    actor: &Actor,
    action: &str,
    subject_type: &str,
    id: &str,
    details: serde_json::Value,
) -> QueryResult<()> {
    audit::record(conn, audit::Event { actor, action, subject_type, subject_id: Some(id), ip: None, at: now, details })
}

/// Tells each of `who` (inbox, and mail when configured), in the change's transaction.
pub(crate) fn tell(
    conn: &mut DbConnection,
    who: &[UserId],
    kind: &str,
    title: &str,
    body: &str,
    link: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    for user in who {
        let m = Message { kind, title: title.to_owned(), body: body.to_owned(), link: Some(link.to_owned()) };
        notify::send(conn, user, &m, now)?;
    }
    Ok(())
}

/// Tells one person, with an invitation (`.ics`) for the mail when there is one.
#[allow(clippy::too_many_arguments)]
pub(crate) fn tell_with_calendar(
    conn: &mut DbConnection,
    user: &UserId,
    kind: &str,
    title: &str,
    body: &str,
    link: &str,
    calendar: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let m = Message { kind, title: title.to_owned(), body: body.to_owned(), link: Some(link.to_owned()) };
    notify::send_with_calendar(conn, user, &m, calendar, now)
}

/// A student with an active (registered or waitlisted) registration for a session, as
/// their invitation needs them: their sign-in and its email, their place, and the
/// registration's own calendar sequence.
#[derive(Debug, Clone, Queryable)]
pub(crate) struct Registrant {
    pub user: UserId,
    pub email: String,
    pub status: RegistrationStatus,
    pub sequence: i32,
}

/// The session's registrants who have signed in (the others have no inbox to tell).
pub(crate) fn registrants(conn: &mut DbConnection, session_id: &str) -> QueryResult<Vec<Registrant>> {
    regs::table
        .inner_join(students::table.inner_join(users::table))
        .filter(regs::session_id.eq(session_id))
        .filter(regs::status.eq_any([RegistrationStatus::Registered, RegistrationStatus::Waitlisted]))
        .select((users::id, users::email, regs::status, regs::sequence))
        .load(conn)
}

/// The student's sign-in and its email, once linked.
pub(crate) fn contact(conn: &mut DbConnection, id: &StudentId) -> QueryResult<Option<(UserId, String)>> {
    students::table
        .inner_join(users::table)
        .filter(students::id.eq(id))
        .select((users::id, users::email))
        .first(conn)
        .optional()
}

/// The student's sign-in, once linked.
pub(crate) fn student_user(conn: &mut DbConnection, id: &StudentId) -> QueryResult<Vec<UserId>> {
    let user: Option<Option<UserId>> = students::table.find(id).select(students::user_id).first(conn).optional()?;
    Ok(user.flatten().into_iter().collect())
}
