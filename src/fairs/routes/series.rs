//! A recruiter's one-on-one series: its slots (free or booked, by whom: an audited read),
//! shortening it to a new end time (free slots after it are removed, booked ones never,
//! after confirming), and cancelling one booked slot with a reason the student receives.
//! Another employer's series is not found (404).

use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

use super::{site, zone};
use crate::auth::csrf::CheckedForm;
use crate::auth::extract::Recruiter;
use crate::core::words::plural;
use crate::core::{Clock, EmployerId, Error, FairSessionId};
use crate::db::{self, Pool};
use crate::fairs::pages::{SeriesPage, SlotView};
use crate::fairs::rules::parse_time;
use crate::fairs::store::fairs as fair_store;
use crate::fairs::store::series::{self as store, plan, Slot};
use crate::fairs::store::sessions;
use crate::web::confirm::Confirmation;
use crate::web::flash::redirect_with_flash;
use crate::web::forms::{Field, Form, Values};
use crate::web::pages::context;
use crate::web::{AppError, Templates};

fn shorten_form() -> Form {
    Form::new([Field::text("end", "New end time")
        .hint("Campus time, 24-hour, like 10:30. Free slots ending after it are removed; booked slots stay")
        .required()])
}

fn employer_of(viewer: &Recruiter) -> Result<EmployerId, Error> {
    viewer.principal.employer_id.clone().ok_or(Error::NotFound)
}

/// The series' page data (the slots and who holds them; the read is audited).
async fn load(
    pool: &Pool,
    viewer: &Recruiter,
    clock: &Clock,
    series: &str,
) -> Result<(SeriesPage, Vec<Slot>), AppError> {
    let employer = employer_of(viewer)?;
    let (actor, now, s) = (viewer.principal.actor(), clock.now_utc(), series.to_owned());
    let (fair, name, slots) = db::run(pool, move |c| -> Result<_, Error> {
        let (fair, slots) = store::slots(c, &s, &employer)?;
        let name = fair_store::find(c, &fair)?.map(|f| f.name).unwrap_or_default();
        let booked = slots.iter().filter(|s| s.student.is_some()).count();
        store::audit_read(c, &s, booked, &actor, now)?;
        Ok((fair, name, slots))
    })
    .await?;
    let booked = slots.iter().filter(|s| s.student.is_some()).count();
    let page = SeriesPage {
        id: series.to_owned(),
        title: slots.first().map_or_else(|| "One-on-one slots".to_owned(), |s| s.session.title.clone()),
        fair_id: fair,
        fair: name,
        slots: slots.iter().map(SlotView::from).collect(),
        booked,
        free: slots.len() - booked,
        zone: zone(clock),
        form: shorten_form(),
    };
    Ok((page, slots))
}

fn render(templates: &Templates, viewer: &Recruiter, page: &SeriesPage) -> Result<HttpResponse, AppError> {
    let mut res = templates.page_as(page.form.status(), "fairs/series", context(&page.title, Some(&**viewer), page))?;
    // Names of the students holding slots: not kept by the browser.
    res.headers_mut()
        .insert(actix_web::http::header::CACHE_CONTROL, actix_web::http::header::HeaderValue::from_static("no-store"));
    Ok(res)
}

pub(super) async fn series_page(
    viewer: Recruiter,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (page, _) = load(&pool, &viewer, &clock, &id).await?;
    render(&templates, &viewer, &page)
}

#[derive(Deserialize, Serialize)]
pub(super) struct ShortenForm {
    #[serde(default)]
    end: String,
    #[serde(default)]
    confirm: Option<String>,
}

