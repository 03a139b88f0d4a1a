//! Registrations: a seat while one is free, else the waitlist (first come, first
//! served, positions 1, 2, 3 … without gaps); cancelling frees the seat for the first
//! waiting student, who is told. A student holds no two overlapping registrations and at
//! most one one-on-one slot per employer per fair. The join link records attendance; a
//! registered student who never came is a no-show once the session has ended, and too
//! many no-shows in a term pause registration until a counselor clears them.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::sessions::{find, SessionRow};
use super::{contact, lock_session, lock_student, record, student_user, tell, tell_with_calendar};
use crate::core::{Actor, Error, FairSessionId, RegistrationId, StudentId};
use crate::db::schema::{fair_sessions, fairs, registrations, students};
use crate::db::{self, DbConnection};
use crate::fairs::calendar::{for_session, Site};
use crate::fairs::rules::{
    may_register, placement, FairStatus, Placement, RegistrationStatus, SessionKind, SessionStatus, Span,
};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = registrations)]
pub struct RegistrationRow {
    pub id: RegistrationId,
    pub session_id: FairSessionId,
    pub student_id: StudentId,
    pub status: RegistrationStatus,
    pub waitlist_position: Option<i32>,
    pub attended_at: Option<NaiveDateTime>,
    pub sequence: i32,
}

pub fn of_student(
    conn: &mut DbConnection,
    session_id: &FairSessionId,
    student_id: &StudentId,
) -> QueryResult<Option<RegistrationRow>> {
    registrations::table
        .filter(registrations::session_id.eq(session_id))
        .filter(registrations::student_id.eq(student_id))
        .select(RegistrationRow::as_select())
        .first(conn)
        .optional()
}

/// The no-show rule's inputs: the limit and the term's span (UTC).
#[derive(Debug, Clone, Copy)]
pub struct NoShowRule {
    pub limit: u32,
    pub term: Span,
}

/// The student's no-shows in the term: registered, never joined, session over, not cleared.
pub fn no_shows(conn: &mut DbConnection, student_id: &StudentId, term: Span, now: NaiveDateTime) -> QueryResult<i64> {
    registrations::table
        .inner_join(fair_sessions::table)
        .filter(registrations::student_id.eq(student_id))
        .filter(registrations::status.eq(RegistrationStatus::Registered))
        .filter(registrations::attended_at.is_null())
        .filter(registrations::no_show_cleared_at.is_null())
        .filter(fair_sessions::status.eq(SessionStatus::Scheduled))
        .filter(fair_sessions::ends_at.le(now))
        .filter(fair_sessions::starts_at.ge(term.0))
        .filter(fair_sessions::starts_at.lt(term.1))
        .count()
        .get_result(conn)
}

