//! Periodic work inside the server: closing postings whose apply-by date passed, and
//! sending the mail outbox. Each task holds a lease in `task_leases` while it runs, so
//! that of several instances on one database one does the work at a time; the work
//! itself is idempotent, so a lease that lapses mid-run does no harm.

use std::time::Duration;

use crate::core::Clock;
use crate::core::Error;
use crate::db::{leases, DbConnection, Pool};
use crate::notify::mail::Outgoing;

/// Closes the open postings whose apply-by date has passed on campus: a posting due on
/// Feb 16 takes applications until midnight on campus, not until midnight UTC (7 pm the
/// evening before in New York). What the periodic task runs; idempotent.
pub fn close_due_postings(conn: &mut DbConnection, clock: &Clock) -> Result<usize, Error> {
    crate::opportunities::postings::close_expired(conn, clock.today(), clock.now_utc())
}

/// Starts the periodic tasks of this instance; `mail` when `WAYPOINT_SMTP_URL` is set.
pub fn spawn(pool: Pool, clock: Clock, mail: Option<Outgoing>) {
    let holder = uuid::Uuid::new_v4().to_string();
    let closer_pool = pool.clone();
    let closer_holder = holder.clone();
    let closer_clock = clock.clone();
    tokio::spawn(async move {
        loop {
            let (pool, holder, clock) = (closer_pool.clone(), closer_holder.clone(), closer_clock.clone());
            let ran = tokio::task::spawn_blocking(move || -> Result<usize, String> {
                let mut conn = pool.get().map_err(|e| e.to_string())?;
                let now = clock.now_utc();
                if !leases::take(&mut conn, "close_postings", &holder, now, now + chrono::Duration::seconds(50))
                    .map_err(|e| e.to_string())?
                {
                    return Ok(0);
                }
                close_due_postings(&mut conn, &clock).map_err(|e| e.to_string())
            })
            .await;
            match ran {
                Ok(Ok(n)) if n > 0 => tracing::info!(closed = n, "postings past their apply-by date closed"),
                Ok(Err(e)) => tracing::warn!(error = %e, "closing postings failed; retrying later"),
                _ => {}
            }
            tokio::time::sleep(Duration::from_secs(60)).await;
        }
    });
    if let Some(outgoing) = mail {
        crate::notify::mail::spawn_worker(pool, clock, outgoing, holder);
    }
}
