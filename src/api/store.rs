//! What the API reads, a page at a time: keyset on the id (`id > after`, in id order,
//! `limit + 1` rows to know whether there is a next page), each page in one query (plus
//! one for the counts of a page of fair sessions), never a query per row.

use std::collections::HashMap;

use chrono::NaiveDate;
use diesel::dsl::count_star;
use diesel::prelude::*;

use super::rules::PageRequest;
use super::types::{utc, Employer, FairSession, Outcome};
use crate::core::Error;
use crate::db::schema::{employers, fair_sessions, fairs, outcomes, partnerships, registrations, students};
use crate::db::{DbConnection, MultiBackend};

/// Employers after the cursor, with their current (not ended) partnership.
pub fn employers(conn: &mut DbConnection, page: &PageRequest) -> Result<Vec<Employer>, Error> {
    let mut q = employers::table
        .left_join(
            partnerships::table.on(partnerships::employer_id.eq(employers::id).and(partnerships::status.ne("ended"))),
        )
        .select((
            employers::id,
            employers::name,
            employers::industry,
            employers::website,
            employers::size,
            employers::location,
            partnerships::status.nullable(),
            partnerships::tier.nullable(),
        ))
        .into_boxed::<MultiBackend>();
    if let Some(after) = &page.after {
        q = q.filter(employers::id.gt(after.clone()));
    }
    type Row = (String, String, String, Option<String>, Option<String>, String, Option<String>, Option<String>);
    let rows: Vec<Row> = q.order(employers::id).limit(page.limit + 1).load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, name, industry, website, size, location, status, tier)| Employer {
            id,
            name,
            industry,
            website,
            size,
            location,
            partnership_status: status,
            partnership_tier: tier,
        })
        .collect())
}

/// Outcomes after the cursor, learnt between the dates given.
pub fn outcomes(
    conn: &mut DbConnection,
    page: &PageRequest,
    known: (Option<NaiveDate>, Option<NaiveDate>),
) -> Result<Vec<Outcome>, Error> {
    let mut q = outcomes::table
        .inner_join(students::table)
        .select((
            outcomes::id,
            students::student_number,
            outcomes::category,
            outcomes::employment_type,
            outcomes::organization,
            outcomes::job_title,
            outcomes::start_on,
            outcomes::annual_salary_cents,
            outcomes::currency,
            outcomes::source,
            outcomes::is_primary,
            outcomes::offer_on,
            outcomes::accepted_on,
            outcomes::known_on,
            outcomes::updated_at,
        ))
        .into_boxed::<MultiBackend>();
    if let Some(after) = &page.after {
        q = q.filter(outcomes::id.gt(after.clone()));
    }
    if let Some(from) = known.0 {
        q = q.filter(outcomes::known_on.ge(from));
    }
    if let Some(until) = known.1 {
        q = q.filter(outcomes::known_on.le(until));
    }
    type Row = (
        String,
        String,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<NaiveDate>,
        Option<i64>,
        String,
        String,
        bool,
        Option<NaiveDate>,
        Option<NaiveDate>,
        NaiveDate,
        chrono::NaiveDateTime,
    );
    let rows: Vec<Row> = q.order(outcomes::id).limit(page.limit + 1).load(conn)?;
    Ok(rows
        .into_iter()
        .map(|r| Outcome {
            id: r.0,
            student_number: r.1,
            category: r.2,
            employment_type: r.3,
            organization: r.4,
            job_title: r.5,
            start_on: r.6,
            annual_salary_cents: r.7,
            currency: r.8,
            source: r.9,
            primary: r.10,
            offer_on: r.11,
            accepted_on: r.12,
            known_on: r.13,
            updated_at: utc(r.14),
        })
        .collect())
}

/// Fair sessions after the cursor (of one fair, if asked), each with how many students
/// are registered and waiting (cancelled registrations not counted).
pub fn fair_sessions(
    conn: &mut DbConnection,
    page: &PageRequest,
    fair: Option<&str>,
) -> Result<Vec<FairSession>, Error> {
    let mut q = fair_sessions::table
        .inner_join(fairs::table)
        .inner_join(employers::table)
        .select((
            fair_sessions::id,
            fairs::id,
            fairs::name,
            employers::id,
            employers::name,
            fair_sessions::kind,
            fair_sessions::title,
            fair_sessions::starts_at,
            fair_sessions::ends_at,
            fair_sessions::capacity,
            fair_sessions::status,
        ))
        .into_boxed::<MultiBackend>();
    if let Some(after) = &page.after {
        q = q.filter(fair_sessions::id.gt(after.clone()));
    }
    if let Some(fair) = fair {
        q = q.filter(fair_sessions::fair_id.eq(fair.to_owned()));
    }
    type Row = (
        String,
        String,
        String,
        String,
        String,
        String,
        String,
        chrono::NaiveDateTime,
        chrono::NaiveDateTime,
        i32,
        String,
    );
    let rows: Vec<Row> = q.order(fair_sessions::id).limit(page.limit + 1).load(conn)?;
    let ids: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    let counts: Vec<(String, String, i64)> = registrations::table
        .filter(registrations::session_id.eq_any(&ids))
        .filter(registrations::status.ne("cancelled"))
        .group_by((registrations::session_id, registrations::status))
        .select((registrations::session_id, registrations::status, count_star()))
        .load(conn)?;
    let mut by_session: HashMap<(String, String), i64> = HashMap::new();
    for (session, status, n) in counts {
        by_session.insert((session, status), n);
    }
    let n = |id: &str, status: &str| by_session.get(&(id.to_owned(), status.to_owned())).copied().unwrap_or(0);
    Ok(rows
        .into_iter()
        .map(|r| FairSession {
            registered: n(&r.0, "registered"),
            waitlisted: n(&r.0, "waitlisted"),
            id: r.0,
            fair_id: r.1,
            fair_name: r.2,
            employer_id: r.3,
            employer_name: r.4,
            kind: r.5,
            title: r.6,
            starts_at: utc(r.7),
            ends_at: utc(r.8),
            capacity: r.9,
            status: r.10,
        })
        .collect())
}
