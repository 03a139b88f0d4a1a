//! Fairs: made, published and closed by the office; their days; the employers taking
//! part (joined by a recruiter, approved by a counselor where the fair asks for it).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{record, tell};
use crate::core::{Actor, EmployerId, Error, FairId, UserId};
use crate::db::schema::{employers, fair_days, fair_employers, fair_sessions, fairs, partnerships, recruiters, users};
use crate::db::{self, DbConnection};
use crate::fairs::rules::{fair_move, FairPlan, FairStatus, ParticipationStatus, Span};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = fairs)]
pub struct FairRow {
    pub id: FairId,
    pub name: String,
    pub description: String,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub status: FairStatus,
    pub requires_approval: bool,
}

/// The fairs a viewer may see, soonest last-started first: the office sees drafts too.
pub fn list(conn: &mut DbConnection, with_drafts: bool) -> QueryResult<Vec<FairRow>> {
    let mut q =
        fairs::table.select(FairRow::as_select()).order((fairs::starts_at.desc(), fairs::id)).limit(200).into_boxed();
    if !with_drafts {
        q = q.filter(fairs::status.ne(FairStatus::Draft));
    }
    q.load(conn)
}

pub fn find(conn: &mut DbConnection, id: &FairId) -> QueryResult<Option<FairRow>> {
    fairs::table.find(id).select(FairRow::as_select()).first(conn).optional()
}

/// The fair's days, in order (a fair made before days existed is one span).
pub fn days(conn: &mut DbConnection, fair: &FairRow) -> QueryResult<Vec<Span>> {
    let days: Vec<Span> = fair_days::table
        .filter(fair_days::fair_id.eq(&fair.id))
        .select((fair_days::starts_at, fair_days::ends_at))
        .order(fair_days::starts_at)
        .load(conn)?;
    Ok(if days.is_empty() { vec![(fair.starts_at, fair.ends_at)] } else { days })
}

/// A new fair (a draft), with its days.
pub fn create(conn: &mut DbConnection, plan: &FairPlan, actor: &Actor, now: NaiveDateTime) -> Result<FairId, Error> {
    let (first, last) = match (plan.days.first(), plan.days.last()) {
        (Some(f), Some(l)) => (f.0, l.1),
        _ => return Err(Error::invalid("day1_date", "is required")),
    };
    let id = FairId::generate();
    db::transaction(conn, |conn| {
        insert_many(
            conn,
            &[NewFair {
                id: id.clone(),
                name: plan.name.clone(),
                description: plan.description.clone(),
                starts_at: first,
                ends_at: last,
                status: FairStatus::Draft,
                created_by: actor.user_id().cloned(),
                requires_approval: plan.requires_approval,
                created_at: now,
                updated_at: now,
            }],
        )?;
        let days: Vec<NewFairDay> = plan
            .days
            .iter()
            .map(|(s, e)| NewFairDay {
                id: uuid::Uuid::new_v4().to_string(),
                fair_id: id.clone(),
                starts_at: *s,
                ends_at: *e,
                created_at: now,
                updated_at: now,
            })
            .collect();
        insert_days(conn, &days)?;
        record(conn, now, actor, "fair.created", "fair", &id, serde_json::json!({ "name": plan.name }))?;
        Ok::<_, Error>(())
    })?;
    Ok(id)
}

