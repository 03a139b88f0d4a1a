//! A recruiter's sessions: the group-session and one-on-one series forms, editing a
//! session, and cancelling one (with a reason for the students, after confirming).
//! Everything is scoped by the recruiter's employer: another employer's session is 404.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{site, zone};
use crate::auth::csrf::CheckedForm;
use crate::auth::extract::Recruiter;
use crate::core::{Clock, EmployerId, Error, FairId, FairSessionId, RecruiterId};
use crate::db::{self, Pool};
use crate::fairs::rules::{check_series, check_session, SeriesForm, SessionForm};
use crate::fairs::store::fairs as fair_store;
use crate::fairs::store::sessions::{self as store, Host};
use crate::web::confirm::Confirmation;
use crate::web::flash::redirect_with_flash;
use crate::web::forms::{Field, Form, Values};
use crate::web::pages::context;
use crate::web::{AppError, Templates};

fn time_fields() -> [Field; 3] {
    [
        Field::date("date", "Date").required(),
        Field::text("start", "Starts").hint("Campus time, 24-hour, like 14:00").required(),
        Field::text("end", "Ends").hint("Campus time, 24-hour, like 14:45").required(),
    ]
}

fn session_form() -> Form {
    let mut fields = vec![
        Field::text("title", "Title").required(),
        Field::textarea("description", "What students will hear").rows(4).optional(),
    ];
    fields.extend(time_fields());
    fields.push(Field::number("capacity", "Seats").hint("From 1 to 1000; more students join the waitlist").required());
    fields.push(
        Field::url("meeting_url", "Meeting link")
            .hint("Shown only to registered students, through the join link")
            .required(),
    );
    Form::new(fields)
}

fn series_form() -> Form {
    let mut fields = vec![
        Field::text("title", "Title").required(),
        Field::textarea("description", "What the conversations are for").rows(3).optional(),
    ];
    fields.extend(time_fields());
    fields.push(Field::number("slot_minutes", "Minutes per slot").hint("From 10 to 30").required());
    fields.push(Field::number("gap_minutes", "Minutes between slots").hint("From 0 to 15").required());
    fields.push(
        Field::url("meeting_url", "Meeting link").hint("Shown only to the student who books the slot").required(),
    );
    Form::new(fields)
}

/// The recruiter's employer and recruiter record (a recruiter without one finds nothing).
async fn host(pool: &Pool, viewer: &Recruiter) -> Result<(EmployerId, RecruiterId), AppError> {
    let employer = viewer.principal.employer_id.clone().ok_or(Error::NotFound)?;
    let (user, e) = (viewer.principal.id.clone(), employer.clone());
    let recruiter = db::run(pool, move |c| store::host_of(c, &user, &e)?.ok_or(Error::NotFound)).await?;
    Ok((employer, recruiter))
}

/// The fair's name, if the recruiter's employer may see it (published or closed).
async fn fair_name(pool: &Pool, id: &FairId) -> Result<String, AppError> {
    let id = id.clone();
    Ok(db::run(pool, move |c| {
        fair_store::find(c, &id)?
            .filter(|f| f.status != crate::fairs::rules::FairStatus::Draft)
            .map(|f| f.name)
            .ok_or(Error::NotFound)
    })
    .await?)
}

struct FormPage<'a> {
    title: &'a str,
    template: &'a str,
    action: String,
    back: String,
    button: &'a str,
}

fn render(
    templates: &Templates,
    viewer: &Recruiter,
    clock: &Clock,
    p: FormPage<'_>,
    form: Form,
) -> Result<HttpResponse, AppError> {
    let page = context(
        p.title,
        Some(&**viewer),
        json!({ "form": form, "zone": zone(clock), "action": p.action, "back": p.back, "button": p.button, "heading": p.title }),
    );
    templates.page_as(form.status(), p.template, &page)
}

fn group_page(fair: &FairId, name: &str) -> (String, String, String) {
    (format!("Add a group session to {name}"), format!("/fairs/{fair}/sessions"), format!("/fairs/{fair}"))
}

