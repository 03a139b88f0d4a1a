//! Counselors' partnership forms on the employer page: a status change (with its
//! effects), the terms (tier, owner, notes), and a new partnership after an ended one.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Deserialize;

use super::employers::employer_page;
use crate::auth::csrf::CheckedForm;
use crate::auth::extract::EmployerStaff;
use crate::core::{Clock, EmployerId, Error, UserId};
use crate::db::{self, Pool};
use crate::partners::rules::{PartnershipStatus, Tier};
use crate::partners::store::partnerships::{self, Effects};
use crate::web::error::{public_message, status_of};
use crate::web::pages::see_other;
use crate::web::{AppError, Templates};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/employers/{id}/status", web::post().to(change_status))
        .route("/employers/{id}/terms", web::post().to(change_terms))
        .route("/employers/{id}/partnerships", web::post().to(start_partnership));
}

#[derive(Debug, Clone, Deserialize)]
struct StatusForm {
    to: String,
    #[serde(default)]
    note: String,
}

/// What the employer page says after a status change.
fn changed(to: PartnershipStatus, effects: Effects) -> String {
    let mut n = format!("The partnership is now {to}.");
    if effects.postings_closed > 0 {
        n.push_str(&format!(
            " {} open posting(s) closed; {} applicant(s) told.",
            effects.postings_closed, effects.applicants_told
        ));
    }
    n
}

/// A status change; a refused one (409/422) shows the page again with the reason and
/// changes nothing.
async fn change_status(
    staff: EmployerStaff,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    path: web::Path<EmployerId>,
    form: CheckedForm<StatusForm>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let StatusForm { to, note } = form.0;
    let to = to.parse::<PartnershipStatus>().map_err(|e| Error::invalid("to", e))?;
    let actor = staff.principal.actor();
    let (today, now) = (clock.today(), clock.now_utc());
    let target = id.clone();
    let outcome = db::run(&pool, move |conn| {
        Ok::<_, AppError>(partnerships::change_status(conn, &target, to, &note, &actor, today, now))
    })
    .await?;
    let (notice, status) = match outcome {
        Ok(effects) => (changed(to, effects), StatusCode::OK),
        Err(Error::NotFound) => return Err(Error::NotFound.into()),
        Err(e) => (format!("Not changed: {}", public_message(&e)), status_of(&e)),
    };
    employer_page(&templates, &pool, &staff, id, Some(notice), status).await
}

#[derive(Debug, Clone, Deserialize)]
struct TermsForm {
    tier: String,
    #[serde(default)]
    owner_id: String,
    #[serde(default)]
    notes: String,
}

async fn change_terms(
    staff: EmployerStaff,
    pool: web::Data<Pool>,
    clock: web::Data<Clock>,
    path: web::Path<EmployerId>,
    form: CheckedForm<TermsForm>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let TermsForm { tier, owner_id, notes } = form.0;
    let tier = tier.parse::<Tier>().map_err(|e| Error::invalid("tier", e))?;
    let owner = Some(owner_id).filter(|o| !o.is_empty()).map(UserId::from);
    let actor = staff.principal.actor();
    let now = clock.now_utc();
    let target = id.clone();
    db::run(&pool, move |conn| {
        partnerships::set_terms(conn, &target, tier, owner.as_ref(), &notes, &actor, now).map_err(AppError::from)
    })
    .await?;
    Ok(see_other(&format!("/employers/{id}")))
}

#[derive(Debug, Clone, Deserialize)]
struct NewPartnership {
    tier: String,
}

async fn start_partnership(
    staff: EmployerStaff,
    pool: web::Data<Pool>,
    clock: web::Data<Clock>,
    path: web::Path<EmployerId>,
    form: CheckedForm<NewPartnership>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let tier = form.0.tier.parse::<Tier>().map_err(|e| Error::invalid("tier", e))?;
    let actor = staff.principal.actor();
    let (today, now) = (clock.today(), clock.now_utc());
    let target = id.clone();
    db::run(&pool, move |conn| {
        partnerships::start_new(conn, &target, tier, &actor, today, now).map_err(AppError::from)
    })
    .await?;
    Ok(see_other(&format!("/employers/{id}")))
}
