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
use crate::web::pages::{context, html, list_base, see_other, Pager};
use crate::web::{AppError, Templates};

/// The deepest old numbered page read (deeper ones are read as this one).
const MAX_OLD_PAGE: i64 = 5_000;

/// What the catalogue's query found: a page, or where an old numbered link now lives.
enum Found {
    Page(catalogue::CataloguePage),
    Moved(Option<catalogue::Cursor>),
}

pub(super) async fn catalogue_page(
    viewer: Browser,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    q: web::Query<CatalogueQuery>,
) -> Result<HttpResponse, AppError> {
    let mut query = q.into_inner();
    let (mut search, problems) = parse(&query);
    // An old numbered link (`page=3`) goes to the same page by its place in the list.
    let old_page = Pager::page_of(Some(&query.page)).min(MAX_OLD_PAGE);
    let numbered = !query.page.trim().is_empty();
    let student_id = viewer.principal.student_id.clone();
    if search.cursor.is_some() {
        search.page = 1;
    }
    let s = search.clone();
    // Open means the apply-by date has not passed on campus.
    let today = clock.today();
    let asked_page = (numbered && search.cursor.is_none()).then_some(old_page);
    let (found, industries, me, endorsed) = db::run(&pool, move |conn| -> Result<_, Error> {
        let me = catalogue::facts_of(conn, student_id.as_ref())?;
        let mut s = s;
        // A student's endorsed skills: the signal on each posting, and their filter.
        let endorsed = match (&me, &student_id) {
            (Some(_), Some(id)) => crate::endorsements::store::endorsed_skills(conn, id)?,
            _ => Vec::new(),
        };
        s.endorsed_skills = endorsed.clone();
        let found = match asked_page {
            Some(1) => Found::Moved(None),
            Some(n) => Found::Moved(catalogue::place_of_page(conn, &s, me.as_ref(), today, n)?),
            None => Found::Page(catalogue::search(conn, &s, me.as_ref(), today)?),
        };
        Ok((found, catalogue::industries(conn)?, me, endorsed))
    })
    .await?;
    query.page = String::new();
    query.after = String::new();
    query.before = String::new();
    let base = list_base("/opportunities", &query);
    let link = |c: &catalogue::Cursor| {
        let place: String = url::form_urlencoded::byte_serialize(c.param().as_bytes()).collect();
        format!("{base}{}={place}", if c.backward { "before" } else { "after" })
    };
    let found = match found {
        // An old page link: the same page by its place, or the first when there is none.
        Found::Moved(place) => {
            let to = match place {
                Some(c) => link(&c),
                None => base.trim_end_matches(['?', '&']).to_owned(),
            };
            return Ok(see_other(&to));
        }
        Found::Page(p) => p,
    };
    let status = if problems.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = CataloguePage {
        rows: found
            .rows
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
        found: found.found.words(),
        industries: CataloguePage::industries(industries, &query.industry),
        query,
        is_student: me.is_some(),
        problems,
        prev: found.prev.as_ref().map(link),
        next: found.next.as_ref().map(link),
    };
    let filters = FilterErrors::of(&page.problems);
    let mut view = context("Micro-internships", Some(&viewer), page);
    view["filters"] = serde_json::to_value(filters).map_err(AppError::internal)?;
    let body = templates.render("opportunities/catalogue", view)?;
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
        .render("opportunities/listing", context(&title, Some(viewer), ListingPage::new(listing, apply, back)))?;
    Ok(html(status, body))
}
