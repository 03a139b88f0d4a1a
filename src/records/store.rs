//! The office's reads of the roster: finding a student (by name, email or student
//! number, a page at a time), and a student's record as the office sees it (their
//! applications, projects and endorsements, read through the schema).

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::core::{ApplicationId, EngagementId, StudentId};
use crate::db::schema::{applications, employers, endorsements, engagements, faculty, opportunities, students, users};
use crate::db::{DbConnection, MultiBackend};
use crate::opportunities::rules::{ApplicationStatus, EngagementStatus, Relationship};
use crate::students::store::Student;

diesel::define_sql_function!(
    /// SQL `lower(x)`: students are found case aside.
    fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text
);

/// Students on one page of the lookup.
pub const LOOKUP_PAGE: i64 = 25;
/// The most of each kind a student's page lists (a student has a handful).
const RECORD_ROWS: i64 = 200;

/// A line of the lookup.
#[derive(Debug, Queryable)]
pub struct Found {
    pub id: StudentId,
    pub name: String,
    pub student_number: String,
    pub email: String,
    pub major: String,
    pub class_year: i32,
}

macro_rules! lookup_query {
    ($text:expr) => {{
        let text: &str = $text;
        let mut q = students::table.into_boxed::<MultiBackend>();
        let text = text.trim().to_lowercase();
        if !text.is_empty() {
            let pattern = format!("%{}%", text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
            q = q.filter(
                lower(students::name)
                    .like(pattern.clone())
                    .escape('\\')
                    .or(lower(students::email).like(pattern.clone()).escape('\\'))
                    .or(lower(students::student_number).like(pattern).escape('\\')),
            );
        }
        q
    }};
}

/// How many students match `text` (anywhere in the name, email or student number; all
/// students when it is empty).
pub fn lookup_count(conn: &mut DbConnection, text: &str) -> QueryResult<i64> {
    lookup_query!(text).count().get_result(conn)
}

/// Page `page` (from 1) of the students matching `text`, by name.
pub fn lookup(conn: &mut DbConnection, text: &str, page: i64) -> QueryResult<Vec<Found>> {
    lookup_query!(text)
        .select((
            students::id,
            students::name,
            students::student_number,
            students::email,
            students::major,
            students::class_year,
        ))
        .order((lower(students::name), students::id))
        .limit(LOOKUP_PAGE)
        .offset((page.max(1) - 1) * LOOKUP_PAGE)
        .load(conn)
}

/// An application on a student's page (statuses are the opportunities area's).
#[derive(Debug, Queryable)]
pub struct ApplicationLine {
    pub id: ApplicationId,
    pub title: String,
    pub employer: String,
    pub status: ApplicationStatus,
    pub applied_at: NaiveDateTime,
}

#[derive(Debug, Queryable)]
pub struct ProjectLine {
    pub id: EngagementId,
    pub title: String,
    pub employer: String,
    pub status: EngagementStatus,
    pub due_on: NaiveDate,
    pub paid_on: Option<NaiveDate>,
}

#[derive(Debug, Queryable)]
pub struct EndorsementLine {
    pub faculty: String,
    pub relationship: Relationship,
    pub skills: String,
    pub statement: String,
    pub given_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
}

/// Everything the office's page of a student shows.
#[derive(Debug)]
pub struct Record {
    pub student: Student,
    pub applications: Vec<ApplicationLine>,
    pub projects: Vec<ProjectLine>,
    pub endorsements: Vec<EndorsementLine>,
}

/// A student's record (`None`: no such student).
pub fn record(conn: &mut DbConnection, id: &StudentId) -> QueryResult<Option<Record>> {
    let Some(student) = crate::students::store::find(conn, id)? else { return Ok(None) };
    let applications = applications::table
        .inner_join(opportunities::table.inner_join(employers::table))
        .filter(applications::student_id.eq(id))
        .select((
            applications::id,
            opportunities::title,
            employers::name,
            applications::status,
            applications::created_at,
        ))
        .order((applications::created_at.desc(), applications::id))
        .limit(RECORD_ROWS)
        .load(conn)?;
    let projects = engagements::table
        .inner_join(opportunities::table)
        .inner_join(employers::table)
        .filter(engagements::student_id.eq(id))
        .select((
            engagements::id,
            opportunities::title,
            employers::name,
            engagements::status,
            engagements::due_on,
            engagements::paid_on,
        ))
        .order((engagements::started_on.desc(), engagements::id))
        .limit(RECORD_ROWS)
        .load(conn)?;
    let endorsements = endorsements::table
        .inner_join(faculty::table.inner_join(users::table))
        .filter(endorsements::student_id.eq(id))
        .select((
            users::display_name,
            endorsements::relationship,
            endorsements::skills,
            endorsements::statement,
            endorsements::created_at,
            endorsements::revoked_at,
        ))
        .order((endorsements::created_at.desc(), endorsements::id))
        .limit(RECORD_ROWS)
        .load(conn)?;
    Ok(Some(Record { student, applications, projects, endorsements }))
}
