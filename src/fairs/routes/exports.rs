//! `/sessions/{id}/roster.csv`: the roster as a file for its host (and the office):
//! registered students, the waitlist with positions, attendance and no-shows. Written as
//! every portal CSV is (`core::csv`: RFC 4180, UTF-8 with a byte-order mark, formulas
//! neutralised), sent as a stream record by record, never cached, and audited as an
//! export of student records. Another employer's recruiter, or a student, finds nothing.

use actix_web::http::header;
use actix_web::web::Bytes;
use actix_web::{web, HttpResponse};

use super::registrations::page_of;
use super::who;
use crate::auth::extract::Viewer;
use crate::core::csv::{record, BOM};
use crate::core::{Clock, Error, FairSessionId};
use crate::db::{self, Pool};
use crate::fairs::rules::RegistrationStatus;
use crate::fairs::store::registrations::{self as store, RosterRow};
use crate::web::AppError;

/// The roster file's columns.
pub const ROSTER_COLUMNS: [&str; 8] =
    ["student", "email", "major", "class_year", "status", "waitlist_position", "attended_at", "attendance"];

/// One student's record: `attendance` is `attended`, `no_show` (registered, not attended,
/// the session over) or empty (not yet over, or on the waitlist).
fn cells(r: &RosterRow, ended: bool) -> Vec<String> {
    let registered = r.status == RegistrationStatus::Registered;
    let attendance = match (registered, r.attended_at, ended) {
        (true, Some(_), _) => "attended",
        (true, None, true) => "no_show",
        _ => "",
    };
    vec![
        r.name.clone(),
        r.email.clone(),
        r.major.clone(),
        r.class_year.to_string(),
        r.status.as_str().to_owned(),
        r.waitlist_position.map(|p| p.to_string()).unwrap_or_default(),
        r.attended_at.map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string()).unwrap_or_default(),
        attendance.to_owned(),
    ]
}

/// A file name's part: lower-case letters and digits, words joined by hyphens.
pub(crate) fn slug(text: &str) -> String {
    let mut out = String::new();
    for word in text.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(&word.to_ascii_lowercase());
    }
    out.chars().take(60).collect::<String>().trim_end_matches('-').to_owned()
}

pub(super) async fn roster_csv(
    viewer: Viewer,
    pool: web::Data<Pool>,
    clock: web::Data<Clock>,
    id: web::Path<FairSessionId>,
) -> Result<HttpResponse, AppError> {
    let w = who(&viewer);
    if !w.staff && w.employer.is_none() {
        return Err(Error::NotFound.into());
    }
    let (id, actor, now) = (id.into_inner(), viewer.principal.actor(), clock.now_utc());
    let (page, fair, people) = db::run(&pool, move |c| -> Result<_, Error> {
        let page = page_of(c, &id, &w)?;
        let people = store::roster_as(c, &id, &actor, "registrations.exported", now)?;
        Ok((page.session, page.fair, people))
    })
    .await?;
    let ended = page.ends_at <= now;
    let day = clock.campus_date_of(page.starts_at);
    let name = format!("roster_{}_{}_{day}.csv", slug(&fair), slug(&page.title));
    let head = [Bytes::from_static(BOM.as_bytes()), Bytes::from(record(&ROSTER_COLUMNS))];
    let rows = people.into_iter().map(move |r| Bytes::from(record(&cells(&r, ended))));
    let body = futures_util::stream::iter(head.into_iter().chain(rows).map(Ok::<_, std::io::Error>));
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
        .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .streaming(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_keep_letters_and_digits_only() {
        assert_eq!(slug("Spring Virtual Fair"), "spring-virtual-fair");
        assert_eq!(slug("“Inside Brightpath”: Q&A, 2027!"), "inside-brightpath-q-a-2027");
        assert_eq!(slug("Zoë's \"talk\"\r\n"), "zo-s-talk");
    }
}
