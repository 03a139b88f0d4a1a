//! The students' catalogue of open micro-internships and a posting's listing page.
//! (These move to the opportunities area with `partners/catalogue.rs` and their
//! templates; they are kept here as they were until then.)

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use diesel::prelude::*;
use serde_json::{json, Value};

use super::list_base;
use crate::auth::extract::Browser;
use crate::core::money;
use crate::core::{Clock, Error};
use crate::db::schema::students;
use crate::db::{self, Pool};
use crate::opportunities::rules::Eligibility;
use crate::partners::catalogue::{self, CatalogueQuery, StudentFacts};
use crate::web::pages::{context, html, Pager};
use crate::web::{AppError, Templates};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/opportunities", web::get().to(catalogue_page))
        .route("/opportunities/{id}", web::get().to(listing_page));
}

async fn catalogue_page(
    viewer: Browser,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    q: web::Query<CatalogueQuery>,
) -> Result<HttpResponse, AppError> {
    let mut query = q.into_inner();
    let (search, problems) = catalogue::parse(&query);
    let student_id = viewer.principal.student_id.clone();
    let s = search.clone();
    // Open means the apply-by date has not passed on campus.
    let today = clock.today();
    let (rows, total, industries, me) = db::run(&pool, move |conn| -> Result<_, AppError> {
        let me: Option<StudentFacts> = match &student_id {
            Some(id) => students::table
                .find(id)
                .select((students::college, students::major, students::class_year))
                .first::<(String, String, i32)>(conn)
                .optional()?
                .map(|(college, major, class_year)| StudentFacts { college, major, class_year }),
            None => None,
        };
        let (rows, total) = catalogue::search(conn, &s, me.as_ref(), today)?;
        Ok((rows, total, catalogue::industries(conn)?, me))
    })
    .await?;
    query.page = String::new();
    let base = list_base("/opportunities", &query);
    let rows: Vec<Value> = rows
        .into_iter()
        .map(|r| {
            let excerpt: String = r.description.chars().take(220).collect();
            let more = r.description.chars().count() > 220;
            let eligible = me.as_ref().map(|m| {
                Eligibility::of_lists(&r.eligible_colleges, &r.eligible_majors, &r.eligible_class_years).admits(m).is_ok()
            });
            let skills: Vec<&str> = r.skills.split(',').filter(|s| !s.is_empty()).collect();
            json!({ "r": r, "fee": money::display(r.fee_cents), "excerpt": excerpt, "more": more, "skills": skills, "eligible": eligible })
        })
        .collect();
    let industries: Vec<Value> =
        industries.into_iter().map(|i| json!({ "value": i, "selected": i == query.industry })).collect();
    let body = templates.render(
        "partners/catalogue",
        &context(
            "Micro-internships",
            Some(&viewer),
            json!({ "rows": rows, "total": total, "query": query, "industries": industries, "is_student": me.is_some(), "problems": problems, "pager": Pager::new(search.page, total, catalogue::PAGE, &base) }),
        ),
    )?;
    let status = if problems.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok(html(status, body))
}

async fn listing_page(
    viewer: Browser,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let student_id = viewer.principal.student_id.clone().filter(|_| viewer.principal.has(crate::core::Role::Student));
    let today = clock.today();
    let (r, mine) = db::run(&pool, move |conn| -> Result<_, AppError> {
        let r = catalogue::listing(conn, &id, today)?.ok_or(Error::NotFound)?;
        // What a student needs to apply: whether they may, whether they did, and their endorsements.
        let mine = match student_id {
            None => None,
            Some(sid) => {
                let (college, major, class_year): (String, String, i32) = students::table
                    .find(&sid)
                    .select((students::college, students::major, students::class_year))
                    .first(conn)?;
                let eligible = crate::opportunities::rules::eligibility(
                    &r.eligible_colleges,
                    &r.eligible_majors,
                    &r.eligible_class_years,
                    &StudentFacts { college, major, class_year },
                );
                let applied: Option<String> = crate::db::schema::applications::table
                    .filter(crate::db::schema::applications::opportunity_id.eq(&id))
                    .filter(crate::db::schema::applications::student_id.eq(&sid))
                    .select(crate::db::schema::applications::id)
                    .first(conn)
                    .optional()?;
                use crate::db::schema::{endorsements, faculty, users};
                let endorsements: Vec<(String, String, String, String)> = endorsements::table
                    .inner_join(faculty::table.inner_join(users::table))
                    .filter(endorsements::student_id.eq(&sid))
                    .filter(endorsements::revoked_at.is_null())
                    .select((endorsements::id, users::display_name, endorsements::relationship, endorsements::skills))
                    .order(endorsements::created_at.desc())
                    .load(conn)?;
                Some((eligible, applied, endorsements))
            }
        };
        Ok((r, mine))
    })
    .await?;
    let skills: Vec<&str> = r.skills.split(',').filter(|s| !s.is_empty()).collect();
    let fee = money::display(r.fee_cents);
    let apply = mine.map(|(eligible, applied, endorsements)| {
        let endorsements: Vec<Value> = endorsements
            .into_iter()
            .map(|(id, by, rel, skills)| json!({ "id": id, "by": by, "relationship": rel, "skills": skills }))
            .collect();
        json!({ "eligible": eligible.is_ok(), "why": eligible.err(), "applied": applied, "endorsements": endorsements })
    });
    templates.page(
        "partners/listing",
        &context(&r.title.clone(), Some(&viewer), json!({ "r": r, "fee": fee, "skills": skills, "apply": apply })),
    )
}
