//! The lifecycle's pages and actions, one file per aggregate. One page per thing
//! (posting, application, engagement) serves every side; the viewer's scope decides what
//! they see and may do, and another side's records answer 404. Handlers are thin: who
//! asks and what (extractors, forms), one call to the store, a view from `views.rs`.

mod applications;
mod catalogue;
mod engagements;
mod offers;
mod postings;
mod projects;

use actix_web::web;
use chrono::NaiveDate;

use super::store::{Acting, Scope};
use crate::auth::extract::Viewer;
use crate::core::{Actor, Clock, Error, Problems, Role};
use crate::web::error::status_of;
use crate::web::pages::Feedback;
use crate::web::AppError;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/opportunities", web::get().to(catalogue::catalogue_page))
        .route("/opportunities/{id}", web::get().to(catalogue::listing_page))
        .route("/opportunities/{id}/apply", web::post().to(applications::apply))
        .route("/workspace/postings/new", web::get().to(postings::new_posting_page))
        .route("/workspace/postings", web::post().to(postings::create_posting))
        .route("/workspace/postings/{id}", web::get().to(postings::posting_page))
        .route("/postings/{id}", web::get().to(postings::posting_page))
        .route("/postings/{id}/edit", web::get().to(postings::edit_posting_page))
        .route("/postings/{id}/edit", web::post().to(postings::update_posting))
        .route("/postings/{id}/move", web::post().to(postings::move_posting))
        .route("/employers/{id}/postings/new", web::get().to(postings::new_posting_for_page))
        .route("/employers/{id}/postings", web::post().to(postings::create_posting_for))
        .route("/review", web::get().to(postings::review_queue))
        .route("/dashboard", web::get().to(applications::dashboard))
        .route("/applications/{id}", web::get().to(applications::application_page))
        .route("/applications/{id}/move", web::post().to(applications::move_application))
        .route("/engagements/{id}", web::get().to(engagements::engagement_page))
        .route("/engagements/{id}/move", web::post().to(engagements::move_engagement))
        .route("/engagements/{id}/cancel-request", web::post().to(engagements::request_cancel))
        .route("/engagements/{id}/rating", web::post().to(engagements::rate))
        .route("/engagements/{id}/payment", web::post().to(engagements::pay))
        .route("/engagements/{id}/offers", web::post().to(offers::make_offer))
        .route("/offers/{id}/decision", web::post().to(offers::decide_offer))
        .route("/offers/{id}/answer", web::post().to(offers::answer_offer))
        .configure(projects::configure);
}

/// The viewer's scope: the office sees all, a recruiter their employer, a student themself.
fn scope_of(v: &Viewer) -> Option<Scope> {
    let p = &v.principal;
    if p.is_staff() {
        // Staff who are also a student stay a student on their own records.
        match (p.has(Role::Student), &p.student_id) {
            (true, Some(s)) => Some(Scope::OfficeAndStudent(s.clone())),
            _ => Some(Scope::Office),
        }
    } else if let (true, Some(e)) = (p.has(Role::Recruiter), &p.employer_id) {
        Some(Scope::Employer(e.clone()))
    } else if let (true, Some(s)) = (p.has(Role::Student), &p.student_id) {
        Some(Scope::Student(s.clone()))
    } else {
        None
    }
}

fn scope(v: &Viewer) -> Result<Scope, AppError> {
    scope_of(v).ok_or(AppError::Domain(Error::Forbidden))
}

fn actor(v: &Viewer) -> Actor {
    v.principal.actor()
}

/// Who makes a change, for a store function: the viewer's scope and actor, and one
/// reading of the campus clock.
struct Change {
    scope: Scope,
    actor: Actor,
    today: NaiveDate,
    now: chrono::NaiveDateTime,
}

impl Change {
    fn of(v: &Viewer, clock: &Clock) -> Result<Change, AppError> {
        Ok(Change { scope: scope(v)?, actor: actor(v), today: clock.today(), now: clock.now_utc() })
    }

    fn acting(&self) -> Acting<'_> {
        Acting { scope: &self.scope, actor: &self.actor, today: self.today, now: self.now }
    }
}

/// A lifecycle result as the page shows it: done, or refused with the reason, under the
/// status the one mapping gives it (`web::error::status_of`).
fn outcome(r: Result<(), Error>, done: &str) -> Feedback {
    let Err(e) = r else { return Feedback::done(done) };
    let status = status_of(&e);
    let (notice, problems) = match e {
        Error::Invalid(p) => ("Not changed: please correct the form.".into(), p),
        Error::Conflict(m) => (format!("Not changed: {m}."), Problems::new()),
        Error::NotFound => ("Not found.".into(), Problems::new()),
        other => {
            tracing::error!(error = %other, "lifecycle change failed");
            ("Not changed: something went wrong on our side.".into(), Problems::new())
        }
    };
    Feedback { notice: Some(notice), problems, status }
}

/// A date typed into a form, or the field's problem.
fn date_field(field: &str, raw: &str) -> Result<NaiveDate, Error> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").map_err(|_| Error::invalid(field, "is not a date YYYY-MM-DD"))
}

/// A value of a closed list sent by a form (a button's `to`, a select), or the field's problem.
fn choice<T: std::str::FromStr<Err = String>>(field: &str, raw: &str) -> Result<T, Error> {
    raw.parse::<T>().map_err(|e| Error::invalid(field, e))
}

/// A refused change as the page it came from shows it: the form's problems (422, the
/// form again with what was typed) or why the move is not possible now (409, the page
/// with the reason). Anything else (not found, forbidden, our fault) is the error page.
enum Refusal {
    Problems(Problems),
    Conflict(String),
}

impl Refusal {
    fn of(e: Error) -> Result<Refusal, AppError> {
        match e {
            Error::Invalid(p) => Ok(Refusal::Problems(p)),
            Error::Conflict(m) => Ok(Refusal::Conflict(m)),
            other => Err(other.into()),
        }
    }

    /// The sentence shown for a conflict: "Not changed: the offer is already accepted."
    fn notice(m: &str) -> String {
        format!("Not changed: {m}.")
    }
}
