//! What the home pages show: the public page's figures, and each role's home (what
//! waits for that person, each item a link to the place to act on it).

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;

use crate::core::words::plural;
use crate::core::{EmployerId, EngagementId, FairSessionId, OpportunityId, StudentId};
use crate::opportunities::views::DashboardPage;

/// `home`: the programme and its headline figures.
#[derive(Debug, Serialize)]
pub struct HomePage {
    pub figures: Figures,
}

/// Aggregate figures only: nothing here identifies a student.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct Figures {
    pub students: i64,
    /// Employers whose current partnership is active.
    pub partner_employers: i64,
    /// Postings open for applications today (on campus).
    pub open_opportunities: i64,
    pub completed_engagements: i64,
    pub offers: i64,
    pub upcoming_fairs: i64,
}

/// The first items of a queue, and how many there are in all (a home shows the oldest
/// few and links to the whole list).
#[derive(Debug, Serialize)]
pub struct Listed<T> {
    pub items: Vec<T>,
    pub total: i64,
    /// How many are not shown here.
    pub more: i64,
}

impl<T> Listed<T> {
    pub fn new(items: Vec<T>, total: i64) -> Self {
        let more = (total - items.len() as i64).max(0);
        Listed { items, total, more }
    }
}

/// How long something has waited, in people's words: "less than an hour", "5 hours",
/// "1 day", "3 days".
pub fn waited(since: NaiveDateTime, now: NaiveDateTime) -> String {
    let minutes = (now - since).num_minutes().max(0);
    if minutes < 60 {
        "less than an hour".to_owned()
    } else if minutes < 24 * 60 {
        plural(minutes / 60, "hour", None)
    } else {
        plural(minutes / (24 * 60), "day", None)
    }
}

// ---------------------------------------------------------------- the office

/// `home/office`: the career office's queue (counselors; admins see it too, with their tools).
#[derive(Debug, Serialize)]
pub struct OfficeHome {
    pub admin: bool,
    pub review: Listed<ReviewItem>,
    pub cancellations: Listed<CancellationItem>,
    pub invitations: Listed<InvitationItem>,
}

/// A posting waiting for review, and how long it has waited.
#[derive(Debug, Serialize)]
pub struct ReviewItem {
    pub id: OpportunityId,
    pub title: String,
    pub employer_id: EmployerId,
    pub employer: String,
    pub submitted_at: Option<NaiveDateTime>,
    pub waited: String,
}

/// An active project someone asked the office to cancel.
#[derive(Debug, Serialize)]
pub struct CancellationItem {
    pub id: EngagementId,
    pub title: String,
    pub employer: String,
    pub student_id: StudentId,
    pub student: String,
    pub asked_by: Option<String>,
    pub reason: String,
}

/// A recruiter invited and not signed up yet (their link may have expired).
#[derive(Debug, Serialize)]
pub struct InvitationItem {
    pub employer_id: EmployerId,
    pub employer: String,
    pub name: String,
    pub email: String,
    pub invited_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub expired: bool,
}

// ---------------------------------------------------------------- recruiters

/// `home/recruiter`: what waits for a recruiter at their own employer.
#[derive(Debug, Serialize)]
pub struct RecruiterHome {
    pub employer: String,
    /// New applicants (not yet shortlisted, offered or turned down), per posting.
    pub applicants: Listed<NewApplicants>,
    pub new_applicants: i64,
    pub deliverables: Listed<ProjectItem>,
    pub payments: Listed<ProjectItem>,
    pub sessions: Listed<SessionItem>,
}

#[derive(Debug, Serialize)]
pub struct NewApplicants {
    pub id: OpportunityId,
    pub title: String,
    pub count: i64,
}

/// A project waiting for the employer: a deliverable to review, or a payment to record.
#[derive(Debug, Serialize)]
pub struct ProjectItem {
    pub id: EngagementId,
    pub title: String,
    pub student: String,
    /// Delivered on (deliverables) or completed on (payments).
    pub on: Option<NaiveDate>,
    pub fee_cents: i64,
    pub currency: String,
}

#[derive(Debug, Serialize)]
pub struct SessionItem {
    pub id: FairSessionId,
    pub title: String,
    pub fair: String,
    pub starts_at: NaiveDateTime,
    pub registered: i64,
    pub capacity: i32,
}

// ---------------------------------------------------------------- faculty

/// `home/faculty`: the endorsement requests waiting for this faculty member.
#[derive(Debug, Serialize)]
pub struct FacultyHome {
    pub requests: Listed<RequestForFaculty>,
}

/// A student's request for an endorsement, waiting for the faculty member's answer.
#[derive(Debug, Serialize)]
pub struct RequestForFaculty {
    pub id: String,
    pub student_id: StudentId,
    pub student: String,
    pub major: String,
    pub class_year: i32,
    pub message: String,
    pub asked_at: NaiveDateTime,
    pub waited: String,
}

// ---------------------------------------------------------------- students

/// `home/student`: the student's dashboard, and what waits for their answer.
#[derive(Debug, Serialize)]
pub struct StudentHome {
    #[serde(flatten)]
    pub dashboard: DashboardPage,
    pub answers: Vec<AnswerItem>,
    pub requests: Vec<RequestByStudent>,
    pub registrations: Vec<RegistrationItem>,
}

impl StudentHome {
    /// The home of a student whose sign-in no roster record carries yet.
    pub fn no_record() -> Self {
        StudentHome {
            dashboard: DashboardPage::no_record(),
            answers: Vec::new(),
            requests: Vec::new(),
            registrations: Vec::new(),
        }
    }
}

/// An offer waiting for the student's answer: a project offered to them, or an
/// internship or job offer after a project.
#[derive(Debug, Serialize)]
pub struct AnswerItem {
    pub href: String,
    pub what: &'static str,
    pub title: String,
    pub employer: String,
}

/// An endorsement request the student made.
#[derive(Debug, Serialize)]
pub struct RequestByStudent {
    pub faculty: String,
    pub status: &'static str,
    pub asked_at: NaiveDateTime,
}

/// An upcoming fair session the student registered for (or waits for a place at).
#[derive(Debug, Serialize)]
pub struct RegistrationItem {
    pub title: String,
    pub employer: String,
    pub fair: String,
    pub starts_at: NaiveDateTime,
    pub waitlisted: bool,
    /// `/sessions/{id}/join` for a seat (it records attendance, then opens the meeting;
    /// the meeting's address itself is shown only there), none on the waiting list.
    pub join: Option<String>,
}

/// An endorsement request's status in the office's words.
pub fn request_status(stored: &str) -> &'static str {
    match stored {
        "pending" => "Waiting for an answer",
        "fulfilled" => "Endorsed",
        "declined" => "Declined",
        "cancelled" => "Withdrawn",
        _ => "Unknown",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn waiting_times_in_people_s_words() {
        let now = at("2027-02-17 09:00");
        assert_eq!(waited(at("2027-02-17 08:30"), now), "less than an hour");
        assert_eq!(waited(at("2027-02-17 08:00"), now), "1 hour");
        assert_eq!(waited(at("2027-02-16 10:00"), now), "23 hours");
        assert_eq!(waited(at("2027-02-16 09:00"), now), "1 day");
        assert_eq!(waited(at("2027-02-14 08:00"), now), "3 days");
        assert_eq!(waited(at("2027-02-18 08:00"), now), "less than an hour", "a clock skew is not negative");
    }

    #[test]
    fn listed_counts_what_is_not_shown() {
        assert_eq!(Listed::new(vec![1, 2], 5).more, 3);
        assert_eq!(Listed::new(vec![1, 2], 2).more, 0);
    }
}
