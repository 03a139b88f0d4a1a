//! Offers after a project: recording one, and its answer. Both show the project's page.

use actix_web::{web, HttpResponse};
use serde::Deserialize;

use super::engagements::after_engagement_change;
use super::{date_field, Change};
use crate::auth::csrf::CheckedForm;
use crate::auth::extract::Manager;
use crate::core::{Clock, EngagementId, Error, OfferId};
use crate::db::{self, Pool};
use crate::opportunities::offers;
use crate::opportunities::rules::OfferKind;
use crate::web::{AppError, Templates};

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(super) struct OfferForm {
    kind: String,
    job_title: String,
    offer_on: String,
}

pub(super) async fn make_offer(
    v: Manager,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    path: web::Path<String>,
    form: CheckedForm<OfferForm>,
) -> Result<HttpResponse, AppError> {
    let id = EngagementId::from(path.into_inner());
    let change = Change::of(&v, &clock)?;
    let id2 = id.clone();
    let r = db::run(&pool, move |conn| {
        let f = &form.0;
        let made = date_field("offer_on", &f.offer_on).and_then(|on| {
            let kind = OfferKind::from_stored(&f.kind)
                .ok_or_else(|| Error::invalid("kind", "choose internship, full-time or part-time"))?;
            offers::make_offer(conn, &id2, kind, &f.job_title, on, &change.acting())
        });
        Ok::<_, AppError>(made.map(|_| ()))
    })
    .await?;
    after_engagement_change(&v, &pool, &templates, &clock, id, r).await
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(super) struct DecisionForm {
    decision: String,
    decided_on: String,
}

pub(super) async fn decide_offer(
    v: Manager,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    path: web::Path<String>,
    form: CheckedForm<DecisionForm>,
) -> Result<HttpResponse, AppError> {
    let id = OfferId::from(path.into_inner());
    let change = Change::of(&v, &clock)?;
    let (engagement, r) = db::run(&pool, move |conn| -> Result<_, AppError> {
        let engagement = offers::engagement_of(conn, &id)?;
        let accepted = match form.0.decision.as_str() {
            "accepted" => true,
            "declined" => false,
            _ => return Ok((engagement, Err(Error::invalid("decision", "choose accepted or declined")))),
        };
        let r = date_field("decided_on", &form.0.decided_on)
            .and_then(|d| offers::decide_offer(conn, &id, accepted, d, &change.acting()));
        Ok((engagement, r))
    })
    .await?;
    let engagement = engagement.ok_or(Error::NotFound)?;
    after_engagement_change(&v, &pool, &templates, &clock, engagement, r).await
}