/// The student registers: a seat or the waitlist's end, or a refusal saying why. They
/// are told (inbox and mail); a seat's mail carries the invitation (`METHOD:REQUEST`).
pub fn register(
    conn: &mut DbConnection,
    session_id: &FairSessionId,
    student_id: &StudentId,
    rule: NoShowRule,
    site: &Site,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<Placement, Error> {
    db::transaction(conn, |conn| {
        lock_session(conn, session_id)?;
        let s = find(conn, session_id)?.ok_or(Error::NotFound)?;
        let fair_status: FairStatus = fairs::table.find(&s.fair_id).select(fairs::status).first(conn)?;
        if fair_status != FairStatus::Published {
            return Err(Error::NotFound);
        }
        if s.status != SessionStatus::Scheduled || s.ends_at <= now {
            return Err(Error::conflict("this session no longer takes registrations"));
        }
        lock_student(conn, student_id)?;
        may_register(no_shows(conn, student_id, rule.term, now)?, rule.limit).map_err(Error::Conflict)?;
        let existing = of_student(conn, session_id, student_id)?;
        if existing.as_ref().is_some_and(|r| r.status != RegistrationStatus::Cancelled) {
            return Err(Error::conflict("you are already registered for this session"));
        }
        let clash: Option<String> = registrations::table
            .inner_join(fair_sessions::table)
            .filter(registrations::student_id.eq(student_id))
            .filter(registrations::status.ne(RegistrationStatus::Cancelled))
            .filter(fair_sessions::status.eq(SessionStatus::Scheduled))
            .filter(fair_sessions::starts_at.lt(s.ends_at))
            .filter(fair_sessions::ends_at.gt(s.starts_at))
            .select(fair_sessions::title)
            .first(conn)
            .optional()?;
        if let Some(title) = clash {
            return Err(Error::conflict(format!("it overlaps “{title}”, which you are registered for")));
        }
        if s.kind == SessionKind::OneOnOne {
            let held: i64 = registrations::table
                .inner_join(fair_sessions::table)
                .filter(registrations::student_id.eq(student_id))
                .filter(registrations::status.ne(RegistrationStatus::Cancelled))
                .filter(fair_sessions::status.eq(SessionStatus::Scheduled))
                .filter(fair_sessions::fair_id.eq(&s.fair_id))
                .filter(fair_sessions::employer_id.eq(&s.employer_id))
                .filter(fair_sessions::kind.eq(SessionKind::OneOnOne))
                .count()
                .get_result(conn)?;
            if held > 0 {
                return Err(Error::conflict("you already hold a one-on-one slot with this employer at this fair"));
            }
        }
        let registered = count(conn, session_id, RegistrationStatus::Registered)?;
        let last = last_position(conn, session_id)?;
        let placed = placement(s.kind, registered, s.capacity, last).map_err(Error::Conflict)?;
        let (status, position) = match placed {
            Placement::Seat => (RegistrationStatus::Registered, None),
            Placement::Waitlist(p) => (RegistrationStatus::Waitlisted, Some(p)),
        };
        let sequence = existing.as_ref().map_or(0, |r| r.sequence + 1);
        match existing {
            Some(r) => {
                diesel::update(registrations::table.find(&r.id))
                    .set((
                        registrations::status.eq(status),
                        registrations::waitlist_position.eq(position),
                        registrations::cancelled_at.eq(None::<NaiveDateTime>),
                        registrations::sequence.eq(sequence),
                        registrations::updated_at.eq(now),
                    ))
                    .execute(conn)?;
            }
            None => {
                insert_many(
                    conn,
                    &[NewRegistration {
                        id: RegistrationId::generate(),
                        session_id: session_id.clone(),
                        student_id: student_id.clone(),
                        status,
                        waitlist_position: position,
                        attended_at: None,
                        cancelled_at: None,
                        sequence: 0,
                        no_show_cleared_at: None,
                        reminded_24h_at: None,
                        reminded_1h_at: None,
                        created_at: now,
                        updated_at: now,
                    }],
                )?;
            }
        }
        record(
            conn,
            now,
            actor,
            "registration.made",
            "fair_session",
            session_id,
            serde_json::json!({ "status": status, "position": position }),
        )?;
        if let Some((user, email)) = contact(conn, student_id)? {
            let link = format!("/sessions/{session_id}");
            match placed {
                Placement::Seat => {
                    let ics = for_session(site, &s, sequence, false, Some(&email), now);
                    tell_with_calendar(
                        conn,
                        &user,
                        "registration.confirmed",
                        &format!("You are registered for “{}”", s.title),
                        "The invitation for your calendar comes with this message. Join through the session's page: the link opens ten minutes before the start.",
                        &link,
                        Some(&ics),
                        now,
                    )?;
                }
                Placement::Waitlist(p) => tell_with_calendar(
                    conn,
                    &user,
                    "registration.waitlisted",
                    &format!("You are number {p} on the waitlist of “{}”", s.title),
                    "You will be told, with the invitation for your calendar, if a seat opens.",
                    &link,
                    None,
                    now,
                )?,
            }
        }
        Ok(placed)
    })
}

fn count(conn: &mut DbConnection, session_id: &FairSessionId, status: RegistrationStatus) -> QueryResult<i64> {
    registrations::table
        .filter(registrations::session_id.eq(session_id))
        .filter(registrations::status.eq(status))
        .count()
        .get_result(conn)
}

fn last_position(conn: &mut DbConnection, session_id: &FairSessionId) -> QueryResult<Option<i32>> {
    registrations::table
        .filter(registrations::session_id.eq(session_id))
        .filter(registrations::status.eq(RegistrationStatus::Waitlisted))
        .select(diesel::dsl::max(registrations::waitlist_position))
        .first(conn)
}

/// Fills free seats from the head of the waitlist, in order; each promoted student is
/// told (with the invitation), and the rest move up. Runs under the session's lock.
pub(crate) fn promote_waitlisted(
    conn: &mut DbConnection,
    s: &SessionRow,
    site: &Site,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    if s.status != SessionStatus::Scheduled {
        return Ok(0);
    }
    let free = i64::from(s.capacity) - count(conn, &s.id, RegistrationStatus::Registered)?;
    if free <= 0 {
        return Ok(0);
    }
    let heads: Vec<(RegistrationId, StudentId, i32, i32)> = registrations::table
        .filter(registrations::session_id.eq(&s.id))
        .filter(registrations::status.eq(RegistrationStatus::Waitlisted))
        .select((
            registrations::id,
            registrations::student_id,
            registrations::waitlist_position.assume_not_null(),
            registrations::sequence,
        ))
        .order(registrations::waitlist_position)
        .limit(free)
        .load(conn)?;
    let Some(last) = heads.last().map(|h| h.2) else { return Ok(0) };
    for (id, student, _, sequence) in &heads {
        diesel::update(registrations::table.find(id))
            .set((
                registrations::status.eq(RegistrationStatus::Registered),
                registrations::waitlist_position.eq(None::<i32>),
                registrations::updated_at.eq(now),
            ))
            .execute(conn)?;
        let Some((user, email)) = contact(conn, student)? else { continue };
        let title = format!("A seat opened: you are registered for “{}”", s.title);
        let ics = for_session(site, s, *sequence, false, Some(&email), now);
        tell_with_calendar(
            conn,
            &user,
            "registration.promoted",
            &title,
            "You moved up from the waitlist. The invitation for your calendar comes with this message.",
            &format!("/sessions/{}", s.id),
            Some(&ics),
            now,
        )?;
    }
    close_gap(conn, &s.id, last, heads.len() as i32, now)?;
    Ok(heads.len())
}

/// Moves everyone waiting behind `after` up by `by` places (lowest first, so that no two
/// ever share a position).
fn close_gap(
    conn: &mut DbConnection,
    session_id: &FairSessionId,
    after: i32,
    by: i32,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(
        registrations::table
            .filter(registrations::session_id.eq(session_id))
            .filter(registrations::status.eq(RegistrationStatus::Waitlisted))
            .filter(registrations::waitlist_position.gt(after)),
    )
    .set((
        registrations::waitlist_position.eq(registrations::waitlist_position - by),
        registrations::updated_at.eq(now),
    ))
    .execute(conn)
    .map(|_| ())
}

/// The student cancels their registration (or leaves the waitlist). A freed seat goes
/// to the first waiting student at once, in the same transaction. The student is told; a
/// seat's mail carries the cancellation (`METHOD:CANCEL`) for their calendar.
pub fn cancel(
    conn: &mut DbConnection,
    session_id: &FairSessionId,
    student_id: &StudentId,
    site: &Site,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<(SessionRow, RegistrationStatus), Error> {
    db::transaction(conn, |conn| {
        lock_session(conn, session_id)?;
        let s = find(conn, session_id)?.ok_or(Error::NotFound)?;
        let r = of_student(conn, session_id, student_id)?
            .filter(|r| r.status != RegistrationStatus::Cancelled)
            .ok_or_else(|| Error::conflict("you are not registered for this session"))?;
        if s.ends_at <= now {
            return Err(Error::conflict("this session is over"));
        }
        diesel::update(registrations::table.find(&r.id))
            .set((
                registrations::status.eq(RegistrationStatus::Cancelled),
                registrations::waitlist_position.eq(None::<i32>),
                registrations::cancelled_at.eq(now),
                registrations::sequence.eq(r.sequence + 1),
                registrations::updated_at.eq(now),
            ))
            .execute(conn)?;
        match r.waitlist_position {
            Some(p) => close_gap(conn, session_id, p, 1, now)?,
            None => {
                promote_waitlisted(conn, &s, site, now)?;
            }
        }
        if let Some((user, email)) = contact(conn, student_id)? {
            let link = format!("/sessions/{session_id}");
            if r.status == RegistrationStatus::Registered {
                let ics = for_session(site, &s, r.sequence + 1, true, Some(&email), now);
                tell_with_calendar(
                    conn,
                    &user,
                    "registration.cancelled",
                    &format!("Your registration for “{}” is cancelled", s.title),
                    "The cancellation for your calendar comes with this message.",
                    &link,
                    Some(&ics),
                    now,
                )?;
            } else {
                tell_with_calendar(
                    conn,
                    &user,
                    "registration.cancelled",
                    &format!("You left the waitlist of “{}”", s.title),
                    "You can join the waitlist again from the session's page.",
                    &link,
                    None,
                    now,
                )?;
            }
        }
        record(
            conn,
            now,
            actor,
            "registration.cancelled",
            "fair_session",
            session_id,
            serde_json::json!({ "was": r.status }),
        )?;
        Ok((s, r.status))
    })
}

/// A student on a session's roster, as its host (and the office) sees them.
#[derive(Debug, Clone, Queryable)]
pub struct RosterRow {
    pub id: RegistrationId,
    pub name: String,
    pub email: String,
    pub major: String,
    pub class_year: i32,
    pub status: RegistrationStatus,
    pub waitlist_position: Option<i32>,
    pub attended_at: Option<NaiveDateTime>,
}

/// The roster: registered students by name, then the waitlist in order. The read is
/// audited (FERPA: a recruiter reads student records), in the same transaction.
pub fn roster(
    conn: &mut DbConnection,
    session_id: &FairSessionId,
    reader: &Actor,
    now: NaiveDateTime,
) -> Result<Vec<RosterRow>, Error> {
    roster_as(conn, session_id, reader, "registrations.viewed", now)
}

/// The roster, audited under `action` (read on the page, or exported as a file).
pub fn roster_as(
    conn: &mut DbConnection,
    session_id: &FairSessionId,
    reader: &Actor,
    action: &str,
    now: NaiveDateTime,
) -> Result<Vec<RosterRow>, Error> {
    db::transaction(conn, |conn| {
        let mut rows: Vec<RosterRow> = registrations::table
            .inner_join(students::table)
            .filter(registrations::session_id.eq(session_id))
            .filter(registrations::status.ne(RegistrationStatus::Cancelled))
            .select((
                registrations::id,
                students::name,
                students::email,
                students::major,
                students::class_year,
                registrations::status,
                registrations::waitlist_position,
                registrations::attended_at,
            ))
            .load(conn)?;
        rows.sort_by(|a, b| {
            (a.status, a.waitlist_position, a.name.to_lowercase()).cmp(&(
                b.status,
                b.waitlist_position,
                b.name.to_lowercase(),
            ))
        });
        record(conn, now, reader, action, "fair_session", session_id, serde_json::json!({ "students": rows.len() }))?;
        Ok(rows)
    })
}

/// The host marks a registered student as attended (or not).
pub fn mark_attendance(
    conn: &mut DbConnection,
    session: &SessionRow,
    registration: &RegistrationId,
    attended: bool,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<String, Error> {
    db::transaction(conn, |conn| {
        let (student, name): (StudentId, String) = registrations::table
            .inner_join(students::table)
            .filter(registrations::id.eq(registration))
            .filter(registrations::session_id.eq(&session.id))
            .filter(registrations::status.eq(RegistrationStatus::Registered))
            .select((registrations::student_id, students::name))
            .first(conn)
            .optional()?
            .ok_or(Error::NotFound)?;
        if session.starts_at - chrono::Duration::minutes(crate::fairs::rules::JOIN_OPENS_BEFORE_MINUTES) > now {
            return Err(Error::conflict("attendance can be marked once the session has begun"));
        }
        let at = attended.then_some(now);
        diesel::update(registrations::table.find(registration))
            .set((registrations::attended_at.eq(at), registrations::updated_at.eq(now)))
            .execute(conn)?;
        record(
            conn,
            now,
            actor,
            "attendance.marked",
            "registration",
            registration,
            serde_json::json!({ "student": student, "attended": attended }),
        )?;
        Ok(name)
    })
}

/// Through the join link: the first time in the window, the student's attendance.
pub fn record_join(conn: &mut DbConnection, registration: &RegistrationId, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(registrations::table.find(registration).filter(registrations::attended_at.is_null()))
        .set((registrations::attended_at.eq(now), registrations::updated_at.eq(now)))
        .execute(conn)
}

/// A student whose no-shows this term reach the limit.
#[derive(Debug, Clone)]
pub struct Blocked {
    pub student_id: StudentId,
    pub name: String,
    pub email: String,
    pub no_shows: i64,
}

/// The students whose registration is paused this term.
pub fn blocked(conn: &mut DbConnection, rule: NoShowRule, now: NaiveDateTime) -> QueryResult<Vec<Blocked>> {
    let rows: Vec<(StudentId, String, String, i64)> = registrations::table
        .inner_join(fair_sessions::table)
        .inner_join(students::table)
        .filter(registrations::status.eq(RegistrationStatus::Registered))
        .filter(registrations::attended_at.is_null())
        .filter(registrations::no_show_cleared_at.is_null())
        .filter(fair_sessions::status.eq(SessionStatus::Scheduled))
        .filter(fair_sessions::ends_at.le(now))
        .filter(fair_sessions::starts_at.ge(rule.term.0))
        .filter(fair_sessions::starts_at.lt(rule.term.1))
        .group_by((students::id, students::name, students::email))
        .select((students::id, students::name, students::email, diesel::dsl::count_star()))
        .order(students::name)
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter(|r| r.3 >= i64::from(rule.limit))
        .map(|(student_id, name, email, no_shows)| Blocked { student_id, name, email, no_shows })
        .collect())
}

/// A counselor clears a student's no-shows (so far): registration opens again.
pub fn clear_no_shows(
    conn: &mut DbConnection,
    student_id: &StudentId,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<(String, usize), Error> {
    db::transaction(conn, |conn| {
        let name: String =
            students::table.find(student_id).select(students::name).first(conn).optional()?.ok_or(Error::NotFound)?;
        let n = diesel::update(
            registrations::table
                .filter(registrations::student_id.eq(student_id))
                .filter(registrations::status.eq(RegistrationStatus::Registered))
                .filter(registrations::attended_at.is_null())
                .filter(registrations::no_show_cleared_at.is_null())
                .filter(
                    registrations::session_id
                        .eq_any(fair_sessions::table.filter(fair_sessions::ends_at.le(now)).select(fair_sessions::id)),
                ),
        )
        .set((registrations::no_show_cleared_at.eq(now), registrations::updated_at.eq(now)))
        .execute(conn)?;
        record(conn, now, actor, "no_shows.cleared", "student", student_id, serde_json::json!({ "cleared": n }))?;
        let who = student_user(conn, student_id)?;
        tell(
            conn,
            &who,
            "no_shows.cleared",
            "You can register for fair sessions again",
            "The career office cleared your missed sessions.",
            "/fairs",
            now,
        )?;
        Ok((name, n))
    })
}

/// The student's registrations (not cancelled) for sessions of a fair.
pub fn mine_in_fair(
    conn: &mut DbConnection,
    student_id: &StudentId,
    fair_id: &crate::core::FairId,
) -> QueryResult<Vec<RegistrationRow>> {
    registrations::table
        .inner_join(fair_sessions::table)
        .filter(registrations::student_id.eq(student_id))
        .filter(fair_sessions::fair_id.eq(fair_id))
        .filter(registrations::status.ne(RegistrationStatus::Cancelled))
        .select(RegistrationRow::as_select())
        .load(conn)
}

/// A registration as it is added (a student registering, or many by the synthetic data
/// set as the fair's history left them: attended, cancelled, on the waitlist).
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = registrations, treat_none_as_default_value = false)]
pub struct NewRegistration {
    pub id: RegistrationId,
    pub session_id: FairSessionId,
    pub student_id: StudentId,
    pub status: RegistrationStatus,
    pub waitlist_position: Option<i32>,
    pub attended_at: Option<NaiveDateTime>,
    pub cancelled_at: Option<NaiveDateTime>,
    pub sequence: i32,
    pub no_show_cleared_at: Option<NaiveDateTime>,
    pub reminded_24h_at: Option<NaiveDateTime>,
    pub reminded_1h_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// Adds registrations, many per statement.
pub fn insert_many(conn: &mut DbConnection, rows: &[NewRegistration]) -> QueryResult<usize> {
    crate::db::batch::insert_rows!(conn, registrations::table, rows, 13)
}
