//! The recruiter's workspace: their own employer's profile, postings and fair sessions,
//! and nothing of any other employer. Everything is scoped by the recruiter's employer,
//! so another employer's id answers 404 (no probing); reading a session's registrants is
//! audited. (The postings and their applicants are the opportunities area's pages.)

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use crate::auth::csrf::CheckedForm;
use crate::auth::extract::Recruiter;
use crate::core::{Clock, EmployerId, Error, FairSessionId, Problems};
use crate::db::{self, Pool};
use crate::partners::rules::{validate_employer, EmployerForm};
use crate::partners::store::{employers, partnerships, workspace};
use crate::partners::views::{size_choices, ProfilePage, RegistrantRow, SessionPage, WorkspacePage};
use crate::web::pages::{context, html};
use crate::web::{AppError, Templates};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/workspace", web::get().to(dashboard))
        .route("/workspace/profile", web::get().to(profile_page))
        .route("/workspace/profile", web::post().to(save_profile))
        .route("/workspace/sessions/{id}", web::get().to(session));
}

fn employer_of(r: &Recruiter) -> Result<EmployerId, Error> {
    r.principal.employer_id.clone().ok_or(Error::NotFound)
}

async fn dashboard(
    recruiter: Recruiter,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
) -> Result<HttpResponse, AppError> {
    let employer_id = employer_of(&recruiter)?;
    let view = db::run(&pool, move |conn| -> Result<_, AppError> {
        let employer = employers::find(conn, &employer_id)?.ok_or(Error::NotFound)?;
        let partnership = partnerships::current(conn, &employer_id)?;
        Ok(WorkspacePage {
            employer: employer.into(),
            partnership: partnership.as_ref().map(Into::into),
            postings: workspace::postings(conn, &employer_id)?.into_iter().map(Into::into).collect(),
            sessions: workspace::sessions(conn, &employer_id)?.into_iter().map(Into::into).collect(),
        })
    })
    .await?;
    let title = view.employer.name.clone();
    templates.page("partners/workspace", context(&title, Some(&recruiter), &view))
}

async fn profile_page(
    recruiter: Recruiter,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
) -> Result<HttpResponse, AppError> {
    let employer_id = employer_of(&recruiter)?;
    let employer = db::run(&pool, move |conn| employers::find(conn, &employer_id)?.ok_or(Error::NotFound)).await?;
    render_profile(&templates, &recruiter, employer.profile().to_form(), Problems::new(), None, StatusCode::OK)
}

fn render_profile(
    templates: &Templates,
    recruiter: &Recruiter,
    form: EmployerForm,
    problems: Problems,
    notice: Option<&'static str>,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let title = format!("{}: profile", form.name);
    let view = ProfilePage { sizes: size_choices(&form.size), form, problems, notice };
    let body = templates.render("partners/workspace_profile", context(&title, Some(recruiter), &view))?;
    Ok(html(status, body))
}

/// The parts of the profile a recruiter may change (name and vetted domain are the office's).
#[derive(Debug, Clone, Deserialize)]
struct ProfileForm {
    industry: String,
    #[serde(default)]
    website: String,
    #[serde(default)]
    size: String,
    #[serde(default)]
    location: String,
    #[serde(default)]
    description: String,
}

async fn save_profile(
    recruiter: Recruiter,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    form: CheckedForm<ProfileForm>,
) -> Result<HttpResponse, AppError> {
    let employer_id = employer_of(&recruiter)?;
    let f = form.0;
    let actor = recruiter.principal.actor();
    let now = clock.now_utc();
    let id = employer_id.clone();
    let current = db::run(&pool, move |conn| employers::find(conn, &id)?.ok_or(Error::NotFound)).await?;
    let merged = EmployerForm {
        name: current.name,
        email_domain: current.email_domain.unwrap_or_default(),
        industry: f.industry,
        website: f.website,
        size: f.size,
        location: f.location,
        description: f.description,
    };
    let profile = match validate_employer(&merged) {
        Ok(p) => p,
        Err(problems) => {
            return render_profile(&templates, &recruiter, merged, problems, None, StatusCode::UNPROCESSABLE_ENTITY)
        }
    };
    db::run(&pool, move |conn| employers::update(conn, &employer_id, &profile, &actor, now).map_err(AppError::from))
        .await?;
    render_profile(&templates, &recruiter, merged, Problems::new(), Some("Profile saved."), StatusCode::OK)
}

async fn session(
    req: HttpRequest,
    recruiter: Recruiter,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    path: web::Path<FairSessionId>,
) -> Result<HttpResponse, AppError> {
    let employer_id = employer_of(&recruiter)?;
    let id = path.into_inner();
    let actor = recruiter.principal.actor();
    let ip = crate::web::client::client_ip(&req);
    let now = clock.now_utc();
    let (session, people) = db::run(&pool, move |conn| {
        workspace::session_with_registrants(conn, &employer_id, &id, &actor, ip.as_deref(), now)?.ok_or(Error::NotFound)
    })
    .await?;
    let view = SessionPage { session: session.into(), people: people.into_iter().map(RegistrantRow::from).collect() };
    let title = view.session.title.clone();
    templates.page("partners/workspace_session", context(&title, Some(&recruiter), &view))
}
