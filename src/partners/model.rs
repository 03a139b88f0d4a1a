//! Employers and partnerships: rows, queries, and the changes with their effects.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Integer};
use serde::Serialize;

use super::rules::{check_transition, EmployerProfile, Refused, Status, Tier};
use crate::audit;
use crate::core::{Actor, Error, OpportunityId, UserId};
use crate::db::schema::{
    employers, engagements, fair_sessions, fairs, offers, opportunities, partnership_events, partnerships, recruiters,
    users,
};
use crate::db::{self, DbConnection, MultiBackend};
use crate::opportunities::postings::close_posting;
use crate::opportunities::rules::CloseReason;

diesel::define_sql_function!(fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text);

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = employers)]
pub struct Employer {
    pub id: String,
    pub name: String,
    pub industry: String,
    pub website: Option<String>,
    pub email_domain: Option<String>,
    pub size: Option<String>,
    pub location: String,
    pub description: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = partnerships)]
pub struct Partnership {
    pub id: String,
    pub employer_id: String,
    pub tier: String,
    pub status: String,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    pub owner_id: Option<String>,
    pub notes: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl Partnership {
    pub fn status(&self) -> Status {
        self.status.parse().unwrap_or(Status::Ended)
    }
}

/// The partnership that is not ended, if any (at most one: a unique index).
pub fn current_partnership(conn: &mut DbConnection, employer_id: &str) -> QueryResult<Option<Partnership>> {
    partnerships::table
        .filter(partnerships::employer_id.eq(employer_id))
        .filter(partnerships::status.ne("ended"))
        .select(Partnership::as_select())
        .first(conn)
        .optional()
}

pub fn find_employer(conn: &mut DbConnection, id: &str) -> QueryResult<Option<Employer>> {
    employers::table.find(id).select(Employer::as_select()).first(conn).optional()
}

/// Whether another employer already has this name (names are unique, case aside).
fn name_taken(conn: &mut DbConnection, name: &str, except: Option<&str>) -> QueryResult<bool> {
    let mut q = employers::table.filter(lower(employers::name).eq(name.to_lowercase())).into_boxed::<MultiBackend>();
    if let Some(id) = except {
        q = q.filter(employers::id.ne(id.to_owned()));
    }
    Ok(q.count().get_result::<i64>(conn)? > 0)
}

fn record_event(
    conn: &mut DbConnection,
    partnership_id: &str,
    from: Option<Status>,
    to: Status,
    actor: &Actor,
    note: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let actor_id = match actor {
        Actor::User { id, .. } => Some(id.clone()),
        _ => None,
    };
    diesel::insert_into(partnership_events::table)
        .values((
            partnership_events::id.eq(uuid::Uuid::new_v4().to_string()),
            partnership_events::partnership_id.eq(partnership_id),
            partnership_events::from_status.eq(from.map(|s| s.as_str())),
            partnership_events::to_status.eq(to.as_str()),
            partnership_events::actor_id.eq(actor_id),
            partnership_events::note.eq(note),
            partnership_events::at.eq(now),
            partnership_events::created_at.eq(now),
            partnership_events::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

fn actor_id(actor: &Actor) -> Option<UserId> {
    actor.user_id().cloned()
}

/// Adds an employer with a first partnership (`status`, normally prospect).
pub fn create_employer(
    conn: &mut DbConnection,
    profile: &EmployerProfile,
    tier: Tier,
    status: Status,
    actor: &Actor,
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<String, Error> {
    db::transaction(conn, |conn| {
        if name_taken(conn, &profile.name, None)? {
            return Err(Error::invalid("name", format!("an employer named {} exists already", profile.name)));
        }
        if status == Status::Active && profile.email_domain.is_none() {
            // A problem of the status asked for (the import's `status` column; the portal
            // always starts a prospect).
            return Err(Error::invalid("status", Refused::NoEmailDomain.to_string()));
        }
        if status == Status::Ended || status == Status::Paused {
            return Err(Error::invalid("status", "a new partnership starts as prospect or active"));
        }
        let id = uuid::Uuid::new_v4().to_string();
        diesel::insert_into(employers::table)
            .values((
                employers::id.eq(&id),
                employers::name.eq(&profile.name),
                employers::industry.eq(&profile.industry),
                employers::website.eq(&profile.website),
                employers::email_domain.eq(&profile.email_domain),
                employers::size.eq(&profile.size),
                employers::location.eq(&profile.location),
                employers::description.eq(&profile.description),
                employers::created_at.eq(now),
                employers::updated_at.eq(now),
            ))
            .execute(conn)?;
        let pid = uuid::Uuid::new_v4().to_string();
        diesel::insert_into(partnerships::table)
            .values((
                partnerships::id.eq(&pid),
                partnerships::employer_id.eq(&id),
                partnerships::tier.eq(tier.as_str()),
                partnerships::status.eq(status.as_str()),
                partnerships::starts_on.eq((status == Status::Active).then_some(today)),
                partnerships::owner_id.eq(actor_id(actor)),
                partnerships::created_at.eq(now),
                partnerships::updated_at.eq(now),
            ))
            .execute(conn)?;
        record_event(conn, &pid, None, status, actor, "", now)?;
        audit::record(
            conn,
            audit::Event {
                actor,
                action: "employer.created",
                subject_type: "employer",
                subject_id: Some(&id),
                at: now,
                ip: None,
                details: serde_json::json!({ "name": profile.name }),
            },
        )?;
        Ok(id)
    })
}

/// Changes an employer's profile. The vetted domain cannot be removed while the
/// partnership is active (recruiters are vetted against it).
pub fn update_employer(
    conn: &mut DbConnection,
    id: &str,
    profile: &EmployerProfile,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<bool, Error> {
    db::transaction(conn, |conn| {
        let current = find_employer(conn, id)?.ok_or(Error::NotFound)?;
        if name_taken(conn, &profile.name, Some(id))? {
            return Err(Error::invalid("name", format!("an employer named {} exists already", profile.name)));
        }
        let active = current_partnership(conn, id)?.is_some_and(|p| p.status() == Status::Active);
        if active && profile.email_domain.is_none() {
            return Err(Error::invalid("email_domain", "is required while the partnership is active"));
        }
        let same = current.name == profile.name
            && current.industry == profile.industry
            && current.website == profile.website
            && current.email_domain == profile.email_domain
            && current.size == profile.size
            && current.location == profile.location
            && current.description == profile.description;
        if same {
            return Ok(false);
        }
        diesel::update(employers::table.find(id))
            .set((
                employers::name.eq(&profile.name),
                employers::industry.eq(&profile.industry),
                employers::website.eq(&profile.website),
                employers::email_domain.eq(&profile.email_domain),
                employers::size.eq(&profile.size),
                employers::location.eq(&profile.location),
                employers::description.eq(&profile.description),
                employers::updated_at.eq(now),
            ))
            .execute(conn)?;
        audit::record(
            conn,
            audit::Event {
                actor,
                action: "employer.updated",
                subject_type: "employer",
                subject_id: Some(id),
                at: now,
                ip: None,
                details: serde_json::json!({ "name": profile.name }),
            },
        )?;
        Ok(true)
    })
}

/// What a status change did beyond the status itself.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Effects {
    pub postings_closed: usize,
    pub applicants_told: usize,
}

/// Moves the employer's current partnership to `to`, recording who and when. Pausing or
/// ending closes the employer's open postings and tells their applicants; nothing is deleted.
/// A partnership starts and ends on a campus date (`today`).
pub fn change_status(
    conn: &mut DbConnection,
    employer_id: &str,
    to: Status,
    note: &str,
    actor: &Actor,
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<Effects, Error> {
    db::transaction(conn, |conn| {
        let employer = find_employer(conn, employer_id)?.ok_or(Error::NotFound)?;
        let p = current_partnership(conn, employer_id)?.ok_or_else(|| {
            Error::Conflict(format!("{} has no current partnership: start a new one first", employer.name))
        })?;
        let from = p.status();
        check_transition(from, to, employer.email_domain.is_some())?;
        let starts_on = if to == Status::Active { p.starts_on.or(Some(today)) } else { p.starts_on };
        let ends_on = if to == Status::Ended { Some(today) } else { p.ends_on };
        diesel::update(partnerships::table.find(&p.id))
            .set((
                partnerships::status.eq(to.as_str()),
                partnerships::starts_on.eq(starts_on),
                partnerships::ends_on.eq(ends_on),
                partnerships::updated_at.eq(now),
            ))
            .execute(conn)?;
        record_event(conn, &p.id, Some(from), to, actor, note.trim(), now)?;
        let effects = if matches!(to, Status::Paused | Status::Ended) {
            close_open_postings(conn, &employer, to, actor, now)?
        } else {
            Effects::default()
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
    why: Status,
    actor: &Actor,
    now: NaiveDateTime,
) -> QueryResult<Effects> {
    let reason = match why {
        Status::Paused => CloseReason::PartnershipPaused,
        _ => CloseReason::PartnershipEnded,
    };
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
pub fn new_partnership(
    conn: &mut DbConnection,
    employer_id: &str,
    tier: Tier,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<(), Error> {
    db::transaction(conn, |conn| {
        let employer = find_employer(conn, employer_id)?.ok_or(Error::NotFound)?;
        if current_partnership(conn, employer_id)?.is_some() {
            return Err(Error::Conflict(format!("{} already has a current partnership", employer.name)));
        }
        let pid = uuid::Uuid::new_v4().to_string();
        diesel::insert_into(partnerships::table)
            .values((
                partnerships::id.eq(&pid),
                partnerships::employer_id.eq(employer_id),
                partnerships::tier.eq(tier.as_str()),
                partnerships::status.eq("prospect"),
                partnerships::owner_id.eq(actor_id(actor)),
                partnerships::created_at.eq(now),
                partnerships::updated_at.eq(now),
            ))
            .execute(conn)?;
        record_event(conn, &pid, None, Status::Prospect, actor, "new partnership", now)?;
        audit::record(
            conn,
            audit::Event {
                actor,
                action: "partnership.created",
                subject_type: "employer",
                subject_id: Some(employer_id),
                at: now,
                ip: None,
                details: serde_json::json!({ "tier": tier.as_str() }),
            },
        )?;
        Ok(())
    })
}

/// Changes the tier or owner of the current partnership.
pub fn set_terms(
    conn: &mut DbConnection,
    employer_id: &str,
    tier: Tier,
    owner_id: Option<&str>,
    notes: &str,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<(), Error> {
    db::transaction(conn, |conn| {
        let p = current_partnership(conn, employer_id)?
            .ok_or_else(|| Error::Conflict("there is no current partnership".into()))?;
        if let Some(owner) = owner_id {
            let staff: i64 = crate::db::schema::user_roles::table
                .filter(crate::db::schema::user_roles::user_id.eq(owner))
                .filter(crate::db::schema::user_roles::role.eq_any(["counselor", "admin"]))
                .count()
                .get_result(conn)?;
            if staff == 0 {
                return Err(Error::invalid("owner_id", "choose a counselor"));
            }
        }
        diesel::update(partnerships::table.find(&p.id))
            .set((
                partnerships::tier.eq(tier.as_str()),
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
                details: serde_json::json!({ "tier": tier.as_str(), "owner_id": owner_id }),
            },
        )?;
        Ok(())
    })
}

/// The counselors (and admins) who may own a partnership, for the owner filter and form.
pub fn owners(conn: &mut DbConnection) -> QueryResult<Vec<(String, String)>> {
    users::table
        .inner_join(crate::db::schema::user_roles::table)
        .filter(crate::db::schema::user_roles::role.eq_any(["counselor", "admin"]))
        .select((users::id, users::display_name))
        .distinct()
        .order(users::display_name)
        .load(conn)
}

pub const LIST_PAGE: i64 = 25;

/// The counselors' employer list: search, filters, sort and page.
#[derive(Debug, Clone, Default, serde::Deserialize, Serialize)]
pub struct ListFilter {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub tier: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub sort: String,
    #[serde(default)]
    pub page: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ListItem {
    pub employer: Employer,
    pub partnership: Option<Partnership>,
    pub owner_name: Option<String>,
}

/// The filtered employer list (a macro because the count and the page each need a
/// fresh boxed query of the same shape).
macro_rules! list_query {
    ($f:expr) => {{
        let f: &ListFilter = $f;
        let mut q = employers::table
            .left_join(partnerships::table.on(partnerships::employer_id.eq(employers::id).and(partnerships::status.ne("ended"))))
            .left_join(users::table.on(users::id.nullable().eq(partnerships::owner_id)))
            .into_boxed::<MultiBackend>();
        let text = f.q.trim().to_lowercase();
        if !text.is_empty() {
            let pattern = format!("%{}%", text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
            q = q.filter(lower(employers::name).like(pattern.clone()).escape('\\').or(lower(employers::industry).like(pattern).escape('\\')));
        }
        if let Ok(tier) = f.tier.parse::<Tier>() {
            q = q.filter(partnerships::tier.eq(tier.as_str()));
        }
        match f.status.parse::<Status>() {
            Ok(Status::Ended) => {
                q = q.filter(partnerships::id.is_null()).filter(sql::<Bool>(
                    "EXISTS (SELECT 1 FROM partnerships ended WHERE ended.employer_id = employers.id AND ended.status = 'ended')",
                ))
            }
            Ok(s) => q = q.filter(partnerships::status.eq(s.as_str())),
            Err(_) => {}
        }
        if !f.owner.is_empty() {
            q = q.filter(partnerships::owner_id.eq(f.owner.clone()));
        }
        q
    }};
}

pub fn list(conn: &mut DbConnection, f: &ListFilter, page: i64) -> QueryResult<(Vec<ListItem>, i64)> {
    let total: i64 = list_query!(f).count().get_result(conn)?;
    let q = list_query!(f).select((
        employers::all_columns,
        partnerships::all_columns.nullable(),
        users::display_name.nullable(),
    ));
    let q = match f.sort.as_str() {
        "recent" => q.order(employers::updated_at.desc()).then_order_by(employers::id),
        "tier" => q
            .order(sql::<Integer>("CASE partnerships.tier WHEN 'strategic' THEN 1 WHEN 'gold' THEN 2 WHEN 'silver' THEN 3 WHEN 'standard' THEN 4 ELSE 5 END"))
            .then_order_by(employers::name)
            .then_order_by(employers::id),
        _ => q.order(lower(employers::name)).then_order_by(employers::id),
    };
    let rows: Vec<(Employer, Option<Partnership>, Option<String>)> =
        q.limit(LIST_PAGE).offset((page - 1) * LIST_PAGE).load(conn)?;
    Ok((
        rows.into_iter()
            .map(|(employer, partnership, owner_name)| ListItem { employer, partnership, owner_name })
            .collect(),
        total,
    ))
}

/// Everything the employer page shows.
#[derive(Debug, Serialize)]
pub struct Detail {
    pub employer: Employer,
    pub current: Option<Partnership>,
    pub history: Vec<HistoryEntry>,
    pub recruiters: Vec<RecruiterEntry>,
    pub postings: Vec<PostingEntry>,
    pub sessions: Vec<SessionEntry>,
    pub figures: Figures,
}

#[derive(Debug, Serialize, Queryable)]
pub struct HistoryEntry {
    pub tier: String,
    pub from_status: Option<String>,
    pub to_status: String,
    pub actor: Option<String>,
    pub note: String,
    pub at: NaiveDateTime,
}

#[derive(Debug, Serialize, Queryable)]
pub struct RecruiterEntry {
    pub name: String,
    pub email: String,
    pub title: String,
    pub disabled: bool,
}

#[derive(Debug, Serialize, Queryable)]
pub struct PostingEntry {
    pub id: String,
    pub title: String,
    pub status: String,
    pub apply_by: NaiveDate,
    pub hours: i32,
    pub fee_cents: i64,
    pub currency: String,
}

#[derive(Debug, Serialize, Queryable)]
pub struct SessionEntry {
    pub id: String,
    pub fair: String,
    pub title: String,
    pub kind: String,
    pub starts_at: NaiveDateTime,
    pub status: String,
}

#[derive(Debug, Serialize, PartialEq)]
pub struct Figures {
    pub postings: i64,
    pub open_postings: i64,
    pub engagements_completed: i64,
    pub average_rating: Option<String>,
    pub students_offered: i64,
    pub students_hired: i64,
}

pub fn detail(conn: &mut DbConnection, employer_id: &str) -> QueryResult<Option<Detail>> {
    let Some(employer) = find_employer(conn, employer_id)? else { return Ok(None) };
    let current = current_partnership(conn, employer_id)?;
    let history: Vec<HistoryEntry> = partnership_events::table
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
        .load(conn)?;
    let recruiters: Vec<RecruiterEntry> = recruiters::table
        .inner_join(users::table)
        .filter(recruiters::employer_id.eq(employer_id))
        .select((users::display_name, users::email, recruiters::title, users::disabled))
        .order(users::display_name)
        .load(conn)?;
    let postings: Vec<PostingEntry> = opportunities::table
        .filter(opportunities::employer_id.eq(employer_id))
        .select((
            opportunities::id,
            opportunities::title,
            opportunities::status,
            opportunities::apply_by,
            opportunities::hours,
            opportunities::fee_cents,
            opportunities::currency,
        ))
        .order((opportunities::apply_by.desc(), opportunities::id))
        .limit(100)
        .load(conn)?;
    let sessions: Vec<SessionEntry> = fair_sessions::table
        .inner_join(fairs::table)
        .filter(fair_sessions::employer_id.eq(employer_id))
        .select((
            fair_sessions::id,
            fairs::name,
            fair_sessions::title,
            fair_sessions::kind,
            fair_sessions::starts_at,
            fair_sessions::status,
        ))
        .order((fair_sessions::starts_at.desc(), fair_sessions::id))
        .limit(100)
        .load(conn)?;
    let ratings: Vec<Option<i32>> = engagements::table
        .filter(engagements::employer_id.eq(employer_id))
        .filter(engagements::status.eq("completed"))
        .select(engagements::rating)
        .load(conn)?;
    let rated: Vec<i32> = ratings.iter().flatten().copied().collect();
    let average_rating =
        (!rated.is_empty()).then(|| format!("{:.1}", rated.iter().sum::<i32>() as f64 / rated.len() as f64));
    let offered: Vec<(String, String)> = offers::table
        .filter(offers::employer_id.eq(employer_id))
        .select((offers::student_id, offers::status))
        .load(conn)?;
    let mut offered_students: Vec<&String> = offered.iter().map(|(s, _)| s).collect();
    offered_students.sort();
    offered_students.dedup();
    let mut hired: Vec<&String> = offered.iter().filter(|(_, st)| st == "accepted").map(|(s, _)| s).collect();
    hired.sort();
    hired.dedup();
    let figures = Figures {
        postings: opportunities::table.filter(opportunities::employer_id.eq(employer_id)).count().get_result(conn)?,
        open_postings: opportunities::table
            .filter(opportunities::employer_id.eq(employer_id))
            .filter(opportunities::status.eq("open"))
            .count()
            .get_result(conn)?,
        engagements_completed: rated.len() as i64 + ratings.iter().filter(|r| r.is_none()).count() as i64,
        average_rating,
        students_offered: offered_students.len() as i64,
        students_hired: hired.len() as i64,
    };
    Ok(Some(Detail { employer, current, history, recruiters, postings, sessions, figures }))
}
