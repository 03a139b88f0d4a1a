//! Sessions: a recruiter of a participating employer adds group sessions and one-on-one
//! series inside the fair's days; a host's sessions never overlap. Editing a session's
//! time or meeting link bumps its calendar sequence and tells its students; cancelling
//! tells them too. Another employer's session is not found (404, no probing).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::fairs::{days, find as find_fair, participation, partnership_active};
use super::registrations::promote_waitlisted;
use super::{lock_session, record, registrants, tell_with_calendar, Registrant};
use crate::core::{Actor, EmployerId, Error, FairId, FairSessionId, RecruiterId, UserId};
use crate::db::schema::{employers, fair_sessions, recruiters, registrations};
use crate::db::{self, DbConnection};
use crate::fairs::calendar::{for_session, Site};
use crate::fairs::rules::{
    within_window, FairStatus, ParticipationStatus, RegistrationStatus, SeriesPlan, SessionKind, SessionPlan,
    SessionStatus, Span,
};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = fair_sessions)]
pub struct SessionRow {
    pub id: FairSessionId,
    pub fair_id: FairId,
    pub employer_id: EmployerId,
    pub host_id: Option<RecruiterId>,
    pub kind: SessionKind,
    pub series_id: Option<String>,
    pub title: String,
    pub description: String,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub capacity: i32,
    pub meeting_url: String,
    pub status: SessionStatus,
    pub sequence: i32,
}

/// A session with its employer's name and how many hold a seat or wait.
#[derive(Debug, Clone)]
pub struct Listed {
    pub session: SessionRow,
    pub employer: String,
    pub registered: i64,
    pub waitlisted: i64,
}

pub fn find(conn: &mut DbConnection, id: &FairSessionId) -> QueryResult<Option<SessionRow>> {
    fair_sessions::table.find(id).select(SessionRow::as_select()).first(conn).optional()
}

/// The session, if it is this employer's (else not found: no probing).
pub fn find_of(conn: &mut DbConnection, id: &FairSessionId, employer_id: &EmployerId) -> Result<SessionRow, Error> {
    find(conn, id)?.filter(|s| s.employer_id == *employer_id).ok_or(Error::NotFound)
}

/// Seats taken and waitlist length per session, for these sessions (one query).
pub fn counts(
    conn: &mut DbConnection,
    ids: &[FairSessionId],
) -> QueryResult<Vec<(FairSessionId, RegistrationStatus, i64)>> {
    registrations::table
        .filter(registrations::session_id.eq_any(ids))
        .filter(registrations::status.ne(RegistrationStatus::Cancelled))
        .group_by((registrations::session_id, registrations::status))
        .select((registrations::session_id, registrations::status, diesel::dsl::count_star()))
        .load(conn)
}

/// Every session of a fair (cancelled ones too), in time order, with their counts.
pub fn of_fair(conn: &mut DbConnection, fair_id: &FairId) -> QueryResult<Vec<Listed>> {
    let rows: Vec<(SessionRow, String)> = fair_sessions::table
        .inner_join(employers::table)
        .filter(fair_sessions::fair_id.eq(fair_id))
        .select((SessionRow::as_select(), employers::name))
        .order((fair_sessions::starts_at, employers::name, fair_sessions::id))
        .load(conn)?;
    let ids: Vec<FairSessionId> = rows.iter().map(|(s, _)| s.id.clone()).collect();
    let counts = counts(conn, &ids)?;
    let n = |id: &FairSessionId, st: RegistrationStatus| {
        counts.iter().find(|(i, s, _)| i == id && *s == st).map_or(0, |(_, _, n)| *n)
    };
    Ok(rows
        .into_iter()
        .map(|(session, employer)| {
            let (registered, waitlisted) =
                (n(&session.id, RegistrationStatus::Registered), n(&session.id, RegistrationStatus::Waitlisted));
            Listed { session, employer, registered, waitlisted }
        })
        .collect())
}

