//! The office's list of all projects (`/projects`), filtered by status, employer,
//! overdue and unpaid, a page at a time; each opens its project's page.

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::auth::extract::EmployerStaff;
use crate::core::{Clock, EmployerId, EngagementId, StudentId};
use crate::db::{self, Pool};
use crate::opportunities::projects::{self, ProjectFilter, ProjectLine, PROJECTS_PAGE};
use crate::opportunities::rules::EngagementStatus;
use crate::opportunities::views::Labelled;
use crate::web::pages::{context, Pager};
use crate::web::{AppError, Templates};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/projects", web::get().to(projects_page));
}

/// The list's parameters as a link or the filter form carries them.
#[derive(Debug, Default, Deserialize, Serialize)]
struct ProjectsQuery {
    #[serde(default)]
    status: String,
    #[serde(default)]
    employer: String,
    #[serde(default)]
    overdue: String,
    #[serde(default)]
    unpaid: String,
    page: Option<String>,
}

/// `opportunities/projects`.
#[derive(Debug, Serialize)]
struct ProjectsPage {
    statuses: Vec<StatusChoice>,
    employers: Vec<EmployerChoice>,
    overdue: bool,
    unpaid: bool,
    filtered: bool,
    rows: Vec<ProjectRow>,
    pager: Pager,
}

/// A project status in the filter's list, in people's words.
#[derive(Debug, Serialize)]
struct StatusChoice {
    value: &'static str,
    label: &'static str,
    selected: bool,
}

#[derive(Debug, Serialize)]
struct EmployerChoice {
    value: EmployerId,
    label: String,
    selected: bool,
}

#[derive(Debug, Serialize)]
struct ProjectRow {
    id: EngagementId,
    title: String,
    employer: String,
    student_id: StudentId,
    student: String,
    status: Labelled,
    due_on: NaiveDate,
    overdue: bool,
    paid_on: Option<NaiveDate>,
    fee_cents: i64,
    currency: String,
}

impl ProjectRow {
    fn new(p: ProjectLine, today: NaiveDate) -> Self {
        let still_to_deliver = matches!(p.status, EngagementStatus::Active | EngagementStatus::RevisionRequested);
        ProjectRow {
            overdue: still_to_deliver && p.due_on < today,
            id: p.id,
            title: p.title,
            employer: p.employer,
            student_id: p.student_id,
            student: p.student,
            status: p.status.into(),
            due_on: p.due_on,
            paid_on: p.paid_on,
            fee_cents: p.fee_cents,
            currency: p.currency,
        }
    }
}

async fn projects_page(
    req: HttpRequest,
    staff: EmployerStaff,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    q: web::Query<ProjectsQuery>,
) -> Result<HttpResponse, AppError> {
    let q = q.into_inner();
    let today = clock.today();
    // An unknown status or employer narrows nothing (a stale link still shows a list).
    let filter = ProjectFilter {
        status: q.status.parse::<EngagementStatus>().ok(),
        employer: (!q.employer.trim().is_empty()).then(|| EmployerId::from(q.employer.trim())),
        overdue: !q.overdue.is_empty(),
        unpaid: !q.unpaid.is_empty(),
        today,
    };
    let f = filter.clone();
    let (total, employers) = db::run(&pool, move |c| -> Result<_, AppError> {
        Ok((projects::count(c, &f)?, projects::employers_with_projects(c)?))
    })
    .await?;
    let pager = Pager::new(
        Pager::page_of(q.page.as_deref()),
        total,
        PROJECTS_PAGE,
        &Pager::base(req.path(), req.query_string()),
    );
    if let Some(r) = pager.redirect_if_clamped() {
        return Ok(r);
    }
    let (f, at) = (filter.clone(), pager.page);
    let lines = db::run(&pool, move |c| projects::list(c, &f, at).map_err(AppError::from)).await?;
    let view = ProjectsPage {
        statuses: EngagementStatus::ALL
            .iter()
            .map(|s| StatusChoice { value: s.as_str(), label: s.label(), selected: filter.status == Some(*s) })
            .collect(),
        employers: employers
            .into_iter()
            .map(|(id, name)| EmployerChoice {
                selected: filter.employer.as_ref() == Some(&id),
                value: id,
                label: name,
            })
            .collect(),
        overdue: filter.overdue,
        unpaid: filter.unpaid,
        filtered: filter.status.is_some() || filter.employer.is_some() || filter.overdue || filter.unpaid,
        rows: lines.into_iter().map(|p| ProjectRow::new(p, today)).collect(),
        pager,
    };
    templates.page("opportunities/projects", context("Projects", Some(&staff), &view))
}
