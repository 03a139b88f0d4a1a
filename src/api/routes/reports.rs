//! `/api/v1/reports/{name}`: each report of the office as JSON (its columns, and each
//! row's cells by column: the CSV's very text) or, with `Accept: text/csv`, the very bytes
//! of the portal's CSV. A report is one line of [`REPORTS`]: its name, its columns, and
//! how its filters are read into the run that emits its rows.

use std::collections::BTreeMap;

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::NaiveDate;

use super::respond;
use crate::api::extract::{ApiToken, ReportsRead};
use crate::api::problem::ApiError;
use crate::api::types::{Report, ReportParams};
use crate::core::{Clock, Error, Problems};
use crate::db::{self, DbConnection, Pool};
use crate::reports::csv_out::{self, BOM};
use crate::reports::first_destination::{self, Filters, GroupBy};

/// What a report's run is given: a connection, campus today, and where each row goes.
type Run = Box<
    dyn FnOnce(&mut DbConnection, NaiveDate, &mut dyn FnMut(Vec<String>) -> bool) -> diesel::QueryResult<u64> + Send,
>;

/// A report's run, and its filters as the answer states them.
type Prepared = (Run, BTreeMap<String, String>);

/// One report: its name in the path, its columns, and how its filters become a run
/// (every problem of the filters at once) plus the filters as the answer states them.
pub struct ReportKind {
    pub name: &'static str,
    pub columns: &'static [&'static str],
    pub prepare: fn(&ReportParams) -> Result<Prepared, Error>,
}

/// Every report the API serves.
pub const REPORTS: &[ReportKind] =
    &[ReportKind { name: "first-destination", columns: &first_destination::COLUMNS, prepare: first_destination }];

/// The names of [`REPORTS`], for the OpenAPI document.
pub fn names() -> Vec<&'static str> {
    REPORTS.iter().map(|r| r.name).collect()
}

/// The class asked for (required): a year.
fn class_of(raw: Option<&str>, problems: &mut Problems) -> Option<i32> {
    let raw = raw.unwrap_or("").trim();
    if raw.is_empty() {
        problems.add("class", "is required (a year, e.g. class=2026)");
        return None;
    }
    let year = raw.parse::<i32>().ok().filter(|y| (1900..=9999).contains(y));
    if year.is_none() {
        problems.add("class", format!("`{raw}` is not a year (e.g. 2026)"));
    }
    year
}

fn first_destination(p: &ReportParams) -> Result<Prepared, Error> {
    let mut problems = Problems::new();
    let class = class_of(p.class.as_deref(), &mut problems);
    let group_by = match GroupBy::parse(p.group_by.as_deref()) {
        Ok(g) => Some(g),
        Err(Error::Invalid(ps)) => {
            problems.extend(ps);
            None
        }
        Err(e) => return Err(e),
    };
    problems.check()?;
    let (Some(class), Some(group_by)) = (class, group_by) else { return Err(Error::internal("checked filters")) };
    let filters = Filters { class, group_by };
    let stated = BTreeMap::from([
        ("class".to_owned(), class.to_string()),
        ("group_by".to_owned(), group_by.as_str().to_owned()),
    ]);
    Ok((Box::new(move |c, today, emit| first_destination::rows(c, filters, today, emit)), stated))
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
    let kind = REPORTS.iter().find(|r| r.name == name.as_str()).ok_or(Error::NotFound)?;
    let (run, filters) = (kind.prepare)(&params)?;
    let today = clock.today();
    let rows = db::run(&pool, move |c| {
        let mut rows: Vec<Vec<String>> = Vec::new();
        run(c, today, &mut |cells| {
            rows.push(cells);
            true
        })
        .map_err(Error::from)?;
        Ok::<_, Error>(rows)
    })
    .await?;
    if wants_csv(&req) {
        let mut bytes = BOM.as_bytes().to_vec();
        bytes.extend(csv_out::record(kind.columns));
        rows.iter().for_each(|cells| bytes.extend(csv_out::record(cells)));
        let text = String::from_utf8(bytes).map_err(Error::internal)?;
        return respond(&req, text, "text/csv; charset=utf-8");
    }
    let columns: Vec<String> = kind.columns.iter().map(|c| (*c).to_owned()).collect();
    let rows = rows.into_iter().map(|cells| columns.iter().cloned().zip(cells).collect()).collect();
    let report = Report { report: kind.name.to_owned(), filters, columns, rows };
    super::read_answer(&req, &report)
}
