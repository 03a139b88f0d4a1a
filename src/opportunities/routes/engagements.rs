//! The project's page and its changes: delivery, review, cancellation (asked for, or by
//! the office after a confirmation), the student's rating and the payment. A change that
//! is made redirects to the project's page with what was done (Post/Redirect/Get); a
//! refused one shows the page again with the form as it was typed and its problems (422),
//! or with why the move is not possible now (409).

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

use super::{date_field, scope, Change, Refusal};
use crate::auth::csrf::CheckedForm;
use crate::auth::extract::{Manager, Participant, Student, Viewer};
use crate::core::{money, Clock, EngagementId, Error, Problems};
use crate::db::{self, Pool};
use crate::opportunities::engagements::{self, Parties, Step};
use crate::opportunities::rules::{self, parse_money};
use crate::opportunities::views::{EngagementPage, ProjectForm, Returned};
use crate::web::confirm::Confirmation;
use crate::web::flash::redirect_with_flash;
use crate::web::forms::Values;
use crate::web::pages::{context, html};
use crate::web::{AppError, Templates};

pub(super) async fn engagement_page(
    v: Participant,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = EngagementId::from(path.into_inner());
    render_engagement(&v, &pool, &templates, &clock, id, Shown::default()).await
}

/// What the page shows besides the project: why the last change was refused, and the
/// form that came back.
#[derive(Default)]
struct Shown {
    notice: Option<String>,
    back: Option<Returned>,
}

impl Shown {
    fn status(&self) -> StatusCode {
        match (&self.back, &self.notice) {
            (Some(_), _) => StatusCode::UNPROCESSABLE_ENTITY,
            (None, Some(_)) => StatusCode::CONFLICT,
            (None, None) => StatusCode::OK,
        }
    }
}

async fn render_engagement(
    v: &Viewer,
    pool: &Pool,
    templates: &Templates,
    clock: &Clock,
    id: EngagementId,
    shown: Shown,
) -> Result<HttpResponse, AppError> {
    let status = shown.status();
    let s = scope(v)?;
    let viewer_scope = s.clone();
    let (reader, now) = (v.principal.actor(), clock.now_utc());
    let detail = db::run(pool, move |conn| engagements::engagement_detail(conn, &id, &s, &reader, now)).await?;
    let side = viewer_scope.on_record_of(&detail.engagement.student_id).side();
    let title = format!("Project: {}", detail.title);
    let page = EngagementPage::new(detail, side, clock.today(), shown.notice, shown.back);
    let body = templates.render("opportunities/engagement", context(&title, Some(v), page))?;
    Ok(html(status, body))
}

/// After a change of the project (or of an offer after it): made, to the project's page
/// with `done`'s message; refused, the page again with the form `form` as `values` had it.
pub(super) async fn after_engagement_change(
    v: &Viewer,
    pool: &Pool,
    templates: &Templates,
    clock: &Clock,
    id: EngagementId,
    back: (ProjectForm, Values),
    r: Result<String, Error>,
) -> Result<HttpResponse, AppError> {
    let e = match r {
        Ok(message) => return Ok(redirect_with_flash(&format!("/engagements/{id}"), message)),
        Err(e) => e,
    };
    let shown = match Refusal::of(e)? {
        Refusal::Problems(problems) => {
            Shown { notice: None, back: Some(Returned { form: back.0, values: back.1, problems }) }
        }
        Refusal::Conflict(m) => Shown { notice: Some(Refusal::notice(&m)), back: None },
    };
    render_engagement(v, pool, templates, clock, id, shown).await
}

/// The project's parties by name, for the message of a change just made.
fn parties(conn: &mut db::DbConnection, id: &EngagementId) -> Result<Parties, Error> {
    engagements::parties(conn, id)
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub(super) struct EngagementMove {
    step: String,
    deliverable_url: String,
    deliverable_note: String,
    rating: String,
    feedback: String,
    reason: String,
    confirm: Option<String>,
}

impl EngagementMove {
    fn form(&self) -> ProjectForm {
        match self.step.as_str() {
            "deliver" => ProjectForm::Deliver,
            "cancel" => ProjectForm::Cancel,
            _ => ProjectForm::Review,
        }
    }

    /// The step asked for, with every problem of its fields at once (a completion without
    /// a rating keeps the feedback written and says both what is missing).
    fn step(&self) -> Result<Step<'_>, AppError> {
        let mut p = Problems::new();
        let step = match self.step.as_str() {
            "deliver" => Step::Deliver { url: &self.deliverable_url, note: &self.deliverable_note },
            "complete" => {
                let rating = p.take("rating", rules::rating(&self.rating).map_err(|e| e.problem));
                if self.feedback.trim().is_empty() {
                    p.add("feedback", "write a few words of feedback for the student");
                }
                Step::Complete { rating: rating.unwrap_or(0), feedback: &self.feedback }
            }
            "revision" => Step::AskRevision { request: &self.feedback },
            "cancel" => {
                if self.reason.trim().is_empty() {
                    p.add("reason", "give a reason for cancelling");
                }
                Step::Cancel { reason: &self.reason }
            }
            other => return Err(AppError::BadRequest(format!("unknown step `{other}`"))),
        };
        p.check().map_err(AppError::Domain)?;
        Ok(step)
    }
}

