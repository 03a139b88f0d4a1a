//! The placements report: one row per recorded outcome in employment, military or
//! volunteer service, or continuing education (`Category::is_placement`), with the
//! graduate and the terms. `via_micro_internship` is `true` when the student had completed
//! an engagement with that employer before the offer date (strictly before, as conversion
//! counts). Outcomes are read a page at a time in student-number order; each page's
//! completed engagements come in one more query.
//!
//! Filters: cohort (graduates of the class), college, employer (the catalogue employer the
//! outcome names), from/to (the date the office learnt it, `known_on`).

use std::collections::HashMap;

use chrono::NaiveDate;
use diesel::prelude::*;

use super::filters::{cohort_cell, student_filters, Filters};
use super::registry::Sink;
use crate::core::money;
use crate::db::schema::{employers, engagements, outcomes, students};
use crate::db::{DbConnection, MultiBackend};
use crate::outcomes::rules::Category;

pub const COLUMNS: [&str; 17] = [
    "student_number",
    "student_name",
    "email",
    "college",
    "major",
    "cohort",
    "category",
    "employment_type",
    "organization",
    "job_title",
    "start_on",
    "annual_salary",
    "currency",
    "source",
    "via_micro_internship",
    "offer_on",
    "accepted_on",
];

const PAGE: i64 = 1000;

#[derive(Debug, Queryable)]
struct Placement {
    id: String,
    student_id: String,
    student_number: String,
    student_name: String,
    email: String,
    college: String,
    major: String,
    graduation_term: String,
    category: String,
    employment_type: Option<String>,
    employer_id: Option<String>,
    employer_name: Option<String>,
    organization: Option<String>,
    job_title: Option<String>,
    start_on: Option<NaiveDate>,
    annual_salary_cents: Option<i64>,
    currency: String,
    source: String,
    offer_on: Option<NaiveDate>,
    accepted_on: Option<NaiveDate>,
}

fn page(
    conn: &mut DbConnection,
    f: &Filters,
    today: NaiveDate,
    after: Option<&(String, String)>,
    limit: i64,
) -> QueryResult<Vec<Placement>> {
    let placements: Vec<&str> = Category::ALL.iter().filter(|c| c.is_placement()).map(|c| c.as_str()).collect();
    let q = outcomes::table
        .inner_join(students::table)
        .left_join(employers::table)
        .filter(outcomes::category.eq_any(placements))
        // A survey answer counts once a counselor has confirmed it (docs/reports.md).
        .filter(outcomes::awaiting_confirmation.eq(false))
        .into_boxed::<MultiBackend>();
    let mut q = student_filters!(q, f, today);
    if let Some(e) = &f.employer_id {
        q = q.filter(outcomes::employer_id.eq(e.clone()));
    }
    if let Some(from) = f.from {
        q = q.filter(outcomes::known_on.ge(from));
    }
    if let Some(to) = f.to {
        q = q.filter(outcomes::known_on.le(to));
    }
    if let Some((number, id)) = after {
        // `>=` first, so that both backends start the index range at the key rather than
        // filtering every row before it (each page is then O(page), not O(report)).
        q = q.filter(students::student_number.ge(number.clone())).filter(
            students::student_number
                .gt(number.clone())
                .or(students::student_number.eq(number.clone()).and(outcomes::id.gt(id.clone()))),
        );
    }
    q.select((
        outcomes::id,
        outcomes::student_id,
        students::student_number,
        students::name,
        students::email,
        students::college,
        students::major,
        students::graduation_term,
        outcomes::category,
        outcomes::employment_type,
        outcomes::employer_id,
        employers::name.nullable(),
        outcomes::organization,
        outcomes::job_title,
        outcomes::start_on,
        outcomes::annual_salary_cents,
        outcomes::currency,
        outcomes::source,
        outcomes::offer_on,
        outcomes::accepted_on,
    ))
    .order((students::student_number, outcomes::id))
    .limit(limit)
    .load(conn)
}

