//! Counselors' employer and partnership pages, the students' partner pages, and the
//! employers import upload. Handlers stay thin. (The students' catalogue is in
//! `opportunities`; the partner page lists an employer's postings through it.)

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use diesel::prelude::*;
use futures_util::TryStreamExt;
use serde::Deserialize;
use serde_json::{json, Value};

use super::import::{import_employers, OPTIONAL, REQUIRED};
use super::model::{self, ListFilter, LIST_PAGE};
use super::rules::{next_statuses, validate_employer, EmployerForm, Status, Tier, SIZES};
use crate::auth::csrf::{CheckedForm, CsrfChecked};
use crate::auth::extract::{Browser, EmployerStaff};
use crate::core::money;
use crate::core::Clock;
use crate::core::{Error, FieldProblem};
use crate::db::schema::{employers, opportunities, partnerships};
use crate::db::{self, Pool};
use crate::opportunities::catalogue;
use crate::web::error::{public_message, status_of};
use crate::web::pages::{context, html, see_other, Pager};
use crate::web::{AppError, Templates};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/employers", web::get().to(list))
        .route("/employers", web::post().to(create))
        .route("/employers/new", web::get().to(new_page))
        .route("/employers/import", web::get().to(import_page))
        .route("/employers/import", web::post().to(import_upload))
        .route("/employers/{id}", web::get().to(detail))
        .route("/employers/{id}/edit", web::get().to(edit_page))
        .route("/employers/{id}/edit", web::post().to(update))
        .route("/employers/{id}/status", web::post().to(change_status))
        .route("/employers/{id}/terms", web::post().to(change_terms))
        .route("/employers/{id}/partnerships", web::post().to(start_partnership))
        .route("/partners", web::get().to(partners_page))
        .route("/partners/{id}", web::get().to(partner_page));
}

/// The base of a list's page links: its path with the filters that are set (not the
/// page), ready for `page=N` to be appended. Links stay short and stable.
fn list_base<T: serde::Serialize>(path: &str, q: &T) -> String {
    let full = serde_urlencoded::to_string(q).unwrap_or_default();
    let set: Vec<(String, String)> = url::form_urlencoded::parse(full.as_bytes())
        .into_owned()
        .filter(|(k, v)| !v.is_empty() && k != "page")
        .collect();
    match serde_urlencoded::to_string(set).unwrap_or_default() {
        qs if qs.is_empty() => format!("{path}?"),
        qs => format!("{path}?{qs}&"),
    }
}

// ---- Counselors: employers and partnerships ----

async fn list(
    staff: EmployerStaff,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    q: web::Query<ListFilter>,
) -> Result<HttpResponse, AppError> {
    let mut f = q.into_inner();
    let page = Pager::page_of(f.page.as_deref());
    let filter = f.clone();
    let (items, total, owners) = db::run(&pool, move |conn| -> Result<_, AppError> {
        let (items, total) = model::list(conn, &filter, page)?;
        Ok((items, total, model::owners(conn)?))
    })
    .await?;
    f.page = None;
    let base = list_base("/employers", &f);
    let owners: Vec<Value> =
        owners.into_iter().map(|(id, name)| json!({ "id": id, "name": name, "selected": id == f.owner })).collect();
    let tiers: Vec<Value> =
        Tier::ALL.iter().map(|t| json!({ "value": t.as_str(), "selected": t.as_str() == f.tier })).collect();
    let statuses: Vec<Value> =
        Status::ALL.iter().map(|s| json!({ "value": s.as_str(), "selected": s.as_str() == f.status })).collect();
    let sorts: Vec<Value> = [("name", "Name"), ("tier", "Tier"), ("recent", "Recently changed")]
        .iter()
        .map(
            |(v, l)| json!({ "value": v, "label": l, "selected": *v == f.sort || (f.sort.is_empty() && *v == "name") }),
        )
        .collect();
    templates.page(
        "partners/list",
        &context(
            "Employers",
            Some(&staff),
            json!({ "items": items, "filter": f, "owners": owners, "tiers": tiers, "statuses": statuses, "sorts": sorts, "pager": Pager::new(page, total, LIST_PAGE, &base) }),
        ),
    )
}

