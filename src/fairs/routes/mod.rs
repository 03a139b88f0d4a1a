//! The fairs' pages and actions. `/fairs` and `/fairs/{id}` serve every side (the office
//! also sees drafts and decides who takes part; a recruiter joins and adds sessions; a
//! student sees what is on now and next and their schedule); `/sessions/{id}/…` are a
//! session's page, registration, join link and roster. Another employer's sessions
//! answer 404 to a recruiter. Handlers stay thin: extract, call rules and store, render
//! a view from `views.rs` or redirect with a flash message.

mod exports;
mod fairs;
mod feeds;
mod registrations;
mod series;
mod sessions;

use std::sync::Arc;

use actix_web::web;
use serde::Deserialize;

use super::rules::{term_of, Span};
use super::store::registrations::NoShowRule;
use crate::auth::extract::Viewer;
use crate::config::Settings;
use crate::core::{Clock, Role};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/fairs", web::get().to(fairs::list))
        .route("/fairs", web::post().to(fairs::create))
        .route("/fairs/new", web::get().to(fairs::new_fair))
        .route("/fairs/no-shows", web::get().to(registrations::no_shows_page))
        .route("/fairs/no-shows/{student}/clear", web::post().to(registrations::clear))
        .route("/fairs/{id}", web::get().to(fairs::fair_page))
        .route("/fairs/{id}/publish", web::post().to(fairs::publish))
        .route("/fairs/{id}/close", web::post().to(fairs::close))
        .route("/fairs/{id}/join", web::post().to(fairs::join))
        .route("/fairs/{id}/employers/{employer}/decide", web::post().to(fairs::decide))
        .route("/fairs/{id}/sessions/new", web::get().to(sessions::new_session))
        .route("/fairs/{id}/sessions", web::post().to(sessions::create_session))
        .route("/fairs/{id}/series/new", web::get().to(sessions::new_series))
        .route("/fairs/{id}/series", web::post().to(sessions::create_series))
        .route("/sessions/{id}", web::get().to(registrations::session_page))
        .route("/sessions/{id}/edit", web::get().to(sessions::edit_session))
        .route("/sessions/{id}/edit", web::post().to(sessions::update_session))
        .route("/sessions/{id}/withdraw", web::post().to(sessions::cancel_session))
        .route("/sessions/{id}/register", web::post().to(registrations::register))
        .route("/sessions/{id}/cancel", web::post().to(registrations::cancel))
        .route("/sessions/{id}/join", web::get().to(registrations::join))
        .route("/sessions/{id}/calendar.ics", web::get().to(registrations::calendar))
        .route("/sessions/{id}/roster", web::get().to(registrations::roster))
        .route("/sessions/{id}/attendance", web::post().to(registrations::attendance))
        .route("/sessions/{id}/roster.csv", web::get().to(exports::roster_csv))
        .route("/series/{id}", web::get().to(series::series_page))
        .route("/series/{id}/shorten", web::post().to(series::shorten))
        .route("/series/{id}/slots/{slot}/cancel", web::post().to(series::cancel_slot))
        .route("/calendar/feed", web::post().to(feeds::make))
        .route("/calendar/feed/revoke", web::post().to(feeds::revoke))
        .route("/calendar/{token}.ics", web::get().to(feeds::calendar));
}

/// A form with no field but its token.
#[derive(Deserialize)]
struct Empty {}

/// The no-show rule today: the configured limit, over the current campus term.
fn no_show_rule(settings: &Arc<Settings>, clock: &Clock) -> (NoShowRule, String) {
    let (first, after, name) = term_of(clock.today());
    let term: Span = (clock.start_of_campus_day(first), clock.start_of_campus_day(after));
    (NoShowRule { limit: settings.no_show_limit, term }, name)
}

/// Where the invitations come from (the public address and the mail's sender).
fn site(settings: &Settings) -> crate::fairs::calendar::Site {
    crate::fairs::calendar::Site::new(&settings.public_url, settings.mail_from.email.as_ref())
}

/// The campus zone's name as pages say it ("America/New_York").
fn zone(clock: &Clock) -> String {
    clock.zone().name().to_owned()
}

/// What the viewer is, on the fairs' pages.
struct Who {
    staff: bool,
    employer: Option<crate::core::EmployerId>,
    student: Option<crate::core::StudentId>,
}

fn who(v: &Viewer) -> Who {
    let p = &v.principal;
    Who {
        staff: p.is_staff(),
        employer: if p.has(Role::Recruiter) { p.employer_id.clone() } else { None },
        student: if p.has(Role::Student) { p.student_id.clone() } else { None },
    }
}
