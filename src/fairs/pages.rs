//! The typed data of the pages added beside `views.rs`: a one-on-one series (its slots,
//! shortening, cancelling a booked slot) and the counselor's fair overview (figures per
//! employer and per session, from the `fair-attendance` rows).

use chrono::NaiveDateTime;
use serde::Serialize;

use super::figures::{by_employer, percent, total, SessionFigures, Totals};
use super::store::series::Slot;
use crate::core::{FairId, FairSessionId};
use crate::web::forms::Form;

#[derive(Debug, Clone, Serialize)]
pub struct SlotView {
    pub id: FairSessionId,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    /// The student holding it (shown to the host only).
    pub student: Option<String>,
}

impl From<&Slot> for SlotView {
    fn from(s: &Slot) -> Self {
        SlotView {
            id: s.session.id.clone(),
            starts_at: s.session.starts_at,
            ends_at: s.session.ends_at,
            student: s.student.as_ref().map(|(_, name)| name.clone()),
        }
    }
}

/// `/series/{id}`.
#[derive(Debug, Clone, Serialize)]
pub struct SeriesPage {
    pub id: String,
    pub title: String,
    pub fair_id: FairId,
    pub fair: String,
    pub slots: Vec<SlotView>,
    pub booked: usize,
    pub free: usize,
    pub zone: String,
    pub form: Form,
}

/// One line of figures (an employer's, a session's, or the whole fair's), as shown.
#[derive(Debug, Clone, Serialize)]
pub struct FigureLine {
    pub name: String,
    pub sessions: i64,
    pub capacity: i64,
    pub registered: i64,
    pub waitlisted: i64,
    pub attended: i64,
    pub no_shows: i64,
    /// The report's 4-place decimals (empty when the denominator is zero) and as percents.
    pub fill_rate: String,
    pub attendance_rate: String,
    pub fill_percent: String,
    pub attendance_percent: String,
}

impl FigureLine {
    fn of(name: &str, t: &Totals) -> Self {
        let (fill, att) = (t.fill_rate(), t.attendance_rate());
        FigureLine {
            name: name.to_owned(),
            sessions: t.sessions,
            capacity: t.capacity,
            registered: t.registered,
            waitlisted: t.waitlisted,
            attended: t.attended,
            no_shows: t.no_shows,
            fill_percent: percent(fill.as_deref()),
            attendance_percent: percent(att.as_deref()),
            fill_rate: fill.unwrap_or_default(),
            attendance_rate: att.unwrap_or_default(),
        }
    }
}

/// A session's line of the overview.
#[derive(Debug, Clone, Serialize)]
pub struct SessionLine {
    pub employer: String,
    pub session: String,
    pub kind: &'static str,
    pub starts_at: NaiveDateTime,
    pub ended: bool,
    pub line: FigureLine,
}

/// The counselor's overview on the fair's page.
#[derive(Debug, Clone, Serialize)]
pub struct Overview {
    pub employers: Vec<FigureLine>,
    pub sessions: Vec<SessionLine>,
    pub total: FigureLine,
}

impl Overview {
    /// Made from the report's rows only, so the page says what the file says.
    pub fn of(rows: &[SessionFigures]) -> Self {
        Overview {
            employers: by_employer(rows).iter().map(|(e, t)| FigureLine::of(e, t)).collect(),
            sessions: rows
                .iter()
                .map(|r| {
                    let mut t = Totals::default();
                    t.add(r);
                    SessionLine {
                        employer: r.employer.clone(),
                        session: r.session.clone(),
                        kind: r.kind.label(),
                        starts_at: r.starts_at,
                        ended: r.ended,
                        line: FigureLine::of(&r.session, &t),
                    }
                })
                .collect(),
            total: FigureLine::of("All employers", &total(rows)),
        }
    }
}
