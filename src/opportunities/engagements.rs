//! Engagements (the project an accepted application became): delivery, review,
//! cancellation, the student's rating, the payment, and the read of the project's page.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::offers::{offers_of, OfferRow};
use super::rules::{engagement_move, EngagementStatus};
use super::store::{
    audit_recruiter_read, employer_name, lock, office_users, record, recruiter_users, student_user, tell, Acting,
    Result, Scope,
};
use crate::core::{Actor, ApplicationId, EmployerId, EngagementId, Error, OpportunityId, StudentId, UserId};
use crate::db::schema::{engagements, opportunities, students};
use crate::db::{self, DbConnection};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = engagements)]
pub struct EngagementRow {
    pub id: EngagementId,
    pub application_id: ApplicationId,
    pub opportunity_id: OpportunityId,
    pub student_id: StudentId,
    pub employer_id: EmployerId,
    pub status: EngagementStatus,
    pub started_on: NaiveDate,
    pub due_on: NaiveDate,
    pub deliverable_url: Option<String>,
    pub deliverable_note: Option<String>,
    pub submitted_on: Option<NaiveDate>,
    pub completed_on: Option<NaiveDate>,
    pub rating: Option<i32>,
    pub feedback: Option<String>,
    pub student_rating: Option<i32>,
    pub student_feedback: Option<String>,
    pub amount_paid_cents: Option<i64>,
    pub paid_on: Option<NaiveDate>,
    pub cancel_requested_by: Option<UserId>,
    pub cancel_reason: Option<String>,
}