/// Publishes or closes a fair; an illegal move is refused (409) and changes nothing.
pub fn move_fair(
    conn: &mut DbConnection,
    id: &FairId,
    to: FairStatus,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<FairRow, Error> {
    db::transaction(conn, |conn| {
        let fair = find(conn, id)?.ok_or(Error::NotFound)?;
        fair_move(fair.status, to).map_err(Error::Conflict)?;
        let n = diesel::update(fairs::table.find(id).filter(fairs::status.eq(fair.status)))
            .set((fairs::status.eq(to), fairs::updated_at.eq(now)))
            .execute(conn)?;
        if n != 1 {
            return Err(Error::conflict("the fair changed meanwhile; please reload"));
        }
        record(conn, now, actor, "fair.moved", "fair", id, serde_json::json!({ "from": fair.status, "to": to }))?;
        Ok(fair)
    })
}

/// An employer taking part (or asking to).
#[derive(Debug, Clone, Queryable)]
pub struct Participant {
    pub employer_id: EmployerId,
    pub name: String,
    pub status: ParticipationStatus,
}

/// The employers of a fair: those who joined (any status), and those with sessions in it
/// from before joining existed (taking part).
pub fn participants(conn: &mut DbConnection, fair_id: &FairId) -> QueryResult<Vec<Participant>> {
    let mut joined: Vec<Participant> = fair_employers::table
        .inner_join(employers::table)
        .filter(fair_employers::fair_id.eq(fair_id))
        .select((fair_employers::employer_id, employers::name, fair_employers::status))
        .load(conn)?;
    let hosting: Vec<(EmployerId, String)> = fair_sessions::table
        .inner_join(employers::table)
        .filter(fair_sessions::fair_id.eq(fair_id))
        .select((fair_sessions::employer_id, employers::name))
        .distinct()
        .load(conn)?;
    for (employer_id, name) in hosting {
        if !joined.iter().any(|p| p.employer_id == employer_id) {
            joined.push(Participant { employer_id, name, status: ParticipationStatus::Approved });
        }
    }
    joined.sort_by_key(|a| a.name.to_lowercase());
    Ok(joined)
}

/// The employer's part in the fair, if any.
pub fn participation(
    conn: &mut DbConnection,
    fair_id: &FairId,
    employer_id: &EmployerId,
) -> QueryResult<Option<ParticipationStatus>> {
    let joined: Option<ParticipationStatus> = fair_employers::table
        .filter(fair_employers::fair_id.eq(fair_id))
        .filter(fair_employers::employer_id.eq(employer_id))
        .select(fair_employers::status)
        .first(conn)
        .optional()?;
    if joined.is_some() {
        return Ok(joined);
    }
    let hosting: i64 = fair_sessions::table
        .filter(fair_sessions::fair_id.eq(fair_id))
        .filter(fair_sessions::employer_id.eq(employer_id))
        .count()
        .get_result(conn)?;
    Ok((hosting > 0).then_some(ParticipationStatus::Approved))
}

pub(crate) fn partnership_active(conn: &mut DbConnection, employer_id: &EmployerId) -> QueryResult<bool> {
    let n: i64 = partnerships::table
        .filter(partnerships::employer_id.eq(employer_id))
        .filter(partnerships::status.eq("active"))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

fn office_users(conn: &mut DbConnection) -> QueryResult<Vec<UserId>> {
    use crate::db::schema::user_roles;
    user_roles::table
        .inner_join(users::table.on(users::id.eq(user_roles::user_id)))
        .filter(user_roles::role.eq("counselor"))
        .filter(users::disabled.eq(false))
        .select(users::id)
        .distinct()
        .load(conn)
}

fn employer_users(conn: &mut DbConnection, employer_id: &EmployerId) -> QueryResult<Vec<UserId>> {
    recruiters::table
        .inner_join(users::table)
        .filter(recruiters::employer_id.eq(employer_id))
        .filter(users::disabled.eq(false))
        .select(users::id)
        .load(conn)
}

/// An employer joins a published fair: taking part at once, or waiting for approval
/// where the fair asks for it. Only an active partnership may join.
pub fn join(
    conn: &mut DbConnection,
    fair_id: &FairId,
    employer_id: &EmployerId,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<ParticipationStatus, Error> {
    db::transaction(conn, |conn| {
        let fair = find(conn, fair_id)?.ok_or(Error::NotFound)?;
        if fair.status != FairStatus::Published {
            return Err(Error::conflict("only a published fair can be joined"));
        }
        if !partnership_active(conn, employer_id)? {
            return Err(Error::conflict("only employers with an active partnership take part in fairs"));
        }
        if participation(conn, fair_id, employer_id)?.is_some() {
            return Err(Error::conflict("your employer has already joined this fair"));
        }
        let status = if fair.requires_approval { ParticipationStatus::Pending } else { ParticipationStatus::Approved };
        diesel::insert_into(fair_employers::table)
            .values((
                fair_employers::id.eq(uuid::Uuid::new_v4().to_string()),
                fair_employers::fair_id.eq(fair_id),
                fair_employers::employer_id.eq(employer_id),
                fair_employers::status.eq(status),
                fair_employers::created_at.eq(now),
                fair_employers::updated_at.eq(now),
            ))
            .execute(conn)?;
        record(
            conn,
            now,
            actor,
            "fair.joined",
            "fair",
            fair_id,
            serde_json::json!({ "employer": employer_id, "status": status }),
        )?;
        if status == ParticipationStatus::Pending {
            let name: String = employers::table.find(employer_id).select(employers::name).first(conn)?;
            let office = office_users(conn)?;
            let title = format!("{name} asks to take part in {}", fair.name);
            tell(
                conn,
                &office,
                "fair.join_requested",
                &title,
                "Approve or decline on the fair's page.",
                &format!("/fairs/{fair_id}"),
                now,
            )?;
        }
        Ok(status)
    })
}

/// A counselor approves or declines an employer waiting to take part; its recruiters are told.
pub fn decide(
    conn: &mut DbConnection,
    fair_id: &FairId,
    employer_id: &EmployerId,
    approve: bool,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<String, Error> {
    db::transaction(conn, |conn| {
        let fair = find(conn, fair_id)?.ok_or(Error::NotFound)?;
        let to = if approve { ParticipationStatus::Approved } else { ParticipationStatus::Declined };
        let n = diesel::update(
            fair_employers::table
                .filter(fair_employers::fair_id.eq(fair_id))
                .filter(fair_employers::employer_id.eq(employer_id))
                .filter(fair_employers::status.eq(ParticipationStatus::Pending)),
        )
        .set((fair_employers::status.eq(to), fair_employers::decided_at.eq(now), fair_employers::updated_at.eq(now)))
        .execute(conn)?;
        if n != 1 {
            return Err(Error::conflict("this employer is not waiting for approval"));
        }
        let name: String = employers::table.find(employer_id).select(employers::name).first(conn)?;
        record(
            conn,
            now,
            actor,
            "fair.participation_decided",
            "fair",
            fair_id,
            serde_json::json!({ "employer": employer_id, "status": to }),
        )?;
        let who = employer_users(conn, employer_id)?;
        let title = if approve {
            format!("{name} takes part in {}: you can add sessions", fair.name)
        } else {
            format!("{name} was not approved for {}", fair.name)
        };
        tell(conn, &who, "fair.participation_decided", &title, "", &format!("/fairs/{fair_id}"), now)?;
        Ok(name)
    })
}

/// A fair as a bulk writer adds it (the synthetic data set): published or closed as its
/// history left it; its days and sessions are added beside it.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = fairs, treat_none_as_default_value = false)]
pub struct NewFair {
    pub id: FairId,
    pub name: String,
    pub description: String,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub status: FairStatus,
    pub created_by: Option<UserId>,
    pub requires_approval: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// Adds fairs, many per statement.
pub fn insert_many(conn: &mut DbConnection, rows: &[NewFair]) -> QueryResult<usize> {
    crate::db::batch::insert_rows!(conn, fairs::table, rows, 10)
}

/// One day of a fair: the window its sessions fall in.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = fair_days, treat_none_as_default_value = false)]
pub struct NewFairDay {
    pub id: String,
    pub fair_id: FairId,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// Adds fair days, many per statement.
pub fn insert_days(conn: &mut DbConnection, rows: &[NewFairDay]) -> QueryResult<usize> {
    crate::db::batch::insert_rows!(conn, fair_days::table, rows, 6)
}
