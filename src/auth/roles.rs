//! Roles. Claim-derived roles follow the identity provider at every sign-in; granted
//! roles (portal or `waypoint grant`) stay until revoked. A grant to an email no one has
//! signed in with waits (`pending_grants`) and applies at that first sign-in.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::audit;
use crate::core::{Actor, Email, Error, Role, UserId};
use crate::db::schema::{pending_grants, user_roles, users};
use crate::db::{self, DbConnection};

crate::core::text_enum! {
    /// Where a role held in `user_roles` comes from (`user_roles.source`).
    pub enum RoleSource: "role source" {
        /// The identity provider's claims: replaced at every campus sign-in.
        Claim => "claim", "Campus directory";
        /// An admin's grant (portal or `waypoint grant`), or a recruiter's invitation:
        /// stays until revoked.
        Grant => "grant", "Granted";
    }
}

/// The roles an admin may grant or revoke here (recruiters join by invitation).
pub const GRANTABLE: [Role; 4] = [Role::Student, Role::Faculty, Role::Counselor, Role::Admin];

#[derive(Debug, PartialEq, Eq)]
pub enum GrantOutcome {
    Granted,
    AlreadyHeld,
    /// No one has signed in with the email yet: the role applies at their first sign-in.
    Pending,
    AlreadyPending,
    Revoked,
    /// A pending grant taken back before anyone signed in with the email.
    RevokedPending,
    NotHeld,
}

impl GrantOutcome {
    /// What happened, in a sentence for the person who asked.
    pub fn describe(&self, role: Role, email: &str) -> String {
        match self {
            GrantOutcome::Granted => format!("Granted {role} to {email}."),
            GrantOutcome::AlreadyHeld => format!("{email} already holds the granted role {role}."),
            GrantOutcome::Pending => {
                format!("No one has signed in with {email} yet: the {role} role will apply at their first sign-in.")
            }
            GrantOutcome::AlreadyPending => {
                format!("No one has signed in with {email} yet; the {role} role already waits for their first sign-in.")
            }
            GrantOutcome::Revoked => format!("Revoked {role} from {email}."),
            GrantOutcome::RevokedPending => {
                format!("Revoked the pending {role} grant for {email}: it will not apply at their first sign-in.")
            }
            GrantOutcome::NotHeld => format!("{email} holds no granted role {role}."),
        }
    }
}

