//! What a person may do. Claim-derived roles follow the identity provider at every
//! sign-in; granted roles stay until revoked (`auth::roles` keeps both).

crate::core::text_enum! {
    /// A role, as stored in `user_roles.role`.
    pub enum Role: "role", ignore_case {
        Student => "student", "Student";
        Faculty => "faculty", "Faculty";
        Counselor => "counselor", "Career counselor";
        Admin => "admin", "Administrator";
        Recruiter => "recruiter", "Recruiter";
    }
}

impl Role {
    /// Counselors' powers belong to admins too.
    pub fn is_staff(self) -> bool {
        matches!(self, Role::Counselor | Role::Admin)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_parse_in_any_case_and_name_the_choices() {
        assert_eq!(" Admin ".parse::<Role>(), Ok(Role::Admin));
        assert_eq!(Role::from_stored("Admin"), None, "stored values are exact");
        assert_eq!(
            "dean".parse::<Role>().unwrap_err(),
            "`dean` is not a role (student, faculty, counselor, admin, recruiter)"
        );
        assert_eq!(Role::ALL.len(), 5);
        assert!(Role::Student < Role::Recruiter, "sorted in the order declared");
        assert_eq!(serde_json::to_value(Role::Counselor).unwrap(), "counselor");
        assert_eq!(Role::Counselor.label(), "Career counselor");
    }
}
