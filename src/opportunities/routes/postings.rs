//! Postings' pages: the form (new, for an employer, a draft's edit), the posting's page
//! with its applicants and moves, and the review queue. A change that is made redirects
//! to the posting's page with what was done (Post/Redirect/Get); a refused form comes
//! back with everything typed and every problem beside its field; cancelling asks first.

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::Datelike;
use serde::{Deserialize, Serialize};

use super::{choice, outcome, scope, scope_of, Change};
use crate::auth::csrf::{CheckedForm, CsrfChecked};
use crate::auth::extract::{EmployerStaff, Manager, Staff, Viewer};
use crate::config::Settings;
use crate::core::{Clock, EmployerId, Error, OpportunityId, Problems};
use crate::db::{self, Pool};
use crate::opportunities::applicants::ApplicantsQuery;
use crate::opportunities::postings::{self, KnownLists};
use crate::opportunities::rules::catalogue::{Cursor, Sort};
use crate::opportunities::rules::ApplicationStatus;
use crate::opportunities::rules::{eligibility_key, posting_move, validate_posting, PostingForm, PostingStatus};
use crate::opportunities::store::{employer_name, Scope};
use crate::opportunities::views::{blank_posting, form_of, posting_form, PostingFormPage, PostingPage, ReviewPage};
use crate::web::confirm::Confirmation;
use crate::web::flash::redirect_with_flash;
use crate::web::forms::Values;
use crate::web::pages::{context, html, Feedback};
use crate::web::{AppError, Templates};

/// The posting form's page: `values` shown, `problems` beside their fields (422 if any).
#[allow(clippy::too_many_arguments)]
async fn posting_form_page(
    templates: &Templates,
    pool: &Pool,
    clock: &Clock,
    v: &Viewer,
    title: &str,
    action: &str,
    values: Values,
    problems: Problems,
) -> Result<HttpResponse, AppError> {
    let lists = db::run(pool, |conn| postings::known_lists(conn).map_err(Error::from)).await?;
    let form = posting_form(&lists, &values, clock.today().year()).with_values(values).with_problems(problems);
    let status = form.status();
    let body = templates.render("opportunities/form", context(title, Some(v), PostingFormPage { action, form }))?;
    Ok(html(status, body))
}

pub(super) async fn new_posting_page(
    v: Manager,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
) -> Result<HttpResponse, AppError> {
    let Some(Scope::Employer(_)) = scope_of(&v) else { return Err(Error::Forbidden.into()) };
    let (values, problems) = (blank_posting(), Problems::new());
    posting_form_page(&templates, &pool, &clock, &v, "New micro-internship", "/workspace/postings", values, problems)
        .await
}

/// An employer's records are the office's: a recruiter probing them learns nothing (404,
/// as on every other `/employers/{id}` route).
pub(super) async fn new_posting_for_page(
    v: EmployerStaff,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = EmployerId::from(path.into_inner());
    let id2 = id.clone();
    let name = db::run(&pool, move |conn| employer_name(conn, &id2)).await?;
    let action = format!("/employers/{id}/postings");
    let title = format!("New micro-internship for {name}");
    posting_form_page(&templates, &pool, &clock, &v, &title, &action, blank_posting(), Problems::new()).await
}

/// A posting form as sent: its fields (lists ticked as several values), whether to
/// submit it for review too, and every value as typed (shown again if it is refused).
struct Submission {
    form: PostingForm,
    submit: bool,
    values: Values,
}

impl Submission {
    fn read(body: &[u8]) -> Submission {
        let pairs: Vec<(String, String)> = url::form_urlencoded::parse(body)
            .into_owned()
            .filter(|(k, _)| k != "csrf_token" && k != "confirm")
            .collect();
        let values = Values::from_pairs(pairs);
        let list = |name: &str| values.all(name).join(",");
        let form = PostingForm {
            title: values.get("title").to_owned(),
            description: values.get("description").to_owned(),
            category: values.get("category").to_owned(),
            skills: values.get("skills").to_owned(),
            hours: values.get("hours").to_owned(),
            fee: values.get("fee").to_owned(),
            currency: values.get("currency").to_owned(),
            mode: values.get("mode").to_owned(),
            location: values.get("location").to_owned(),
            apply_by: values.get("apply_by").to_owned(),
            due_by: values.get("due_by").to_owned(),
            openings: values.get("openings").to_owned(),
            eligible_colleges: list("eligible_colleges"),
            eligible_majors: list("eligible_majors"),
            eligible_class_years: list("eligible_class_years"),
        };
        Submission { submit: values.get("intent") == "submit", form, values }
    }

