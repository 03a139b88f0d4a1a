//! Engagements (the project an accepted application became): the state machine
//! `active → submitted → completed`, `submitted → revision_requested → submitted`,
//! `active → cancelled`, and ratings.

use super::{refuse, Refused, Side};
use crate::core::FieldProblem;

crate::core::text_enum! {
    /// Where a project stands.
    pub enum EngagementStatus: "project status" {
        Active => "active", "In progress";
        Submitted => "submitted", "Deliverable submitted";
        RevisionRequested => "revision_requested", "Revision requested";
        Completed => "completed", "Completed";
        Cancelled => "cancelled", "Cancelled";
    }
}

/// Engagement: `active → submitted → completed`, `submitted → revision_requested → submitted`,
/// `active → cancelled` (by a counselor, with a reason).
pub fn engagement_move(from: EngagementStatus, to: EngagementStatus, side: Side) -> Result<(), Refused> {
    use EngagementStatus::*;
    let ok = match (from, to) {
        (Active | RevisionRequested, Submitted) => side == Side::Student,
        (Submitted, Completed | RevisionRequested) => side == Side::Recruiter,
        (Active, Cancelled) => side == Side::Counselor,
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(refuse("project", from.as_str(), to.as_str()))
    }
}

/// A 1–5 rating typed into a form.
pub fn rating(raw: &str) -> Result<i32, FieldProblem> {
    raw.trim()
        .parse::<i32>()
        .ok()
        .filter(|r| (1..=5).contains(r))
        .ok_or_else(|| FieldProblem::new("rating", "choose from 1 to 5"))
}

#[cfg(test)]
mod tests {
    use super::EngagementStatus::*;
    use super::Side::*;
    use super::*;

    #[test]
    fn engagement_machine() {
        assert!(engagement_move(Active, Submitted, Student).is_ok());
        assert!(engagement_move(Submitted, Completed, Recruiter).is_ok());
        assert!(engagement_move(Submitted, RevisionRequested, Recruiter).is_ok());
        assert!(engagement_move(RevisionRequested, Submitted, Student).is_ok());
        assert!(engagement_move(Active, Cancelled, Counselor).is_ok());
        assert!(engagement_move(Active, Completed, Recruiter).is_err(), "nothing delivered yet");
        assert!(engagement_move(Completed, Submitted, Student).is_err());
        assert!(engagement_move(Active, Cancelled, Recruiter).is_err(), "a counselor cancels");
        assert!(engagement_move(Submitted, Cancelled, Counselor).is_err());
        assert_eq!(
            engagement_move(RevisionRequested, Completed, Recruiter).unwrap_err().0,
            "a project that is revision requested cannot become completed"
        );
    }

    #[test]
    fn ratings_are_one_to_five() {
        assert_eq!(rating(" 5 "), Ok(5));
        assert_eq!(rating("0").unwrap_err().field, "rating");
        assert!(rating("five").is_err());
        assert_eq!(Active.label(), "In progress");
        assert_eq!(EngagementStatus::from_stored("paused"), None);
    }
}
