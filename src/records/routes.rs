//! The office's student pages: the lookup (`/students?q=`, a page at a time) and a
//! student's page (`/students/{id}`: applications, projects, endorsements). Student
//! records are the office's: a recruiter learns nothing (404), anyone else is refused
//! (403). Both pages are education records and are never cached.

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::store::{self as records, LOOKUP_PAGE};
use super::views::{FoundRow, LookupPage, StudentPage};
use crate::auth::extract::{Require, Rule};
use crate::auth::users::Principal;
use crate::core::{Error, Role, StudentId};
use crate::db::{self, Pool};
use crate::web::pages::{context, Pager};
use crate::web::{AppError, Templates};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/students", web::get().to(lookup)).route("/students/{id}", web::get().to(student_page));
}

/// Counselors and admins; a recruiter probing student ids learns nothing (404).
pub struct StudentRecordsRule;
impl Rule for StudentRecordsRule {
    fn allows(p: &Principal) -> bool {
        p.is_staff()
    }
    fn refusal(p: &Principal) -> Error {
        if p.has(Role::Recruiter) {
            Error::NotFound
        } else {
            Error::Forbidden
        }
    }
}
type Office = Require<StudentRecordsRule>;

#[derive(Debug, Deserialize)]
struct LookupQuery {
    #[serde(default)]
    q: String,
    page: Option<String>,
}

fn no_store(mut r: HttpResponse) -> HttpResponse {
    r.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    r
}

async fn lookup(
    req: HttpRequest,
    office: Office,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    query: web::Query<LookupQuery>,
) -> Result<HttpResponse, AppError> {
    let LookupQuery { q, page } = query.into_inner();
    let text = q.clone();
    let total = db::run(&pool, move |c| records::lookup_count(c, &text).map_err(AppError::from)).await?;
    let pager =
        Pager::new(Pager::page_of(page.as_deref()), total, LOOKUP_PAGE, &Pager::base(req.path(), req.query_string()));
    if let Some(r) = pager.redirect_if_clamped() {
        return Ok(r);
    }
    let (text, at) = (q.clone(), pager.page);
    let found = db::run(&pool, move |c| records::lookup(c, &text, at).map_err(AppError::from)).await?;
    let view = LookupPage { q, students: found.into_iter().map(FoundRow::from).collect(), pager };
    Ok(no_store(templates.page("students/lookup", context("Students", Some(&office), &view))?))
}

async fn student_page(
    office: Office,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = StudentId::from(path.into_inner());
    let record = db::run(&pool, move |c| records::record(c, &id).map_err(AppError::from)).await?;
    let view = StudentPage::from(record.ok_or(Error::NotFound)?);
    let title = view.name.clone();
    Ok(no_store(templates.page("students/student", context(&title, Some(&office), &view))?))
}
