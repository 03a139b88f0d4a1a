//! The conversions report: one row per employer with at least one completed engagement
//! (in the filters), in name order, then `All employers`. The figures are
//! `outcomes::rules::conversions` over the employer's completions and its offers: those
//! made in the micro-internship flow (`offers`) and outcomes naming the employer with an
//! `offer_on` (hired: the offer was accepted — an accepted flow offer, or an outcome with
//! an `accepted_on` or in employment). Employers are read a page at a time, each page's
//! completions, offers, outcomes and partnerships in one query each.
//!
//! Filters: cohort and college (the students who completed), employer (that employer's row
//! only; `All employers` is then its figures), from/to (the completion date).

use std::collections::HashMap;

use chrono::NaiveDate;
use diesel::prelude::*;

use super::filters::{student_filters, Filters};
use super::registry::Sink;
use crate::db::schema::{employers, engagements, offers, outcomes, partnerships, students};
use crate::db::{DbConnection, MultiBackend};
use crate::outcomes::rules::{all_employers, conversions, rate_cell, Category, Completion, Conversion, OfferMade};

pub const COLUMNS: [&str; 8] = [
    "employer",
    "partnership_tier",
    "engagements_completed",
    "students_completed",
    "students_offered",
    "students_hired",
    "conversion_rate",
    "median_days_to_offer",
];

const PAGE: i64 = 200;

/// An outcome's offer as read: student, employer, offer_on, accepted_on, category.
type RecordedOffer = (String, Option<String>, Option<NaiveDate>, Option<NaiveDate>, String);

fn row(employer: &str, tier: &str, c: &Conversion) -> Vec<String> {
    vec![
        employer.to_owned(),
        tier.to_owned(),
        c.engagements_completed.to_string(),
        c.students_completed.to_string(),
        c.students_offered.to_string(),
        c.students_hired.to_string(),
        rate_cell(c.rate()),
        c.median_days_to_offer(),
    ]
}

fn employer_page(
    conn: &mut DbConnection,
    f: &Filters,
    after: Option<&(String, String)>,
) -> QueryResult<Vec<(String, String)>> {
    let mut q = employers::table.into_boxed::<MultiBackend>();
    if let Some(e) = &f.employer_id {
        q = q.filter(employers::id.eq(e.clone()));
    }
    if let Some((name, id)) = after {
        // `>=` first: the index range starts at the key (see placements).
        q = q.filter(employers::name.ge(name.clone())).filter(
            employers::name.gt(name.clone()).or(employers::name.eq(name.clone()).and(employers::id.gt(id.clone()))),
        );
    }
    q.select((employers::name, employers::id)).order((employers::name, employers::id)).limit(PAGE).load(conn)
}

/// The page's completed engagements in the filters: (student, employer, completed_on).
fn completions_of(
    conn: &mut DbConnection,
    f: &Filters,
    today: NaiveDate,
    ids: &[&str],
) -> QueryResult<Vec<(String, String, NaiveDate)>> {
    let q = engagements::table
        .inner_join(students::table)
        .filter(engagements::employer_id.eq_any(ids))
        .filter(engagements::status.eq("completed"))
        .filter(engagements::completed_on.is_not_null())
        .into_boxed::<MultiBackend>();
    let mut q = student_filters!(q, f, today);
    if let Some(from) = f.from {
        q = q.filter(engagements::completed_on.ge(from));
    }
    if let Some(to) = f.to {
        q = q.filter(engagements::completed_on.le(to));
    }
    let found: Vec<(String, String, Option<NaiveDate>)> =
        q.select((engagements::student_id, engagements::employer_id, engagements::completed_on)).load(conn)?;
    Ok(found.into_iter().filter_map(|(s, e, d)| d.map(|d| (s, e, d))).collect())
}

