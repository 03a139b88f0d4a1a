//! Who people are and what they may do: campus sign-in (OpenID Connect), recruiters'
//! local accounts, sessions, roles, and the demo identity provider.

pub mod claims;
pub mod csrf;
pub mod dev_idp;
pub mod extract;
pub mod login;
pub mod oidc;
pub mod recruiters;
pub mod roles;
pub mod routes;
pub mod sessions;
pub mod throttle;
pub mod tokens;
pub mod users;

use url::Url;

use self::claims::RoleMapping;
use self::oidc::Provider;
use self::sessions::CookiePolicy;
use crate::config::Settings;

/// What the sign-in code needs at every request, made once at start.
#[derive(Clone)]
pub struct AuthContext {
    pub provider: Provider,
    pub mapping: RoleMapping,
    pub cookies: CookiePolicy,
    /// Key for signing anonymous forms' CSRF tokens (`WAYPOINT_FORM_SECRET`; in demo
    /// mode without one, random per start).
    pub csrf_key: Vec<u8>,
    pub public_url: Url,
    /// `scheme://host[:port]` of the public URL, for the Origin check.
    pub public_origin: String,
}

impl std::fmt::Debug for AuthContext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthContext")
            .field("provider", &self.provider)
            .field("public_origin", &self.public_origin)
            .finish_non_exhaustive()
    }
}

impl AuthContext {
    pub fn new(settings: &Settings, provider: Provider) -> Self {
        let key = match &settings.form_secret {
            Some(s) => s.expose().as_bytes().to_vec(),
            None => tokens::random_token().into_bytes(),
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
