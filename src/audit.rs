//! The audit log: who did what to which record, when and from where.
//! Written in the same transaction as the change it records.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::audit_events;
use crate::db::DbConnection;

/// Who acted: a signed-in user, or the command line / the system itself.
#[derive(Debug, Clone)]
pub enum Actor {
    /// A signed-in person, and the client address their request came from (behind a
    /// trusted proxy, the address the proxy reported).
    User {
        id: String,
        label: String,
        ip: Option<String>,
    },
    Cli,
    System,
}

impl Actor {
    fn parts(&self) -> (Option<String>, String, Option<String>) {
        match self {
            Actor::User { id, label, ip } => (Some(id.clone()), label.clone(), ip.clone()),
            Actor::Cli => (None, "command line".to_owned(), None),
            Actor::System => (None, "system".to_owned(), None),
        }
    }

    /// The user's id, for rows that record who made them.
    pub fn user_id(&self) -> Option<&str> {
        match self {
            Actor::User { id, .. } => Some(id),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Event<'a> {
    pub actor: &'a Actor,
    pub action: &'a str,
    pub subject_type: &'a str,
    pub subject_id: Option<&'a str>,
    /// The client address, where the actor does not carry it (e.g. a failed sign-in).
    pub ip: Option<&'a str>,
    /// When it happened (the campus clock's now, stored as UTC).
    pub at: NaiveDateTime,
    pub details: serde_json::Value,
}

pub fn record(conn: &mut DbConnection, event: Event<'_>) -> QueryResult<()> {
    let (actor_id, actor_label, actor_ip) = event.actor.parts();
    let ip = event.ip.map(str::to_owned).or(actor_ip);
    let now = event.at;
    diesel::insert_into(audit_events::table)
        .values((
            audit_events::id.eq(uuid::Uuid::new_v4().to_string()),
            audit_events::actor_id.eq(actor_id),
            audit_events::actor_label.eq(actor_label),
            audit_events::action.eq(event.action),
            audit_events::subject_type.eq(event.subject_type),
            audit_events::subject_id.eq(event.subject_id),
            audit_events::ip.eq(ip),
            audit_events::at.eq(now),
            audit_events::details.eq(event.details.to_string()),
            audit_events::created_at.eq(now),
            audit_events::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}
