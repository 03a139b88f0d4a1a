//! Applications: applying (with the endorsements the student chose to share), selection
//! and the student's answer (accepting starts the project), and the reads of the
//! application's page, a posting's applicants and the student's dashboard.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::postings::{close_posting, PostingRow};
use super::rules::{
    application_move, eligibility, ApplicationStatus, CloseReason, EngagementStatus, PostingStatus, StudentFacts,
};
use super::store::{
    audit_recruiter_read, employer_name, lock, partnership_active, record, recruiter_users, student_user, tell, Acting,
    Result, Scope,
};
use crate::core::{
    Actor, ApplicationId, EmployerId, EndorsementId, EngagementId, Error, OpportunityId, StudentId, UserId,
};
use crate::db::schema::{application_endorsements, applications, employers, engagements, opportunities, students};
use crate::db::{self, DbConnection};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = applications)]
pub struct ApplicationRow {
    pub id: ApplicationId,
    pub opportunity_id: OpportunityId,
    pub student_id: StudentId,
    pub statement: String,
    pub status: ApplicationStatus,
    pub decision_message: Option<String>,
}

/// An application within `scope`: the student's own, or one to the employer's posting.
pub fn application(conn: &mut DbConnection, id: &ApplicationId, scope: &Scope) -> Result<(ApplicationRow, PostingRow)> {
    let row: ApplicationRow = applications::table
        .find(id)
        .select(ApplicationRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(Error::NotFound)?;
    let p: PostingRow = opportunities::table.find(&row.opportunity_id).select(PostingRow::as_select()).first(conn)?;
    if scope.may_see(&row.student_id, &p.employer_id) {
        Ok((row, p))
    } else {
        Err(Error::NotFound)
    }
}

/// An endorsement as the employer sees it on an application (the endorsements area's).
pub use crate::endorsements::store::Shared as SharedEndorsement;

/// The endorsements shared with the employer on these applications: only those the
/// student ticked when applying, none that its author revoked or the student hid. Every
/// page that shows endorsements to an employer reads them here, so a revocation hides
/// one at once, everywhere.
pub fn shared_endorsements(
    conn: &mut DbConnection,
    application_ids: &[ApplicationId],
) -> QueryResult<Vec<SharedEndorsement>> {
    crate::endorsements::store::shared_on(conn, application_ids)
}

/// A recruiter's read of shared endorsements goes to the audit log, one event each (FERPA).
pub(super) fn audit_endorsement_reads(
    conn: &mut DbConnection,
    scope: &Scope,
    reader: &Actor,
    shared: &[SharedEndorsement],
    now: NaiveDateTime,
) -> QueryResult<()> {
    if !matches!(scope, Scope::Employer(_)) {
        return Ok(());
    }
    let ids: Vec<EndorsementId> = shared.iter().map(|e| e.endorsement_id.clone()).collect();
    crate::endorsements::store::audit_employer_reads(conn, reader, &ids, now)
}

/// Who applies: their roster record, and the signed-in person acting (with their
/// client address, for the audit log).
pub struct Applicant<'a> {
    pub student_id: &'a StudentId,
    pub actor: &'a Actor,
}

/// What the student is, for eligibility (None: no such roster record).
pub fn student_facts(conn: &mut DbConnection, student_id: &StudentId) -> QueryResult<Option<StudentFacts>> {
    Ok(students::table
        .find(student_id)
        .select((students::college, students::major, students::class_year))
        .first::<(String, String, i32)>(conn)
        .optional()?
        .map(|(college, major, class_year)| StudentFacts { college, major, class_year }))
}

