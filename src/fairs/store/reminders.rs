//! Reminders before a session: one about 24 hours before (sent once the session is less
//! than a day away, and more than an hour) and one in the last hour, to each student
//! holding a seat (inbox and mail) and to the host of a session with registered students.
//! What the periodic task `fair_reminders` runs.
//!
//! Each reminder is sent at most once, also with several instances on one database (the
//! task's lease aside): it is claimed first by a conditional `UPDATE … SET reminded_… = now
//! WHERE id = … AND reminded_… IS NULL`, in the same transaction as its message, and only
//! the run whose update changed the row tells anyone. A second run finds the row claimed.
//! Cancelled registrations, waitlist places and cancelled sessions get none.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::{Text, Timestamp};

use super::tell_with_calendar;
use crate::core::{Clock, Error, FairSessionId, UserId};
use crate::db::schema::{fair_sessions, recruiters, registrations, students};
use crate::db::{self, DbConnection};
use crate::fairs::rules::{RegistrationStatus, SessionStatus};

/// At most this many reminders of each kind per run; the next run takes the rest.
const BATCH: i64 = 500;

/// Which reminder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reminder {
    /// The day before: the session starts in more than an hour and at most 24 hours.
    Day,
    /// The last hour: it starts within the hour.
    Hour,
}

impl Reminder {
    /// The window of start times (after, up to and including) this reminder is for at `now`.
    fn window(self, now: NaiveDateTime) -> (NaiveDateTime, NaiveDateTime) {
        match self {
            Reminder::Day => (now + Duration::hours(1), now + Duration::hours(24)),
            Reminder::Hour => (now, now + Duration::hours(1)),
        }
    }

    /// The column that records it was sent (the same name on registrations and sessions).
    fn column(self) -> &'static str {
        match self {
            Reminder::Day => "reminded_24h_at",
            Reminder::Hour => "reminded_1h_at",
        }
    }
}

/// The reminder due for a session starting at `starts_at`, at `now` (none once it started
/// or while it is more than a day away). A session booked 3 hours ahead gets the day's
/// reminder at once, then the hour's; one booked 30 minutes ahead only the hour's.
pub fn due(starts_at: NaiveDateTime, now: NaiveDateTime) -> Option<Reminder> {
    [Reminder::Hour, Reminder::Day].into_iter().find(|r| {
        let (after, until) = r.window(now);
        starts_at > after && starts_at <= until
    })
}

/// Claims a reminder on one row of `table`: true only for the one run whose update set it.
fn claim(conn: &mut DbConnection, table: &str, id: &str, r: Reminder, now: NaiveDateTime) -> QueryResult<bool> {
    let col = r.column();
    let sql = format!(
        "UPDATE {table} SET {col} = {} WHERE id = {} AND {col} IS NULL",
        conn.placeholder(1),
        conn.placeholder(2)
    );
    let changed = diesel::sql_query(sql).bind::<Timestamp, _>(now).bind::<Text, _>(id).execute(conn)?;
    Ok(changed == 1)
}

/// A reminder owed: the row to claim, whom to tell, and about which session.
#[derive(Debug, Clone, Queryable)]
struct Owed {
    row: String,
    user: UserId,
    session: FairSessionId,
    title: String,
    starts_at: NaiveDateTime,
}

/// The students' reminders of kind `r` owed at `now` (seats in scheduled sessions in the
/// window, not yet claimed).
fn owed_to_students(conn: &mut DbConnection, r: Reminder, now: NaiveDateTime) -> QueryResult<Vec<Owed>> {
    let (after, until) = r.window(now);
    macro_rules! owed {
        ($col:expr) => {
            registrations::table
                .inner_join(fair_sessions::table)
                .inner_join(students::table)
                .filter(registrations::status.eq(RegistrationStatus::Registered))
                .filter($col.is_null())
                .filter(fair_sessions::status.eq(SessionStatus::Scheduled))
                .filter(fair_sessions::starts_at.gt(after))
                .filter(fair_sessions::starts_at.le(until))
                .filter(students::user_id.is_not_null())
                .select((
                    registrations::id,
                    students::user_id.assume_not_null(),
                    fair_sessions::id,
                    fair_sessions::title,
                    fair_sessions::starts_at,
                ))
                .order(fair_sessions::starts_at)
                .limit(BATCH)
                .load(conn)
        };
    }
    match r {
        Reminder::Day => owed!(registrations::reminded_24h_at),
        Reminder::Hour => owed!(registrations::reminded_1h_at),
    }
}

