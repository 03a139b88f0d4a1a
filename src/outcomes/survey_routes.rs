//! The survey's pages. The office's: the cohort pages (`/outcomes/cohorts`, and
//! `/outcomes/cohorts/{year}`: graduates, the knowledge rate by month against NACE's 65%,
//! the survey's progress and its "Send the survey" action, asked first) and confirming a
//! survey answer. The graduate's: `/survey/{token}`, signed in with campus SSO, the link
//! their own (anyone else's: 404), answered once; and `/survey`, the same survey found
//! from their home without the link (a graduate invited before they ever signed in got it
//! by mail only). Education records: never cached.

use std::sync::Arc;

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::Datelike;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::progress::{self, MonthFigure};
use super::rules::{self, Category, EmploymentType, OutcomeInput, Rate};
use super::survey::{self, SurveyStatus};
use super::{store, survey::Invitation};
use crate::auth::csrf::CheckedForm;
use crate::auth::extract::{Require, Student};
use crate::config::Settings;
use crate::core::words::plural;
use crate::core::{Clock, Error, StudentId};
use crate::db::{self, Pool};
use crate::records::routes::StudentRecordsRule;
use crate::web::confirm::Confirmation;
use crate::web::flash::redirect_with_flash;
use crate::web::forms::{Choices, Field, Form, Values};
use crate::web::pages::context;
use crate::web::{AppError, Templates};

type Office = Require<StudentRecordsRule>;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/outcomes/cohorts", web::get().to(cohorts))
        .route("/outcomes/cohorts/{year}", web::get().to(cohort_page))
        .route("/outcomes/cohorts/{year}/survey", web::post().to(send_survey))
        .route("/students/{id}/outcomes/{outcome}/confirm", web::post().to(confirm))
        .route("/survey", web::get().to(own_survey_page))
        .route("/survey", web::post().to(answer_own))
        .route("/survey/{token}", web::get().to(survey_page))
        .route("/survey/{token}", web::post().to(answer));
}

fn no_store(mut r: HttpResponse) -> HttpResponse {
    r.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    r
}

/// The class a campus date's graduation month belongs to (July starts the next class).
fn current_class(today: chrono::NaiveDate) -> i32 {
    if today.month() >= 7 {
        today.year() + 1
    } else {
        today.year()
    }
}

/// A class year from the path: a plausible year, else no such page.
fn class_of_path(raw: &str) -> Result<i32, AppError> {
    raw.parse::<i32>().ok().filter(|y| (1900..=2200).contains(y)).ok_or_else(|| Error::NotFound.into())
}

async fn cohorts(
    office: Office,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
) -> Result<HttpResponse, AppError> {
    let now = current_class(clock.today());
    let classes: Vec<i32> = (0..4).map(|i| now - i).collect();
    let view = json!({ "classes": classes });
    Ok(no_store(
        templates
            .page("outcomes/cohorts", context("Cohorts and the first-destination survey", Some(&office), &view))?,
    ))
}

#[derive(Serialize)]
struct MonthRow {
    month: String,
    known: u64,
    percent: String,
    meets: bool,
    /// The bar's height in the chart (0–100) and its top (10 + 100 − height).
    height: u64,
    y: u64,
    x: usize,
}

#[derive(Serialize)]
struct CohortView {
    class: i32,
    graduates: u64,
    known: u64,
    percent: String,
    meets: bool,
    minimum: u64,
    months: Vec<MonthRow>,
    chart_width: usize,
    survey: SurveyStatus,
    can_invite_text: String,
}

fn month_rows(months: &[MonthFigure]) -> Vec<MonthRow> {
    months
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let height = m.rate.map(|r| (r.numerator * 100 + r.denominator / 2) / r.denominator).unwrap_or(0);
            MonthRow {
                month: m.month.format("%B %Y").to_string(),
                known: m.known,
                percent: progress::percent(m.rate),
                meets: progress::meets_nace_minimum(m.rate),
                height,
                y: 10 + 100 - height,
                x: 40 + i * 24,
            }
        })
        .collect()
}

async fn cohort_page(
    office: Office,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let class = class_of_path(&path)?;
    let today = clock.today();
    let ((graduates, days), status) = db::run(&pool, move |c| -> Result<_, AppError> {
        Ok((survey::known_days(c, class, today)?, survey::status(c, class, today)?))
    })
    .await?;
    let rate = Rate::of(days.len() as u64, graduates);
    let months = progress::by_month(class, graduates, &days, today);
    let view = CohortView {
        class,
        graduates,
        known: days.len() as u64,
        percent: progress::percent(rate),
        meets: progress::meets_nace_minimum(rate),
        minimum: progress::NACE_MINIMUM_PERCENT,
        chart_width: 40 + months.len() * 24 + 8,
        months: month_rows(&months),
        can_invite_text: plural(status.can_invite, "graduate", None),
        survey: status,
    };
    let title = format!("Class of {class}");
    Ok(no_store(templates.page("outcomes/cohort", context(&title, Some(&office), &view))?))
}

