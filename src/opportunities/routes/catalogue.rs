//! The students' catalogue (`/opportunities`) and a posting's page in it, with the apply
//! box for a student. Students, faculty and the office browse it.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use crate::auth::extract::{Browser, Viewer};
use crate::core::{Clock, Error, OpportunityId, Problems, Role};
use crate::db::{self, Pool};
use crate::opportunities::catalogue::{self, CatalogueQuery};
use crate::opportunities::rules::catalogue::parse;
use crate::opportunities::views::{CataloguePage, FilterErrors, ListingCard, ListingPage};
use crate::web::forms::Values;
use crate::web::pages::{context, html, list_base, Pager};
use crate::web::{AppError, Templates};

pub(super) async fn catalogue_page(
    viewer: Browser,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    q: web::Query<CatalogueQuery>,
) -> Result<HttpResponse, AppError> {
    let mut query = q.into_inner();
    let (mut search, problems) = parse(&query);
    search.page = Pager::page_of(Some(&query.page));
    let student_id = viewer.principal.student_id.clone();
    let s = search.clone();
    // Open means the apply-by date has not passed on campus.
    let today = clock.today();
    let (rows, total, industries, me, endorsed) = db::run(&pool, move |conn| -> Result<_, Error> {
        let me = catalogue::facts_of(conn, student_id.as_ref())?;
        let mut s = s;
        // A student's endorsed skills: the signal on each posting, and their filter.
        let endorsed = match (&me, &student_id) {
            (Some(_), Some(id)) => crate::endorsements::store::endorsed_skills(conn, id)?,
            _ => Vec::new(),
        };
        s.endorsed_skills = endorsed.clone();
        let (rows, total) = catalogue::search(conn, &s, me.as_ref(), today)?;
        Ok((rows, total, catalogue::industries(conn)?, me, endorsed))
    })
    .await?;
    query.page = String::new();
    let base = list_base("/opportunities", &query);
    let status = if problems.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    // "Page 99 of 2" goes to page 2, with the same search.
    let pager = Pager::new(search.page, total, catalogue::PAGE, &base);
    if let Some(r) = pager.redirect_if_clamped() {
        return Ok(r);
    }
    let page = CataloguePage {
        rows: rows
            .into_iter()
            .map(|r| {
                let skills = r.skills.clone();
                let card = ListingCard::new(r, me.as_ref());
                if me.is_some() {
                    card.with_endorsed(&skills, &endorsed)
                } else {
                    card
                }
            })
            .collect(),
        total,
        industries: CataloguePage::industries(industries, &query.industry),
        query,
        is_student: me.is_some(),
        problems,
        pager,
    };
    let filters = FilterErrors::of(&page.problems);
    let mut view = context("Micro-internships", Some(&viewer), page);
    view["filters"] = serde_json::to_value(filters).map_err(AppError::internal)?;
    let body = templates.render("opportunities/catalogue", &view)?;
    Ok(html(status, body))
}

pub(super) async fn listing_page(
    viewer: Browser,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = OpportunityId::from(path.into_inner());
    render_listing(&viewer, &pool, &templates, &clock, id, None).await
}

/// A posting's page in the catalogue; `back`: the application form as it was sent, with
/// its problems (the page is then answered 422).
pub(super) async fn render_listing(
    viewer: &Viewer,
    pool: &Pool,
    templates: &Templates,
    clock: &Clock,
    id: OpportunityId,
    back: Option<(Values, Problems)>,
) -> Result<HttpResponse, AppError> {
    let student_id = viewer.principal.student_id.clone().filter(|_| viewer.principal.has(Role::Student));
    let today = clock.today();
    let (listing, apply) = db::run(pool, move |conn| -> Result<_, Error> {
        let listing = catalogue::listing(conn, &id, today)?.ok_or(Error::NotFound)?;
        // What a student needs to apply: whether they may, whether they did, and their endorsements.
        let apply = match &student_id {
            Some(sid) => Some(catalogue::apply_desk(conn, &listing, sid)?),
            None => None,
        };
        Ok((listing, apply))
    })
    .await?;
    let title = listing.title.clone();
    let status = if back.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let body = templates
        .render("opportunities/listing", &context(&title, Some(viewer), ListingPage::new(listing, apply, back)))?;
    Ok(html(status, body))
}
