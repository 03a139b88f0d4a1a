//! Fairs: the list, the office's form, publishing and closing, the fair's page, and
//! employers joining (approved by the office where the fair asks for it).

use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{who, zone, Empty};
use crate::auth::csrf::CheckedForm;
use crate::auth::extract::{Recruiter, Staff, Viewer};
use crate::core::{Clock, EmployerId, Error, FairId};
use crate::db::{self, Pool};
use crate::fairs::filters::{Candidate, SessionQuery};
use crate::fairs::pages::Overview;
use crate::fairs::rules::{check_fair, FairForm, FairStatus, ParticipationStatus, SessionKind, FAIR_DAYS};
use crate::fairs::store::{fairs as store, figures, registrations, sessions};
use crate::fairs::views::{DayView, EmployerTakingPart, FairCard, FairPage, SessionView};
use crate::web::confirm::Confirmation;
use crate::web::flash::redirect_with_flash;
use crate::web::forms::{Choices, Field, Form, Values};
use crate::web::pages::{context, Pager};
use crate::web::{AppError, Templates};

pub(super) async fn list(
    viewer: Viewer,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
) -> Result<HttpResponse, AppError> {
    let staff = viewer.principal.is_staff();
    let w = who(&viewer);
    let (user, student, recruiter) = (viewer.principal.id.clone(), w.student.is_some(), w.employer.is_some());
    let (fairs, feed) = db::run(&pool, move |c| -> Result<_, Error> {
        Ok((store::list(c, staff)?, super::feeds::section(c, &user, student, recruiter)?))
    })
    .await?;
    let cards: Vec<FairCard> = fairs.iter().map(FairCard::from).collect();
    let view = json!({ "fairs": cards, "is_staff": staff, "feed": feed });
    templates.page("fairs/list", context("Virtual fairs", Some(&viewer), view))
}

fn fair_form() -> Form {
    let ordinal = ["First", "Second", "Third"];
    let mut fields = vec![
        Field::text("name", "Name").required(),
        Field::textarea("description", "What the fair is").hint("Shown to students on the fair's page").optional(),
        Field::checkboxes(
            "requires_approval",
            "Taking part",
            Choices::new([("yes", "Employers wait for the office's approval before taking part")]),
        )
        .optional(),
    ];
    for (n, word) in ordinal.iter().enumerate().take(FAIR_DAYS) {
        let n = n + 1;
        let day = format!("{word} day");
        let mut date = Field::date(&format!("day{n}_date"), &day);
        let mut start =
            Field::text(&format!("day{n}_start"), &format!("{day} starts")).hint("Campus time, 24-hour, like 09:00");
        let mut end =
            Field::text(&format!("day{n}_end"), &format!("{day} ends")).hint("Campus time, 24-hour, like 17:00");
        if n == 1 {
            (date, start, end) = (date.required(), start.required(), end.required());
        } else {
            (date, start, end) = (date.optional(), start.optional(), end.optional());
        }
        fields.extend([date, start, end]);
    }
    Form::new(fields)
}

fn form_page(templates: &Templates, viewer: &Staff, clock: &Clock, form: Form) -> Result<HttpResponse, AppError> {
    let page = context("New fair", Some(&**viewer), json!({ "form": form, "zone": zone(clock), "days": [1, 2, 3] }));
    templates.page_as(form.status(), "fairs/form", &page)
}

pub(super) async fn new_fair(
    viewer: Staff,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
) -> Result<HttpResponse, AppError> {
    form_page(&templates, &viewer, &clock, fair_form())
}

pub(super) async fn create(
    viewer: Staff,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    form: CheckedForm<FairForm>,
) -> Result<HttpResponse, AppError> {
    let submitted = form.0;
    let actor = viewer.principal.actor();
    let now = clock.now_utc();
    let checked = check_fair(&submitted, &clock);
    let name = submitted.name.trim().to_owned();
    match db::run(&pool, move |c| store::create(c, &checked?, &actor, now)).await {
        Ok(id) => Ok(redirect_with_flash(
            &format!("/fairs/{id}"),
            format!("Fair “{name}” created as a draft; publish it when it is ready"),
        )),
        Err(Error::Invalid(problems)) => {
            let form = fair_form().with_values(Values::of(&submitted)).with_problems(problems);
            form_page(&templates, &viewer, &clock, form)
        }
        Err(e) => Err(e.into()),
    }
}

/// How many sessions a page of the fair's list shows.
const SESSIONS_PER_PAGE: i64 = 25;

