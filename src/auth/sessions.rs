//! Sessions live in the database, so any instance behind a load balancer serves any
//! request. The cookie holds 256 random bits; the table holds only their SHA-256.
//! A new id at every sign-in (no fixation); idle and absolute timeouts; sign-out deletes.

use actix_web::cookie::{time, Cookie, SameSite};
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use url::Url;

use super::tokens;
use crate::core::{Secret, UserId};
use crate::db::schema::sessions;
use crate::db::DbConnection;

pub const IDLE_TIMEOUT: Duration = Duration::minutes(60);
pub const ABSOLUTE_TIMEOUT: Duration = Duration::hours(12);
/// `last_seen_at` is written at most this often, not on every request.
const TOUCH_EVERY: Duration = Duration::minutes(1);

/// Every cookie Waypoint sets, with its flags decided in one place.
#[derive(Debug, Clone)]
pub struct CookiePolicy {
    secure: bool,
}

pub enum CookieKind {
    /// The signed-in session.
    Session,
    /// Binds a pending campus sign-in to the browser that started it.
    LoginBinding,
    /// Anonymous forms' CSRF secret (sign-in, invitation).
    AnonymousCsrf,
}

impl CookiePolicy {
    pub fn for_public_url(public_url: &Url) -> Self {
        CookiePolicy { secure: public_url.scheme() == "https" }
    }

    /// `__Host-` names need Secure, Path=/ and no Domain, so they are used on https only.
    pub fn name(&self, kind: &CookieKind) -> &'static str {
        match (kind, self.secure) {
            (CookieKind::Session, true) => "__Host-waypoint_session",
            (CookieKind::Session, false) => "waypoint_session",
            (CookieKind::LoginBinding, true) => "__Host-waypoint_login",
            (CookieKind::LoginBinding, false) => "waypoint_login",
            (CookieKind::AnonymousCsrf, true) => "__Host-waypoint_csrf",
            (CookieKind::AnonymousCsrf, false) => "waypoint_csrf",
        }
    }

    pub fn make(&self, kind: CookieKind, value: String) -> Cookie<'static> {
        let max_age = match kind {
            // A session cookie in the browser's sense: gone when the browser closes;
            // the server's own timeouts decide how long it is honoured.
            CookieKind::Session => None,
            CookieKind::LoginBinding => Some(time::Duration::minutes(15)),
            CookieKind::AnonymousCsrf => Some(time::Duration::hours(2)),
        };
        let mut c = Cookie::build(self.name(&kind), value)
            .path("/")
            .http_only(true)
            .same_site(SameSite::Lax)
            .secure(self.secure)
            .finish();
        if let Some(age) = max_age {
            c.set_max_age(age);
        }
        c
    }

    pub fn removal(&self, kind: CookieKind) -> Cookie<'static> {
        let mut c = self.make(kind, String::new());
        c.make_removal();
        c
    }
}

/// A session as stored (`id` is the digest of the cookie's secret). Its `Debug` leaves
/// out the form token.
#[derive(Clone, Queryable, Selectable)]
#[diesel(table_name = sessions)]
pub struct SessionRow {
    pub id: String,
    pub user_id: UserId,
    pub csrf_token: String,
    pub expires_at: NaiveDateTime,
    pub last_seen_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
}

impl std::fmt::Debug for SessionRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionRow")
            .field("id", &self.id)
            .field("user_id", &self.user_id)
            .field("csrf_token", &"***")
            .field("expires_at", &self.expires_at)
            .field("last_seen_at", &self.last_seen_at)
            .field("created_at", &self.created_at)
            .finish()
    }
}

/// Whether a session may still be used at `now`.
pub fn is_live(s: &SessionRow, now: NaiveDateTime) -> bool {
    now < s.expires_at && now - s.last_seen_at < IDLE_TIMEOUT
}

