//! Students' requests for an endorsement: asking (one open request per student and
//! faculty member, also under concurrent asks: a partial unique index), the faculty
//! member's open requests with the student's context, declining, and the lapse of open
//! requests after 30 days (a periodic task). Accepting is writing the endorsement
//! (`store::write` with the request).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};

use super::rules::{self, Request, RequestStatus};
use super::store::{tell_student, Result};
use crate::audit;
use crate::core::{Actor, EndorsementId, Error, FacultyId, OpportunityId, StudentId, UserId};
use crate::db::schema::{employers, endorsement_requests, faculty, opportunities, students, users};
use crate::db::{self, DbConnection};
use crate::notify::{self, Message};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = endorsement_requests)]
pub struct RequestRow {
    pub id: String,
    pub student_id: StudentId,
    pub faculty_id: FacultyId,
    pub message: String,
    pub status: RequestStatus,
    pub endorsement_id: Option<EndorsementId>,
    pub responded_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub opportunity_id: Option<OpportunityId>,
    pub skills: String,
    pub response_note: Option<String>,
}

/// A request with the context a page shows: the student's major and class, the faculty
/// member, the posting asked about.
#[derive(Debug, Clone, Queryable)]
pub struct Listed {
    pub row: RequestRow,
    pub student_name: String,
    pub major: String,
    pub class_year: i32,
    pub faculty_name: String,
    pub faculty_title: String,
    pub department: String,
    pub posting: Option<String>,
    pub employer: Option<String>,
}

macro_rules! listed {
    () => {
        endorsement_requests::table
            .inner_join(students::table)
            .inner_join(faculty::table.inner_join(users::table))
            .left_join(opportunities::table.inner_join(employers::table))
            .select((
                RequestRow::as_select(),
                students::name,
                students::major,
                students::class_year,
                users::display_name,
                faculty::title,
                faculty::department,
                opportunities::title.nullable(),
                employers::name.nullable(),
            ))
    };
}

/// A faculty member a student may ask.
#[derive(Debug, Clone, Queryable)]
pub struct FacultyChoice {
    pub id: FacultyId,
    pub name: String,
    pub title: String,
    pub department: String,
}

/// The faculty members who can sign in, by name.
pub fn faculty_choices(conn: &mut DbConnection) -> QueryResult<Vec<FacultyChoice>> {
    faculty::table
        .inner_join(users::table)
        .filter(users::disabled.eq(false))
        .select((faculty::id, users::display_name, faculty::title, faculty::department))
        .order((users::display_name, faculty::id))
        .load(conn)
}

/// Postings a request may name: those open now.
pub fn posting_choices(conn: &mut DbConnection) -> QueryResult<Vec<(OpportunityId, String, String)>> {
    opportunities::table
        .inner_join(employers::table)
        .filter(opportunities::status.eq("open"))
        .select((opportunities::id, opportunities::title, employers::name))
        .order((opportunities::title, opportunities::id))
        .load(conn)
}

fn is_unique_violation(e: &Error) -> bool {
    matches!(e, Error::Internal(m) if m.contains("UNIQUE") || m.contains("unique") || m.contains("duplicate key"))
}

