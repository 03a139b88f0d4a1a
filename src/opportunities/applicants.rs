//! A posting's applicants a page at a time (2,000 apply to a popular posting at a large
//! university): oldest application first, optionally of one status, each page a place in
//! the list (after an application's time and id: keyset, so a deep page costs what the
//! first does), with what each applicant shared and the project they started, read for
//! the page's applicants only.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::applications::{shared_endorsements, ApplicantFields, ApplicantRow};
use super::rules::catalogue::{Cursor, SortKey};
use super::rules::{ApplicationStatus, EngagementStatus};
use crate::core::{ApplicationId, EngagementId, OpportunityId};
use crate::db::schema::{applications, engagements, students};
use crate::db::{DbConnection, MultiBackend};

/// Applicants on a page.
pub const APPLICANTS_PAGE: i64 = 25;

/// Which of a posting's applicants a page shows.
#[derive(Debug, Clone, Default)]
pub struct ApplicantsQuery {
    /// One status, or all.
    pub status: Option<ApplicationStatus>,
    /// The application the page starts after (or, `backward`, ends before).
    pub place: Option<Cursor>,
}

/// One page of a posting's applicants, how many match the status, and the places of the
/// pages before and after.
pub struct ApplicantsPage {
    pub rows: Vec<ApplicantRow>,
    pub total: i64,
    pub prev: Option<Cursor>,
    pub next: Option<Cursor>,
}

fn place(a: &ApplicantFields, backward: bool) -> Cursor {
    Cursor { key: SortKey::Opened(a.applied_at), id: a.id.to_string(), backward }
}

fn rows_of(
    conn: &mut DbConnection,
    posting_id: &OpportunityId,
    q: &ApplicantsQuery,
    place: Option<&Cursor>,
) -> QueryResult<Vec<ApplicantFields>> {
    let mut sel = applications::table
        .inner_join(students::table)
        .filter(applications::opportunity_id.eq(posting_id))
        .select((
            applications::id,
            students::name,
            students::college,
            students::major,
            students::class_year,
            applications::status,
            applications::statement,
            applications::decision_message,
            applications::created_at,
        ))
        .into_boxed::<MultiBackend>();
    if let Some(s) = q.status {
        sel = sel.filter(applications::status.eq(s));
    }
    let backward = place.is_some_and(|c| c.backward);
    if let Some(c) = place {
        let at: NaiveDateTime = match c.key {
            SortKey::Opened(t) => t,
            _ => NaiveDateTime::MIN,
        };
        let id = c.id.clone();
        sel = if c.backward {
            sel.filter(applications::created_at.le(at).and(applications::created_at.lt(at).or(applications::id.lt(id))))
        } else {
            sel.filter(applications::created_at.ge(at).and(applications::created_at.gt(at).or(applications::id.gt(id))))
        };
    }
    let sel = if backward {
        sel.order((applications::created_at.desc(), applications::id.desc()))
    } else {
        sel.order((applications::created_at.asc(), applications::id.asc()))
    };
    sel.limit(APPLICANTS_PAGE + 1).load(conn)
}

/// A page of the posting's applicants (the caller checked the scope).
pub fn applicants_page(
    conn: &mut DbConnection,
    posting_id: &OpportunityId,
    q: &ApplicantsQuery,
) -> QueryResult<ApplicantsPage> {
    let mut count =
        applications::table.filter(applications::opportunity_id.eq(posting_id)).into_boxed::<MultiBackend>();
    if let Some(s) = q.status {
        count = count.filter(applications::status.eq(s));
    }
    let total: i64 = count.count().get_result(conn)?;
    let mut place_asked = q.place.clone();
    let (rows, prev, next) = loop {
        let mut rows = rows_of(conn, posting_id, q, place_asked.as_ref())?;
        let more = rows.len() as i64 > APPLICANTS_PAGE;
        rows.truncate(APPLICANTS_PAGE as usize);
        match &place_asked {
            Some(c) if c.backward => {
                // Fewer than a page before it: the first page, shown whole.
                if !more {
                    place_asked = None;
                    continue;
                }
                rows.reverse();
                let prev = rows.first().map(|r| place(r, true));
                let next = rows.last().map(|r| place(r, false));
                break (rows, prev, next);
            }
            asked => {
                let next = if more { rows.last().map(|r| place(r, false)) } else { None };
                let prev = if asked.is_some() { rows.first().map(|r| place(r, true)) } else { None };
                break (rows, prev, next);
            }
        }
    };
    // What they shared and the projects they started: for this page's applicants only.
    let ids: Vec<ApplicationId> = rows.iter().map(|r| r.id.clone()).collect();
    let mut shared: HashMap<ApplicationId, Vec<_>> = HashMap::new();
    for e in shared_endorsements(conn, &ids)? {
        shared.entry(e.application_id.clone()).or_default().push(e);
    }
    let engaged: HashMap<ApplicationId, (EngagementId, EngagementStatus)> = engagements::table
        .filter(engagements::application_id.eq_any(&ids))
        .select((engagements::application_id, engagements::id, engagements::status))
        .load::<(ApplicationId, EngagementId, EngagementStatus)>(conn)?
        .into_iter()
        .map(|(a, id, s)| (a, (id, s)))
        .collect();
    let rows = rows
        .into_iter()
        .map(|applicant| ApplicantRow {
            shared: shared.remove(&applicant.id).unwrap_or_default(),
            engagement: engaged.get(&applicant.id).cloned(),
            applicant,
        })
        .collect();
    Ok(ApplicantsPage { rows, total, prev, next })
}
