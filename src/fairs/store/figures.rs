//! The fair-attendance figures: one query yields every scheduled session's counts (seats,
//! registered, waitlisted, attended) for the filters, grouped in the database, never a
//! query per row. The counselor's overview and the `fair-attendance` report are both made
//! from these rows (`fairs::figures` does the arithmetic), so they always agree.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Nullable, Text, Timestamp};

use crate::core::{Clock, EmployerId, FairId};
use crate::db::DbConnection;
use crate::fairs::figures::SessionFigures;
use crate::fairs::rules::SessionKind;

pub use crate::fairs::figures::COLUMNS;

/// Which sessions: of one fair, of one employer, starting within campus dates.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    pub fair: Option<FairId>,
    pub employer: Option<EmployerId>,
    /// Sessions starting at or after this instant (UTC).
    pub from: Option<NaiveDateTime>,
    /// Sessions starting before this instant (UTC).
    pub to: Option<NaiveDateTime>,
}

impl Filters {
    pub fn of_fair(fair: &FairId) -> Self {
        Filters { fair: Some(fair.clone()), ..Filters::default() }
    }

    /// Sessions starting from the campus day `from` through the campus day `to` (both
    /// whole days, either open).
    pub fn between(mut self, clock: &Clock, from: Option<NaiveDate>, to: Option<NaiveDate>) -> Self {
        self.from = from.map(|d| clock.start_of_campus_day(d));
        self.to = to.and_then(|d| d.succ_opt()).map(|d| clock.start_of_campus_day(d));
        self
    }
}

#[derive(QueryableByName)]
struct Counted {
    #[diesel(sql_type = Text)]
    fair: String,
    #[diesel(sql_type = Text)]
    employer: String,
    #[diesel(sql_type = Text)]
    session: String,
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = Timestamp)]
    starts_at: NaiveDateTime,
    #[diesel(sql_type = Timestamp)]
    ends_at: NaiveDateTime,
    #[diesel(sql_type = Integer)]
    capacity: i32,
    #[diesel(sql_type = BigInt)]
    registered: i64,
    #[diesel(sql_type = BigInt)]
    waitlisted: i64,
    #[diesel(sql_type = BigInt)]
    attended: i64,
}

/// Every scheduled session matching the filters, with its counts, in the report's order:
/// by fair (earliest first), employer, start. Cancelled sessions (and slots removed from a
/// series) did not take place and are left out. `now` decides which have ended.
pub fn sessions(conn: &mut DbConnection, f: &Filters, now: NaiveDateTime) -> QueryResult<Vec<SessionFigures>> {
    let p = |n| conn.placeholder(n);
    let sql = format!(
        "SELECT f.name AS fair, e.name AS employer, s.title AS session, s.kind AS kind, \
                s.starts_at AS starts_at, s.ends_at AS ends_at, s.capacity AS capacity, \
                COALESCE(SUM(CASE WHEN r.status = 'registered' THEN 1 ELSE 0 END), 0) AS registered, \
                COALESCE(SUM(CASE WHEN r.status = 'waitlisted' THEN 1 ELSE 0 END), 0) AS waitlisted, \
                COALESCE(SUM(CASE WHEN r.status = 'registered' AND r.attended_at IS NOT NULL THEN 1 ELSE 0 END), 0) \
                    AS attended \
         FROM fair_sessions s \
         JOIN fairs f ON f.id = s.fair_id \
         JOIN employers e ON e.id = s.employer_id \
         LEFT JOIN registrations r ON r.session_id = s.id \
         WHERE s.status = 'scheduled' \
           AND ({p1} IS NULL OR s.fair_id = {p1}) \
           AND ({p2} IS NULL OR s.employer_id = {p2}) \
           AND ({p3} IS NULL OR s.starts_at >= {p3}) \
           AND ({p4} IS NULL OR s.starts_at < {p4}) \
         GROUP BY s.id, f.id, f.name, f.starts_at, e.name, s.title, s.kind, s.starts_at, s.ends_at, s.capacity \
         ORDER BY f.starts_at, f.id, e.name, s.starts_at, s.id",
        p1 = p(1),
        p2 = p(2),
        p3 = p(3),
        p4 = p(4),
    );
    let rows: Vec<Counted> = diesel::sql_query(sql)
        .bind::<Nullable<Text>, _>(f.fair.as_ref().map(|x| x.as_str().to_owned()))
        .bind::<Nullable<Text>, _>(f.employer.as_ref().map(|x| x.as_str().to_owned()))
        .bind::<Nullable<Timestamp>, _>(f.from)
        .bind::<Nullable<Timestamp>, _>(f.to)
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|r| SessionFigures {
            fair: r.fair,
            employer: r.employer,
            session: r.session,
            kind: SessionKind::from_stored(&r.kind).unwrap_or(SessionKind::Group),
            starts_at: r.starts_at,
            capacity: r.capacity.into(),
            registered: r.registered,
            waitlisted: r.waitlisted,
            attended: r.attended,
            ended: r.ends_at <= now,
        })
        .collect())
}

/// The `fair-attendance` report's rows ([`COLUMNS`] order), each handed to `emit` (which
/// answers false to stop: the reader went away). Answers how many rows were emitted.
pub fn rows(
    conn: &mut DbConnection,
    f: &Filters,
    now: NaiveDateTime,
    emit: &mut dyn FnMut(Vec<String>) -> bool,
) -> QueryResult<u64> {
    let mut emitted = 0;
    for s in sessions(conn, f, now)? {
        emitted += 1;
        if !emit(s.row()) {
            break;
        }
    }
    Ok(emitted)
}
