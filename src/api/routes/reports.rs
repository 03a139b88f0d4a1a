//! `/api/v1/reports/{name}`: each report of the office (the registry of
//! `crate::reports`, so a report added there is served here) as JSON (its columns, and
//! each row's cells by column: the CSV's very text) or, with `Accept: text/csv`, the very
//! bytes of the portal's CSV: both are written by `reports::registry::write`.

use std::collections::BTreeMap;

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};

use super::respond;
use crate::api::extract::{ApiToken, ReportsRead};
use crate::api::problem::ApiError;
use crate::api::rules::{encode_key_cursor, key_page_request};
use crate::api::types::{Report, ReportParams};
use crate::core::csv::neutralise;
use crate::core::{Clock, Error};
use crate::db::{self, Pool};
use crate::reports::filters::{Filters, RawFilters};
use crate::reports::placements;
use crate::reports::registry::{self, ReportName, RunAt};

/// The names of every report, for the OpenAPI document.
pub fn names() -> Vec<&'static str> {
    ReportName::ALL.iter().map(|r| r.as_str()).collect()
}

fn raw_filters(p: &ReportParams) -> RawFilters {
    RawFilters {
        class: p.class.clone(),
        cohort: p.cohort.clone(),
        group_by: p.group_by.clone(),
        college: p.college.clone(),
        employer: p.employer.clone(),
        from: p.from.clone(),
        to: p.to.clone(),
    }
}

/// Whether the client asks for CSV (`text/csv` in `Accept`, before any JSON).
fn wants_csv(req: &HttpRequest) -> bool {
    let accept = req.headers().get(header::ACCEPT).and_then(|v| v.to_str().ok()).unwrap_or("");
    let position = |t: &str| accept.find(t);
    match (position("text/csv"), position("application/json")) {
        (Some(c), Some(j)) => c < j,
        (Some(_), None) => true,
        _ => false,
    }
}

/// A report as JSON, or as the portal's CSV file.
#[utoipa::path(
    get,
    path = "/api/v1/reports/{name}",
    tag = "reports",
    params(
        ("name" = String, Path, description = "The report", example = "first-destination"),
        ReportParams,
        ("If-None-Match" = Option<String>, Header, description = "An ETag of this report: 304 if unchanged"),
    ),
    responses(
        (status = 200, description = "The report: JSON, or with `Accept: text/csv` the CSV file",
            headers(("ETag" = String, description = "The report's validator")),
            content((Report = "application/json"), (String = "text/csv"))),
        (status = 304, description = "Not modified: the report is as the ETag says"),
        (status = 404, description = "No such report", body = crate::api::problem::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = ["reports:read"]))
)]
pub async fn report(
    _token: ApiToken<ReportsRead>,
    req: HttpRequest,
    pool: web::Data<Pool>,
    clock: web::Data<Clock>,
    name: web::Path<String>,
    params: web::Query<ReportParams>,
) -> Result<HttpResponse, ApiError> {
    let report = ReportName::parse(name.as_str()).ok_or(Error::NotFound)?;
    if params.cursor.is_some() || params.limit.is_some() {
        return page(req, pool, clock, report, params.into_inner()).await;
    }
    let raw = raw_filters(&params);
    let at = RunAt::of(&clock);
    let clock = clock.get_ref().clone();
    // The CSV's own bytes, written once: the JSON answer is read back from them, so the
    // two can never disagree.
    let (bytes, stated) = db::run(&pool, move |c| {
        let f = Filters::read(c, &raw, report.as_str(), report.accepts(), report.needs_cohort(), &clock)?;
        let mut bytes = Vec::new();
        registry::write(c, report, &f, at, &mut |chunk| {
            bytes.extend(chunk);
            true
        })
        .map_err(Error::from)?;
        Ok::<_, Error>((bytes, stated_filters(&f)))
    })
    .await?;
    let text = String::from_utf8(bytes).map_err(Error::internal)?;
    if wants_csv(&req) {
        return respond(&req, text, "text/csv; charset=utf-8");
    }
    let mut reader =
        csv::ReaderBuilder::new().has_headers(true).from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let columns: Vec<String> = report.columns().iter().map(|c| (*c).to_owned()).collect();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(Error::internal)?;
        rows.push(columns.iter().cloned().zip(record.iter().map(str::to_owned)).collect());
    }
    let answer = Report { report: report.as_str().to_owned(), filters: stated, columns, rows, next_cursor: None };
    super::read_answer(&req, &answer)
}

/// A page of the placements report (a data warehouse pulls a month page by page): the
/// rows after the cursor's row, in the file's order, each cell the CSV's text.
async fn page(
    req: HttpRequest,
    pool: web::Data<Pool>,
    clock: web::Data<Clock>,
    report: ReportName,
    params: ReportParams,
) -> Result<HttpResponse, ApiError> {
    if report != ReportName::Placements {
        let whole =
            format!("the {} report comes whole, in one answer (placements come a page at a time)", report.as_str());
        return Err(Error::invalid(if params.cursor.is_some() { "cursor" } else { "limit" }, whole).into());
    }
    if wants_csv(&req) {
        return Err(
            Error::invalid("cursor", "pages come as JSON; with Accept: text/csv the answer is the whole file").into()
        );
    }
    let (after, limit) = key_page_request(params.cursor.as_deref(), params.limit.as_deref(), 2)?;
    let after = after.map(|mut k| {
        let id = k.pop().unwrap_or_default();
        (k.pop().unwrap_or_default(), id)
    });
    let raw = raw_filters(&params);
    let today = clock.today();
    let clock = clock.get_ref().clone();
    let (cells, next, stated) = db::run(&pool, move |c| {
        let f = Filters::read(c, &raw, report.as_str(), report.accepts(), report.needs_cohort(), &clock)?;
        let mut cells: Vec<Vec<String>> = Vec::new();
        let next = placements::page_after(c, &f, today, after, limit, &mut |row| {
            cells.push(row);
            true
        })
        .map_err(Error::from)?;
        Ok::<_, Error>((cells, next, stated_filters(&f)))
    })
    .await?;
    let columns: Vec<String> = report.columns().iter().map(|c| (*c).to_owned()).collect();
    // Each cell as the CSV writes it (a formula-like cell neutralised), as the whole report's.
    let rows = cells
        .into_iter()
        .map(|row| columns.iter().cloned().zip(row.iter().map(|c| neutralise(c).into_owned())).collect())
        .collect();
    let next_cursor = next.map(|(number, id)| encode_key_cursor(&[&number, &id]));
    let answer = Report { report: report.as_str().to_owned(), filters: stated, columns, rows, next_cursor };
    super::read_answer(&req, &answer)
}

/// The filters as the answer states them.
fn stated_filters(f: &Filters) -> BTreeMap<String, String> {
    f.describe()
        .as_object()
        .map(|m| m.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned())).collect())
        .unwrap_or_default()
}