/// The filters of the fair's sessions: employers taking part, the fair's days, campus
/// times, now or later today, and the kind.
fn filter_form(employers: &[EmployerTakingPart], days: &[DayView], clock: &Clock) -> Form {
    let employers = Choices::new(employers.iter().map(|e| (e.employer_id.as_str().to_owned(), e.name.clone())));
    let days = Choices::new(days.iter().map(|d| {
        let day = clock.to_campus(d.starts_at);
        (day.format("%Y-%m-%d").to_string(), day.format("%A, %b %-d").to_string())
    }));
    Form::new([
        Field::select("employer", "Employer", employers).placeholder("Any employer").optional(),
        Field::select("day", "Day", days).placeholder("Any day").optional(),
        Field::text("from", "Starting from").hint("Campus time, like 13:00").optional(),
        Field::text("to", "Ending by").hint("Campus time, like 15:30").optional(),
        Field::select("when", "When", Choices::new([("now", "On now"), ("later_today", "Later today")]))
            .placeholder("Any time")
            .optional(),
        Field::select("kind", "Kind", Choices::new([("group", "Group sessions"), ("one_on_one", "One-on-one slots")]))
            .placeholder("Any kind")
            .optional(),
    ])
}

pub(super) async fn fair_page(
    req: HttpRequest,
    viewer: Viewer,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    id: web::Path<FairId>,
    query: web::Query<SessionQuery>,
) -> Result<HttpResponse, AppError> {
    let w = who(&viewer);
    let id = id.into_inner();
    let now = clock.now_utc();
    let zone = zone(&clock);
    let mut view = db::run(&pool, move |c| -> Result<FairPage, Error> {
        let fair = store::find(c, &id)?.ok_or(Error::NotFound)?;
        if fair.status == FairStatus::Draft && !w.staff {
            return Err(Error::NotFound);
        }
        let days = store::days(c, &fair)?;
        let employers = store::participants(c, &id)?;
        let listed = sessions::of_fair(c, &id)?;
        let mine = match &w.student {
            Some(s) => registrations::mine_in_fair(c, s, &id)?,
            None => Vec::new(),
        };
        let participation = match &w.employer {
            Some(e) => store::participation(c, &id, e)?,
            None => None,
        };
        let overview = if w.staff {
            Some(Overview::of(&figures::sessions(c, &figures::Filters::of_fair(&id), now)?))
        } else {
            None
        };
        let views: Vec<SessionView> =
            listed.iter().map(|l| SessionView::of(l, mine.iter().find(|r| r.session_id == l.session.id))).collect();
        let scheduled = |v: &&SessionView| !v.cancelled;
        let on_now =
            views.iter().filter(scheduled).filter(|v| v.starts_at <= now && now < v.ends_at).cloned().collect();
        let next = views.iter().filter(scheduled).filter(|v| v.starts_at > now).take(5).cloned().collect();
        let schedule = views.iter().filter(|v| v.mine.is_some()).cloned().collect();
        let published = fair.status == FairStatus::Published;
        Ok(FairPage {
            fair: FairCard::from(&fair),
            description: fair.description.clone(),
            requires_approval: fair.requires_approval,
            days: days.iter().map(DayView::from).collect(),
            employers: employers
                .iter()
                .filter(|p| w.staff || p.status == ParticipationStatus::Approved)
                .map(EmployerTakingPart::from)
                .collect(),
            on_now,
            next,
            sessions: views.iter().filter(|v| !v.cancelled || v.mine.is_some()).cloned().collect(),
            schedule,
            zone,
            is_staff: w.staff,
            is_student: w.student.is_some(),
            can_publish: w.staff && fair.status == FairStatus::Draft,
            can_close: w.staff && published,
            participation: participation.map(|p| p.label()),
            can_join: w.employer.is_some() && published && participation.is_none(),
            can_add: w.employer.is_some() && published && participation == Some(ParticipationStatus::Approved),
            filters: None,
            pager: None,
            filtered: false,
            matching: 0,
            overview,
        })
    })
    .await?;
    // The list of sessions, filtered as asked (a filter not understood is named on its
    // field and left out), a page at a time.
    let query = query.into_inner();
    let (filter, problems) = query.check();
    let matching: Vec<SessionView> = std::mem::take(&mut view.sessions)
        .into_iter()
        .filter(|v| {
            let kind = if v.one_on_one { SessionKind::OneOnOne } else { SessionKind::Group };
            let c = Candidate { employer_id: v.employer_id.as_str(), kind, starts_at: v.starts_at, ends_at: v.ends_at };
            filter.matches(&c, &clock, now)
        })
        .collect();
    let pager = Pager::new(
        Pager::page_of(query.page.as_deref()),
        matching.len() as i64,
        SESSIONS_PER_PAGE,
        &Pager::base(req.path(), req.query_string()),
    );
    if let Some(r) = pager.redirect_if_clamped() {
        return Ok(r);
    }
    view.matching = matching.len();
    view.sessions = matching.into_iter().skip(pager.offset() as usize).take(SESSIONS_PER_PAGE as usize).collect();
    view.filtered = query.is_set();
    view.filters =
        Some(filter_form(&view.employers, &view.days, &clock).with_values(Values::of(&query)).with_problems(problems));
    view.pager = Some(pager);
    let title = view.fair.name.clone();
    templates.page("fairs/fair", context(&title, Some(&viewer), &view))
}

