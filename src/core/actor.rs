//! Who acted, for the audit log and for rows that record who made them.

use super::ids::UserId;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// A signed-in person, and the client address their request came from (behind a
    /// trusted proxy, the address the proxy reported).
    User { id: UserId, label: String, ip: Option<String> },
    /// `waypoint` on the command line (an import, a grant).
    Cli,
    /// A campus system calling the JSON API with a bearer token (`label` names the
    /// token, e.g. "API token “warehouse”"), from the client address of its request.
    Token { label: String, ip: Option<String> },
    /// The server itself (a periodic task, a pending grant applied at sign-in).
    System,
}

impl Actor {
    /// The user's id, for rows that record who made them.
    pub fn user_id(&self) -> Option<&UserId> {
        match self {
            Actor::User { id, .. } => Some(id),
            _ => None,
        }
    }

    /// How the audit log names the actor.
    pub fn label(&self) -> &str {
        match self {
            Actor::User { label, .. } => label,
            Actor::Token { label, .. } => label,
            Actor::Cli => "command line",
            Actor::System => "system",
        }
    }

    /// The client address of a person's request, where there is one.
    pub fn ip(&self) -> Option<&str> {
        match self {
            Actor::User { ip, .. } | Actor::Token { ip, .. } => ip.as_deref(),
            _ => None,
        }
    }
}