/// "1 booked slot (9:40 AM EST, Ava Okafor)" for the question and the message.
fn booked_list(clock: &Clock, kept: &[Slot]) -> String {
    kept.iter()
        .map(|s| {
            let who = s.student.as_ref().map(|(_, n)| n.as_str()).unwrap_or("");
            format!("{}, {who}", clock.format_time(s.session.starts_at))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

pub(super) async fn shorten(
    req: HttpRequest,
    viewer: Recruiter,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    id: web::Path<String>,
    form: CheckedForm<ShortenForm>,
) -> Result<HttpResponse, AppError> {
    let (series, submitted) = (id.into_inner(), form.0);
    let (mut page, slots) = load(&pool, &viewer, &clock, &series).await?;
    let back = format!("/series/{series}");
    let refuse = |mut page: SeriesPage, problem: String| {
        page.form = shorten_form()
            .with_values(Values::new().with("end", submitted.end.clone()))
            .with_problems(crate::core::Problems::one("end", problem));
        render(&templates, &viewer, &page)
    };
    let end = match parse_time(&submitted.end) {
        Ok(t) => t,
        Err(problem) => return refuse(page, problem),
    };
    let Some(day) = slots.first().map(|s| clock.campus_date_of(s.session.starts_at)) else {
        return refuse(page, "this series has no slot left to remove".to_owned());
    };
    let new_end = clock.campus_to_utc(day.and_time(end));
    let planned = plan(&slots, new_end);
    if planned.removed.is_empty() {
        return refuse(page, "no free slot ends after this time, so there is nothing to remove".to_owned());
    }
    let removed = plural(planned.removed.len() as i64, "free slot", None);
    let kept = plural(planned.kept.len() as i64, "booked slot", None);
    let mut ask = Confirmation::new(format!("Remove {removed} after {}?", clock.format_time(new_end)))
        .explain("Students can no longer book them. Booked slots are not touched: cancel one on its own, with a reason, if you must.")
        .fact("Removed", &removed)
        .button("Remove the free slots")
        .cancel_to(&back)
        .cancel_label("Keep the series as it is");
    if !planned.kept.is_empty() {
        ask = ask.fact("Kept (booked)", format!("{kept}: {}", booked_list(&clock, &planned.kept)));
    }
    if let Some(question) = ask.unless_confirmed(&req, &submitted, &*viewer)? {
        return Ok(question);
    }
    let employer = employer_of(&viewer)?;
    let (actor, now, s) = (viewer.principal.actor(), clock.now_utc(), series.clone());
    let done = db::run(&pool, move |c| store::shorten(c, &s, &employer, new_end, &actor, now)).await;
    let (_, done) = match done {
        Ok(d) => d,
        Err(Error::Invalid(p)) => {
            page.form = shorten_form().with_values(Values::new().with("end", submitted.end.clone())).with_problems(p);
            return render(&templates, &viewer, &page);
        }
        Err(e) => return Err(e.into()),
    };
    let removed = plural(done.removed.len() as i64, "free slot", None);
    let message = if done.kept.is_empty() {
        format!("{removed} after {} removed from “{}”", clock.format_time(new_end), page.title)
    } else {
        format!(
            "{removed} after {} removed from “{}”; {} kept ({})",
            clock.format_time(new_end),
            page.title,
            plural(done.kept.len() as i64, "booked slot", None),
            booked_list(&clock, &done.kept)
        )
    };
    Ok(redirect_with_flash(&back, message))
}

#[derive(Deserialize, Serialize)]
pub(super) struct CancelSlotForm {
    #[serde(default)]
    reason: String,
    #[serde(default)]
    confirm: Option<String>,
}

pub(super) async fn cancel_slot(
    req: HttpRequest,
    viewer: Recruiter,
    pool: web::Data<Pool>,
    clock: web::Data<Clock>,
    settings: web::Data<std::sync::Arc<crate::config::Settings>>,
    path: web::Path<(String, FairSessionId)>,
    form: CheckedForm<CancelSlotForm>,
) -> Result<HttpResponse, AppError> {
    let ((series, slot), form) = (path.into_inner(), form.0);
    let (_, slots) = load(&pool, &viewer, &clock, &series).await?;
    let Some(this) = slots.into_iter().find(|s| s.session.id == slot) else {
        return Err(Error::NotFound.into());
    };
    let back = format!("/series/{series}");
    let reason = form.reason.trim().to_owned();
    if reason.is_empty() {
        return Err(Error::invalid("reason", "tell the student why in a few words").into());
    }
    let at = clock.format_time(this.session.starts_at);
    let student = this.student.as_ref().map(|(_, n)| n.clone());
    let (question, explain) = match &student {
        Some(name) => (
            format!("Cancel the slot at {at} booked by {name}?"),
            format!("{name} is told, with your reason, and the slot leaves their calendar. A cancelled slot cannot be restored."),
        ),
        None => (format!("Remove the free slot at {at}?"), "Students can no longer book it.".to_owned()),
    };
    if let Some(ask) = Confirmation::new(question)
        .explain(explain)
        .fact("Reason", &reason)
        .button("Cancel the slot")
        .cancel_to(&back)
        .cancel_label("Keep the slot")
        .unless_confirmed(&req, &form, &*viewer)?
    {
        return Ok(ask);
    }
    let employer = employer_of(&viewer)?;
    let (actor, now) = (viewer.principal.actor(), clock.now_utc());
    // The student's cancellation mail carries the invitation's CANCEL (its links need the site).
    let site = site(&settings);
    db::run(&pool, move |c| sessions::cancel(c, &slot, &employer, &reason, &site, &actor, now)).await?;
    let message = match student {
        Some(name) => format!("The slot at {at} is cancelled; {name} was told your reason"),
        None => format!("The free slot at {at} is removed"),
    };
    Ok(redirect_with_flash(&back, message))
}

/// The page a new series leads to: its slots, with what was added.
pub(super) fn added_message(n: usize, fair: &str) -> String {
    format!("{} added to {fair}", plural(n as i64, "one-on-one slot", None))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_added_message_counts_in_words() {
        assert_eq!(super::added_message(1, "Spring Fair"), "1 one-on-one slot added to Spring Fair");
        assert_eq!(super::added_message(12, "Spring Fair"), "12 one-on-one slots added to Spring Fair");
    }
}
