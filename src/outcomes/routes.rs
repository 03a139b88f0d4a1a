//! The counselor's outcome pages, reached from a student's page: the student's outcomes
//! with their history (`/students/{id}/outcomes`), recording one and changing one.
//! Student records: counselors and admins only (a recruiter learns nothing: 404; anyone
//! else 403); never cached.

use actix_web::http::header;
use actix_web::{web, HttpResponse};
use serde_json::json;

use super::rules::{self, Category, EmploymentType, OutcomeInput, Source};
use super::store;
use super::views::{OutcomeRow, OutcomesPage};
use crate::auth::csrf::CheckedForm;
use crate::auth::extract::Require;
use crate::core::{Clock, Error, StudentId};
use crate::db::{self, Pool};
use crate::records::routes::StudentRecordsRule;
use crate::web::flash::redirect_with_flash;
use crate::web::forms::{Choices, Field, Form, Values};
use crate::web::pages::context;
use crate::web::{AppError, Templates};

type Office = Require<StudentRecordsRule>;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/students/{id}/outcomes", web::get().to(outcomes_page))
        .route("/students/{id}/outcomes", web::post().to(record))
        .route("/students/{id}/outcomes/new", web::get().to(new_outcome))
        .route("/students/{id}/outcomes/{outcome}/edit", web::get().to(edit_outcome))
        .route("/students/{id}/outcomes/{outcome}", web::post().to(change))
        .configure(super::survey_routes::configure)
        .configure(super::upload::configure);
}

fn no_store(mut r: HttpResponse) -> HttpResponse {
    r.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    r
}

fn labelled<T: Copy>(all: &[T], text: fn(T) -> &'static str, label: fn(T) -> &'static str) -> Choices {
    Choices::new(all.iter().map(|x| (text(*x), label(*x))))
}

fn outcome_form() -> Form {
    Form::new([
        Field::select("category", "Outcome", labelled(&Category::ALL, Category::as_str, Category::label)).required(),
        Field::select(
            "employment_type",
            "Kind of employment",
            labelled(&EmploymentType::ALL, EmploymentType::as_str, EmploymentType::label),
        )
        .optional()
        .hint("For employment only"),
        Field::text("organization", "Employer or organisation")
            .optional()
            .hint("An employer's name as in the catalogue links the outcome to that employer"),
        Field::text("job_title", "Job title or programme").optional(),
        Field::date("start_on", "Start date").optional(),
        Field::number("annual_salary", "Annual salary").inputmode("decimal").optional().hint("A year, before tax"),
        Field::select("currency", "Currency", Choices::currencies()).required(),
        Field::select("source", "Where the office learnt it", labelled(&Source::ALL, Source::as_str, Source::label))
            .required(),
        Field::radios(
            "primary",
            "The graduate's primary outcome?",
            Choices::new([("true", "Yes, this is the one that counts"), ("false", "No")]),
        )
        .required()
        .hint("A graduate has one primary outcome: marking this one unmarks the other"),
        Field::date("offer_on", "Offer date").optional(),
        Field::date("accepted_on", "Accepted on").optional(),
        Field::date("known_on", "Date the office learnt it").required(),
    ])
}

fn input_of(o: &store::Outcome) -> OutcomeInput {
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    OutcomeInput {
        category: o.category.clone(),
        employment_type: o.employment_type.clone().unwrap_or_default(),
        organization: o.organization.clone().unwrap_or_default(),
        job_title: o.job_title.clone().unwrap_or_default(),
        start_on: date(o.start_on),
        annual_salary: o.annual_salary_cents.map(|c| format!("{}.{:02}", c / 100, c % 100)).unwrap_or_default(),
        currency: o.currency.clone(),
        source: o.source.clone(),
        primary: o.is_primary.to_string(),
        offer_on: date(o.offer_on),
        accepted_on: date(o.accepted_on),
        known_on: o.known_on.to_string(),
    }
}

async fn student_name(pool: &Pool, id: &StudentId) -> Result<String, AppError> {
    let id = id.clone();
    db::run(pool, move |c| {
        use crate::db::schema::students;
        use diesel::prelude::*;
        students::table.find(id.as_str()).select(students::name).first::<String>(c).optional().map_err(AppError::from)
    })
    .await?
    .ok_or_else(|| Error::NotFound.into())
}

