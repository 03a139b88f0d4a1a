//! A session's page for every side, a student's registration and cancellation, the
//! tracked join link, the host's roster and attendance, and the office's no-show list.

use std::sync::Arc;

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

use super::{no_show_rule, site, who, zone, Empty, Who};
use crate::auth::csrf::CheckedForm;
use crate::auth::extract::{Staff, Student, Viewer};
use crate::config::Settings;
use crate::core::{Clock, Error, FairSessionId, RegistrationId, StudentId};
use crate::db::schema::{employers, fairs};
use crate::db::{self, DbConnection, Pool};
use crate::fairs::rules::{join_window, FairStatus, JoinWindow, Placement, RegistrationStatus};
use crate::fairs::store::registrations as store;
use crate::fairs::store::sessions::{self, SessionRow};
use crate::fairs::views::{JoinPage, NoShowsPage, RosterEntry, RosterPage, SessionPage};
use crate::web::confirm::Confirmation;
use crate::web::flash::redirect_with_flash;
use crate::web::pages::context;
use crate::web::{AppError, Templates};

/// The session as this viewer may see it: a recruiter only their employer's; a draft
/// fair's only the office. Anything else is not found.
fn visible(c: &mut DbConnection, id: &FairSessionId, w: &Who) -> Result<(SessionRow, String, String), Error> {
    use diesel::prelude::*;
    let s = sessions::find(c, id)?.ok_or(Error::NotFound)?;
    if !w.staff && w.employer.as_ref().is_some_and(|e| *e != s.employer_id) {
        return Err(Error::NotFound);
    }
    let (fair, status): (String, FairStatus) =
        fairs::table.find(&s.fair_id).select((fairs::name, fairs::status)).first(c)?;
    if status == FairStatus::Draft && !w.staff {
        return Err(Error::NotFound);
    }
    let employer: String = employers::table.find(&s.employer_id).select(employers::name).first(c)?;
    Ok((s, employer, fair))
}

pub(super) fn page_of(c: &mut DbConnection, id: &FairSessionId, w: &Who) -> Result<SessionPage, Error> {
    let (s, employer, fair) = visible(c, id, w)?;
    let counts = sessions::counts(c, std::slice::from_ref(id))?;
    let n = |st| counts.iter().find(|(_, s, _)| *s == st).map_or(0, |(_, _, n)| *n);
    let mine = match &w.student {
        Some(st) => store::of_student(c, id, st)?,
        None => None,
    };
    let mut page = SessionPage::new(
        &s,
        employer,
        (s.fair_id.clone(), fair),
        (n(RegistrationStatus::Registered), n(RegistrationStatus::Waitlisted)),
        mine.as_ref(),
    );
    page.is_host = w.employer.as_ref() == Some(&s.employer_id);
    page.is_student = w.student.is_some();
    page.can_join = page.can_join || page.is_host;
    Ok(page)
}

pub(super) async fn session_page(
    viewer: Viewer,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    id: web::Path<FairSessionId>,
) -> Result<HttpResponse, AppError> {
    let w = who(&viewer);
    let id = id.into_inner();
    let mut page = db::run(&pool, move |c| page_of(c, &id, &w)).await?;
    page.zone = zone(&clock);
    let title = page.session.title.clone();
    templates.page("fairs/session", context(&title, Some(&viewer), &page))
}

fn student_of(viewer: &Student) -> Result<StudentId, Error> {
    viewer.principal.student_id.clone().ok_or(Error::Forbidden)
}

pub(super) async fn register(
    viewer: Student,
    pool: web::Data<Pool>,
    clock: web::Data<Clock>,
    settings: web::Data<Arc<Settings>>,
    id: web::Path<FairSessionId>,
    _form: CheckedForm<Empty>,
) -> Result<HttpResponse, AppError> {
    let student = student_of(&viewer)?;
    let (rule, _) = no_show_rule(&settings, &clock);
    let (id, actor, now) = (id.into_inner(), viewer.principal.actor(), clock.now_utc());
    let (w, site) = (who(&viewer), site(&settings));
    let i = id.clone();
    let (placed, title) = db::run(&pool, move |c| -> Result<_, Error> {
        let (s, _, _) = visible(c, &i, &w)?;
        Ok((store::register(c, &i, &student, rule, &site, &actor, now)?, s.title))
    })
    .await?;
    let message = match placed {
        Placement::Seat => format!("You are registered for “{title}”"),
        Placement::Waitlist(p) => {
            format!("“{title}” is full: you are number {p} on its waitlist, and will be told if a seat opens")
        }
    };
    Ok(redirect_with_flash(&format!("/sessions/{id}"), message))
}

#[derive(Deserialize, Serialize)]
pub(super) struct CancelForm {
    #[serde(default)]
    confirm: Option<String>,
}

