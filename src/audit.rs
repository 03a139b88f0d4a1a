//! The audit log: who did what to which record, when and from where.
//! Written in the same transaction as the change it records.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::core::Actor;
use std::collections::HashMap;

use crate::db::schema::{audit_events, employers, invitations, opportunities, users};
use crate::db::{DbConnection, MultiBackend};

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

diesel::define_sql_function!(
    /// SQL `lower(x)`: the log's filters match names case aside.
    fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text
);

/// What the log is filtered by (each optional; all that are set must match).
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Part of the actor's label (their email, or "system").
    pub actor: Option<String>,
    /// One action, exactly (`recruiter.disabled`).
    pub action: Option<String>,
    /// Part of the subject's name (a person's name or email, an employer's name, a
    /// posting's title), or its id exactly.
    pub subject: Option<String>,
    /// From this instant (inclusive) until that one (exclusive), UTC.
    pub from: Option<NaiveDateTime>,
    pub until: Option<NaiveDateTime>,
}

fn like(text: &str) -> String {
    format!("%{}%", text.trim().to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"))
}

/// The filtered log (a macro: the count and the page each need a fresh boxed query).
macro_rules! filtered {
    ($f:expr) => {{
        let f: &Filter = $f;
        let mut q = audit_events::table.into_boxed::<MultiBackend>();
        if let Some(a) = &f.actor {
            q = q.filter(lower(audit_events::actor_label).like(like(a)).escape('\\'));
        }
        if let Some(a) = &f.action {
            q = q.filter(audit_events::action.eq(a.clone()));
        }
        if let Some(text) = &f.subject {
            let pattern = like(text);
            let people = users::table
                .filter(
                    lower(users::display_name)
                        .like(pattern.clone())
                        .escape('\\')
                        .or(users::email.like(pattern.clone()).escape('\\')),
                )
                .select(users::id.nullable());
            let named = employers::table
                .filter(lower(employers::name).like(pattern.clone()).escape('\\'))
                .select(employers::id.nullable());
            let titled = opportunities::table
                .filter(lower(opportunities::title).like(pattern.clone()).escape('\\'))
                .select(opportunities::id.nullable());
            let invited = invitations::table
                .filter(
                    lower(invitations::name)
                        .like(pattern.clone())
                        .escape('\\')
                        .or(invitations::email.like(pattern.clone()).escape('\\')),
                )
                .select(invitations::id.nullable());
            q = q.filter(
                audit_events::subject_id
                    .eq(text.trim().to_owned())
                    .or(audit_events::subject_type.eq("invitation").and(audit_events::subject_id.eq_any(invited)))
                    .or(audit_events::subject_type.eq("user").and(audit_events::subject_id.eq_any(people)))
                    .or(audit_events::subject_type.eq("employer").and(audit_events::subject_id.eq_any(named)))
                    .or(audit_events::subject_type.eq("opportunity").and(audit_events::subject_id.eq_any(titled))),
            );
        }
        if let Some(from) = f.from {
            q = q.filter(audit_events::at.ge(from));
        }
        if let Some(until) = f.until {
            q = q.filter(audit_events::at.lt(until));
        }
        q
    }};
}

/// One page of the filtered log, newest first (at most `size` events from `offset`), and
/// how many events match.
pub fn page(conn: &mut DbConnection, filter: &Filter, offset: i64, size: i64) -> QueryResult<(Vec<Entry>, i64)> {
    let total: i64 = filtered!(filter).count().get_result(conn)?;
    let rows = filtered!(filter)
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
        .offset(offset)
        .load(conn)?;
    Ok((rows, total))
}

/// Every action the log holds, in order (for the action filter; an index serves it).
pub fn actions(conn: &mut DbConnection) -> QueryResult<Vec<String>> {
    audit_events::table.select(audit_events::action).distinct().order(audit_events::action).load(conn)
}

/// The readable names of the entries' subjects (people, employers, invitations,
/// postings), by subject id: one query per kind of subject, whatever the page's size.
pub fn subject_names(conn: &mut DbConnection, entries: &[Entry]) -> QueryResult<HashMap<String, String>> {
    let ids = |kind: &str| -> Vec<String> {
        entries.iter().filter(|e| e.subject_type == kind).filter_map(|e| e.subject_id.clone()).collect()
    };
    let mut names = HashMap::new();
    let people: Vec<(String, String, String)> = users::table
        .filter(users::id.eq_any(ids("user")))
        .select((users::id, users::display_name, users::email))
        .load(conn)?;
    names.extend(people.into_iter().map(|(id, name, email)| (id, format!("{name} ({email})"))));
    let firms: Vec<(String, String)> = employers::table
        .filter(employers::id.eq_any(ids("employer")))
        .select((employers::id, employers::name))
        .load(conn)?;
    names.extend(firms);
    let invited: Vec<(String, String, String, String)> = invitations::table
        .inner_join(employers::table)
        .filter(invitations::id.eq_any(ids("invitation")))
        .select((invitations::id, invitations::name, invitations::email, employers::name))
        .load(conn)?;
    names.extend(
        invited.into_iter().map(|(id, name, email, firm)| (id, format!("Invitation of {name} ({email}) to {firm}"))),
    );
    let postings: Vec<(String, String)> = opportunities::table
        .filter(opportunities::id.eq_any(ids("opportunity")))
        .select((opportunities::id, opportunities::title))
        .load(conn)?;
    names.extend(postings);
    Ok(names)
}
