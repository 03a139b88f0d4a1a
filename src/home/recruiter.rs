//! A recruiter's home: what waits for them at their own employer (and nothing of any
//! other): new applicants per posting, deliverables to review, payments to record, and
//! the employer's upcoming fair sessions with how many have registered.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::{count_star, exists};
use diesel::prelude::*;

use super::views::{Listed, NewApplicants, ProjectItem, RecruiterHome, SessionItem};
use super::SHOWN;
use crate::core::{EmployerId, EngagementId, FairSessionId, OpportunityId};
use crate::db::schema::{
    applications, employers, engagements, fair_sessions, fairs, opportunities, registrations, students,
};
use crate::db::{DbConnection, MultiBackend};
use crate::opportunities::rules::{ApplicationStatus, EngagementStatus};

pub fn recruiter_home(
    conn: &mut DbConnection,
    employer: &EmployerId,
    now: NaiveDateTime,
) -> QueryResult<RecruiterHome> {
    let name: String = employers::table.find(employer).select(employers::name).first(conn)?;
    Ok(RecruiterHome {
        employer: name,
        applicants: new_applicants(conn, employer)?,
        new_applicants: applications::table
            .inner_join(opportunities::table)
            .filter(opportunities::employer_id.eq(employer))
            .filter(applications::status.eq(ApplicationStatus::Submitted))
            .count()
            .get_result(conn)?,
        deliverables: projects(conn, employer, Waiting::Review)?,
        payments: projects(conn, employer, Waiting::Payment)?,
        sessions: upcoming_sessions(conn, employer, now)?,
    })
}

/// The employer's postings with new applicants (submitted, not yet decided on), and how many.
fn new_applicants(conn: &mut DbConnection, employer: &EmployerId) -> QueryResult<Listed<NewApplicants>> {
    let new = opportunities::employer_id.eq(employer).and(applications::status.eq(ApplicationStatus::Submitted));
    let total: i64 = opportunities::table
        .filter(opportunities::employer_id.eq(employer))
        .filter(exists(
            applications::table
                .filter(applications::opportunity_id.eq(opportunities::id))
                .filter(applications::status.eq(ApplicationStatus::Submitted)),
        ))
        .count()
        .get_result(conn)?;
    let rows: Vec<(OpportunityId, String, i64)> = applications::table
        .inner_join(opportunities::table)
        .filter(new)
        .group_by((opportunities::id, opportunities::title))
        .select((opportunities::id, opportunities::title, count_star()))
        .order((opportunities::title.asc(), opportunities::id))
        .limit(SHOWN)
        .load(conn)?;
    let items = rows.into_iter().map(|(id, title, count)| NewApplicants { id, title, count }).collect();
    Ok(Listed::new(items, total))
}

#[derive(Clone, Copy)]
enum Waiting {
    /// A deliverable submitted, to complete or send back for revision.
    Review,
    /// A completed project whose payment is not recorded.
    Payment,
}

fn projects(conn: &mut DbConnection, employer: &EmployerId, waiting: Waiting) -> QueryResult<Listed<ProjectItem>> {
    let base = || {
        let q = engagements::table
            .inner_join(opportunities::table)
            .inner_join(students::table)
            .filter(engagements::employer_id.eq(employer))
            .into_boxed::<MultiBackend>();
        match waiting {
            Waiting::Review => q.filter(engagements::status.eq(EngagementStatus::Submitted)),
            Waiting::Payment => {
                q.filter(engagements::status.eq(EngagementStatus::Completed)).filter(engagements::paid_on.is_null())
            }
        }
    };
    let total: i64 = base().count().get_result(conn)?;
    let q = match waiting {
        Waiting::Review => base().order((engagements::submitted_on.asc(), engagements::id)),
        Waiting::Payment => base().order((engagements::completed_on.asc(), engagements::id)),
    };
    #[allow(clippy::type_complexity)]
    let rows: Vec<(EngagementId, String, String, Option<NaiveDate>, Option<NaiveDate>, i64, String)> = q
        .select((
            engagements::id,
            opportunities::title,
            students::name,
            engagements::submitted_on,
            engagements::completed_on,
            opportunities::fee_cents,
            opportunities::currency,
        ))
        .limit(SHOWN)
        .load(conn)?;
    let items = rows
        .into_iter()
        .map(|(id, title, student, submitted_on, completed_on, fee_cents, currency)| ProjectItem {
            id,
            title,
            student,
            on: match waiting {
                Waiting::Review => submitted_on,
                Waiting::Payment => completed_on,
            },
            fee_cents,
            currency,
        })
        .collect();
    Ok(Listed::new(items, total))
}

/// The employer's sessions still to come (not cancelled), soonest first, with their
/// registered count (one grouped query for all of them).
fn upcoming_sessions(
    conn: &mut DbConnection,
    employer: &EmployerId,
    now: NaiveDateTime,
) -> QueryResult<Listed<SessionItem>> {
    let upcoming = fair_sessions::employer_id
        .eq(employer)
        .and(fair_sessions::status.eq("scheduled"))
        .and(fair_sessions::ends_at.gt(now));
    let total: i64 = fair_sessions::table.filter(upcoming).count().get_result(conn)?;
    let rows: Vec<(FairSessionId, String, String, NaiveDateTime, i32)> = fair_sessions::table
        .inner_join(fairs::table)
        .filter(upcoming)
        .select((
            fair_sessions::id,
            fair_sessions::title,
            fairs::name,
            fair_sessions::starts_at,
            fair_sessions::capacity,
        ))
        .order((fair_sessions::starts_at.asc(), fair_sessions::id))
        .limit(SHOWN)
        .load(conn)?;
    let ids: Vec<&FairSessionId> = rows.iter().map(|r| &r.0).collect();
    let counts: Vec<(FairSessionId, i64)> = registrations::table
        .filter(registrations::session_id.eq_any(ids))
        .filter(registrations::status.eq("registered"))
        .group_by(registrations::session_id)
        .select((registrations::session_id, count_star()))
        .load(conn)?;
    let items = rows
        .into_iter()
        .map(|(id, title, fair, starts_at, capacity)| SessionItem {
            registered: counts.iter().find(|(s, _)| *s == id).map_or(0, |(_, n)| *n),
            id,
            title,
            fair,
            starts_at,
            capacity,
        })
        .collect();
    Ok(Listed::new(items, total))
}
