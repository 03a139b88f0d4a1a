//! Sign-in, sign-out, recruiters' accounts and invitations, the account page, and the
//! admin's roles and audit pages. Handlers stay thin: rules and queries live beside.

use actix_web::cookie::Cookie;
use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use diesel::prelude::*;
use serde::Deserialize;
use serde_json::json;

use super::csrf::{anonymous_token, CheckedForm};
use super::extract::{Admin, MaybeViewer, Staff, Viewer};
use super::login::{self, Callback, PendingLogin, Refusal};
use super::recruiters::{self, InvitationForm};
use super::roles;
use super::sessions::{self, CookieKind};
use super::users as accounts;
use super::{tokens, AuthContext};
use crate::audit;
use crate::core::Clock;
use crate::core::{Actor, Error, FieldProblem, Problems, Role, Secret, UserId};
use crate::db::schema::{audit_events, employers, oidc_logins, partnerships, students, user_roles, users};
use crate::db::{self, DbConnection, Pool};
use crate::web::pages::{context, html, see_other, Feedback, PageQuery, Pager};
use crate::web::{AppError, Templates};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/login", web::get().to(login_page))
        .route("/auth/login", web::get().to(start_sso))
        .route("/auth/callback", web::get().to(callback))
        .route("/auth/logout", web::post().to(logout))
        .route("/login/recruiter", web::get().to(recruiter_login_page))
        .route("/login/recruiter", web::post().to(recruiter_login))
        .route("/invitations/{token}", web::get().to(invitation_page))
        .route("/invitations/{token}", web::post().to(accept_invitation))
        .route("/recruiters/invite", web::get().to(invite_page))
        .route("/recruiters/invite", web::post().to(invite))
        .route("/account", web::get().to(account))
        .route("/admin/roles", web::get().to(roles_page))
        .route("/admin/roles/grant", web::post().to(grant_role))
        .route("/admin/roles/revoke", web::post().to(revoke_role))
        .route("/admin/audit", web::get().to(audit_page));
}

/// The client's address (behind trusted proxies, the one they report): the key of the
/// per-address sign-in limit and the address in the audit log.
fn client_ip(req: &HttpRequest) -> String {
    crate::web::client::client_ip(req).unwrap_or_else(|| "unknown".into())
}

fn with_cookie(mut res: HttpResponse, cookie: Option<Cookie<'static>>) -> HttpResponse {
    if let Some(c) = cookie {
        let _ = res.add_cookie(&c);
    }
    res
}

#[derive(Deserialize)]
struct ReturnTo {
    return_to: Option<String>,
}

async fn login_page(
    req: HttpRequest,
    viewer: MaybeViewer,
    templates: web::Data<Templates>,
    q: web::Query<ReturnTo>,
) -> Result<HttpResponse, AppError> {
    let back = login::safe_return_to(q.return_to.as_deref());
    if viewer.0.is_some() {
        return Ok(see_other(&back));
    }
    let encoded: String = url::form_urlencoded::byte_serialize(back.as_bytes()).collect();
    let _ = req;
    templates.page("auth/login", &context("Sign in", None, json!({ "return_to": encoded })))
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
    let p = started.pending.clone();
    db::run(&pool, move |conn| -> Result<(), AppError> {
        diesel::delete(oidc_logins::table.filter(oidc_logins::expires_at.lt(now))).execute(conn)?;
        diesel::insert_into(oidc_logins::table)
            .values((
                oidc_logins::id.eq(&p.state_digest),
                oidc_logins::nonce.eq(&p.nonce),
                oidc_logins::pkce_verifier.eq(p.pkce_verifier.expose()),
                oidc_logins::return_to.eq(&p.return_to),
                oidc_logins::browser_binding.eq(&p.browser_binding_digest),
                oidc_logins::expires_at.eq(p.expires_at),
                oidc_logins::created_at.eq(now),
                oidc_logins::updated_at.eq(now),
            ))
            .execute(conn)?;
        Ok(())
    })
    .await?;
    let cookie = auth.cookies.make(CookieKind::LoginBinding, started.browser_binding.expose().to_owned());
    Ok(with_cookie(see_other(url.as_str()), Some(cookie)))
}

