//! The home page: what the programme is, with the office's headline figures.

use actix_web::{web, HttpResponse};
use diesel::prelude::*;
use serde::Serialize;

use crate::auth::extract::MaybeViewer;
use crate::core::Clock;
use crate::db::schema::{engagements, fairs, offers, opportunities, partnerships, students};
use crate::db::{self, DbConnection, Pool};
use crate::web::pages::context;
use crate::web::{AppError, Templates};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(home_page));
}

/// Aggregate figures only: nothing here identifies a student.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct Figures {
    pub students: i64,
    pub partner_employers: i64,
    pub open_opportunities: i64,
    pub completed_engagements: i64,
    pub offers: i64,
    pub upcoming_fairs: i64,
}

/// The figures on the campus clock: a posting is open through its apply-by date on campus.
pub fn figures(conn: &mut DbConnection, clock: &Clock) -> QueryResult<Figures> {
    let (today, now) = (clock.today(), clock.now_utc());
    Ok(Figures {
        students: students::table.count().get_result(conn)?,
        // An employer has at most one current partnership (a unique index), so this
        // counts employers.
        partner_employers: partnerships::table.filter(partnerships::status.eq("active")).count().get_result(conn)?,
        open_opportunities: opportunities::table
            .filter(opportunities::status.eq("open"))
            .filter(opportunities::apply_by.ge(today))
            .count()
            .get_result(conn)?,
        completed_engagements: engagements::table
            .filter(engagements::status.eq("completed"))
            .count()
            .get_result(conn)?,
        offers: offers::table.count().get_result(conn)?,
        upcoming_fairs: fairs::table
            .filter(fairs::status.eq("published"))
            .filter(fairs::ends_at.gt(now))
            .count()
            .get_result(conn)?,
    })
}

async fn home_page(
    viewer: MaybeViewer,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
) -> Result<HttpResponse, AppError> {
    let clock = clock.get_ref().clone();
    let figures = db::run(&pool, move |conn| figures(conn, &clock).map_err(AppError::from)).await?;
    templates.page(
        "home",
        &context(
            "Micro-internships and career outcomes",
            viewer.signed_in(),
            serde_json::json!({ "figures": figures }),
        ),
    )
}