pub(super) async fn new_session(
    viewer: Recruiter,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    id: web::Path<FairId>,
) -> Result<HttpResponse, AppError> {
    let name = fair_name(&pool, &id).await?;
    let (title, action, back) = group_page(&id, &name);
    let form = session_form().with_values(Values::new().with("capacity", "30"));
    render(
        &templates,
        &viewer,
        &clock,
        FormPage { title: &title, template: "fairs/session_form", action, back, button: "Add the session" },
        form,
    )
}

pub(super) async fn create_session(
    viewer: Recruiter,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    id: web::Path<FairId>,
    form: CheckedForm<SessionForm>,
) -> Result<HttpResponse, AppError> {
    let (fair, submitted) = (id.into_inner(), form.0);
    let name = fair_name(&pool, &fair).await?;
    let (employer, recruiter) = host(&pool, &viewer).await?;
    let (actor, now) = (viewer.principal.actor(), clock.now_utc());
    let checked = check_session(&submitted, &clock);
    let f = fair.clone();
    let made = db::run(&pool, move |c| {
        let h = Host { recruiter: &recruiter, employer: &employer, actor: &actor };
        store::create_group(c, &f, &h, &checked?, now)
    })
    .await;
    match made {
        Ok(id) => Ok(redirect_with_flash(
            &format!("/sessions/{id}"),
            format!("Session “{}” added to {name}", submitted.title.trim()),
        )),
        Err(Error::Invalid(problems)) => {
            let (title, action, back) = group_page(&fair, &name);
            let form = session_form().with_values(Values::of(&submitted)).with_problems(problems);
            render(
                &templates,
                &viewer,
                &clock,
                FormPage { title: &title, template: "fairs/session_form", action, back, button: "Add the session" },
                form,
            )
        }
        Err(e) => Err(e.into()),
    }
}

fn series_page(fair: &FairId, name: &str) -> (String, String, String) {
    (format!("Add one-on-one slots to {name}"), format!("/fairs/{fair}/series"), format!("/fairs/{fair}"))
}

pub(super) async fn new_series(
    viewer: Recruiter,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    id: web::Path<FairId>,
) -> Result<HttpResponse, AppError> {
    let name = fair_name(&pool, &id).await?;
    let (title, action, back) = series_page(&id, &name);
    let employer = viewer.principal.employer_name.clone().unwrap_or_default();
    let values = Values::new()
        .with("title", format!("One-on-one with {employer}"))
        .with("slot_minutes", "20")
        .with("gap_minutes", "5");
    render(
        &templates,
        &viewer,
        &clock,
        FormPage { title: &title, template: "fairs/session_form", action, back, button: "Add the slots" },
        series_form().with_values(values),
    )
}

