//! What the office's student pages show: the lookup, and a student's page.

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;

use super::store::{Found, Record};
use crate::core::{ApplicationId, EngagementId, StudentId};
use crate::web::pages::Pager;

/// `students/lookup`: find a student by name, email or student number.
#[derive(Debug, Serialize)]
pub struct LookupPage {
    pub q: String,
    pub students: Vec<FoundRow>,
    pub pager: Pager,
}

#[derive(Debug, Serialize)]
pub struct FoundRow {
    pub id: StudentId,
    pub name: String,
    pub student_number: String,
    pub email: String,
    pub major: String,
    pub class_year: i32,
}

impl From<Found> for FoundRow {
    fn from(f: Found) -> Self {
        FoundRow {
            id: f.id,
            name: f.name,
            student_number: f.student_number,
            email: f.email,
            major: f.major,
            class_year: f.class_year,
        }
    }
}

/// `students/student`: a student's record as the office sees it.
#[derive(Debug, Serialize)]
pub struct StudentPage {
    /// For the links to the student's other pages (outcomes).
    pub id: String,
    pub name: String,
    pub student_number: String,
    pub email: String,
    pub college: String,
    pub major: String,
    pub class_year: i32,
    pub graduation_term: String,
    /// Whether the student has signed in (their record is linked to a campus account).
    pub signed_in: bool,
    pub applications: Vec<ApplicationRow>,
    pub projects: Vec<ProjectRow>,
    pub endorsements: Vec<EndorsementRow>,
}

#[derive(Debug, Serialize)]
pub struct ApplicationRow {
    pub id: ApplicationId,
    pub title: String,
    pub employer: String,
    pub status: &'static str,
    pub applied_at: NaiveDateTime,
}

#[derive(Debug, Serialize)]
pub struct ProjectRow {
    pub id: EngagementId,
    pub title: String,
    pub employer: String,
    pub status: &'static str,
    pub due_on: NaiveDate,
    pub paid_on: Option<NaiveDate>,
}

#[derive(Debug, Serialize)]
pub struct EndorsementRow {
    pub faculty: String,
    pub relationship: &'static str,
    pub skills: String,
    pub statement: String,
    pub given_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
}

impl From<Record> for StudentPage {
    fn from(r: Record) -> Self {
        let s = r.student;
        StudentPage {
            id: s.id.as_str().to_owned(),
            name: s.name,
            student_number: s.student_number,
            email: s.email.to_string(),
            college: s.college,
            major: s.major,
            class_year: s.class_year,
            graduation_term: s.graduation_term,
            signed_in: s.user_id.is_some(),
            applications: r
                .applications
                .into_iter()
                .map(|a| ApplicationRow {
                    id: a.id,
                    title: a.title,
                    employer: a.employer,
                    status: a.status.label(),
                    applied_at: a.applied_at,
                })
                .collect(),
            projects: r
                .projects
                .into_iter()
                .map(|p| ProjectRow {
                    id: p.id,
                    title: p.title,
                    employer: p.employer,
                    status: p.status.label(),
                    due_on: p.due_on,
                    paid_on: p.paid_on,
                })
                .collect(),
            endorsements: r
                .endorsements
                .into_iter()
                .map(|e| EndorsementRow {
                    faculty: e.faculty,
                    relationship: e.relationship.label(),
                    skills: e.skills,
                    statement: e.statement,
                    given_at: e.given_at,
                    revoked_at: e.revoked_at,
                })
                .collect(),
        }
    }
}
