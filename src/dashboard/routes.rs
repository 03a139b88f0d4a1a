//! `/office/dashboard`: the office's figures as charts, for counselors and admins (anyone
//! else 403). The filters are a GET form (class, college, employer, dates), kept in the
//! address so a view can be shared; a bad value is told beside its field (400) and no
//! figure is shown for filters that could not be read. Never cached.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::store;
use super::views::{self, Panel};
use crate::auth::extract::Staff;
use crate::core::{Clock, Error, Problems};
use crate::db::{self, Pool};
use crate::reports::filters::{Filter, Filters, RawFilters};
use crate::reports::registry::RunAt;
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

fn filter_form(colleges: &[String], employers: &[String]) -> Form {
    Form::new([
        Field::number("cohort", "Class")
            .inputmode("numeric")
            .optional()
            .hint("e.g. 2026 (graduated July 2025 to June 2026); empty for the three latest classes"),
        Field::select("college", "College", Choices::same(colleges.iter().cloned()))
            .placeholder("Every college")
            .optional(),
        Field::select("employer", "Employer", Choices::same(employers.iter().cloned()))
            .placeholder("Every employer")
            .optional(),
        Field::date("from", "From")
            .optional()
            .hint("A campus date: postings opened, projects completed, fair sessions started"),
        Field::date("to", "Until").optional().hint("A campus date, included"),
    ])
}

/// The filters the dashboard takes: those of the conversions report (which the funnel
/// and the fair attendance narrow to what applies to them).
const FILTERS: [Filter; 5] = [Filter::Cohort, Filter::College, Filter::Employer, Filter::From, Filter::To];

/// The reports' own check of every filter at once (the employer found in the catalogue by
/// name), and a college no student is in (the form offers only theirs). Problems are keyed
/// by the field's name, so the form tells each beside its field.
fn check(
    conn: &mut db::DbConnection,
    q: &DashboardQuery,
    colleges: &[String],
    clock: &Clock,
) -> Result<Filters, Error> {
    let text = |v: &str| Some(v.to_owned());
    let raw = RawFilters {
        cohort: text(&q.cohort),
        college: text(&q.college),
        employer: text(&q.employer),
        from: text(&q.from),
        to: text(&q.to),
        ..RawFilters::default()
    };
    let read = Filters::read(conn, &raw, "dashboard", &FILTERS, false, clock);
    let college = q.college.trim();
    if college.is_empty() || colleges.iter().any(|c| c == college) {
        return read;
    }
    let mut problems = match read {
        Ok(_) => Problems::new(),
        Err(Error::Invalid(p)) => p,
        Err(e) => return Err(e),
    };
    problems.add("college", format!("no student is in a college called `{college}`"));
    Err(Error::Invalid(problems))
}

/// Every panel of the dashboard for these filters, in the page's order: each class's
/// rates (the class asked for, or the latest graduated ones), the funnel, conversion by
/// employer, fair attendance. (A new chart is one more line here.)
fn panels(conn: &mut db::DbConnection, f: &Filters, at: RunAt) -> diesel::QueryResult<Vec<Panel>> {
    let classes = match f.cohort {
        Some(c) => vec![c],
        None => {
            let mut latest = store::graduated_classes(conn, at.today)?;
            latest.truncate(LATEST_CLASSES);
            latest
        }
    };
    let mut out = Vec::new();
    for class in &classes {
        let rows = store::rates(conn, *class, f.college.as_deref(), at.today)?;
        out.push(views::rates_panel(Some(*class), f.college.as_deref(), &rows));
    }
    if classes.is_empty() {
        out.push(views::rates_panel(None, f.college.as_deref(), &[]));
    }
    out.push(views::funnel_panel(f, &store::funnel(conn, f, at.today)?));
    let (by_employer, all) = store::conversions(conn, f, at.today)?;
    out.push(views::conversion_panel(f, &by_employer, all.as_ref()));
    out.push(views::attendance_panel(f, &store::fair_sessions(conn, f, at.now)?));
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
    let (asked, checking) = (q.clone(), clock.get_ref().clone());
    let (colleges, employers, checked) = db::run(&pool, move |c| -> Result<_, AppError> {
        let colleges = store::colleges(c)?;
        let checked = check(c, &asked, &colleges, &checking);
        Ok((colleges, store::employers(c)?, checked))
    })
    .await?;
    let form = filter_form(&colleges, &employers).with_values(Values::of(&q));
    let at = RunAt::of(&clock);
    let (form, panels, status) = match checked {
        Ok(filters) => {
            let panels = db::run(&pool, move |c| panels(c, &filters, at).map_err(AppError::from)).await?;
            (form, panels, StatusCode::OK)
        }
        Err(Error::Invalid(problems)) => (form.with_problems(problems), Vec::new(), StatusCode::BAD_REQUEST),
        Err(e) => return Err(e.into()),
    };
    let filtered = [&q.cohort, &q.college, &q.employer, &q.from, &q.to].iter().any(|v| !v.trim().is_empty());
    let view = json!({ "form": form, "panels": panels, "filtered": filtered });
    let mut res =
        templates.page_as(status, "dashboard/office", &context("The office dashboard", Some(&*staff), view))?;
    res.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    Ok(res)
}
