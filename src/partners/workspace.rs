//! The recruiter's workspace: their own employer's profile, postings, applicants and
//! fair sessions, and nothing of any other employer. Every query is scoped by the
//! recruiter's employer, so another employer's id answers 404 (no probing). Every read
//! of student data (applicants, registrants) is written to the audit log.

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;
use serde_json::json;

use super::model::{self, find_employer};
use super::rules::{validate_employer, EmployerForm, SIZES};
use crate::audit;
use crate::auth::csrf::CheckedForm;
use crate::auth::extract::Recruiter;
use crate::core::Clock;
use crate::core::{EmployerId, Error, FieldProblem};
use crate::db::schema::{applications, fair_sessions, fairs, opportunities, registrations, students};
use crate::db::{self, Pool};
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

#[derive(Debug, Serialize, Queryable)]
struct PostingRow {
    id: String,
    title: String,
    status: String,
    apply_by: NaiveDate,
    openings: i32,
    review_note: Option<String>,
}

#[derive(Debug, Serialize, Queryable)]
struct SessionRow {
    id: String,
    fair: String,
    title: String,
    kind: String,
    starts_at: NaiveDateTime,
    capacity: i32,
    status: String,
}

async fn dashboard(
    recruiter: Recruiter,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
) -> Result<HttpResponse, AppError> {
    let employer_id = employer_of(&recruiter)?;
    let data = db::run(&pool, move |conn| -> Result<_, AppError> {
        let employer = find_employer(conn, &employer_id)?.ok_or(Error::NotFound)?;
        let partnership = model::current_partnership(conn, &employer_id)?;
        let postings: Vec<PostingRow> = opportunities::table
            .filter(opportunities::employer_id.eq(&employer_id))
            .select((
                opportunities::id,
                opportunities::title,
                opportunities::status,
                opportunities::apply_by,
                opportunities::openings,
                opportunities::review_note,
            ))
            .order((opportunities::apply_by.desc(), opportunities::id))
            .limit(200)
            .load(conn)?;
        // Counts only here: no student is named on the dashboard.
        let applicant_counts: Vec<(String, i64)> = applications::table
            .inner_join(opportunities::table)
            .filter(opportunities::employer_id.eq(&employer_id))
            .group_by(applications::opportunity_id)
            .select((applications::opportunity_id, diesel::dsl::count_star()))
            .load(conn)?;
        let sessions: Vec<SessionRow> = fair_sessions::table
            .inner_join(fairs::table)
            .filter(fair_sessions::employer_id.eq(&employer_id))
            .select((
                fair_sessions::id,
                fairs::name,
                fair_sessions::title,
                fair_sessions::kind,
                fair_sessions::starts_at,
                fair_sessions::capacity,
                fair_sessions::status,
            ))
            .order((fair_sessions::starts_at.desc(), fair_sessions::id))
            .limit(200)
            .load(conn)?;
        Ok((employer, partnership, postings, applicant_counts, sessions))
    })
    .await?;
    let (employer, partnership, postings, counts, sessions) = data;
    let postings: Vec<_> = postings
        .into_iter()
        .map(|p| {
            let applicants = counts.iter().find(|(id, _)| *id == p.id).map_or(0, |(_, n)| *n);
            json!({ "posting": p, "applicants": applicants })
        })
        .collect();
    templates.page(
        "partners/workspace",
        &context(
            &employer.name,
            Some(&recruiter),
            json!({ "employer": employer, "partnership": partnership, "postings": postings, "sessions": sessions }),
        ),
    )
}

async fn profile_page(
    recruiter: Recruiter,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
) -> Result<HttpResponse, AppError> {
    let employer_id = employer_of(&recruiter)?;
    let employer = db::run(&pool, move |conn| find_employer(conn, &employer_id)?.ok_or(Error::NotFound)).await?;
    let form = EmployerForm {
        name: employer.name.clone(),
        industry: employer.industry.clone(),
        website: employer.website.clone().unwrap_or_default(),
        email_domain: employer.email_domain.clone().unwrap_or_default(),
        size: employer.size.clone().unwrap_or_default(),
        location: employer.location.clone(),
        description: employer.description.clone(),
    };
    render_profile(&templates, &recruiter, &employer.name, &form, &[], None, actix_web::http::StatusCode::OK)
}

