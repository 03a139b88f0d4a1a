//! Notifications: what needs someone's attention, kept for their inbox (the page is the
//! `inbox` module's) and written to the mail outbox in the same transaction (see
//! [`mail`]). A store and a mail worker: nothing here knows HTTP.

pub mod mail;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::core::{NotificationId, UserId};
use crate::db::schema::notifications;
use crate::db::DbConnection;

pub struct Message<'a> {
    pub kind: &'a str,
    pub title: String,
    pub body: String,
    pub link: Option<String>,
}

/// Puts a message in the user's inbox and, in the same statement's transaction, its mail
/// in the outbox (addressed to the user's current email; none for a disabled user).
/// Callers run inside their own transaction, so the message and its mail are made, or
/// not, with the change they report.
///
/// The mail is written whether or not this instance has `WAYPOINT_SMTP_URL`: the outbox
/// is the record of what is owed, and whichever instance runs the mail worker sends it,
/// however long after (nothing made while no worker ran is lost).
pub fn send(conn: &mut DbConnection, user_id: &str, m: &Message<'_>, now: NaiveDateTime) -> QueryResult<()> {
    send_with_calendar(conn, user_id, m, None, now)
}

/// [`send`], with an invitation (an `.ics`, `METHOD:REQUEST` or `CANCEL`) that the mail
/// carries as its `text/calendar` part, so that a mail program offers to add, update or
/// remove the event. The inbox shows the message alone.
pub fn send_with_calendar(
    conn: &mut DbConnection,
    user_id: &str,
    m: &Message<'_>,
    calendar: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let id = NotificationId::generate();
    diesel::insert_into(notifications::table)
        .values((
            notifications::id.eq(&id),
            notifications::user_id.eq(user_id),
            notifications::kind.eq(m.kind),
            notifications::title.eq(&m.title),
            notifications::body.eq(&m.body),
            notifications::link.eq(&m.link),
            notifications::created_at.eq(now),
            notifications::updated_at.eq(now),
        ))
        .execute(conn)?;
    mail::enqueue_with_calendar(conn, &id, user_id, &m.title, &mail::text(&m.body, m.link.as_deref()), calendar, now)
}

pub fn unread(conn: &mut DbConnection, user_id: &UserId) -> QueryResult<i64> {
    notifications::table
        .filter(notifications::user_id.eq(user_id))
        .filter(notifications::read_at.is_null())
        .count()
        .get_result(conn)
}

/// One notification as the inbox lists it.
#[derive(Debug, Clone, Queryable)]
pub struct Item {
    pub id: String,
    pub title: String,
    pub body: String,
    pub link: Option<String>,
    pub kind: String,
    pub created_at: NaiveDateTime,
    pub read_at: Option<NaiveDateTime>,
}

/// How many notifications a user has in all (for the inbox's pages).
pub fn count(conn: &mut DbConnection, user_id: &str) -> QueryResult<i64> {
    notifications::table.filter(notifications::user_id.eq(user_id)).count().get_result(conn)
}

/// A page of a user's inbox, newest first: `size` items from `offset`. Listing reads
/// nothing: an item is read when it is opened ([`open`]) or all are marked read
/// ([`mark_all_read`]), so "new" still means "not looked at".
pub fn list(conn: &mut DbConnection, user_id: &str, offset: i64, size: i64) -> QueryResult<Vec<Item>> {
    notifications::table
        .filter(notifications::user_id.eq(user_id))
        .order((notifications::created_at.desc(), notifications::id))
        .limit(size)
        .offset(offset)
        .select((
            notifications::id,
            notifications::title,
            notifications::body,
            notifications::link,
            notifications::kind,
            notifications::created_at,
            notifications::read_at,
        ))
        .load(conn)
}

/// Opens the user's notification `id`: marks it read at `now` (if it was not) and gives
/// its link. `None` when the user has no such notification (another person's included).
pub fn open(
    conn: &mut DbConnection,
    user_id: &str,
    id: &str,
    now: NaiveDateTime,
) -> QueryResult<Option<Option<String>>> {
    let mine = notifications::table.filter(notifications::id.eq(id)).filter(notifications::user_id.eq(user_id));
    let Some(link) = mine.select(notifications::link).first::<Option<String>>(conn).optional()? else {
        return Ok(None);
    };
    diesel::update(mine.filter(notifications::read_at.is_null()))
        .set((notifications::read_at.eq(now), notifications::updated_at.eq(now)))
        .execute(conn)?;
    Ok(Some(link))
}

/// Marks every unread notification of the user read at `now`; how many there were.
pub fn mark_all_read(conn: &mut DbConnection, user_id: &str, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        notifications::table.filter(notifications::user_id.eq(user_id)).filter(notifications::read_at.is_null()),
    )
    .set((notifications::read_at.eq(now), notifications::updated_at.eq(now)))
    .execute(conn)
}