pub(super) async fn cancel(
    req: HttpRequest,
    viewer: Student,
    pool: web::Data<Pool>,
    clock: web::Data<Clock>,
    settings: web::Data<Arc<Settings>>,
    id: web::Path<FairSessionId>,
    form: CheckedForm<CancelForm>,
) -> Result<HttpResponse, AppError> {
    let student = student_of(&viewer)?;
    let id = id.into_inner();
    let page = format!("/sessions/{id}");
    let (i, st) = (id.clone(), student.clone());
    let w = who(&viewer);
    let (s, mine) = db::run(&pool, move |c| -> Result<_, Error> {
        let (s, _, _) = visible(c, &i, &w)?;
        Ok((s, store::of_student(c, &i, &st)?))
    })
    .await?;
    let Some(mine) = mine.filter(|r| r.status != RegistrationStatus::Cancelled) else {
        return Err(Error::conflict("you are not registered for this session").into());
    };
    let (question, explain, button) = match mine.status {
        RegistrationStatus::Waitlisted => (
            format!("Leave the waitlist of “{}”?", s.title),
            "You lose your place; joining again puts you at the end of the waitlist.",
            "Leave the waitlist",
        ),
        _ => (
            format!("Cancel your registration for “{}”?", s.title),
            "Your seat goes to the first student on the waitlist, if there is one.",
            "Cancel my registration",
        ),
    };
    if let Some(ask) = Confirmation::new(question)
        .explain(explain)
        .fact("Starts", clock.format_datetime(s.starts_at))
        .button(button)
        .cancel_to(&page)
        .cancel_label("Keep my place")
        .unless_confirmed(&req, &form.0, &*viewer)?
    {
        return Ok(ask);
    }
    let (actor, now, site) = (viewer.principal.actor(), clock.now_utc(), site(&settings));
    let (s, was) = db::run(&pool, move |c| store::cancel(c, &id, &student, &site, &actor, now)).await?;
    let message = match was {
        RegistrationStatus::Waitlisted => format!("You left the waitlist of “{}”", s.title),
        _ => format!("Your registration for “{}” is cancelled", s.title),
    };
    Ok(redirect_with_flash(&page, message))
}

/// The tracked join link: in its window, records a registered student's attendance and
/// sends them (or the host) to the meeting; outside it, says when it opens.
pub(super) async fn join(
    viewer: Viewer,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    id: web::Path<FairSessionId>,
) -> Result<HttpResponse, AppError> {
    let w = who(&viewer);
    let id = id.into_inner();
    let now = clock.now_utc();
    let page = db::run(&pool, move |c| -> Result<_, Error> {
        let page = page_of(c, &id, &w)?;
        let s = sessions::find(c, &id)?.ok_or(Error::NotFound)?;
        let mine = match &w.student {
            Some(st) => store::of_student(c, &id, st)?,
            None => None,
        };
        if !page.is_host {
            match &mine {
                Some(r) if r.status == RegistrationStatus::Registered => {}
                Some(r) if r.status == RegistrationStatus::Waitlisted => {
                    return Err(Error::conflict(format!(
                        "you are number {} on the waitlist; the join link is yours once a seat opens",
                        r.waitlist_position.unwrap_or(0)
                    )))
                }
                _ => {
                    return Err(Error::conflict(
                        "the join link is for registered students; register for the session first",
                    ))
                }
            }
        }
        if s.status != crate::fairs::rules::SessionStatus::Scheduled {
            return Err(Error::conflict("this session is cancelled"));
        }
        let window = join_window(s.starts_at, s.ends_at, now);
        if window == JoinWindow::Open {
            if let Some(r) = mine.filter(|_| !page.is_host) {
                store::record_join(c, &r.id, now)?;
            }
        }
        Ok((page, s.meeting_url, window))
    })
    .await?;
    let (page, url, window) = page;
    match window {
        JoinWindow::Open => Ok(HttpResponse::SeeOther().insert_header((header::LOCATION, url)).finish()),
        JoinWindow::NotYet(opens) => {
            let view = JoinPage { session: page.session, opens_at: Some(opens), ended: false };
            templates.page("fairs/join", context("The session has not opened yet", Some(&viewer), &view))
        }
        JoinWindow::Ended => {
            let view = JoinPage { session: page.session, opens_at: None, ended: true };
            templates.page("fairs/join", context("The session has ended", Some(&viewer), &view))
        }
    }
}

