//! The API's reads: employers, the catalogue's open micro-internships, outcomes and fair
//! sessions, a page at a time (cursor and limit), each with its `ETag`.

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::NaiveDate;

use super::read_answer;
use crate::api::extract::{ApiToken, CatalogueRead, FairsRead, OutcomesRead};
use crate::api::problem::ApiError;
use crate::api::rules::{page_request, split_page};
use crate::api::store;
use crate::api::types::{
    CatalogueParams, EmployersPage, FairSessionsPage, OpportunitiesPage, Opportunity, OutcomeParams, OutcomesPage,
    PageParams, SessionParams,
};
use crate::core::{Clock, Error, FieldProblem, Problems};
use crate::db::{self, Pool};
use crate::opportunities::catalogue::{self, CatalogueQuery};
use crate::opportunities::rules::catalogue::parse;

fn page_of(p: &PageParams) -> Result<crate::api::rules::PageRequest, Error> {
    page_request(p.cursor.as_deref(), p.limit.as_deref())
}

/// Employers and their current partnerships.
#[utoipa::path(
    get,
    path = "/api/v1/employers",
    tag = "catalogue",
    params(PageParams, ("If-None-Match" = Option<String>, Header, description = "An ETag of this page: 304 if unchanged")),
    responses(
        (status = 200, description = "A page of employers", body = EmployersPage,
            headers(("ETag" = String, description = "The page's validator"))),
        (status = 304, description = "Not modified: the page is as the ETag says"),
    ),
    security(("bearer" = ["catalogue:read"]))
)]
pub async fn employers(
    _token: ApiToken<CatalogueRead>,
    req: HttpRequest,
    pool: web::Data<Pool>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let page = page_of(&page)?;
    let limit = page.limit;
    let rows = db::run(&pool, move |c| store::employers(c, &page)).await?;
    let (items, next_cursor) = split_page(rows, limit, |e| &e.id);
    read_answer(&req, &EmployersPage { items, next_cursor })
}

/// The catalogue: open micro-internships of active partners, with the portal's filters.
#[utoipa::path(
    get,
    path = "/api/v1/opportunities",
    tag = "catalogue",
    params(PageParams, CatalogueParams, ("If-None-Match" = Option<String>, Header, description = "An ETag of this page: 304 if unchanged")),
    responses(
        (status = 200, description = "A page of open micro-internships", body = OpportunitiesPage,
            headers(("ETag" = String, description = "The page's validator"))),
        (status = 304, description = "Not modified: the page is as the ETag says"),
    ),
    security(("bearer" = ["catalogue:read"]))
)]
pub async fn opportunities(
    _token: ApiToken<CatalogueRead>,
    req: HttpRequest,
    pool: web::Data<Pool>,
    clock: web::Data<Clock>,
    page: web::Query<PageParams>,
    filters: web::Query<CatalogueParams>,
) -> Result<HttpResponse, ApiError> {
    let f = filters.into_inner();
    let text = |v: Option<String>| v.unwrap_or_default();
    let remote = f.remote.as_deref().map(str::trim).unwrap_or("").to_owned();
    let bad_remote = !matches!(remote.as_str(), "" | "remote" | "onsite");
    let query = CatalogueQuery {
        q: text(f.q),
        skills: text(f.skills),
        industry: text(f.industry),
        remote,
        hours_min: text(f.hours_min),
        hours_max: text(f.hours_max),
        fee_min: text(f.fee_min),
        fee_max: text(f.fee_max),
        apply_by: text(f.apply_by),
        employer: text(f.employer),
        ..CatalogueQuery::default()
    };
    let (search, mut problems) = parse(&query);
    if bad_remote {
        problems.push(FieldProblem::new("remote", format!("`{}` is not remote or onsite", query.remote)));
    }
    let page = match page_of(&page) {
        Ok(p) => Some(p),
        Err(Error::Invalid(p)) => {
            problems.extend(p.into_vec());
            None
        }
        Err(e) => return Err(e.into()),
    };
    let page = match page {
        Some(p) if problems.is_empty() => p,
        _ => return Err(Error::Invalid(problems.into_iter().collect::<Problems>()).into()),
    };
    let (limit, today) = (page.limit, clock.today());
    let rows = db::run(&pool, move |c| {
        catalogue::search_after(c, &search, today, page.after.as_deref(), limit + 1).map_err(Error::from)
    })
    .await?;
    let (rows, next_cursor) = split_page(rows, limit, |l| l.id.as_str());
    let items = rows
        .into_iter()
        .map(|l| Opportunity {
            skills: l.skills.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect(),
            id: l.id.to_string(),
            title: l.title,
            description: l.description,
            hours: l.hours,
            fee_cents: l.fee_cents,
            currency: l.currency,
            remote: l.remote,
            location: l.location,
            apply_by: l.apply_by,
            openings: l.openings,
            employer_id: l.employer_id.to_string(),
            employer_name: l.employer_name,
            industry: l.industry,
        })
        .collect();
    read_answer(&req, &OpportunitiesPage { items, next_cursor })
}

