//! `/office/dashboard`: the office's figures as charts, for counselors and admins (anyone
//! else 403). The filters are a GET form (class, college, employer, dates), kept in the
//! address so a view can be shared; a bad value is told beside its field (400) and no
//! figure is shown for filters that could not be read. Never cached.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpResponse};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::store::{self, Filters};
use super::views::{self, Panel};
use crate::auth::extract::Staff;
use crate::core::{Clock, Problems};
use crate::db::{self, Pool};
use crate::web::forms::{Choices, Field, Form, Values};
use crate::web::pages::context;
use crate::web::{AppError, Templates};

/// How many graduated classes the dashboard shows when no class is asked for (newest first).
const LATEST_CLASSES: usize = 3;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/office/dashboard", web::get().to(dashboard));
}

/// The filters as the address has them (text, checked here).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct DashboardQuery {
    pub cohort: String,
    pub college: String,
    pub employer: String,
    pub from: String,
    pub to: String,
}

fn filter_form(colleges: &[String], employers: &[(String, String)]) -> Form {
    Form::new([
        Field::number("cohort", "Class")
            .inputmode("numeric")
            .optional()
            .hint("e.g. 2026 (graduated July 2025 to June 2026); empty for the three latest classes"),
        Field::select("college", "College", Choices::same(colleges.iter().cloned()))
            .placeholder("Every college")
            .optional(),
        Field::select(
            "employer",
            "Employer",
            Choices::new(employers.iter().map(|(id, name)| (id.clone(), name.clone()))),
        )
        .placeholder("Every employer")
        .optional(),
        Field::date("from", "From").optional().hint("A campus date: postings opened, projects completed"),
        Field::date("to", "Until").optional().hint("A campus date, included"),
    ])
}

/// Checks every filter at once; problems are keyed by the field's name.
fn check(
    q: &DashboardQuery,
    colleges: &[String],
    employers: &[(String, String)],
    clock: &Clock,
) -> Result<Filters, Problems> {
    let mut problems = Problems::new();
    let cohort = match q.cohort.trim() {
        "" => None,
        raw => problems.take(
            "cohort",
            raw.parse::<i32>()
                .ok()
                .filter(|y| (1900..=9999).contains(y))
                .ok_or_else(|| format!("`{raw}` is not a year (e.g. 2026)")),
        ),
    };
    let college = match q.college.as_str() {
        "" => None,
        c if colleges.iter().any(|x| x == c) => Some(c.to_owned()),
        c => {
            problems.add("college", format!("no student is in a college called `{c}`"));
            None
        }
    };
    let employer = match q.employer.as_str() {
        "" => None,
        e if employers.iter().any(|(id, _)| id == e) => Some(e.to_owned()),
        _ => {
            problems.add("employer", "is not an employer of the catalogue");
            None
        }
    };
    let date = |field: &str, raw: &str, problems: &mut Problems| match raw.trim() {
        "" => None,
        d => problems.take(
            field,
            NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| format!("`{d}` is not a date like 2026-09-01")),
        ),
    };
    let from = date("from", &q.from, &mut problems);
    let to = date("to", &q.to, &mut problems);
    if let (Some(f), Some(t)) = (from, to) {
        if t < f {
            problems.add("to", "is before the From date");
        }
    }
    if !problems.as_slice().is_empty() {
        return Err(problems);
    }
    Ok(Filters {
        cohort,
        college,
        employer,
        from,
        to,
        from_at: from.map(|d| clock.start_of_campus_day(d)),
        until_at: to.map(|d| clock.end_of_campus_day(d)),
    })
}

/// Every panel of the dashboard for these filters, in the page's order: each class's
/// rates (the class asked for, or the latest graduated ones), the funnel, conversion by
/// employer. (A new chart is one more line here.)
fn panels(conn: &mut db::DbConnection, f: &Filters, today: NaiveDate) -> diesel::QueryResult<Vec<Panel>> {
    let classes = match f.cohort {
        Some(c) => vec![c],
        None => {
            let mut latest = store::graduated_classes(conn, today)?;
            latest.truncate(LATEST_CLASSES);
            latest
        }
    };
    let mut out = Vec::new();
    for class in &classes {
        let rows = store::rates(conn, *class, f.college.as_deref(), today)?;
        out.push(views::rates_panel(Some(*class), f.college.as_deref(), &rows));
    }
    if classes.is_empty() {
        out.push(views::rates_panel(None, f.college.as_deref(), &[]));
    }
    out.push(views::funnel_panel(f, &store::funnel(conn, f)?));
    let (by_employer, all) = store::conversions_by_employer(conn, f)?;
    out.push(views::conversion_panel(f, &by_employer, &all));
    Ok(out)
}

async fn dashboard(
    staff: Staff,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    q: web::Query<DashboardQuery>,
) -> Result<HttpResponse, AppError> {
    let q = q.into_inner();
    let (colleges, employers) =
        db::run(&pool, |c| -> Result<_, AppError> { Ok((store::colleges(c)?, store::employers(c)?)) }).await?;
    let form = filter_form(&colleges, &employers).with_values(Values::of(&q));
    let today = clock.today();
    let (form, panels, status) = match check(&q, &colleges, &employers, &clock) {
        Ok(filters) => {
            let panels = db::run(&pool, move |c| panels(c, &filters, today).map_err(AppError::from)).await?;
            (form, panels, StatusCode::OK)
        }
        Err(problems) => (form.with_problems(problems), Vec::new(), StatusCode::BAD_REQUEST),
    };
    let filtered = [&q.cohort, &q.college, &q.employer, &q.from, &q.to].iter().any(|v| !v.trim().is_empty());
    let view = json!({ "form": form, "panels": panels, "filtered": filtered });
    let mut res =
        templates.page_as(status, "dashboard/office", &context("The office dashboard", Some(&*staff), view))?;
    res.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    Ok(res)
}
