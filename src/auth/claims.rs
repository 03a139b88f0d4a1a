//! Roles from the identity provider's claims. Campus providers send affiliation and
//! group claims as a string, a space- or comma-separated string, or an array; the claim
//! names and the group values that make a counselor or an admin are configured.

use serde_json::{Map, Value};

use crate::core::Role;

#[derive(Debug, Clone)]
pub struct RoleMapping {
    pub role_claim: String,
    pub groups_claim: String,
    pub counselor_groups: Vec<String>,
    pub admin_groups: Vec<String>,
}

/// The values of a claim, whatever its shape. Missing or null: none.
pub fn claim_values(claims: &Map<String, Value>, name: &str) -> Vec<String> {
    fn push(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::String(s) => out
                .extend(s.split(|c: char| c == ',' || c.is_whitespace()).filter(|p| !p.is_empty()).map(str::to_owned)),
            Value::Array(items) => items.iter().for_each(|i| push(i, out)),
            Value::Number(n) => out.push(n.to_string()),
            _ => {}
        }
    }
    let mut out = Vec::new();
    if let Some(v) = claims.get(name) {
        push(v, &mut out);
    }
    out
}

/// The roles the provider vouches for. eduPerson affiliations: `student` → student;
/// `faculty` → faculty (so are `instructor`/`teacher`); `staff`/`employee` give nothing by
/// themselves: office staff are counselors through the configured groups. Values may be
/// scoped (`faculty@northfield.edu`), as some campuses send eduPersonScopedAffiliation.
pub fn roles_from_claims(claims: &Map<String, Value>, mapping: &RoleMapping) -> Vec<Role> {
    let mut roles = Vec::new();
    for value in claim_values(claims, &mapping.role_claim) {
        let base = value.split('@').next().unwrap_or("").to_ascii_lowercase();
        match base.as_str() {
            "student" => roles.push(Role::Student),
            "faculty" | "instructor" | "teacher" => roles.push(Role::Faculty),
            _ => {}
        }
    }
    let groups = claim_values(claims, &mapping.groups_claim);
    let member = |wanted: &[String]| groups.iter().any(|g| wanted.iter().any(|w| w.eq_ignore_ascii_case(g)));
    if member(&mapping.counselor_groups) {
        roles.push(Role::Counselor);
    }
    if member(&mapping.admin_groups) {
        roles.push(Role::Admin);
    }
    roles.sort();
    roles.dedup();
    roles
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn mapping() -> RoleMapping {
        RoleMapping {
            role_claim: "eduPersonAffiliation".into(),
            groups_claim: "groups".into(),
            counselor_groups: vec!["career-office".into()],
            admin_groups: vec!["career-office-admin".into()],
        }
    }

    fn claims(v: serde_json::Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn a_string_claim_and_an_array_claim_give_the_same_roles() {
        let m = mapping();
        assert_eq!(roles_from_claims(&claims(json!({"eduPersonAffiliation": "student"})), &m), vec![Role::Student]);
        assert_eq!(
            roles_from_claims(&claims(json!({"eduPersonAffiliation": ["student", "member"]})), &m),
            vec![Role::Student]
        );
        assert_eq!(
            roles_from_claims(&claims(json!({"eduPersonAffiliation": "faculty member"})), &m),
            vec![Role::Faculty]
        );
    }

    #[test]
    fn groups_make_counselors_and_admins() {
        let m = mapping();
        let c = claims(json!({"eduPersonAffiliation": ["staff"], "groups": ["career-office", "career-office-admin"]}));
        assert_eq!(roles_from_claims(&c, &m), vec![Role::Counselor, Role::Admin]);
        let c = claims(json!({"groups": "career-office"}));
        assert_eq!(roles_from_claims(&c, &m), vec![Role::Counselor]);
    }

    #[test]
    fn nothing_recognised_gives_no_role_and_recruiter_never_comes_from_claims() {
        let m = mapping();
        assert!(
            roles_from_claims(&claims(json!({"eduPersonAffiliation": "staff", "groups": ["library"]})), &m).is_empty()
        );
        assert!(roles_from_claims(&claims(json!({"eduPersonAffiliation": "recruiter"})), &m).is_empty());
        assert!(roles_from_claims(&claims(json!({"eduPersonAffiliation": null})), &m).is_empty());
        assert!(roles_from_claims(&claims(json!({})), &m).is_empty());
    }

    #[test]
    fn scoped_affiliations_and_other_claim_names() {
        let mut m = mapping();
        m.role_claim = "eduPersonScopedAffiliation".into();
        let c = claims(json!({"eduPersonScopedAffiliation": ["faculty@northfield.edu"]}));
        assert_eq!(roles_from_claims(&c, &m), vec![Role::Faculty]);
    }
}
