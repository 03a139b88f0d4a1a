//! A faculty member's home: the endorsement requests waiting for their answer, oldest
//! first, with the student's name, major and class. Each opens at
//! `/endorsements/requests/{id}`, where the faculty member accepts or declines it.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::views::{waited, FacultyHome, Listed, RequestForFaculty};
use crate::core::{FacultyId, StudentId};
use crate::db::schema::{endorsement_requests, students};
use crate::db::DbConnection;

/// How many waiting requests the home lists.
const REQUESTS_SHOWN: i64 = 50;

/// The requests waiting for `faculty`'s answer (the first `REQUESTS_SHOWN`, oldest
/// first), and how many wait in all.
pub fn waiting_requests(
    conn: &mut DbConnection,
    faculty: &FacultyId,
    now: NaiveDateTime,
) -> QueryResult<Listed<RequestForFaculty>> {
    let waiting = endorsement_requests::faculty_id.eq(faculty).and(endorsement_requests::status.eq("pending"));
    let total: i64 = endorsement_requests::table.filter(waiting).count().get_result(conn)?;
    #[allow(clippy::type_complexity)]
    let rows: Vec<(String, StudentId, String, String, i32, String, NaiveDateTime)> = endorsement_requests::table
        .inner_join(students::table)
        .filter(waiting)
        .select((
            endorsement_requests::id,
            students::id,
            students::name,
            students::major,
            students::class_year,
            endorsement_requests::message,
            endorsement_requests::created_at,
        ))
        .order((endorsement_requests::created_at.asc(), endorsement_requests::id))
        .limit(REQUESTS_SHOWN)
        .load(conn)?;
    let items = rows
        .into_iter()
        .map(|(id, student_id, student, major, class_year, message, asked_at)| RequestForFaculty {
            id,
            student_id,
            student,
            major,
            class_year,
            message,
            waited: waited(asked_at, now),
            asked_at,
        })
        .collect();
    Ok(Listed::new(items, total))
}

pub fn faculty_home(
    conn: &mut DbConnection,
    faculty: Option<&FacultyId>,
    now: NaiveDateTime,
) -> QueryResult<FacultyHome> {
    let requests = match faculty {
        Some(f) => waiting_requests(conn, f, now)?,
        None => Listed::new(Vec::new(), 0),
    };
    Ok(FacultyHome { requests })
}