    /// Every problem at once: the rules', and a choice that is not one of the lists (only
    /// a changed page sends one).
    fn check(
        &self,
        lists: &KnownLists,
        today: chrono::NaiveDate,
        min_hourly_cents: i64,
    ) -> Result<crate::opportunities::rules::Posting, Problems> {
        let mut problems = Problems::new();
        for (field, listed, what) in
            [("eligible_colleges", &lists.colleges, "colleges"), ("eligible_majors", &lists.majors, "majors")]
        {
            // Matched as eligibility matches (case and spacing aside).
            for v in self.values.all(field) {
                if !listed.iter().any(|l| eligibility_key(l) == eligibility_key(v)) {
                    problems.add(field, format!("`{v}` is not one of the {what} listed"));
                }
            }
        }
        match validate_posting(&self.form, today, min_hourly_cents) {
            Ok(p) if problems.is_empty() => Ok(p),
            Ok(_) => Err(problems),
            Err(rules) => {
                let mut all: Problems = rules.into();
                all.extend(problems);
                Err(all)
            }
        }
    }
}

/// What a saved posting's message says.
fn saved(title: &str, submitted: bool) -> String {
    if submitted {
        format!("“{title}” was submitted for review: the career office approves it or returns it with a reason")
    } else {
        format!("Draft saved: “{title}”")
    }
}

#[allow(clippy::too_many_arguments)]
async fn create_in(
    v: &Viewer,
    pool: &Pool,
    templates: &Templates,
    settings: &Settings,
    clock: &Clock,
    employer_id: EmployerId,
    action: &str,
    sub: Submission,
) -> Result<HttpResponse, AppError> {
    // An apply-by date typed in the form is a campus date: "in the future" is after today on campus.
    let change = Change::of(v, clock)?;
    let lists = db::run(pool, |conn| postings::known_lists(conn).map_err(Error::from)).await?;
    let posting = match sub.check(&lists, change.today, settings.min_hourly_fee_cents) {
        Ok(p) => p,
        Err(problems) => {
            return posting_form_page(templates, pool, clock, v, "New micro-internship", action, sub.values, problems)
                .await
        }
    };
    let (submit, title) = (sub.submit, posting.title.clone());
    let (id, submitted) = db::run(pool, move |conn| -> Result<_, AppError> {
        let id = postings::create_posting(conn, &employer_id, &posting, &change.actor, change.now)?;
        let submitted =
            submit.then(|| postings::move_posting(conn, &id, PostingStatus::PendingReview, "", &change.acting()));
        Ok((id, submitted))
    })
    .await?;
    let page = format!("/postings/{id}");
    match submitted {
        // Saved as a draft, but not submitted: say why on the posting's page.
        Some(Err(e)) => {
            let why = outcome(Err(e), "").notice.unwrap_or_default();
            Ok(redirect_with_flash(&page, format!("Draft saved: “{title}”. {why}")))
        }
        Some(Ok(())) => Ok(redirect_with_flash(&page, saved(&title, true))),
        None => Ok(redirect_with_flash(&page, saved(&title, false))),
    }
}

pub(super) async fn create_posting(
    v: Manager,
    _csrf: CsrfChecked,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    settings: web::Data<std::sync::Arc<Settings>>,
    clock: web::Data<Clock>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let Some(Scope::Employer(employer)) = scope_of(&v) else { return Err(Error::Forbidden.into()) };
    let sub = Submission::read(&body);
    create_in(&v, &pool, &templates, &settings, &clock, employer, "/workspace/postings", sub).await
}

#[allow(clippy::too_many_arguments)]
pub(super) async fn create_posting_for(
    v: EmployerStaff,
    _csrf: CsrfChecked,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    settings: web::Data<std::sync::Arc<Settings>>,
    clock: web::Data<Clock>,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let id = EmployerId::from(path.into_inner());
    let id2 = id.clone();
    // An unknown employer is not found, whatever the form says.
    db::run(&pool, move |conn| employer_name(conn, &id2)).await?;
    let action = format!("/employers/{id}/postings");
    create_in(&v, &pool, &templates, &settings, &clock, id, &action, Submission::read(&body)).await
}

