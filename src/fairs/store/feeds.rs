//! Each user's private calendar feed: a secret address (`/calendar/{token}.ics`) that a
//! calendar app subscribes to. Only the token's digest is kept (`auth::tokens`, as for
//! invitation and reset links), so the address is shown once, when it is made; making it
//! again replaces it (the old address stops working), revoking deletes it.
//!
//! The feed lists the user's upcoming sessions: a student's registrations holding a seat,
//! a recruiter's sessions they host. Cancelled registrations, waitlist places and
//! cancelled sessions are left out, so a subscribed calendar drops them at its next read.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::record;
use super::sessions::SessionRow;
use crate::auth::tokens;
use crate::core::{Actor, Error, UserId};
use crate::db::schema::{calendar_feeds, fair_sessions, recruiters, registrations, students, users};
use crate::db::{self, DbConnection};
use crate::fairs::rules::{RegistrationStatus, SessionStatus};

/// At most this many sessions in a feed (a student holds a handful; a host a few dozen).
const FEED_LIMIT: i64 = 500;

/// When the user's feed was made (or last replaced), if they have one.
pub fn made_at(conn: &mut DbConnection, user: &UserId) -> QueryResult<Option<NaiveDateTime>> {
    calendar_feeds::table
        .filter(calendar_feeds::user_id.eq(user))
        .select(calendar_feeds::updated_at)
        .first(conn)
        .optional()
}

/// Makes the user's feed, or replaces it: a new token, whose digest alone is stored. The
/// token is returned to be shown once.
pub fn make(conn: &mut DbConnection, user: &UserId, actor: &Actor, now: NaiveDateTime) -> Result<String, Error> {
    let token = tokens::random_token();
    let digest = tokens::digest(&token);
    db::transaction(conn, |conn| -> Result<(), Error> {
        let replaced =
            diesel::delete(calendar_feeds::table.filter(calendar_feeds::user_id.eq(user))).execute(conn)? > 0;
        diesel::insert_into(calendar_feeds::table)
            .values((
                calendar_feeds::id.eq(uuid::Uuid::new_v4().to_string()),
                calendar_feeds::user_id.eq(user),
                calendar_feeds::token_hash.eq(&digest),
                calendar_feeds::created_at.eq(now),
                calendar_feeds::updated_at.eq(now),
            ))
            .execute(conn)?;
        let action = if replaced { "calendar_feed.replaced" } else { "calendar_feed.made" };
        record(conn, now, actor, action, "user", user, serde_json::json!({}))?;
        Ok(())
    })?;
    Ok(token)
}

/// Revokes the user's feed: its address answers 404 from now on. Whether there was one.
pub fn revoke(conn: &mut DbConnection, user: &UserId, actor: &Actor, now: NaiveDateTime) -> Result<bool, Error> {
    db::transaction(conn, |conn| -> Result<bool, Error> {
        let gone = diesel::delete(calendar_feeds::table.filter(calendar_feeds::user_id.eq(user))).execute(conn)? > 0;
        if gone {
            record(conn, now, actor, "calendar_feed.revoked", "user", user, serde_json::json!({}))?;
        }
        Ok(gone)
    })
}

/// Whose feed `token` opens: an enabled user's, or no one's.
pub fn owner(conn: &mut DbConnection, token: &str) -> QueryResult<Option<UserId>> {
    calendar_feeds::table
        .inner_join(users::table)
        .filter(calendar_feeds::token_hash.eq(tokens::digest(token)))
        .filter(users::disabled.eq(false))
        .select(users::id)
        .first(conn)
        .optional()
}

/// A session in a feed, with the registration's own sequence (0 for the host's).
#[derive(Debug, Clone)]
pub struct FeedEntry {
    pub session: SessionRow,
    pub registration_sequence: i32,
}

/// The user's upcoming sessions (not yet ended at `now`), earliest first: those they hold
/// a seat in, then those they host, merged.
pub fn entries(conn: &mut DbConnection, user: &UserId, now: NaiveDateTime) -> QueryResult<Vec<FeedEntry>> {
    let seats: Vec<(SessionRow, i32)> = registrations::table
        .inner_join(fair_sessions::table)
        .inner_join(students::table)
        .filter(students::user_id.eq(user))
        .filter(registrations::status.eq(RegistrationStatus::Registered))
        .filter(fair_sessions::status.eq(SessionStatus::Scheduled))
        .filter(fair_sessions::ends_at.gt(now))
        .order(fair_sessions::starts_at)
        .limit(FEED_LIMIT)
        .select((SessionRow::as_select(), registrations::sequence))
        .load(conn)?;
    let hosted: Vec<SessionRow> = fair_sessions::table
        .inner_join(recruiters::table)
        .filter(recruiters::user_id.eq(user))
        .filter(fair_sessions::status.eq(SessionStatus::Scheduled))
        .filter(fair_sessions::ends_at.gt(now))
        .order(fair_sessions::starts_at)
        .limit(FEED_LIMIT)
        .select(SessionRow::as_select())
        .load(conn)?;
    let mut all: Vec<FeedEntry> = seats
        .into_iter()
        .map(|(session, registration_sequence)| FeedEntry { session, registration_sequence })
        .chain(hosted.into_iter().map(|session| FeedEntry { session, registration_sequence: 0 }))
        .collect();
    all.sort_by_key(|e| e.session.starts_at);
    all.truncate(FEED_LIMIT as usize);
    Ok(all)
}