/// The host's (or the office's) roster: registered, waitlist, attendance. Audited.
pub(super) async fn roster(
    viewer: Viewer,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    id: web::Path<FairSessionId>,
) -> Result<HttpResponse, AppError> {
    let w = who(&viewer);
    if !w.staff && w.employer.is_none() {
        return Err(Error::NotFound.into());
    }
    let (id, actor, now) = (id.into_inner(), viewer.principal.actor(), clock.now_utc());
    let view = db::run(&pool, move |c| -> Result<_, Error> {
        let page = page_of(c, &id, &w)?;
        let people = store::roster(c, &id, &actor, now)?;
        Ok(RosterPage {
            session: page.session,
            people: people.into_iter().map(RosterEntry::from).collect(),
            is_host: page.is_host,
        })
    })
    .await?;
    let title = format!("Roster: {}", view.session.title);
    let mut page = templates.page("fairs/roster", context(&title, Some(&viewer), &view))?;
    page.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    Ok(page)
}

#[derive(Deserialize)]
pub(super) struct AttendanceForm {
    registration: RegistrationId,
    attended: String,
}

pub(super) async fn attendance(
    viewer: Viewer,
    pool: web::Data<Pool>,
    clock: web::Data<Clock>,
    id: web::Path<FairSessionId>,
    form: CheckedForm<AttendanceForm>,
) -> Result<HttpResponse, AppError> {
    let w = who(&viewer);
    let Some(employer) = w.employer.clone() else { return Err(Error::NotFound.into()) };
    let (id, actor, now, form) = (id.into_inner(), viewer.principal.actor(), clock.now_utc(), form.0);
    let attended = form.attended == "yes";
    let i = id.clone();
    let name = db::run(&pool, move |c| -> Result<_, Error> {
        let s = sessions::find_of(c, &i, &employer)?;
        store::mark_attendance(c, &s, &form.registration, attended, &actor, now)
    })
    .await?;
    let message =
        if attended { format!("{name} marked as attended") } else { format!("{name} marked as not attended") };
    Ok(redirect_with_flash(&format!("/sessions/{id}/roster"), message))
}

pub(super) async fn no_shows_page(
    viewer: Staff,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    settings: web::Data<Arc<Settings>>,
) -> Result<HttpResponse, AppError> {
    let (rule, term) = no_show_rule(&settings, &clock);
    let now = clock.now_utc();
    let students = db::run(&pool, move |c| store::blocked(c, rule, now).map_err(Error::from)).await?;
    let view = NoShowsPage { term, limit: rule.limit, students: students.into_iter().map(Into::into).collect() };
    let mut page =
        templates.page("fairs/no_shows", context("Registration paused for no-shows", Some(&*viewer), &view))?;
    page.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    Ok(page)
}

pub(super) async fn clear(
    viewer: Staff,
    pool: web::Data<Pool>,
    clock: web::Data<Clock>,
    id: web::Path<StudentId>,
    _form: CheckedForm<Empty>,
) -> Result<HttpResponse, AppError> {
    let (id, actor, now) = (id.into_inner(), viewer.principal.actor(), clock.now_utc());
    let (name, n) = db::run(&pool, move |c| store::clear_no_shows(c, &id, &actor, now)).await?;
    let cleared = crate::core::words::plural(n as i64, "missed session", None);
    Ok(redirect_with_flash("/fairs/no-shows", format!("{cleared} of {name} cleared: they can register again")))
}

/// `/sessions/{id}/calendar.ics`: the session as an invitation, for a student who
/// registered (or waits, or cancelled: then a cancellation) and for the host.
pub(super) async fn calendar(
    viewer: Viewer,
    pool: web::Data<Pool>,
    clock: web::Data<Clock>,
    settings: web::Data<Arc<Settings>>,
    id: web::Path<FairSessionId>,
) -> Result<HttpResponse, AppError> {
    use crate::fairs::calendar::{for_session, method};
    let w = who(&viewer);
    let id = id.into_inner();
    let site = site(&settings);
    let (now, attendee) = (clock.now_utc(), viewer.principal.email.clone());
    let (s, mine) = db::run(&pool, move |c| -> Result<_, Error> {
        let page = page_of(c, &id, &w)?;
        let s = sessions::find(c, &id)?.ok_or(Error::NotFound)?;
        let mine = match &w.student {
            Some(st) => store::of_student(c, &id, st)?,
            None => None,
        };
        if !page.is_host && mine.is_none() {
            return Err(Error::NotFound);
        }
        Ok((s, mine))
    })
    .await?;
    let cancelled = s.status != crate::fairs::rules::SessionStatus::Scheduled
        || mine.as_ref().is_some_and(|r| r.status == RegistrationStatus::Cancelled);
    let sequence = mine.as_ref().map_or(0, |r| r.sequence);
    let text = for_session(&site, &s, sequence, cancelled, mine.as_ref().map(|_| attendee.as_str()), now);
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, format!("text/calendar; charset=utf-8; method={}", method(cancelled))))
        .insert_header((header::CONTENT_DISPOSITION, "attachment; filename=\"session.ics\""))
        .body(text))
}
