//! The home page: what the programme is, with the office's headline figures.

pub mod views;

use actix_web::{web, HttpResponse};
use diesel::prelude::*;

use self::views::{Figures, HomePage};
use crate::auth::extract::MaybeViewer;
use crate::core::Clock;
use crate::db::schema::{engagements, fairs, offers, opportunities, partnerships};
use crate::db::{self, DbConnection, Pool};
use crate::partners::rules::PartnershipStatus;
use crate::students;
use crate::web::pages::context;
use crate::web::{AppError, Templates};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(home_page));
}

/// The figures on the campus clock: a posting is open through its apply-by date on campus.
pub fn figures(conn: &mut DbConnection, clock: &Clock) -> QueryResult<Figures> {
    let (today, now) = (clock.today(), clock.now_utc());
    Ok(Figures {
        students: students::store::count(conn)?,
        // An employer has at most one current partnership (a unique index), so this
        // counts employers.
        partner_employers: partnerships::table
            .filter(partnerships::status.eq(PartnershipStatus::Active))
            .count()
            .get_result(conn)?,
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
    let view = HomePage { figures };
    templates.page("home", &context("Micro-internships and career outcomes", viewer.signed_in(), &view))
}
