//! `/account`: who you are to Waypoint (your roles, your employer) and, for students,
//! your roster record.

use actix_web::{web, HttpResponse};

use crate::auth::extract::Viewer;
use crate::auth::users;
use crate::auth::views::AccountPage;
use crate::db::{self, Pool};
use crate::web::pages::context;
use crate::web::{AppError, Templates};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/account", web::get().to(account));
}

async fn account(
    viewer: Viewer,
    templates: web::Data<Templates>,
    pool: web::Data<Pool>,
) -> Result<HttpResponse, AppError> {
    let student_id = viewer.principal.student_id.clone();
    let student = db::run(&pool, move |conn| match student_id {
        Some(id) => users::roster_facts(conn, &id).map(Some).map_err(AppError::from),
        None => Ok(None),
    })
    .await?;
    templates.page("auth/account", context("My account", Some(&viewer), AccountPage::new(&viewer.principal, student)))
}
