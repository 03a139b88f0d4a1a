//! The career office's queue: postings waiting for review (oldest first, with how long
//! each has waited), active projects someone asked to cancel, and recruiters invited who
//! have not signed up yet. Each list is one query for its first rows and one count.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use super::views::{waited, CancellationItem, InvitationItem, Listed, OfficeHome, ReviewItem};
use super::SHOWN;
use crate::core::{EmployerId, EngagementId, OpportunityId, StudentId};
use crate::db::schema::{employers, engagements, invitations, opportunities, students, users};
use crate::db::DbConnection;
use crate::opportunities::rules::{EngagementStatus, PostingStatus};

/// Invitations that expired longer ago than this are history, not a queue.
const EXPIRED_KEPT_DAYS: i64 = 30;

pub fn office_home(conn: &mut DbConnection, admin: bool, now: NaiveDateTime) -> QueryResult<OfficeHome> {
    Ok(OfficeHome {
        admin,
        review: review_waiting(conn, now)?,
        cancellations: cancellations(conn)?,
        invitations: invitations_waiting(conn, now)?,
    })
}

pub fn review_waiting(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<Listed<ReviewItem>> {
    let waiting = opportunities::status.eq(PostingStatus::PendingReview);
    let total: i64 = opportunities::table.filter(waiting).count().get_result(conn)?;
    let rows: Vec<(OpportunityId, String, EmployerId, String, Option<NaiveDateTime>)> = opportunities::table
        .inner_join(employers::table)
        .filter(waiting)
        .select((opportunities::id, opportunities::title, employers::id, employers::name, opportunities::submitted_at))
        .order((opportunities::submitted_at.asc(), opportunities::id))
        .limit(SHOWN)
        .load(conn)?;
    let items = rows
        .into_iter()
        .map(|(id, title, employer_id, employer, submitted_at)| ReviewItem {
            waited: submitted_at.map(|s| waited(s, now)).unwrap_or_default(),
            id,
            title,
            employer_id,
            employer,
            submitted_at,
        })
        .collect();
    Ok(Listed::new(items, total))
}

pub fn cancellations(conn: &mut DbConnection) -> QueryResult<Listed<CancellationItem>> {
    let asked = engagements::cancel_requested_by.is_not_null().and(engagements::status.eq(EngagementStatus::Active));
    let total: i64 = engagements::table.filter(asked).count().get_result(conn)?;
    #[allow(clippy::type_complexity)]
    let rows: Vec<(EngagementId, String, String, StudentId, String, Option<String>, Option<String>)> =
        engagements::table
            .inner_join(opportunities::table)
            .inner_join(employers::table)
            .inner_join(students::table)
            .left_join(users::table)
            .filter(asked)
            .select((
                engagements::id,
                opportunities::title,
                employers::name,
                students::id,
                students::name,
                users::display_name.nullable(),
                engagements::cancel_reason,
            ))
            .order((engagements::updated_at.asc(), engagements::id))
            .limit(SHOWN)
            .load(conn)?;
    let items = rows
        .into_iter()
        .map(|(id, title, employer, student_id, student, asked_by, reason)| CancellationItem {
            id,
            title,
            employer,
            student_id,
            student,
            asked_by,
            reason: reason.unwrap_or_default(),
        })
        .collect();
    Ok(Listed::new(items, total))
}

pub fn invitations_waiting(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<Listed<InvitationItem>> {
    let since = now - Duration::days(EXPIRED_KEPT_DAYS);
    let waiting = invitations::used_at.is_null().and(invitations::expires_at.gt(since));
    let total: i64 = invitations::table.filter(waiting).count().get_result(conn)?;
    #[allow(clippy::type_complexity)]
    let rows: Vec<(EmployerId, String, String, String, NaiveDateTime, NaiveDateTime)> = invitations::table
        .inner_join(employers::table)
        .filter(waiting)
        .select((
            invitations::employer_id,
            employers::name,
            invitations::name,
            invitations::email,
            invitations::created_at,
            invitations::expires_at,
        ))
        .order((invitations::created_at.asc(), invitations::id))
        .limit(SHOWN)
        .load(conn)?;
    let items = rows
        .into_iter()
        .map(|(employer_id, employer, name, email, invited_at, expires_at)| InvitationItem {
            employer_id,
            employer,
            name,
            email,
            invited_at,
            expired: expires_at <= now,
            expires_at,
        })
        .collect();
    Ok(Listed::new(items, total))
}
