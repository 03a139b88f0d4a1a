//! The office's reports in the portal (counselors and admins; anyone else is refused:
//! 403): `/reports` lists them with a filter form whose values make the download links,
//! and `/reports/{name}.csv` streams one. A blocking task reads the database a page at a
//! time and hands each record to the response through a small channel, so memory stays
//! constant. Every download is an audit event (who, which report, which filters, how many
//! rows). `first-destination.csv?class=Y` (the older name of `cohort`) still works.

use actix_web::http::header;
use actix_web::web::Bytes;
use actix_web::{web, HttpResponse};
use serde::Serialize;
use serde_json::json;

use super::filters::{Filter, Filters, RawFilters};
use super::registry::{self, ReportName, RunAt};
use crate::auth::extract::{Require, StaffRule};
use crate::core::{Clock, Error};
use crate::db::{self, Pool};
use crate::web::forms::{Choices, Field, Form, Values};
use crate::web::pages::context;
use crate::web::{AppError, Templates};

type Office = Require<StaffRule>;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/reports", web::get().to(reports_page)).route("/reports/{name}.csv", web::get().to(download));
}

fn no_store(mut r: HttpResponse) -> HttpResponse {
    r.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    r
}

/// Checks the filters for `report` and finds the employer named: every problem at once.
async fn checked(pool: &Pool, raw: &RawFilters, report: ReportName, clock: &Clock) -> Result<Filters, Error> {
    let (raw, clock) = (raw.clone(), clock.clone());
    db::run(pool, move |c| Filters::read(c, &raw, report.as_str(), report.accepts(), report.needs_cohort(), &clock))
        .await
}

async fn download(
    staff: Office,
    pool: web::Data<Pool>,
    clock: web::Data<Clock>,
    name: web::Path<String>,
    query: web::Query<RawFilters>,
) -> Result<HttpResponse, AppError> {
    let report = ReportName::parse(&name).ok_or(Error::NotFound)?;
    let filters = match checked(&pool, &query, report, &clock).await {
        Ok(f) => f,
        Err(Error::Invalid(p)) => {
            return Ok(bad_filters(p.as_slice().iter().map(|p| format!("{}: {}", p.field, p.problem))))
        }
        Err(e) => return Err(e.into()),
    };
    let (today, now) = (clock.today(), clock.now_utc());
    let actor = staff.principal.actor();
    let file = report.file_name(&filters, today);
    let body = stream(pool.get_ref().clone(), move |conn, send| {
        let rows =
            registry::write(conn, report, &filters, RunAt { today, now }, &mut |bytes| send(Bytes::from(bytes)))?;
        registry::audited(conn, &actor, report, &filters, rows, "portal", now)
    });
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
        .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{file}\"")))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .streaming(body))
}

/// Bad filters: 400, every problem told ("cohort: `x` is not a year (e.g. 2026)").
fn bad_filters(lines: impl Iterator<Item = String>) -> HttpResponse {
    // The site's error page (or plain text for a script) says exactly what is wrong.
    let message = lines.collect::<Vec<_>>().join("; ");
    let mut res = HttpResponse::BadRequest().content_type("text/plain; charset=utf-8").body(message.clone());
    res.extensions_mut().insert(crate::web::error::PublicMessage(message));
    res
}

/// Every filter, for the page's form (each report's link keeps those it takes).
const EVERY_FILTER: [Filter; 6] =
    [Filter::Cohort, Filter::GroupBy, Filter::College, Filter::Employer, Filter::From, Filter::To];

fn filter_form() -> Form {
    Form::new([
        Field::number("cohort", "Cohort (class year)")
            .optional()
            .hint("The class of 2026 graduated from July 2025 to June 2026; first destinations need one"),
        Field::select(
            "group_by",
            "Group first destinations by",
            Choices::new([("college", "College"), ("major", "Major")]),
        )
        .optional(),
        Field::text("college", "College").optional().hint("As the roster writes it, e.g. Engineering"),
        Field::text("employer", "Employer").optional().hint("An employer's name as in the catalogue"),
        Field::date("from", "From").optional().hint("Each report says which date it goes by"),
        Field::date("to", "To").optional(),
    ])
}

