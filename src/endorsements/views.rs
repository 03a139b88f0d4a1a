//! The typed data of the endorsement pages: cards for endorsements and requests in the
//! office's words (statuses as labels, skills as people write them, times as stored for
//! the `campus_time` helper).

use chrono::NaiveDateTime;
use serde::Serialize;

use super::requests;
use super::rules::{self, Relationship, RequestStatus};
use super::store::{Listed, StudentHit};
use crate::core::{EndorsementId, FacultyId, StudentId};
use crate::web::forms::{Choices, Field, Form};

/// A value and its words.
#[derive(Debug, Clone, Serialize)]
pub struct Labelled {
    pub value: &'static str,
    pub label: &'static str,
}

impl From<Relationship> for Labelled {
    fn from(r: Relationship) -> Self {
        Labelled { value: r.as_str(), label: r.label() }
    }
}

impl From<RequestStatus> for Labelled {
    fn from(s: RequestStatus) -> Self {
        Labelled { value: s.as_str(), label: s.label() }
    }
}

/// An endorsement as a page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct EndorsementCard {
    pub id: EndorsementId,
    pub faculty_id: FacultyId,
    pub faculty: String,
    pub title: String,
    pub department: String,
    pub student_id: StudentId,
    pub student: String,
    pub skills: String,
    pub relationship: Labelled,
    pub course: Option<String>,
    pub statement: String,
    pub written_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
    pub hidden: bool,
    pub revoked: bool,
    /// "Current", "Hidden from employers", "Revoked".
    pub state: &'static str,
    pub state_class: &'static str,
}

impl From<Listed> for EndorsementCard {
    fn from(e: Listed) -> Self {
        let (revoked, hidden) = (e.row.revoked_at.is_some(), e.row.hidden_at.is_some());
        let (state, state_class) = match (revoked, hidden) {
            (true, _) => ("Revoked", "revoked"),
            (false, true) => ("Hidden from employers", "hidden"),
            _ => ("Current", "current"),
        };
        EndorsementCard {
            id: e.row.id,
            faculty_id: e.row.faculty_id,
            faculty: e.faculty_name,
            title: e.faculty_title,
            department: e.department,
            student_id: e.row.student_id,
            student: e.student_name,
            skills: rules::skills_for_people(&e.row.skills),
            relationship: e.row.relationship.into(),
            course: e.row.course,
            statement: e.row.statement,
            written_at: e.row.created_at,
            revoked_at: e.row.revoked_at,
            hidden,
            revoked,
            state,
            state_class,
        }
    }
}

/// A request as a page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct RequestCard {
    pub id: String,
    pub student: String,
    pub major: String,
    pub class_year: i32,
    pub faculty: String,
    pub title: String,
    pub department: String,
    pub posting: Option<String>,
    pub employer: Option<String>,
    pub skills: String,
    pub message: String,
    pub status: Labelled,
    pub open: bool,
    pub asked_at: NaiveDateTime,
    pub lapses_at: NaiveDateTime,
    pub note: Option<String>,
    pub endorsement_id: Option<EndorsementId>,
}

impl From<requests::Listed> for RequestCard {
    fn from(r: requests::Listed) -> Self {
        RequestCard {
            id: r.row.id,
            student: r.student_name,
            major: r.major,
            class_year: r.class_year,
            faculty: r.faculty_name,
            title: r.faculty_title,
            department: r.department,
            posting: r.posting,
            employer: r.employer,
            skills: rules::skills_for_people(&r.row.skills),
            message: r.row.message,
            open: r.row.status == RequestStatus::Pending,
            status: r.row.status.into(),
            asked_at: r.row.created_at,
            lapses_at: rules::request_lapses_at(r.row.created_at),
            note: r.row.response_note,
            endorsement_id: r.row.endorsement_id,
        }
    }
}

/// A student found by the search.
#[derive(Debug, Clone, Serialize)]
pub struct StudentCard {
    pub id: StudentId,
    pub name: String,
    pub email: String,
    pub student_number: String,
    pub college: String,
    pub major: String,
    pub class_year: i32,
}

impl From<StudentHit> for StudentCard {
    fn from(s: StudentHit) -> Self {
        StudentCard {
            id: s.id,
            name: s.name,
            email: s.email,
            student_number: s.student_number,
            college: s.college,
            major: s.major,
            class_year: s.class_year,
        }
    }
}

/// The endorsement form: skills with suggestions, the statement, the relationship and
/// the course code.
pub fn endorsement_form() -> Form {
    Form::new([
        Field::text("skills", "Skills")
            .hint("Separate skills with commas, e.g. Python, data analysis. Suggestions appear as you type.")
            .suggestions("skill-vocabulary")
            .required(),
        Field::textarea("statement", "Statement")
            .hint("What the student did and how well, in your words. At most 2,000 characters.")
            .rows(10)
            .required(),
        Field::radios(
            "relationship",
            "How you know the student",
            Choices::new(Relationship::ALL.map(|r| (r.as_str(), r.label()))),
        )
        .required(),
        Field::text("course", "Course code")
            .hint("Only when you know the student from a course, e.g. ECON 310")
            .optional(),
    ])
}

/// The request form: whom to ask, optionally about which posting and skills, and a message.
pub fn request_form(
    faculty: &[requests::FacultyChoice],
    postings: &[(crate::core::OpportunityId, String, String)],
) -> Form {
    let people =
        Choices::new(faculty.iter().map(|f| (f.id.to_string(), format!("{} — {}, {}", f.name, f.title, f.department))));
    let projects =
        Choices::new(postings.iter().map(|(id, title, employer)| (id.to_string(), format!("{title} ({employer})"))));
    Form::new([
        Field::select("faculty", "Faculty member", people).placeholder("Choose a faculty member").required(),
        Field::select("posting", "Posting", projects).placeholder("No particular posting").optional(),
        Field::text("skills", "Skills to speak to")
            .hint("Separate skills with commas")
            .suggestions("skill-vocabulary")
            .optional(),
        Field::textarea("message", "Message").hint("At most 2,000 characters").optional(),
    ])
}

/// The decline form: an optional note to the student.
pub fn decline_form() -> Form {
    Form::new([Field::textarea("note", "Note to the student").hint("At most 2,000 characters").rows(4).optional()])
}
