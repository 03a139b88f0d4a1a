//! The API's writes: a roster batch (the SIS) and an outcomes batch (a survey tool or
//! the warehouse), each all or nothing, checked exactly as the CSV imports check their
//! files (they share the import's code); each problem names its item's index and field.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::json;

use crate::api::extract::{ApiToken, OutcomesWrite, RosterWrite};
use crate::api::problem::{read_json, ApiError, InvalidField, Problem};
use crate::api::types::{BatchDone, OutcomesBatch, StudentsBatch};
use crate::core::{Clock, Error, Problems};
use crate::csv_import::{ImportCounts, ReadRows};
use crate::db::{self, Pool};
use crate::outcomes::import::{import_rows, Row};
use crate::students::import::import_roster_rows;
use crate::students::rules::RosterRow;

/// The name the imports give the batch where a file's name would be: problems come back
/// as `api:INDEX: field`, read back into [`InvalidField`]s here.
const SOURCE: &str = "api";

/// The most items of one batch.
pub const MAX_ITEMS: usize = 5000;

/// A batch's problems, each with its item's index where it has one.
fn item_problems(problems: Problems) -> Vec<InvalidField> {
    let prefix = format!("{SOURCE}:");
    problems
        .into_iter()
        .map(|p| {
            let placed = p.field.strip_prefix(&prefix).and_then(|rest| {
                let (index, field) = rest.split_once(": ")?;
                Some((index.parse::<u64>().ok()?, field.to_owned()))
            });
            match placed {
                Some((index, field)) => InvalidField { field, problem: p.problem, index: Some(index) },
                None => InvalidField { field: p.field, problem: p.problem, index: None },
            }
        })
        .collect()
}

/// Fields of a batch's items that hold a NUL character (no text may: PostgreSQL refuses it).
fn nul_problems<T: serde::Serialize>(items: &[T]) -> Result<(), ApiError> {
    let mut errors = Vec::new();
    for (i, item) in items.iter().enumerate() {
        if let Ok(serde_json::Value::Object(fields)) = serde_json::to_value(item) {
            for (field, value) in fields {
                if value.as_str().is_some_and(|s| s.contains('\0')) {
                    errors.push(InvalidField {
                        field,
                        problem: "must not contain a NUL character".into(),
                        index: Some(i as u64),
                    });
                }
            }
        }
    }
    if errors.is_empty() {
        return Ok(());
    }
    let detail = format!("Nothing was written: {} problem(s) in the batch; see errors.", errors.len());
    Err(ApiError::Problem(Problem::new(StatusCode::UNPROCESSABLE_ENTITY, detail).with_errors(errors)))
}

fn refused(problems: Problems) -> ApiError {
    let errors = item_problems(problems);
    let detail = format!("Nothing was written: {} problem(s) in the batch; see errors.", errors.len());
    ApiError::Problem(Problem::new(StatusCode::UNPROCESSABLE_ENTITY, detail).with_errors(errors))
}

fn batch_size(field: &str, n: usize) -> Result<(), ApiError> {
    let problem = match n {
        0 => "is empty: send at least one item".to_owned(),
        n if n > MAX_ITEMS => format!("holds {n} items; send at most {MAX_ITEMS} a batch"),
        _ => return Ok(()),
    };
    Err(Error::invalid(field, problem).into())
}

fn done(result: Result<ImportCounts, Error>) -> Result<HttpResponse, ApiError> {
    match result {
        Ok(c) => {
            Ok(HttpResponse::Ok().json(BatchDone { created: c.created, updated: c.updated, unchanged: c.unchanged }))
        }
        Err(Error::Invalid(problems)) => Err(refused(problems)),
        Err(e) => Err(e.into()),
    }
}

/// Adds or updates students by student number: all or nothing, the roster CSV's checks.
#[utoipa::path(
    post,
    path = "/api/v1/students",
    tag = "roster",
    request_body = StudentsBatch,
    responses((status = 200, description = "Every student written", body = BatchDone)),
    security(("bearer" = ["roster:write"]))
)]
pub async fn upsert_students(
    token: ApiToken<RosterWrite>,
    req: HttpRequest,
    pool: web::Data<Pool>,
    clock: web::Data<Clock>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let items = read_json::<StudentsBatch>(&req, &body)?.students;
    batch_size("students", items.len())?;
    nul_problems(&items)?;
    let rows = items
        .into_iter()
        .enumerate()
        .map(|(i, s)| {
            let row = RosterRow {
                student_number: s.student_number,
                email: s.email,
                name: s.name,
                college: s.college,
                major: s.major,
                class_year: s.class_year.map(|y| y.to_string()).unwrap_or_default(),
                graduation_term: s.graduation_term,
            };
            (i as u64, row)
        })
        .collect();
    let (actor, now) = (token.actor, clock.now_utc());
    let read = ReadRows { rows, problems: vec![] };
    done(db::run(&pool, move |c| Ok::<_, Error>(import_roster_rows(c, SOURCE, read, &actor, now))).await?)
}

/// Records graduates' outcomes: all or nothing, the outcomes CSV's checks; an item that
/// matches a recorded outcome updates it, so sending a batch again changes nothing.
#[utoipa::path(
    post,
    path = "/api/v1/outcomes",
    tag = "outcomes",
    request_body = OutcomesBatch,
    responses((status = 200, description = "Every outcome written", body = BatchDone)),
    security(("bearer" = ["outcomes:write"]))
)]
pub async fn upsert_outcomes(
    token: ApiToken<OutcomesWrite>,
    req: HttpRequest,
    pool: web::Data<Pool>,
    clock: web::Data<Clock>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let items = read_json::<OutcomesBatch>(&req, &body)?.outcomes;
    batch_size("outcomes", items.len())?;
    nul_problems(&items)?;
    let mut rows = Vec::with_capacity(items.len());
    for (i, o) in items.into_iter().enumerate() {
        // The import's row, read as the CSV reads a line (every cell text).
        let row: Row = serde_json::from_value(json!({
            "student_number": o.student_number,
            "category": o.category,
            "source": o.source,
            "known_on": o.known_on,
            "employment_type": o.employment_type,
            "organization": o.organization,
            "job_title": o.job_title,
            "start_on": o.start_on,
            "annual_salary": o.annual_salary,
            "currency": o.currency,
            "primary": o.primary.map(|p| p.to_string()),
            "offer_on": o.offer_on,
            "accepted_on": o.accepted_on,
        }))
        .map_err(Error::internal)?;
        rows.push((i as u64, row));
    }
    let (actor, clock) = (token.actor, clock.get_ref().clone());
    let (today, now) = (clock.today(), clock.now_utc());
    done(db::run(&pool, move |c| Ok::<_, Error>(import_rows(c, SOURCE, rows, vec![], &actor, today, now))).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_are_placed_on_their_items() {
        let mut p = Problems::new();
        p.add("api:3: email", "is required");
        p.add("students", "is empty");
        assert_eq!(
            item_problems(p),
            [
                InvalidField { field: "email".into(), problem: "is required".into(), index: Some(3) },
                InvalidField { field: "students".into(), problem: "is empty".into(), index: None },
            ]
        );
    }
}
