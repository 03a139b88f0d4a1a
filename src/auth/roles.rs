//! Roles. Claim-derived roles follow the identity provider at every sign-in; granted
//! roles (portal or `waypoint grant`) stay until revoked.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::audit::{self, Actor};
use crate::db::schema::{user_roles, users};
use crate::db::{self, DbConnection};
use crate::students::rules::normalize_email;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Student,
    Faculty,
    Counselor,
    Admin,
    Recruiter,
}

impl Role {
    pub const ALL: [Role; 5] = [Role::Student, Role::Faculty, Role::Counselor, Role::Admin, Role::Recruiter];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Student => "student",
            Role::Faculty => "faculty",
            Role::Counselor => "counselor",
            Role::Admin => "admin",
            Role::Recruiter => "recruiter",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s.trim().to_ascii_lowercase())
            .ok_or_else(|| format!("`{s}` is not a role (student, faculty, counselor, admin, recruiter)"))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum GrantError {
    #[error("{0}")]
    Invalid(String),
    #[error("database: {0}")]
    Database(#[from] diesel::result::Error),
}

impl db::IsBusy for GrantError {
    fn is_busy(&self) -> bool {
        matches!(self, GrantError::Database(e) if db::IsBusy::is_busy(e))
    }
}

#[derive(Debug, PartialEq, Eq)]
pub enum GrantOutcome {
    Granted { user_created: bool },
    AlreadyHeld,
    Revoked,
    NotHeld,
}

/// Grants `role` to the user with `email`, making the user if they have not signed in
/// yet (their first campus sign-in with that email adopts the record).
/// Recruiters are made by invitation only, never by a grant.
pub fn grant(
    conn: &mut DbConnection,
    role: Role,
    email: &str,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<GrantOutcome, GrantError> {
    if role == Role::Recruiter {
        return Err(GrantError::Invalid(
            "recruiters join by invitation from an employer's page, not by a grant".into(),
        ));
    }
    let email = normalize_email(email).map_err(GrantError::Invalid)?;
    db::transaction(conn, |conn| {
        let existing: Option<String> =
            users::table.filter(users::email.eq(&email)).select(users::id).first(conn).optional()?;
        let (user_id, user_created) = match existing {
            Some(id) => (id, false),
            None => {
                let id = uuid::Uuid::new_v4().to_string();
                let display_name = email.split('@').next().unwrap_or(&email).to_owned();
                diesel::insert_into(users::table)
                    .values((
                        users::id.eq(&id),
                        users::email.eq(&email),
                        users::display_name.eq(display_name),
                        users::created_at.eq(now),
                        users::updated_at.eq(now),
                    ))
                    .execute(conn)?;
                (id, true)
            }
        };
        let held: i64 = user_roles::table
            .filter(user_roles::user_id.eq(&user_id))
            .filter(user_roles::role.eq(role.as_str()))
            .filter(user_roles::source.eq("grant"))
            .count()
            .get_result(conn)?;
        if held > 0 {
            return Ok(GrantOutcome::AlreadyHeld);
        }
        let granted_by = match actor {
            Actor::User { id, .. } => Some(id.clone()),
            _ => None,
        };
        diesel::insert_into(user_roles::table)
            .values((
                user_roles::id.eq(uuid::Uuid::new_v4().to_string()),
                user_roles::user_id.eq(&user_id),
                user_roles::role.eq(role.as_str()),
                user_roles::source.eq("grant"),
                user_roles::granted_by.eq(granted_by),
                user_roles::created_at.eq(now),
                user_roles::updated_at.eq(now),
            ))
            .execute(conn)?;
        audit::record(
            conn,
            audit::Event {
                actor,
                action: "role.granted",
                subject_type: "user",
                subject_id: Some(&user_id),
                at: now,
                ip: None,
                details: serde_json::json!({ "role": role.as_str(), "email": email }),
            },
        )?;
        Ok(GrantOutcome::Granted { user_created })
    })
}

/// Takes back a granted role. Claim-derived roles are not touched: they follow the provider.
pub fn revoke(
    conn: &mut DbConnection,
    role: Role,
    email: &str,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<GrantOutcome, GrantError> {
    let email = normalize_email(email).map_err(GrantError::Invalid)?;
    db::transaction(conn, |conn| {
        let Some(user_id) =
            users::table.filter(users::email.eq(&email)).select(users::id).first::<String>(conn).optional()?
        else {
            return Err(GrantError::Invalid(format!("no user has the email {email}")));
        };
        let removed = diesel::delete(
            user_roles::table
                .filter(user_roles::user_id.eq(&user_id))
                .filter(user_roles::role.eq(role.as_str()))
                .filter(user_roles::source.eq("grant")),
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
                details: serde_json::json!({ "role": role.as_str(), "email": email }),
            },
        )?;
        Ok(GrantOutcome::Revoked)
    })
}

/// Every role a user holds, from any source, sorted and without repeats.
pub fn roles_of(conn: &mut DbConnection, user_id: &str) -> QueryResult<Vec<Role>> {
    let names: Vec<String> =
        user_roles::table.filter(user_roles::user_id.eq(user_id)).select(user_roles::role).load(conn)?;
    let mut roles: Vec<Role> = names.iter().filter_map(|n| n.parse().ok()).collect();
    roles.sort();
    roles.dedup();
    Ok(roles)
}
