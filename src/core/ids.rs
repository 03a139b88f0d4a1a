//! The ids that cross modules, each its own type, so that a student's id cannot be passed
//! where an employer's is wanted. Stored as the UUID text they always were.

crate::core::text_id! {
    /// A person who can sign in (campus account or recruiter).
    pub struct UserId;
    /// A student on the roster.
    pub struct StudentId;
    /// A faculty member's record.
    pub struct FacultyId;
    /// An employer.
    pub struct EmployerId;
    /// One partnership of an employer (an ended one stays as history).
    pub struct PartnershipId;
    /// A recruiter's record (their employer and title).
    pub struct RecruiterId;
    /// A recruiter's invitation.
    pub struct InvitationId;
    /// A micro-internship posting.
    pub struct OpportunityId;
    /// A student's application to a posting.
    pub struct ApplicationId;
    /// The project an accepted application became.
    pub struct EngagementId;
    /// An internship or job offer after a project.
    pub struct OfferId;
    /// A faculty endorsement.
    pub struct EndorsementId;
    /// A virtual fair.
    pub struct FairId;
    /// One session of a fair.
    pub struct FairSessionId;
    /// A student's registration for a fair session.
    pub struct RegistrationId;
    /// A graduate's outcome record.
    pub struct OutcomeId;
    /// An inbox notification.
    pub struct NotificationId;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_fresh_uuids_and_compare_with_text() {
        let (a, b) = (UserId::generate(), UserId::generate());
        assert_ne!(a, b);
        assert_eq!(a.len(), 36, "a UUID as text");
        let same = UserId::from(a.as_str());
        assert_eq!(same, a);
        let text: String = a.to_string();
        assert_eq!(a, *a.as_str(), "compares with str");
        assert_eq!(a, text, "compares with String");
        assert_eq!(text, a, "and String with it");
        assert_eq!(serde_json::to_value(&a).unwrap(), serde_json::json!(a.as_str()), "serialized as the text");
        assert_eq!(format!("{:?}", StudentId::from("s-1")), "StudentId(\"s-1\")");
    }
}