/// A student applies, sharing the endorsements they chose with this employer.
pub fn apply(
    conn: &mut DbConnection,
    posting_id: &OpportunityId,
    applicant: Applicant<'_>,
    statement: &str,
    shared: &[EndorsementId],
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<ApplicationId> {
    let Applicant { student_id, actor } = applicant;
    let statement = statement.trim();
    if statement.is_empty() {
        return Err(Error::invalid("statement", "say in a few sentences why you fit this project"));
    }
    if statement.chars().count() > 3000 {
        return Err(Error::invalid("statement", "is longer than 3000 characters"));
    }
    db::transaction(conn, |conn| {
        lock(conn, "opportunities", posting_id)?;
        let p: PostingRow = opportunities::table
            .find(posting_id)
            .select(PostingRow::as_select())
            .first(conn)
            .optional()?
            .ok_or(Error::NotFound)?;
        if p.status != PostingStatus::Open || p.apply_by < today || !partnership_active(conn, &p.employer_id)? {
            return Err(Error::Conflict("this project no longer takes applications".into()));
        }
        let me = student_facts(conn, student_id)?.ok_or(Error::NotFound)?;
        eligibility(&p.eligible_colleges, &p.eligible_majors, &p.eligible_class_years, &me)
            .map_err(|why| Error::invalid("eligibility", why))?;
        let already: i64 = applications::table
            .filter(applications::opportunity_id.eq(posting_id))
            .filter(applications::student_id.eq(student_id))
            .count()
            .get_result(conn)?;
        if already > 0 {
            return Err(Error::Conflict("you have already applied to this project".into()));
        }
        let mine: Vec<EndorsementId> = crate::endorsements::store::shareable_ids(conn, student_id)?
            .into_iter()
            .filter(|e| shared.contains(e))
            .collect();
        if mine.len() != shared.len() {
            return Err(Error::invalid("share", "share only your own, current endorsements"));
        }
        let id = ApplicationId::generate();
        insert_many(
            conn,
            &[NewApplication {
                id: id.clone(),
                opportunity_id: posting_id.clone(),
                student_id: student_id.clone(),
                statement: statement.to_owned(),
                status: ApplicationStatus::Submitted,
                decision_message: None,
                decided_at: None,
                created_at: now,
                updated_at: now,
            }],
        )?;
        for e in &mine {
            diesel::insert_into(application_endorsements::table)
                .values((
                    application_endorsements::id.eq(uuid::Uuid::new_v4().to_string()),
                    application_endorsements::application_id.eq(&id),
                    application_endorsements::endorsement_id.eq(e),
                    application_endorsements::created_at.eq(now),
                    application_endorsements::updated_at.eq(now),
                ))
                .execute(conn)?;
        }
        let r = recruiter_users(conn, &p.employer_id)?;
        tell(
            conn,
            &r,
            "application_received",
            format!("A new application to “{}”", p.title),
            "A student applied. Review the applicants.".into(),
            format!("/workspace/postings/{posting_id}"),
            now,
        )?;
        record(
            conn,
            now,
            actor,
            "application.submitted",
            "application",
            &id,
            serde_json::json!({ "opportunity_id": posting_id, "shared_endorsements": mine.len() }),
        )?;
        Ok(id.clone())
    })
}

/// Moves an application. Accepting takes a free opening (refused when none is left),
/// starts the engagement, and closes the posting when its openings are filled.
pub fn move_application(
    conn: &mut DbConnection,
    id: &ApplicationId,
    to: ApplicationStatus,
    message: &str,
    by: &Acting<'_>,
) -> Result<Option<EngagementId>> {
    use ApplicationStatus::*;
    let Acting { scope, actor, today, now } = *by;
    db::transaction(conn, |conn| {
        let (row, p) = application(conn, id, scope)?;
        let scope = &scope.on_record_of(&row.student_id);
        application_move(row.status, to, scope.side())?;
        // Accepting competes for openings: lock the posting first, then count.
        lock(conn, "opportunities", &p.id)?;
        lock(conn, "applications", id)?;
        if to == Accepted && accepted_count(conn, &p.id)? >= i64::from(p.openings) {
            return Err(Error::Conflict("all openings of this project are filled".into()));
        }
        let message = Some(message.trim().to_owned()).filter(|m| !m.is_empty());
        let moved = diesel::update(
            applications::table.filter(applications::id.eq(id)).filter(applications::status.eq(row.status)),
        )
        .set((
            applications::status.eq(to),
            applications::decision_message.eq(&message),
            applications::decided_at.eq(now),
            applications::updated_at.eq(now),
        ))
        .execute(conn)?;
        if moved != 1 {
            return Err(Error::Conflict("the application changed meanwhile; reload and try again".into()));
        }
        let mut engagement = None;
        let student = student_user(conn, &row.student_id)?;
        let recruiters_of = recruiter_users(conn, &p.employer_id)?;
        let link = format!("/applications/{id}");
        match to {
            Shortlisted => tell(
                conn,
                &student,
                "application_shortlisted",
                format!("Shortlisted for “{}”", p.title),
                "The employer shortlisted your application.".into(),
                link,
                now,
            )?,
            Rejected => tell(
                conn,
                &student,
                "application_rejected",
                format!("Not selected for “{}”", p.title),
                message.clone().unwrap_or_else(|| "The employer chose other applicants this time.".into()),
                link,
                now,
            )?,
            Offered => tell(
                conn,
                &student,
                "application_offered",
                format!("An offer for “{}”", p.title),
                "The employer offers you the project: accept or decline it.".into(),
                link,
                now,
            )?,
            Accepted => {
                let eid = EngagementId::generate();
                super::engagements::insert_many(
                    conn,
                    &[super::engagements::NewEngagement::started(
                        eid.clone(),
                        id.clone(),
                        p.id.clone(),
                        row.student_id.clone(),
                        p.employer_id.clone(),
                        today,
                        p.due_by.max(today + chrono::Duration::days(1)),
                        now,
                    )],
                )?;
                if accepted_count(conn, &p.id)? >= i64::from(p.openings) {
                    close_posting(conn, &p.id, CloseReason::OpeningsFilled, actor, now)?;
                }
                tell(
                    conn,
                    &recruiters_of,
                    "offer_accepted",
                    format!("Offer accepted for “{}”", p.title),
                    "The student accepted: the project has started.".into(),
                    format!("/engagements/{eid}"),
                    now,
                )?;
                engagement = Some(eid);
            }
            Declined => tell(
                conn,
                &recruiters_of,
                "offer_declined",
                format!("Offer declined for “{}”", p.title),
                "The student declined your offer.".into(),
                format!("/workspace/postings/{}", p.id),
                now,
            )?,
            Withdrawn => tell(
                conn,
                &recruiters_of,
                "application_withdrawn",
                format!("An application to “{}” was withdrawn", p.title),
                "The student withdrew.".into(),
                format!("/workspace/postings/{}", p.id),
                now,
            )?,
            Submitted => {}
        }
        record(
            conn,
            now,
            actor,
            &format!("application.{to}"),
            "application",
            id,
            serde_json::json!({ "from": row.status, "opportunity_id": p.id }),
        )?;
        Ok(engagement)
    })
}

/// The applicants still waiting on a posting who can sign in: their application and user.
pub(super) fn waiting_applicants(
    conn: &mut DbConnection,
    posting_id: &OpportunityId,
) -> QueryResult<Vec<(ApplicationId, UserId)>> {
    use ApplicationStatus::{Offered, Shortlisted, Submitted};
    applications::table
        .inner_join(students::table)
        .filter(applications::opportunity_id.eq(posting_id))
        .filter(applications::status.eq_any([Submitted, Shortlisted, Offered]))
        .filter(students::user_id.is_not_null())
        .select((applications::id, students::user_id.assume_not_null()))
        .load(conn)
}

fn accepted_count(conn: &mut DbConnection, posting_id: &OpportunityId) -> QueryResult<i64> {
    applications::table
        .filter(applications::opportunity_id.eq(posting_id))
        .filter(applications::status.eq(ApplicationStatus::Accepted))
        .count()
        .get_result(conn)
}

// ---------------------------------------------------------------- reads for pages

/// The posting and the student of an application (whoever asks: the caller has moved it
/// within its scope already).
pub fn posting_and_student(conn: &mut DbConnection, id: &ApplicationId) -> Result<(OpportunityId, StudentId)> {
    Ok(applications::table.find(id).select((applications::opportunity_id, applications::student_id)).first(conn)?)
}

/// An applicant as the posting's page lists them.
#[derive(Debug, Queryable)]
pub struct ApplicantFields {
    pub id: ApplicationId,
    pub name: String,
    pub college: String,
    pub major: String,
    pub class_year: i32,
    pub status: ApplicationStatus,
    pub statement: String,
    pub message: Option<String>,
    /// When they applied (their place in the list).
    pub applied_at: NaiveDateTime,
}

/// An applicant, what they shared with the employer, and the project they started.
pub struct ApplicantRow {
    pub applicant: ApplicantFields,
    pub shared: Vec<SharedEndorsement>,
    pub engagement: Option<(EngagementId, EngagementStatus)>,
}

/// The application's page: the application, its posting and employer, the endorsements
/// shared with it, and the project it started.
pub struct ApplicationDetail {
    pub application: ApplicationRow,
    pub posting: PostingRow,
    pub employer: String,
    pub shared: Vec<SharedEndorsement>,
    pub engagement: Option<EngagementId>,
}

/// The application's page within `scope`; a recruiter's read is audited (FERPA).
pub fn application_detail(
    conn: &mut DbConnection,
    id: &ApplicationId,
    scope: &Scope,
    reader: &Actor,
    now: NaiveDateTime,
) -> Result<ApplicationDetail> {
    let (application, posting) = application(conn, id, scope)?;
    audit_recruiter_read(conn, scope, reader, "application", id, now)?;
    let employer = employer_name(conn, &posting.employer_id)?;
    let shared = shared_endorsements(conn, std::slice::from_ref(id))?;
    audit_endorsement_reads(conn, scope, reader, &shared, now)?;
    let engagement: Option<EngagementId> =
        engagements::table.filter(engagements::application_id.eq(id)).select(engagements::id).first(conn).optional()?;
    Ok(ApplicationDetail { application, posting, employer, shared, engagement })
}

/// One line of the student's dashboard: an application, and the project it became.
#[derive(Debug, Queryable)]
pub struct DashboardRow {
    pub id: ApplicationId,
    pub status: ApplicationStatus,
    pub title: String,
    pub employer: String,
    pub posting_id: OpportunityId,
    pub applied_at: NaiveDateTime,
}

/// The project an application became, as the dashboard shows it.
#[derive(Debug, Queryable)]
pub struct DashboardProject {
    pub application_id: ApplicationId,
    pub id: EngagementId,
    pub status: EngagementStatus,
    pub due_on: NaiveDate,
    pub student_rating: Option<i32>,
}

/// The student's applications, newest first, and their projects.
pub fn dashboard(
    conn: &mut DbConnection,
    student_id: &StudentId,
) -> QueryResult<(Vec<DashboardRow>, Vec<DashboardProject>)> {
    let rows: Vec<DashboardRow> = applications::table
        .inner_join(opportunities::table.inner_join(employers::table))
        .filter(applications::student_id.eq(student_id))
        .select((
            applications::id,
            applications::status,
            opportunities::title,
            employers::name,
            opportunities::id,
            applications::created_at,
        ))
        .order((applications::created_at.desc(), applications::id))
        .load(conn)?;
    let projects: Vec<DashboardProject> = engagements::table
        .filter(engagements::student_id.eq(student_id))
        .select((
            engagements::application_id,
            engagements::id,
            engagements::status,
            engagements::due_on,
            engagements::student_rating,
        ))
        .load(conn)?;
    Ok((rows, projects))
}

/// An application's posting and people by name: the words of a change's message and of a
/// confirmation's question. The caller checks the scope (the move does).
pub struct Names {
    pub title: String,
    pub student: String,
    pub employer: String,
}

pub fn names(conn: &mut DbConnection, id: &ApplicationId) -> Result<Names> {
    let (title, student, employer_id): (String, String, EmployerId) = applications::table
        .inner_join(opportunities::table)
        .inner_join(students::table)
        .filter(applications::id.eq(id))
        .select((opportunities::title, students::name, opportunities::employer_id))
        .first(conn)
        .optional()?
        .ok_or(Error::NotFound)?;
    let employer = employer_name(conn, &employer_id)?;
    Ok(Names { title, student, employer })
}

/// An application as it is added (a student applying, or many by the synthetic data set
/// with the status the employer's decisions left it in).
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = applications, treat_none_as_default_value = false)]
pub struct NewApplication {
    pub id: ApplicationId,
    pub opportunity_id: OpportunityId,
    pub student_id: StudentId,
    pub statement: String,
    pub status: ApplicationStatus,
    pub decision_message: Option<String>,
    pub decided_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// Adds applications, many per statement.
pub fn insert_many(conn: &mut DbConnection, rows: &[NewApplication]) -> QueryResult<usize> {
    crate::db::batch::insert_rows!(conn, applications::table, rows, 9)
}