/// Every offer the page's employers made: (student, employer, offer_on, accepted).
fn offers_of(conn: &mut DbConnection, ids: &[&str]) -> QueryResult<Vec<(String, String, NaiveDate, bool)>> {
    let made: Vec<(String, String, NaiveDate, String)> = offers::table
        .filter(offers::employer_id.eq_any(ids))
        .select((offers::student_id, offers::employer_id, offers::offer_on, offers::status))
        .load(conn)?;
    let recorded: Vec<RecordedOffer> = outcomes::table
        .filter(outcomes::employer_id.eq_any(ids))
        .filter(outcomes::offer_on.is_not_null())
        // A survey answer counts once a counselor has confirmed it (docs/reports.md).
        .filter(outcomes::awaiting_confirmation.eq(false))
        .select((
            outcomes::student_id,
            outcomes::employer_id,
            outcomes::offer_on,
            outcomes::accepted_on,
            outcomes::category,
        ))
        .load(conn)?;
    let employed =
        |c: &str| matches!(c.parse::<Category>(), Ok(Category::EmployedFullTime | Category::EmployedPartTime));
    let mut all: Vec<(String, String, NaiveDate, bool)> =
        made.into_iter().map(|(s, e, on, status)| (s, e, on, status == "accepted")).collect();
    for (s, e, on, accepted_on, category) in recorded {
        if let (Some(e), Some(on)) = (e, on) {
            all.push((s, e, on, accepted_on.is_some() || employed(&category)));
        }
    }
    Ok(all)
}

/// Each employer's tier: its current partnership's, else its latest one's.
fn tiers_of(conn: &mut DbConnection, ids: &[&str]) -> QueryResult<HashMap<String, String>> {
    let found: Vec<(String, String, String, chrono::NaiveDateTime)> = partnerships::table
        .filter(partnerships::employer_id.eq_any(ids))
        .select((partnerships::employer_id, partnerships::tier, partnerships::status, partnerships::created_at))
        .order((partnerships::employer_id, partnerships::created_at))
        .load(conn)?;
    let mut best: HashMap<String, (bool, chrono::NaiveDateTime, String)> = HashMap::new();
    for (e, tier, status, at) in found {
        let key = (status != "ended", at, tier);
        best.entry(e).and_modify(|b| *b = std::cmp::max(b.clone(), key.clone())).or_insert(key);
    }
    Ok(best.into_iter().map(|(e, (_, _, tier))| (e, tier)).collect())
}

pub fn rows(conn: &mut DbConnection, f: &Filters, today: NaiveDate, sink: &mut Sink<'_>) -> QueryResult<u64> {
    let mut after: Option<(String, String)> = None;
    let mut all = Conversion::default();
    let mut emitted = 0;
    loop {
        let page = employer_page(conn, f, after.as_ref())?;
        let Some(last) = page.last() else { break };
        after = Some(last.clone());
        let ids: Vec<&str> = page.iter().map(|(_, id)| id.as_str()).collect();
        let done = completions_of(conn, f, today, &ids)?;
        if !done.is_empty() {
            let made = offers_of(conn, &ids)?;
            let tiers = tiers_of(conn, &ids)?;
            let completions: Vec<Completion> = done
                .iter()
                .map(|(s, e, on)| Completion { student: s.as_str(), employer: e.as_str(), completed_on: *on })
                .collect();
            let offers: Vec<OfferMade> = made
                .iter()
                .map(|(s, e, on, accepted)| OfferMade {
                    student: s.as_str(),
                    employer: e.as_str(),
                    offer_on: *on,
                    accepted: *accepted,
                })
                .collect();
            let by_employer = conversions(&completions, &offers);
            let mut shown = Vec::new();
            for (name, id) in &page {
                let Some(c) = by_employer.get(id.as_str()) else { continue };
                let tier = tiers.get(id).map(String::as_str).unwrap_or("");
                emitted += 1;
                if !sink(row(name, tier, c)) {
                    return Ok(emitted);
                }
                shown.push(c);
            }
            all = all_employers(std::iter::once(&all).chain(shown));
        }
        if (page.len() as i64) < PAGE {
            break;
        }
    }
    emitted += 1;
    sink(row("All employers", "", &all));
    Ok(emitted)
}
