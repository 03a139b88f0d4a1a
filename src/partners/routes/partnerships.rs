//! Counselors' partnership forms on the employer page: a status change (with its
//! effects; pausing and ending ask first), the terms (tier, owner, notes), a new
//! partnership after an ended one, and the vetting checklist. Each answers with the
//! employer page and a flash message, or the page again with the refused form in place.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

use super::employers::employer_page;
use crate::auth::csrf::CheckedForm;
use crate::auth::extract::EmployerStaff;
use crate::core::{words, Clock, EmployerId, Error, Problems, UserId};
use crate::db::{self, Pool};
use crate::partners::rules::{PartnershipStatus, Tier};
use crate::partners::store::employers;
use crate::partners::store::partnerships::{self, Effects};
use crate::partners::store::vetting::{self, Checks};
use crate::partners::views::{start_form, status_form, terms_form, vetting_form, Refused};
use crate::web::confirm::Confirmation;
use crate::web::error::public_message;
use crate::web::flash::redirect_with_flash;
use crate::web::forms::Values;
use crate::web::{AppError, Templates};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/employers/{id}/status", web::post().to(change_status))
        .route("/employers/{id}/terms", web::post().to(change_terms))
        .route("/employers/{id}/partnerships", web::post().to(start_partnership))
        .route("/employers/{id}/vetting", web::post().to(record_vetting));
}

/// The employer's name and the moves its partnership allows now (404 for no employer).
async fn employer_of(pool: &Pool, id: &EmployerId) -> Result<(String, Vec<PartnershipStatus>), AppError> {
    let id = id.clone();
    db::run(pool, move |conn| -> Result<_, AppError> {
        let e = employers::find(conn, &id)?.ok_or(Error::NotFound)?;
        let next = partnerships::current(conn, &id)?
            .map(|p| crate::partners::rules::next_statuses(p.status, e.email_domain.is_some()))
            .unwrap_or_default();
        Ok((e.name, next))
    })
    .await
}

#[derive(Debug, Clone, Deserialize, Serialize)]
struct StatusForm {
    #[serde(default)]
    to: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    confirm: Option<String>,
}

/// What the flash says after a status change: "Partnership with Ledgerwise paused; 2 open
/// postings closed, 3 applicants told".
fn changed(name: &str, to: PartnershipStatus, effects: Effects) -> String {
    let done = match to {
        PartnershipStatus::Active => "active",
        PartnershipStatus::Paused => "paused",
        PartnershipStatus::Ended => "ended",
        PartnershipStatus::Prospect => "back to prospect",
    };
    let mut n = format!("Partnership with {name} {done}");
    if effects.postings_closed > 0 {
        n.push_str(&format!(
            "; {} closed, {} told",
            words::plural(effects.postings_closed as i64, "open posting", None),
            words::plural(effects.applicants_told as i64, "applicant", None)
        ));
    }
    n
}