/// The recruiter record of a signed-in recruiter of this employer.
pub fn host_of(conn: &mut DbConnection, user: &UserId, employer_id: &EmployerId) -> QueryResult<Option<RecruiterId>> {
    recruiters::table
        .filter(recruiters::user_id.eq(user))
        .filter(recruiters::employer_id.eq(employer_id))
        .select(recruiters::id)
        .first(conn)
        .optional()
}

/// Who adds or changes a session: the recruiter and their employer.
pub struct Host<'a> {
    pub recruiter: &'a RecruiterId,
    pub employer: &'a EmployerId,
    pub actor: &'a Actor,
}

/// The fair's days, if the employer may add sessions to it now.
fn open_to(conn: &mut DbConnection, fair_id: &FairId, employer_id: &EmployerId) -> Result<Vec<Span>, Error> {
    let fair = find_fair(conn, fair_id)?.ok_or(Error::NotFound)?;
    if fair.status != FairStatus::Published {
        return Err(Error::conflict("sessions can be added only while the fair is published"));
    }
    if participation(conn, fair_id, employer_id)? != Some(ParticipationStatus::Approved) {
        return Err(Error::conflict("your employer does not take part in this fair yet"));
    }
    if !partnership_active(conn, employer_id)? {
        return Err(Error::conflict("only employers with an active partnership take part in fairs"));
    }
    Ok(days(conn, &fair)?)
}

/// The host's scheduled sessions that share a moment with `span` (other than `except`).
fn host_clash(
    conn: &mut DbConnection,
    host: &RecruiterId,
    span: Span,
    except: Option<&FairSessionId>,
) -> QueryResult<Option<(String, NaiveDateTime)>> {
    let mut q = fair_sessions::table
        .filter(fair_sessions::host_id.eq(host))
        .filter(fair_sessions::status.eq(SessionStatus::Scheduled))
        .filter(fair_sessions::starts_at.lt(span.1))
        .filter(fair_sessions::ends_at.gt(span.0))
        .select((fair_sessions::title, fair_sessions::starts_at))
        .into_boxed();
    if let Some(id) = except {
        q = q.filter(fair_sessions::id.ne(id));
    }
    q.first(conn).optional()
}

fn clash_problem(field: &str, clash: Option<(String, NaiveDateTime)>) -> Result<(), Error> {
    match clash {
        Some((title, _)) => Err(Error::invalid(field, format!("overlaps your session “{title}”"))),
        None => Ok(()),
    }
}

const OUTSIDE: &str = "is outside the fair's hours; choose a time within one of its days";

/// A recruiter adds a group session.
pub fn create_group(
    conn: &mut DbConnection,
    fair_id: &FairId,
    host: &Host<'_>,
    plan: &SessionPlan,
    now: NaiveDateTime,
) -> Result<FairSessionId, Error> {
    let id = FairSessionId::generate();
    db::transaction(conn, |conn| {
        let days = open_to(conn, fair_id, host.employer)?;
        let span = (plan.starts_at, plan.ends_at);
        if !within_window(&days, span) {
            return Err(Error::invalid("start", OUTSIDE));
        }
        clash_problem("start", host_clash(conn, host.recruiter, span, None)?)?;
        insert(conn, &id, fair_id, host, plan, SessionKind::Group, None, span, now)?;
        record(
            conn,
            now,
            host.actor,
            "fair_session.created",
            "fair_session",
            &id,
            serde_json::json!({ "title": plan.title }),
        )?;
        Ok(())
    })?;
    Ok(id)
}

#[allow(clippy::too_many_arguments)]
fn insert(
    conn: &mut DbConnection,
    id: &FairSessionId,
    fair_id: &FairId,
    host: &Host<'_>,
    plan: &SessionPlan,
    kind: SessionKind,
    series: Option<&str>,
    span: Span,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    insert_many(
        conn,
        &[NewSession {
            id: id.clone(),
            fair_id: fair_id.clone(),
            employer_id: host.employer.clone(),
            host_id: Some(host.recruiter.clone()),
            kind,
            series_id: series.map(str::to_owned),
            title: plan.title.clone(),
            description: plan.description.clone(),
            starts_at: span.0,
            ends_at: span.1,
            capacity: if kind == SessionKind::OneOnOne { 1 } else { plan.capacity },
            meeting_url: plan.meeting_url.clone(),
            status: SessionStatus::Scheduled,
            sequence: 0,
            reminded_24h_at: None,
            reminded_1h_at: None,
            created_at: now,
            updated_at: now,
        }],
    )
}

