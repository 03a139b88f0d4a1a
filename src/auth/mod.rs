//! Who people are and what they may do: campus sign-in (OpenID Connect), recruiters'
//! local accounts, sessions, roles, and the demo identity provider.

pub mod accounts;
pub mod claims;
pub mod csrf;
pub mod dev_idp;
pub mod extract;
pub mod login;
pub mod logins;
pub mod oidc;
pub mod recruiters;
pub mod roles;
pub mod routes;
pub mod sessions;
pub mod throttle;
pub mod tokens;
pub mod users;
pub mod views;

use url::Url;

use self::claims::RoleMapping;
use self::oidc::Provider;
use self::sessions::CookiePolicy;
use crate::config::Settings;
use crate::core::Secret;

/// What the sign-in code needs at every request, made once at start.
/// Its `Debug` shows no secret: the form key is a `Secret`, and the provider's client
/// secret stays out of `Provider`'s.
#[derive(Debug, Clone)]
pub struct AuthContext {
    pub provider: Provider,
    pub mapping: RoleMapping,
    pub cookies: CookiePolicy,
    /// Key for signing anonymous forms' CSRF tokens (`WAYPOINT_FORM_SECRET`; in demo
    /// mode without one, random per start).
    pub csrf_key: Secret,
    pub public_url: Url,
    /// `scheme://host[:port]` of the public URL, for the Origin check.
    pub public_origin: String,
}

impl AuthContext {
    pub fn new(settings: &Settings, provider: Provider) -> Self {
        let key = match &settings.form_secret {
            Some(s) => s.clone(),
            None => Secret::new(tokens::random_token()),
        };
        AuthContext {
            provider,
            mapping: RoleMapping {
                role_claim: settings.oidc_role_claim.clone(),
                groups_claim: settings.oidc_groups_claim.clone(),
                counselor_groups: settings.counselor_groups.clone(),
                admin_groups: settings.admin_groups.clone(),
            },
            cookies: CookiePolicy::for_public_url(&settings.public_url),
            csrf_key: key,
            public_url: settings.public_url.clone(),
            public_origin: settings.public_url.origin().ascii_serialization(),
        }
    }

    /// An absolute URL of this server for a local path.
    pub fn link(&self, path: &str) -> String {
        format!("{}{}", self.public_url.as_str().trim_end_matches('/'), path)
    }
}

/// Every secret auth holds stays out of `Debug` output (and so out of log lines).
#[cfg(test)]
mod secrets_tests {
    use chrono::NaiveDate;

    use super::claims::RoleMapping;
    use super::extract::Viewer;
    use super::oidc::{Identity, Provider};
    use super::recruiters::Invited;
    use super::sessions::{CookiePolicy, SessionRow};
    use super::users::Principal;
    use super::AuthContext;
    use crate::core::{Role, Secret, UserId};

    const SESSION: &str = "session-secret-Zk3Qv9";
    const FORM_TOKEN: &str = "form-token-Hq81xP";
    const FORM_KEY: &str = "form-key-Wm20bN";
    const ID_TOKEN: &str = "eyJhbGciOiJSUzI1NiJ9.id-token-Lp44dT";
    const INVITATION: &str = "invitation-token-Rc77sA";

    fn shown(v: &impl std::fmt::Debug) -> String {
        format!("{v:?}")
    }

    #[test]
    fn the_session_cookie_and_form_token_of_a_viewer() {
        let principal = Principal {
            id: UserId::generate(),
            email: "ada@northfield.edu".into(),
            display_name: "Ada".into(),
            roles: vec![Role::Student],
            student_id: None,
            faculty_id: None,
            employer_id: None,
            employer_name: None,
            client_ip: None,
        };
        let viewer =
            Viewer { principal, csrf: Secret::new(FORM_TOKEN), session_secret: Secret::new(SESSION), unread: 2 };
        let text = shown(&viewer);
        assert!(text.contains("ada@northfield.edu"), "the rest is shown: {text}");
        assert!(!text.contains(SESSION) && !text.contains(FORM_TOKEN), "{text}");
        let at = NaiveDate::from_ymd_opt(2027, 2, 16).unwrap().and_hms_opt(9, 0, 0).unwrap();
        let row = SessionRow {
            id: "digest".into(),
            user_id: "u".into(),
            csrf_token: FORM_TOKEN.into(),
            expires_at: at,
            last_seen_at: at,
            created_at: at,
        };
        assert!(!shown(&row).contains(FORM_TOKEN), "{}", shown(&row));
    }

    #[test]
    fn the_id_token_the_form_key_and_an_invitation_link() {
        let identity = Identity {
            issuer: "https://sso.northfield.edu".into(),
            subject: "s1".into(),
            email: None,
            name: None,
            claims: Default::default(),
            id_token: Secret::new(ID_TOKEN),
        };
        assert!(!shown(&identity).contains(ID_TOKEN), "{}", shown(&identity));

        let public = url::Url::parse("https://careers.northfield.edu").unwrap();
        let issuer = url::Url::parse("https://sso.northfield.edu").unwrap();
        let provider = Provider::new(&issuer, "waypoint", Some("client-secret-Yy55"), &public, &[]).unwrap();
        let context = AuthContext {
            provider,
            mapping: RoleMapping {
                role_claim: "eduPersonAffiliation".into(),
                groups_claim: "groups".into(),
                counselor_groups: vec![],
                admin_groups: vec![],
            },
            cookies: CookiePolicy::for_public_url(&public),
            csrf_key: Secret::new(FORM_KEY),
            public_url: public.clone(),
            public_origin: public.origin().ascii_serialization(),
        };
        let text = shown(&context);
        assert!(!text.contains(FORM_KEY) && !text.contains("client-secret-Yy55"), "{text}");

        let invited = Invited {
            token: Secret::new(INVITATION),
            email: "ana@brightpath.com".into(),
            employer_name: "Brightpath".into(),
            expires_at: NaiveDate::from_ymd_opt(2027, 2, 23).unwrap().and_hms_opt(9, 0, 0).unwrap(),
        };
        assert!(!shown(&invited).contains(INVITATION), "{}", shown(&invited));
    }
}
