//! Mail, when `WAYPOINT_SMTP_URL` is set. Every inbox notification writes its mail into
//! the `outbox` table in the notification's own transaction ([`enqueue`]), and a
//! background worker sends from there: a request never waits for the mail server, a
//! message that cannot be sent is retried with a growing delay, and nothing is lost,
//! whether it was made before the worker started, by another instance, or by the
//! command line. The worker reads only the due, unsent rows (an index), so its work does
//! not grow with uptime. The sending is the periodic task `mail` ([`send_due`], registered
//! in `tasks`): one instance at a time sends (a lease), and each message is claimed
//! before it is sent, so several instances do not send it twice.

use std::time::Duration;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{Nullable, Text, Timestamp};
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::{Message, SmtpTransport, Transport};
use url::Url;

use crate::config::Secret;
use crate::core::{Clock, Error, NotificationId};
use crate::db::schema::{notifications, outbox, users};
use crate::db::DbConnection;

/// While a message is being sent, no other instance claims it.
const CLAIM: i64 = 120;

/// Delay before attempt `n + 1` after `n` failures: 1 s, 2 s, 4 s … up to 10 minutes.
pub fn backoff(attempts: i32) -> chrono::Duration {
    chrono::Duration::seconds(1i64 << attempts.clamp(0, 10)).min(chrono::Duration::minutes(10))
}

/// The mail's text: the notification's body, its link (a path of the portal, on a line of
/// its own: [`with_absolute_link`] makes it a full address when the mail is sent), and
/// who sends it.
pub fn text(body: &str, link: Option<&str>) -> String {
    match link {
        Some(l) => format!("{body}\n\n{l}\n\n— Waypoint, the career office"),
        None => format!("{body}\n\n— Waypoint, the career office"),
    }
}

/// The mail's text as it is sent: its notification's link, written as a path when the
/// message was made (the command line and the periodic tasks, which make messages too,
/// know no public address), becomes the portal's address at `public_url`, so it can be
/// opened from a mail program. Only the link's own line (the last, as [`text`] writes it)
/// changes; a link that is not a path of this site is left as it is.
pub fn with_absolute_link(text: &str, link: Option<&str>, public_url: &Url) -> String {
    let Some(link) = link.filter(|l| l.starts_with('/') && !l.starts_with("//")) else { return text.to_owned() };
    let line = format!("\n\n{link}\n\n");
    match text.rfind(&line) {
        Some(at) => format!(
            "{}\n\n{}{link}\n\n{}",
            &text[..at],
            public_url.as_str().trim_end_matches('/'),
            &text[at + line.len()..]
        ),
        None => text.to_owned(),
    }
}

/// Writes the mail of notification `notification_id` to the outbox, due now, addressed
/// to the user's email as it is now. One statement (an `INSERT … SELECT` from the user),
/// in the caller's transaction; a disabled user gets no mail.
pub fn enqueue(
    conn: &mut DbConnection,
    notification_id: &NotificationId,
    user_id: &str,
    subject: &str,
    body: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    enqueue_with_calendar(conn, notification_id, user_id, subject, body, None, now)
}

/// [`enqueue`], with an invitation (`.ics` text) sent as the mail's calendar part.
pub fn enqueue_with_calendar(
    conn: &mut DbConnection,
    notification_id: &NotificationId,
    user_id: &str,
    subject: &str,
    body: &str,
    calendar: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let id = uuid::Uuid::new_v4().to_string();
    let from_user = users::table.filter(users::id.eq(user_id)).filter(users::disabled.eq(false)).select((
        id.into_sql::<Text>(),
        Some(notification_id.as_str()).into_sql::<Nullable<Text>>(),
        users::email,
        subject.into_sql::<Text>(),
        body.into_sql::<Text>(),
        now.into_sql::<Timestamp>(),
        now.into_sql::<Timestamp>(),
        now.into_sql::<Timestamp>(),
        calendar.into_sql::<Nullable<Text>>(),
    ));
    diesel::insert_into(outbox::table)
        .values(from_user)
        .into_columns((
            outbox::id,
            outbox::notification_id,
            outbox::to_email,
            outbox::subject,
            outbox::body,
            outbox::next_attempt_at,
            outbox::created_at,
            outbox::updated_at,
            outbox::calendar,
        ))
        .execute(conn)?;
    Ok(())
}

