//! Partnerships: an employer's current one (at most one is not ended), its status
//! changes with their effects (pausing or ending closes the employer's open postings),
//! its terms, a new one after an ended one, and the history of every change.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::employers::{self, Employer};
use crate::audit;
use crate::core::{Actor, EmployerId, Error, OpportunityId, PartnershipId, UserId};
use crate::db::schema::{opportunities, partnership_events, partnerships, user_roles, users};
use crate::db::{self, DbConnection};
use crate::opportunities::postings::close_posting;
use crate::opportunities::rules::CloseReason;
use crate::partners::rules::{check_transition, PartnershipStatus, Tier};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = partnerships)]
pub struct Partnership {
    pub id: PartnershipId,
    pub employer_id: EmployerId,
    pub tier: Tier,
    /// A stored value that is not a status does not read (an error, never a default).
    pub status: PartnershipStatus,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    pub owner_id: Option<UserId>,
    pub notes: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// The partnership that is not ended, if any (at most one: a unique index).
pub fn current(conn: &mut DbConnection, employer_id: &EmployerId) -> QueryResult<Option<Partnership>> {
    partnerships::table
        .filter(partnerships::employer_id.eq(employer_id))
        .filter(partnerships::status.ne(PartnershipStatus::Ended))
        .select(Partnership::as_select())
        .first(conn)
        .optional()
}

/// Whether the employer's current partnership is active (what students and the
/// directory go by).
pub fn is_active(conn: &mut DbConnection, employer_id: &EmployerId) -> QueryResult<bool> {
    Ok(current(conn, employer_id)?.is_some_and(|p| p.status == PartnershipStatus::Active))
}

/// Adds a partnership in `status` (the caller checked that it may start so) with the
/// event that starts its history. An active one starts today.
#[allow(clippy::too_many_arguments)]
pub(super) fn insert(
    conn: &mut DbConnection,
    employer_id: &EmployerId,
    tier: Tier,
    status: PartnershipStatus,
    actor: &Actor,
    today: NaiveDate,
    note: &str,
    now: NaiveDateTime,
) -> QueryResult<PartnershipId> {
    let id = PartnershipId::generate();
    insert_many(
        conn,
        &[NewPartnership {
            id: id.clone(),
            employer_id: employer_id.clone(),
            tier,
            status,
            starts_on: (status == PartnershipStatus::Active).then_some(today),
            ends_on: None,
            owner_id: actor.user_id().cloned(),
            notes: String::new(),
            created_at: now,
            updated_at: now,
        }],
    )?;
    record_event(conn, &id, None, status, actor, note, now)?;
    Ok(id)
}

fn record_event(
    conn: &mut DbConnection,
    partnership_id: &PartnershipId,
    from: Option<PartnershipStatus>,
    to: PartnershipStatus,
    actor: &Actor,
    note: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    insert_events(
        conn,
        &[NewPartnershipEvent {
            id: uuid::Uuid::new_v4().to_string(),
            partnership_id: partnership_id.clone(),
            from_status: from,
            to_status: to,
            actor_id: actor.user_id().cloned(),
            note: note.to_owned(),
            at: now,
            created_at: now,
            updated_at: now,
        }],
    )?;
    Ok(())
}

/// What a status change did beyond the status itself.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Effects {
    pub postings_closed: usize,
    pub applicants_told: usize,
}

