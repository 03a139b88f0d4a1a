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
    mail::enqueue(conn, &id, user_id, &m.title, &mail::text(&m.body, m.link.as_deref()), now)
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
    pub title: String,
    pub body: String,
    pub link: Option<String>,
    pub kind: String,
    pub created_at: NaiveDateTime,
    pub read_at: Option<NaiveDateTime>,
}

/// One page of a user's inbox, newest first, and how many notifications there are in
/// all. What it returns is marked read at `now` (in the same call; the items keep
/// showing whether they were unread until now).
pub fn page(
    conn: &mut DbConnection,
    user_id: &str,
    page: i64,
    size: i64,
    now: NaiveDateTime,
) -> QueryResult<(Vec<Item>, i64)> {
    let total: i64 = notifications::table.filter(notifications::user_id.eq(user_id)).count().get_result(conn)?;
    let rows: Vec<(String, Item)> = notifications::table
        .filter(notifications::user_id.eq(user_id))
        .order((notifications::created_at.desc(), notifications::id))
        .limit(size)
        .offset((page - 1) * size)
        .select((
            notifications::id,
            (
                notifications::title,
                notifications::body,
                notifications::link,
                notifications::kind,
                notifications::created_at,
                notifications::read_at,
            ),
        ))
        .load(conn)?;
    let unread: Vec<&String> = rows.iter().filter(|(_, i)| i.read_at.is_none()).map(|(id, _)| id).collect();
    if !unread.is_empty() {
        diesel::update(notifications::table.filter(notifications::id.eq_any(unread)))
            .set((notifications::read_at.eq(now), notifications::updated_at.eq(now)))
            .execute(conn)?;
    }
    Ok((rows.into_iter().map(|(_, i)| i).collect(), total))
}