fn render_profile(
    templates: &Templates,
    recruiter: &Recruiter,
    name: &str,
    form: &EmployerForm,
    problems: &[FieldProblem],
    notice: Option<&str>,
    status: actix_web::http::StatusCode,
) -> Result<HttpResponse, AppError> {
    let sizes: Vec<_> = SIZES.iter().map(|s| json!({ "value": s, "selected": *s == form.size })).collect();
    let body = templates.render(
        "partners/workspace_profile",
        &context(
            &format!("{name}: profile"),
            Some(recruiter),
            json!({ "form": form, "sizes": sizes, "problems": problems, "notice": notice }),
        ),
    )?;
    Ok(html(status, body))
}

/// The parts of the profile a recruiter may change (name and vetted domain are the office's).
#[derive(Debug, Clone, serde::Deserialize)]
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
    let current = db::run(&pool, move |conn| find_employer(conn, &id)?.ok_or(Error::NotFound)).await?;
    let merged = EmployerForm {
        name: current.name.clone(),
        email_domain: current.email_domain.clone().unwrap_or_default(),
        industry: f.industry,
        website: f.website,
        size: f.size,
        location: f.location,
        description: f.description,
    };
    let profile = match validate_employer(&merged) {
        Ok(p) => p,
        Err(problems) => {
            return render_profile(
                &templates,
                &recruiter,
                &current.name,
                &merged,
                &problems,
                None,
                actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
    };
    db::run(&pool, move |conn| {
        model::update_employer(conn, &employer_id, &profile, &actor, now).map_err(AppError::from)
    })
    .await?;
    render_profile(
        &templates,
        &recruiter,
        &current.name,
        &merged,
        &[],
        Some("Profile saved."),
        actix_web::http::StatusCode::OK,
    )
}

#[derive(Debug, Serialize, Queryable)]
struct Registrant {
    name: String,
    major: String,
    class_year: i32,
    status: String,
    attended_at: Option<NaiveDateTime>,
}

async fn session(
    req: HttpRequest,
    recruiter: Recruiter,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let employer_id = employer_of(&recruiter)?;
    let id = path.into_inner();
    let actor = recruiter.principal.actor();
    let ip = crate::web::client::client_ip(&req);
    let now = clock.now_utc();
    let (session, people) = db::run(&pool, move |conn| -> Result<_, AppError> {
        let session: SessionRow = fair_sessions::table
            .inner_join(fairs::table)
            .filter(fair_sessions::id.eq(&id))
            .filter(fair_sessions::employer_id.eq(&employer_id))
            .select((
                fair_sessions::id,
                fairs::name,
                fair_sessions::title,
                fair_sessions::kind,
                fair_sessions::starts_at,
                fair_sessions::capacity,
                fair_sessions::status,
            ))
            .first(conn)
            .optional()?
            .ok_or(Error::NotFound)?;
        let people: Vec<Registrant> = registrations::table
            .inner_join(students::table)
            .filter(registrations::session_id.eq(&id))
            .select((
                students::name,
                students::major,
                students::class_year,
                registrations::status,
                registrations::attended_at,
            ))
            .order((registrations::status.desc(), students::name))
            .load(conn)?;
        audit::record(
            conn,
            audit::Event {
                actor: &actor,
                action: "registrations.viewed",
                subject_type: "fair_session",
                subject_id: Some(&id),
                at: now,
                ip: ip.as_deref(),
                details: json!({ "students": people.len() }),
            },
        )?;
        Ok((session, people))
    })
    .await?;
    templates.page(
        "partners/workspace_session",
        &context(&session.title.clone(), Some(&recruiter), json!({ "session": session, "people": people })),
    )
}
