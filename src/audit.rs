//! The audit log: who did what to which record, when and from where.
//! Written in the same transaction as the change it records.

use chrono::Utc;
use diesel::prelude::*;

use crate::db::schema::audit_events;
use crate::db::DbConnection;

/// Who acted: a signed-in user, or the command line / the system itself.
#[derive(Debug, Clone)]
pub enum Actor {
    User { id: String, label: String },
    Cli,
    System,
}

impl Actor {
    fn parts(&self) -> (Option<String>, String) {
        match self {
            Actor::User { id, label } => (Some(id.clone()), label.clone()),
            Actor::Cli => (None, "command line".to_owned()),
            Actor::System => (None, "system".to_owned()),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Event<'a> {
    pub actor: &'a Actor,
    pub action: &'a str,
    pub subject_type: &'a str,
    pub subject_id: Option<&'a str>,
    pub ip: Option<&'a str>,
    pub details: serde_json::Value,
}

pub fn record(conn: &mut DbConnection, event: Event<'_>) -> QueryResult<()> {
    let (actor_id, actor_label) = event.actor.parts();
    let now = Utc::now().naive_utc();
    diesel::insert_into(audit_events::table)
        .values((
            audit_events::id.eq(uuid::Uuid::new_v4().to_string()),
            audit_events::actor_id.eq(actor_id),
            audit_events::actor_label.eq(actor_label),
            audit_events::action.eq(event.action),
            audit_events::subject_type.eq(event.subject_type),
            audit_events::subject_id.eq(event.subject_id),
            audit_events::ip.eq(event.ip),
            audit_events::at.eq(now),
            audit_events::details.eq(event.details.to_string()),
            audit_events::created_at.eq(now),
            audit_events::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}
