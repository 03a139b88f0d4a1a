//! `/admin/tokens`: admins make API tokens for campus systems (a name, scopes, days until
//! it expires; the secret is shown once, on the page that answers the form), list them
//! (scopes, who made them, last use, expiry) and revoke them after confirming.

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::rules::{check_new_token, scopes_of, Scope};
use super::tokens;
use crate::auth::csrf::{CheckedForm, CsrfChecked};
use crate::auth::extract::Admin;
use crate::core::{Clock, Error, Problems};
use crate::db::{self, Pool};
use crate::web::confirm::Confirmation;
use crate::web::flash::redirect_with_flash;
use crate::web::forms::{Choices, Field, Form, Values};
use crate::web::pages::{context, PageQuery, Pager};
use crate::web::{AppError, Templates};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin/tokens", web::get().to(tokens_page))
        .route("/admin/tokens", web::post().to(create_token))
        .route("/admin/tokens/{id}/revoke", web::post().to(revoke_token));
}

const PAGE_SIZE: i64 = 50;
/// The expiry a new token's form suggests.
const DEFAULT_DAYS: &str = "90";

fn token_form() -> Form {
    let scopes = Choices::new(Scope::ALL.iter().map(|s| (s.as_str(), format!("{} ({})", s.label(), s.as_str()))));
    Form::new([
        Field::text("name", "Name").required().hint("Which system uses it, e.g. “Data warehouse”"),
        Field::checkboxes("scopes", "Scopes", scopes).required().hint("Only what the system's job needs"),
        Field::number("expires_days", "Expires after (days)").required().hint("From 1 to 730"),
    ])
}

/// A token as the list shows it.
#[derive(Debug, Serialize)]
struct Row {
    id: String,
    name: String,
    scopes: Vec<&'static str>,
    creator: String,
    last_used: Option<NaiveDateTime>,
    expires_at: NaiveDateTime,
    status: &'static str,
    revocable: bool,
}

#[derive(Debug, Serialize)]
struct TokensPage {
    form: Form,
    rows: Vec<Row>,
    total: i64,
    pager: Pager,
}

async fn tokens_page(
    admin: Admin,
    templates: web::Data<Templates>,
    pool: web::Data<Pool>,
    clock: web::Data<Clock>,
    q: web::Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    let values = Values::new().with("expires_days", DEFAULT_DAYS);
    render(&templates, &pool, &clock, &admin, q.number(), values, Problems::new()).await
}

/// The list and the form (422 with problems).
async fn render(
    templates: &Templates,
    pool: &Pool,
    clock: &Clock,
    admin: &Admin,
    page: i64,
    values: Values,
    problems: Problems,
) -> Result<HttpResponse, AppError> {
    let total = db::run(pool, |c| Ok::<_, Error>(tokens::list(c, 0, 0)?.1)).await?;
    let pager = Pager::new(page, total, PAGE_SIZE, "/admin/tokens?");
    if let Some(r) = pager.redirect_if_clamped() {
        return Ok(r);
    }
    let offset = pager.offset();
    let (listed, total) = db::run(pool, move |c| tokens::list(c, offset, PAGE_SIZE)).await?;
    let now = clock.now_utc();
    let rows = listed
        .into_iter()
        .map(|t| {
            let status = match (t.revoked_at, t.expires_at <= now) {
                (Some(_), _) => "Revoked",
                (None, true) => "Expired",
                (None, false) => "Active",
            };
            Row {
                scopes: scopes_of(&t.scopes).into_iter().map(Scope::as_str).collect(),
                creator: t.created_by_label,
                last_used: t.last_used_at,
                expires_at: t.expires_at,
                revocable: t.revoked_at.is_none(),
                status,
                id: t.id,
                name: t.name,
            }
        })
        .collect();
    let form = token_form().with_values(values).with_problems(problems);
    let status = form.status();
    let view = TokensPage { form, rows, total, pager };
    templates.page_as(status, "admin/tokens", context("API tokens", Some(admin), view))
}

/// What the form sent (several `scopes`), kept as typed.
#[derive(Debug, Serialize)]
struct TokenForm {
    name: String,
    scopes: Vec<String>,
    expires_days: String,
}

async fn create_token(
    admin: Admin,
    _csrf: CsrfChecked,
    templates: web::Data<Templates>,
    pool: web::Data<Pool>,
    clock: web::Data<Clock>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(&body).into_owned().collect();
    let one = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()).unwrap_or_default();
    let sent = TokenForm {
        name: one("name"),
        scopes: pairs.iter().filter(|(n, _)| n == "scopes").map(|(_, v)| v.clone()).collect(),
        expires_days: one("expires_days"),
    };
    let new = match check_new_token(&sent.name, &sent.scopes, &sent.expires_days) {
        Ok(n) => n,
        Err(Error::Invalid(p)) => return render(&templates, &pool, &clock, &admin, 1, Values::of(&sent), p).await,
        Err(e) => return Err(e.into()),
    };
    let (actor, now) = (admin.principal.actor(), clock.now_utc());
    let made = db::run(&pool, move |c| tokens::create(c, &new, &actor, now)).await?;
    // The secret is on this page only: it is not stored, so it cannot be shown again.
    let page = json!({
        "heading": format!("API token “{}” made", made.name),
        "lead": "Copy the token now and give it to the system that uses it: it is shown only this once. The system sends it as Authorization: Bearer TOKEN.",
        "link": made.secret.expose(),
        "link_label": "API token",
        "expires": made.expires_at,
        "back": "/admin/tokens",
        "back_label": "Back to the API tokens",
    });
    templates.page("auth/link_made", context("API token made", Some(&admin), page))
}

#[derive(Debug, Deserialize, Serialize)]
struct RevokeForm {
    #[serde(default)]
    confirm: Option<String>,
}

async fn revoke_token(
    req: HttpRequest,
    admin: Admin,
    pool: web::Data<Pool>,
    clock: web::Data<Clock>,
    id: web::Path<String>,
    form: CheckedForm<RevokeForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let i = id.clone();
    let token = db::run(&pool, move |c| tokens::find(c, &i)).await?;
    if token.revoked_at.is_some() {
        return Err(Error::conflict(format!("The token “{}” was already revoked.", token.name)).into());
    }
    if let Some(ask) = Confirmation::new(format!("Revoke the API token “{}”?", token.name))
        .explain("Every call with it is refused from now on (401). The system that uses it needs a new token.")
        .fact("Scopes", scopes_of(&token.scopes).iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", "))
        .fact("Made by", &token.created_by_label)
        .button("Revoke the token")
        .cancel_to("/admin/tokens")
        .cancel_label("Keep the token")
        .unless_confirmed(&req, &form.0, &*admin)?
    {
        return Ok(ask);
    }
    let (actor, now) = (admin.principal.actor(), clock.now_utc());
    let name = db::run(&pool, move |c| tokens::revoke(c, &id, &actor, now)).await?;
    Ok(redirect_with_flash(
        "/admin/tokens",
        format!("API token “{name}” revoked: calls with it are refused from now on"),
    ))
}
