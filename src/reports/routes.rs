//! `/reports/{name}.csv`: counselors and admins download the reports (others are refused:
//! 403). The file streams: a blocking task reads the database a page at a time and hands
//! each record to the response through a small channel, so memory stays constant. Every
//! download is an audit event (who, which report, which filters, how many rows).

use actix_web::http::header;
use actix_web::web::Bytes;
use actix_web::{web, HttpResponse};
use serde::Deserialize;

use super::csv_out::{self, BOM};
use super::first_destination::{self, Filters, GroupBy};
use crate::audit;
use crate::auth::extract::{Require, StaffRule};
use crate::core::{Actor, Clock, Error};
use crate::db::Pool;
use crate::web::AppError;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/reports/first-destination.csv", web::get().to(first_destination_csv));
}

#[derive(Debug, Deserialize)]
struct Query {
    class: Option<String>,
    cohort: Option<String>,
    group_by: Option<String>,
}

/// The class asked for: `class` (or `cohort`), a year.
fn class_of(q: &Query) -> Result<i32, Error> {
    let raw = q.class.as_deref().or(q.cohort.as_deref()).unwrap_or("").trim();
    if raw.is_empty() {
        return Err(Error::invalid("class", "is required (a year, e.g. class=2026)"));
    }
    raw.parse::<i32>()
        .ok()
        .filter(|y| (1900..=9999).contains(y))
        .ok_or_else(|| Error::invalid("class", format!("`{raw}` is not a year (e.g. 2026)")))
}

async fn first_destination_csv(
    staff: Require<StaffRule>,
    pool: web::Data<Pool>,
    clock: web::Data<Clock>,
    query: web::Query<Query>,
) -> Result<HttpResponse, AppError> {
    let q = query.into_inner();
    let filters = match (class_of(&q), GroupBy::parse(q.group_by.as_deref())) {
        (Ok(class), Ok(group_by)) => Filters { class, group_by },
        (a, b) => return Ok(bad_filters([a.err(), b.err()])),
    };
    let (today, now) = (clock.today(), clock.now_utc());
    let actor = staff.principal.actor();
    let name = format!("first-destination_class-{}_by-{}_{today}.csv", filters.class, filters.group_by.as_str());
    let body = stream(pool.get_ref().clone(), move |conn, send| {
        send(Bytes::from_static(BOM.as_bytes()));
        send(Bytes::from(csv_out::record(&first_destination::COLUMNS)));
        let rows =
            first_destination::rows(conn, filters, today, &mut |cells| send(Bytes::from(csv_out::record(&cells))))?;
        audited(
            conn,
            &actor,
            "first-destination",
            serde_json::json!({ "class": filters.class, "group_by": filters.group_by.as_str() }),
            rows,
            now,
        )
    });
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
        .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .streaming(body))
}

/// Bad filters: 400, every problem told ("class: `x` is not a year (e.g. 2026)").
fn bad_filters(errors: [Option<Error>; 2]) -> HttpResponse {
    let mut lines = Vec::new();
    for e in errors.into_iter().flatten() {
        match e {
            Error::Invalid(p) => lines.extend(p.as_slice().iter().map(|p| format!("{}: {}", p.field, p.problem))),
            other => lines.push(other.to_string()),
        }
    }
    // The site's error page (or plain text for a script) says exactly what is wrong.
    let message = lines.join("; ");
    let mut res = HttpResponse::BadRequest().content_type("text/plain; charset=utf-8").body(message.clone());
    res.extensions_mut().insert(crate::web::error::PublicMessage(message));
    res
}

fn audited(
    conn: &mut crate::db::DbConnection,
    actor: &Actor,
    report: &str,
    filters: serde_json::Value,
    rows: u64,
    now: chrono::NaiveDateTime,
) -> diesel::QueryResult<()> {
    audit::record(
        conn,
        audit::Event {
            actor,
            action: "report.downloaded",
            subject_type: "report",
            subject_id: Some(report),
            ip: None,
            at: now,
            details: serde_json::json!({ "report": report, "filters": filters, "rows": rows }),
        },
    )
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
