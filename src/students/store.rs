//! Student rows, and the reads other areas make of them: how many there are, a student's
//! academic facts (for eligibility), whose account a record is linked to.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::rules::ProfileVisibility;
use crate::core::{Email, StudentId, UserId};
use crate::db::schema::students;
use crate::db::DbConnection;

#[derive(Debug, Clone, Queryable, Selectable, PartialEq, Eq)]
#[diesel(table_name = students)]
pub struct Student {
    pub id: StudentId,
    /// The campus account the record is linked to (at the student's first sign-in).
    pub user_id: Option<UserId>,
    pub student_number: String,
    pub email: Email,
    pub name: String,
    pub college: String,
    pub major: String,
    pub class_year: i32,
    /// `YYYY-MM` (see `rules::GraduationTerm`).
    pub graduation_term: String,
    pub profile_visibility: ProfileVisibility,
    pub headline: String,
    pub skills: String,
    pub portfolio_url: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// The roster's fields of a student (what the SIS owns; the rest is the student's own).
#[derive(Debug, Clone, Insertable, AsChangeset, PartialEq, Eq)]
#[diesel(table_name = students)]
pub struct RosterFields {
    pub student_number: String,
    pub email: Email,
    pub name: String,
    pub college: String,
    pub major: String,
    pub class_year: i32,
    pub graduation_term: String,
}

impl RosterFields {
    pub fn of(s: &Student) -> Self {
        RosterFields {
            student_number: s.student_number.clone(),
            email: s.email.clone(),
            name: s.name.clone(),
            college: s.college.clone(),
            major: s.major.clone(),
            class_year: s.class_year,
            graduation_term: s.graduation_term.clone(),
        }
    }
}

/// Where a student studies: what a posting's eligibility is judged on.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct Academic {
    pub college: String,
    pub major: String,
    pub class_year: i32,
}

/// Students on the roster.
pub fn count(conn: &mut DbConnection) -> QueryResult<i64> {
    students::table.count().get_result(conn)
}

pub fn find(conn: &mut DbConnection, id: &StudentId) -> QueryResult<Option<Student>> {
    students::table.find(id).select(Student::as_select()).first(conn).optional()
}

/// A student's college, major and class (`None`: no such student).
pub fn academic(conn: &mut DbConnection, id: &StudentId) -> QueryResult<Option<Academic>> {
    students::table.find(id).select((students::college, students::major, students::class_year)).first(conn).optional()
}

/// The roster record linked to a campus account, if any.
pub fn of_user(conn: &mut DbConnection, user: &UserId) -> QueryResult<Option<StudentId>> {
    students::table.filter(students::user_id.eq(user)).select(students::id).first(conn).optional()
}

/// The campus account a student's record is linked to (`None`: not yet signed in, or
/// no such student), e.g. to send them a notification.
pub fn user_of(conn: &mut DbConnection, id: &StudentId) -> QueryResult<Option<UserId>> {
    Ok(students::table.find(id).select(students::user_id).first::<Option<UserId>>(conn).optional()?.flatten())
}

/// The students whose numbers or addresses are among those given (what an import
/// matches its rows against), in chunks small enough for either backend's parameters.
pub fn by_numbers_or_emails(conn: &mut DbConnection, numbers: &[&str], emails: &[&Email]) -> QueryResult<Vec<Student>> {
    const CHUNK: usize = 500;
    let mut found: Vec<Student> = Vec::new();
    for chunk in numbers.chunks(CHUNK) {
        found.extend(
            students::table
                .filter(students::student_number.eq_any(chunk.to_vec()))
                .select(Student::as_select())
                .load(conn)?,
        );
    }
    for chunk in emails.chunks(CHUNK) {
        found.extend(
            students::table.filter(students::email.eq_any(chunk.to_vec())).select(Student::as_select()).load(conn)?,
        );
    }
    found.sort_by(|a, b| a.id.cmp(&b.id));
    found.dedup_by(|a, b| a.id == b.id);
    Ok(found)
}

/// A student row as it is added: the roster's fields and the student's own, all bound
/// (the roster import adds one at a time, the synthetic data set many).
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = students, treat_none_as_default_value = false)]
pub struct NewStudent {
    pub id: StudentId,
    pub user_id: Option<UserId>,
    #[diesel(embed)]
    pub roster: RosterFields,
    pub profile_visibility: ProfileVisibility,
    pub headline: String,
    pub skills: String,
    pub portfolio_url: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl NewStudent {
    /// A student as the roster brings them: not signed in yet, nothing of their own.
    pub fn from_roster(id: StudentId, roster: RosterFields, now: NaiveDateTime) -> Self {
        NewStudent {
            id,
            user_id: None,
            roster,
            profile_visibility: ProfileVisibility::Private,
            headline: String::new(),
            skills: String::new(),
            portfolio_url: None,
            created_at: now,
            updated_at: now,
        }
    }
}

/// Adds students, many per statement.
pub fn insert_many(conn: &mut DbConnection, rows: &[NewStudent]) -> QueryResult<usize> {
    crate::db::batch::insert_rows!(conn, students::table, rows, 15)
}