fn sizes(selected: &str) -> Vec<Value> {
    SIZES.iter().map(|s| json!({ "value": s, "selected": *s == selected })).collect()
}

fn render_form(
    templates: &Templates,
    staff: &EmployerStaff,
    id: Option<&str>,
    form: &EmployerForm,
    tier: &str,
    problems: &[FieldProblem],
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let tiers: Vec<Value> =
        Tier::ALL.iter().map(|t| json!({ "value": t.as_str(), "selected": t.as_str() == tier })).collect();
    let title = if id.is_some() { format!("Edit {}", form.name) } else { "Add an employer".to_owned() };
    let body = templates.render(
        "partners/form",
        &context(
            &title,
            Some(staff),
            json!({ "id": id, "form": form, "sizes": sizes(&form.size), "tiers": tiers, "problems": problems }),
        ),
    )?;
    Ok(html(status, body))
}

async fn new_page(staff: EmployerStaff, templates: web::Data<Templates>) -> Result<HttpResponse, AppError> {
    render_form(&templates, &staff, None, &EmployerForm::default(), "standard", &[], StatusCode::OK)
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
    let f = form.0;
    let tier = f.tier.parse::<Tier>();
    let profile = validate_employer(&f.employer);
    let (profile, tier) = match (profile, tier) {
        (Ok(p), Ok(t)) => (p, t),
        (p, t) => {
            let mut problems = p.err().unwrap_or_default();
            if let Err(e) = t {
                problems.push(FieldProblem { field: "tier".into(), problem: e });
            }
            return render_form(
                &templates,
                &staff,
                None,
                &f.employer,
                &f.tier,
                &problems,
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    let actor = staff.principal.actor();
    let (today, now) = (clock.today(), clock.now_utc());
    let made = db::run(&pool, move |conn| {
        Ok::<_, AppError>(model::create_employer(conn, &profile, tier, Status::Prospect, &actor, today, now))
    })
    .await?;
    match made {
        Ok(id) => Ok(see_other(&format!("/employers/{id}"))),
        Err(Error::Invalid(problems)) => render_form(
            &templates,
            &staff,
            None,
            &f.employer,
            &f.tier,
            problems.as_slice(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Err(e) => Err(e.into()),
    }
}

async fn detail(
    staff: EmployerStaff,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let (d, owners) = db::run(&pool, move |conn| -> Result<_, AppError> {
        Ok((model::detail(conn, &id)?.ok_or(Error::NotFound)?, model::owners(conn)?))
    })
    .await?;
    render_detail(&templates, &staff, d, owners, None, StatusCode::OK)
}

fn render_detail(
    templates: &Templates,
    staff: &EmployerStaff,
    d: model::Detail,
    owners: Vec<(String, String)>,
    notice: Option<String>,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let has_domain = d.employer.email_domain.is_some();
    let next: Vec<Value> = d
        .current
        .as_ref()
        .map(|p| next_statuses(p.status(), has_domain))
        .unwrap_or_default()
        .into_iter()
        .map(|s| json!({ "value": s.as_str(), "label": match s { Status::Active => "Activate", Status::Paused => "Pause", Status::Ended => "End", Status::Prospect => "Prospect" } }))
        .collect();
    let owner_id = d.current.as_ref().and_then(|p| p.owner_id.clone()).unwrap_or_default();
    let tier = d.current.as_ref().map(|p| p.tier.clone()).unwrap_or_default();
    let owners: Vec<Value> =
        owners.into_iter().map(|(id, name)| json!({ "id": id, "name": name, "selected": id == owner_id })).collect();
    let tiers: Vec<Value> =
        Tier::ALL.iter().map(|t| json!({ "value": t.as_str(), "selected": t.as_str() == tier })).collect();
    let postings: Vec<Value> =
        d.postings.iter().map(|p| json!({ "p": p, "fee": money::display(p.fee_cents) })).collect();
    let can_invite = d.current.as_ref().is_some_and(|p| p.status() == Status::Active) && has_domain;
    let blocked_activation =
        d.current.as_ref().is_some_and(|p| matches!(p.status(), Status::Prospect | Status::Paused)) && !has_domain;
    let body = templates.render(
        "partners/detail",
        &context(
            &d.employer.name.clone(),
            Some(staff),
            json!({ "d": d, "next": next, "owners": owners, "tiers": tiers, "postings": postings, "can_invite": can_invite, "needs_domain": blocked_activation, "notice": notice }),
        ),
    )?;
    Ok(html(status, body))
}

async fn edit_page(
    staff: EmployerStaff,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let id2 = id.clone();
    let e = db::run(&pool, move |conn| model::find_employer(conn, &id2)?.ok_or(Error::NotFound)).await?;
    let form = EmployerForm {
        name: e.name,
        industry: e.industry,
        website: e.website.unwrap_or_default(),
        email_domain: e.email_domain.unwrap_or_default(),
        size: e.size.unwrap_or_default(),
        location: e.location,
        description: e.description,
    };
    render_form(&templates, &staff, Some(&id), &form, "", &[], StatusCode::OK)
}

async fn update(
    staff: EmployerStaff,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    path: web::Path<String>,
    form: CheckedForm<EmployerForm>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let f = form.0;
    let profile = match validate_employer(&f) {
        Ok(p) => p,
        Err(problems) => {
            return render_form(&templates, &staff, Some(&id), &f, "", &problems, StatusCode::UNPROCESSABLE_ENTITY)
        }
    };
    let actor = staff.principal.actor();
    let now = clock.now_utc();
    let id2 = id.clone();
    let done = db::run(&pool, move |conn| Ok::<_, AppError>(model::update_employer(conn, &id2, &profile, &actor, now)))
        .await?;
    match done {
        Ok(_) => Ok(see_other(&format!("/employers/{id}"))),
        Err(Error::Invalid(problems)) => {
            render_form(&templates, &staff, Some(&id), &f, "", problems.as_slice(), StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Clone, Deserialize)]
struct StatusForm {
    to: String,
    #[serde(default)]
    note: String,
}

/// A status change; a refused one (409/422) shows the page again with the reason and
/// changes nothing.
async fn change_status(
    staff: EmployerStaff,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    path: web::Path<String>,
    form: CheckedForm<StatusForm>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let to = form.0.to.parse::<Status>().map_err(|e| Error::invalid("to", e))?;
    let note = form.0.note.clone();
    let actor = staff.principal.actor();
    let (today, now) = (clock.today(), clock.now_utc());
    let id2 = id.clone();
    let outcome =
        db::run(&pool, move |conn| Ok::<_, AppError>(model::change_status(conn, &id2, to, &note, &actor, today, now)))
            .await?;
    let (notice, status) = match outcome {
        Ok(effects) => {
            let mut n = format!("The partnership is now {to}.");
            if effects.postings_closed > 0 {
                n.push_str(&format!(
                    " {} open posting(s) closed; {} applicant(s) told.",
                    effects.postings_closed, effects.applicants_told
                ));
            }
            (n, StatusCode::OK)
        }
        Err(Error::NotFound) => return Err(Error::NotFound.into()),
        Err(e) => (format!("Not changed: {}", public_message(&e)), status_of(&e)),
    };
    let (d, owners) = db::run(&pool, move |conn| -> Result<_, AppError> {
        Ok((model::detail(conn, &id)?.ok_or(Error::NotFound)?, model::owners(conn)?))
    })
    .await?;
    render_detail(&templates, &staff, d, owners, Some(notice), status)
}

#[derive(Debug, Clone, Deserialize)]
struct TermsForm {
    tier: String,
    #[serde(default)]
    owner_id: String,
    #[serde(default)]
    notes: String,
}

async fn change_terms(
    staff: EmployerStaff,
    pool: web::Data<Pool>,
    clock: web::Data<Clock>,
    path: web::Path<String>,
    form: CheckedForm<TermsForm>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let f = form.0;
    let tier = f.tier.parse::<Tier>().map_err(|e| Error::invalid("tier", e))?;
    let actor = staff.principal.actor();
    let now = clock.now_utc();
    let id2 = id.clone();
    db::run(&pool, move |conn| {
        let owner = Some(f.owner_id.as_str()).filter(|o| !o.is_empty());
        model::set_terms(conn, &id2, tier, owner, &f.notes, &actor, now).map_err(AppError::from)
    })
    .await?;
    Ok(see_other(&format!("/employers/{id}")))
}

#[derive(Debug, Clone, Deserialize)]
struct NewPartnership {
    tier: String,
}

async fn start_partnership(
    staff: EmployerStaff,
    pool: web::Data<Pool>,
    clock: web::Data<Clock>,
    path: web::Path<String>,
    form: CheckedForm<NewPartnership>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let tier = form.0.tier.parse::<Tier>().map_err(|e| Error::invalid("tier", e))?;
    let actor = staff.principal.actor();
    let now = clock.now_utc();
    let id2 = id.clone();
    db::run(&pool, move |conn| model::new_partnership(conn, &id2, tier, &actor, now).map_err(AppError::from)).await?;
    Ok(see_other(&format!("/employers/{id}")))
}

async fn import_page(staff: EmployerStaff, templates: web::Data<Templates>) -> Result<HttpResponse, AppError> {
    templates.page(
        "partners/import",
        &context(
            "Import employers",
            Some(&staff),
            json!({ "required": REQUIRED, "optional": OPTIONAL, "problems": [], "counts": null }),
        ),
    )
}

/// The largest file the upload takes (a few thousand employers fit in far less).
const MAX_UPLOAD: usize = 5 * 1024 * 1024;

async fn import_upload(
    staff: EmployerStaff,
    _csrf: CsrfChecked,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    mut payload: Multipart,
) -> Result<HttpResponse, AppError> {
    let mut file_name = String::from("upload.csv");
    let mut bytes: Vec<u8> = Vec::new();
    while let Some(mut field) =
        payload.try_next().await.map_err(|e| AppError::BadRequest(format!("the upload could not be read: {e}")))?
    {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            if let Some(f) = field.content_disposition().and_then(|cd| cd.get_filename()) {
                file_name = f.chars().filter(|c| !c.is_control() && *c != '/' && *c != '\\').collect();
            }
        }
        let mut value = Vec::new();
        while let Some(chunk) =
            field.try_next().await.map_err(|e| AppError::BadRequest(format!("the upload could not be read: {e}")))?
        {
            if value.len() + chunk.len() > MAX_UPLOAD {
                return Err(AppError::BadRequest("the file is larger than 5 MB".into()));
            }
            value.extend_from_slice(&chunk);
        }
        if name == "file" {
            bytes = value;
        }
    }
    let actor = staff.principal.actor();
    let (today, now) = (clock.today(), clock.now_utc());
    let label = file_name.clone();
    let result =
        db::run(&pool, move |conn| import_employers(conn, &label, std::io::Cursor::new(bytes), &actor, today, now))
            .await;
    // A refused file is shown again with every problem (422); any other failure is an error page.
    let (problems, counts, status) = match result {
        Ok(c) => (Vec::new(), Some(c), StatusCode::OK),
        Err(Error::Invalid(p)) => (p.iter().map(ToString::to_string).collect(), None, StatusCode::UNPROCESSABLE_ENTITY),
        Err(e) => return Err(e.into()),
    };
    let body = templates.render(
        "partners/import",
        &context(
            "Import employers",
            Some(&staff),
            json!({ "required": REQUIRED, "optional": OPTIONAL, "problems": problems, "counts": counts, "file": file_name }),
        ),
    )?;
    Ok(html(status, body))
}

// ---- Students (and faculty, staff): partner pages ----

#[derive(Debug, Deserialize, serde::Serialize)]
struct PartnersQuery {
    #[serde(default)]
    industry: String,
    #[serde(default)]
    page: String,
}

async fn partners_page(
    viewer: Browser,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    q: web::Query<PartnersQuery>,
) -> Result<HttpResponse, AppError> {
    let page = Pager::page_of(Some(&q.page));
    let industry = q.industry.clone();
    let today = clock.today();
    let (rows, total, industries) = db::run(&pool, move |conn| -> Result<_, AppError> {
        let mut base = employers::table.inner_join(partnerships::table).filter(partnerships::status.eq("active")).into_boxed::<db::MultiBackend>();
        if !industry.is_empty() {
            base = base.filter(employers::industry.eq(industry.clone()));
        }
        let total: i64 = base.count().get_result(conn)?;
        let mut q = employers::table.inner_join(partnerships::table).filter(partnerships::status.eq("active")).into_boxed::<db::MultiBackend>();
        if !industry.is_empty() {
            q = q.filter(employers::industry.eq(industry.clone()));
        }
        let rows: Vec<(String, String, String, String, String)> = q
            .select((employers::id, employers::name, employers::industry, employers::location, employers::description))
            .order((model::lower(employers::name), employers::id))
            .limit(LIST_PAGE)
            .offset((page - 1) * LIST_PAGE)
            .load(conn)?;
        let ids: Vec<&String> = rows.iter().map(|r| &r.0).collect();
        let counts: Vec<(String, i64)> = opportunities::table
            .filter(opportunities::employer_id.eq_any(ids))
            .filter(opportunities::status.eq("open"))
            .filter(opportunities::apply_by.ge(today))
            .group_by(opportunities::employer_id)
            .select((opportunities::employer_id, diesel::dsl::count_star()))
            .load(conn)?;
        let rows: Vec<Value> = rows
            .into_iter()
            .map(|(id, name, industry, location, description)| {
                let open = counts.iter().find(|(e, _)| *e == id).map_or(0, |(_, n)| *n);
                json!({ "id": id, "name": name, "industry": industry, "location": location, "description": description, "open": open })
            })
            .collect();
        Ok((rows, total, catalogue::industries(conn)?))
    })
    .await?;
    let base = list_base("/partners", &*q);
    let industries: Vec<Value> =
        industries.into_iter().map(|i| json!({ "value": i, "selected": i == q.industry })).collect();
    templates.page(
        "partners/partners",
        &context(
            "Employer partners",
            Some(&viewer),
            json!({ "rows": rows, "industries": industries, "pager": Pager::new(page, total, LIST_PAGE, &base) }),
        ),
    )
}

async fn partner_page(
    viewer: Browser,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let today = clock.today();
    let (employer, listings, total) = db::run(&pool, move |conn| -> Result<_, AppError> {
        let active = model::current_partnership(conn, &id)?.is_some_and(|p| p.status() == Status::Active);
        if !active {
            return Err(Error::NotFound.into());
        }
        let employer = model::find_employer(conn, &id)?.ok_or(Error::NotFound)?;
        let search = catalogue::Search {
            employer_id: Some(id.clone().into()),
            sort: catalogue::Sort::ApplyBy,
            page: 1,
            ..Default::default()
        };
        let (listings, total) = catalogue::search(conn, &search, None, today)?;
        Ok((employer, listings, total))
    })
    .await?;
    let listings: Vec<Value> =
        listings.into_iter().map(|r| json!({ "r": r, "fee": money::display(r.fee_cents) })).collect();
    let more = total > listings.len() as i64;
    templates.page(
        "partners/partner",
        &context(
            &employer.name.clone(),
            Some(&viewer),
            json!({ "employer": employer, "listings": listings, "total": total, "more": more }),
        ),
    )
}