/// A message of the outbox due for sending.
#[derive(Debug, Clone, Queryable)]
pub struct Due {
    pub id: String,
    pub to_email: String,
    pub subject: String,
    pub body: String,
    /// Failed attempts so far.
    pub attempts: i32,
    /// The link of the notification the mail tells of (a path), if any.
    pub link: Option<String>,
    /// The invitation it carries (`.ics`), if any.
    pub calendar: Option<String>,
}

/// The messages due now, oldest first, at most 50 (not yet claimed: see [`claim`]).
pub fn due(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<Vec<Due>> {
    outbox::table
        .left_join(notifications::table)
        .filter(outbox::sent_at.is_null())
        .filter(outbox::next_attempt_at.le(now))
        .select((
            outbox::id,
            outbox::to_email,
            outbox::subject,
            outbox::body,
            outbox::attempts,
            notifications::link.nullable(),
            outbox::calendar,
        ))
        .order(outbox::next_attempt_at)
        .limit(50)
        .load(conn)
}

/// Claims one message for [`CLAIM`] seconds, if it is still unsent and no one else
/// claimed it meanwhile: one conditional UPDATE, so of two instances one wins. Claimed
/// just before it is sent (not a whole batch up front: a batch sent to a slow server
/// could outlast its claims, and another instance would send the rest again).
pub fn claim(conn: &mut DbConnection, id: &str, now: NaiveDateTime) -> QueryResult<bool> {
    let claimed = diesel::update(
        outbox::table
            .filter(outbox::id.eq(id))
            .filter(outbox::sent_at.is_null())
            .filter(outbox::next_attempt_at.le(now)),
    )
    .set((outbox::next_attempt_at.eq(now + chrono::Duration::seconds(CLAIM)), outbox::updated_at.eq(now)))
    .execute(conn)?;
    Ok(claimed == 1)
}

pub fn mark_sent(conn: &mut DbConnection, id: &str, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(outbox::table.find(id))
        .set((
            outbox::sent_at.eq(now),
            outbox::attempts.eq(outbox::attempts + 1),
            outbox::last_error.eq(None::<String>),
            outbox::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn mark_failed(
    conn: &mut DbConnection,
    id: &str,
    attempts_before: i32,
    error: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let attempts = attempts_before + 1;
    diesel::update(outbox::table.find(id))
        .set((
            outbox::attempts.eq(attempts),
            outbox::next_attempt_at.eq(now + backoff(attempts - 1)),
            outbox::last_error.eq(error.chars().take(500).collect::<String>()),
            outbox::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// What the worker needs to send: the SMTP server (its URL may hold a password, so it
/// stays out of `Debug`), the sender (`WAYPOINT_MAIL_FROM`), and the portal's public
/// address (`WAYPOINT_PUBLIC_URL`) for the links.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub smtp_url: Secret,
    pub from: Mailbox,
    pub public_url: Url,
}

/// Sends the messages due now, as the periodic task `mail` does (under its lease, see
/// `tasks`): each is claimed first, so that no other instance sends it meanwhile; one that
/// fails is retried after [`backoff`]. Returns how many were sent.
pub fn send_due(conn: &mut DbConnection, clock: &Clock, outgoing: &Outgoing) -> Result<usize, Error> {
    let now = clock.now_utc();
    let due = due(conn, now)?;
    if due.is_empty() {
        return Ok(0);
    }
    let transport = SmtpTransport::from_url(outgoing.smtp_url.expose())
        .map_err(|e| Error::Unavailable(format!("WAYPOINT_SMTP_URL: {e}")))?
        .timeout(Some(Duration::from_secs(10)))
        .build();
    let mut sent_count = 0;
    for Due { id, to_email: to, subject, body, attempts, link, calendar } in due {
        if !claim(conn, &id, clock.now_utc())? {
            continue;
        }
        let body = with_absolute_link(&body, link.as_deref(), &outgoing.public_url);
        let message = Message::builder()
            .from(outgoing.from.clone())
            .to(match to.parse() {
                Ok(a) => a,
                Err(e) => {
                    mark_failed(conn, &id, attempts, &format!("address: {e}"), now)?;
                    continue;
                }
            })
            .subject(subject);
        let message = match calendar {
            None => message.header(ContentType::TEXT_PLAIN).body(body),
            Some(ics) => message.multipart(with_invitation(body, ics)),
        };
        let sent = match message {
            Ok(m) => transport.send(&m).map(|_| ()).map_err(|e| e.to_string()),
            Err(e) => Err(e.to_string()),
        };
        let now = clock.now_utc();
        match sent {
            Ok(()) => {
                mark_sent(conn, &id, now)?;
                sent_count += 1;
            }
            Err(e) => {
                tracing::warn!(error = %e, attempts = attempts + 1, "mail not sent; will retry");
                mark_failed(conn, &id, attempts, &e, now)?
            }
        }
    }
    Ok(sent_count)
}

/// `METHOD` of an invitation (`REQUEST` unless it says `CANCEL`), for its content type.
fn method_of(ics: &str) -> &'static str {
    if ics.split("\r\n").any(|l| l == "METHOD:CANCEL") {
        "CANCEL"
    } else {
        "REQUEST"
    }
}

/// The mail of a message with an invitation, as calendar programs expect it: the text and
/// the invitation as alternatives (`text/calendar; method=…`, which Outlook, Apple Mail
/// and Gmail show as an invitation with its buttons), and the same `.ics` attached for
/// programs that only offer attachments.
fn with_invitation(body: String, ics: String) -> MultiPart {
    let kind = |m: &str| {
        ContentType::parse(&format!("text/calendar; charset=utf-8; method={m}")).expect("a valid content type")
    };
    let method = method_of(&ics);
    MultiPart::mixed()
        .multipart(
            MultiPart::alternative()
                .singlepart(SinglePart::plain(body))
                .singlepart(SinglePart::builder().header(kind(method)).body(ics.clone())),
        )
        .singlepart(Attachment::new("invite.ics".to_owned()).body(ics, kind(method)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_link_is_the_portal_s_full_address_when_sent() {
        let public = Url::parse("https://careers.northfield.edu/portal").unwrap();
        // The body may name the same path on a line of its own: only the link's line changes.
        let made = text("Dana Kim applied.\n\n/review\n\nThanks.", Some("/review"));
        assert_eq!(
            with_absolute_link(&made, Some("/review"), &public),
            "Dana Kim applied.\n\n/review\n\nThanks.\n\nhttps://careers.northfield.edu/portal/review\n\n— Waypoint, the career office"
        );
        let plain = text("A message about nothing in particular.", None);
        assert_eq!(with_absolute_link(&plain, None, &public), plain);
        let elsewhere = text("See the guide.", Some("https://example.org/guide"));
        assert_eq!(with_absolute_link(&elsewhere, Some("https://example.org/guide"), &public), elsewhere);
        let root = Url::parse("http://127.0.0.1:8080").unwrap();
        assert!(with_absolute_link(&text("b", Some("/inbox")), Some("/inbox"), &root)
            .contains("\n\nhttp://127.0.0.1:8080/inbox\n\n"));
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        assert_eq!(backoff(0), chrono::Duration::seconds(1));
        assert_eq!(backoff(3), chrono::Duration::seconds(8));
        assert_eq!(backoff(20), chrono::Duration::minutes(10));
    }
}