/// Moves the employer's current partnership to `to`, recording who and when. Pausing or
/// ending closes the employer's open postings and tells their applicants; nothing is deleted.
/// A partnership starts and ends on a campus date (`today`).
pub fn change_status(
    conn: &mut DbConnection,
    employer_id: &EmployerId,
    to: PartnershipStatus,
    note: &str,
    actor: &Actor,
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<Effects, Error> {
    db::transaction(conn, |conn| {
        let employer = employers::find(conn, employer_id)?.ok_or(Error::NotFound)?;
        let p = current(conn, employer_id)?.ok_or_else(|| {
            Error::Conflict(format!("{} has no current partnership: start a new one first", employer.name))
        })?;
        let from = p.status;
        check_transition(from, to, employer.email_domain.is_some())?;
        let starts_on = if to == PartnershipStatus::Active { p.starts_on.or(Some(today)) } else { p.starts_on };
        let ends_on = if to == PartnershipStatus::Ended { Some(today) } else { p.ends_on };
        diesel::update(partnerships::table.find(&p.id))
            .set((
                partnerships::status.eq(to),
                partnerships::starts_on.eq(starts_on),
                partnerships::ends_on.eq(ends_on),
                partnerships::updated_at.eq(now),
            ))
            .execute(conn)?;
        record_event(conn, &p.id, Some(from), to, actor, note.trim(), now)?;
        let effects = match to {
            PartnershipStatus::Paused => {
                close_open_postings(conn, &employer, CloseReason::PartnershipPaused, actor, now)?
            }
            PartnershipStatus::Ended => {
                close_open_postings(conn, &employer, CloseReason::PartnershipEnded, actor, now)?
            }
            PartnershipStatus::Prospect | PartnershipStatus::Active => Effects::default(),
        };
        audit::record(
            conn,
            audit::Event {
                actor,
                action: "partnership.status_changed",
                subject_type: "employer",
                subject_id: Some(employer_id),
                at: now,
                ip: None,
                details: serde_json::json!({ "from": from, "to": to, "note": note.trim(), "postings_closed": effects.postings_closed }),
            },
        )?;
        Ok(effects)
    })
}

/// Closes the employer's open postings, each through the posting's own close (its row
/// lock, state machine, applicants told, audit event).
fn close_open_postings(
    conn: &mut DbConnection,
    employer: &Employer,
    reason: CloseReason,
    actor: &Actor,
    now: NaiveDateTime,
) -> QueryResult<Effects> {
    // In id order, as every close of several postings locks them (no deadlock).
    let open: Vec<OpportunityId> = opportunities::table
        .filter(opportunities::employer_id.eq(&employer.id))
        .filter(opportunities::status.eq("open"))
        .select(opportunities::id)
        .order(opportunities::id)
        .load(conn)?;
    let mut effects = Effects::default();
    for id in open {
        if let Some(told) = close_posting(conn, &id, reason, actor, now)? {
            effects.postings_closed += 1;
            effects.applicants_told += told;
        }
    }
    Ok(effects)
}

/// Starts a new partnership (prospect) for an employer whose last one ended.
pub fn start_new(
    conn: &mut DbConnection,
    employer_id: &EmployerId,
    tier: Tier,
    actor: &Actor,
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<PartnershipId, Error> {
    db::transaction(conn, |conn| {
        let employer = employers::find(conn, employer_id)?.ok_or(Error::NotFound)?;
        if current(conn, employer_id)?.is_some() {
            return Err(Error::Conflict(format!("{} already has a current partnership", employer.name)));
        }
        let id = insert(conn, employer_id, tier, PartnershipStatus::Prospect, actor, today, "new partnership", now)?;
        audit::record(
            conn,
            audit::Event {
                actor,
                action: "partnership.created",
                subject_type: "employer",
                subject_id: Some(employer_id),
                at: now,
                ip: None,
                details: serde_json::json!({ "tier": tier }),
            },
        )?;
        Ok(id)
    })
}

/// Changes the tier, owner and notes of the current partnership. The owner must be a
/// counselor (or admin).
pub fn set_terms(
    conn: &mut DbConnection,
    employer_id: &EmployerId,
    tier: Tier,
    owner_id: Option<&UserId>,
    notes: &str,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<(), Error> {
    db::transaction(conn, |conn| {
        let p = current(conn, employer_id)?.ok_or_else(|| Error::Conflict("there is no current partnership".into()))?;
        if let Some(owner) = owner_id {
            let staff: i64 = user_roles::table
                .filter(user_roles::user_id.eq(owner))
                .filter(user_roles::role.eq_any(["counselor", "admin"]))
                .count()
                .get_result(conn)?;
            if staff == 0 {
                return Err(Error::invalid("owner_id", "choose a counselor"));
            }
        }
        diesel::update(partnerships::table.find(&p.id))
            .set((
                partnerships::tier.eq(tier),
                partnerships::owner_id.eq(owner_id),
                partnerships::notes.eq(notes.trim()),
                partnerships::updated_at.eq(now),
            ))
            .execute(conn)?;
        audit::record(
            conn,
            audit::Event {
                actor,
                action: "partnership.terms_changed",
                subject_type: "employer",
                subject_id: Some(employer_id),
                at: now,
                ip: None,
                details: serde_json::json!({ "tier": tier, "owner_id": owner_id }),
            },
        )?;
        Ok(())
    })
}

/// One change in the history of an employer's partnerships (newest first).
#[derive(Debug, Clone, Queryable)]
pub struct HistoryEntry {
    pub tier: Tier,
    /// `None`: the partnership started here.
    pub from_status: Option<PartnershipStatus>,
    pub to_status: PartnershipStatus,
    /// Who made it (a person's name; `None` for the command line or the server).
    pub actor: Option<String>,
    pub note: String,
    pub at: NaiveDateTime,
}

/// Every status change of every partnership the employer has had, newest first.
pub fn history(conn: &mut DbConnection, employer_id: &EmployerId) -> QueryResult<Vec<HistoryEntry>> {
    partnership_events::table
        .inner_join(partnerships::table)
        .left_join(users::table.on(users::id.nullable().eq(partnership_events::actor_id)))
        .filter(partnerships::employer_id.eq(employer_id))
        .select((
            partnerships::tier,
            partnership_events::from_status,
            partnership_events::to_status,
            users::display_name.nullable(),
            partnership_events::note,
            partnership_events::at,
        ))
        .order((partnership_events::at.desc(), partnership_events::id))
        .load(conn)
}

/// A partnership as it is added (an employer's first, a new one after an ended one, or
/// many by the synthetic data set).
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = partnerships, treat_none_as_default_value = false)]
pub struct NewPartnership {
    pub id: PartnershipId,
    pub employer_id: EmployerId,
    pub tier: Tier,
    pub status: PartnershipStatus,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    pub owner_id: Option<UserId>,
    pub notes: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// Adds partnerships, many per statement (their events are added beside them).
pub fn insert_many(conn: &mut DbConnection, rows: &[NewPartnership]) -> QueryResult<usize> {
    crate::db::batch::insert_rows!(conn, partnerships::table, rows, 10)
}

/// One step of a partnership's history: from one status to another, by whom, when.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = partnership_events, treat_none_as_default_value = false)]
pub struct NewPartnershipEvent {
    pub id: String,
    pub partnership_id: PartnershipId,
    pub from_status: Option<PartnershipStatus>,
    pub to_status: PartnershipStatus,
    pub actor_id: Option<UserId>,
    pub note: String,
    pub at: NaiveDateTime,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// Adds steps of partnerships' histories, many per statement.
pub fn insert_events(conn: &mut DbConnection, rows: &[NewPartnershipEvent]) -> QueryResult<usize> {
    crate::db::batch::insert_rows!(conn, partnership_events::table, rows, 9)
}
