//! Postings' pages: the form (new, for an employer, a draft's edit), the posting's page
//! with its applicants and moves, and the review queue.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Deserialize;

use super::{choice, outcome, scope, scope_of, Change, NoticeQuery};
use crate::auth::csrf::CheckedForm;
use crate::auth::extract::{EmployerStaff, Manager, Staff, Viewer};
use crate::config::Settings;
use crate::core::{Clock, EmployerId, Error, FieldProblem, OpportunityId};
use crate::db::{self, Pool};
use crate::opportunities::postings;
use crate::opportunities::rules::{validate_posting, PostingForm, PostingStatus};
use crate::opportunities::store::{employer_name, Scope};
use crate::opportunities::views::{form_of, PostingFormPage, PostingPage, ReviewPage};
use crate::web::pages::{context, html, see_other, Feedback};
use crate::web::{AppError, Templates};

fn posting_form_page(
    templates: &Templates,
    v: &Viewer,
    title: &str,
    page: PostingFormPage<'_>,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let body = templates.render("opportunities/form", &context(title, Some(v), page))?;
    Ok(html(status, body))
}

pub(super) async fn new_posting_page(v: Manager, templates: web::Data<Templates>) -> Result<HttpResponse, AppError> {
    let Some(Scope::Employer(_)) = scope_of(&v) else { return Err(Error::Forbidden.into()) };
    let form = PostingForm::blank();
    let page = PostingFormPage::new("/workspace/postings", &form, &[]);
    posting_form_page(&templates, &v, "New micro-internship", page, StatusCode::OK)
}

/// An employer's records are the office's: a recruiter probing them learns nothing (404,
/// as on every other `/employers/{id}` route).
pub(super) async fn new_posting_for_page(
    v: EmployerStaff,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = EmployerId::from(path.into_inner());
    let id2 = id.clone();
    let name = db::run(&pool, move |conn| employer_name(conn, &id2)).await?;
    let (form, action) = (PostingForm::blank(), format!("/employers/{id}/postings"));
    let page = PostingFormPage::new(&action, &form, &[]);
    posting_form_page(&templates, &v, &format!("New micro-internship for {name}"), page, StatusCode::OK)
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(super) struct PostingSubmission {
    #[serde(flatten)]
    form: PostingForm,
    /// "save" keeps a draft; "submit" also sends it for review.
    #[serde(default)]
    intent: String,
}

/// A new posting as submitted: for which employer, and from which form (shown again with
/// its problems if it does not pass).
struct NewPosting<'a> {
    employer_id: EmployerId,
    action: &'a str,
    sub: PostingSubmission,
}

/// The form shown again with its problems (422), nothing saved.
fn refused_form(
    templates: &Templates,
    v: &Viewer,
    title: &str,
    action: &str,
    form: &PostingForm,
    problems: &[FieldProblem],
) -> Result<HttpResponse, AppError> {
    let page = PostingFormPage::new(action, form, problems);
    posting_form_page(templates, v, title, page, StatusCode::UNPROCESSABLE_ENTITY)
}

async fn create_in(
    v: &Viewer,
    pool: &Pool,
    templates: &Templates,
    settings: &Settings,
    clock: &Clock,
    new: NewPosting<'_>,
) -> Result<HttpResponse, AppError> {
    let NewPosting { employer_id, action, sub } = new;
    // An apply-by date typed in the form is a campus date: "in the future" is after today on campus.
    let change = Change::of(v, clock)?;
    let posting = match validate_posting(&sub.form, change.today, settings.min_hourly_fee_cents) {
        Ok(p) => p,
        Err(problems) => return refused_form(templates, v, "New micro-internship", action, &sub.form, &problems),
    };
    let submit = sub.intent == "submit";
    let (id, submitted) = db::run(pool, move |conn| -> Result<_, AppError> {
        let id = postings::create_posting(conn, &employer_id, &posting, &change.actor, change.now)?;
        let submitted =
            submit.then(|| postings::move_posting(conn, &id, PostingStatus::PendingReview, "", &change.acting()));
        Ok((id, submitted))
    })
    .await?;
    match submitted {
        Some(Err(e)) => {
            // Saved as a draft, but not submitted: say why on the posting's page.
            let notice = outcome(Err(e), "").notice.unwrap_or_default();
            Ok(see_other(&format!(
                "/postings/{id}?notice={}",
                url::form_urlencoded::byte_serialize(notice.as_bytes()).collect::<String>()
            )))
        }
        _ => Ok(see_other(&format!("/postings/{id}"))),
    }
}

pub(super) async fn create_posting(
    v: Manager,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    settings: web::Data<std::sync::Arc<Settings>>,
    clock: web::Data<Clock>,
    form: CheckedForm<PostingSubmission>,
) -> Result<HttpResponse, AppError> {
    let Some(Scope::Employer(employer)) = scope_of(&v) else { return Err(Error::Forbidden.into()) };
    let new = NewPosting { employer_id: employer, action: "/workspace/postings", sub: form.0 };
    create_in(&v, &pool, &templates, &settings, &clock, new).await
}

