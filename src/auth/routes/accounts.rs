//! Recruiters' accounts: changing one's password (`/account/password`), the office's
//! reset links (`/recruiters/{user}/reset`, chosen at `/password-reset/{token}`),
//! disabling and enabling an account, and sending an invitation again.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{client_ip, new_password_fields, with_cookie};
use crate::auth::accounts;
use crate::auth::csrf::{anonymous_token, CheckedForm};
use crate::auth::extract::{Recruiter, Staff};
use crate::auth::AuthContext;
use crate::core::{Clock, Error, InvitationId, UserId};
use crate::db::{self, Pool};
use crate::web::confirm::Confirmation;
use crate::web::flash::redirect_with_flash;
use crate::web::forms::{Field, Form};
use crate::web::pages::{context, html};
use crate::web::{AppError, Templates};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/account/password", web::get().to(password_page))
        .route("/account/password", web::post().to(change_password))
        .route("/password-reset/{token}", web::get().to(reset_page))
        .route("/password-reset/{token}", web::post().to(reset))
        .route("/recruiters/{user}/reset", web::post().to(issue_reset))
        .route("/recruiters/{user}/disable", web::post().to(disable))
        .route("/recruiters/{user}/enable", web::post().to(enable))
        .route("/recruiters/invitations/{id}/resend", web::post().to(resend));
}

fn password_form() -> Form {
    let current = Field::password("current_password", "Current password").required().autocomplete("current-password");
    Form::new(std::iter::once(current).chain(new_password_fields("New password")))
}

async fn password_page(viewer: Recruiter, templates: web::Data<Templates>) -> Result<HttpResponse, AppError> {
    templates.page("auth/password", context("Change your password", Some(&*viewer), json!({ "form": password_form() })))
}

#[derive(Deserialize)]
struct PasswordChange {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_confirm: String,
}

async fn change_password(
    viewer: Recruiter,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    form: CheckedForm<PasswordChange>,
) -> Result<HttpResponse, AppError> {
    let f = form.0;
    let (id, actor, now) = (viewer.principal.id.clone(), viewer.principal.actor(), clock.now_utc());
    let done = db::run(&pool, move |conn| {
        accounts::change_password(conn, &id, &f.current_password, &f.password, &f.password_confirm, &actor, now)
    })
    .await;
    match done {
        Ok(()) => Ok(redirect_with_flash("/account", "Your password was changed")),
        Err(Error::Invalid(problems)) => {
            let form = password_form().with_problems(problems);
            let page = context("Change your password", Some(&*viewer), json!({ "form": form }));
            templates.page_as(form.status(), "auth/password", &page)
        }
        Err(e) => Err(e.into()),
    }
}

fn reset_form() -> Form {
    Form::new(new_password_fields("New password"))
}

/// Unknown, used or expired: one answer for all three.
fn reset_not_valid(templates: &Templates) -> Result<HttpResponse, AppError> {
    let page = json!({
        "message": "This password reset link is not valid: it was already used, it expired, a newer link replaced it, or it was mistyped. Ask your career office contact for a new one."
    });
    let body = templates.render("auth/failed", context("Reset link not valid", None, page))?;
    Ok(html(StatusCode::NOT_FOUND, body))
}

async fn render_reset(
    req: &HttpRequest,
    auth: &AuthContext,
    templates: &Templates,
    open: accounts::OpenReset,
    form: Form,
) -> Result<HttpResponse, AppError> {
    let (csrf, cookie) = anonymous_token(req, auth);
    let page = context("Choose a new password", None, json!({ "account": open, "csrf": csrf, "form": form }));
    let body = templates.render("auth/reset", &page)?;
    Ok(with_cookie(html(form.status(), body), cookie))
}

