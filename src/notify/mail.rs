//! Mail, when `WAYPOINT_SMTP_URL` is set. Every inbox notification is copied into the
//! `outbox` table and sent from there by a background worker: a request never waits for
//! the mail server, and a message that cannot be sent is retried with a growing delay,
//! never lost. One instance at a time sends (a lease), and each message is claimed
//! before it is sent, so several instances do not send it twice.

use std::time::Duration;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use lettre::message::header::ContentType;
use lettre::{Message, SmtpTransport, Transport};

use crate::core::Clock;
use crate::db::schema::{notifications, outbox, users};
use crate::db::{DbConnection, Pool};

/// While a message is being sent, no other instance claims it.
const CLAIM: i64 = 120;

/// Delay before attempt `n + 1` after `n` failures: 1 s, 2 s, 4 s … up to 10 minutes.
pub fn backoff(attempts: i32) -> chrono::Duration {
    chrono::Duration::seconds(1i64 << attempts.clamp(0, 10)).min(chrono::Duration::minutes(10))
}

/// Copies notifications made since `since` (and not yet copied) into the outbox.
pub fn enqueue(conn: &mut DbConnection, since: NaiveDateTime, now: NaiveDateTime) -> QueryResult<usize> {
    let fresh: Vec<(String, String, String, Option<String>, String)> = notifications::table
        .inner_join(users::table)
        .filter(notifications::created_at.ge(since))
        .filter(users::disabled.eq(false))
        .filter(diesel::dsl::not(diesel::dsl::exists(
            outbox::table.filter(outbox::notification_id.eq(notifications::id.nullable())),
        )))
        .select((notifications::id, notifications::title, notifications::body, notifications::link, users::email))
        .load(conn)?;
    for (id, title, body, link, email) in &fresh {
        let text = match link {
            Some(l) => format!("{body}\n\n{l}\n\n— Waypoint, the career office"),
            None => format!("{body}\n\n— Waypoint, the career office"),
        };
        diesel::insert_into(outbox::table)
            .values((
                outbox::id.eq(uuid::Uuid::new_v4().to_string()),
                outbox::notification_id.eq(id),
                outbox::to_email.eq(email),
                outbox::subject.eq(title),
                outbox::body.eq(text),
                outbox::next_attempt_at.eq(now),
                outbox::created_at.eq(now),
                outbox::updated_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(fresh.len())
}

/// Claims the messages due now (each only if no one else claimed it meanwhile).
pub fn claim_due(
    conn: &mut DbConnection,
    now: NaiveDateTime,
) -> QueryResult<Vec<(String, String, String, String, i32)>> {
    let due: Vec<(String, String, String, String, i32)> = outbox::table
        .filter(outbox::sent_at.is_null())
        .filter(outbox::next_attempt_at.le(now))
        .select((outbox::id, outbox::to_email, outbox::subject, outbox::body, outbox::attempts))
        .order(outbox::next_attempt_at)
        .limit(50)
        .load(conn)?;
    let mut mine = Vec::new();
    for m in due {
        let claimed = diesel::update(
            outbox::table
                .filter(outbox::id.eq(&m.0))
                .filter(outbox::sent_at.is_null())
                .filter(outbox::next_attempt_at.le(now)),
        )
        .set((outbox::next_attempt_at.eq(now + chrono::Duration::seconds(CLAIM)), outbox::updated_at.eq(now)))
        .execute(conn)?;
        if claimed == 1 {
            mine.push(m);
        }
    }
    Ok(mine)
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

/// The sender named in mail: the public host's `no-reply`.
fn sender(public_host: &str) -> String {
    format!("Waypoint <no-reply@{public_host}>")
}

pub fn spawn_worker(pool: Pool, clock: Clock, smtp_url: String, holder: String) {
    tokio::spawn(async move {
        let started = clock.now_utc();
        loop {
            let (pool2, url, holder2, clock2) = (pool.clone(), smtp_url.clone(), holder.clone(), clock.clone());
            let round = tokio::task::spawn_blocking(move || run_round(&pool2, &clock2, &url, &holder2, started)).await;
            match round {
                Ok(Err(e)) => tracing::warn!(error = %e, "mail round failed; retrying"),
                Err(e) => tracing::warn!(error = %e, "mail worker stopped a round"),
                _ => {}
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    });
}

fn run_round(pool: &Pool, clock: &Clock, smtp_url: &str, holder: &str, started: NaiveDateTime) -> Result<(), String> {
    let mut conn = pool.get().map_err(|e| e.to_string())?;
    let now = clock.now_utc();
    if !crate::tasks::take_lease(&mut conn, "mail", holder, now, now + chrono::Duration::seconds(30))
        .map_err(|e| e.to_string())?
    {
        return Ok(());
    }
    enqueue(&mut conn, started, now).map_err(|e| e.to_string())?;
    let due = claim_due(&mut conn, now).map_err(|e| e.to_string())?;
    if due.is_empty() {
        return Ok(());
    }
    let transport = SmtpTransport::from_url(smtp_url)
        .map_err(|e| format!("WAYPOINT_SMTP_URL: {e}"))?
        .timeout(Some(Duration::from_secs(10)))
        .build();
    let host = url::Url::parse(smtp_url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_else(|| "localhost".into());
    for (id, to, subject, body, attempts) in due {
        let message = Message::builder()
            .from(sender(&host).parse().map_err(|e| format!("sender: {e}"))?)
            .to(match to.parse() {
                Ok(a) => a,
                Err(e) => {
                    mark_failed(&mut conn, &id, attempts, &format!("address: {e}"), now).map_err(|e| e.to_string())?;
                    continue;
                }
            })
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body);
        let sent = match message {
            Ok(m) => transport.send(&m).map(|_| ()).map_err(|e| e.to_string()),
            Err(e) => Err(e.to_string()),
        };
        let now = clock.now_utc();
        match sent {
            Ok(()) => mark_sent(&mut conn, &id, now).map_err(|e| e.to_string())?,
            Err(e) => {
                tracing::warn!(error = %e, attempts = attempts + 1, "mail not sent; will retry");
                mark_failed(&mut conn, &id, attempts, &e, now).map_err(|e| e.to_string())?
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped() {
        assert_eq!(backoff(0), chrono::Duration::seconds(1));
        assert_eq!(backoff(3), chrono::Duration::seconds(8));
        assert_eq!(backoff(20), chrono::Duration::minutes(10));
    }
}