/// Grants `role` to the user with `email`. When no one has signed in with that email
/// (and no record holds it), the grant waits in `pending_grants` and applies at their
/// first campus sign-in ([`apply_pending`]); no user record is made for it.
/// Recruiters are made by invitation only, never by a grant.
pub fn grant(
    conn: &mut DbConnection,
    role: Role,
    email: &str,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<GrantOutcome, Error> {
    if role == Role::Recruiter {
        return Err(Error::invalid("role", "recruiters join by invitation from an employer's page, not by a grant"));
    }
    let email = Email::parse(email).map_err(|e| Error::invalid("email", e))?;
    db::transaction(conn, |conn| {
        let existing: Option<UserId> =
            users::table.filter(users::email.eq(&email)).select(users::id).first(conn).optional()?;
        let Some(user_id) = existing else {
            return grant_pending(conn, role, &email, actor, now);
        };
        let held: i64 = user_roles::table
            .filter(user_roles::user_id.eq(&user_id))
            .filter(user_roles::role.eq(role))
            .filter(user_roles::source.eq(RoleSource::Grant))
            .count()
            .get_result(conn)?;
        if held > 0 {
            return Ok(GrantOutcome::AlreadyHeld);
        }
        insert_many(
            conn,
            &[NewUserRole {
                id: uuid::Uuid::new_v4().to_string(),
                user_id: user_id.clone(),
                role,
                source: RoleSource::Grant,
                granted_by: actor.user_id().cloned(),
                created_at: now,
                updated_at: now,
            }],
        )?;
        audit::record(
            conn,
            audit::Event {
                actor,
                action: "role.granted",
                subject_type: "user",
                subject_id: Some(&user_id),
                at: now,
                ip: None,
                details: serde_json::json!({ "role": role, "email": email }),
            },
        )?;
        Ok(GrantOutcome::Granted)
    })
}

fn grant_pending(
    conn: &mut DbConnection,
    role: Role,
    email: &str,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<GrantOutcome, Error> {
    let waiting: i64 = pending_grants::table
        .filter(pending_grants::email.eq(email))
        .filter(pending_grants::role.eq(role))
        .count()
        .get_result(conn)?;
    if waiting > 0 {
        return Ok(GrantOutcome::AlreadyPending);
    }
    let id = uuid::Uuid::new_v4().to_string();
    diesel::insert_into(pending_grants::table)
        .values((
            pending_grants::id.eq(&id),
            pending_grants::email.eq(email),
            pending_grants::role.eq(role),
            pending_grants::granted_by.eq(actor.user_id()),
            pending_grants::created_at.eq(now),
            pending_grants::updated_at.eq(now),
        ))
        .execute(conn)?;
    audit::record(
        conn,
        audit::Event {
            actor,
            action: "role.granted",
            subject_type: "pending_grant",
            subject_id: Some(&id),
            at: now,
            ip: None,
            details: serde_json::json!({ "role": role, "email": email, "pending": true }),
        },
    )?;
    Ok(GrantOutcome::Pending)
}

/// Takes back a granted role, or a grant still waiting for a first sign-in. Claim-derived
/// roles are not touched: they follow the provider.
pub fn revoke(
    conn: &mut DbConnection,
    role: Role,
    email: &str,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<GrantOutcome, Error> {
    let email = Email::parse(email).map_err(|e| Error::invalid("email", e))?;
    db::transaction(conn, |conn| {
        let pending: Option<String> = pending_grants::table
            .filter(pending_grants::email.eq(&email))
            .filter(pending_grants::role.eq(role))
            .select(pending_grants::id)
            .first(conn)
            .optional()?;
        if let Some(id) = pending {
            diesel::delete(pending_grants::table.find(&id)).execute(conn)?;
            audit::record(
                conn,
                audit::Event {
                    actor,
                    action: "role.revoked",
                    subject_type: "pending_grant",
                    subject_id: Some(&id),
                    at: now,
                    ip: None,
                    details: serde_json::json!({ "role": role, "email": email, "pending": true }),
                },
            )?;
            return Ok(GrantOutcome::RevokedPending);
        }
        let Some(user_id) =
            users::table.filter(users::email.eq(&email)).select(users::id).first::<UserId>(conn).optional()?
        else {
            return Err(Error::invalid(
                "email",
                format!("no one has signed in with {email}, and no {role} grant waits for them"),
            ));
        };
        let removed = diesel::delete(
            user_roles::table
                .filter(user_roles::user_id.eq(&user_id))
                .filter(user_roles::role.eq(role))
                .filter(user_roles::source.eq(RoleSource::Grant)),
        )
        .execute(conn)?;
        if removed == 0 {
            return Ok(GrantOutcome::NotHeld);
        }
        audit::record(
            conn,
            audit::Event {
                actor,
                action: "role.revoked",
                subject_type: "user",
                subject_id: Some(&user_id),
                at: now,
                ip: None,
                details: serde_json::json!({ "role": role, "email": email }),
            },
        )?;
        Ok(GrantOutcome::Revoked)
    })
}

/// At a campus sign-in: the grants that waited for this email become the user's granted
/// roles (in the sign-in's transaction), each audited. Returns the roles applied.
pub fn apply_pending(
    conn: &mut DbConnection,
    user_id: &UserId,
    email: &str,
    now: NaiveDateTime,
) -> QueryResult<Vec<Role>> {
    let waiting: Vec<(String, Role, Option<UserId>, NaiveDateTime)> = pending_grants::table
        .filter(pending_grants::email.eq(email))
        .select((pending_grants::id, pending_grants::role, pending_grants::granted_by, pending_grants::created_at))
        .load(conn)?;
    let mut applied = Vec::new();
    for (id, role, granted_by, granted_at) in waiting {
        diesel::delete(pending_grants::table.find(&id)).execute(conn)?;
        let held: i64 = user_roles::table
            .filter(user_roles::user_id.eq(user_id))
            .filter(user_roles::role.eq(role))
            .filter(user_roles::source.eq(RoleSource::Grant))
            .count()
            .get_result(conn)?;
        if held == 0 {
            diesel::insert_into(user_roles::table)
                .values((
                    user_roles::id.eq(uuid::Uuid::new_v4().to_string()),
                    user_roles::user_id.eq(user_id),
                    user_roles::role.eq(role),
                    user_roles::source.eq(RoleSource::Grant),
                    user_roles::granted_by.eq(&granted_by),
                    user_roles::created_at.eq(now),
                    user_roles::updated_at.eq(now),
                ))
                .execute(conn)?;
        }
        audit::record(
            conn,
            audit::Event {
                actor: &Actor::System,
                action: "role.grant_applied",
                subject_type: "user",
                subject_id: Some(user_id),
                at: now,
                ip: None,
                details: serde_json::json!({
                    "role": role, "email": email, "granted_by": granted_by, "granted_at": granted_at,
                }),
            },
        )?;
        applied.push(role);
    }
    Ok(applied)
}

/// A grant waiting for a first sign-in with its email.
#[derive(Debug, Clone, Queryable)]
pub struct PendingGrant {
    pub email: String,
    pub role: Role,
    pub since: NaiveDateTime,
}

/// The grants waiting for a first sign-in, oldest first (at most `limit`), and how many there are.
pub fn pending(conn: &mut DbConnection, limit: i64) -> QueryResult<(Vec<PendingGrant>, i64)> {
    let total: i64 = pending_grants::table.count().get_result(conn)?;
    let rows = pending_grants::table
        .select((pending_grants::email, pending_grants::role, pending_grants::created_at))
        .order((pending_grants::created_at, pending_grants::email, pending_grants::role))
        .limit(limit)
        .load(conn)?;
    Ok((rows, total))
}

/// A role someone holds, as the roles page lists it.
#[derive(Debug, Clone, Queryable)]
pub struct Holding {
    pub name: String,
    pub email: String,
    pub role: Role,
    pub source: RoleSource,
}

impl Holding {
    /// Whether an admin may revoke it here: a grant, but not a recruiter's role (that
    /// goes with their employer's record).
    pub fn revocable(&self) -> bool {
        self.source == RoleSource::Grant && self.role != Role::Recruiter
    }
}

/// One page of who holds which role other than student (by role, then name), and how many
/// such holdings there are.
pub fn holdings(conn: &mut DbConnection, page: i64, size: i64) -> QueryResult<(Vec<Holding>, i64)> {
    let total: i64 = user_roles::table.filter(user_roles::role.ne(Role::Student)).count().get_result(conn)?;
    let rows = user_roles::table
        .inner_join(users::table.on(users::id.eq(user_roles::user_id)))
        .filter(user_roles::role.ne(Role::Student))
        .select((users::display_name, users::email, user_roles::role, user_roles::source))
        .order((user_roles::role, users::display_name, users::email))
        .limit(size)
        .offset((page - 1) * size)
        .load(conn)?;
    Ok((rows, total))
}

/// Every role a user holds, from any source, sorted and without repeats.
pub fn roles_of(conn: &mut DbConnection, user_id: &UserId) -> QueryResult<Vec<Role>> {
    let mut roles: Vec<Role> =
        user_roles::table.filter(user_roles::user_id.eq(user_id)).select(user_roles::role).load(conn)?;
    roles.sort();
    roles.dedup();
    Ok(roles)
}

/// A role held, as it is added (a grant here, or many at once by the synthetic data set).
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = user_roles, treat_none_as_default_value = false)]
pub struct NewUserRole {
    pub id: String,
    pub user_id: UserId,
    pub role: Role,
    pub source: RoleSource,
    pub granted_by: Option<UserId>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// Adds held roles, many per statement.
pub fn insert_many(conn: &mut DbConnection, rows: &[NewUserRole]) -> QueryResult<usize> {
    crate::db::batch::insert_rows!(conn, user_roles::table, rows, 7)
}
