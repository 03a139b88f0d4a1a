//! One-on-one series: the host sees its slots (free or booked, and by whom), shortens
//! it (the free slots ending after the new end are removed; booked slots are never
//! touched by shortening and are listed instead), and cancels a booked slot only one at a
//! time, with a reason the student receives (`sessions::cancel`: their registration ends,
//! the slot's calendar sequence goes up, so their `.ics` becomes a cancellation).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::record;
use super::sessions::SessionRow;
use crate::core::{Actor, EmployerId, Error, FairId, FairSessionId, StudentId};
use crate::db::schema::{fair_sessions, registrations, students};
use crate::db::{self, Backend, DbConnection};
use crate::fairs::rules::{RegistrationStatus, SessionStatus};

/// A scheduled slot of the series, and the student holding it, if any.
#[derive(Debug, Clone)]
pub struct Slot {
    pub session: SessionRow,
    pub student: Option<(StudentId, String)>,
}

/// The series' fair and its scheduled slots in time order, if the series is this
/// employer's (else not found: no probing).
pub fn slots(conn: &mut DbConnection, series: &str, employer: &EmployerId) -> Result<(FairId, Vec<Slot>), Error> {
    let fair: FairId = fair_sessions::table
        .filter(fair_sessions::series_id.eq(series))
        .filter(fair_sessions::employer_id.eq(employer))
        .select(fair_sessions::fair_id)
        .first(conn)
        .optional()?
        .ok_or(Error::NotFound)?;
    let rows: Vec<SessionRow> = fair_sessions::table
        .filter(fair_sessions::series_id.eq(series))
        .filter(fair_sessions::employer_id.eq(employer))
        .filter(fair_sessions::status.eq(SessionStatus::Scheduled))
        .select(SessionRow::as_select())
        .order((fair_sessions::starts_at, fair_sessions::id))
        .load(conn)?;
    let ids: Vec<&FairSessionId> = rows.iter().map(|s| &s.id).collect();
    let held: Vec<(FairSessionId, StudentId, String)> = registrations::table
        .inner_join(students::table)
        .filter(registrations::session_id.eq_any(ids))
        .filter(registrations::status.ne(RegistrationStatus::Cancelled))
        .select((registrations::session_id, registrations::student_id, students::name))
        .load(conn)?;
    let slots = rows
        .into_iter()
        .map(|session| {
            let student = held.iter().find(|h| h.0 == session.id).map(|h| (h.1.clone(), h.2.clone()));
            Slot { session, student }
        })
        .collect();
    Ok((fair, slots))
}

/// What shortening to `new_end` does: the free slots it removes, the booked ones it keeps.
#[derive(Debug, Clone, Default)]
pub struct Shortening {
    pub removed: Vec<Slot>,
    pub kept: Vec<Slot>,
}

/// Splits the slots ending after `new_end` into free (to remove) and booked (kept).
pub fn plan(slots: &[Slot], new_end: NaiveDateTime) -> Shortening {
    let (kept, removed): (Vec<Slot>, Vec<Slot>) =
        slots.iter().filter(|s| s.session.ends_at > new_end).cloned().partition(|s| s.student.is_some());
    Shortening { removed, kept }
}

/// Takes every slot's lock (see `store`'s note): a student booking one of them waits, or
/// goes first and is then seen as booked.
fn lock_series(conn: &mut DbConnection, series: &str) -> QueryResult<()> {
    let sql = match conn.backend() {
        Backend::Postgres => "SELECT id FROM fair_sessions WHERE series_id = $1 FOR UPDATE",
        Backend::Sqlite => "UPDATE fair_sessions SET updated_at = updated_at WHERE series_id = ?1",
    };
    diesel::sql_query(sql).bind::<diesel::sql_types::Text, _>(series).execute(conn).map(|_| ())
}

/// The host shortens the series: the free slots ending after `new_end` are removed from
/// the fair (kept as cancelled rows, so nothing that pointed at them breaks); booked
/// slots stay as they are. Refused (nothing changes) when no free slot ends after it.
pub fn shorten(
    conn: &mut DbConnection,
    series: &str,
    employer: &EmployerId,
    new_end: NaiveDateTime,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<(FairId, Shortening), Error> {
    db::transaction(conn, |conn| {
        lock_series(conn, series)?;
        let (fair, slots) = slots(conn, series, employer)?;
        let planned = plan(&slots, new_end);
        if planned.removed.is_empty() {
            return Err(Error::invalid("end", "no free slot ends after this time, so there is nothing to remove"));
        }
        let ids: Vec<&FairSessionId> = planned.removed.iter().map(|s| &s.session.id).collect();
        diesel::update(fair_sessions::table.filter(fair_sessions::id.eq_any(ids)))
            .set((
                fair_sessions::status.eq(SessionStatus::Cancelled),
                fair_sessions::sequence.eq(fair_sessions::sequence + 1),
                fair_sessions::updated_at.eq(now),
            ))
            .execute(conn)?;
        record(
            conn,
            now,
            actor,
            "fair_series.shortened",
            "fair_series",
            series,
            serde_json::json!({ "ends_at": new_end, "removed": planned.removed.len(), "booked_kept": planned.kept.len() }),
        )?;
        Ok((fair, planned))
    })
}

/// The host reads who booked the series' slots: audited like the roster (FERPA).
pub fn audit_read(
    conn: &mut DbConnection,
    series: &str,
    booked: usize,
    reader: &Actor,
    now: NaiveDateTime,
) -> QueryResult<()> {
    record(conn, now, reader, "registrations.viewed", "fair_series", series, serde_json::json!({ "students": booked }))
}