pub(super) async fn edit_posting_page(
    v: Manager,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = OpportunityId::from(path.into_inner());
    let s = scope(&v)?;
    let id2 = id.clone();
    let p = db::run(&pool, move |conn| postings::posting(conn, &id2, &s)).await?;
    if p.status != PostingStatus::Draft {
        return Err(Error::conflict("only a draft can be edited").into());
    }
    let (title, action) = (format!("Edit {}", p.title), format!("/postings/{id}/edit"));
    posting_form_page(&templates, &pool, &clock, &v, &title, &action, form_of(&p), Problems::new()).await
}

#[allow(clippy::too_many_arguments)]
pub(super) async fn update_posting(
    v: Manager,
    _csrf: CsrfChecked,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    settings: web::Data<std::sync::Arc<Settings>>,
    clock: web::Data<Clock>,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let id = OpportunityId::from(path.into_inner());
    let sub = Submission::read(&body);
    let action = format!("/postings/{id}/edit");
    let change = Change::of(&v, &clock)?;
    let (id2, s) = (id.clone(), change.scope.clone());
    let lists = db::run(&pool, move |conn| -> Result<_, Error> {
        // What the draft already names stays a choice, even if the roster no longer has it.
        let mut lists = postings::known_lists(conn)?;
        let draft = postings::posting(conn, &id2, &s)?;
        let named = |list: &str| {
            list.split(',').map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned).collect::<Vec<_>>()
        };
        lists.colleges.extend(named(&draft.eligible_colleges));
        lists.majors.extend(named(&draft.eligible_majors));
        Ok(lists)
    })
    .await?;
    let posting = match sub.check(&lists, change.today, settings.min_hourly_fee_cents) {
        Ok(p) => p,
        Err(problems) => {
            return posting_form_page(&templates, &pool, &clock, &v, "Edit the posting", &action, sub.values, problems)
                .await
        }
    };
    let (submit, title) = (sub.submit, posting.title.clone());
    let id2 = id.clone();
    db::run(&pool, move |conn| -> Result<(), AppError> {
        postings::update_posting(conn, &id2, &posting, &change.acting())?;
        if submit {
            postings::move_posting(conn, &id2, PostingStatus::PendingReview, "", &change.acting())?;
        }
        Ok(())
    })
    .await?;
    Ok(redirect_with_flash(&format!("/postings/{id}"), saved(&title, submit)))
}

/// The applicant list's parameters: a status, and a place (`after=`/`before=`, from the
/// page links).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct ApplicantsParams {
    status: String,
    after: String,
    before: String,
}

impl ApplicantsParams {
    /// The list asked for; a status or place that cannot be read is named.
    fn read(&self) -> Result<ApplicantsQuery, Error> {
        let mut problems = Problems::new();
        let status = match self.status.trim() {
            "" => None,
            raw => match raw.parse::<ApplicationStatus>() {
                Ok(s) => Some(s),
                Err(_) => {
                    problems.add("status", format!("`{raw}` is not an application status"));
                    None
                }
            },
        };
        let (raw, backward) =
            if self.before.trim().is_empty() { (self.after.as_str(), false) } else { (self.before.as_str(), true) };
        let place = match raw.trim() {
            "" => None,
            raw => match Cursor::read(raw, Sort::Newest, backward) {
                Some(c) => Some(c),
                None => {
                    problems.add(if backward { "before" } else { "after" }, "is not a place in this list");
                    None
                }
            },
        };
        if problems.as_slice().is_empty() {
            Ok(ApplicantsQuery { status, place })
        } else {
            Err(Error::Invalid(problems))
        }
    }
}

pub(super) async fn posting_page(
    v: Manager,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    path: web::Path<String>,
    q: web::Query<ApplicantsParams>,
) -> Result<HttpResponse, AppError> {
    let which = q.read()?;
    let id = OpportunityId::from(path.into_inner());
    render_posting_page(&v, &pool, &templates, &clock, id, Feedback::none(), Values::new(), which).await
}

/// The posting's page, with what the last refused change said (a notice, the form's
/// problems, and the status the page is answered with).
pub(super) async fn render_posting(
    v: &Viewer,
    pool: &Pool,
    templates: &Templates,
    clock: &Clock,
    id: OpportunityId,
    shown: Feedback,
) -> Result<HttpResponse, AppError> {
    render_posting_with(v, pool, templates, clock, id, shown, Values::new()).await
}

async fn render_posting_with(
    v: &Viewer,
    pool: &Pool,
    templates: &Templates,
    clock: &Clock,
    id: OpportunityId,
    shown: Feedback,
    kept: Values,
) -> Result<HttpResponse, AppError> {
    render_posting_page(v, pool, templates, clock, id, shown, kept, ApplicantsQuery::default()).await
}

