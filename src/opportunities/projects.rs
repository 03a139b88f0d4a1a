//! The office's list of every project (engagement), with its filters: status, employer,
//! overdue (still to deliver after the due date), unpaid (completed, payment not
//! recorded). A page at a time.

use chrono::NaiveDate;
use diesel::prelude::*;

use super::rules::EngagementStatus;
use crate::core::{EmployerId, EngagementId, StudentId};
use crate::db::schema::{employers, engagements, opportunities, students};
use crate::db::{DbConnection, MultiBackend};

/// Projects on one page of the list.
pub const PROJECTS_PAGE: i64 = 25;

/// What the list is narrowed to (every filter optional).
#[derive(Debug, Clone, Default)]
pub struct ProjectFilter {
    pub status: Option<EngagementStatus>,
    pub employer: Option<EmployerId>,
    /// Still to deliver (in progress or revision requested) and due before `today`.
    pub overdue: bool,
    /// Completed, and no payment recorded.
    pub unpaid: bool,
    /// The campus date "overdue" is judged on.
    pub today: NaiveDate,
}

#[derive(Debug, Queryable)]
pub struct ProjectLine {
    pub id: EngagementId,
    pub title: String,
    pub employer: String,
    pub student_id: StudentId,
    pub student: String,
    pub status: EngagementStatus,
    pub due_on: NaiveDate,
    pub paid_on: Option<NaiveDate>,
    pub fee_cents: i64,
    pub currency: String,
}

macro_rules! projects_query {
    ($f:expr) => {{
        let f: &ProjectFilter = $f;
        let mut q = engagements::table
            .inner_join(opportunities::table)
            .inner_join(employers::table)
            .inner_join(students::table)
            .into_boxed::<MultiBackend>();
        if let Some(s) = f.status {
            q = q.filter(engagements::status.eq(s));
        }
        if let Some(e) = &f.employer {
            q = q.filter(engagements::employer_id.eq(e.clone()));
        }
        if f.overdue {
            q = q
                .filter(engagements::status.eq_any([EngagementStatus::Active, EngagementStatus::RevisionRequested]))
                .filter(engagements::due_on.lt(f.today));
        }
        if f.unpaid {
            q = q.filter(engagements::status.eq(EngagementStatus::Completed)).filter(engagements::paid_on.is_null());
        }
        q
    }};
}

pub fn count(conn: &mut DbConnection, f: &ProjectFilter) -> QueryResult<i64> {
    projects_query!(f).count().get_result(conn)
}

/// Page `page` (from 1) of the projects matching `f`, by due date: the latest first
/// (what is under way now), or when only overdue ones are asked for, the longest overdue.
pub fn list(conn: &mut DbConnection, f: &ProjectFilter, page: i64) -> QueryResult<Vec<ProjectLine>> {
    let q = projects_query!(f);
    let q = if f.overdue {
        q.order((engagements::due_on.asc(), engagements::id))
    } else {
        q.order((engagements::due_on.desc(), engagements::id))
    };
    q.select((
        engagements::id,
        opportunities::title,
        employers::name,
        students::id,
        students::name,
        engagements::status,
        engagements::due_on,
        engagements::paid_on,
        opportunities::fee_cents,
        opportunities::currency,
    ))
    .limit(PROJECTS_PAGE)
    .offset((page.max(1) - 1) * PROJECTS_PAGE)
    .load(conn)
}

/// The employers that have had a project, by name (the employer filter's choices).
pub fn employers_with_projects(conn: &mut DbConnection) -> QueryResult<Vec<(EmployerId, String)>> {
    employers::table
        .filter(employers::id.eq_any(engagements::table.select(engagements::employer_id)))
        .select((employers::id, employers::name))
        .order((employers::name.asc(), employers::id))
        .load(conn)
}