/// A student asks a faculty member for an endorsement. Refused (409) while they have an
/// open request to the same person; the faculty member is told.
pub fn ask(
    conn: &mut DbConnection,
    student_id: &StudentId,
    faculty_id: &FacultyId,
    posting: Option<&OpportunityId>,
    r: &Request,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<String> {
    let already = || Error::conflict("you already have an open request to this faculty member");
    let done = db::transaction(conn, |conn| -> Result<String> {
        let (faculty_user, faculty_name): (UserId, String) = faculty::table
            .inner_join(users::table)
            .filter(faculty::id.eq(faculty_id))
            .filter(users::disabled.eq(false))
            .select((users::id, users::display_name))
            .first(conn)
            .optional()?
            .ok_or_else(|| Error::invalid("faculty", "choose one of the listed faculty members"))?;
        if let Some(p) = posting {
            let known: i64 = opportunities::table.filter(opportunities::id.eq(p)).count().get_result(conn)?;
            if known == 0 {
                return Err(Error::invalid("posting", "choose one of the listed postings"));
            }
        }
        let open: i64 = endorsement_requests::table
            .filter(endorsement_requests::student_id.eq(student_id))
            .filter(endorsement_requests::faculty_id.eq(faculty_id))
            .filter(endorsement_requests::status.eq(RequestStatus::Pending))
            .count()
            .get_result(conn)?;
        if open > 0 {
            return Err(already());
        }
        let id = uuid::Uuid::new_v4().to_string();
        insert_many(
            conn,
            &[NewRequest {
                id: id.clone(),
                student_id: student_id.clone(),
                faculty_id: faculty_id.clone(),
                message: r.message.clone(),
                status: RequestStatus::Pending,
                endorsement_id: None,
                responded_at: None,
                opportunity_id: posting.cloned(),
                skills: r.skills.join(","),
                response_note: None,
                created_at: now,
                updated_at: now,
            }],
        )
        .map_err(|e| match e {
            DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => already(),
            other => Error::from(other),
        })?;
        let student: String = students::table.find(student_id).select(students::name).first(conn)?;
        notify::send(
            conn,
            &faculty_user,
            &Message {
                kind: "endorsement_requested",
                title: format!("{student} asks you for an endorsement"),
                body: "Answer by writing an endorsement or declining. The request lapses after 30 days.".into(),
                link: Some(format!("/endorsements/requests/{id}")),
            },
            now,
        )?;
        audit::record(
            conn,
            audit::Event {
                actor,
                action: "endorsement_request.made",
                subject_type: "endorsement_request",
                subject_id: Some(&id),
                ip: None,
                at: now,
                details: serde_json::json!({ "faculty_id": faculty_id }),
            },
        )?;
        Ok(faculty_name)
    });
    // Two asks at once: the partial unique index lets one in; the other is the same refusal.
    match done {
        Err(e) if is_unique_violation(&e) => Err(already()),
        other => other,
    }
}

/// The faculty member's open requests, oldest first (the longest waiting on top).
pub fn open_for_faculty(conn: &mut DbConnection, faculty_id: &FacultyId) -> QueryResult<Vec<Listed>> {
    listed!()
        .filter(endorsement_requests::faculty_id.eq(faculty_id))
        .filter(endorsement_requests::status.eq(RequestStatus::Pending))
        .order((endorsement_requests::created_at, endorsement_requests::id))
        .load(conn)
}

/// The student's requests, newest first, in every state.
pub fn of_student(conn: &mut DbConnection, student_id: &StudentId) -> QueryResult<Vec<Listed>> {
    listed!()
        .filter(endorsement_requests::student_id.eq(student_id))
        .order((endorsement_requests::created_at.desc(), endorsement_requests::id))
        .load(conn)
}

/// One request, for the faculty member asked or the student who asked (else not found).
pub fn one(
    conn: &mut DbConnection,
    id: &str,
    faculty_id: Option<&FacultyId>,
    student_id: Option<&StudentId>,
) -> Result<Listed> {
    let r: Listed = listed!().filter(endorsement_requests::id.eq(id)).first(conn).optional()?.ok_or(Error::NotFound)?;
    if Some(&r.row.faculty_id) == faculty_id || Some(&r.row.student_id) == student_id {
        Ok(r)
    } else {
        Err(Error::NotFound)
    }
}

/// The faculty member declines an open request, with an optional note; the student is told.
pub fn decline(
    conn: &mut DbConnection,
    id: &str,
    faculty_id: &FacultyId,
    note: Option<&str>,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<String> {
    db::transaction(conn, |conn| {
        let r = one(conn, id, Some(faculty_id), None)?;
        let moved = diesel::update(
            endorsement_requests::table
                .filter(endorsement_requests::id.eq(id))
                .filter(endorsement_requests::status.eq(RequestStatus::Pending)),
        )
        .set((
            endorsement_requests::status.eq(RequestStatus::Declined),
            endorsement_requests::response_note.eq(note),
            endorsement_requests::responded_at.eq(now),
            endorsement_requests::updated_at.eq(now),
        ))
        .execute(conn)?;
        if moved != 1 {
            return Err(Error::conflict("this request is no longer open"));
        }
        let body = match note {
            Some(n) => format!("Their note: {n}"),
            None => "You may ask another faculty member who knows your work.".into(),
        };
        tell_student(
            conn,
            &r.row.student_id,
            "endorsement_declined",
            format!("{} declined your request for an endorsement", r.faculty_name),
            body,
            "/endorsements".into(),
            now,
        )?;
        audit::record(
            conn,
            audit::Event {
                actor,
                action: "endorsement_request.declined",
                subject_type: "endorsement_request",
                subject_id: Some(id),
                ip: None,
                at: now,
                details: serde_json::json!({}),
            },
        )?;
        Ok(r.student_name)
    })
}

/// Open requests older than 30 days lapse; each student is told. Idempotent (what the
/// periodic task runs: only requests still open move, so two runs at once do no harm).
pub fn expire_due(conn: &mut DbConnection, now: NaiveDateTime) -> Result<usize> {
    let cutoff = rules::requests_made_before_have_lapsed(now);
    db::transaction(conn, |conn| {
        let due: Vec<(String, StudentId, String)> = endorsement_requests::table
            .inner_join(faculty::table.inner_join(users::table))
            .filter(endorsement_requests::status.eq(RequestStatus::Pending))
            .filter(endorsement_requests::created_at.le(cutoff))
            .select((endorsement_requests::id, endorsement_requests::student_id, users::display_name))
            .limit(500)
            .load(conn)?;
        // Each request is claimed on its own, and only the student whose request this run
        // moved is told: another instance (a lapsed lease) may have read the same pending
        // rows and expired them first, and on PostgreSQL our update then finds them
        // expired and changes nothing.
        let mut expired = 0;
        for (id, student, faculty_name) in &due {
            let claimed = diesel::update(
                endorsement_requests::table
                    .filter(endorsement_requests::id.eq(id))
                    .filter(endorsement_requests::status.eq(RequestStatus::Pending)),
            )
            .set((
                endorsement_requests::status.eq(RequestStatus::Expired),
                endorsement_requests::responded_at.eq(now),
                endorsement_requests::updated_at.eq(now),
            ))
            .execute(conn)?;
            if claimed == 0 {
                continue;
            }
            expired += 1;
            tell_student(
                conn,
                student,
                "endorsement_request_expired",
                format!("Your request to {faculty_name} lapsed"),
                "It was not answered within 30 days. You may ask again.".into(),
                "/endorsements".into(),
                now,
            )?;
        }
        Ok(expired)
    })
}

/// An endorsement request as a bulk writer adds it (the synthetic data set): answered,
/// withdrawn or expired as its history left it (a fulfilled one names its endorsement).
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = endorsement_requests, treat_none_as_default_value = false)]
pub struct NewRequest {
    pub id: String,
    pub student_id: StudentId,
    pub faculty_id: FacultyId,
    pub message: String,
    pub status: RequestStatus,
    pub endorsement_id: Option<EndorsementId>,
    pub responded_at: Option<NaiveDateTime>,
    pub opportunity_id: Option<OpportunityId>,
    pub skills: String,
    pub response_note: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// Adds endorsement requests, many per statement.
pub fn insert_many(conn: &mut DbConnection, rows: &[NewRequest]) -> QueryResult<usize> {
    crate::db::batch::insert_rows!(conn, endorsement_requests::table, rows, 12)
}