/// Takes the pending login named by `state` out of the store: whoever comes second
/// (a replayed callback) finds nothing.
fn take_pending(conn: &mut DbConnection, state: &str) -> QueryResult<Option<PendingLogin>> {
    let digest = tokens::digest(state);
    let row: Option<(String, String, String, String, chrono::NaiveDateTime)> = oidc_logins::table
        .find(&digest)
        .select((
            oidc_logins::nonce,
            oidc_logins::pkce_verifier,
            oidc_logins::return_to,
            oidc_logins::browser_binding,
            oidc_logins::expires_at,
        ))
        .first(conn)
        .optional()?;
    let taken = diesel::delete(oidc_logins::table.find(&digest)).execute(conn)?;
    Ok(row.filter(|_| taken == 1).map(|(nonce, pkce_verifier, return_to, browser_binding_digest, expires_at)| {
        PendingLogin {
            state_digest: digest.clone(),
            nonce,
            pkce_verifier: Secret::new(pkce_verifier),
            return_to,
            browser_binding_digest,
            expires_at,
        }
    }))
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
    let pending = db::run(&pool, move |conn| take_pending(conn, &state).map_err(AppError::from)).await?;
    let ip = client_ip(&req);
    let user_agent = req.headers().get(header::USER_AGENT).and_then(|v| v.to_str().ok()).map(str::to_owned);

    let outcome: Result<(UserId, String), Refusal> = async {
        let received = login::on_callback(&cb, pending, binding.as_deref(), auth.provider.issuer(), now)?;
        let identity = auth.provider.complete(&received).await?;
        let mapping = auth.mapping.clone();
        let ip = ip.clone();
        // A failure of ours here also ends the sign-in with the refusal page (and its audit event).
        let user_id = db::run(&pool, move |conn| accounts::provision(conn, &identity, &mapping, &ip, now))
            .await
            .map_err(|e| Refusal::Exchange(e.to_string()))??;
        Ok((user_id, received.return_to))
    }
    .await;

    match outcome {
        Ok((user_id, back)) => {
            let ip2 = ip.clone();
            let secret = db::run(&pool, move |conn| {
                sessions::create(conn, &user_id, Some(&ip2), user_agent.as_deref(), now).map_err(AppError::from)
            })
            .await?;
            let mut res = see_other(&back);
            let _ = res.add_cookie(&auth.cookies.make(CookieKind::Session, secret.expose().to_owned()));
            let _ = res.add_cookie(&auth.cookies.removal(CookieKind::LoginBinding));
            Ok(res)
        }
        Err(refusal) => {
            tracing::warn!(reason = %refusal, "campus sign-in refused");
            let detail = refusal.to_string();
            db::run(&pool, move |conn| {
                audit::record(
                    conn,
                    audit::Event {
                        actor: &Actor::System,
                        action: "auth.sign_in_failed",
                        subject_type: "user",
                        subject_id: None,
                        at: now,
                        ip: Some(&ip),
                        details: json!({ "method": "sso", "reason": detail }),
                    },
                )
                .map_err(AppError::from)
            })
            .await?;
            let status = match refusal {
                Refusal::Disabled => actix_web::http::StatusCode::FORBIDDEN,
                // The provider failed us, not the person: a gateway error.
                Refusal::Profile(_) => actix_web::http::StatusCode::BAD_GATEWAY,
                _ => actix_web::http::StatusCode::BAD_REQUEST,
            };
            let body = templates.render(
                "auth/failed",
                &context("Sign-in not completed", None, json!({ "message": refusal.public_message() })),
            )?;
            let mut res = html(status, body);
            let _ = res.add_cookie(&auth.cookies.removal(CookieKind::LoginBinding));
            Ok(res)
        }
    }
}

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
    let sso = db::run(&pool, move |conn| -> Result<bool, AppError> {
        sessions::destroy(conn, secret.expose())?;
        audit::record(
            conn,
            audit::Event {
                actor: &actor,
                action: "auth.signed_out",
                subject_type: "user",
                subject_id: Some(&user_id),
                at: now,
                ip: Some(&ip),
                details: json!({}),
            },
        )?;
        let subject: Option<String> = users::table.find(&user_id).select(users::subject).first(conn)?;
        Ok(subject.is_some())
    })
    .await?;
    let home = auth.link("/");
    let to = if sso { auth.provider.end_session_url(None, &home).await.map(|u| u.to_string()) } else { None };
    let mut res = see_other(&to.unwrap_or_else(|| "/".into()));
    let _ = res.add_cookie(&auth.cookies.removal(CookieKind::Session));
    Ok(res)
}

