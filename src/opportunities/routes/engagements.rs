//! The project's page and its changes: delivery, review, cancellation (asked for, or by
//! the office), the student's rating and the payment. Every change shows the page again
//! with what it said.

use actix_web::{web, HttpResponse};
use serde::Deserialize;

use super::{date_field, outcome, scope, Change};
use crate::auth::csrf::CheckedForm;
use crate::auth::extract::{Manager, Participant, Student, Viewer};
use crate::core::{Clock, EngagementId, Error};
use crate::db::{self, Pool};
use crate::opportunities::engagements::{self, Step};
use crate::opportunities::rules::{self, parse_money};
use crate::opportunities::views::EngagementPage;
use crate::web::pages::{context, html, Feedback};
use crate::web::{AppError, Templates};

pub(super) async fn engagement_page(
    v: Participant,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = EngagementId::from(path.into_inner());
    render_engagement(&v, &pool, &templates, &clock, id, Feedback::none()).await
}

async fn render_engagement(
    v: &Viewer,
    pool: &Pool,
    templates: &Templates,
    clock: &Clock,
    id: EngagementId,
    shown: Feedback,
) -> Result<HttpResponse, AppError> {
    let Feedback { notice, problems, status } = shown;
    let s = scope(v)?;
    let viewer_scope = s.clone();
    let (reader, now) = (v.principal.actor(), clock.now_utc());
    let detail = db::run(pool, move |conn| engagements::engagement_detail(conn, &id, &s, &reader, now)).await?;
    let side = viewer_scope.on_record_of(&detail.engagement.student_id).side();
    let title = detail.title.clone();
    let page = EngagementPage::new(detail, side, clock.today(), notice, problems);
    let body = templates.render("opportunities/engagement", &context(&title, Some(v), page))?;
    Ok(html(status, body))
}

/// After a change of the project (or of an offer after it): the page again with what the
/// change said; a project the viewer may not see is not found.
pub(super) async fn after_engagement_change(
    v: &Viewer,
    pool: &Pool,
    templates: &Templates,
    clock: &Clock,
    id: EngagementId,
    r: Result<(), Error>,
) -> Result<HttpResponse, AppError> {
    if matches!(r, Err(Error::NotFound)) {
        return Err(Error::NotFound.into());
    }
    render_engagement(v, pool, templates, clock, id, outcome(r, "Done.")).await
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(super) struct EngagementMove {
    step: String,
    #[serde(default)]
    deliverable_url: String,
    #[serde(default)]
    deliverable_note: String,
    #[serde(default)]
    rating: String,
    #[serde(default)]
    feedback: String,
    #[serde(default)]
    reason: String,
}

pub(super) async fn move_engagement(
    v: Participant,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    path: web::Path<String>,
    form: CheckedForm<EngagementMove>,
) -> Result<HttpResponse, AppError> {
    let id = EngagementId::from(path.into_inner());
    let f = form.0;
    let change = Change::of(&v, &clock)?;
    let id2 = id.clone();
    let r = db::run(&pool, move |conn| -> Result<_, AppError> {
        let step = match f.step.as_str() {
            "deliver" => Step::Deliver { url: &f.deliverable_url, note: &f.deliverable_note },
            "complete" => match rules::rating(&f.rating) {
                Ok(rating) => Step::Complete { rating, feedback: &f.feedback },
                Err(p) => return Ok(Err(Error::Invalid(p.into()))),
            },
            "revision" => Step::AskRevision { request: &f.feedback },
            "cancel" => Step::Cancel { reason: &f.reason },
            other => return Err(AppError::BadRequest(format!("unknown step `{other}`"))),
        };
        Ok(engagements::move_engagement(conn, &id2, step, &change.acting()))
    })
    .await?;
    after_engagement_change(&v, &pool, &templates, &clock, id, r).await
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(super) struct Reason {
    #[serde(default)]
    reason: String,
}

pub(super) async fn request_cancel(
    v: Participant,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    path: web::Path<String>,
    form: CheckedForm<Reason>,
) -> Result<HttpResponse, AppError> {
    let id = EngagementId::from(path.into_inner());
    let change = Change::of(&v, &clock)?;
    let id2 = id.clone();
    let r = db::run(&pool, move |conn| {
        Ok::<_, AppError>(engagements::request_cancel(conn, &id2, &form.0.reason, &change.acting()))
    })
    .await?;
    after_engagement_change(&v, &pool, &templates, &clock, id, r).await
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(super) struct RatingForm {
    rating: String,
    #[serde(default)]
    feedback: String,
}

pub(super) async fn rate(
    v: Student,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    path: web::Path<String>,
    form: CheckedForm<RatingForm>,
) -> Result<HttpResponse, AppError> {
    let id = EngagementId::from(path.into_inner());
    let change = Change::of(&v, &clock)?;
    let id2 = id.clone();
    let r = db::run(&pool, move |conn| {
        Ok::<_, AppError>(match rules::rating(&form.0.rating) {
            Ok(rating) => engagements::rate_experience(conn, &id2, rating, &form.0.feedback, &change.acting()),
            Err(p) => Err(Error::Invalid(p.into())),
        })
    })
    .await?;
    after_engagement_change(&v, &pool, &templates, &clock, id, r).await
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(super) struct PaymentForm {
    amount: String,
    paid_on: String,
}

pub(super) async fn pay(
    v: Manager,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    path: web::Path<String>,
    form: CheckedForm<PaymentForm>,
) -> Result<HttpResponse, AppError> {
    let id = EngagementId::from(path.into_inner());
    let change = Change::of(&v, &clock)?;
    let id2 = id.clone();
    let r = db::run(&pool, move |conn| {
        let amount =
            parse_money(&form.0.amount).ok_or_else(|| Error::invalid("amount", "is not an amount like 450.00"));
        Ok::<_, AppError>(amount.and_then(|amount| {
            let date = date_field("paid_on", &form.0.paid_on)?;
            engagements::record_payment(conn, &id2, amount, date, &change.acting())
        }))
    })
    .await?;
    after_engagement_change(&v, &pool, &templates, &clock, id, r).await
}
