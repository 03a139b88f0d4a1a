//! The admin's pages: who holds which role, granting and revoking (`/admin/roles`), and
//! the audit log (`/admin/audit`).

use actix_web::{web, HttpResponse};
use serde::Deserialize;

use crate::audit;
use crate::auth::csrf::CheckedForm;
use crate::auth::extract::Admin;
use crate::auth::roles::{self, GRANTABLE};
use crate::auth::views::{AuditPage, AuditRow, RolesListing, RolesPage};
use crate::core::{Clock, Error, Problems, Role};
use crate::db::{self, Pool};
use crate::web::pages::{context, html, Feedback, PageQuery, Pager};
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
    render_roles(&templates, &pool, &clock, &admin, q.number(), Feedback::none()).await
}

async fn render_roles(
    templates: &Templates,
    pool: &Pool,
    clock: &Clock,
    admin: &Admin,
    page: i64,
    shown: Feedback,
) -> Result<HttpResponse, AppError> {
    let Feedback { notice, problems, status } = shown;
    let listing = db::run(pool, move |conn| -> Result<_, AppError> {
        let (holdings, total) = roles::holdings(conn, page, PAGE_SIZE)?;
        let (pending, pending_total) = roles::pending(conn, PAGE_SIZE)?;
        Ok(RolesListing { holdings, total, pending, pending_total })
    })
    .await?;
    let pager = Pager::new(page, listing.total, PAGE_SIZE, "/admin/roles?");
    let view = RolesPage::new(listing, &GRANTABLE, pager, notice, problems, clock);
    let body = templates.render("admin/roles", &context("Roles", Some(admin), view))?;
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
    let role = match form.role.parse::<Role>() {
        Ok(r) if GRANTABLE.contains(&r) => r,
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

/// The audit log, newest first, a page at a time.
async fn audit_page(
    admin: Admin,
    templates: web::Data<Templates>,
    pool: web::Data<Pool>,
    q: web::Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    let page = q.number();
    let (entries, total) =
        db::run(&pool, move |conn| audit::page(conn, page, PAGE_SIZE).map_err(AppError::from)).await?;
    let view = AuditPage {
        rows: entries.into_iter().map(AuditRow::from).collect(),
        total,
        pager: Pager::new(page, total, PAGE_SIZE, "/admin/audit?"),
    };
    templates.page("admin/audit", &context("Audit log", Some(&admin), view))
}
