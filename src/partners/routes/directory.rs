//! The students' partner directory (students, faculty and staff): the active partners,
//! and one partner's profile with its open projects. A partner whose partnership is not
//! active answers 404.

use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};

use super::list_base;
use crate::auth::extract::Browser;
use crate::core::{money, Clock, EmployerId, Error};
use crate::db::{self, Pool};
use crate::opportunities::catalogue::{self, Listing};
use crate::partners::store::directory;
use crate::partners::views::{Choice, DirectoryPage, ListingCard, PartnerCard, PartnerPage};
use crate::web::pages::{context, Pager};
use crate::web::{AppError, Templates};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/partners", web::get().to(partners_page)).route("/partners/{id}", web::get().to(partner_page));
}

#[derive(Debug, Deserialize, Serialize)]
struct PartnersQuery {
    #[serde(default)]
    industry: String,
    #[serde(default)]
    page: String,
}

async fn partners_page(
    viewer: Browser,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    q: web::Query<PartnersQuery>,
) -> Result<HttpResponse, AppError> {
    let page = Pager::page_of(Some(&q.page));
    let industry = Some(q.industry.clone()).filter(|i| !i.is_empty());
    let today = clock.today();
    let (partners, total, industries) = db::run(&pool, move |conn| -> Result<_, AppError> {
        let (partners, total) = directory::page(conn, industry.as_deref(), page, today)?;
        Ok((partners, total, directory::industries(conn)?))
    })
    .await?;
    let base = list_base("/partners", &*q);
    let view = DirectoryPage {
        rows: partners.into_iter().map(PartnerCard::from).collect(),
        industries: industries
            .into_iter()
            .map(|i| Choice { selected: i == q.industry, value: i.clone(), label: i })
            .collect(),
        pager: Pager::new(page, total, directory::PAGE, &base),
    };
    templates.page("partners/partners", context("Employer partners", Some(&viewer), &view))
}

/// An open project of the catalogue as the partner page lists it.
fn card(r: Listing) -> ListingCard {
    ListingCard {
        fee: money::display(r.fee_cents),
        id: r.id,
        title: r.title,
        hours: r.hours,
        currency: r.currency,
        remote: r.remote,
        location: r.location,
        apply_by: r.apply_by,
    }
}

async fn partner_page(
    viewer: Browser,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    path: web::Path<EmployerId>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let today = clock.today();
    let (employer, listings, total, more) = db::run(&pool, move |conn| -> Result<_, AppError> {
        let employer = directory::partner(conn, &id)?.ok_or(Error::NotFound)?;
        // Its open projects as the catalogue has them (the first page, soonest deadline first).
        let search =
            catalogue::Search { employer_id: Some(id), sort: catalogue::Sort::ApplyBy, page: 1, ..Default::default() };
        let page = catalogue::search(conn, &search, None, today)?;
        Ok((employer, page.rows, page.found, page.next.is_some()))
    })
    .await?;
    let title = employer.name.clone();
    let view = PartnerPage {
        more,
        employer: employer.into(),
        listings: listings.into_iter().map(card).collect(),
        total: total.figure(),
    };
    templates.page("partners/partner", context(&title, Some(&viewer), &view))
}