#[derive(Deserialize)]
struct RecruiterCredentials {
    email: String,
    password: String,
    #[serde(default)]
    return_to: String,
}

async fn recruiter_login_page(
    req: HttpRequest,
    viewer: MaybeViewer,
    auth: web::Data<AuthContext>,
    pool: web::Data<Pool>,
    settings: web::Data<std::sync::Arc<crate::config::Settings>>,
    templates: web::Data<Templates>,
    q: web::Query<ReturnTo>,
) -> Result<HttpResponse, AppError> {
    let back = login::safe_return_to(q.return_to.as_deref());
    if viewer.0.is_some() {
        return Ok(see_other(&back));
    }
    let demo = if settings.demo {
        let accounts = db::run(&pool, |conn| recruiters::demo_accounts(conn).map_err(AppError::from)).await?;
        Some(
            json!({ "password": recruiters::DEMO_PASSWORD, "accounts": accounts.into_iter().map(|(e, n)| json!({ "email": e, "employer": n })).collect::<Vec<_>>() }),
        )
    } else {
        None
    };
    let (token, cookie) = anonymous_token(&req, &auth);
    let body = templates.render(
        "auth/recruiter_login",
        &context(
            "Recruiter sign-in",
            None,
            json!({ "csrf": token, "return_to": back, "email": "", "error": null, "demo": demo }),
        ),
    )?;
    Ok(with_cookie(html(actix_web::http::StatusCode::OK, body), cookie))
}