pub(super) async fn publish(
    viewer: Staff,
    pool: web::Data<Pool>,
    clock: web::Data<Clock>,
    id: web::Path<FairId>,
    _form: CheckedForm<Empty>,
) -> Result<HttpResponse, AppError> {
    let (id, actor, now) = (id.into_inner(), viewer.principal.actor(), clock.now_utc());
    let i = id.clone();
    let fair = db::run(&pool, move |c| store::move_fair(c, &i, FairStatus::Published, &actor, now)).await?;
    Ok(redirect_with_flash(
        &format!("/fairs/{id}"),
        format!("“{}” is published: employers can join and students can see it", fair.name),
    ))
}

#[derive(Deserialize, Serialize)]
pub(super) struct CloseForm {
    #[serde(default)]
    confirm: Option<String>,
}

pub(super) async fn close(
    req: HttpRequest,
    viewer: Staff,
    pool: web::Data<Pool>,
    clock: web::Data<Clock>,
    id: web::Path<FairId>,
    form: CheckedForm<CloseForm>,
) -> Result<HttpResponse, AppError> {
    let (id, actor, now) = (id.into_inner(), viewer.principal.actor(), clock.now_utc());
    let i = id.clone();
    let fair = db::run(&pool, move |c| store::find(c, &i)?.ok_or(Error::NotFound)).await?;
    let page = format!("/fairs/{id}");
    if let Some(ask) = Confirmation::new(format!("Close “{}”?", fair.name))
        .explain("Students can no longer register and employers can no longer join or add sessions. A closed fair cannot be opened again.")
        .button("Close the fair")
        .cancel_to(&page)
        .cancel_label("Keep the fair open")
        .unless_confirmed(&req, &form.0, &*viewer)?
    {
        return Ok(ask);
    }
    let fair = db::run(&pool, move |c| store::move_fair(c, &id, FairStatus::Closed, &actor, now)).await?;
    Ok(redirect_with_flash(&page, format!("“{}” is closed", fair.name)))
}

pub(super) async fn join(
    viewer: Recruiter,
    pool: web::Data<Pool>,
    clock: web::Data<Clock>,
    id: web::Path<FairId>,
    _form: CheckedForm<Empty>,
) -> Result<HttpResponse, AppError> {
    let employer = viewer.principal.employer_id.clone().ok_or(Error::NotFound)?;
    let (id, actor, now) = (id.into_inner(), viewer.principal.actor(), clock.now_utc());
    let i = id.clone();
    let status = db::run(&pool, move |c| store::join(c, &i, &employer, &actor, now)).await?;
    let message = match status {
        ParticipationStatus::Pending => "Your request to take part was sent; the career office will approve it",
        _ => "Your employer takes part in this fair: you can add sessions now",
    };
    Ok(redirect_with_flash(&format!("/fairs/{id}"), message))
}

#[derive(Deserialize)]
pub(super) struct DecideForm {
    decision: String,
}

pub(super) async fn decide(
    viewer: Staff,
    pool: web::Data<Pool>,
    clock: web::Data<Clock>,
    path: web::Path<(FairId, EmployerId)>,
    form: CheckedForm<DecideForm>,
) -> Result<HttpResponse, AppError> {
    let (id, employer) = path.into_inner();
    let approve = match form.0.decision.as_str() {
        "approve" => true,
        "decline" => false,
        _ => return Err(Error::invalid("decision", "choose approve or decline").into()),
    };
    let (actor, now) = (viewer.principal.actor(), clock.now_utc());
    let i = id.clone();
    let name = db::run(&pool, move |c| store::decide(c, &i, &employer, approve, &actor, now)).await?;
    let message = if approve { format!("{name} takes part in the fair") } else { format!("{name} was declined") };
    Ok(redirect_with_flash(&format!("/fairs/{id}"), message))
}
