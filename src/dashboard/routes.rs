//! `/office/dashboard`: the office's figures as charts, for counselors and admins (anyone
//! else 403). The filters are a GET form (class, college, employer, dates), kept in the
//! address so a view can be shared; a bad value is told beside its field (400) and no
//! figure is shown for filters that could not be read. Never cached by a browser
//! (`no-store`); the server keeps the figures a minute (see [`FIGURES_KEPT`]).

use std::sync::Arc;
use std::time::Duration;

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::store;
use super::views::{self, Panel};
use crate::auth::extract::Staff;
use crate::core::recent::Recent;
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

fn filter_form(colleges: &[String]) -> Form {
    Form::new([
        Field::number("cohort", "Class")
            .inputmode("numeric")
            .optional()
            .hint("e.g. 2026 (graduated July 2025 to June 2026); empty for the three latest classes"),
        Field::select("college", "College", Choices::same(colleges.iter().cloned()))
            .placeholder("Every college")
            .optional(),
        // Typed, not chosen from a list: a university has thousands of partners (a list of
        // them all made the page megabytes long); the reports' check names a wrong one.
        Field::text("employer", "Employer")
            .optional()
            .hint("The employer's name as the catalogue has it; empty for every employer"),
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

/// How long the dashboard's figures are kept before they are worked out again. At
/// 100,000 students they take seconds of database work (every graduate of three classes,
/// every application), and counselors open the page far more often than the figures
/// change; the page says when they were worked out, and the CSVs are always current.
pub const FIGURES_KEPT: Duration = Duration::from_secs(60);

/// The dashboard's figures as recently worked out (one per server; see `core::recent`).
pub struct KeptFigures {
    colleges: Recent<Arc<Vec<String>>>,
    panels: Recent<Arc<(Vec<Panel>, String)>>,
}

impl KeptFigures {
    pub fn new() -> Self {
        KeptFigures { colleges: Recent::new(FIGURES_KEPT), panels: Recent::new(FIGURES_KEPT) }
    }
}

impl Default for KeptFigures {
    fn default() -> Self {
        Self::new()
    }
}

async fn dashboard(
    staff: Staff,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    kept: web::Data<KeptFigures>,
    q: web::Query<DashboardQuery>,
) -> Result<HttpResponse, AppError> {
    let q = q.into_inner();
    let (asked, checking) = (q.clone(), clock.get_ref().clone());
    // On the blocking pool without `db::run`: the kept figures are looked up before a
    // connection is taken, so that a wait for them holds none.
    let (pool_, kept_) = (pool.clone(), kept.clone());
    let (colleges, checked) = web::block(move || -> Result<_, AppError> {
        let colleges = kept_
            .colleges
            .get_or_make("", || Ok::<_, AppError>(Arc::new(store::colleges(&mut *db::connection(&pool_)?)?)))?;
        let checked = check(&mut *db::connection(&pool_)?, &asked, &colleges, &checking);
        Ok((colleges, checked))
    })
    .await
    .map_err(|e| AppError::from(db::Unavailable(e.to_string())))??;
    let form = filter_form(&colleges).with_values(Values::of(&q));
    let at = RunAt::of(&clock);
    let (form, figures, status) = match checked {
        Ok(filters) => {
            // The same filters on the same campus day are the same figures.
            let key = [&q.cohort, &q.college, &q.employer, &q.from, &q.to]
                .iter()
                .fold(at.today.to_string(), |key, v| format!("{key}\u{1f}{}", v.trim()));
            let as_of = clock.format_time(at.now);
            let figures = web::block(move || {
                kept.panels.get_or_make(&key, || {
                    let panels = panels(&mut *db::connection(&pool)?, &filters, at)?;
                    Ok::<_, AppError>(Arc::new((panels, as_of)))
                })
            })
            .await
            .map_err(|e| AppError::from(db::Unavailable(e.to_string())))??;
            (form, Some(figures), StatusCode::OK)
        }
        Err(Error::Invalid(problems)) => (form.with_problems(problems), None, StatusCode::BAD_REQUEST),
        Err(e) => return Err(e.into()),
    };
    let filtered = [&q.cohort, &q.college, &q.employer, &q.from, &q.to].iter().any(|v| !v.trim().is_empty());
    let (panels, as_of) = match &figures {
        Some(f) => (f.0.as_slice(), Some(f.1.as_str())),
        None => (&[][..], None),
    };
    let kept_for = match FIGURES_KEPT.as_secs() / 60 {
        1 => "once a minute".to_owned(),
        n => format!("once every {n} minutes"),
    };
    let view = json!({ "form": form, "panels": panels, "filtered": filtered, "as_of": as_of, "kept_for": kept_for });
    let mut res =
        templates.page_as(status, "dashboard/office", context("The office dashboard", Some(&*staff), view))?;
    res.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    Ok(res)
}