#[derive(Serialize)]
struct ReportItem {
    name: &'static str,
    title: &'static str,
    description: &'static str,
    filters: String,
    /// The download link with the filters it takes; `None` while the filters are wrong or
    /// it still needs a cohort.
    href: Option<String>,
    needs: Option<&'static str>,
}

fn item(report: ReportName, f: Option<&Filters>, raw: &RawFilters) -> ReportItem {
    let takes: Vec<&str> = report.accepts().iter().map(|x| x.as_str()).collect();
    let labels: Vec<String> = report.accepts().iter().map(|x| x.as_str().replace('_', " ")).collect();
    let given = [
        ("cohort", &raw.cohort),
        ("group_by", &raw.group_by),
        ("college", &raw.college),
        ("employer", &raw.employer),
        ("from", &raw.from),
        ("to", &raw.to),
    ];
    let pairs: Vec<(&str, &str)> = given
        .iter()
        .filter(|(k, _)| takes.contains(k))
        .filter_map(|(k, v)| v.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(|v| (*k, v)))
        .collect();
    let needs =
        (report.needs_cohort() && f.is_some_and(|f| f.cohort.is_none())).then_some("Choose a cohort to download it.");
    let base = format!("/reports/{}.csv", report.as_str());
    let href = match (f, needs) {
        (Some(_), None) if pairs.is_empty() => Some(base),
        (Some(_), None) => Some(format!("{base}?{}", serde_urlencoded::to_string(&pairs).unwrap_or_default())),
        _ => None,
    };
    ReportItem {
        name: report.as_str(),
        title: report.title(),
        description: report.description(),
        filters: labels.join(", "),
        href,
        needs,
    }
}

async fn reports_page(
    staff: Office,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    query: web::Query<RawFilters>,
) -> Result<HttpResponse, AppError> {
    let mut raw = query.into_inner();
    if raw.cohort.is_none() {
        raw.cohort = raw.class.take();
    }
    let (r, clock) = (raw.clone(), clock.get_ref().clone());
    let parsed = db::run(&pool, move |c| Filters::read(c, &r, "any", &EVERY_FILTER, false, &clock)).await;
    let mut form = filter_form().with_values(Values::of(&raw));
    let f = match parsed {
        Ok(f) => Some(f),
        Err(Error::Invalid(p)) => {
            form = form.with_problems(p);
            None
        }
        Err(e) => return Err(e.into()),
    };
    let reports: Vec<ReportItem> = ReportName::ALL.iter().map(|r| item(*r, f.as_ref(), &raw)).collect();
    let view = json!({ "form": form, "reports": reports, "filtered": f.is_some() });
    Ok(no_store(templates.page_as(form.status(), "reports/index", context("Reports", Some(&*staff), &view))?))
}

/// The response body: `write` runs on a blocking thread with a connection and a `send`
/// that hands one chunk to the response (false once the reader has gone). A database
/// error ends the body early, so a client never takes a cut-short file for a whole one.
fn stream<F>(pool: Pool, write: F) -> impl futures_util::Stream<Item = Result<Bytes, std::io::Error>>
where
    F: FnOnce(&mut crate::db::DbConnection, &mut dyn FnMut(Bytes) -> bool) -> diesel::QueryResult<()> + Send + 'static,
{
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(16);
    actix_web::rt::task::spawn_blocking(move || {
        let failed = |e: String| std::io::Error::other(e);
        let mut conn = match pool.get() {
            Ok(c) => c,
            Err(e) => {
                let _ = tx.blocking_send(Err(failed(e.to_string())));
                return;
            }
        };
        let mut send = |b: Bytes| tx.blocking_send(Ok(b)).is_ok();
        if let Err(e) = write(&mut conn, &mut send) {
            tracing::error!(error = %e, "a report stopped early");
            let _ = tx.blocking_send(Err(failed(e.to_string())));
        }
    });
    futures_util::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|item| (item, rx)) })
}