/// The posting's page with `which` of its applicants.
#[allow(clippy::too_many_arguments)]
async fn render_posting_page(
    v: &Viewer,
    pool: &Pool,
    templates: &Templates,
    clock: &Clock,
    id: OpportunityId,
    shown: Feedback,
    kept: Values,
    which: ApplicantsQuery,
) -> Result<HttpResponse, AppError> {
    let Feedback { notice, problems, status } = shown;
    let s = scope(v)?;
    let side = s.side();
    let (reader, now) = (v.principal.actor(), clock.now_utc());
    let chosen = which.status;
    let detail = db::run(pool, move |conn| postings::posting_detail(conn, &id, &s, &reader, now, &which)).await?;
    let title = detail.posting.title.clone();
    let page = PostingPage::new(detail, side, notice, problems, kept, chosen);
    let body = templates.render("opportunities/manage", context(&title, Some(v), page))?;
    Ok(html(status, body))
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub(super) struct MoveForm {
    to: String,
    reason: String,
    confirm: Option<String>,
}

/// What a posting's move did, in the office's words.
fn moved(to: PostingStatus, title: &str, employer: &str) -> String {
    match to {
        PostingStatus::PendingReview => saved(title, true),
        PostingStatus::Open => format!("“{title}” approved: it is open to students"),
        PostingStatus::Draft => format!("Posting returned to {employer} with your reason"),
        PostingStatus::Closed => format!("Applications closed for “{title}”"),
        PostingStatus::Cancelled => format!("“{title}” cancelled; its waiting applicants were told, with your reason"),
    }
}

pub(super) async fn move_posting(
    req: HttpRequest,
    v: Manager,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    path: web::Path<String>,
    form: CheckedForm<MoveForm>,
) -> Result<HttpResponse, AppError> {
    let id = OpportunityId::from(path.into_inner());
    let f = form.0;
    let kept = Values::new().with("reason", f.reason.clone());
    let change = Change::of(&v, &clock)?;
    let (id2, s) = (id.clone(), change.scope.clone());
    let side = s.side();
    let (title, employer, status) = db::run(&pool, move |conn| -> Result<_, Error> {
        let p = postings::posting(conn, &id2, &s)?;
        Ok((p.title, employer_name(conn, &p.employer_id)?, p.status))
    })
    .await?;
    let page = format!("/postings/{id}");
    let to = match choice::<PostingStatus>("to", &f.to) {
        Ok(to) => to,
        Err(e) => return render_posting_with(&v, &pool, &templates, &clock, id, outcome(Err(e), ""), kept).await,
    };
    // Check first (a cancellation needs a reason), then ask, then act. A move the rules
    // refuse is not asked about: it is refused (409) below.
    if to == PostingStatus::Cancelled && posting_move(status, to, side).is_ok() {
        if f.reason.trim().is_empty() {
            let e = Error::invalid("reason", "give a reason for cancelling: the applicants read it");
            return render_posting_with(&v, &pool, &templates, &clock, id, outcome(Err(e), ""), kept).await;
        }
        if let Some(ask) = Confirmation::new(format!("Cancel the posting “{title}”?"))
            .explain("It closes to applications, and every applicant still waiting is told, with your reason. A cancelled posting cannot be reopened.")
            .fact("Employer", &employer)
            .fact("Reason", f.reason.trim())
            .button("Cancel the posting")
            .cancel_to(&page)
            .cancel_label("Keep the posting")
            .unless_confirmed(&req, &f, &*v)?
        {
            return Ok(ask);
        }
    }
    let id2 = id.clone();
    let reason = f.reason.clone();
    let r = db::run(&pool, move |conn| {
        Ok::<_, AppError>(postings::move_posting(conn, &id2, to, &reason, &change.acting()))
    })
    .await?;
    match r {
        Ok(()) => Ok(redirect_with_flash(&page, moved(to, &title, &employer))),
        Err(Error::NotFound) => Err(Error::NotFound.into()),
        Err(e) => render_posting_with(&v, &pool, &templates, &clock, id, outcome(Err(e), ""), kept).await,
    }
}

pub(super) async fn review_queue(
    v: Staff,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
) -> Result<HttpResponse, AppError> {
    let rows = db::run(&pool, |conn| postings::review_queue(conn).map_err(Error::from)).await?;
    let page = ReviewPage::new(rows, clock.now_utc());
    templates.page("opportunities/review", context("Postings to review", Some(&v), page))
}