/// A recruiter adds a one-on-one series: one session per generated slot, one student each.
/// Answers the series' id and how many slots it has.
pub fn create_series(
    conn: &mut DbConnection,
    fair_id: &FairId,
    host: &Host<'_>,
    plan: &SeriesPlan,
    now: NaiveDateTime,
) -> Result<(String, usize), Error> {
    let series = uuid::Uuid::new_v4().to_string();
    db::transaction(conn, |conn| {
        let days = open_to(conn, fair_id, host.employer)?;
        let span = (plan.session.starts_at, plan.session.ends_at);
        if !within_window(&days, span) {
            return Err(Error::invalid("start", OUTSIDE));
        }
        clash_problem("start", host_clash(conn, host.recruiter, span, None)?)?;
        for slot in &plan.slots {
            insert(
                conn,
                &FairSessionId::generate(),
                fair_id,
                host,
                &plan.session,
                SessionKind::OneOnOne,
                Some(&series),
                *slot,
                now,
            )?;
        }
        record(
            conn,
            now,
            host.actor,
            "fair_series.created",
            "fair_series",
            &series,
            serde_json::json!({ "slots": plan.slots.len() }),
        )?;
        Ok((series.clone(), plan.slots.len()))
    })
}

/// The host changes a group session. A new time or meeting link bumps the calendar
/// sequence and tells every registered and waitlisted student (a registered student's
/// mail carries the updated invitation); more seats promote the waitlist; fewer seats
/// than are taken are refused.
pub fn update(
    conn: &mut DbConnection,
    id: &FairSessionId,
    host: &Host<'_>,
    plan: &SessionPlan,
    site: &Site,
    now: NaiveDateTime,
) -> Result<SessionRow, Error> {
    db::transaction(conn, |conn| {
        lock_session(conn, id)?;
        let s = find_of(conn, id, host.employer)?;
        if s.status != SessionStatus::Scheduled {
            return Err(Error::conflict("a cancelled session cannot be changed"));
        }
        let fair = find_fair(conn, &s.fair_id)?.ok_or(Error::NotFound)?;
        let span = (plan.starts_at, plan.ends_at);
        if !within_window(&days(conn, &fair)?, span) {
            return Err(Error::invalid("start", OUTSIDE));
        }
        let host_id = s.host_id.clone().unwrap_or_else(|| host.recruiter.clone());
        clash_problem("start", host_clash(conn, &host_id, span, Some(id))?)?;
        let capacity = if s.kind == SessionKind::OneOnOne { 1 } else { plan.capacity };
        let taken: i64 = registrations::table
            .filter(registrations::session_id.eq(id))
            .filter(registrations::status.eq(RegistrationStatus::Registered))
            .count()
            .get_result(conn)?;
        if i64::from(capacity) < taken {
            return Err(Error::invalid(
                "capacity",
                format!("{taken} students hold a seat already; it cannot be fewer"),
            ));
        }
        let moved = (s.starts_at, s.ends_at) != span || s.meeting_url != plan.meeting_url;
        let sequence = if moved { s.sequence + 1 } else { s.sequence };
        diesel::update(fair_sessions::table.find(id))
            .set((
                fair_sessions::title.eq(&plan.title),
                fair_sessions::description.eq(&plan.description),
                fair_sessions::starts_at.eq(span.0),
                fair_sessions::ends_at.eq(span.1),
                fair_sessions::capacity.eq(capacity),
                fair_sessions::meeting_url.eq(&plan.meeting_url),
                fair_sessions::sequence.eq(sequence),
                fair_sessions::updated_at.eq(now),
            ))
            .execute(conn)?;
        let updated = find_of(conn, id, host.employer)?;
        if moved {
            let title = format!("“{}” has changed: new time or meeting link", plan.title);
            for r in registrants(conn, id)? {
                let ics = seated(&r).then(|| for_session(site, &updated, r.sequence, false, Some(&r.email), now));
                tell_with_calendar(
                    conn,
                    &r.user,
                    "fair_session.changed",
                    &title,
                    "Check the session's page for the new details.",
                    &format!("/sessions/{id}"),
                    ics.as_deref(),
                    now,
                )?;
            }
        }
        promote_waitlisted(conn, &updated, site, now)?;
        record(
            conn,
            now,
            host.actor,
            "fair_session.updated",
            "fair_session",
            id,
            serde_json::json!({ "sequence": sequence }),
        )?;
        Ok(updated)
    })
}

