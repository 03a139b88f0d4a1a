//! Recruiters' way in: their password sign-in (`/login/recruiter`), the office's
//! invitation form (`/recruiters/invite`), and the invitation link where a recruiter
//! chooses their password (`/invitations/{token}`).

use std::sync::Arc;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::json;

use super::{client_ip, new_password_fields, user_agent, with_cookie, with_session, ReturnTo};
use crate::auth::csrf::{anonymous_token, CheckedForm};
use crate::auth::extract::{MaybeViewer, Staff};
use crate::auth::login;
use crate::auth::recruiters::{self, InvitationForm};
use crate::auth::sessions;
use crate::auth::views::{DemoSignIn, FailedPage, InvitationPage, RecruiterLoginPage};
use crate::auth::AuthContext;
use crate::config::Settings;
use crate::core::{Clock, Error, Problems, Secret};
use crate::db::{self, Pool};
use crate::web::forms::{Choices, Field, Form, Values};
use crate::web::pages::{context, html, see_other};
use crate::web::{AppError, Templates};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/login/recruiter", web::get().to(sign_in_page))
        .route("/login/recruiter", web::post().to(sign_in))
        .route("/invitations/{token}", web::get().to(invitation_page))
        .route("/invitations/{token}", web::post().to(accept_invitation))
        .route("/recruiters/invite", web::get().to(invite_page))
        .route("/recruiters/invite", web::post().to(invite));
}

/// What a refused password sign-in is told, whatever went wrong (nothing is given away).
const REFUSED: &str =
    "The email or password is not correct. After several failed attempts, sign-in is paused for 15 minutes.";

#[derive(Deserialize)]
struct Credentials {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    return_to: String,
}

fn sign_in_form() -> Form {
    Form::new([
        Field::email("email", "Work email").required().autocomplete("username"),
        Field::password("password", "Password").required().autocomplete("current-password"),
    ])
}

async fn sign_in_page(
    req: HttpRequest,
    viewer: MaybeViewer,
    auth: web::Data<AuthContext>,
    pool: web::Data<Pool>,
    settings: web::Data<Arc<Settings>>,
    templates: web::Data<Templates>,
    q: web::Query<ReturnTo>,
) -> Result<HttpResponse, AppError> {
    let back = login::safe_return_to(q.return_to.as_deref());
    if viewer.0.is_some() {
        return Ok(see_other(&back));
    }
    let demo = if settings.demo {
        let accounts = db::run(&pool, |conn| recruiters::demo_accounts(conn).map_err(AppError::from)).await?;
        Some(DemoSignIn { password: recruiters::DEMO_PASSWORD, accounts })
    } else {
        None
    };
    let (csrf, cookie) = anonymous_token(&req, &auth);
    let page = RecruiterLoginPage { csrf, return_to: back, form: sign_in_form(), error: None, demo };
    let body = templates.render("auth/recruiter_login", context("Recruiter sign-in", None, page))?;
    Ok(with_cookie(html(StatusCode::OK, body), cookie))
}

