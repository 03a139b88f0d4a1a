//! Applications' pages: applying, the student's dashboard, the application's page and
//! its moves (the employer's selection, the student's answer). A move that is made
//! redirects with what was done (Post/Redirect/Get): the student to their application,
//! the employer and the office to the posting's applicants. Rejecting, declining and
//! withdrawing ask first.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

use super::catalogue::render_listing;
use super::postings::render_posting;
use super::{actor, choice, outcome, scope, Change};
use crate::auth::csrf::{CheckedForm, CsrfChecked};
use crate::auth::extract::{Participant, Student, Viewer};
use crate::core::{ApplicationId, Clock, EndorsementId, Error, OpportunityId};
use crate::db::{self, Pool};
use crate::opportunities::applications::{self, Applicant};
use crate::opportunities::offers;
use crate::opportunities::rules::{application_move, ApplicationStatus};
use crate::opportunities::store::Scope;
use crate::opportunities::views::{ApplicationPage, DashboardPage};
use crate::web::confirm::Confirmation;
use crate::web::flash::redirect_with_flash;
use crate::web::forms::Values;
use crate::web::pages::{context, html};
use crate::web::{AppError, Templates};

/// Applying: a statement and the endorsements ticked to share. Each ticked endorsement
/// sends its own `share` key, so the form is read as pairs. A refused application comes
/// back on the posting's page with what was written and ticked.
pub(super) async fn apply(
    v: Student,
    _csrf: CsrfChecked,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(&body).into_owned().collect();
    let statement = pairs.iter().find(|(k, _)| k == "statement").map(|(_, s)| s.clone()).unwrap_or_default();
    let shared: Vec<EndorsementId> =
        pairs.iter().filter(|(k, _)| k == "share").map(|(_, s)| EndorsementId::from(s.as_str())).collect();
    let sent = Values::from_pairs(pairs.into_iter().filter(|(k, _)| k == "statement" || k == "share"));
    let id = OpportunityId::from(path.into_inner());
    let student = v.principal.student_id.clone().ok_or(Error::Forbidden)?;
    let who = actor(&v);
    // Applications are taken until the end of the apply-by date on campus.
    let (today, now) = (clock.today(), clock.now_utc());
    let id2 = id.clone();
    let r = db::run(&pool, move |conn| {
        let applicant = Applicant { student_id: &student, actor: &who };
        let made = applications::apply(conn, &id2, applicant, &statement, &shared, today, now)
            .and_then(|application| Ok((applications::names(conn, &application)?, application)));
        Ok::<_, AppError>(made)
    })
    .await?;
    match r {
        Ok((names, application)) => Ok(redirect_with_flash(
            &format!("/applications/{application}"),
            format!("Application sent to {}", names.employer),
        )),
        Err(Error::Invalid(problems)) => {
            render_listing(&v, &pool, &templates, &clock, id, Some((sent, problems))).await
        }
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn dashboard(
    v: Student,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
) -> Result<HttpResponse, AppError> {
    let Some(student) = v.principal.student_id.clone() else {
        // Signed in as a student, but no roster record carries this email yet.
        return templates
            .page("opportunities/dashboard", context("My micro-internships", Some(&v), DashboardPage::no_record()));
    };
    let (rows, projects, offers) = db::run(&pool, move |conn| {
        let (rows, projects) = applications::dashboard(conn, &student)?;
        Ok::<_, Error>((rows, projects, offers::open_offers_of(conn, &student)?))
    })
    .await?;
    templates.page(
        "opportunities/dashboard",
        context("My micro-internships", Some(&v), DashboardPage::new(rows, &projects, offers)),
    )
}

pub(super) async fn application_page(
    v: Participant,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = ApplicationId::from(path.into_inner());
    render_application(&v, &pool, &templates, &clock, id, None, StatusCode::OK).await
}

async fn render_application(
    v: &Viewer,
    pool: &Pool,
    templates: &Templates,
    clock: &Clock,
    id: ApplicationId,
    notice: Option<String>,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let s = scope(v)?;
    let viewer_scope = s.clone();
    let (reader, now) = (actor(v), clock.now_utc());
    let detail = db::run(pool, move |conn| applications::application_detail(conn, &id, &s, &reader, now)).await?;
    let is_student = matches!(viewer_scope.on_record_of(&detail.application.student_id), Scope::Student(_));
    let title = format!("Application: {}", detail.posting.title);
    let page = ApplicationPage::new(detail, is_student, notice);
    let body = templates.render("opportunities/application", context(&title, Some(v), page))?;
    Ok(html(status, body))
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub(super) struct ApplicationMove {
    to: String,
    message: String,
    confirm: Option<String>,
}

/// What a move did, in the office's words.
fn done(to: ApplicationStatus, n: &applications::Names, message: &str) -> String {
    use ApplicationStatus::*;
    match to {
        Shortlisted => format!("{} shortlisted for {}", n.student, n.title),
        Offered => format!("Offer sent to {}", n.student),
        Rejected if message.trim().is_empty() => format!("{} was told they were not selected", n.student),
        Rejected => format!("{} was told they were not selected, with your message", n.student),
        Accepted => format!("You accepted {}: the project has started", n.title),
        Declined => format!("You declined the offer of {}; {} was told", n.title, n.employer),
        Withdrawn => format!("Your application to {} was withdrawn", n.title),
        other => format!("Application {}", other.label().to_lowercase()),
    }
}

pub(super) async fn move_application(
    req: HttpRequest,
    v: Participant,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    path: web::Path<String>,
    form: CheckedForm<ApplicationMove>,
) -> Result<HttpResponse, AppError> {
    let id = ApplicationId::from(path.into_inner());
    let f = form.0;
    let change = Change::of(&v, &clock)?;
    // Where each side goes back to: the student to the application; the employer and
    // the office to the posting's applicants. Another side's application is not found.
    let (id2, s) = (id.clone(), change.scope.clone());
    let (names, posting, (status, side)) = db::run(&pool, move |conn| -> Result<_, Error> {
        let (row, posting) = applications::application(conn, &id2, &s)?;
        let on_record = s.on_record_of(&row.student_id);
        let on_own = matches!(on_record, Scope::Student(_));
        Ok((applications::names(conn, &id2)?, (!on_own).then_some(posting.id), (row.status, on_record.side())))
    })
    .await?;
    let back_to = match &posting {
        Some(p) => format!("/postings/{p}"),
        None => format!("/applications/{id}"),
    };
    let to = match choice::<ApplicationStatus>("to", &f.to) {
        Ok(to) => to,
        Err(e) => return refused(&v, &pool, &templates, &clock, id, posting, e).await,
    };
    // A move the rules refuse is not asked about: it is refused (409) below.
    let allowed = application_move(status, to, side).is_ok();
    let question = match to {
        _ if !allowed => None,
        ApplicationStatus::Rejected => Some(
            Confirmation::new(format!("Reject {}?", names.student))
                .explain(format!(
                    "{} is told they were not selected for {}{}. A rejection cannot be undone.",
                    names.student,
                    names.title,
                    if f.message.trim().is_empty() { "" } else { ", with your message" }
                ))
                .fact("Posting", &names.title)
                .fact("Message", if f.message.trim().is_empty() { "(none)" } else { f.message.trim() })
                .button(format!("Reject {}", names.student))
                .cancel_label("Keep the applicant"),
        ),
        ApplicationStatus::Withdrawn => Some(
            Confirmation::new(format!("Withdraw your application to {}?", names.title))
                .explain(format!("{} is told. You cannot apply to this project again.", names.employer))
                .button("Withdraw my application")
                .cancel_label("Keep my application"),
        ),
        ApplicationStatus::Declined => Some(
            Confirmation::new(format!("Decline the offer of {}?", names.title))
                .explain(format!("{} is told, and offers the project to someone else.", names.employer))
                .button("Decline the offer")
                .cancel_label("Keep the offer"),
        ),
        _ => None,
    };
    if let Some(q) = question {
        if let Some(ask) = q.cancel_to(&back_to).unless_confirmed(&req, &f, &*v)? {
            return Ok(ask);
        }
    }
    let id2 = id.clone();
    let message = f.message.clone();
    let r = db::run(&pool, move |conn| {
        Ok::<_, AppError>(applications::move_application(conn, &id2, to, &f.message, &change.acting()))
    })
    .await?;
    match r {
        Ok(_) => Ok(redirect_with_flash(&back_to, done(to, &names, &message))),
        Err(e) => refused(&v, &pool, &templates, &clock, id, posting, e).await,
    }
}

/// A refused move: the page it came from again, with why (409) or the problems (422).
async fn refused(
    v: &Viewer,
    pool: &Pool,
    templates: &Templates,
    clock: &Clock,
    id: ApplicationId,
    posting: Option<OpportunityId>,
    e: Error,
) -> Result<HttpResponse, AppError> {
    if matches!(e, Error::NotFound | Error::Forbidden | Error::Internal(_)) {
        return Err(e.into());
    }
    let shown = outcome(Err(e), "");
    match posting {
        Some(p) => render_posting(v, pool, templates, clock, p, shown).await,
        None => render_application(v, pool, templates, clock, id, shown.notice, shown.status).await,
    }
}
