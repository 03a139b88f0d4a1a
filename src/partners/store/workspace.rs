//! What the recruiter's workspace reads: their own employer's postings (with applicant
//! counts, no student named) and fair sessions, and a session's registrants. Every query
//! is scoped by the recruiter's employer, so another employer's id finds nothing (404,
//! no probing); reading registrants is written to the audit log in the same transaction.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::audit;
use crate::core::{Actor, EmployerId, Error, FairSessionId, OpportunityId};
use crate::db::schema::{applications, fair_sessions, fairs, opportunities, registrations, students};
use crate::db::{self, DbConnection};

/// One of the employer's postings (statuses are the opportunities area's).
#[derive(Debug, Clone, Queryable)]
pub struct PostingRow {
    pub id: OpportunityId,
    pub title: String,
    pub status: String,
    pub apply_by: NaiveDate,
    pub openings: i32,
    pub review_note: Option<String>,
}

/// One of the employer's fair sessions.
#[derive(Debug, Clone, Queryable)]
pub struct SessionRow {
    pub id: FairSessionId,
    pub fair: String,
    pub title: String,
    pub kind: String,
    pub starts_at: NaiveDateTime,
    pub capacity: i32,
    pub status: String,
}

/// The employer's latest postings, each with how many applied (a count, no names).
pub fn postings(conn: &mut DbConnection, employer_id: &EmployerId) -> QueryResult<Vec<(PostingRow, i64)>> {
    let postings: Vec<PostingRow> = opportunities::table
        .filter(opportunities::employer_id.eq(employer_id))
        .select((
            opportunities::id,
            opportunities::title,
            opportunities::status,
            opportunities::apply_by,
            opportunities::openings,
            opportunities::review_note,
        ))
        .order((opportunities::apply_by.desc(), opportunities::id))
        .limit(200)
        .load(conn)?;
    let counts: Vec<(OpportunityId, i64)> = applications::table
        .inner_join(opportunities::table)
        .filter(opportunities::employer_id.eq(employer_id))
        .group_by(applications::opportunity_id)
        .select((applications::opportunity_id, diesel::dsl::count_star()))
        .load(conn)?;
    Ok(postings
        .into_iter()
        .map(|p| {
            let applicants = counts.iter().find(|(id, _)| *id == p.id).map_or(0, |(_, n)| *n);
            (p, applicants)
        })
        .collect())
}

/// The sessions of a fair, as the workspace selects them (the columns of [`SessionRow`]).
macro_rules! session_columns {
    () => {
        (
            fair_sessions::id,
            fairs::name,
            fair_sessions::title,
            fair_sessions::kind,
            fair_sessions::starts_at,
            fair_sessions::capacity,
            fair_sessions::status,
        )
    };
}

/// The employer's latest fair sessions.
pub fn sessions(conn: &mut DbConnection, employer_id: &EmployerId) -> QueryResult<Vec<SessionRow>> {
    fair_sessions::table
        .inner_join(fairs::table)
        .filter(fair_sessions::employer_id.eq(employer_id))
        .select(session_columns!())
        .order((fair_sessions::starts_at.desc(), fair_sessions::id))
        .limit(200)
        .load(conn)
}

/// A student registered (or waitlisted) for a session, as the recruiter may see them.
#[derive(Debug, Clone, Queryable)]
pub struct Registrant {
    pub name: String,
    pub major: String,
    pub class_year: i32,
    pub status: String,
    pub attended_at: Option<NaiveDateTime>,
}

/// One of the employer's sessions with its registrants (`None`: no such session of
/// this employer). The read is audited, in the same transaction, from `ip`.
pub fn session_with_registrants(
    conn: &mut DbConnection,
    employer_id: &EmployerId,
    id: &FairSessionId,
    actor: &Actor,
    ip: Option<&str>,
    now: NaiveDateTime,
) -> Result<Option<(SessionRow, Vec<Registrant>)>, Error> {
    db::transaction(conn, |conn| {
        let session: Option<SessionRow> = fair_sessions::table
            .inner_join(fairs::table)
            .filter(fair_sessions::id.eq(id))
            .filter(fair_sessions::employer_id.eq(employer_id))
            .select(session_columns!())
            .first(conn)
            .optional()?;
        let Some(session) = session else { return Ok(None) };
        let people: Vec<Registrant> = registrations::table
            .inner_join(students::table)
            .filter(registrations::session_id.eq(id))
            .select((
                students::name,
                students::major,
                students::class_year,
                registrations::status,
                registrations::attended_at,
            ))
            .order((registrations::status.desc(), students::name))
            .load(conn)?;
        audit::record(
            conn,
            audit::Event {
                actor,
                action: "registrations.viewed",
                subject_type: "fair_session",
                subject_id: Some(id),
                at: now,
                ip,
                details: serde_json::json!({ "students": people.len() }),
            },
        )?;
        Ok(Some((session, people)))
    })
}