/// Starts a session for `user_id`; returns the cookie value (never stored as such).
pub fn create(
    conn: &mut DbConnection,
    user_id: &UserId,
    ip: Option<&str>,
    user_agent: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<Secret> {
    let secret = tokens::random_token();
    diesel::insert_into(sessions::table)
        .values((
            sessions::id.eq(tokens::digest(&secret)),
            sessions::user_id.eq(user_id),
            sessions::csrf_token.eq(tokens::random_token()),
            sessions::ip.eq(ip),
            sessions::user_agent.eq(user_agent.map(|u| u.chars().take(300).collect::<String>())),
            sessions::expires_at.eq(now + ABSOLUTE_TIMEOUT),
            sessions::last_seen_at.eq(now),
            sessions::created_at.eq(now),
            sessions::updated_at.eq(now),
        ))
        .execute(conn)?;
    // Housekeeping: sessions past their time are of no use to anyone.
    diesel::delete(sessions::table.filter(sessions::expires_at.lt(now))).execute(conn)?;
    Ok(Secret::new(secret))
}

/// The live session for a cookie value, touched; an expired one is deleted.
pub fn find_live(conn: &mut DbConnection, secret: &str, now: NaiveDateTime) -> QueryResult<Option<SessionRow>> {
    let id = tokens::digest(secret);
    let Some(s) = sessions::table.find(&id).select(SessionRow::as_select()).first(conn).optional()? else {
        return Ok(None);
    };
    if !is_live(&s, now) {
        diesel::delete(sessions::table.find(&id)).execute(conn)?;
        return Ok(None);
    }
    if now - s.last_seen_at >= TOUCH_EVERY {
        diesel::update(sessions::table.find(&id))
            .set((sessions::last_seen_at.eq(now), sessions::updated_at.eq(now)))
            .execute(conn)?;
    }
    Ok(Some(s))
}

pub fn destroy(conn: &mut DbConnection, secret: &str) -> QueryResult<usize> {
    diesel::delete(sessions::table.find(tokens::digest(secret))).execute(conn)
}

/// Ends every session of a user (disabled account, role removed by an admin).
pub fn destroy_all_of(conn: &mut DbConnection, user_id: &UserId) -> QueryResult<usize> {
    diesel::delete(sessions::table.filter(sessions::user_id.eq(user_id))).execute(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(h: u32, m: u32) -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap().and_hms_opt(h, m, 0).unwrap()
    }

    #[test]
    fn idle_and_absolute_timeouts() {
        let s = SessionRow {
            id: "x".into(),
            user_id: "u".into(),
            csrf_token: "c".into(),
            created_at: t(8, 0),
            last_seen_at: t(9, 0),
            expires_at: t(8, 0) + ABSOLUTE_TIMEOUT,
        };
        assert!(is_live(&s, t(9, 59)));
        assert!(!is_live(&s, t(10, 0)), "idle for an hour");
        let busy = SessionRow { last_seen_at: t(19, 59), ..s.clone() };
        assert!(is_live(&busy, t(19, 59)));
        assert!(!is_live(&busy, t(20, 0)), "twelve hours after sign-in, however busy");
    }

    #[test]
    fn cookie_flags() {
        let http = CookiePolicy::for_public_url(&Url::parse("http://127.0.0.1:8080").unwrap());
        let c = http.make(CookieKind::Session, "v".into());
        assert_eq!(c.name(), "waypoint_session");
        assert_eq!(c.http_only(), Some(true));
        assert_eq!(c.same_site(), Some(SameSite::Lax));
        assert_eq!(c.secure(), Some(false));
        assert_eq!(c.path(), Some("/"));
        let https = CookiePolicy::for_public_url(&Url::parse("https://careers.northfield.edu").unwrap());
        let c = https.make(CookieKind::Session, "v".into());
        assert_eq!(c.name(), "__Host-waypoint_session");
        assert_eq!(c.secure(), Some(true));
        assert!(c.domain().is_none(), "__Host- cookies carry no Domain");
    }
}