#[derive(Deserialize, Serialize)]
struct SendForm {
    #[serde(default)]
    confirm: Option<String>,
}

async fn send_survey(
    req: HttpRequest,
    office: Office,
    pool: web::Data<Pool>,
    clock: web::Data<Clock>,
    settings: web::Data<Arc<Settings>>,
    path: web::Path<String>,
    form: CheckedForm<SendForm>,
) -> Result<HttpResponse, AppError> {
    let class = class_of_path(&path)?;
    let page = format!("/outcomes/cohorts/{class}");
    let (today, now) = (clock.today(), clock.now_utc());
    let waiting = db::run(&pool, move |c| survey::uninvited_count(c, class, today).map_err(AppError::from)).await?;
    if waiting == 0 {
        return Ok(redirect_with_flash(
            &page,
            format!(
                "Nobody to send the survey to: every graduate of the class of {class} has an outcome or an invitation"
            ),
        ));
    }
    let who = plural(waiting, "graduate", None);
    if let Some(ask) = Confirmation::new(format!("Send the survey to {who} of the class of {class}?"))
        .explain("Each graduate with no outcome and no invitation yet gets a message in their inbox and a mail with a link of their own. Reminders follow at most once a week until they answer.")
        .fact("Class", class.to_string())
        .fact("Graduates", who.clone())
        .button("Send the survey")
        .cancel_to(&page)
        .cancel_label("Not now")
        .unless_confirmed(&req, &form.0, &*office)?
    {
        return Ok(no_store(ask));
    }
    let actor = office.principal.actor();
    let base = settings.public_url.as_str().to_owned();
    let sent = db::run(&pool, move |c| survey::invite(c, &actor, class, today, now, Some(&base))).await?;
    Ok(redirect_with_flash(&page, format!("Survey sent to {}", plural(sent as i64, "graduate", None))))
}

#[derive(Deserialize, Serialize)]
struct ConfirmForm {
    #[serde(default)]
    back: Option<String>,
}

async fn confirm(
    office: Office,
    pool: web::Data<Pool>,
    clock: web::Data<Clock>,
    path: web::Path<(String, String)>,
    form: CheckedForm<ConfirmForm>,
) -> Result<HttpResponse, AppError> {
    let (id, outcome) = path.into_inner();
    let student = StudentId::from(id.clone());
    let (actor, now) = (office.principal.actor(), clock.now_utc());
    let name = db::run(&pool, move |c| store::confirm(c, &actor, &student, &outcome, now)).await?;
    // Back to the cohort page when confirmed from there (only a path of ours).
    let back = form
        .0
        .back
        .filter(|b| b.starts_with("/outcomes/cohorts/") && !b.contains("//"))
        .unwrap_or_else(|| format!("/students/{id}/outcomes"));
    Ok(redirect_with_flash(&back, format!("Survey answer of {name} confirmed")))
}

/// What a graduate types: an outcome without what only the office knows (source, primary,
/// the day the office learnt it).
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
struct SurveyInput {
    category: String,
    employment_type: String,
    organization: String,
    job_title: String,
    start_on: String,
    annual_salary: String,
    currency: String,
    offer_on: String,
    accepted_on: String,
}

impl SurveyInput {
    /// As an outcome: source `survey`, not primary (a counselor decides that), learnt today.
    fn outcome(&self, today: chrono::NaiveDate) -> OutcomeInput {
        OutcomeInput {
            category: self.category.clone(),
            employment_type: self.employment_type.clone(),
            organization: self.organization.clone(),
            job_title: self.job_title.clone(),
            start_on: self.start_on.clone(),
            annual_salary: self.annual_salary.clone(),
            currency: self.currency.clone(),
            source: "survey".into(),
            primary: "false".into(),
            offer_on: self.offer_on.clone(),
            accepted_on: self.accepted_on.clone(),
            known_on: today.to_string(),
        }
    }
}

fn labelled<T: Copy>(all: &[T], text: fn(T) -> &'static str, label: fn(T) -> &'static str) -> Choices {
    Choices::new(all.iter().map(|x| (text(*x), label(*x))))
}

fn survey_form() -> Form {
    Form::new([
        Field::select(
            "category",
            "What are you doing now?",
            labelled(&Category::ALL, Category::as_str, Category::label),
        )
        .required(),
        Field::select(
            "employment_type",
            "Kind of employment",
            labelled(&EmploymentType::ALL, EmploymentType::as_str, EmploymentType::label),
        )
        .optional()
        .hint("If you are employed"),
        Field::text("organization", "Employer, school or organisation").optional(),
        Field::text("job_title", "Job title or programme").optional(),
        Field::date("start_on", "Start date").optional(),
        Field::number("annual_salary", "Annual salary").inputmode("decimal").optional().hint("A year, before tax"),
        Field::select("currency", "Currency", Choices::currencies()).required(),
        Field::date("offer_on", "Date of the offer").optional(),
        Field::date("accepted_on", "Date you accepted it").optional(),
    ])
}

