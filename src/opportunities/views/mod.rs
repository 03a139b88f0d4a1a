//! The typed views the lifecycle's pages render (and that the API can later describe),
//! each built from the store's rows by a small function. Money is shown in major units,
//! dates stay dates (the templates show them on the campus clock: `{{campus_date}}`,
//! `{{campus_time}}`), and every status carries its stored value and its label.

mod applications;
mod catalogue;
mod engagements;
mod postings;

pub use applications::*;
pub use catalogue::*;
pub use engagements::*;
pub use postings::*;

use serde::Serialize;

use super::applications::SharedEndorsement;
use super::rules::{
    ApplicationStatus, Category, EngagementStatus, OfferKind, OfferStatus, PostingStatus, Relationship,
};

/// A value of a closed list as pages show it: the stored value (form values, CSS
/// classes) and its label in the office's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Labelled {
    pub value: &'static str,
    pub label: &'static str,
}

macro_rules! labelled {
    ($($t:ty),+) => {$(
        impl From<$t> for Labelled {
            fn from(v: $t) -> Self {
                Labelled { value: v.as_str(), label: v.label() }
            }
        }
    )+};
}
labelled!(PostingStatus, ApplicationStatus, EngagementStatus, OfferStatus, OfferKind, Category, Relationship);

/// An endorsement shared with the employer.
#[derive(Debug, Serialize)]
pub struct EndorsementView {
    pub id: String,
    pub faculty: String,
    pub title: String,
    pub department: String,
    pub relationship: Labelled,
    pub skills: String,
    pub statement: String,
}

impl From<SharedEndorsement> for EndorsementView {
    fn from(e: SharedEndorsement) -> Self {
        EndorsementView {
            id: e.endorsement_id.to_string(),
            faculty: e.faculty,
            title: e.title,
            department: e.department,
            relationship: e.relationship.into(),
            skills: e.skills,
            statement: e.statement,
        }
    }
}