/// The hosts' reminders of kind `r` owed at `now`: sessions in the window with a host and
/// at least one registered student (an empty slot needs no reminder).
fn owed_to_hosts(conn: &mut DbConnection, r: Reminder, now: NaiveDateTime) -> QueryResult<Vec<Owed>> {
    let (after, until) = r.window(now);
    macro_rules! owed {
        ($col:expr) => {
            fair_sessions::table
                .inner_join(recruiters::table)
                .filter($col.is_null())
                .filter(fair_sessions::status.eq(SessionStatus::Scheduled))
                .filter(fair_sessions::starts_at.gt(after))
                .filter(fair_sessions::starts_at.le(until))
                .filter(
                    fair_sessions::id.eq_any(
                        registrations::table
                            .filter(registrations::status.eq(RegistrationStatus::Registered))
                            .select(registrations::session_id),
                    ),
                )
                .select((
                    fair_sessions::id,
                    recruiters::user_id,
                    fair_sessions::id,
                    fair_sessions::title,
                    fair_sessions::starts_at,
                ))
                .order(fair_sessions::starts_at)
                .limit(BATCH)
                .load(conn)
        };
    }
    match r {
        Reminder::Day => owed!(fair_sessions::reminded_24h_at),
        Reminder::Hour => owed!(fair_sessions::reminded_1h_at),
    }
}

/// Sends the reminders owed now; how many were sent by this run.
pub fn send_due(conn: &mut DbConnection, clock: &Clock) -> Result<usize, Error> {
    let now = clock.now_utc();
    let mut sent = 0;
    for r in [Reminder::Day, Reminder::Hour] {
        for (table, host, owed) in [
            ("registrations", false, owed_to_students(conn, r, now)?),
            ("fair_sessions", true, owed_to_hosts(conn, r, now)?),
        ] {
            for o in owed {
                let when = clock.format_datetime(o.starts_at);
                let title = match r {
                    Reminder::Day => format!("Reminder: “{}” is on {when}", o.title),
                    Reminder::Hour => format!("Starting soon: “{}” at {when}", o.title),
                };
                let body = if host {
                    "You host this session. Its roster and join link are on the session's page."
                } else {
                    "Join through the session's page: the link opens ten minutes before the start."
                };
                let link = format!("/sessions/{}", o.session);
                let told = db::transaction(conn, |conn| -> Result<bool, Error> {
                    if !claim(conn, table, &o.row, r, now)? {
                        return Ok(false);
                    }
                    tell_with_calendar(conn, &o.user, "fair_session.reminder", &title, body, &link, None, now)?;
                    Ok(true)
                })?;
                sent += usize::from(told);
            }
        }
    }
    Ok(sent)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn the_day_s_reminder_then_the_hour_s_and_none_before_or_after() {
        let starts = at("2027-02-17 18:00");
        assert_eq!(due(starts, at("2027-02-16 17:59")), None, "more than a day away");
        assert_eq!(due(starts, at("2027-02-16 18:00")), Some(Reminder::Day), "24 hours before");
        assert_eq!(due(starts, at("2027-02-17 16:59")), Some(Reminder::Day));
        assert_eq!(due(starts, at("2027-02-17 17:00")), Some(Reminder::Hour), "1 hour before");
        assert_eq!(due(starts, at("2027-02-17 17:59")), Some(Reminder::Hour));
        assert_eq!(due(starts, at("2027-02-17 18:00")), None, "started");
    }
}