async fn recruiter_login(
    req: HttpRequest,
    auth: web::Data<AuthContext>,
    pool: web::Data<Pool>,
    clock: web::Data<Clock>,
    templates: web::Data<Templates>,
    form: CheckedForm<RecruiterCredentials>,
) -> Result<HttpResponse, AppError> {
    let creds = form.0;
    let now = clock.now_utc();
    let ip = client_ip(&req);
    let user_agent = req.headers().get(header::USER_AGENT).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let (email, password) = (creds.email.clone(), creds.password.clone());
    let result = db::run(&pool, move |conn| -> Result<Option<Secret>, Error> {
        match recruiters::sign_in(conn, &email, &password, &ip, now)? {
            Some(user_id) => Ok(Some(sessions::create(conn, &user_id, Some(&ip), user_agent.as_deref(), now)?)),
            None => Ok(None),
        }
    })
    .await?;
    match result {
        Some(secret) => {
            let mut res = see_other(&login::safe_return_to(Some(&creds.return_to)));
            let _ = res.add_cookie(&auth.cookies.make(CookieKind::Session, secret.expose().to_owned()));
            Ok(res)
        }
        None => {
            let (token, cookie) = anonymous_token(&req, &auth);
            let body = templates.render(
                "auth/recruiter_login",
                &context(
                    "Recruiter sign-in",
                    None,
                    json!({
                        "csrf": token,
                        "return_to": login::safe_return_to(Some(&creds.return_to)),
                        "email": creds.email,
                        "error": "The email or password is not correct. After several failed attempts, sign-in is paused for 15 minutes.",
                        "demo": null,
                    }),
                ),
            )?;
            Ok(with_cookie(html(actix_web::http::StatusCode::UNAUTHORIZED, body), cookie))
        }
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
    let found = db::run(&pool, move |conn| recruiters::open_invitation(conn, &token, now)).await;
    match found {
        Ok(invitation) => {
            let (csrf, cookie) = anonymous_token(&req, &auth);
            let body = templates.render(
                "auth/invitation",
                &context("Join Waypoint", None, json!({ "invitation": invitation, "csrf": csrf, "problems": [] })),
            )?;
            Ok(with_cookie(html(actix_web::http::StatusCode::OK, body), cookie))
        }
        Err(Error::NotFound) => invitation_not_valid(&templates),
        Err(e) => Err(e.into()),
    }
}

fn invitation_not_valid(templates: &Templates) -> Result<HttpResponse, AppError> {
    let body = templates.render(
        "auth/failed",
        &context("Invitation not valid", None, json!({ "message": "This invitation link is not valid: it was already used, it expired, or it was mistyped. Ask your career office contact for a new one." })),
    )?;
    Ok(html(actix_web::http::StatusCode::NOT_FOUND, body))
}

#[derive(Deserialize)]
struct PasswordChoice {
    password: String,
    password_confirm: String,
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
        Ok(secret) => {
            let mut res = see_other("/account");
            let _ = res.add_cookie(&auth.cookies.make(CookieKind::Session, secret.expose().to_owned()));
            Ok(res)
        }
        Err(Error::Invalid(problems)) => {
            let now = clock.now_utc();
            let invitation = db::run(&pool, move |conn| recruiters::open_invitation(conn, &token, now)).await;
            let invitation = match invitation {
                Ok(i) => i,
                Err(Error::NotFound) => return invitation_not_valid(&templates),
                Err(e) => return Err(e.into()),
            };
            let (csrf, cookie) = anonymous_token(&req, &auth);
            let body = templates.render(
                "auth/invitation",
                &context(
                    "Join Waypoint",
                    None,
                    json!({ "invitation": invitation, "csrf": csrf, "problems": problems }),
                ),
            )?;
            Ok(with_cookie(html(actix_web::http::StatusCode::UNPROCESSABLE_ENTITY, body), cookie))
        }
        Err(Error::NotFound) => invitation_not_valid(&templates),
        Err(e) => Err(e.into()),
    }
}

/// Employers a recruiter may be invited to: active partnership and a vetted domain.
fn invitable_employers(conn: &mut DbConnection) -> QueryResult<Vec<(String, String, String)>> {
    employers::table
        .inner_join(partnerships::table)
        .filter(partnerships::status.eq("active"))
        .filter(employers::email_domain.is_not_null())
        .select((employers::id, employers::name, employers::email_domain.assume_not_null()))
        .order(employers::name)
        .load(conn)
}

async fn render_invite(
    templates: &Templates,
    pool: &Pool,
    viewer: &Viewer,
    form: Option<&InvitationForm>,
    problems: &[FieldProblem],
    invited: Option<serde_json::Value>,
    status: actix_web::http::StatusCode,
) -> Result<HttpResponse, AppError> {
    let list = db::run(pool, |conn| invitable_employers(conn).map_err(AppError::from)).await?;
    let selected = form.map(|f| f.employer_id.clone()).unwrap_or_default();
    let employers: Vec<_> = list
        .into_iter()
        .map(|(id, name, domain)| json!({ "id": id, "name": name, "domain": domain, "selected": id == selected }))
        .collect();
    let body = templates.render(
        "auth/invite",
        &context(
            "Invite a recruiter",
            Some(viewer),
            json!({
                "employers": employers,
                "form": { "email": form.map(|f| f.email.clone()).unwrap_or_default(), "name": form.map(|f| f.name.clone()).unwrap_or_default(), "title": form.map(|f| f.title.clone()).unwrap_or_default() },
                "problems": problems,
                "invited": invited,
            }),
        ),
    )?;
    Ok(html(status, body))
}

