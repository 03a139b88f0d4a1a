//! The micro-internships report: one row per engagement (a student's project), in the
//! order they started, read a page at a time with their posting, employer and student in
//! the same query. Money in major units; `status` as stored (`active`, `submitted`,
//! `revision_requested`, `completed`, `cancelled`); `rating` is the employer's 1–5.
//!
//! Filters: cohort and college (the student), employer, from/to (the start date).

use chrono::NaiveDate;
use diesel::prelude::*;

use super::filters::{student_filters, Filters};
use super::registry::Sink;
use crate::core::money;
use crate::db::schema::{employers, engagements, opportunities, students};
use crate::db::{DbConnection, MultiBackend};

pub const COLUMNS: [&str; 14] = [
    "opportunity_id",
    "title",
    "employer",
    "student_number",
    "hours",
    "fee",
    "currency",
    "status",
    "started_on",
    "submitted_on",
    "completed_on",
    "rating",
    "paid_on",
    "amount_paid",
];

const PAGE: i64 = 1000;

#[derive(Debug, Queryable)]
struct Project {
    id: String,
    opportunity_id: String,
    title: String,
    employer: String,
    student_number: String,
    hours: i32,
    fee_cents: i64,
    currency: String,
    status: String,
    started_on: NaiveDate,
    submitted_on: Option<NaiveDate>,
    completed_on: Option<NaiveDate>,
    rating: Option<i32>,
    paid_on: Option<NaiveDate>,
    amount_paid_cents: Option<i64>,
}

fn page(
    conn: &mut DbConnection,
    f: &Filters,
    today: NaiveDate,
    after: Option<&(NaiveDate, String)>,
) -> QueryResult<Vec<Project>> {
    let q = engagements::table
        .inner_join(opportunities::table)
        .inner_join(employers::table)
        .inner_join(students::table)
        .into_boxed::<MultiBackend>();
    let mut q = student_filters!(q, f, today);
    if let Some(e) = &f.employer_id {
        q = q.filter(engagements::employer_id.eq(e.clone()));
    }
    if let Some(from) = f.from {
        q = q.filter(engagements::started_on.ge(from));
    }
    if let Some(to) = f.to {
        q = q.filter(engagements::started_on.le(to));
    }
    if let Some((on, id)) = after {
        // `>=` first, so that both backends start the index range at the key rather than
        // filtering every row before it (each page is then O(page), not O(report)).
        q = q.filter(engagements::started_on.ge(*on)).filter(
            engagements::started_on.gt(*on).or(engagements::started_on.eq(*on).and(engagements::id.gt(id.clone()))),
        );
    }
    q.select((
        engagements::id,
        engagements::opportunity_id,
        opportunities::title,
        employers::name,
        students::student_number,
        opportunities::hours,
        opportunities::fee_cents,
        opportunities::currency,
        engagements::status,
        engagements::started_on,
        engagements::submitted_on,
        engagements::completed_on,
        engagements::rating,
        engagements::paid_on,
        engagements::amount_paid_cents,
    ))
    .order((engagements::started_on, engagements::id))
    .limit(PAGE)
    .load(conn)
}

fn date(d: Option<NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

pub fn rows(conn: &mut DbConnection, f: &Filters, today: NaiveDate, sink: &mut Sink<'_>) -> QueryResult<u64> {
    let mut after: Option<(NaiveDate, String)> = None;
    let mut emitted = 0;
    loop {
        let found = page(conn, f, today, after.as_ref())?;
        let Some(last) = found.last() else { break };
        after = Some((last.started_on, last.id.clone()));
        for p in &found {
            let cells = vec![
                p.opportunity_id.clone(),
                p.title.clone(),
                p.employer.clone(),
                p.student_number.clone(),
                p.hours.to_string(),
                money::display(p.fee_cents),
                p.currency.clone(),
                p.status.clone(),
                p.started_on.to_string(),
                date(p.submitted_on),
                date(p.completed_on),
                p.rating.map(|r| r.to_string()).unwrap_or_default(),
                date(p.paid_on),
                p.amount_paid_cents.map(money::display).unwrap_or_default(),
            ];
            emitted += 1;
            if !sink(cells) {
                return Ok(emitted);
            }
        }
        if (found.len() as i64) < PAGE {
            break;
        }
    }
    Ok(emitted)
}
