//! Counselors' employer pages: the list, adding and editing an employer, and the
//! employer page (its partnership, history, recruiters, postings and figures).

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::list_base;
use crate::auth::accounts;
use crate::auth::csrf::CheckedForm;
use crate::auth::extract::EmployerStaff;
use crate::core::{Clock, EmployerId, Error, Problems};
use crate::db::{self, Pool};
use crate::partners::rules::{validate_employer, EmployerForm, EmployerSize, PartnershipStatus, Tier};
use crate::partners::store::employers::{self, ListFilter, LIST_PAGE};
use crate::partners::store::vetting;
use crate::partners::views::{
    owner_choices, sort_choices, status_choices, tier_choices, EmployerListPage, EmployerListRow, EmployerPage, Refused,
};
use crate::web::flash::redirect_with_flash;
use crate::web::forms::{Choices, Field, Form, Values};
use crate::web::pages::{context, html, Pager};
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
    templates.page("partners/list", context("Employers", Some(&staff), &view))
}

/// The employer form: the profile, and for a new employer its first partnership's tier.
fn employer_form(new: bool) -> Form {
    let sizes = Choices::new(EmployerSize::ALL.map(|s| (s.as_str(), s.label())));
    let mut fields = vec![
        Field::text("name", "Name").required().autocomplete("organization"),
        Field::text("industry", "Industry").required(),
        Field::url("website", "Website").optional().hint("https://…"),
        Field::text("email_domain", "Vetted email domain").optional().hint(
            "Recruiters' addresses must be at it; required before the partnership is active. Not a free or disposable mail service.",
        ),
        Field::select("size", "Size", sizes).placeholder("Unknown").optional(),
        Field::text("location", "Location").optional(),
        Field::textarea("description", "Description").optional().rows(5),
    ];
    if new {
        fields.push(
            Field::select("tier", "Partnership tier", Choices::new(Tier::ALL.map(|t| (t.as_str(), t.label()))))
                .required()
                .hint("The partnership starts as a prospect; activate it from the employer's page once the domain is vetted"),
        );
    }
    Form::new(fields)
}

/// The employer form with `values` and `problems` (422 with problems).
fn render_form(
    templates: &Templates,
    staff: &EmployerStaff,
    id: Option<EmployerId>,
    name: &str,
    values: Values,
    problems: Problems,
) -> Result<HttpResponse, AppError> {
    let title = if id.is_some() { format!("Edit {name}") } else { "Add an employer".to_owned() };
    let form = employer_form(id.is_none()).with_values(values).with_problems(problems);
    templates.page_as(form.status(), "partners/form", context(&title, Some(staff), json!({ "id": id, "form": form })))
}

async fn new_page(staff: EmployerStaff, templates: web::Data<Templates>) -> Result<HttpResponse, AppError> {
    let values = Values::new().with("tier", Tier::Standard.as_str());
    render_form(&templates, &staff, None, "", values, Problems::new())
}

#[derive(Debug, Clone, Deserialize, Serialize)]
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
    let submitted = form.0;
    let (profile, tier) = match (validate_employer(&submitted.employer), submitted.tier.parse::<Tier>()) {
        (Ok(p), Ok(t)) => (p, t),
        (p, t) => {
            let mut problems = p.err().unwrap_or_default();
            if let Err(e) = t {
                problems.add("tier", e);
            }
            return render_form(&templates, &staff, None, "", Values::of(&submitted), problems);
        }
    };
    let actor = staff.principal.actor();
    let (today, now) = (clock.today(), clock.now_utc());
    let name = profile.name.clone();
    let made = db::run(&pool, move |conn| {
        Ok::<_, AppError>(employers::create(conn, &profile, tier, PartnershipStatus::Prospect, &actor, today, now))
    })
    .await?;
    match made {
        Ok(id) => Ok(redirect_with_flash(&format!("/employers/{id}"), format!("{name} added as a prospect"))),
        Err(Error::Invalid(problems)) => render_form(&templates, &staff, None, "", Values::of(&submitted), problems),
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
    let body = templates.render("partners/detail", context(&title, Some(staff), &view))?;
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
    let values = Values::of(&e.profile().to_form());
    render_form(&templates, &staff, Some(id), &e.name, values, Problems::new())
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
    let submitted = form.0;
    let profile = match validate_employer(&submitted) {
        Ok(p) => p,
        Err(problems) => {
            return render_form(&templates, &staff, Some(id), &submitted.name, Values::of(&submitted), problems)
        }
    };
    let actor = staff.principal.actor();
    let now = clock.now_utc();
    let target = id.clone();
    let name = profile.name.clone();
    let done =
        db::run(&pool, move |conn| Ok::<_, AppError>(employers::update(conn, &target, &profile, &actor, now))).await?;
    match done {
        Ok(changed) => {
            let message = if changed {
                format!("{name}'s profile saved")
            } else {
                format!("{name}'s profile was already as given")
            };
            Ok(redirect_with_flash(&format!("/employers/{id}"), message))
        }
        Err(Error::Invalid(problems)) => {
            render_form(&templates, &staff, Some(id), &submitted.name, Values::of(&submitted), problems)
        }
        Err(e) => Err(e.into()),
    }
}