pub(super) async fn move_engagement(
    req: HttpRequest,
    v: Participant,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    path: web::Path<String>,
    form: CheckedForm<EngagementMove>,
) -> Result<HttpResponse, AppError> {
    let id = EngagementId::from(path.into_inner());
    let f = form.0;
    let back = (f.form(), Values::of(&f));
    // Check the form first: a refused one comes back on the project's page.
    match f.step() {
        Ok(_) => {}
        Err(AppError::Domain(e)) => {
            return after_engagement_change(&v, &pool, &templates, &clock, id, back, Err(e)).await
        }
        Err(e) => return Err(e),
    }
    let change = Change::of(&v, &clock)?;
    if f.step == "cancel" {
        let (id2, s) = (id.clone(), change.scope.clone());
        let (who, allowed) = db::run(&pool, move |conn| -> Result<_, Error> {
            let e = engagements::engagement(conn, &id2, &s)?;
            let side = s.on_record_of(&e.student_id).side();
            let allowed = rules::engagement_move(e.status, rules::EngagementStatus::Cancelled, side).is_ok();
            Ok((parties(conn, &id2)?, allowed))
        })
        .await?;
        let page = format!("/engagements/{id}");
        // A move the rules refuse is not asked about: it is refused (409) below.
        let question = Confirmation::new(format!("Cancel the project “{}”?", who.title))
            .explain(format!(
                "{} and {} are told, with your reason. A cancelled project cannot be restarted.",
                who.student, who.employer
            ))
            .fact("Student", &who.student)
            .fact("Employer", &who.employer)
            .fact("Reason", f.reason.trim())
            .button("Cancel the project")
            .cancel_to(&page)
            .cancel_label("Keep the project");
        if allowed {
            if let Some(ask) = question.unless_confirmed(&req, &f, &*v)? {
                return Ok(ask);
            }
        }
    }
    let id2 = id.clone();
    let r = db::run(&pool, move |conn| -> Result<_, AppError> {
        let step = f.step()?;
        let kind = f.step.clone();
        let moved = engagements::move_engagement(conn, &id2, step, &change.acting()).and_then(|()| {
            let p = parties(conn, &id2)?;
            Ok(match kind.as_str() {
                "deliver" => format!("Deliverable sent to {}", p.employer),
                "complete" => format!("Project completed; {} was sent your rating and feedback", p.student),
                "revision" => format!("Revision asked of {}", p.student),
                _ => format!("Project cancelled; {} and {} were told", p.student, p.employer),
            })
        });
        Ok(moved)
    })
    .await?;
    after_engagement_change(&v, &pool, &templates, &clock, id, back, r).await
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub(super) struct Reason {
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
    let back = (ProjectForm::AskCancel, Values::of(&form.0));
    let id2 = id.clone();
    let r = db::run(&pool, move |conn| {
        Ok::<_, AppError>(
            engagements::request_cancel(conn, &id2, &form.0.reason, &change.acting())
                .map(|()| "Your request to cancel the project was sent to the career office".to_owned()),
        )
    })
    .await?;
    after_engagement_change(&v, &pool, &templates, &clock, id, back, r).await
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub(super) struct RatingForm {
    rating: String,
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
    let back = (ProjectForm::Rate, Values::of(&form.0));
    let id2 = id.clone();
    let r = db::run(&pool, move |conn| {
        Ok::<_, AppError>(match rules::rating(&form.0.rating) {
            Ok(rating) => engagements::rate_experience(conn, &id2, rating, &form.0.feedback, &change.acting())
                .map(|()| "Thank you: your rating was sent to the career office".to_owned()),
            Err(p) => Err(Error::Invalid(p.into())),
        })
    })
    .await?;
    after_engagement_change(&v, &pool, &templates, &clock, id, back, r).await
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
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
    let back = (ProjectForm::Pay, Values::of(&form.0));
    let id2 = id.clone();
    let r = db::run(&pool, move |conn| {
        let f = &form.0;
        // Both fields checked at once.
        let mut p = Problems::new();
        let amount = p.take(
            "amount",
            parse_money(&f.amount).ok_or_else(|| format!("`{}` is not an amount like 450.00", f.amount.trim())),
        );
        let date = p.take(
            "paid_on",
            date_field("paid_on", &f.paid_on).map_err(|_| format!("`{}` is not a date YYYY-MM-DD", f.paid_on.trim())),
        );
        let made = p.check().and_then(|()| {
            let (amount, date) = (amount.unwrap_or_default(), date.unwrap_or_default());
            engagements::record_payment(conn, &id2, amount, date, &change.acting())?;
            let who = parties(conn, &id2)?;
            Ok(format!("Payment of {} to {} recorded", money::format(amount, &who.currency), who.student))
        });
        Ok::<_, AppError>(made)
    })
    .await?;
    after_engagement_change(&v, &pool, &templates, &clock, id, back, r).await
}