async fn sign_in(
    req: HttpRequest,
    auth: web::Data<AuthContext>,
    pool: web::Data<Pool>,
    clock: web::Data<Clock>,
    templates: web::Data<Templates>,
    form: CheckedForm<Credentials>,
) -> Result<HttpResponse, AppError> {
    let creds = form.0;
    let back = login::safe_return_to(Some(&creds.return_to));
    let refused = |problems: Problems, error: Option<&'static str>, status: StatusCode| {
        let (csrf, cookie) = anonymous_token(&req, &auth);
        let form =
            sign_in_form().with_values(Values::new().with("email", creds.email.as_str())).with_problems(problems);
        let page = RecruiterLoginPage { csrf, return_to: back.clone(), form, error, demo: None };
        let body = templates.render("auth/recruiter_login", context("Recruiter sign-in", None, page))?;
        Ok::<_, AppError>(with_cookie(html(status, body), cookie))
    };
    // Missing fields are told by name, all at once, before any attempt is counted.
    let mut missing = Problems::new();
    if creds.email.trim().is_empty() {
        missing.add("email", "is required");
    }
    if creds.password.is_empty() {
        missing.add("password", "is required");
    }
    if !missing.is_empty() {
        return refused(missing, None, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let now = clock.now_utc();
    let ip = client_ip(&req);
    let user_agent = user_agent(&req);
    let (email, password) = (creds.email.clone(), creds.password.clone());
    let result = db::run(&pool, move |conn| -> Result<Option<Secret>, Error> {
        match recruiters::sign_in(conn, &email, &password, &ip, now)? {
            Some(user_id) => Ok(Some(sessions::create(conn, &user_id, Some(&ip), user_agent.as_deref(), now)?)),
            None => Ok(None),
        }
    })
    .await?;
    match result {
        Some(secret) => Ok(with_session(see_other(&back), &auth, &secret)),
        None => refused(Problems::new(), Some(REFUSED), StatusCode::UNAUTHORIZED),
    }
}

async fn invitation_page(
    req: HttpRequest,
    auth: web::Data<AuthContext>,
    pool: web::Data<Pool>,
    clock: web::Data<Clock>,
    templates: web::Data<Templates>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = path.into_inner();
    let now = clock.now_utc();
    match db::run(&pool, move |conn| recruiters::open_invitation(conn, &token, now)).await {
        Ok(invitation) => {
            let (csrf, cookie) = anonymous_token(&req, &auth);
            let page = InvitationPage { invitation, csrf, form: choose_password_form() };
            let body = templates.render("auth/invitation", context("Join Waypoint", None, page))?;
            Ok(with_cookie(html(StatusCode::OK, body), cookie))
        }
        Err(Error::NotFound) => invitation_not_valid(&templates),
        Err(e) => Err(e.into()),
    }
}

/// Unknown, used or expired: one answer for all three.
fn invitation_not_valid(templates: &Templates) -> Result<HttpResponse, AppError> {
    let page = FailedPage {
        message: "This invitation link is not valid: it was already used, it expired, or it was mistyped. Ask your career office contact for a new one.",
    };
    let body = templates.render("auth/failed", context("Invitation not valid", None, page))?;
    Ok(html(StatusCode::NOT_FOUND, body))
}

#[derive(Deserialize)]
struct PasswordChoice {
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_confirm: String,
}

fn choose_password_form() -> Form {
    Form::new(new_password_fields("Password"))
}

async fn accept_invitation(
    req: HttpRequest,
    auth: web::Data<AuthContext>,
    pool: web::Data<Pool>,
    clock: web::Data<Clock>,
    templates: web::Data<Templates>,
    path: web::Path<String>,
    form: CheckedForm<PasswordChoice>,
) -> Result<HttpResponse, AppError> {
    let token = path.into_inner();
    let choice = form.0;
    let now = clock.now_utc();
    let ip = client_ip(&req);
    let t = token.clone();
    let result = db::run(&pool, move |conn| {
        let user_id = recruiters::accept(conn, &t, &choice.password, &choice.password_confirm, &ip, now)?;
        Ok::<_, Error>(sessions::create(conn, &user_id, Some(&ip), None, now)?)
    })
    .await;
    match result {
        Ok(secret) => Ok(with_session(see_other("/account"), &auth, &secret)),
        Err(Error::Invalid(problems)) => {
            let now = clock.now_utc();
            let invitation = match db::run(&pool, move |conn| recruiters::open_invitation(conn, &token, now)).await {
                Ok(i) => i,
                Err(Error::NotFound) => return invitation_not_valid(&templates),
                Err(e) => return Err(e.into()),
            };
            let (csrf, cookie) = anonymous_token(&req, &auth);
            let page = InvitationPage { invitation, csrf, form: choose_password_form().with_problems(problems) };
            let body = templates.render("auth/invitation", context("Join Waypoint", None, page))?;
            Ok(with_cookie(html(StatusCode::UNPROCESSABLE_ENTITY, body), cookie))
        }
        Err(Error::NotFound) => invitation_not_valid(&templates),
        Err(e) => Err(e.into()),
    }
}

/// The invitation form: the employers a recruiter may be invited to (active
/// partnership, vetted domain), as a select.
fn invite_form(employers: &[recruiters::InvitableEmployer]) -> Form {
    let choices =
        Choices::new(employers.iter().map(|e| (e.id.as_str().to_owned(), format!("{} ({})", e.name, e.domain))));
    Form::new([
        Field::select("employer_id", "Employer", choices)
            .required()
            .placeholder("Choose an employer")
            .hint("Only employers with an active partnership and a vetted email domain are listed"),
        Field::text("name", "Recruiter's name").required().autocomplete("name"),
        Field::email("email", "Recruiter's work email").required().hint("An address at the employer's vetted domain"),
        Field::text("title", "Job title").optional().autocomplete("organization-title"),
    ])
}

/// The invitation page: the form (`values` and `problems` after a refusal), and the
/// invitation just made with its link (shown once: only its digest is kept).
async fn render_invite(
    templates: &Templates,
    pool: &Pool,
    staff: &Staff,
    values: Values,
    problems: Problems,
    invited: Option<serde_json::Value>,
) -> Result<HttpResponse, AppError> {
    let employers = db::run(pool, |conn| recruiters::invitable_employers(conn).map_err(AppError::from)).await?;
    let form = invite_form(&employers).with_values(values).with_problems(problems);
    let status = match (&invited, form.is_invalid()) {
        (Some(_), _) => StatusCode::CREATED,
        (None, true) => StatusCode::UNPROCESSABLE_ENTITY,
        (None, false) => StatusCode::OK,
    };
    let page = context("Invite a recruiter", Some(staff), json!({ "form": form, "invited": invited }));
    templates.page_as(status, "auth/invite", &page)
}

#[derive(Deserialize)]
struct InvitePageQuery {
    #[serde(default)]
    employer: Option<String>,
}

async fn invite_page(
    staff: Staff,
    templates: web::Data<Templates>,
    pool: web::Data<Pool>,
    q: web::Query<InvitePageQuery>,
) -> Result<HttpResponse, AppError> {
    let values = match &q.employer {
        Some(e) => Values::new().with("employer_id", e.as_str()),
        None => Values::new(),
    };
    render_invite(&templates, &pool, &staff, values, Problems::new(), None).await
}

async fn invite(
    staff: Staff,
    auth: web::Data<AuthContext>,
    templates: web::Data<Templates>,
    pool: web::Data<Pool>,
    clock: web::Data<Clock>,
    form: CheckedForm<InvitationForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.0;
    let actor = staff.principal.actor();
    let now = clock.now_utc();
    let f = form.clone();
    match db::run(&pool, move |conn| recruiters::invite(conn, &f, &actor, now)).await {
        Ok(invited) => {
            let made = json!({
                "email": invited.email,
                "employer": invited.employer_name,
                "link": auth.link(&format!("/invitations/{}", invited.token.expose())),
                "link_label": "Invitation link",
                "expires": invited.expires_at,
            });
            render_invite(&templates, &pool, &staff, Values::new(), Problems::new(), Some(made)).await
        }
        Err(Error::Invalid(problems)) => {
            render_invite(&templates, &pool, &staff, Values::of(&form), problems, None).await
        }
        Err(e) => Err(e.into()),
    }
}