/// Whether the registrant holds a seat (and so has the invitation in their calendar).
fn seated(r: &Registrant) -> bool {
    r.status == RegistrationStatus::Registered
}

/// The host cancels a session: its students are told (with the reason; a registered
/// student's mail carries the cancellation for their calendar) and their registrations end.
pub fn cancel(
    conn: &mut DbConnection,
    id: &FairSessionId,
    employer_id: &EmployerId,
    reason: &str,
    site: &Site,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<(SessionRow, usize), Error> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(Error::invalid("reason", "tell the students why in a few words"));
    }
    db::transaction(conn, |conn| {
        lock_session(conn, id)?;
        let s = find_of(conn, id, employer_id)?;
        if s.status != SessionStatus::Scheduled {
            return Err(Error::conflict("this session is already cancelled"));
        }
        let who = registrants(conn, id)?;
        diesel::update(fair_sessions::table.find(id))
            .set((
                fair_sessions::status.eq(SessionStatus::Cancelled),
                fair_sessions::sequence.eq(s.sequence + 1),
                fair_sessions::updated_at.eq(now),
            ))
            .execute(conn)?;
        let n = diesel::update(
            registrations::table
                .filter(registrations::session_id.eq(id))
                .filter(registrations::status.ne(RegistrationStatus::Cancelled)),
        )
        .set((
            registrations::status.eq(RegistrationStatus::Cancelled),
            registrations::waitlist_position.eq(None::<i32>),
            registrations::cancelled_at.eq(now),
            registrations::sequence.eq(registrations::sequence + 1),
            registrations::updated_at.eq(now),
        ))
        .execute(conn)?;
        let title = format!("“{}” is cancelled", s.title);
        let ended = SessionRow { status: SessionStatus::Cancelled, sequence: s.sequence + 1, ..s.clone() };
        for r in &who {
            // The registration's sequence grew by one with the session's (above).
            let ics = seated(r).then(|| for_session(site, &ended, r.sequence + 1, true, Some(&r.email), now));
            tell_with_calendar(
                conn,
                &r.user,
                "fair_session.cancelled",
                &title,
                &format!("The host's reason: {reason}"),
                &format!("/sessions/{id}"),
                ics.as_deref(),
                now,
            )?;
        }
        record(
            conn,
            now,
            actor,
            "fair_session.cancelled",
            "fair_session",
            id,
            serde_json::json!({ "reason": reason, "students": n }),
        )?;
        Ok((s, n))
    })
}

/// A fair session as a bulk writer adds it (the synthetic data set): every column bound.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = fair_sessions, treat_none_as_default_value = false)]
pub struct NewSession {
    pub id: FairSessionId,
    pub fair_id: FairId,
    pub employer_id: EmployerId,
    pub host_id: Option<RecruiterId>,
    pub kind: crate::fairs::rules::SessionKind,
    pub series_id: Option<String>,
    pub title: String,
    pub description: String,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub capacity: i32,
    pub meeting_url: String,
    pub status: crate::fairs::rules::SessionStatus,
    pub sequence: i32,
    pub reminded_24h_at: Option<NaiveDateTime>,
    pub reminded_1h_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// Adds fair sessions, many per statement.
pub fn insert_many(conn: &mut DbConnection, rows: &[NewSession]) -> QueryResult<usize> {
    crate::db::batch::insert_rows!(conn, fair_sessions::table, rows, 18)
}
