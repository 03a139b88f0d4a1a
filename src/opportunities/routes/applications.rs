//! Applications' pages: applying, the student's dashboard, the application's page and
//! its moves (the employer's selection, the student's answer).

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Deserialize;

use super::postings::render_posting;
use super::{actor, choice, outcome, scope, Change};
use crate::auth::csrf::{CheckedForm, CsrfChecked};
use crate::auth::extract::{Participant, Student, Viewer};
use crate::core::{ApplicationId, Clock, EndorsementId, Error, OpportunityId};
use crate::db::{self, Pool};
use crate::opportunities::applications::{self, Applicant};
use crate::opportunities::rules::ApplicationStatus;
use crate::opportunities::store::Scope;
use crate::opportunities::views::{ApplicationPage, DashboardPage};
use crate::web::pages::{context, html, see_other};
use crate::web::{AppError, Templates};

/// Applying: a statement and the endorsements ticked to share. Each ticked endorsement
/// sends its own `share` key, so the form is read as pairs.
pub(super) async fn apply(
    v: Student,
    _csrf: CsrfChecked,
    pool: web::Data<Pool>,
    clock: web::Data<Clock>,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(&body).into_owned().collect();
    let statement = pairs.iter().find(|(k, _)| k == "statement").map(|(_, s)| s.clone()).unwrap_or_default();
    let shared: Vec<EndorsementId> =
        pairs.iter().filter(|(k, _)| k == "share").map(|(_, s)| EndorsementId::from(s.as_str())).collect();
    let id = OpportunityId::from(path.into_inner());
    let student = v.principal.student_id.clone().ok_or(Error::Forbidden)?;
    let who = actor(&v);
    // Applications are taken until the end of the apply-by date on campus.
    let (today, now) = (clock.today(), clock.now_utc());
    let application = db::run(&pool, move |conn| {
        let applicant = Applicant { student_id: &student, actor: &who };
        applications::apply(conn, &id, applicant, &statement, &shared, today, now)
    })
    .await?;
    Ok(see_other(&format!("/applications/{application}")))
}

pub(super) async fn dashboard(
    v: Student,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
) -> Result<HttpResponse, AppError> {
    let Some(student) = v.principal.student_id.clone() else {
        // Signed in as a student, but no roster record carries this email yet.
        return templates
            .page("opportunities/dashboard", &context("My micro-internships", Some(&v), DashboardPage::no_record()));
    };
    let (rows, projects) =
        db::run(&pool, move |conn| applications::dashboard(conn, &student).map_err(Error::from)).await?;
    templates.page(
        "opportunities/dashboard",
        &context("My micro-internships", Some(&v), DashboardPage::new(rows, &projects)),
    )
}

pub(super) async fn application_page(
    v: Participant,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = ApplicationId::from(path.into_inner());
    render_application(&v, &pool, &templates, &clock, id, None, StatusCode::OK).await
}

async fn render_application(
    v: &Viewer,
    pool: &Pool,
    templates: &Templates,
    clock: &Clock,
    id: ApplicationId,
    notice: Option<String>,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let s = scope(v)?;
    let viewer_scope = s.clone();
    let (reader, now) = (actor(v), clock.now_utc());
    let detail = db::run(pool, move |conn| applications::application_detail(conn, &id, &s, &reader, now)).await?;
    let is_student = matches!(viewer_scope.on_record_of(&detail.application.student_id), Scope::Student(_));
    let title = detail.posting.title.clone();
    let page = ApplicationPage::new(detail, is_student, notice);
    let body = templates.render("opportunities/application", &context(&title, Some(v), page))?;
    Ok(html(status, body))
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(super) struct ApplicationMove {
    to: String,
    #[serde(default)]
    message: String,
}

pub(super) async fn move_application(
    v: Participant,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    path: web::Path<String>,
    form: CheckedForm<ApplicationMove>,
) -> Result<HttpResponse, AppError> {
    let id = ApplicationId::from(path.into_inner());
    let f = form.0;
    let change = Change::of(&v, &clock)?;
    let viewer_scope = change.scope.clone();
    let id2 = id.clone();
    let r = db::run(&pool, move |conn| {
        let moved = choice::<ApplicationStatus>("to", &f.to)
            .and_then(|to| applications::move_application(conn, &id2, to, &f.message, &change.acting()));
        Ok::<_, AppError>(moved)
    })
    .await?;
    // A student (also staff on their own application) goes back to the application; the
    // employer and the office to the posting's applicants.
    let posting = match &r {
        Err(Error::NotFound) => return Err(Error::NotFound.into()),
        _ if matches!(viewer_scope, Scope::Student(_)) => None,
        _ => {
            let id3 = id.clone();
            let (posting, student) = db::run(&pool, move |conn| applications::posting_and_student(conn, &id3)).await?;
            (!matches!(viewer_scope.on_record_of(&student), Scope::Student(_))).then_some(posting)
        }
    };
    let shown = outcome(r.map(|_| ()), "Done.");
    match posting {
        Some(p) => render_posting(&v, &pool, &templates, &clock, p, shown).await,
        None => render_application(&v, &pool, &templates, &clock, id, shown.notice, shown.status).await,
    }
}
