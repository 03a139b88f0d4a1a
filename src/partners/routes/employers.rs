//! Counselors' employer pages: the list, adding and editing an employer, and the
//! employer page (its partnership, history, recruiters, postings and figures).

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Deserialize;

use super::list_base;
use crate::auth::accounts;
use crate::auth::csrf::CheckedForm;
use crate::auth::extract::EmployerStaff;
use crate::core::{Clock, EmployerId, Error, Problems};
use crate::db::{self, Pool};
use crate::partners::rules::{validate_employer, EmployerForm, PartnershipStatus, Tier};
use crate::partners::store::employers::{self, ListFilter, LIST_PAGE};
use crate::partners::store::vetting;
use crate::partners::views::{
    owner_choices, size_choices, sort_choices, status_choices, tier_choices, EmployerFormPage, EmployerListPage,
    EmployerListRow, EmployerPage, Refused,
};
use crate::web::pages::{context, html, see_other, Pager};
use crate::web::{AppError, Templates};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/employers", web::get().to(list))
        .route("/employers", web::post().to(create))
        .route("/employers/new", web::get().to(new_page))
        .route("/employers/{id}", web::get().to(detail))
        .route("/employers/{id}/edit", web::get().to(edit_page))
        .route("/employers/{id}/edit", web::post().to(update));
}

async fn list(
    staff: EmployerStaff,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    q: web::Query<ListFilter>,
) -> Result<HttpResponse, AppError> {
    let mut filter = q.into_inner();
    let page = Pager::page_of(filter.page.as_deref());
    let f = filter.clone();
    let (items, total, owners) = db::run(&pool, move |conn| -> Result<_, AppError> {
        let (items, total) = employers::list(conn, &f, page)?;
        Ok((items, total, employers::owners(conn)?))
    })
    .await?;
    filter.page = None;
    let base = list_base("/employers", &filter);
    let view = EmployerListPage {
        items: items.into_iter().map(EmployerListRow::from).collect(),
        owners: owner_choices(owners, &filter.owner),
        tiers: tier_choices(&filter.tier),
        statuses: status_choices(&filter.status),
        sorts: sort_choices(&filter.sort),
        pager: Pager::new(page, total, LIST_PAGE, &base),
        filter,
    };
    templates.page("partners/list", &context("Employers", Some(&staff), &view))
}

/// The employer form, with what was typed and its problems (answered with `status`).
fn render_form(
    templates: &Templates,
    staff: &EmployerStaff,
    id: Option<EmployerId>,
    form: EmployerForm,
    tier: &str,
    problems: Problems,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let title = if id.is_some() { format!("Edit {}", form.name) } else { "Add an employer".to_owned() };
    let view = EmployerFormPage { id, sizes: size_choices(&form.size), tiers: tier_choices(tier), form, problems };
    let body = templates.render("partners/form", &context(&title, Some(staff), &view))?;
    Ok(html(status, body))
}

async fn new_page(staff: EmployerStaff, templates: web::Data<Templates>) -> Result<HttpResponse, AppError> {
    let form = EmployerForm::default();
    render_form(&templates, &staff, None, form, Tier::Standard.as_str(), Problems::new(), StatusCode::OK)
}

#[derive(Debug, Clone, Deserialize)]
struct NewEmployer {
    #[serde(flatten)]
    employer: EmployerForm,
    #[serde(default)]
    tier: String,
}

async fn create(
    staff: EmployerStaff,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    form: CheckedForm<NewEmployer>,
) -> Result<HttpResponse, AppError> {
    let NewEmployer { employer: form, tier: tier_text } = form.0;
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    let (profile, tier) = match (validate_employer(&form), tier_text.parse::<Tier>()) {
        (Ok(p), Ok(t)) => (p, t),
        (p, t) => {
            let mut problems = p.err().unwrap_or_default();
            if let Err(e) = t {
                problems.add("tier", e);
            }
            return render_form(&templates, &staff, None, form, &tier_text, problems, unprocessable);
        }
    };
    let actor = staff.principal.actor();
    let (today, now) = (clock.today(), clock.now_utc());
    let made = db::run(&pool, move |conn| {
        Ok::<_, AppError>(employers::create(conn, &profile, tier, PartnershipStatus::Prospect, &actor, today, now))
    })
    .await?;
    match made {
        Ok(id) => Ok(see_other(&format!("/employers/{id}"))),
        Err(Error::Invalid(problems)) => {
            render_form(&templates, &staff, None, form, &tier_text, problems, unprocessable)
        }
        Err(e) => Err(e.into()),
    }
}

async fn detail(
    staff: EmployerStaff,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    path: web::Path<EmployerId>,
) -> Result<HttpResponse, AppError> {
    employer_page(&templates, &pool, &clock, &staff, path.into_inner(), None, StatusCode::OK).await
}

/// The employer page; `refused`: a form of it that was refused, shown with its problems
/// (answered `status`).
pub(super) async fn employer_page(
    templates: &Templates,
    pool: &Pool,
    clock: &Clock,
    staff: &EmployerStaff,
    id: EmployerId,
    refused: Option<Refused>,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let (d, owners, vetting, invitations) = db::run(pool, move |conn| -> Result<_, AppError> {
        let d = employers::detail(conn, &id)?.ok_or(Error::NotFound)?;
        Ok((d, employers::owners(conn)?, vetting::find(conn, &id)?, accounts::pending_invitations(conn, &id)?))
    })
    .await?;
    let title = d.employer.name.clone();
    let view = EmployerPage::new(d, owners, vetting, invitations, refused, clock.now_utc());
    let body = templates.render("partners/detail", &context(&title, Some(staff), &view))?;
    Ok(html(status, body))
}

async fn edit_page(
    staff: EmployerStaff,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    path: web::Path<EmployerId>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let found = id.clone();
    let e = db::run(&pool, move |conn| employers::find(conn, &found)?.ok_or(Error::NotFound)).await?;
    render_form(&templates, &staff, Some(id), e.profile().to_form(), "", Problems::new(), StatusCode::OK)
}

async fn update(
    staff: EmployerStaff,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    path: web::Path<EmployerId>,
    form: CheckedForm<EmployerForm>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let form = form.0;
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    let profile = match validate_employer(&form) {
        Ok(p) => p,
        Err(problems) => return render_form(&templates, &staff, Some(id), form, "", problems, unprocessable),
    };
    let actor = staff.principal.actor();
    let now = clock.now_utc();
    let target = id.clone();
    let done =
        db::run(&pool, move |conn| Ok::<_, AppError>(employers::update(conn, &target, &profile, &actor, now))).await?;
    match done {
        Ok(_) => Ok(see_other(&format!("/employers/{id}"))),
        Err(Error::Invalid(problems)) => render_form(&templates, &staff, Some(id), form, "", problems, unprocessable),
        Err(e) => Err(e.into()),
    }
}
