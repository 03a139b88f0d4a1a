//! What the fairs' pages show, as typed structs. Times stay stored UTC; templates show
//! them on the campus clock with the zone named (`{{campus_time}}`). Statuses carry their
//! label, never their stored value, to people.

use chrono::NaiveDateTime;
use serde::Serialize;

use super::rules::{RegistrationStatus, SessionKind, SessionStatus, Span};
use super::store::fairs::{FairRow, Participant};
use super::store::registrations::{Blocked, RegistrationRow, RosterRow};
use super::store::sessions::{Listed, SessionRow};
use crate::core::{EmployerId, FairId, FairSessionId, RegistrationId, StudentId};

#[derive(Debug, Clone, Serialize)]
pub struct FairCard {
    pub id: FairId,
    pub name: String,
    pub status: &'static str,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub published: bool,
}

impl From<&FairRow> for FairCard {
    fn from(f: &FairRow) -> Self {
        FairCard {
            id: f.id.clone(),
            name: f.name.clone(),
            status: f.status.label(),
            starts_at: f.starts_at,
            ends_at: f.ends_at,
            published: f.status == super::rules::FairStatus::Published,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct DayView {
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
}

impl From<&Span> for DayView {
    fn from(d: &Span) -> Self {
        DayView { starts_at: d.0, ends_at: d.1 }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct EmployerTakingPart {
    pub employer_id: EmployerId,
    pub name: String,
    pub status: &'static str,
    pub pending: bool,
    pub approved: bool,
}

impl From<&Participant> for EmployerTakingPart {
    fn from(p: &Participant) -> Self {
        use super::rules::ParticipationStatus::*;
        EmployerTakingPart {
            employer_id: p.employer_id.clone(),
            name: p.name.clone(),
            status: p.status.label(),
            pending: p.status == Pending,
            approved: p.status == Approved,
        }
    }
}

/// A session as a list shows it, with the viewer's own registration where they have one.
#[derive(Debug, Clone, Serialize)]
pub struct SessionView {
    pub id: FairSessionId,
    pub title: String,
    pub employer: String,
    pub employer_id: EmployerId,
    pub kind: &'static str,
    pub one_on_one: bool,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub capacity: i32,
    pub registered: i64,
    pub waitlisted: i64,
    pub seats_left: i64,
    pub cancelled: bool,
    /// The viewer's registration: its label, and their waitlist position.
    pub mine: Option<&'static str>,
    pub position: Option<i32>,
}

impl SessionView {
    pub fn of(l: &Listed, mine: Option<&RegistrationRow>) -> Self {
        let s = &l.session;
        SessionView {
            id: s.id.clone(),
            title: s.title.clone(),
            employer: l.employer.clone(),
            employer_id: s.employer_id.clone(),
            kind: s.kind.label(),
            one_on_one: s.kind == SessionKind::OneOnOne,
            starts_at: s.starts_at,
            ends_at: s.ends_at,
            capacity: s.capacity,
            registered: l.registered,
            waitlisted: l.waitlisted,
            seats_left: (i64::from(s.capacity) - l.registered).max(0),
            cancelled: s.status == SessionStatus::Cancelled,
            mine: mine.map(|r| r.status.label()),
            position: mine.and_then(|r| r.waitlist_position),
        }
    }
}

/// `/fairs/{id}`.
#[derive(Debug, Clone, Serialize)]
pub struct FairPage {
    pub fair: FairCard,
    pub description: String,
    pub requires_approval: bool,
    pub days: Vec<DayView>,
    pub employers: Vec<EmployerTakingPart>,
    pub on_now: Vec<SessionView>,
    pub next: Vec<SessionView>,
    pub sessions: Vec<SessionView>,
    pub schedule: Vec<SessionView>,
    pub zone: String,
    pub is_staff: bool,
    pub is_student: bool,
    pub can_publish: bool,
    pub can_close: bool,
    /// For a recruiter: their employer's part ("Taking part", ...), whether they may join
    /// and whether they may add sessions.
    pub participation: Option<&'static str>,
    pub can_join: bool,
    pub can_add: bool,
    /// The sessions' filters (kept as typed), the page of them shown, how many match.
    pub filters: Option<crate::web::forms::Form>,
    pub pager: Option<crate::web::pages::Pager>,
    pub filtered: bool,
    pub matching: usize,
    /// The office's figures (per employer and per session), from the report's rows.
    pub overview: Option<super::pages::Overview>,
}

/// `/sessions/{id}`.
#[derive(Debug, Clone, Serialize)]
pub struct SessionPage {
    pub session: SessionView,
    pub fair_id: FairId,
    pub fair: String,
    pub description: String,
    pub zone: String,
    pub is_host: bool,
    pub is_student: bool,
    pub can_register: bool,
    pub can_cancel: bool,
    /// Registered (or the host): the join link is theirs.
    pub can_join: bool,
    pub full: bool,
    /// The one-on-one series the slot belongs to (its host manages the series there).
    pub series_id: Option<String>,
}

impl SessionPage {
    pub fn new(
        s: &SessionRow,
        employer: String,
        fair: (FairId, String),
        counts: (i64, i64),
        mine: Option<&RegistrationRow>,
    ) -> Self {
        let listed = Listed { session: s.clone(), employer, registered: counts.0, waitlisted: counts.1 };
        let view = SessionView::of(&listed, mine);
        let active = mine.is_some_and(|r| r.status != RegistrationStatus::Cancelled);
        SessionPage {
            full: view.seats_left == 0,
            session: view,
            fair_id: fair.0,
            fair: fair.1,
            description: s.description.clone(),
            zone: String::new(),
            is_host: false,
            is_student: false,
            can_register: !active,
            can_cancel: active,
            can_join: mine.is_some_and(|r| r.status == RegistrationStatus::Registered),
            series_id: s.series_id.clone(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct RosterEntry {
    pub id: RegistrationId,
    pub name: String,
    pub email: String,
    pub major: String,
    pub class_year: i32,
    pub status: &'static str,
    pub registered: bool,
    pub position: Option<i32>,
    pub attended_at: Option<NaiveDateTime>,
}

impl From<RosterRow> for RosterEntry {
    fn from(r: RosterRow) -> Self {
        RosterEntry {
            id: r.id,
            name: r.name,
            email: r.email,
            major: r.major,
            class_year: r.class_year,
            status: r.status.label(),
            registered: r.status == RegistrationStatus::Registered,
            position: r.waitlist_position,
            attended_at: r.attended_at,
        }
    }
}

/// `/sessions/{id}/roster`.
#[derive(Debug, Clone, Serialize)]
pub struct RosterPage {
    pub session: SessionView,
    pub people: Vec<RosterEntry>,
    pub is_host: bool,
}

/// `/sessions/{id}/join` outside its window.
#[derive(Debug, Clone, Serialize)]
pub struct JoinPage {
    pub session: SessionView,
    pub opens_at: Option<NaiveDateTime>,
    pub ended: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct BlockedView {
    pub student_id: StudentId,
    pub name: String,
    pub email: String,
    pub no_shows: i64,
}

impl From<Blocked> for BlockedView {
    fn from(b: Blocked) -> Self {
        BlockedView { student_id: b.student_id, name: b.name, email: b.email, no_shows: b.no_shows }
    }
}

/// `/fairs/no-shows`.
#[derive(Debug, Clone, Serialize)]
pub struct NoShowsPage {
    pub term: String,
    pub limit: u32,
    pub students: Vec<BlockedView>,
}