async fn reset_page(
    req: HttpRequest,
    auth: web::Data<AuthContext>,
    pool: web::Data<Pool>,
    clock: web::Data<Clock>,
    templates: web::Data<Templates>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (token, now) = (path.into_inner(), clock.now_utc());
    match db::run(&pool, move |conn| accounts::open_reset(conn, &token, now)).await {
        Ok(open) => render_reset(&req, &auth, &templates, open, reset_form()).await,
        Err(Error::NotFound) => reset_not_valid(&templates),
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
struct NewPassword {
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_confirm: String,
}

async fn reset(
    req: HttpRequest,
    auth: web::Data<AuthContext>,
    pool: web::Data<Pool>,
    clock: web::Data<Clock>,
    templates: web::Data<Templates>,
    path: web::Path<String>,
    form: CheckedForm<NewPassword>,
) -> Result<HttpResponse, AppError> {
    let (token, f, now, ip) = (path.into_inner(), form.0, clock.now_utc(), client_ip(&req));
    let t = token.clone();
    let done =
        db::run(&pool, move |conn| accounts::complete_reset(conn, &t, &f.password, &f.password_confirm, &ip, now))
            .await;
    match done {
        Ok(_) => Ok(redirect_with_flash("/login/recruiter", "Your new password is set: sign in with it")),
        Err(Error::Invalid(problems)) => {
            let open = match db::run(&pool, move |conn| accounts::open_reset(conn, &token, now)).await {
                Ok(o) => o,
                Err(Error::NotFound) => return reset_not_valid(&templates),
                Err(e) => return Err(e.into()),
            };
            render_reset(&req, &auth, &templates, open, reset_form().with_problems(problems)).await
        }
        Err(Error::NotFound) => reset_not_valid(&templates),
        Err(e) => Err(e.into()),
    }
}

/// The page that shows a link just made, once (only its digest is kept).
#[derive(Serialize)]
struct LinkMade {
    heading: String,
    lead: String,
    link: String,
    link_label: &'static str,
    expires: chrono::NaiveDateTime,
    back: String,
    back_label: String,
}

#[derive(Deserialize, Serialize)]
struct Plain {}

async fn issue_reset(
    staff: Staff,
    auth: web::Data<AuthContext>,
    pool: web::Data<Pool>,
    clock: web::Data<Clock>,
    templates: web::Data<Templates>,
    path: web::Path<UserId>,
    _form: CheckedForm<Plain>,
) -> Result<HttpResponse, AppError> {
    let (id, actor, now) = (path.into_inner(), staff.principal.actor(), clock.now_utc());
    let issued = db::run(&pool, move |conn| accounts::issue_reset(conn, &id, &actor, now)).await?;
    let a = &issued.account;
    let view = LinkMade {
        heading: format!("Password reset link for {}", a.name),
        lead: format!(
            "Send this link to {} ({}). It works once, until the time below; any earlier reset link no longer works.",
            a.name, a.email
        ),
        link: auth.link(&format!("/password-reset/{}", issued.token.expose())),
        link_label: "Reset link",
        expires: issued.expires_at,
        back: format!("/employers/{}", a.employer_id),
        back_label: format!("Back to {}", a.employer_name),
    };
    let page = context(&view.heading.clone(), Some(&*staff), view);
    templates.page_as(StatusCode::CREATED, "auth/link_made", &page)
}

#[derive(Deserialize, Serialize)]
struct DisableForm {
    #[serde(default)]
    confirm: Option<String>,
}

async fn disable(
    req: HttpRequest,
    staff: Staff,
    pool: web::Data<Pool>,
    clock: web::Data<Clock>,
    path: web::Path<UserId>,
    form: CheckedForm<DisableForm>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let found = id.clone();
    let account = db::run(&pool, move |conn| accounts::recruiter(conn, &found)).await?;
    let back = format!("/employers/{}", account.employer_id);
    if let Some(ask) = Confirmation::new(format!("Disable {}'s account?", account.name))
        .explain(format!(
            "{} can no longer sign in, and is signed out everywhere now. Their postings, reviews and other records for {} stay. You can enable the account again.",
            account.name, account.employer_name
        ))
        .fact("Recruiter", format!("{} ({})", account.name, account.email))
        .fact("Employer", &account.employer_name)
        .button("Disable the account")
        .cancel_to(&back)
        .cancel_label("Keep the account")
        .unless_confirmed(&req, &form.0, &*staff)?
    {
        return Ok(ask);
    }
    let (actor, now) = (staff.principal.actor(), clock.now_utc());
    let a = db::run(&pool, move |conn| accounts::set_disabled(conn, &id, true, &actor, now)).await?;
    Ok(redirect_with_flash(&back, format!("{}'s account disabled: they can no longer sign in", a.name)))
}

async fn enable(
    staff: Staff,
    pool: web::Data<Pool>,
    clock: web::Data<Clock>,
    path: web::Path<UserId>,
    _form: CheckedForm<Plain>,
) -> Result<HttpResponse, AppError> {
    let (id, actor, now) = (path.into_inner(), staff.principal.actor(), clock.now_utc());
    let a = db::run(&pool, move |conn| accounts::set_disabled(conn, &id, false, &actor, now)).await?;
    Ok(redirect_with_flash(
        &format!("/employers/{}", a.employer_id),
        format!("{}'s account enabled: they can sign in again", a.name),
    ))
}

async fn resend(
    staff: Staff,
    auth: web::Data<AuthContext>,
    pool: web::Data<Pool>,
    clock: web::Data<Clock>,
    templates: web::Data<Templates>,
    path: web::Path<InvitationId>,
    _form: CheckedForm<Plain>,
) -> Result<HttpResponse, AppError> {
    let (id, actor, now) = (path.into_inner(), staff.principal.actor(), clock.now_utc());
    let a = auth.clone();
    let r = db::run(&pool, move |conn| accounts::resend_invitation(conn, &id, &|p| a.link(p), &actor, now)).await?;
    let view = LinkMade {
        heading: format!("Invitation sent again to {}", r.name),
        lead: format!(
            "A new link was mailed to {} for {}. The earlier link no longer works. You can also send this one yourself:",
            r.email, r.employer_name
        ),
        link: auth.link(&format!("/invitations/{}", r.token.expose())),
        link_label: "Invitation link",
        expires: r.expires_at,
        back: format!("/employers/{}", r.employer_id),
        back_label: format!("Back to {}", r.employer_name),
    };
    let page = context(&view.heading.clone(), Some(&*staff), view);
    templates.page_as(StatusCode::CREATED, "auth/link_made", &page)
}
