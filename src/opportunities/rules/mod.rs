//! Pure rules of the micro-internship lifecycle (DESIGN §2), one file per aggregate: the
//! posting, application and engagement state machines (on the status enums, which map to
//! the database's text), who may make each move, posting validation, eligibility and the
//! conversion of an offer into an outcome. No I/O: every rule is a cheap unit test.
//! A refused move changes nothing; the caller answers 409 (wrong state) or 422 (bad input).

mod applications;
pub mod catalogue;
mod eligibility;
mod engagements;
mod offers;
mod postings;

pub use applications::{application_move, student_next_step, ApplicationStatus, Relationship};
pub use eligibility::{eligibility, eligibility_key, skill_tag, skill_tags, Eligibility, Ineligible, StudentFacts};
pub use engagements::{engagement_move, rating, EngagementStatus};
pub use offers::{check_offer, conversion_outcome, graduated, OfferForm, OfferKind, OfferStatus, OfferTerms};
pub use postings::{
    parse_money, posting_move, validate_posting, Category, CloseReason, Posting, PostingForm, PostingStatus,
};

use crate::core::Error;

/// Who asks for a move: the rules differ by side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Student,
    Recruiter,
    Counselor,
    /// The server itself (the periodic auto-close).
    System,
}

/// A refused move: the thing is not in a state that allows it, or this side may not make it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Refused(pub String);

/// A refused move is a conflict with the current state: nothing changes (409).
impl From<Refused> for Error {
    fn from(r: Refused) -> Self {
        Error::Conflict(r.0)
    }
}

/// "a posting that is pending review cannot become open": the stored values in words.
fn refuse(what: &str, from: &str, to: &str) -> Refused {
    Refused(format!("a {what} that is {} cannot become {}", from.replace('_', " "), to.replace('_', " ")))
}
