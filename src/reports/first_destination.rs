//! The first-destination report (NACE): one row per cohort × group (college or major),
//! DESIGN's columns in order (filters: the cohort, needed; group_by; college). Students of the class are read a page at a time in group
//! order, each page with its outcomes (one query each), and a group's row is emitted as
//! soon as the next group starts: memory holds one page, whatever the cohort's size.

use std::collections::HashMap;

use chrono::NaiveDate;
use diesel::prelude::*;

use super::filters::{terms_of_class, Filters, GroupBy};
use crate::db::schema::{outcomes, students};
use crate::db::DbConnection;
use crate::outcomes::rules::{counting_outcome, counts_until, rate_cell, Category, Known, Tally};

pub const COLUMNS: [&str; 15] = [
    "cohort",
    "group",
    "graduates",
    "known",
    "knowledge_rate",
    "employed_full_time",
    "employed_part_time",
    "military",
    "volunteer_service",
    "continuing_education",
    "seeking_employment",
    "seeking_continuing_education",
    "not_seeking",
    "no_information",
    "career_outcomes_rate",
];

const PAGE: i64 = 1000;

/// One group's row, in DESIGN's column order.
pub fn row(class: i32, group: &str, t: &Tally) -> Vec<String> {
    let mut cells = vec![class.to_string(), group.to_owned(), t.graduates.to_string(), t.known().to_string()];
    cells.push(rate_cell(t.knowledge_rate()));
    cells.extend(Category::ALL.iter().map(|c| t.count(*c).to_string()));
    cells.push(t.no_information().to_string());
    cells.push(rate_cell(t.career_outcomes_rate()));
    cells
}

/// One page of the class's students, `(group, id)` in that order, after the last one read.
fn page_of(
    conn: &mut DbConnection,
    group_by: GroupBy,
    college: Option<&str>,
    first: &str,
    last: &str,
    after: Option<&(String, String)>,
) -> QueryResult<Vec<(String, String)>> {
    macro_rules! page_by {
        ($col:expr) => {{
            let mut q = students::table
                .filter(students::graduation_term.ge(first.to_owned()))
                .filter(students::graduation_term.le(last.to_owned()))
                .into_boxed();
            if let Some(college) = college {
                q = q.filter(students::college.eq(college.to_owned()));
            }
            if let Some((g, id)) = after {
                // `>=` first, so that both backends start the index range at the key
                // rather than filtering every row before it (each page is then O(page)).
                q = q
                    .filter($col.ge(g.clone()))
                    .filter($col.gt(g.clone()).or($col.eq(g.clone()).and(students::id.gt(id.clone()))));
            }
            q.select(($col, students::id)).order(($col, students::id)).limit(PAGE).load(conn)
        }};
    }
    match group_by {
        GroupBy::College => page_by!(students::college),
        GroupBy::Major => page_by!(students::major),
    }
}

/// Emits every group's row of the class, in group order (`emit` answers false to stop:
/// the reader went away). Answers how many rows were emitted. `today` is the campus date:
/// a later graduation term is not a graduate yet.
pub fn rows(
    conn: &mut DbConnection,
    f: &Filters,
    today: NaiveDate,
    emit: &mut dyn FnMut(Vec<String>) -> bool,
) -> QueryResult<u64> {
    // The registry asks for a cohort before this report runs.
    let Some(class) = f.cohort else { return Ok(0) };
    let group_by = f.group_by.unwrap_or(GroupBy::College);
    // The class of Y: terms from July of Y−1 to June of Y, and no later than this month.
    let (first, last) = terms_of_class(class, today);
    let until = counts_until(class);
    let mut after: Option<(String, String)> = None;
    let mut current: Option<(String, Tally)> = None;
    let mut emitted = 0;
    loop {
        let page = page_of(conn, group_by, f.college.as_deref(), &first, &last, after.as_ref())?;
        if page.is_empty() {
            break;
        }
        let ids: Vec<&str> = page.iter().map(|(_, id)| id.as_str()).collect();
        let found: Vec<(String, String, bool, NaiveDate, chrono::NaiveDateTime)> = outcomes::table
            .filter(outcomes::student_id.eq_any(&ids))
            .filter(outcomes::known_on.le(until))
            // A survey answer counts once a counselor has confirmed it (docs/reports.md).
            .filter(outcomes::awaiting_confirmation.eq(false))
            .select((
                outcomes::student_id,
                outcomes::category,
                outcomes::is_primary,
                outcomes::known_on,
                outcomes::created_at,
            ))
            .load(conn)?;
        let mut by_student: HashMap<String, Vec<Known>> = HashMap::new();
        for (student, category, is_primary, known_on, created_at) in found {
            let Some(category) = Category::from_stored(&category) else { continue };
            by_student.entry(student).or_default().push(Known {
                category,
                is_primary,
                known_on,
                recorded_at: created_at.and_utc(),
            });
        }
        for (group, id) in &page {
            if current.as_ref().is_some_and(|(g, _)| g != group) {
                let (g, t) = current.take().expect("checked");
                emitted += 1;
                if !emit(row(class, &g, &t)) {
                    return Ok(emitted);
                }
            }
            let tally = &mut current.get_or_insert_with(|| (group.clone(), Tally::default())).1;
            let outcomes = by_student.get(id).map(Vec::as_slice).unwrap_or(&[]);
            tally.add(counting_outcome(class, outcomes).map(|k| k.category));
        }
        after = page.last().cloned();
    }
    if let Some((g, t)) = current {
        emitted += 1;
        emit(row(class, &g, &t));
    }
    Ok(emitted)
}