/// A project within `scope`: the student's own, or one with the employer.
pub fn engagement(conn: &mut DbConnection, id: &EngagementId, scope: &Scope) -> Result<EngagementRow> {
    let e: EngagementRow = engagements::table
        .find(id)
        .select(EngagementRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(Error::NotFound)?;
    if scope.may_see(&e.student_id, &e.employer_id) {
        Ok(e)
    } else {
        Err(Error::NotFound)
    }
}

/// What a move of an engagement carries.
pub enum Step<'a> {
    Deliver { url: &'a str, note: &'a str },
    Complete { rating: i32, feedback: &'a str },
    AskRevision { request: &'a str },
    Cancel { reason: &'a str },
}

impl Step<'_> {
    /// The status the step moves the project to.
    pub fn target(&self) -> EngagementStatus {
        match self {
            Step::Deliver { .. } => EngagementStatus::Submitted,
            Step::Complete { .. } => EngagementStatus::Completed,
            Step::AskRevision { .. } => EngagementStatus::RevisionRequested,
            Step::Cancel { .. } => EngagementStatus::Cancelled,
        }
    }
}

pub fn move_engagement(conn: &mut DbConnection, id: &EngagementId, step: Step<'_>, by: &Acting<'_>) -> Result<()> {
    let Acting { scope, actor, today, now } = *by;
    let to = step.target();
    db::transaction(conn, |conn| {
        lock(conn, "engagements", id)?;
        let e = engagement(conn, id, scope)?;
        let scope = &scope.on_record_of(&e.student_id);
        engagement_move(e.status, to, scope.side())?;
        let title: String = opportunities::table.find(&e.opportunity_id).select(opportunities::title).first(conn)?;
        let q =
            diesel::update(engagements::table.filter(engagements::id.eq(id)).filter(engagements::status.eq(e.status)));
        let moved = match &step {
            Step::Deliver { url, note } => {
                let parsed = url::Url::parse(url.trim())
                    .ok()
                    .filter(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some());
                if parsed.is_none() {
                    return Err(Error::invalid(
                        "deliverable_url",
                        "give a link to the work, like https://drive.example.edu/…",
                    ));
                }
                if note.chars().count() > 2000 {
                    return Err(Error::invalid("deliverable_note", "is longer than 2000 characters"));
                }
                q.set((
                    engagements::status.eq(to),
                    engagements::deliverable_url.eq(url.trim()),
                    engagements::deliverable_note.eq(note.trim()),
                    engagements::submitted_on.eq(today),
                    engagements::updated_at.eq(now),
                ))
                .execute(conn)?
            }
            Step::Complete { rating, feedback } => {
                if !(1..=5).contains(rating) {
                    return Err(Error::invalid("rating", "choose from 1 to 5"));
                }
                if feedback.trim().is_empty() {
                    return Err(Error::invalid("feedback", "write a few words of feedback for the student"));
                }
                q.set((
                    engagements::status.eq(to),
                    engagements::rating.eq(rating),
                    engagements::feedback.eq(feedback.trim()),
                    engagements::completed_on.eq(today),
                    engagements::updated_at.eq(now),
                ))
                .execute(conn)?
            }
            Step::AskRevision { request } => {
                if request.trim().is_empty() {
                    return Err(Error::invalid("feedback", "say what should change"));
                }
                q.set((
                    engagements::status.eq(to),
                    engagements::feedback.eq(request.trim()),
                    engagements::updated_at.eq(now),
                ))
                .execute(conn)?
            }
            Step::Cancel { reason } => {
                if reason.trim().is_empty() {
                    return Err(Error::invalid("reason", "give a reason for cancelling"));
                }
                q.set((
                    engagements::status.eq(to),
                    engagements::cancel_reason.eq(reason.trim()),
                    engagements::updated_at.eq(now),
                ))
                .execute(conn)?
            }
        };
        if moved != 1 {
            return Err(Error::Conflict("the project changed meanwhile; reload and try again".into()));
        }
        let link = format!("/engagements/{id}");
        let student = student_user(conn, &e.student_id)?;
        let employer = recruiter_users(conn, &e.employer_id)?;
        match &step {
            Step::Deliver { .. } => tell(
                conn,
                &employer,
                "deliverable_submitted",
                format!("Deliverable for “{title}”"),
                "The student submitted the work: complete it with a rating, or ask for a revision.".into(),
                link,
                now,
            )?,
            Step::Complete { rating, .. } => tell(
                conn,
                &student,
                "engagement_completed",
                format!("“{title}” is complete"),
                format!("The employer rated your work {rating} of 5. Rate the experience too."),
                link,
                now,
            )?,
            Step::AskRevision { request } => tell(
                conn,
                &student,
                "revision_requested",
                format!("A revision for “{title}”"),
                format!("The employer asks: {}", request.trim()),
                link,
                now,
            )?,
            Step::Cancel { reason } => {
                let all: Vec<UserId> = student.iter().chain(employer.iter()).cloned().collect();
                tell(
                    conn,
                    &all,
                    "engagement_cancelled",
                    format!("“{title}” was cancelled"),
                    format!("The career office cancelled the project: {}", reason.trim()),
                    link,
                    now,
                )?
            }
        }
        record(
            conn,
            now,
            actor,
            &format!("engagement.{to}"),
            "engagement",
            id,
            serde_json::json!({ "from": e.status }),
        )?;
        Ok(())
    })
}

/// Either side asks the office to cancel an active project.
pub fn request_cancel(conn: &mut DbConnection, id: &EngagementId, reason: &str, by: &Acting<'_>) -> Result<()> {
    let Acting { scope, actor, now, .. } = *by;
    if reason.trim().is_empty() {
        return Err(Error::invalid("reason", "say why the project should be cancelled"));
    }
    db::transaction(conn, |conn| {
        lock(conn, "engagements", id)?;
        let e = engagement(conn, id, scope)?;
        if e.status != EngagementStatus::Active {
            return Err(Error::Conflict("only an active project can be cancelled".into()));
        }
        diesel::update(engagements::table.find(id))
            .set((
                engagements::cancel_requested_by.eq(actor.user_id()),
                engagements::cancel_reason.eq(reason.trim()),
                engagements::updated_at.eq(now),
            ))
            .execute(conn)?;
        let office = office_users(conn)?;
        tell(
            conn,
            &office,
            "cancel_requested",
            "A project cancellation is requested".into(),
            reason.trim().to_owned(),
            format!("/engagements/{id}"),
            now,
        )?;
        record(
            conn,
            now,
            actor,
            "engagement.cancel_requested",
            "engagement",
            id,
            serde_json::json!({ "reason": reason.trim() }),
        )?;
        Ok(())
    })
}

/// The student's rating of the experience, once, after completion.
pub fn rate_experience(
    conn: &mut DbConnection,
    id: &EngagementId,
    rating: i32,
    feedback: &str,
    by: &Acting<'_>,
) -> Result<()> {
    let Acting { scope, actor, now, .. } = *by;
    db::transaction(conn, |conn| {
        lock(conn, "engagements", id)?;
        let e = engagement(conn, id, scope)?;
        let scope = &scope.on_record_of(&e.student_id);
        if scope.student().is_none() {
            return Err(Error::NotFound);
        }
        if e.status != EngagementStatus::Completed {
            return Err(Error::Conflict("rate the experience once the project is completed".into()));
        }
        if e.student_rating.is_some() {
            return Err(Error::Conflict("you already rated this project".into()));
        }
        if !(1..=5).contains(&rating) {
            return Err(Error::invalid("rating", "choose from 1 to 5"));
        }
        diesel::update(engagements::table.filter(engagements::id.eq(id)).filter(engagements::student_rating.is_null()))
            .set((
                engagements::student_rating.eq(rating),
                engagements::student_feedback.eq(feedback.trim()),
                engagements::updated_at.eq(now),
            ))
            .execute(conn)?;
        record(
            conn,
            now,
            actor,
            "engagement.rated_by_student",
            "engagement",
            id,
            serde_json::json!({ "rating": rating }),
        )?;
        Ok(())
    })
}

/// The payment of a completed project, recorded once by its employer or the office.
pub fn record_payment(
    conn: &mut DbConnection,
    id: &EngagementId,
    amount_cents: i64,
    paid_on: NaiveDate,
    by: &Acting<'_>,
) -> Result<()> {
    let Acting { scope, actor, today, now } = *by;
    db::transaction(conn, |conn| {
        lock(conn, "engagements", id)?;
        let e = engagement(conn, id, scope)?;
        let scope = &scope.on_record_of(&e.student_id);
        if scope.student().is_some() {
            return Err(Error::NotFound);
        }
        if e.status != EngagementStatus::Completed {
            return Err(Error::Conflict("payment is recorded for completed projects".into()));
        }
        if e.paid_on.is_some() {
            return Err(Error::Conflict("the payment is already recorded".into()));
        }
        if amount_cents <= 0 {
            return Err(Error::invalid("amount", "must be more than zero"));
        }
        if paid_on > today || Some(paid_on) < e.completed_on.map(|d| d - chrono::Duration::days(60)) {
            return Err(Error::invalid("paid_on", "must be a date of payment, not in the future"));
        }
        diesel::update(engagements::table.filter(engagements::id.eq(id)).filter(engagements::paid_on.is_null()))
            .set((
                engagements::amount_paid_cents.eq(amount_cents),
                engagements::paid_on.eq(paid_on),
                engagements::updated_at.eq(now),
            ))
            .execute(conn)?;
        let student = student_user(conn, &e.student_id)?;
        tell(
            conn,
            &student,
            "payment_recorded",
            "Payment recorded".into(),
            format!(
                "The employer recorded a payment of {} on {}.",
                crate::core::money::display(amount_cents),
                crate::core::clock::format_date(paid_on)
            ),
            format!("/engagements/{id}"),
            now,
        )?;
        record(
            conn,
            now,
            actor,
            "engagement.paid",
            "engagement",
            id,
            serde_json::json!({ "amount_cents": amount_cents, "paid_on": paid_on }),
        )?;
        Ok(())
    })
}

// ---------------------------------------------------------------- reads for pages

/// The project's page: the project, its posting's title and fee, who does it for whom,
/// and the offers made after it.
pub struct EngagementDetail {
    pub engagement: EngagementRow,
    pub title: String,
    pub fee_cents: i64,
    pub currency: String,
    pub employer: String,
    pub student: String,
    pub offers: Vec<OfferRow>,
}

/// The project's page within `scope`; a recruiter's read is audited (FERPA).
pub fn engagement_detail(
    conn: &mut DbConnection,
    id: &EngagementId,
    scope: &Scope,
    reader: &Actor,
    now: NaiveDateTime,
) -> Result<EngagementDetail> {
    let engagement = engagement(conn, id, scope)?;
    audit_recruiter_read(conn, scope, reader, "engagement", id, now)?;
    let (title, fee_cents, currency): (String, i64, String) = opportunities::table
        .find(&engagement.opportunity_id)
        .select((opportunities::title, opportunities::fee_cents, opportunities::currency))
        .first(conn)?;
    let employer = employer_name(conn, &engagement.employer_id)?;
    let student: String = students::table.find(&engagement.student_id).select(students::name).first(conn)?;
    let offers = offers_of(conn, id)?;
    Ok(EngagementDetail { engagement, title, fee_cents, currency, employer, student, offers })
}

/// Who a project is between and what it is, by name: the words of the message that says
/// what a change did ("Offer sent to Dana Kim"). The caller's change already checked
/// the scope.
pub struct Parties {
    pub title: String,
    pub student: String,
    pub employer: String,
    pub currency: String,
}

pub fn parties(conn: &mut DbConnection, id: &EngagementId) -> Result<Parties> {
    let (title, currency, student, employer_id): (String, String, String, EmployerId) = engagements::table
        .inner_join(opportunities::table)
        .inner_join(students::table)
        .filter(engagements::id.eq(id))
        .select((opportunities::title, opportunities::currency, students::name, engagements::employer_id))
        .first(conn)
        .optional()?
        .ok_or(Error::NotFound)?;
    let employer = employer_name(conn, &employer_id)?;
    Ok(Parties { title, student, employer, currency })
}

/// A project as it is added: when a student accepts the offer of a project (it starts
/// active), or many by the synthetic data set in the state its history left it.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = engagements, treat_none_as_default_value = false)]
pub struct NewEngagement {
    pub id: EngagementId,
    pub application_id: ApplicationId,
    pub opportunity_id: OpportunityId,
    pub student_id: StudentId,
    pub employer_id: EmployerId,
    pub status: EngagementStatus,
    pub started_on: NaiveDate,
    pub due_on: NaiveDate,
    pub deliverable_url: Option<String>,
    pub deliverable_note: Option<String>,
    pub submitted_on: Option<NaiveDate>,
    pub completed_on: Option<NaiveDate>,
    pub rating: Option<i32>,
    pub feedback: Option<String>,
    pub student_rating: Option<i32>,
    pub student_feedback: Option<String>,
    pub amount_paid_cents: Option<i64>,
    pub paid_on: Option<NaiveDate>,
    pub cancel_requested_by: Option<UserId>,
    pub cancel_reason: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl NewEngagement {
    /// A project that starts today: active, nothing delivered, nothing paid.
    #[allow(clippy::too_many_arguments)]
    pub fn started(
        id: EngagementId,
        application_id: ApplicationId,
        opportunity_id: OpportunityId,
        student_id: StudentId,
        employer_id: EmployerId,
        started_on: NaiveDate,
        due_on: NaiveDate,
        now: NaiveDateTime,
    ) -> Self {
        NewEngagement {
            id,
            application_id,
            opportunity_id,
            student_id,
            employer_id,
            status: EngagementStatus::Active,
            started_on,
            due_on,
            deliverable_url: None,
            deliverable_note: None,
            submitted_on: None,
            completed_on: None,
            rating: None,
            feedback: None,
            student_rating: None,
            student_feedback: None,
            amount_paid_cents: None,
            paid_on: None,
            cancel_requested_by: None,
            cancel_reason: None,
            created_at: now,
            updated_at: now,
        }
    }
}

/// Adds projects, many per statement.
pub fn insert_many(conn: &mut DbConnection, rows: &[NewEngagement]) -> QueryResult<usize> {
    crate::db::batch::insert_rows!(conn, engagements::table, rows, 22)
}
