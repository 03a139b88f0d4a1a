//! The private calendar feed: `GET /calendar/{token}.ics` for calendar apps (no sign-in,
//! no cookie: the token is the key; an unknown or revoked one is 404), and the "Calendar
//! feed" section of `/fairs` where a student or a recruiter makes, replaces (after
//! confirming) and revokes (after confirming) their feed's address. The address is shown
//! once, in the message after it was made: only its digest is kept.

use std::sync::Arc;

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

use super::{site, who};
use crate::auth::csrf::CheckedForm;
use crate::auth::extract::Viewer;
use crate::config::Settings;
use crate::core::{Clock, Error, UserId};
use crate::db::{self, Pool};
use crate::fairs::calendar::{feed, Invitation};
use crate::fairs::store::feeds as store;
use crate::web::confirm::Confirmation;
use crate::web::flash::redirect_with_flash;
use crate::web::AppError;

/// Where the section is, and where its actions come back to.
const PAGE: &str = "/fairs";

/// The section's data on `/fairs`: shown to students and recruiters (who have sessions).
#[derive(Debug, Clone, Serialize)]
pub struct FeedSection {
    pub made_at: Option<chrono::NaiveDateTime>,
    pub hosts: bool,
}

/// The section for this viewer, or none (the office and faculty have no sessions).
pub(super) fn section(
    c: &mut crate::db::DbConnection,
    viewer_user: &UserId,
    student: bool,
    recruiter: bool,
) -> Result<Option<FeedSection>, Error> {
    if !student && !recruiter {
        return Ok(None);
    }
    Ok(Some(FeedSection { made_at: store::made_at(c, viewer_user)?, hosts: recruiter }))
}

/// Only those who have sessions have a feed.
fn owner_of(viewer: &Viewer) -> Result<UserId, Error> {
    let w = who(viewer);
    if w.student.is_none() && w.employer.is_none() {
        return Err(Error::NotFound);
    }
    Ok(viewer.principal.id.clone())
}

#[derive(Deserialize, Serialize)]
pub(super) struct FeedForm {
    #[serde(default)]
    confirm: Option<String>,
}

/// Makes the feed, or (after confirming) replaces it; the new address is in the message.
pub(super) async fn make(
    req: HttpRequest,
    viewer: Viewer,
    pool: web::Data<Pool>,
    clock: web::Data<Clock>,
    settings: web::Data<Arc<Settings>>,
    form: CheckedForm<FeedForm>,
) -> Result<HttpResponse, AppError> {
    let user = owner_of(&viewer)?;
    let u = user.clone();
    let existing = db::run(&pool, move |c| store::made_at(c, &u).map_err(Error::from)).await?;
    if let Some(made) = existing {
        if let Some(ask) = Confirmation::new("Replace your calendar feed's address?")
            .explain("Calendar apps subscribed to the current address stop receiving your sessions; subscribe them to the new address, shown once after this.")
            .fact("Current address made", clock.format_datetime(made))
            .button("Replace the address")
            .cancel_to(PAGE)
            .cancel_label("Keep the current address")
            .unless_confirmed(&req, &form.0, &viewer)?
        {
            return Ok(ask);
        }
    }
    let (actor, now) = (viewer.principal.actor(), clock.now_utc());
    let token = db::run(&pool, move |c| store::make(c, &user, &actor, now)).await?;
    let address = format!("{}/calendar/{token}.ics", site(&settings).base);
    let message = format!(
        "Your calendar feed is ready. Subscribe to this address in your calendar app; it is shown only this once: {address}"
    );
    Ok(redirect_with_flash(PAGE, message))
}

/// Revokes the feed (after confirming): its address answers 404 from then on.
pub(super) async fn revoke(
    req: HttpRequest,
    viewer: Viewer,
    pool: web::Data<Pool>,
    clock: web::Data<Clock>,
    form: CheckedForm<FeedForm>,
) -> Result<HttpResponse, AppError> {
    let user = owner_of(&viewer)?;
    if let Some(ask) = Confirmation::new("Revoke your calendar feed?")
        .explain("Its address stops working at once: calendar apps subscribed to it no longer receive your sessions. You can make a new feed later.")
        .button("Revoke the feed")
        .cancel_to(PAGE)
        .cancel_label("Keep the feed")
        .unless_confirmed(&req, &form.0, &viewer)?
    {
        return Ok(ask);
    }
    let (actor, now) = (viewer.principal.actor(), clock.now_utc());
    let gone = db::run(&pool, move |c| store::revoke(c, &user, &actor, now)).await?;
    if !gone {
        return Err(Error::conflict("you have no calendar feed to revoke").into());
    }
    Ok(redirect_with_flash(PAGE, "Your calendar feed is revoked: its address no longer works"))
}

/// `GET /calendar/{token}.ics`: the feed, for whoever holds the address. Not cached
/// (`no-store`), and the same 404 for a token never made, replaced or revoked.
pub(super) async fn calendar(
    pool: web::Data<Pool>,
    clock: web::Data<Clock>,
    settings: web::Data<Arc<Settings>>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let now = clock.now_utc();
    let entries = db::run(&pool, move |c| -> Result<_, Error> {
        let user = store::owner(c, &token)?.ok_or(Error::NotFound)?;
        Ok(store::entries(c, &user, now)?)
    })
    .await?;
    let site = site(&settings);
    let events: Vec<Invitation<'_>> =
        entries.iter().map(|e| Invitation::of(&site, &e.session, e.registration_sequence, false, None, now)).collect();
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/calendar; charset=utf-8"))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((header::CONTENT_DISPOSITION, "inline; filename=\"waypoint-sessions.ics\""))
        .body(feed("Waypoint fair sessions", &events)))
}