pub(super) async fn create_posting_for(
    v: EmployerStaff,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    settings: web::Data<std::sync::Arc<Settings>>,
    clock: web::Data<Clock>,
    path: web::Path<String>,
    form: CheckedForm<PostingSubmission>,
) -> Result<HttpResponse, AppError> {
    let id = EmployerId::from(path.into_inner());
    let id2 = id.clone();
    // An unknown employer is not found, whatever the form says.
    db::run(&pool, move |conn| employer_name(conn, &id2)).await?;
    let action = format!("/employers/{id}/postings");
    let new = NewPosting { employer_id: id, action: &action, sub: form.0 };
    create_in(&v, &pool, &templates, &settings, &clock, new).await
}

pub(super) async fn edit_posting_page(
    v: Manager,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = OpportunityId::from(path.into_inner());
    let s = scope(&v)?;
    let id2 = id.clone();
    let p = db::run(&pool, move |conn| postings::posting(conn, &id2, &s)).await?;
    if p.status != PostingStatus::Draft {
        return Err(Error::conflict("only a draft can be edited").into());
    }
    let (form, action) = (form_of(&p), format!("/postings/{id}/edit"));
    let page = PostingFormPage::new(&action, &form, &[]);
    posting_form_page(&templates, &v, &format!("Edit {}", p.title), page, StatusCode::OK)
}

pub(super) async fn update_posting(
    v: Manager,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    settings: web::Data<std::sync::Arc<Settings>>,
    clock: web::Data<Clock>,
    path: web::Path<String>,
    form: CheckedForm<PostingSubmission>,
) -> Result<HttpResponse, AppError> {
    let id = OpportunityId::from(path.into_inner());
    let sub = form.0;
    let action = format!("/postings/{id}/edit");
    let change = Change::of(&v, &clock)?;
    let posting = match validate_posting(&sub.form, change.today, settings.min_hourly_fee_cents) {
        Ok(p) => p,
        Err(problems) => return refused_form(&templates, &v, "Edit the posting", &action, &sub.form, &problems),
    };
    let submit = sub.intent == "submit";
    let id2 = id.clone();
    db::run(&pool, move |conn| -> Result<(), AppError> {
        postings::update_posting(conn, &id2, &posting, &change.acting())?;
        if submit {
            postings::move_posting(conn, &id2, PostingStatus::PendingReview, "", &change.acting())?;
        }
        Ok(())
    })
    .await?;
    Ok(see_other(&format!("/postings/{id}")))
}

pub(super) async fn posting_page(
    v: Manager,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    path: web::Path<String>,
    q: web::Query<NoticeQuery>,
) -> Result<HttpResponse, AppError> {
    let shown = Feedback { notice: q.notice.clone(), ..Feedback::none() };
    render_posting(&v, &pool, &templates, &clock, OpportunityId::from(path.into_inner()), shown).await
}

/// The posting's page, with what the last change said (a notice, the form's problems,
/// and the status the page is answered with).
pub(super) async fn render_posting(
    v: &Viewer,
    pool: &Pool,
    templates: &Templates,
    clock: &Clock,
    id: OpportunityId,
    shown: Feedback,
) -> Result<HttpResponse, AppError> {
    let Feedback { notice, problems, status } = shown;
    let s = scope(v)?;
    let side = s.side();
    let (reader, now) = (v.principal.actor(), clock.now_utc());
    let detail = db::run(pool, move |conn| postings::posting_detail(conn, &id, &s, &reader, now)).await?;
    let title = detail.posting.title.clone();
    let page = PostingPage::new(detail, side, notice, problems);
    let body = templates.render("opportunities/manage", &context(&title, Some(v), page))?;
    Ok(html(status, body))
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(super) struct MoveForm {
    to: String,
    #[serde(default)]
    reason: String,
}

pub(super) async fn move_posting(
    v: Manager,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    path: web::Path<String>,
    form: CheckedForm<MoveForm>,
) -> Result<HttpResponse, AppError> {
    let id = OpportunityId::from(path.into_inner());
    let f = form.0;
    let change = Change::of(&v, &clock)?;
    let id2 = id.clone();
    let r = db::run(&pool, move |conn| {
        let moved = choice::<PostingStatus>("to", &f.to)
            .and_then(|to| postings::move_posting(conn, &id2, to, &f.reason, &change.acting()));
        Ok::<_, AppError>(moved)
    })
    .await?;
    if matches!(r, Err(Error::NotFound)) {
        return Err(Error::NotFound.into());
    }
    render_posting(&v, &pool, &templates, &clock, id, outcome(r, "Done.")).await
}

pub(super) async fn review_queue(
    v: Staff,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
) -> Result<HttpResponse, AppError> {
    let rows = db::run(&pool, |conn| postings::review_queue(conn).map_err(Error::from)).await?;
    templates.page("opportunities/review", &context("Postings to review", Some(&v), ReviewPage::new(rows)))
}