pub(super) async fn create_series(
    viewer: Recruiter,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    id: web::Path<FairId>,
    form: CheckedForm<SeriesForm>,
) -> Result<HttpResponse, AppError> {
    let (fair, submitted) = (id.into_inner(), form.0);
    let name = fair_name(&pool, &fair).await?;
    let (employer, recruiter) = host(&pool, &viewer).await?;
    let (actor, now) = (viewer.principal.actor(), clock.now_utc());
    let checked = check_series(&submitted, &clock);
    let f = fair.clone();
    let made = db::run(&pool, move |c| {
        let h = Host { recruiter: &recruiter, employer: &employer, actor: &actor };
        store::create_series(c, &f, &h, &checked?, now)
    })
    .await;
    match made {
        Ok((series, n)) => {
            Ok(redirect_with_flash(&format!("/series/{series}"), super::series::added_message(n, &name)))
        }
        Err(Error::Invalid(problems)) => {
            let (title, action, back) = series_page(&fair, &name);
            let form = series_form().with_values(Values::of(&submitted)).with_problems(problems);
            render(
                &templates,
                &viewer,
                &clock,
                FormPage { title: &title, template: "fairs/session_form", action, back, button: "Add the slots" },
                form,
            )
        }
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn edit_session(
    viewer: Recruiter,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    id: web::Path<FairSessionId>,
) -> Result<HttpResponse, AppError> {
    let employer = viewer.principal.employer_id.clone().ok_or(Error::NotFound)?;
    let id = id.into_inner();
    let i = id.clone();
    let s = db::run(&pool, move |c| store::find_of(c, &i, &employer)).await?;
    let (start, end) = (clock.to_campus(s.starts_at), clock.to_campus(s.ends_at));
    let values = Values::new()
        .with("title", s.title.clone())
        .with("description", s.description.clone())
        .with("date", start.format("%Y-%m-%d").to_string())
        .with("start", start.format("%H:%M").to_string())
        .with("end", end.format("%H:%M").to_string())
        .with("capacity", s.capacity.to_string())
        .with("meeting_url", s.meeting_url.clone());
    let title = format!("Change “{}”", s.title);
    let p = FormPage {
        title: &title,
        template: "fairs/session_form",
        action: format!("/sessions/{id}/edit"),
        back: format!("/sessions/{id}"),
        button: "Save the changes",
    };
    render(&templates, &viewer, &clock, p, session_form().with_values(values))
}

pub(super) async fn update_session(
    viewer: Recruiter,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    settings: web::Data<std::sync::Arc<crate::config::Settings>>,
    id: web::Path<FairSessionId>,
    form: CheckedForm<SessionForm>,
) -> Result<HttpResponse, AppError> {
    let (id, submitted, site) = (id.into_inner(), form.0, site(&settings));
    let (employer, recruiter) = host(&pool, &viewer).await?;
    let (actor, now) = (viewer.principal.actor(), clock.now_utc());
    let checked = check_session(&submitted, &clock);
    let i = id.clone();
    let done = db::run(&pool, move |c| {
        let h = Host { recruiter: &recruiter, employer: &employer, actor: &actor };
        store::update(c, &i, &h, &checked?, &site, now)
    })
    .await;
    match done {
        Ok(s) => Ok(redirect_with_flash(
            &format!("/sessions/{id}"),
            format!("“{}” saved; its students were told of any new time or link", s.title),
        )),
        Err(Error::Invalid(problems)) => {
            let title = format!("Change “{}”", submitted.title.trim());
            let form = session_form().with_values(Values::of(&submitted)).with_problems(problems);
            let p = FormPage {
                title: &title,
                template: "fairs/session_form",
                action: format!("/sessions/{id}/edit"),
                back: format!("/sessions/{id}"),
                button: "Save the changes",
            };
            render(&templates, &viewer, &clock, p, form)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Serialize)]
pub(super) struct CancelSessionForm {
    #[serde(default)]
    reason: String,
    #[serde(default)]
    confirm: Option<String>,
}

pub(super) async fn cancel_session(
    req: HttpRequest,
    viewer: Recruiter,
    pool: web::Data<Pool>,
    clock: web::Data<Clock>,
    settings: web::Data<std::sync::Arc<crate::config::Settings>>,
    id: web::Path<FairSessionId>,
    form: CheckedForm<CancelSessionForm>,
) -> Result<HttpResponse, AppError> {
    let employer = viewer.principal.employer_id.clone().ok_or(Error::NotFound)?;
    let (id, form) = (id.into_inner(), form.0);
    let (i, e) = (id.clone(), employer.clone());
    let s = db::run(&pool, move |c| store::find_of(c, &i, &e)).await?;
    let page = format!("/sessions/{id}");
    if form.reason.trim().is_empty() {
        return Err(Error::invalid("reason", "tell the students why in a few words").into());
    }
    if let Some(ask) = Confirmation::new(format!("Cancel “{}”?", s.title))
        .explain("Every registered and waitlisted student is told, with your reason. A cancelled session cannot be restored.")
        .fact("Starts", clock.format_datetime(s.starts_at))
        .fact("Reason", form.reason.trim())
        .button("Cancel the session")
        .cancel_to(&page)
        .cancel_label("Keep the session")
        .unless_confirmed(&req, &form, &*viewer)?
    {
        return Ok(ask);
    }
    let (actor, now) = (viewer.principal.actor(), clock.now_utc());
    let (reason, site) = (form.reason.clone(), site(&settings));
    let (s, n) = db::run(&pool, move |c| store::cancel(c, &id, &employer, &reason, &site, &actor, now)).await?;
    let told = crate::core::words::plural(n as i64, "student", None);
    Ok(redirect_with_flash(&page, format!("“{}” is cancelled; {told} told", s.title)))
}