fn date(field: &str, raw: Option<&str>, problems: &mut Vec<FieldProblem>) -> Option<NaiveDate> {
    let raw = raw.map(str::trim).filter(|r| !r.is_empty())?;
    match NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
        Ok(d) => Some(d),
        Err(_) => {
            problems.push(FieldProblem::new(field, format!("`{raw}` is not a date (YYYY-MM-DD)")));
            None
        }
    }
}

/// Graduates' outcomes, e.g. those the office learnt last month.
#[utoipa::path(
    get,
    path = "/api/v1/outcomes",
    tag = "outcomes",
    params(PageParams, OutcomeParams, ("If-None-Match" = Option<String>, Header, description = "An ETag of this page: 304 if unchanged")),
    responses(
        (status = 200, description = "A page of outcomes", body = OutcomesPage,
            headers(("ETag" = String, description = "The page's validator"))),
        (status = 304, description = "Not modified: the page is as the ETag says"),
    ),
    security(("bearer" = ["outcomes:read"]))
)]
pub async fn outcomes(
    _token: ApiToken<OutcomesRead>,
    req: HttpRequest,
    pool: web::Data<Pool>,
    page: web::Query<PageParams>,
    filters: web::Query<OutcomeParams>,
) -> Result<HttpResponse, ApiError> {
    let mut problems = Vec::new();
    let known = (
        date("known_from", filters.known_from.as_deref(), &mut problems),
        date("known_until", filters.known_until.as_deref(), &mut problems),
    );
    let page = match page_of(&page) {
        Ok(p) if problems.is_empty() => p,
        Ok(_) => return Err(Error::Invalid(problems.into_iter().collect()).into()),
        Err(Error::Invalid(p)) => {
            problems.extend(p.into_vec());
            return Err(Error::Invalid(problems.into_iter().collect()).into());
        }
        Err(e) => return Err(e.into()),
    };
    let limit = page.limit;
    let rows = db::run(&pool, move |c| store::outcomes(c, &page, known)).await?;
    let (items, next_cursor) = split_page(rows, limit, |o| &o.id);
    read_answer(&req, &OutcomesPage { items, next_cursor })
}

/// Fair sessions with their registration counts.
#[utoipa::path(
    get,
    path = "/api/v1/fairs/sessions",
    tag = "fairs",
    params(PageParams, SessionParams, ("If-None-Match" = Option<String>, Header, description = "An ETag of this page: 304 if unchanged")),
    responses(
        (status = 200, description = "A page of fair sessions", body = FairSessionsPage,
            headers(("ETag" = String, description = "The page's validator"))),
        (status = 304, description = "Not modified: the page is as the ETag says"),
    ),
    security(("bearer" = ["fairs:read"]))
)]
pub async fn fair_sessions(
    _token: ApiToken<FairsRead>,
    req: HttpRequest,
    pool: web::Data<Pool>,
    page: web::Query<PageParams>,
    filters: web::Query<SessionParams>,
) -> Result<HttpResponse, ApiError> {
    let page = page_of(&page)?;
    let limit = page.limit;
    let fair = filters.into_inner().fair.map(|f| f.trim().to_owned()).filter(|f| !f.is_empty());
    let rows = db::run(&pool, move |c| store::fair_sessions(c, &page, fair.as_deref())).await?;
    let (items, next_cursor) = split_page(rows, limit, |s| &s.id);
    read_answer(&req, &FairSessionsPage { items, next_cursor })
}
