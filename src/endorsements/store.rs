//! Endorsements as stored: finding a student to endorse, writing, editing, revoking,
//! hiding, the reads each viewer may make, and the one query every employer-facing page
//! reads shared endorsements through ([`shared_on`]). Each change runs in one transaction
//! with its audit event and its notification.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::rules::{self, Endorsement, Reader, Relationship, RequestStatus};
use crate::audit;
use crate::core::{Actor, ApplicationId, EmployerId, EndorsementId, Error, FacultyId, StudentId, UserId};
use crate::db::schema::{
    application_endorsements, applications, endorsement_requests, endorsements, faculty, opportunities,
    opportunity_skills, students, users,
};
use crate::db::{self, DbConnection, MultiBackend};
use crate::notify::{self, Message};
use crate::students::rules::ProfileVisibility;

pub type Result<T> = std::result::Result<T, Error>;

diesel::define_sql_function!(
    /// SQL `lower(x)`: names and addresses are searched case aside.
    fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text
);

/// How many students a search shows at most.
pub const SEARCH_LIMIT: i64 = 20;
/// Endorsements per page of the office's list.
pub const LIST_PAGE: i64 = 25;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = endorsements)]
pub struct EndorsementRow {
    pub id: EndorsementId,
    pub faculty_id: FacultyId,
    pub student_id: StudentId,
    pub skills: String,
    pub statement: String,
    pub relationship: Relationship,
    pub course: Option<String>,
    pub revoked_at: Option<NaiveDateTime>,
    pub hidden_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

/// An endorsement with the names a page shows.
#[derive(Debug, Clone, Queryable)]
pub struct Listed {
    pub row: EndorsementRow,
    pub faculty_name: String,
    pub faculty_title: String,
    pub department: String,
    pub student_name: String,
}

/// Who is asking, for the visibility rules: a person may be several of these.
#[derive(Debug, Clone, Default)]
pub struct Who {
    pub faculty: Option<FacultyId>,
    pub student: Option<StudentId>,
    pub office: bool,
    pub employer: Option<EmployerId>,
}

macro_rules! listed {
    () => {
        endorsements::table.inner_join(faculty::table.inner_join(users::table)).inner_join(students::table).select((
            EndorsementRow::as_select(),
            users::display_name,
            faculty::title,
            faculty::department,
            students::name,
        ))
    };
}

/// A student a faculty member may endorse, as the search lists them.
#[derive(Debug, Clone, Queryable)]
pub struct StudentHit {
    pub id: StudentId,
    pub name: String,
    pub email: String,
    pub student_number: String,
    pub college: String,
    pub major: String,
    pub class_year: i32,
}

/// The colleges of a faculty member's department, as the roster knows them (the
/// department is the major its students take).
fn colleges_of(conn: &mut DbConnection, faculty_id: &FacultyId) -> QueryResult<Vec<String>> {
    let department: Option<String> =
        faculty::table.find(faculty_id).select(faculty::department).first(conn).optional()?;
    let Some(department) = department else { return Ok(Vec::new()) };
    students::table
        .filter(lower(students::major).eq(department.trim().to_lowercase()))
        .select(students::college)
        .distinct()
        .load(conn)
}

/// Students a faculty member may endorse whose name, email or student number matches
/// `query`: enrolled or graduated within a year, and (for a private profile) in the
/// faculty member's college or having asked them. At most [`SEARCH_LIMIT`], by name.
pub fn find_students(
    conn: &mut DbConnection,
    faculty_id: &FacultyId,
    query: &str,
    today: NaiveDate,
) -> QueryResult<Vec<StudentHit>> {
    let text = query.trim().to_lowercase();
    if text.is_empty() {
        return Ok(Vec::new());
    }
    let colleges = colleges_of(conn, faculty_id)?;
    let asked = endorsement_requests::table
        .filter(endorsement_requests::faculty_id.eq(faculty_id.clone()))
        .select(endorsement_requests::student_id);
    let pattern = format!("%{}%", text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
    students::table
        .filter(
            lower(students::name)
                .like(pattern)
                .escape('\\')
                .or(lower(students::email).eq(text.clone()))
                .or(lower(students::student_number).eq(text)),
        )
        .filter(students::graduation_term.ge(rules::earliest_term_within_reach(today)))
        .filter(
            students::profile_visibility
                .eq(ProfileVisibility::Employers)
                .or(students::college.eq_any(colleges))
                .or(students::id.eq_any(asked)),
        )
        .select((
            students::id,
            students::name,
            students::email,
            students::student_number,
            students::college,
            students::major,
            students::class_year,
        ))
        .order((students::name, students::id))
        .limit(SEARCH_LIMIT)
        .load(conn)
}

/// The student a faculty member may endorse (else not found: the record is not theirs to know).
pub fn reachable_student(
    conn: &mut DbConnection,
    faculty_id: &FacultyId,
    student_id: &StudentId,
    today: NaiveDate,
) -> Result<StudentHit> {
    let row: Option<(StudentHit, String, ProfileVisibility)> = students::table
        .find(student_id)
        .select((
            (
                students::id,
                students::name,
                students::email,
                students::student_number,
                students::college,
                students::major,
                students::class_year,
            ),
            students::graduation_term,
            students::profile_visibility,
        ))
        .first(conn)
        .optional()?;
    let (hit, term, visibility) = row.ok_or(Error::NotFound)?;
    let same_college = colleges_of(conn, faculty_id)?.contains(&hit.college);
    let asked: i64 = endorsement_requests::table
        .filter(endorsement_requests::faculty_id.eq(faculty_id))
        .filter(endorsement_requests::student_id.eq(student_id))
        .count()
        .get_result(conn)?;
    if rules::within_reach(&term, today) && rules::findable(visibility, same_college, asked > 0) {
        Ok(hit)
    } else {
        Err(Error::NotFound)
    }
}

/// The skills to suggest as people type: those postings ask for, and those the faculty
/// member has endorsed before (normal forms, in order).
pub fn vocabulary(conn: &mut DbConnection, faculty_id: &FacultyId) -> QueryResult<Vec<String>> {
    let mut words = posting_vocabulary(conn)?;
    let own: Vec<String> =
        endorsements::table.filter(endorsements::faculty_id.eq(faculty_id)).select(endorsements::skills).load(conn)?;
    words.extend(own.iter().flat_map(|s| rules::skill_list(s)));
    words.sort();
    words.dedup();
    Ok(words)
}

fn user_of_faculty(conn: &mut DbConnection, faculty_id: &FacultyId) -> QueryResult<(UserId, String)> {
    faculty::table
        .inner_join(users::table)
        .filter(faculty::id.eq(faculty_id))
        .select((users::id, users::display_name))
        .first(conn)
}

fn user_of_student(conn: &mut DbConnection, student_id: &StudentId) -> QueryResult<Option<UserId>> {
    Ok(students::table.find(student_id).select(students::user_id).first::<Option<UserId>>(conn).optional()?.flatten())
}

fn event(
    conn: &mut DbConnection,
    actor: &Actor,
    action: &str,
    id: &str,
    now: NaiveDateTime,
    details: serde_json::Value,
) -> QueryResult<()> {
    audit::record(
        conn,
        audit::Event { actor, action, subject_type: "endorsement", subject_id: Some(id), ip: None, at: now, details },
    )
}

/// Tells the student (once their record is linked to a sign-in).
pub(super) fn tell_student(
    conn: &mut DbConnection,
    student_id: &StudentId,
    kind: &str,
    title: String,
    body: String,
    link: String,
    now: NaiveDateTime,
) -> QueryResult<()> {
    if let Some(user) = user_of_student(conn, student_id)? {
        notify::send(conn, &user, &Message { kind, title, body, link: Some(link) }, now)?;
    }
    Ok(())
}

/// What writing an endorsement answers: its id and the student's name.
pub struct Written {
    pub id: EndorsementId,
    pub student: String,
}

/// A faculty member endorses a student they may reach; with `request`, the student's
/// open request to them is answered by it. The student is told.
#[allow(clippy::too_many_arguments)]
pub fn write(
    conn: &mut DbConnection,
    faculty_id: &FacultyId,
    student_id: &StudentId,
    e: &Endorsement,
    request: Option<&str>,
    actor: &Actor,
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<Written> {
    db::transaction(conn, |conn| {
        let student = reachable_student(conn, faculty_id, student_id, today)?;
        let id = EndorsementId::generate();
        insert_many(
            conn,
            &[NewEndorsement {
                id: id.clone(),
                faculty_id: faculty_id.clone(),
                student_id: student_id.clone(),
                skills: e.skills_text(),
                statement: e.statement.clone(),
                relationship: e.relationship,
                course: e.course.clone(),
                revoked_at: None,
                hidden_at: None,
                created_at: now,
                updated_at: now,
            }],
        )?;
        if let Some(request) = request {
            let answered = diesel::update(
                endorsement_requests::table
                    .filter(endorsement_requests::id.eq(request))
                    .filter(endorsement_requests::faculty_id.eq(faculty_id))
                    .filter(endorsement_requests::student_id.eq(student_id))
                    .filter(endorsement_requests::status.eq(RequestStatus::Pending)),
            )
            .set((
                endorsement_requests::status.eq(RequestStatus::Fulfilled),
                endorsement_requests::endorsement_id.eq(&id),
                endorsement_requests::responded_at.eq(now),
                endorsement_requests::updated_at.eq(now),
            ))
            .execute(conn)?;
            if answered != 1 {
                return Err(Error::conflict("this request is no longer open"));
            }
        }
        let (_, author) = user_of_faculty(conn, faculty_id)?;
        tell_student(
            conn,
            student_id,
            "endorsement_written",
            format!("{author} endorsed you"),
            "You can share this endorsement when you apply for a micro-internship.".into(),
            format!("/endorsements/{id}"),
            now,
        )?;
        event(conn, actor, "endorsement.written", &id, now, serde_json::json!({ "student_id": student_id }))?;
        Ok(Written { id: id.clone(), student: student.name })
    })
}

/// The author's own endorsement, for a change (else not found).
fn own(conn: &mut DbConnection, id: &EndorsementId, faculty_id: &FacultyId) -> Result<Listed> {
    listed!()
        .filter(endorsements::id.eq(id))
        .filter(endorsements::faculty_id.eq(faculty_id))
        .first(conn)
        .optional()?
        .ok_or(Error::NotFound)
}

/// The author changes an endorsement within 24 hours of writing it (not once revoked).
pub fn edit(
    conn: &mut DbConnection,
    id: &EndorsementId,
    faculty_id: &FacultyId,
    e: &Endorsement,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<String> {
    db::transaction(conn, |conn| {
        let current = own(conn, id, faculty_id)?;
        if current.row.revoked_at.is_some() {
            return Err(Error::conflict("this endorsement was revoked and can no longer be changed"));
        }
        if !rules::may_edit(current.row.created_at, now) {
            return Err(Error::conflict("an endorsement can be changed only within 24 hours of writing it"));
        }
        diesel::update(endorsements::table.find(id))
            .set((
                endorsements::skills.eq(e.skills_text()),
                endorsements::statement.eq(&e.statement),
                endorsements::relationship.eq(e.relationship),
                endorsements::course.eq(&e.course),
                endorsements::updated_at.eq(now),
            ))
            .execute(conn)?;
        event(conn, actor, "endorsement.edited", id, now, serde_json::json!({}))?;
        Ok(current.student_name)
    })
}

/// The author revokes an endorsement: at once it is gone from everything an employer
/// sees (every such read filters on `revoked_at`). Recorded, and the student is told.
pub fn revoke(
    conn: &mut DbConnection,
    id: &EndorsementId,
    faculty_id: &FacultyId,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<String> {
    db::transaction(conn, |conn| {
        let current = own(conn, id, faculty_id)?;
        if current.row.revoked_at.is_some() {
            return Err(Error::conflict("this endorsement is already revoked"));
        }
        diesel::update(endorsements::table.find(id).filter(endorsements::revoked_at.is_null()))
            .set((endorsements::revoked_at.eq(now), endorsements::updated_at.eq(now)))
            .execute(conn)?;
        let shared_on: i64 = application_endorsements::table
            .filter(application_endorsements::endorsement_id.eq(id))
            .count()
            .get_result(conn)?;
        event(conn, actor, "endorsement.revoked", id, now, serde_json::json!({ "shared_on_applications": shared_on }))?;
        tell_student(
            conn,
            &current.row.student_id,
            "endorsement_revoked",
            format!("{} withdrew an endorsement", current.faculty_name),
            "It is no longer shown to employers, including on applications you shared it on.".into(),
            format!("/endorsements/{id}"),
            now,
        )?;
        Ok(current.student_name)
    })
}

/// The student hides one of their endorsements from all sharing (`hidden`), or shows it again.
pub fn set_hidden(
    conn: &mut DbConnection,
    id: &EndorsementId,
    student_id: &StudentId,
    hidden: bool,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<String> {
    db::transaction(conn, |conn| {
        let current: Listed = listed!()
            .filter(endorsements::id.eq(id))
            .filter(endorsements::student_id.eq(student_id))
            .first(conn)
            .optional()?
            .ok_or(Error::NotFound)?;
        let at = if hidden { Some(now) } else { None };
        diesel::update(endorsements::table.find(id))
            .set((endorsements::hidden_at.eq(at), endorsements::updated_at.eq(now)))
            .execute(conn)?;
        let action = if hidden { "endorsement.hidden" } else { "endorsement.shown" };
        event(conn, actor, action, id, now, serde_json::json!({}))?;
        Ok(current.faculty_name)
    })
}

/// Whether the endorsement is shared on an application to one of `employer`'s postings.
fn shared_with(conn: &mut DbConnection, id: &EndorsementId, employer: &EmployerId) -> QueryResult<bool> {
    let n: i64 = application_endorsements::table
        .inner_join(applications::table.inner_join(opportunities::table))
        .filter(application_endorsements::endorsement_id.eq(id))
        .filter(opportunities::employer_id.eq(employer))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// How `who` reads endorsement `e` (the first that applies: the author, the student,
/// the office, a recruiter).
fn reader_of(conn: &mut DbConnection, e: &EndorsementRow, who: &Who) -> QueryResult<Reader> {
    Ok(if who.faculty.as_ref() == Some(&e.faculty_id) {
        Reader::Author
    } else if who.student.as_ref() == Some(&e.student_id) {
        Reader::Student
    } else if who.office {
        Reader::Office
    } else if let Some(employer) = &who.employer {
        Reader::Recruiter { shared: shared_with(conn, &e.id, employer)? }
    } else {
        Reader::Other
    })
}

/// One endorsement as `who` may read it (else not found). A recruiter's read is audited.
pub fn read(
    conn: &mut DbConnection,
    id: &EndorsementId,
    who: &Who,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<(Listed, Reader)> {
    let e: Listed = listed!().filter(endorsements::id.eq(id)).first(conn).optional()?.ok_or(Error::NotFound)?;
    let reader = reader_of(conn, &e.row, who)?;
    if !rules::may_read(reader, e.row.revoked_at.is_some(), e.row.hidden_at.is_some()) {
        return Err(Error::NotFound);
    }
    if matches!(reader, Reader::Recruiter { .. }) {
        audit_employer_reads(conn, actor, std::slice::from_ref(id), now)?;
    }
    Ok((e, reader))
}

/// The faculty member's endorsements, newest first.
pub fn by_faculty(conn: &mut DbConnection, faculty_id: &FacultyId) -> QueryResult<Vec<Listed>> {
    listed!()
        .filter(endorsements::faculty_id.eq(faculty_id))
        .order((endorsements::created_at.desc(), endorsements::id))
        .load(conn)
}

/// The student's endorsements, newest first, revoked ones included (marked).
pub fn of_student(conn: &mut DbConnection, student_id: &StudentId) -> QueryResult<Vec<Listed>> {
    listed!()
        .filter(endorsements::student_id.eq(student_id))
        .order((endorsements::created_at.desc(), endorsements::id))
        .load(conn)
}

/// Endorsements naming `skill` (all when it is empty), as a boxed query.
fn naming(skill: &str) -> diesel::dsl::IntoBoxed<'static, endorsements::table, MultiBackend> {
    let key = rules::skill_key(skill);
    let q = endorsements::table.into_boxed();
    if key.is_empty() {
        return q;
    }
    // Skills are stored as normal forms joined by commas: match one whole item.
    let padded = format!("%,{},%", key.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
    q.filter(diesel::dsl::sql::<diesel::sql_types::Text>("',' || skills || ','").like(padded).escape('\\'))
}

/// How many endorsements name `skill` (all when it is empty).
pub fn count_all(conn: &mut DbConnection, skill: &str) -> QueryResult<i64> {
    naming(skill).count().get_result(conn)
}

/// The office's list (a counselor looks students up by endorsed skill): endorsements
/// naming `skill` (all when it is empty), newest first, a page at a time.
pub fn all(conn: &mut DbConnection, skill: &str, offset: i64, size: i64) -> QueryResult<Vec<Listed>> {
    let ids: Vec<EndorsementId> = naming(skill)
        .select(endorsements::id)
        .order((endorsements::created_at.desc(), endorsements::id))
        .offset(offset)
        .limit(size)
        .load(conn)?;
    listed!()
        .filter(endorsements::id.eq_any(&ids))
        .order((endorsements::created_at.desc(), endorsements::id))
        .load(conn)
}

/// The skills postings ask for (normal forms): the suggestions of a student's request.
pub fn posting_vocabulary(conn: &mut DbConnection) -> QueryResult<Vec<String>> {
    opportunity_skills::table
        .select(opportunity_skills::skill)
        .distinct()
        .order(opportunity_skills::skill)
        .limit(1000)
        .load(conn)
}

/// An endorsement as an employer sees it on an application.
#[derive(Debug, Clone, Queryable)]
pub struct Shared {
    pub application_id: ApplicationId,
    pub endorsement_id: EndorsementId,
    pub faculty: String,
    pub title: String,
    pub department: String,
    pub relationship: Relationship,
    pub skills: String,
    pub statement: String,
}

/// The endorsements shared with the employer on these applications: only those the
/// student ticked when applying, none that its author revoked, none the student hid.
/// Every page that shows endorsements to an employer reads them here, so a revocation
/// (or hiding) takes one away at once, everywhere.
pub fn shared_on(conn: &mut DbConnection, application_ids: &[ApplicationId]) -> QueryResult<Vec<Shared>> {
    application_endorsements::table
        .inner_join(endorsements::table.inner_join(faculty::table.inner_join(users::table)))
        .filter(application_endorsements::application_id.eq_any(application_ids))
        .filter(endorsements::revoked_at.is_null())
        .filter(endorsements::hidden_at.is_null())
        .select((
            application_endorsements::application_id,
            endorsements::id,
            users::display_name,
            faculty::title,
            faculty::department,
            endorsements::relationship,
            endorsements::skills,
            endorsements::statement,
        ))
        .order((application_endorsements::application_id, endorsements::created_at, endorsements::id))
        .load(conn)
}

/// Records that a recruiter read these endorsements (FERPA): one event each. (A page
/// shows at most the endorsements of one posting's applicants; diesel's multi-row insert
/// is not available over both backends at once.)
pub fn audit_employer_reads(
    conn: &mut DbConnection,
    actor: &Actor,
    ids: &[EndorsementId],
    now: NaiveDateTime,
) -> QueryResult<()> {
    for id in ids {
        event(conn, actor, "endorsement.viewed", id, now, serde_json::json!({}))?;
    }
    Ok(())
}

/// The skills a student's shareable endorsements name (normal forms, once each): what the
/// catalogue's signal and its "my endorsed skills" filter read.
pub fn endorsed_skills(conn: &mut DbConnection, student_id: &StudentId) -> QueryResult<Vec<String>> {
    let lists: Vec<String> = endorsements::table
        .filter(endorsements::student_id.eq(student_id))
        .filter(endorsements::revoked_at.is_null())
        .filter(endorsements::hidden_at.is_null())
        .select(endorsements::skills)
        .load(conn)?;
    let mut skills: Vec<String> = lists.iter().flat_map(|l| rules::skill_list(l)).collect();
    skills.sort();
    skills.dedup();
    Ok(skills)
}

/// The student's endorsements they may share on a new application (not revoked, not hidden).
pub fn shareable_ids(conn: &mut DbConnection, student_id: &StudentId) -> QueryResult<Vec<EndorsementId>> {
    endorsements::table
        .filter(endorsements::student_id.eq(student_id))
        .filter(endorsements::revoked_at.is_null())
        .filter(endorsements::hidden_at.is_null())
        .select(endorsements::id)
        .load(conn)
}

/// An endorsement as a bulk writer adds it (the synthetic data set): every column bound,
/// revoked or hidden as its history left it.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = endorsements, treat_none_as_default_value = false)]
pub struct NewEndorsement {
    pub id: EndorsementId,
    pub faculty_id: FacultyId,
    pub student_id: StudentId,
    pub skills: String,
    pub statement: String,
    pub relationship: Relationship,
    pub course: Option<String>,
    pub revoked_at: Option<NaiveDateTime>,
    pub hidden_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// Adds endorsements, many per statement.
pub fn insert_many(conn: &mut DbConnection, rows: &[NewEndorsement]) -> QueryResult<usize> {
    crate::db::batch::insert_rows!(conn, endorsements::table, rows, 11)
}
