//! The endorsements report: one row per faculty member with at least one endorsement in
//! the filters, by name: endorsements written (revoked ones included), distinct students
//! endorsed, applications they were shared on, and how many were revoked. Faculty are
//! read a page at a time; each page's endorsements and their shares in one query each.
//!
//! Filters: cohort and college (the endorsed student), from/to (the campus date the
//! endorsement was written).

use std::collections::{HashMap, HashSet};

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::filters::{student_filters, Filters};
use super::registry::Sink;
use crate::db::schema::{application_endorsements, endorsements, faculty, students, users};
use crate::db::{DbConnection, MultiBackend};

pub const COLUMNS: [&str; 6] =
    ["faculty", "department", "endorsements", "students_endorsed", "shared_on_applications", "revoked"];

const PAGE: i64 = 200;

fn faculty_page(
    conn: &mut DbConnection,
    after: Option<&(String, String)>,
) -> QueryResult<Vec<(String, String, String)>> {
    let mut q = faculty::table.inner_join(users::table).into_boxed::<MultiBackend>();
    if let Some((name, id)) = after {
        q = q.filter(
            users::display_name
                .gt(name.clone())
                .or(users::display_name.eq(name.clone()).and(faculty::id.gt(id.clone()))),
        );
    }
    q.select((users::display_name, faculty::id, faculty::department))
        .order((users::display_name, faculty::id))
        .limit(PAGE)
        .load(conn)
}

#[derive(Default)]
struct Figures {
    endorsements: u64,
    students: HashSet<String>,
    shared: u64,
    revoked: u64,
}

pub fn rows(conn: &mut DbConnection, f: &Filters, today: NaiveDate, sink: &mut Sink<'_>) -> QueryResult<u64> {
    let mut after: Option<(String, String)> = None;
    let mut emitted = 0;
    loop {
        let page = faculty_page(conn, after.as_ref())?;
        let Some(last) = page.last() else { break };
        after = Some((last.0.clone(), last.1.clone()));
        let ids: Vec<&str> = page.iter().map(|(_, id, _)| id.as_str()).collect();
        let q = endorsements::table
            .inner_join(students::table)
            .filter(endorsements::faculty_id.eq_any(&ids))
            .into_boxed::<MultiBackend>();
        let mut q = student_filters!(q, f, today);
        if let Some(from) = f.from_utc {
            q = q.filter(endorsements::created_at.ge(from));
        }
        if let Some(until) = f.until_utc {
            q = q.filter(endorsements::created_at.lt(until));
        }
        let written: Vec<(String, String, String, Option<NaiveDateTime>)> = q
            .select((endorsements::id, endorsements::faculty_id, endorsements::student_id, endorsements::revoked_at))
            .load(conn)?;
        let mut by_faculty: HashMap<String, Figures> = HashMap::new();
        let mut owner: HashMap<String, String> = HashMap::new();
        for (id, fac, student, revoked_at) in written {
            let figures = by_faculty.entry(fac.clone()).or_default();
            figures.endorsements += 1;
            figures.students.insert(student);
            figures.revoked += u64::from(revoked_at.is_some());
            owner.insert(id, fac);
        }
        let endorsement_ids: Vec<&str> = owner.keys().map(String::as_str).collect();
        for chunk in endorsement_ids.chunks(500) {
            let shared: Vec<String> = application_endorsements::table
                .filter(application_endorsements::endorsement_id.eq_any(chunk))
                .select(application_endorsements::endorsement_id)
                .load(conn)?;
            for e in shared {
                if let Some(fac) = owner.get(&e) {
                    by_faculty.get_mut(fac).expect("every owner has figures").shared += 1;
                }
            }
        }
        for (name, id, department) in &page {
            let Some(fig) = by_faculty.get(id) else { continue };
            let cells = vec![
                name.clone(),
                department.clone(),
                fig.endorsements.to_string(),
                fig.students.len().to_string(),
                fig.shared.to_string(),
                fig.revoked.to_string(),
            ];
            emitted += 1;
            if !sink(cells) {
                return Ok(emitted);
            }
        }
        if (page.len() as i64) < PAGE {
            break;
        }
    }
    Ok(emitted)
}
