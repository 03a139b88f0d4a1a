//! The admin's pages: who holds which role, granting and revoking (`/admin/roles`), and
//! the audit log (`/admin/audit`).

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::audit;
use crate::auth::csrf::CheckedForm;
use crate::auth::extract::Admin;
use crate::auth::roles::{self, GRANTABLE};
use crate::auth::views::{action_label, AuditPage, AuditRow, RolesListing, RolesPage};
use crate::core::{Clock, Error, Problems, Role};
use crate::db::{self, Pool};
use crate::web::confirm::Confirmation;
use crate::web::flash::redirect_with_flash;
use crate::web::forms::{Choices, Field, Form, Values};
use crate::web::pages::{context, PageQuery, Pager};
use crate::web::{AppError, Templates};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin/roles", web::get().to(roles_page))
        .route("/admin/roles/grant", web::post().to(grant_role))
        .route("/admin/roles/revoke", web::post().to(revoke_role))
        .route("/admin/audit", web::get().to(audit_page));
}

const PAGE_SIZE: i64 = 50;

async fn roles_page(
    admin: Admin,
    templates: web::Data<Templates>,
    pool: web::Data<Pool>,
    clock: web::Data<Clock>,
    q: web::Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    render_roles(&templates, &pool, &clock, &admin, q.number(), Values::new(), Problems::new()).await
}

fn grant_form() -> Form {
    let roles = Choices::new(GRANTABLE.iter().map(|r| (r.as_str(), r.label())));
    Form::new([
        Field::email("email", "Campus email").required(),
        Field::select("role", "Role", roles).required().placeholder("Choose a role"),
    ])
}

/// The roles page; the grant form with `values` and `problems` (422 with problems).
async fn render_roles(
    templates: &Templates,
    pool: &Pool,
    clock: &Clock,
    admin: &Admin,
    page: i64,
    values: Values,
    problems: Problems,
) -> Result<HttpResponse, AppError> {
    let listing = db::run(pool, move |conn| -> Result<_, AppError> {
        let (holdings, total) = roles::holdings(conn, page, PAGE_SIZE)?;
        let (pending, pending_total) = roles::pending(conn, PAGE_SIZE)?;
        Ok(RolesListing { holdings, total, pending, pending_total })
    })
    .await?;
    let pager = Pager::new(page, listing.total, PAGE_SIZE, "/admin/roles?");
    let form = grant_form().with_values(values).with_problems(problems);
    let status = form.status();
    let view = RolesPage::new(listing, &GRANTABLE, pager, form, clock);
    templates.page_as(status, "admin/roles", context("Roles", Some(admin), view))
}

#[derive(Deserialize, Serialize, Clone)]
struct RoleForm {
    #[serde(default)]
    role: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    confirm: Option<String>,
}

/// The role a form names, if it is one the portal grants.
fn grantable(raw: &str) -> Result<Role, Problems> {
    match raw.trim().parse::<Role>() {
        Ok(r) if GRANTABLE.contains(&r) => Ok(r),
        _ => Err(Problems::one("role", "choose student, faculty, counselor or admin")),
    }
}

async fn grant_role(
    admin: Admin,
    templates: web::Data<Templates>,
    pool: web::Data<Pool>,
    clock: web::Data<Clock>,
    form: CheckedForm<RoleForm>,
) -> Result<HttpResponse, AppError> {
    let submitted = form.0;
    let mut problems = Problems::new();
    if submitted.email.trim().is_empty() {
        problems.add("email", "is required");
    }
    let role = match grantable(&submitted.role) {
        Ok(r) => Some(r),
        Err(p) => {
            p.iter().for_each(|x| problems.push(x.clone()));
            None
        }
    };
    let role = match role {
        Some(r) if problems.is_empty() => r,
        _ => return render_roles(&templates, &pool, &clock, &admin, 1, Values::of(&submitted), problems).await,
    };
    let (actor, now, email) = (admin.principal.actor(), clock.now_utc(), submitted.email.clone());
    match db::run(&pool, move |conn| roles::grant(conn, role, &email, &actor, now)).await {
        Ok(o) => {
            Ok(redirect_with_flash("/admin/roles", o.describe(role, &submitted.email.trim().to_ascii_lowercase())))
        }
        Err(Error::Invalid(p)) => render_roles(&templates, &pool, &clock, &admin, 1, Values::of(&submitted), p).await,
        Err(e) => Err(e.into()),
    }
}

