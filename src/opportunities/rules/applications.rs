//! Applications: the state machine `submitted → shortlisted → offered → accepted |
//! declined` (`submitted | shortlisted → rejected`; the student may withdraw before
//! acceptance), and the student's next step in their own words.

use super::engagements::EngagementStatus;
use super::{refuse, Refused, Side};

crate::core::text_enum! {
    /// Where a student's application stands.
    pub enum ApplicationStatus: "application status" {
        Submitted => "submitted", "Submitted";
        Shortlisted => "shortlisted", "Shortlisted";
        Offered => "offered", "Offered the project";
        Accepted => "accepted", "Accepted";
        Declined => "declined", "Declined";
        Rejected => "rejected", "Not selected";
        Withdrawn => "withdrawn", "Withdrawn";
    }
}

/// How the faculty member who endorses a student knows them: the endorsements area's.
pub use crate::endorsements::rules::Relationship;

/// Application: `submitted → shortlisted → offered → accepted | declined`;
/// `submitted | shortlisted → rejected`; the student may withdraw before acceptance.
pub fn application_move(from: ApplicationStatus, to: ApplicationStatus, side: Side) -> Result<(), Refused> {
    use ApplicationStatus::*;
    let ok = match (from, to) {
        (Submitted, Shortlisted) => side == Side::Recruiter,
        (Submitted | Shortlisted, Rejected) => side == Side::Recruiter,
        (Shortlisted, Offered) => side == Side::Recruiter,
        (Offered, Accepted | Declined) => side == Side::Student,
        (Submitted | Shortlisted | Offered, Withdrawn) => side == Side::Student,
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(refuse("application", from.as_str(), to.as_str()))
    }
}

/// The next step of an application or engagement, in the student's words
/// (`rated`: the student has rated a completed project).
pub fn student_next_step(
    application: ApplicationStatus,
    engagement: Option<EngagementStatus>,
    rated: bool,
) -> &'static str {
    use ApplicationStatus as A;
    use EngagementStatus as E;
    match (application, engagement) {
        (_, Some(E::Completed)) if rated => "Completed and rated. Well done.",
        (_, Some(E::Active)) => "Do the work and submit your deliverable by the due date.",
        (_, Some(E::RevisionRequested)) => "The employer asked for a revision: update and resubmit your deliverable.",
        (_, Some(E::Submitted)) => "Waiting for the employer to review your deliverable.",
        (_, Some(E::Completed)) => "Completed: rate the experience.",
        (_, Some(E::Cancelled)) => "Cancelled by the career office.",
        (A::Submitted, None) => "Waiting for the employer to review applications.",
        (A::Shortlisted, None) => "Shortlisted: the employer may make an offer.",
        (A::Offered, None) => "You have an offer: accept or decline it.",
        (A::Rejected, None) => "Not selected this time.",
        (A::Declined, None) => "You declined the offer.",
        (A::Withdrawn, None) => "You withdrew this application.",
        (A::Accepted, None) => "",
    }
}

#[cfg(test)]
mod tests {
    use super::ApplicationStatus::*;
    use super::Side::*;
    use super::*;

    #[test]
    fn application_machine() {
        assert!(application_move(Submitted, Shortlisted, Recruiter).is_ok());
        assert!(application_move(Shortlisted, Offered, Recruiter).is_ok());
        assert!(application_move(Offered, Accepted, Student).is_ok());
        assert!(application_move(Offered, Declined, Student).is_ok());
        assert!(application_move(Submitted, Rejected, Recruiter).is_ok());
        assert!(application_move(Shortlisted, Rejected, Recruiter).is_ok());
        for from in [Submitted, Shortlisted, Offered] {
            assert!(application_move(from, Withdrawn, Student).is_ok());
        }
        assert!(application_move(Accepted, Withdrawn, Student).is_err(), "not after acceptance");
        assert!(application_move(Offered, Rejected, Recruiter).is_err());
        assert!(application_move(Offered, Accepted, Recruiter).is_err(), "only the student accepts");
        assert!(application_move(Submitted, Offered, Recruiter).is_err(), "shortlist first");
        assert!(application_move(Rejected, Shortlisted, Recruiter).is_err());
        assert!(application_move(Submitted, Shortlisted, Student).is_err());
        assert_eq!(
            application_move(Withdrawn, Withdrawn, Student).unwrap_err().0,
            "a application that is withdrawn cannot become withdrawn"
        );
    }

    #[test]
    fn next_steps_follow_the_state() {
        assert!(student_next_step(Offered, None, false).contains("accept or decline"));
        assert!(student_next_step(Accepted, Some(EngagementStatus::RevisionRequested), false).contains("revision"));
        assert_eq!(
            student_next_step(Accepted, Some(EngagementStatus::Completed), false),
            "Completed: rate the experience."
        );
        assert!(student_next_step(Accepted, Some(EngagementStatus::Completed), true).contains("rated"));
    }

    #[test]
    fn statuses_in_words() {
        assert_eq!(Rejected.label(), "Not selected");
        assert_eq!(ApplicationStatus::from_stored("hired"), None);
        assert_eq!(Relationship::from_stored("advising"), Some(Relationship::Advising));
    }
}