/// The first completion of each (student, employer) among the page's students.
fn first_completions(conn: &mut DbConnection, students: &[&str]) -> QueryResult<HashMap<(String, String), NaiveDate>> {
    let done: Vec<(String, String, Option<NaiveDate>)> = engagements::table
        .filter(engagements::student_id.eq_any(students))
        .filter(engagements::status.eq("completed"))
        .filter(engagements::completed_on.is_not_null())
        .select((engagements::student_id, engagements::employer_id, engagements::completed_on))
        .load(conn)?;
    let mut first = HashMap::new();
    for (s, e, on) in done {
        let Some(on) = on else { continue };
        first.entry((s, e)).and_modify(|d: &mut NaiveDate| *d = (*d).min(on)).or_insert(on);
    }
    Ok(first)
}

fn date(d: Option<NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

pub fn rows(conn: &mut DbConnection, f: &Filters, today: NaiveDate, sink: &mut Sink<'_>) -> QueryResult<u64> {
    let mut after: Option<(String, String)> = None;
    let mut emitted = 0;
    loop {
        let found = page(conn, f, today, after.as_ref(), PAGE)?;
        let Some(last) = found.last() else { break };
        after = Some((last.student_number.clone(), last.id.clone()));
        let (n, more_wanted) = emit(conn, &found, today, sink)?;
        emitted += n;
        if !more_wanted || (found.len() as i64) < PAGE {
            break;
        }
    }
    Ok(emitted)
}

/// One page of the report, for a caller who pages (the JSON API): at most `limit` rows
/// after the row whose key is `after` (student number, then outcome id: the file's own
/// order), and the key of its last row when more follow. The key is the row's own, not a
/// position, so rows recorded meanwhile neither shift nor repeat any.
pub fn page_after(
    conn: &mut DbConnection,
    f: &Filters,
    today: NaiveDate,
    after: Option<(String, String)>,
    limit: i64,
    sink: &mut Sink<'_>,
) -> QueryResult<Option<(String, String)>> {
    let mut found = page(conn, f, today, after.as_ref(), limit + 1)?;
    let more = found.len() as i64 > limit;
    found.truncate(usize::try_from(limit).unwrap_or(0));
    emit(conn, &found, today, sink)?;
    Ok(if more { found.last().map(|p| (p.student_number.clone(), p.id.clone())) } else { None })
}

/// Hands a page's rows to `sink`: how many, and whether the reader wants more.
fn emit(
    conn: &mut DbConnection,
    found: &[Placement],
    today: NaiveDate,
    sink: &mut Sink<'_>,
) -> QueryResult<(u64, bool)> {
    let ids: Vec<&str> = found.iter().map(|p| p.student_id.as_str()).collect();
    let first = first_completions(conn, &ids)?;
    let mut emitted = 0;
    for p in found {
        let via = match (&p.employer_id, p.offer_on) {
            (Some(e), Some(offer_on)) => {
                first.get(&(p.student_id.clone(), e.clone())).is_some_and(|done| *done < offer_on)
            }
            _ => false,
        };
        let cells = vec![
            p.student_number.clone(),
            p.student_name.clone(),
            p.email.clone(),
            p.college.clone(),
            p.major.clone(),
            cohort_cell(&p.graduation_term, today),
            p.category.clone(),
            p.employment_type.clone().unwrap_or_default(),
            p.organization.clone().or_else(|| p.employer_name.clone()).unwrap_or_default(),
            p.job_title.clone().unwrap_or_default(),
            date(p.start_on),
            p.annual_salary_cents.map(money::display).unwrap_or_default(),
            p.currency.clone(),
            p.source.clone(),
            via.to_string(),
            date(p.offer_on),
            date(p.accepted_on),
        ];
        emitted += 1;
        if !sink(cells) {
            return Ok((emitted, false));
        }
    }
    Ok((emitted, true))
}