/// Revoking asks first; then the role is gone at once, in open sessions too.
async fn revoke_role(
    req: HttpRequest,
    admin: Admin,
    templates: web::Data<Templates>,
    pool: web::Data<Pool>,
    clock: web::Data<Clock>,
    form: CheckedForm<RoleForm>,
) -> Result<HttpResponse, AppError> {
    let submitted = form.0;
    let role = match grantable(&submitted.role) {
        Ok(r) => r,
        Err(p) => return render_roles(&templates, &pool, &clock, &admin, 1, Values::new(), p).await,
    };
    let email = submitted.email.trim().to_ascii_lowercase();
    if let Some(ask) = Confirmation::new(format!("Revoke the {} role from {email}?", role.label()))
        .explain("A granted role ends at once, in any session they have open. A role from the campus directory is not affected; a grant still waiting for a first sign-in is withdrawn.")
        .fact("Email", &email)
        .fact("Role", role.label())
        .button("Revoke the role")
        .cancel_to("/admin/roles")
        .cancel_label("Keep the role")
        .unless_confirmed(&req, &submitted, &*admin)?
    {
        return Ok(ask);
    }
    let (actor, now, e) = (admin.principal.actor(), clock.now_utc(), email.clone());
    match db::run(&pool, move |conn| roles::revoke(conn, role, &e, &actor, now)).await {
        Ok(o) => Ok(redirect_with_flash("/admin/roles", o.describe(role, &email))),
        Err(Error::Invalid(p)) => render_roles(&templates, &pool, &clock, &admin, 1, Values::new(), p).await,
        Err(e) => Err(e.into()),
    }
}

/// The audit log's filters as the query string has them (all text, checked here).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
struct AuditQuery {
    #[serde(default)]
    actor: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    subject: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    page: Option<String>,
}

fn audit_filter_form(actions: &[String]) -> Form {
    let actions = Choices::new(actions.iter().map(|a| (a.clone(), action_label(a))));
    Form::new([
        Field::text("actor", "Who").optional().hint("Part of their email, or “system”"),
        Field::select("action", "What", actions).placeholder("Any action").optional(),
        Field::text("subject", "Subject")
            .optional()
            .hint("A person's name or email, an employer, a posting's title, or an id"),
        Field::date("from", "From").optional().hint("A campus date"),
        Field::date("to", "Until").optional().hint("A campus date, included"),
    ])
}

/// The audit log, newest first, filtered, a page at a time.
async fn audit_page(
    req: HttpRequest,
    admin: Admin,
    templates: web::Data<Templates>,
    pool: web::Data<Pool>,
    clock: web::Data<Clock>,
    q: web::Query<AuditQuery>,
) -> Result<HttpResponse, AppError> {
    let q = q.into_inner();
    let mut problems = Problems::new();
    let text = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
    let date = |field: &str, raw: &str, problems: &mut Problems| match raw.trim() {
        "" => None,
        d => problems.take(
            field,
            NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| format!("`{d}` is not a date like 2027-02-16")),
        ),
    };
    let from = date("from", &q.from, &mut problems);
    let to = date("to", &q.to, &mut problems);
    if let (Some(f), Some(t)) = (from, to) {
        if t < f {
            problems.add("to", "is before the From date");
        }
    }
    let filter = audit::Filter {
        actor: text(&q.actor),
        action: text(&q.action),
        subject: text(&q.subject),
        from: from.map(|d| clock.start_of_campus_day(d)),
        until: to.map(|d| clock.end_of_campus_day(d)),
    };
    let f = filter.clone();
    let total = db::run(&pool, move |conn| audit::page(conn, &f, 0, 0).map(|(_, n)| n).map_err(AppError::from)).await?;
    let pager =
        Pager::new(Pager::page_of(q.page.as_deref()), total, PAGE_SIZE, &Pager::base(req.path(), req.query_string()));
    if let Some(r) = pager.redirect_if_clamped() {
        return Ok(r);
    }
    let offset = pager.offset();
    let (entries, names, actions) = db::run(&pool, move |conn| -> Result<_, AppError> {
        let (entries, _) = audit::page(conn, &filter, offset, PAGE_SIZE)?;
        let names = audit::subject_names(conn, &entries)?;
        Ok((entries, names, audit::actions(conn)?))
    })
    .await?;
    let form = audit_filter_form(&actions).with_values(Values::of(&q)).with_problems(problems);
    let view = AuditPage {
        rows: entries.into_iter().map(|e| AuditRow::new(e, &names)).collect(),
        total,
        filtered: [&q.actor, &q.action, &q.subject, &q.from, &q.to].iter().any(|v| !v.trim().is_empty()),
        pager,
        form,
    };
    let status = view.form.status();
    templates.page_as(status, "admin/audit", context("Audit log", Some(&admin), view))
}
