//! Campus sign-in through the identity provider (`/login`, `/auth/login`,
//! `/auth/callback`) and sign-out for everyone (`/auth/logout`). The steps between are
//! `login.rs`'s state machine; the pending login is kept by `logins.rs`.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::{client_ip, user_agent, with_cookie, with_session, ReturnTo};
use crate::auth::csrf::CheckedForm;
use crate::auth::extract::{MaybeViewer, Viewer};
use crate::auth::login::{self, Callback, Refusal};
use crate::auth::sessions::{self, CookieKind};
use crate::auth::views::{FailedPage, LoginPage};
use crate::auth::{logins, users, AuthContext};
use crate::core::{Clock, Error, UserId};
use crate::db::{self, Pool};
use crate::web::pages::{context, html, see_other};
use crate::web::{AppError, Templates};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/login", web::get().to(login_page))
        .route("/auth/login", web::get().to(start_sso))
        .route("/auth/callback", web::get().to(callback))
        .route("/auth/logout", web::post().to(logout));
}

async fn login_page(
    viewer: MaybeViewer,
    templates: web::Data<Templates>,
    q: web::Query<ReturnTo>,
) -> Result<HttpResponse, AppError> {
    let back = login::safe_return_to(q.return_to.as_deref());
    if viewer.0.is_some() {
        return Ok(see_other(&back));
    }
    templates.page("auth/login", context("Sign in", None, LoginPage::new(&back)))
}

/// Starts the campus sign-in: a pending login is stored, the browser gets a binding
/// cookie and goes to the provider.
async fn start_sso(
    auth: web::Data<AuthContext>,
    pool: web::Data<Pool>,
    clock: web::Data<Clock>,
    q: web::Query<ReturnTo>,
) -> Result<HttpResponse, AppError> {
    let now = clock.now_utc();
    let started = login::start(q.return_to.as_deref(), now);
    let url = auth
        .provider
        .authorize_url(started.state.expose(), &started.pending.nonce, started.pending.pkce_verifier.expose())
        .await
        .map_err(|e| Error::Unavailable(format!("campus sign-in: {e}")))?;
    let pending = started.pending.clone();
    db::run(&pool, move |conn| logins::store_pending(conn, &pending, now).map_err(AppError::from)).await?;
    let cookie = auth.cookies.make(CookieKind::LoginBinding, started.browser_binding.expose().to_owned());
    Ok(with_cookie(see_other(url.as_str()), Some(cookie)))
}

async fn callback(
    req: HttpRequest,
    auth: web::Data<AuthContext>,
    pool: web::Data<Pool>,
    clock: web::Data<Clock>,
    templates: web::Data<Templates>,
    q: web::Query<Callback>,
) -> Result<HttpResponse, AppError> {
    let cb = q.into_inner();
    let now = clock.now_utc();
    let binding = req.cookie(auth.cookies.name(&CookieKind::LoginBinding)).map(|c| c.value().to_owned());
    let state = cb.state.clone().unwrap_or_default();
    let pending = db::run(&pool, move |conn| logins::take_pending(conn, &state).map_err(AppError::from)).await?;
    let ip = client_ip(&req);
    let user_agent = user_agent(&req);

    let outcome: Result<(UserId, String), Refusal> = async {
        let received = login::on_callback(&cb, pending, binding.as_deref(), auth.provider.issuer(), now)?;
        let identity = auth.provider.complete(&received).await?;
        let mapping = auth.mapping.clone();
        let ip = ip.clone();
        // A failure of ours here also ends the sign-in with the refusal page (and its audit event).
        let user_id = db::run(&pool, move |conn| users::provision(conn, &identity, &mapping, &ip, now))
            .await
            .map_err(|e| Refusal::Exchange(e.to_string()))??;
        Ok((user_id, received.return_to))
    }
    .await;

    match outcome {
        Ok((user_id, back)) => {
            let ip = ip.clone();
            let secret = db::run(&pool, move |conn| {
                sessions::create(conn, &user_id, Some(&ip), user_agent.as_deref(), now).map_err(AppError::from)
            })
            .await?;
            let mut res = with_session(see_other(&back), &auth, &secret);
            let _ = res.add_cookie(&auth.cookies.removal(CookieKind::LoginBinding));
            Ok(res)
        }
        Err(refusal) => {
            tracing::warn!(reason = %refusal, "campus sign-in refused");
            let detail = refusal.to_string();
            db::run(&pool, move |conn| logins::record_refusal(conn, &detail, &ip, now).map_err(AppError::from)).await?;
            let status = match refusal {
                Refusal::Disabled => StatusCode::FORBIDDEN,
                // The provider failed us, not the person: a gateway error.
                Refusal::Profile(_) => StatusCode::BAD_GATEWAY,
                _ => StatusCode::BAD_REQUEST,
            };
            let page = FailedPage { message: refusal.public_message() };
            let body = templates.render("auth/failed", context("Sign-in not completed", None, page))?;
            let mut res = html(status, body);
            let _ = res.add_cookie(&auth.cookies.removal(CookieKind::LoginBinding));
            Ok(res)
        }
    }
}

/// The sign-out form has no field but its token.
#[derive(Deserialize)]
struct Empty {}

/// Ends our session, then (for campus accounts) the provider's, where it offers that.
async fn logout(
    req: HttpRequest,
    auth: web::Data<AuthContext>,
    pool: web::Data<Pool>,
    clock: web::Data<Clock>,
    viewer: Viewer,
    _form: CheckedForm<Empty>,
) -> Result<HttpResponse, AppError> {
    let secret = viewer.session_secret.clone();
    let user_id = viewer.principal.id.clone();
    let actor = viewer.principal.actor();
    let ip = client_ip(&req);
    let now = clock.now_utc();
    let sso =
        db::run(&pool, move |conn| logins::sign_out(conn, &secret, &user_id, &actor, &ip, now).map_err(AppError::from))
            .await?;
    let home = auth.link("/");
    let to = if sso { auth.provider.end_session_url(None, &home).await.map(|u| u.to_string()) } else { None };
    let mut res = see_other(&to.unwrap_or_else(|| "/".into()));
    let _ = res.add_cookie(&auth.cookies.removal(CookieKind::Session));
    Ok(res)
}