async fn invite_page(
    staff: Staff,
    templates: web::Data<Templates>,
    pool: web::Data<Pool>,
) -> Result<HttpResponse, AppError> {
    render_invite(&templates, &pool, &staff, None, &[], None, actix_web::http::StatusCode::OK).await
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
    let result = db::run(&pool, move |conn| recruiters::invite(conn, &f, &actor, now)).await;
    match result {
        Ok(invited) => {
            let link = auth.link(&format!("/invitations/{}", invited.token.expose()));
            let shown = json!({ "email": invited.email, "employer": invited.employer_name, "link": link, "expires": invited.expires_at });
            render_invite(&templates, &pool, &staff, None, &[], Some(shown), actix_web::http::StatusCode::CREATED).await
        }
        Err(Error::Invalid(problems)) => {
            render_invite(
                &templates,
                &pool,
                &staff,
                Some(&form),
                problems.as_slice(),
                None,
                actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

async fn account(
    viewer: Viewer,
    templates: web::Data<Templates>,
    pool: web::Data<Pool>,
) -> Result<HttpResponse, AppError> {
    let student_id = viewer.principal.student_id.clone();
    let student = db::run(&pool, move |conn| -> Result<Option<serde_json::Value>, AppError> {
        let Some(id) = student_id else { return Ok(None) };
        let (number, college, major, year, term): (String, String, String, i32, String) = students::table
            .find(id)
            .select((students::student_number, students::college, students::major, students::class_year, students::graduation_term))
            .first(conn)?;
        Ok(Some(json!({ "student_number": number, "college": college, "major": major, "class_year": year, "graduation_term": term })))
    })
    .await?;
    templates.page(
        "auth/account",
        &context("My account", Some(&viewer), json!({ "me": viewer.principal, "student": student })),
    )
}

const PAGE_SIZE: i64 = 50;

async fn roles_page(
    admin: Admin,
    templates: web::Data<Templates>,
    pool: web::Data<Pool>,
    clock: web::Data<Clock>,
    q: web::Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    let page = q.number();
    render_roles(&templates, &pool, &clock, &admin, page, Feedback::none()).await
}

async fn render_roles(
    templates: &Templates,
    pool: &Pool,
    clock: &Clock,
    admin: &Viewer,
    page: i64,
    shown: Feedback,
) -> Result<HttpResponse, AppError> {
    let Feedback { notice, problems, status } = shown;
    let (rows, total, pending, pending_total) = db::run(pool, move |conn| -> Result<_, AppError> {
        let total: i64 = user_roles::table.filter(user_roles::role.ne("student")).count().get_result(conn)?;
        let rows: Vec<(String, String, String, String)> = user_roles::table
            .inner_join(users::table.on(users::id.eq(user_roles::user_id)))
            .filter(user_roles::role.ne("student"))
            .select((users::display_name, users::email, user_roles::role, user_roles::source))
            .order((user_roles::role, users::display_name, users::email))
            .limit(PAGE_SIZE)
            .offset((page - 1) * PAGE_SIZE)
            .load(conn)?;
        let (pending, pending_total) = roles::pending(conn, PAGE_SIZE)?;
        Ok((rows, total, pending, pending_total))
    })
    .await?;
    let rows: Vec<_> = rows
        .into_iter()
        .map(|(name, email, role, source)| json!({ "name": name, "email": email, "role": role, "granted": source == "grant" && role != "recruiter", "source": source }))
        .collect();
    let pending: Vec<_> = pending
        .into_iter()
        .map(|g| json!({ "email": g.email, "role": g.role, "since": clock.format_datetime(g.since) }))
        .collect();
    let body = templates.render(
        "admin/roles",
        &context(
            "Roles",
            Some(admin),
            json!({
                "rows": rows,
                "pending": pending,
                "pending_total": pending_total,
                "pending_shown": pending.len(),
                "pending_more": pending_total > pending.len() as i64,
                "problems": problems,
                "notice": notice,
                "roles": ["student", "faculty", "counselor", "admin"],
                "pager": Pager::new(page, total, PAGE_SIZE, "/admin/roles?"),
            }),
        ),
    )?;
    Ok(html(status, body))
}

#[derive(Deserialize, Clone)]
struct RoleForm {
    role: String,
    email: String,
}

async fn change_role(
    admin: Admin,
    templates: web::Data<Templates>,
    pool: web::Data<Pool>,
    clock: web::Data<Clock>,
    form: RoleForm,
    revoke: bool,
) -> Result<HttpResponse, AppError> {
    let role: Result<Role, String> = form.role.parse();
    let role = match role {
        Ok(r) if r != Role::Recruiter => r,
        _ => {
            let p = Problems::one("role", "choose student, faculty, counselor or admin");
            return render_roles(&templates, &pool, &clock, &admin, 1, Feedback::invalid(p)).await;
        }
    };
    let actor = admin.principal.actor();
    let email = form.email.clone();
    let now = clock.now_utc();
    let outcome = db::run(&pool, move |conn| {
        if revoke {
            roles::revoke(conn, role, &email, &actor, now)
        } else {
            roles::grant(conn, role, &email, &actor, now)
        }
    })
    .await;
    match outcome {
        Ok(o) => {
            let notice = o.describe(role, &form.email.trim().to_ascii_lowercase());
            render_roles(&templates, &pool, &clock, &admin, 1, Feedback::done(notice)).await
        }
        Err(Error::Invalid(p)) => render_roles(&templates, &pool, &clock, &admin, 1, Feedback::invalid(p)).await,
        Err(e) => Err(e.into()),
    }
}

async fn grant_role(
    admin: Admin,
    templates: web::Data<Templates>,
    pool: web::Data<Pool>,
    clock: web::Data<Clock>,
    form: CheckedForm<RoleForm>,
) -> Result<HttpResponse, AppError> {
    change_role(admin, templates, pool, clock, form.0, false).await
}

async fn revoke_role(
    admin: Admin,
    templates: web::Data<Templates>,
    pool: web::Data<Pool>,
    clock: web::Data<Clock>,
    form: CheckedForm<RoleForm>,
) -> Result<HttpResponse, AppError> {
    change_role(admin, templates, pool, clock, form.0, true).await
}

/// An audit event as the admin's log lists it.
#[derive(Debug, Queryable)]
struct AuditRow {
    at: chrono::NaiveDateTime,
    actor: String,
    action: String,
    subject_type: String,
    subject_id: Option<String>,
    ip: Option<String>,
    details: String,
}

async fn audit_page(
    admin: Admin,
    templates: web::Data<Templates>,
    pool: web::Data<Pool>,
    q: web::Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    let page = q.number();
    let (rows, total) = db::run(&pool, move |conn| -> Result<_, AppError> {
        let total: i64 = audit_events::table.count().get_result(conn)?;
        let rows: Vec<AuditRow> = audit_events::table
            .select((
                audit_events::at,
                audit_events::actor_label,
                audit_events::action,
                audit_events::subject_type,
                audit_events::subject_id,
                audit_events::ip,
                audit_events::details,
            ))
            .order((audit_events::at.desc(), audit_events::id))
            .limit(PAGE_SIZE)
            .offset((page - 1) * PAGE_SIZE)
            .load(conn)?;
        Ok((rows, total))
    })
    .await?;
    let rows: Vec<_> = rows
        .into_iter()
        .map(|r| json!({ "at": r.at, "actor": r.actor, "action": r.action, "subject": format!("{} {}", r.subject_type, r.subject_id.unwrap_or_default()).trim().to_owned(), "ip": r.ip.unwrap_or_default(), "details": r.details }))
        .collect();
    templates.page(
        "admin/audit",
        &context(
            "Audit log",
            Some(&admin),
            json!({ "rows": rows, "total": total, "pager": Pager::new(page, total, PAGE_SIZE, "/admin/audit?") }),
        ),
    )
}
