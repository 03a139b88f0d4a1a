//! Employers: their rows, adding one (with its first partnership) and changing its
//! profile, the counselors' list, and everything the employer page shows.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Integer};
use serde::{Deserialize, Serialize};

use super::lower;
use super::partnerships::{self, HistoryEntry, Partnership};
use crate::audit;
use crate::core::{Actor, Email, EmployerId, Error, FairSessionId, OpportunityId, UserId};
use crate::db::schema::{
    employers, engagements, fair_sessions, fairs, offers, opportunities, partnerships as partnerships_t, recruiters,
    user_roles, users,
};
use crate::db::{self, DbConnection, MultiBackend};
use crate::partners::rules::{check_first_status, EmployerProfile, EmployerSize, PartnershipStatus, Tier};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = employers)]
pub struct Employer {
    pub id: EmployerId,
    pub name: String,
    pub industry: String,
    pub website: Option<String>,
    pub email_domain: Option<String>,
    pub size: Option<EmployerSize>,
    pub location: String,
    pub description: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl Employer {
    /// The profile as stored (what a form edits).
    pub fn profile(&self) -> EmployerProfile {
        EmployerProfile {
            name: self.name.clone(),
            industry: self.industry.clone(),
            website: self.website.clone(),
            email_domain: self.email_domain.clone(),
            size: self.size,
            location: self.location.clone(),
            description: self.description.clone(),
        }
    }
}

pub fn find(conn: &mut DbConnection, id: &EmployerId) -> QueryResult<Option<Employer>> {
    employers::table.find(id).select(Employer::as_select()).first(conn).optional()
}

/// The employer named `name`, case aside (names are unique so).
pub fn id_by_name(conn: &mut DbConnection, name: &str) -> QueryResult<Option<EmployerId>> {
    employers::table.filter(lower(employers::name).eq(name.to_lowercase())).select(employers::id).first(conn).optional()
}

/// Whether another employer already has this name (names are unique, case aside).
fn name_taken(conn: &mut DbConnection, name: &str, except: Option<&EmployerId>) -> QueryResult<bool> {
    let mut q = employers::table.filter(lower(employers::name).eq(name.to_lowercase())).into_boxed::<MultiBackend>();
    if let Some(id) = except {
        q = q.filter(employers::id.ne(id.clone()));
    }
    Ok(q.count().get_result::<i64>(conn)? > 0)
}

fn name_exists(profile: &EmployerProfile) -> Error {
    Error::invalid("name", format!("an employer named {} exists already", profile.name))
}

/// Adds an employer with a first partnership (`status`, normally prospect).
pub fn create(
    conn: &mut DbConnection,
    profile: &EmployerProfile,
    tier: Tier,
    status: PartnershipStatus,
    actor: &Actor,
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<EmployerId, Error> {
    db::transaction(conn, |conn| {
        if name_taken(conn, &profile.name, None)? {
            return Err(name_exists(profile));
        }
        // A problem of the status asked for (the import's `status` column; the portal
        // always starts a prospect).
        check_first_status(status, profile.email_domain.is_some())?;
        let id = EmployerId::generate();
        insert_many(
            conn,
            &[NewEmployer {
                id: id.clone(),
                name: profile.name.clone(),
                industry: profile.industry.clone(),
                website: profile.website.clone(),
                email_domain: profile.email_domain.clone(),
                size: profile.size,
                location: profile.location.clone(),
                description: profile.description.clone(),
                created_at: now,
                updated_at: now,
            }],
        )?;
        partnerships::insert(conn, &id, tier, status, actor, today, "", now)?;
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

/// Changes an employer's profile; `false` when it was as given already. The vetted
/// domain cannot be removed while the partnership is active (recruiters are vetted
/// against it).
pub fn update(
    conn: &mut DbConnection,
    id: &EmployerId,
    profile: &EmployerProfile,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<bool, Error> {
    db::transaction(conn, |conn| {
        let current = find(conn, id)?.ok_or(Error::NotFound)?;
        if name_taken(conn, &profile.name, Some(id))? {
            return Err(name_exists(profile));
        }
        let active = partnerships::current(conn, id)?.is_some_and(|p| p.status == PartnershipStatus::Active);
        if active && profile.email_domain.is_none() {
            return Err(Error::invalid("email_domain", "is required while the partnership is active"));
        }
        if current.profile() == *profile {
            return Ok(false);
        }
        diesel::update(employers::table.find(id))
            .set((
                employers::name.eq(&profile.name),
                employers::industry.eq(&profile.industry),
                employers::website.eq(&profile.website),
                employers::email_domain.eq(&profile.email_domain),
                employers::size.eq(profile.size),
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

/// A counselor (or admin) who may own a partnership.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct Owner {
    pub id: UserId,
    pub name: String,
}

/// The counselors (and admins) who may own a partnership, for the owner filter and form.
pub fn owners(conn: &mut DbConnection) -> QueryResult<Vec<Owner>> {
    users::table
        .inner_join(user_roles::table)
        .filter(user_roles::role.eq_any(["counselor", "admin"]))
        .select((users::id, users::display_name))
        .distinct()
        .order(users::display_name)
        .load(conn)
}

pub const LIST_PAGE: i64 = 25;

/// The counselors' employer list: search, filters, sort and page, as the query string
/// has them (a filter that names no tier or status is no filter).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
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

/// One employer of the list, with its current partnership and that one's owner.
#[derive(Debug, Clone)]
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
            .left_join(
                partnerships_t::table.on(partnerships_t::employer_id
                    .eq(employers::id)
                    .and(partnerships_t::status.ne(PartnershipStatus::Ended))),
            )
            .left_join(users::table.on(users::id.nullable().eq(partnerships_t::owner_id)))
            .into_boxed::<MultiBackend>();
        let text = f.q.trim().to_lowercase();
        if !text.is_empty() {
            let pattern = format!("%{}%", text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
            q = q.filter(
                lower(employers::name)
                    .like(pattern.clone())
                    .escape('\\')
                    .or(lower(employers::industry).like(pattern).escape('\\')),
            );
        }
        if let Ok(tier) = f.tier.parse::<Tier>() {
            q = q.filter(partnerships_t::tier.eq(tier));
        }
        match f.status.parse::<PartnershipStatus>() {
            Ok(PartnershipStatus::Ended) => {
                q = q.filter(partnerships_t::id.is_null()).filter(sql::<Bool>(
                    "EXISTS (SELECT 1 FROM partnerships ended WHERE ended.employer_id = employers.id AND ended.status = 'ended')",
                ))
            }
            Ok(s) => q = q.filter(partnerships_t::status.eq(s)),
            Err(_) => {}
        }
        if !f.owner.is_empty() {
            q = q.filter(partnerships_t::owner_id.eq(f.owner.clone()));
        }
        q
    }};
}

/// A page of the list and how many employers match in all.
pub fn list(conn: &mut DbConnection, f: &ListFilter, page: i64) -> QueryResult<(Vec<ListItem>, i64)> {
    let total: i64 = list_query!(f).count().get_result(conn)?;
    let q = list_query!(f).select((
        employers::all_columns,
        partnerships_t::all_columns.nullable(),
        users::display_name.nullable(),
    ));
    let q = match f.sort.as_str() {
        "recent" => q.order(employers::updated_at.desc()).then_order_by(employers::id),
        "tier" => q
            .order(sql::<Integer>(
                "CASE partnerships.tier WHEN 'strategic' THEN 1 WHEN 'gold' THEN 2 WHEN 'silver' THEN 3 WHEN 'standard' THEN 4 ELSE 5 END",
            ))
            .then_order_by(employers::name)
            .then_order_by(employers::id),
        _ => q.order(lower(employers::name)).then_order_by(employers::id),
    };
    let rows: Vec<(Employer, Option<Partnership>, Option<String>)> =
        q.limit(LIST_PAGE).offset((page - 1) * LIST_PAGE).load(conn)?;
    let items = rows
        .into_iter()
        .map(|(employer, partnership, owner_name)| ListItem { employer, partnership, owner_name })
        .collect();
    Ok((items, total))
}

/// Everything the employer page shows.
#[derive(Debug)]
pub struct Detail {
    pub employer: Employer,
    pub current: Option<Partnership>,
    pub history: Vec<HistoryEntry>,
    pub recruiters: Vec<RecruiterEntry>,
    pub postings: Vec<PostingEntry>,
    pub sessions: Vec<SessionEntry>,
    pub figures: Figures,
}

#[derive(Debug, Queryable)]
pub struct RecruiterEntry {
    pub user_id: UserId,
    pub name: String,
    pub email: Email,
    pub title: String,
    pub disabled: bool,
}

/// One of the employer's postings (their statuses are the opportunities area's).
#[derive(Debug, Queryable)]
pub struct PostingEntry {
    pub id: OpportunityId,
    pub title: String,
    pub status: String,
    pub apply_by: NaiveDate,
    pub hours: i32,
    pub fee_cents: i64,
    pub currency: String,
}

/// One of the employer's fair sessions.
#[derive(Debug, Queryable)]
pub struct SessionEntry {
    pub id: FairSessionId,
    pub fair: String,
    pub title: String,
    pub kind: String,
    pub starts_at: NaiveDateTime,
    pub status: String,
}

/// What the partnership has brought, as the employer page sums it up.
#[derive(Debug, PartialEq)]
pub struct Figures {
    pub postings: i64,
    pub open_postings: i64,
    pub engagements_completed: i64,
    pub average_rating: Option<String>,
    pub students_offered: i64,
    pub students_hired: i64,
}

pub fn detail(conn: &mut DbConnection, employer_id: &EmployerId) -> QueryResult<Option<Detail>> {
    let Some(employer) = find(conn, employer_id)? else { return Ok(None) };
    let current = partnerships::current(conn, employer_id)?;
    let history = partnerships::history(conn, employer_id)?;
    let recruiters: Vec<RecruiterEntry> = recruiters::table
        .inner_join(users::table)
        .filter(recruiters::employer_id.eq(employer_id))
        .select((users::id, users::display_name, users::email, recruiters::title, users::disabled))
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
    let figures = figures(conn, employer_id)?;
    Ok(Some(Detail { employer, current, history, recruiters, postings, sessions, figures }))
}

fn figures(conn: &mut DbConnection, employer_id: &EmployerId) -> QueryResult<Figures> {
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
    Ok(Figures {
        postings: opportunities::table.filter(opportunities::employer_id.eq(employer_id)).count().get_result(conn)?,
        open_postings: opportunities::table
            .filter(opportunities::employer_id.eq(employer_id))
            .filter(opportunities::status.eq("open"))
            .count()
            .get_result(conn)?,
        engagements_completed: ratings.len() as i64,
        average_rating,
        students_offered: offered_students.len() as i64,
        students_hired: hired.len() as i64,
    })
}

/// An employer's profile as it is added (one by a counselor or the import, many by the
/// synthetic data set); its partnership is added beside it.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = employers, treat_none_as_default_value = false)]
pub struct NewEmployer {
    pub id: EmployerId,
    pub name: String,
    pub industry: String,
    pub website: Option<String>,
    pub email_domain: Option<String>,
    pub size: Option<EmployerSize>,
    pub location: String,
    pub description: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// Adds employers, many per statement.
pub fn insert_many(conn: &mut DbConnection, rows: &[NewEmployer]) -> QueryResult<usize> {
    crate::db::batch::insert_rows!(conn, employers::table, rows, 10)
}
