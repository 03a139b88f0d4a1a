//! The audit log: who did what to which record, when and from where.
//! Written in the same transaction as the change it records.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::core::Actor;
use crate::db::schema::audit_events;
use crate::db::DbConnection;

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
    let ip = event.ip.or(event.actor.ip());
    let now = event.at;
    diesel::insert_into(audit_events::table)
        .values((
            audit_events::id.eq(uuid::Uuid::new_v4().to_string()),
            audit_events::actor_id.eq(event.actor.user_id()),
            audit_events::actor_label.eq(event.actor.label()),
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

/// An event as the audit log lists it.
#[derive(Debug, Clone, Queryable)]
pub struct Entry {
    pub at: NaiveDateTime,
    pub actor: String,
    pub action: String,
    pub subject_type: String,
    pub subject_id: Option<String>,
    pub ip: Option<String>,
    pub details: String,
}

/// One page of the log, newest first (at most `size` events), and how many events there are.
pub fn page(conn: &mut DbConnection, page: i64, size: i64) -> QueryResult<(Vec<Entry>, i64)> {
    let total: i64 = audit_events::table.count().get_result(conn)?;
    let rows = audit_events::table
        .select((
            audit_events::at,
            audit_events::actor_label,
            audit_events::action,
            audit_events::subject_type,
            audit_events::subject_id,
            audit_events::ip,
            audit_events::details,
        ))
        .order((audit_events::at.desc(), audit_events::id))
        .limit(size)
        .offset((page - 1) * size)
        .load(conn)?;
    Ok((rows, total))
}
