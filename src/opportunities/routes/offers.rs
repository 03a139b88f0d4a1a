//! Offers after a project: the employer (or the office) records one with its terms, and
//! the student answers it in the portal (or the employer records the answer the student
//! gave them). Each ends on the project's page with what was done.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

use super::engagements::after_engagement_change;
use super::{date_field, scope, Change};
use crate::auth::csrf::CheckedForm;
use crate::auth::extract::{Manager, Student};
use crate::core::{Clock, EngagementId, Error, OfferId};
use crate::db::{self, Pool};
use crate::opportunities::offers::{self, AnsweredBy};
use crate::opportunities::rules::{check_offer, OfferForm, OfferStatus, Side};
use crate::opportunities::views::ProjectForm;
use crate::web::confirm::Confirmation;
use crate::web::forms::Values;
use crate::web::{AppError, Templates};

pub(super) async fn make_offer(
    v: Manager,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    path: web::Path<String>,
    form: CheckedForm<OfferForm>,
) -> Result<HttpResponse, AppError> {
    let id = EngagementId::from(path.into_inner());
    let change = Change::of(&v, &clock)?;
    let back = (ProjectForm::Offer, Values::of(&form.0));
    let id2 = id.clone();
    let r = db::run(&pool, move |conn| {
        let made = check_offer(&form.0)
            .map_err(Error::Invalid)
            .and_then(|terms| offers::make_offer(conn, &id2, &terms, &change.acting()))
            .map(|(_, student)| format!("Offer sent to {student}"));
        Ok::<_, AppError>(made)
    })
    .await?;
    after_engagement_change(&v, &pool, &templates, &clock, id, back, r).await
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub(super) struct DecisionForm {
    decision: String,
    decided_on: String,
}

/// The employer or the office records the answer the student gave them.
pub(super) async fn decide_offer(
    v: Manager,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    path: web::Path<String>,
    form: CheckedForm<DecisionForm>,
) -> Result<HttpResponse, AppError> {
    let id = OfferId::from(path.into_inner());
    let change = Change::of(&v, &clock)?;
    let back = (ProjectForm::Offer, Values::new());
    let s = scope(&v)?;
    let (engagement, r) = db::run(&pool, move |conn| -> Result<_, AppError> {
        let engagement = offers::offer(conn, &id, &s)?.engagement_id;
        let accepted = match form.0.decision.as_str() {
            "accepted" => true,
            "declined" => false,
            _ => return Ok((engagement, Err(Error::invalid("decision", "choose accepted or declined")))),
        };
        let r = date_field("decided_on", &form.0.decided_on)
            .and_then(|d| offers::decide_offer(conn, &id, accepted, d, AnsweredBy::Recorded, &change.acting()))
            .map(|a| {
                let answer = if accepted { "accepted" } else { "declined" };
                format!("Recorded: {} {answer} the offer of {}", a.student, a.job_title)
            });
        Ok((engagement, r))
    })
    .await?;
    after_engagement_change(&v, &pool, &templates, &clock, engagement, back, r).await
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub(super) struct AnswerForm {
    /// "accept" or "decline".
    answer: String,
    confirm: Option<String>,
}

/// The student answers their own offer: accept at once, decline after a confirmation.
/// Another student's offer is not found; an offer already answered is a conflict (409).
pub(super) async fn answer_offer(
    req: HttpRequest,
    v: Student,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    path: web::Path<String>,
    form: CheckedForm<AnswerForm>,
) -> Result<HttpResponse, AppError> {
    let id = OfferId::from(path.into_inner());
    let f = form.0;
    let accepted = match f.answer.as_str() {
        "accept" => true,
        "decline" => false,
        other => return Err(AppError::BadRequest(format!("unknown answer `{other}`"))),
    };
    let change = Change::of(&v, &clock)?;
    let (s, id2) = (change.scope.clone(), id.clone());
    let (o, employer) = db::run(&pool, move |conn| -> Result<_, Error> {
        let o = offers::offer(conn, &id2, &s)?;
        // Only their own: staff who study see others' offers as the office, not here.
        if s.on_record_of(&o.student_id).side() != Side::Student {
            return Err(Error::NotFound);
        }
        let employer = crate::opportunities::store::employer_name(conn, &o.employer_id)?;
        Ok((o, employer))
    })
    .await?;
    // An offer already answered is not asked about: it is refused (409) below.
    if !accepted && o.status == OfferStatus::Extended {
        let page = format!("/engagements/{}", o.engagement_id);
        if let Some(ask) = Confirmation::new(format!("Decline the offer “{}”?", o.job_title))
            .explain(format!("{employer} is told that you declined. An answered offer cannot be changed here."))
            .fact("Employer", &employer)
            .fact("Job", &o.job_title)
            .button("Decline the offer")
            .cancel_to(&page)
            .cancel_label("Keep the offer")
            .unless_confirmed(&req, &f, &*v)?
        {
            return Ok(ask);
        }
    }
    let today = change.today;
    let r = db::run(&pool, move |conn| {
        Ok::<_, AppError>(offers::decide_offer(conn, &id, accepted, today, AnsweredBy::Student, &change.acting()).map(
            |a| {
                if accepted {
                    format!("You accepted the offer: {} at {}", a.job_title, a.employer)
                } else {
                    format!("You declined the offer: {} at {}", a.job_title, a.employer)
                }
            },
        ))
    })
    .await?;
    let back = (ProjectForm::Offer, Values::new());
    after_engagement_change(&v, &pool, &templates, &clock, o.engagement_id, back, r).await
}