/// The link's invitation, if it is the viewer's own; anyone else's (or no such link): 404.
/// No link (`/survey`): the viewer's own invitation, if any.
async fn own_invitation(pool: &Pool, viewer: &Student, token: Option<&str>) -> Result<Invitation, AppError> {
    let mine = viewer.principal.student_id.clone().ok_or(Error::NotFound)?;
    let token = token.map(str::to_owned);
    let me = mine.clone();
    db::run(pool, move |c| match token {
        Some(t) => survey::by_token(c, &t).map_err(AppError::from),
        None => survey::of_student(c, me.as_str()).map_err(AppError::from),
    })
    .await?
    .filter(|i| i.student_id == mine.as_str())
    .ok_or_else(|| Error::NotFound.into())
}

/// Where the survey's form posts: the link's own address, or `/survey`.
fn action_of(token: Option<&str>) -> String {
    match token {
        Some(t) => format!("/survey/{t}"),
        None => "/survey".to_owned(),
    }
}

fn answered_page(
    templates: &Templates,
    viewer: &Student,
    status: StatusCode,
    inv: &Invitation,
) -> Result<HttpResponse, AppError> {
    let view = json!({ "class": inv.class_year, "answered_at": inv.answered_at });
    Ok(no_store(templates.page_as(
        status,
        "outcomes/survey_answered",
        context("Survey answered", Some(viewer), &view),
    )?))
}

fn form_page(
    templates: &Templates,
    viewer: &Student,
    form: Form,
    token: Option<&str>,
    class: i32,
) -> Result<HttpResponse, AppError> {
    let view = json!({ "form": form, "action": action_of(token), "class": class });
    Ok(no_store(templates.page_as(
        form.status(),
        "outcomes/survey",
        context("The first-destination survey", Some(viewer), &view),
    )?))
}

async fn survey_page(
    viewer: Student,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    show(viewer, &pool, &templates, Some(&path.into_inner())).await
}

async fn own_survey_page(
    viewer: Student,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
) -> Result<HttpResponse, AppError> {
    show(viewer, &pool, &templates, None).await
}

async fn show(
    viewer: Student,
    pool: &Pool,
    templates: &Templates,
    token: Option<&str>,
) -> Result<HttpResponse, AppError> {
    let inv = own_invitation(pool, &viewer, token).await?;
    if inv.answered_at.is_some() {
        return answered_page(templates, &viewer, StatusCode::OK, &inv);
    }
    let form = survey_form().with_values(Values::new().with("currency", "USD"));
    form_page(templates, &viewer, form, token, inv.class_year)
}

async fn answer(
    viewer: Student,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    path: web::Path<String>,
    form: CheckedForm<SurveyInput>,
) -> Result<HttpResponse, AppError> {
    take_answer(viewer, &pool, &templates, &clock, Some(&path.into_inner()), form.0).await
}

async fn answer_own(
    viewer: Student,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    form: CheckedForm<SurveyInput>,
) -> Result<HttpResponse, AppError> {
    take_answer(viewer, &pool, &templates, &clock, None, form.0).await
}

async fn take_answer(
    viewer: Student,
    pool: &Pool,
    templates: &Templates,
    clock: &Clock,
    token: Option<&str>,
    submitted: SurveyInput,
) -> Result<HttpResponse, AppError> {
    let inv = own_invitation(pool, &viewer, token).await?;
    if inv.answered_at.is_some() {
        return answered_page(templates, &viewer, StatusCode::CONFLICT, &inv);
    }
    let (today, now) = (clock.today(), clock.now_utc());
    let checked = rules::check(&submitted.outcome(today), today);
    let (actor, i, student) = (viewer.principal.actor(), inv.id.clone(), inv.student_id.clone());
    match db::run(pool, move |c| survey::answer(c, &actor, &i, &student, &checked?, now)).await {
        Ok(()) => Ok(redirect_with_flash(&action_of(token), "Thank you: your answer reached the career office")),
        Err(Error::Invalid(problems)) => {
            let form = survey_form().with_values(Values::of(&submitted)).with_problems(problems);
            form_page(templates, &viewer, form, token, inv.class_year)
        }
        Err(Error::Conflict(_)) => {
            let again = own_invitation(pool, &viewer, token).await?;
            answered_page(templates, &viewer, StatusCode::CONFLICT, &again)
        }
        Err(e) => Err(e.into()),
    }
}