/// A status change. Pausing and ending ask first; a refused change (409/422) shows the
/// page again with the reason beside the form and changes nothing.
async fn change_status(
    req: HttpRequest,
    staff: EmployerStaff,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    path: web::Path<EmployerId>,
    form: CheckedForm<StatusForm>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let submitted = form.0;
    let (name, next) = employer_of(&pool, &id).await?;
    let page = format!("/employers/{id}");
    let refuse = |problems: Problems, status: StatusCode| {
        let form = status_form(&next).with_values(Values::of(&submitted)).with_problems(problems);
        (Refused::Status(form), status)
    };
    let outcome = match submitted.to.trim().parse::<PartnershipStatus>() {
        Err(_) => {
            Err(refuse(Problems::one("to", "choose one of the listed changes"), StatusCode::UNPROCESSABLE_ENTITY))
        }
        Ok(to) => Ok(to),
    };
    let to = match outcome {
        Ok(to) => to,
        Err((refused, status)) => {
            return employer_page(&templates, &pool, &clock, &staff, id, Some(refused), status).await;
        }
    };
    // Ask only about a change the rules allow now; any other is refused below, unchanged.
    if matches!(to, PartnershipStatus::Paused | PartnershipStatus::Ended) && next.contains(&to) {
        let (verb, effect) = if to == PartnershipStatus::Paused {
            ("Pause", "It can be made active again.")
        } else {
            ("End", "An ended partnership cannot be reactivated: working together again starts a new one.")
        };
        let ask = Confirmation::new(format!("{verb} the partnership with {name}?"))
            .explain(format!(
                "{name}'s open postings close and their applicants are told; {name} is hidden from students. Nothing is deleted."
            ))
            .explain(effect)
            .fact("Employer", &name)
            .fact("Note for the history", if submitted.note.trim().is_empty() { "—" } else { submitted.note.trim() })
            .button(format!("{verb} the partnership"))
            .cancel_to(&page)
            .cancel_label("Keep the partnership as it is");
        if let Some(ask) = ask.unless_confirmed(&req, &submitted, &*staff)? {
            return Ok(ask);
        }
    }
    let actor = staff.principal.actor();
    let (today, now) = (clock.today(), clock.now_utc());
    let (target, note) = (id.clone(), submitted.note.clone());
    let outcome = db::run(&pool, move |conn| {
        Ok::<_, AppError>(partnerships::change_status(conn, &target, to, &note, &actor, today, now))
    })
    .await?;
    let (refused, status) = match outcome {
        Ok(effects) => return Ok(redirect_with_flash(&page, changed(&name, to, effects))),
        Err(Error::NotFound) => return Err(Error::NotFound.into()),
        Err(Error::Invalid(p)) => {
            // The rule's field is the profile's domain: told beside the status form.
            let mut problems = Problems::new();
            for x in p.iter() {
                problems.add("to", x.problem.clone());
            }
            refuse(problems, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(e @ Error::Conflict(_)) => refuse(Problems::one("to", public_message(&e)), StatusCode::CONFLICT),
        Err(e) => return Err(e.into()),
    };
    employer_page(&templates, &pool, &clock, &staff, id, Some(refused), status).await
}

#[derive(Debug, Clone, Deserialize, Serialize)]
struct TermsForm {
    #[serde(default)]
    tier: String,
    #[serde(default)]
    owner_id: String,
    #[serde(default)]
    notes: String,
}

async fn change_terms(
    staff: EmployerStaff,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    path: web::Path<EmployerId>,
    form: CheckedForm<TermsForm>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let submitted = form.0;
    let (name, _) = employer_of(&pool, &id).await?;
    let mut problems = Problems::new();
    let tier = problems.take("tier", submitted.tier.trim().parse::<Tier>());
    let owner = Some(submitted.owner_id.trim().to_owned()).filter(|o| !o.is_empty()).map(UserId::from);
    let actor = staff.principal.actor();
    let now = clock.now_utc();
    let (target, notes) = (id.clone(), submitted.notes.clone());
    let done = match (problems.is_empty(), tier) {
        (true, Some(tier)) => {
            db::run(&pool, move |conn| {
                Ok::<_, AppError>(partnerships::set_terms(conn, &target, tier, owner.as_ref(), &notes, &actor, now))
            })
            .await?
        }
        _ => Err(Error::Invalid(problems)),
    };
    let (problems, status) = match done {
        Ok(()) => {
            return Ok(redirect_with_flash(
                &format!("/employers/{id}"),
                format!("Terms of the partnership with {name} saved"),
            ))
        }
        Err(Error::Invalid(p)) => (p, StatusCode::UNPROCESSABLE_ENTITY),
        Err(e @ Error::Conflict(_)) => (Problems::one("tier", public_message(&e)), StatusCode::CONFLICT),
        Err(e) => return Err(e.into()),
    };
    let owners = db::run(&pool, |conn| employers::owners(conn).map_err(AppError::from)).await?;
    let form = terms_form(&owners).with_values(Values::of(&submitted)).with_problems(problems);
    employer_page(&templates, &pool, &clock, &staff, id, Some(Refused::Terms(form)), status).await
}

#[derive(Debug, Clone, Deserialize, Serialize)]
struct NewPartnership {
    #[serde(default)]
    tier: String,
}

async fn start_partnership(
    staff: EmployerStaff,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    path: web::Path<EmployerId>,
    form: CheckedForm<NewPartnership>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let submitted = form.0;
    let (name, _) = employer_of(&pool, &id).await?;
    let done = match submitted.tier.trim().parse::<Tier>() {
        Ok(tier) => {
            let actor = staff.principal.actor();
            let (today, now) = (clock.today(), clock.now_utc());
            let target = id.clone();
            db::run(&pool, move |conn| {
                Ok::<_, AppError>(partnerships::start_new(conn, &target, tier, &actor, today, now))
            })
            .await?
        }
        Err(e) => Err(Error::invalid("tier", e)),
    };
    let (problems, status) = match done {
        Ok(_) => {
            return Ok(redirect_with_flash(
                &format!("/employers/{id}"),
                format!("New partnership with {name} started as a prospect"),
            ))
        }
        Err(Error::Invalid(p)) => (p, StatusCode::UNPROCESSABLE_ENTITY),
        Err(e @ Error::Conflict(_)) => (Problems::one("tier", public_message(&e)), StatusCode::CONFLICT),
        Err(e) => return Err(e.into()),
    };
    // A conflict (a current partnership exists) shows the page as it is, with the reason.
    let form = start_form().with_values(Values::of(&submitted)).with_problems(problems.clone());
    let refused = if status == StatusCode::CONFLICT {
        let (_, next) = employer_of(&pool, &id).await?;
        Refused::Status(status_form(&next).with_problems(Problems::one("to", problems[0].problem.clone())))
    } else {
        Refused::Start(form)
    };
    employer_page(&templates, &pool, &clock, &staff, id, Some(refused), status).await
}

#[derive(Debug, Clone, Deserialize, Serialize)]
struct VettingForm {
    #[serde(default)]
    domain_verified: Option<String>,
    #[serde(default)]
    website_verified: Option<String>,
    #[serde(default)]
    contact_verified: Option<String>,
    #[serde(default)]
    vetting_note: String,
}

async fn record_vetting(
    staff: EmployerStaff,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    path: web::Path<EmployerId>,
    form: CheckedForm<VettingForm>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let submitted = form.0;
    let ticked = |v: &Option<String>| v.as_deref() == Some("yes");
    let checks = Checks {
        domain: ticked(&submitted.domain_verified),
        website: ticked(&submitted.website_verified),
        contact: ticked(&submitted.contact_verified),
    };
    let (actor, now, target, note) =
        (staff.principal.actor(), clock.now_utc(), id.clone(), submitted.vetting_note.clone());
    let done =
        db::run(&pool, move |conn| Ok::<_, AppError>(vetting::record(conn, &target, checks, &note, &actor, now)))
            .await?;
    match done {
        Ok(name) => {
            let what = if checks.all() { "complete" } else { "saved" };
            Ok(redirect_with_flash(&format!("/employers/{id}"), format!("Vetting checklist for {name} {what}")))
        }
        Err(Error::Invalid(p)) => {
            let p = p.into_vec().into_iter().fold(Problems::new(), |mut acc, x| {
                let field = if x.field == "note" { "vetting_note".to_owned() } else { x.field };
                acc.add(field, x.problem);
                acc
            });
            let form = vetting_form().with_values(Values::of(&submitted)).with_problems(p);
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            employer_page(&templates, &pool, &clock, &staff, id, Some(Refused::Vetting(form)), status).await
        }
        Err(e) => Err(e.into()),
    }
}