fn form_page(
    templates: &Templates,
    office: &Office,
    form: Form,
    student: &StudentId,
    name: &str,
    outcome: Option<&str>,
) -> Result<HttpResponse, AppError> {
    let (title, action) = match outcome {
        None => (format!("Record an outcome for {name}"), format!("/students/{student}/outcomes")),
        Some(o) => (format!("Change an outcome of {name}"), format!("/students/{student}/outcomes/{o}")),
    };
    let view = json!({ "form": form, "action": action, "student": student.as_str(), "name": name, "editing": outcome.is_some() });
    Ok(no_store(templates.page_as(form.status(), "outcomes/form", context(&title, Some(office), &view))?))
}

async fn outcomes_page(
    office: Office,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = StudentId::from(path.into_inner());
    let name = student_name(&pool, &id).await?;
    let s = id.clone();
    let (outcomes, history) = db::run(&pool, move |c| -> Result<_, AppError> {
        Ok((store::of_student(c, &s)?, store::history_of_student(c, &s)?))
    })
    .await?;
    let view = OutcomesPage::new(&id, &name, &outcomes, &history);
    Ok(no_store(templates.page("outcomes/student", context(&format!("Outcomes of {name}"), Some(&office), &view))?))
}

async fn new_outcome(
    office: Office,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = StudentId::from(path.into_inner());
    let name = student_name(&pool, &id).await?;
    let values = Values::new()
        .with("currency", "USD")
        .with("source", "counselor")
        .with("primary", "false")
        .with("known_on", clock.today().to_string());
    form_page(&templates, &office, outcome_form().with_values(values), &id, &name, None)
}

async fn record(
    office: Office,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    path: web::Path<String>,
    form: CheckedForm<OutcomeInput>,
) -> Result<HttpResponse, AppError> {
    let id = StudentId::from(path.into_inner());
    let name = student_name(&pool, &id).await?;
    let submitted = form.0;
    let (actor, now) = (office.principal.actor(), clock.now_utc());
    let checked = rules::check(&submitted, clock.today());
    let s = id.clone();
    match db::run(&pool, move |c| store::record(c, &actor, &s, &checked?, now)).await {
        Ok(name) => {
            Ok(redirect_with_flash(&format!("/students/{id}/outcomes"), format!("Outcome recorded for {name}")))
        }
        Err(Error::Invalid(problems)) => {
            let form = outcome_form().with_values(Values::of(&submitted)).with_problems(problems);
            form_page(&templates, &office, form, &id, &name, None)
        }
        Err(e) => Err(e.into()),
    }
}

async fn edit_outcome(
    office: Office,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (id, outcome) = path.into_inner();
    let id = StudentId::from(id);
    let name = student_name(&pool, &id).await?;
    let (s, o) = (id.clone(), outcome.clone());
    let found = db::run(&pool, move |c| store::one(c, &s, &o).map_err(AppError::from)).await?.ok_or(Error::NotFound)?;
    let form = outcome_form().with_values(Values::of(&input_of(&found)));
    form_page(&templates, &office, form, &id, &name, Some(&outcome))
}

async fn change(
    office: Office,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    path: web::Path<(String, String)>,
    form: CheckedForm<OutcomeInput>,
) -> Result<HttpResponse, AppError> {
    let (id, outcome) = path.into_inner();
    let id = StudentId::from(id);
    let name = student_name(&pool, &id).await?;
    let submitted = form.0;
    let (actor, now) = (office.principal.actor(), clock.now_utc());
    let checked = rules::check(&submitted, clock.today());
    let (s, o) = (id.clone(), outcome.clone());
    match db::run(&pool, move |c| store::edit(c, &actor, &s, &o, &checked?, now)).await {
        Ok(name) => Ok(redirect_with_flash(&format!("/students/{id}/outcomes"), format!("Outcome of {name} changed"))),
        Err(Error::Invalid(problems)) => {
            let form = outcome_form().with_values(Values::of(&submitted)).with_problems(problems);
            form_page(&templates, &office, form, &id, &name, Some(&outcome))
        }
        Err(e) => Err(e.into()),
    }
}

/// The rows of the page's table, for the view.
pub(crate) fn rows(outcomes: &[store::Outcome]) -> Vec<OutcomeRow> {
    outcomes.iter().map(OutcomeRow::from).collect()
}
