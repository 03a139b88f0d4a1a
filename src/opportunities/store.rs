//! What the lifecycle's store functions share: whose records a request may touch
//! ([`Scope`]), who makes a change and when ([`Acting`]), the row lock a change takes, the
//! people a change is told to, and its audit event.
//!
//! Each change runs in one transaction: it locks the row it moves (an UPDATE that touches
//! it: a row lock on PostgreSQL, the write lock on SQLite), checks the rules, moves it
//! only from the state it was read in, and records notifications and an audit event.
//! A refused move changes nothing.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::rules::Side;
use crate::audit;
use crate::core::{Actor, EmployerId, Error, Role, StudentId, UserId};
use crate::db::schema::{employers, partnerships, recruiters, students, user_roles, users};
use crate::db::DbConnection;
use crate::notify::{self, Message};

/// A store function's answer: refusals are `Error::Conflict` (409, nothing changed),
/// bad input `Error::Invalid` naming the field (422), another side's records `NotFound`.
pub type Result<T> = std::result::Result<T, Error>;

/// Whose records a request may touch: a student's own, an employer's own (recruiters),
/// or everything (the career office).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    Student(StudentId),
    Employer(EmployerId),
    Office,
    /// Career-office staff who are also a student: the office on everyone else's records,
    /// the student on their own (they accept their own offer as a student; the office
    /// does not decide its own staff's applications).
    OfficeAndStudent(StudentId),
}

impl Scope {
    /// The side this scope plays in the state machines (on a record of its own student,
    /// resolve it first with [`Scope::on_record_of`]).
    pub fn side(&self) -> Side {
        match self {
            Scope::Student(_) => Side::Student,
            Scope::Employer(_) => Side::Recruiter,
            Scope::Office | Scope::OfficeAndStudent(_) => Side::Counselor,
        }
    }

    /// The scope on a record of student `student_id`.
    pub fn on_record_of(&self, student_id: &StudentId) -> Scope {
        match self {
            Scope::OfficeAndStudent(me) if me == student_id => Scope::Student(me.clone()),
            Scope::OfficeAndStudent(_) => Scope::Office,
            other => other.clone(),
        }
    }

    /// Whether a record of this student with this employer is within the scope.
    pub fn may_see(&self, student_id: &StudentId, employer_id: &EmployerId) -> bool {
        match self {
            Scope::Student(s) => s == student_id,
            Scope::Employer(e) => e == employer_id,
            Scope::Office | Scope::OfficeAndStudent(_) => true,
        }
    }

    pub(super) fn employer(&self) -> Option<&EmployerId> {
        match self {
            Scope::Employer(e) => Some(e),
            _ => None,
        }
    }

    pub(super) fn student(&self) -> Option<&StudentId> {
        match self {
            Scope::Student(s) => Some(s),
            _ => None,
        }
    }
}

/// Who makes a change and when: the scope they act in, the actor the audit log names,
/// and one reading of the campus clock (its day and its instant) for the whole change.
#[derive(Debug, Clone, Copy)]
pub struct Acting<'a> {
    pub scope: &'a Scope,
    pub actor: &'a Actor,
    pub today: NaiveDate,
    pub now: NaiveDateTime,
}

/// Takes the row's lock for the rest of the transaction.
pub(super) fn lock(conn: &mut DbConnection, table: &str, id: &str) -> QueryResult<usize> {
    let sql = format!("UPDATE {table} SET updated_at = updated_at WHERE id = {}", conn.placeholder(1));
    diesel::sql_query(sql).bind::<diesel::sql_types::Text, _>(id).execute(conn)
}

/// The employer's recruiters who can sign in.
pub(super) fn recruiter_users(conn: &mut DbConnection, employer_id: &EmployerId) -> QueryResult<Vec<UserId>> {
    recruiters::table
        .inner_join(users::table)
        .filter(recruiters::employer_id.eq(employer_id))
        .filter(users::disabled.eq(false))
        .select(users::id)
        .load(conn)
}

/// The career office's counselors who can sign in.
pub(super) fn office_users(conn: &mut DbConnection) -> QueryResult<Vec<UserId>> {
    user_roles::table
        .inner_join(users::table.on(users::id.eq(user_roles::user_id)))
        .filter(user_roles::role.eq(Role::Counselor))
        .filter(users::disabled.eq(false))
        .select(users::id)
        .distinct()
        .load(conn)
}

/// The student's sign-in, once their roster record is linked to one.
pub(super) fn student_user(conn: &mut DbConnection, student_id: &StudentId) -> QueryResult<Vec<UserId>> {
    Ok(students::table
        .find(student_id)
        .select(students::user_id)
        .first::<Option<UserId>>(conn)
        .optional()?
        .flatten()
        .into_iter()
        .collect())
}

/// The employer's name; an unknown employer is not found.
pub fn employer_name(conn: &mut DbConnection, employer_id: &EmployerId) -> Result<String> {
    employers::table.find(employer_id).select(employers::name).first(conn).optional()?.ok_or(Error::NotFound)
}

/// Whether the employer's partnership is active (only then may its postings open and
/// take applications). Read through the schema: this area never imports `partners`.
pub(super) fn partnership_active(conn: &mut DbConnection, employer_id: &EmployerId) -> QueryResult<bool> {
    let n: i64 = partnerships::table
        .filter(partnerships::employer_id.eq(employer_id))
        .filter(partnerships::status.eq("active"))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Tells each of `who`, in the change's transaction (inbox, and mail when configured).
pub(super) fn tell(
    conn: &mut DbConnection,
    who: &[UserId],
    kind: &str,
    title: String,
    body: String,
    link: String,
    now: NaiveDateTime,
) -> QueryResult<()> {
    for user in who {
        notify::send(
            conn,
            user,
            &Message { kind, title: title.clone(), body: body.clone(), link: Some(link.clone()) },
            now,
        )?;
    }
    Ok(())
}

/// The audit event of a change to one record.
pub(super) fn record(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    actor: &Actor,
    action: &str,
    subject_type: &str,
    id: &str,
    details: serde_json::Value,
) -> QueryResult<()> {
    audit::record(conn, audit::Event { actor, action, subject_type, subject_id: Some(id), ip: None, at: now, details })
}

/// Every read of student data by a recruiter goes to the audit log (FERPA).
pub(super) fn audit_recruiter_read(
    conn: &mut DbConnection,
    scope: &Scope,
    reader: &Actor,
    subject_type: &str,
    id: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    if !matches!(scope, Scope::Employer(_)) {
        return Ok(());
    }
    record(conn, now, reader, "student_record.viewed", subject_type, id, serde_json::json!({}))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staff_who_study_are_the_student_on_their_own_records_only() {
        let me = StudentId::from("s-me");
        let other = StudentId::from("s-other");
        let employer = EmployerId::from("e-1");
        let both = Scope::OfficeAndStudent(me.clone());
        assert_eq!(both.on_record_of(&me), Scope::Student(me.clone()));
        assert_eq!(both.on_record_of(&other), Scope::Office);
        assert_eq!(both.side(), Side::Counselor);
        assert!(Scope::Student(me.clone()).may_see(&me, &employer));
        assert!(!Scope::Student(me.clone()).may_see(&other, &employer));
        assert!(Scope::Employer(employer.clone()).may_see(&other, &employer));
        assert!(!Scope::Employer(EmployerId::from("e-2")).may_see(&other, &employer));
    }
}
