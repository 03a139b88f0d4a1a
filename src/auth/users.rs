//! Users: made or updated at each campus sign-in, and loaded for each request.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use super::claims::{claim_values, roles_from_claims, RoleMapping};
use super::login::Refusal;
use super::logins::SignInMethod;
use super::oidc::Identity;
use super::roles::{roles_of, RoleSource};
use crate::audit;
use crate::core::{Actor, Email, EmployerId, Error, FacultyId, Role, StudentId, UserId};
use crate::db::schema::{employers, faculty, recruiters, students, user_roles, users};
use crate::db::{self, DbConnection};

/// The signed-in person, as every handler sees them.
#[derive(Debug, Clone, Serialize)]
pub struct Principal {
    pub id: UserId,
    pub email: String,
    pub display_name: String,
    pub roles: Vec<Role>,
    pub student_id: Option<StudentId>,
    pub faculty_id: Option<FacultyId>,
    /// For recruiters: their employer (they reach only its records).
    pub employer_id: Option<EmployerId>,
    pub employer_name: Option<String>,
    /// The client address of the current request (set by the `Viewer` extractor), so
    /// that every audit event this person causes records where it came from.
    pub client_ip: Option<String>,
}

impl Principal {
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// Counselors' powers belong to admins too.
    pub fn is_staff(&self) -> bool {
        self.has(Role::Counselor) || self.has(Role::Admin)
    }

    /// This person as the actor of an audit event, acting from `ip` (the client address
    /// of their request, where there is one).
    pub fn actor(&self) -> Actor {
        Actor::User { id: self.id.clone(), label: self.email.clone(), ip: self.client_ip.clone() }
    }
}

pub fn load_principal(conn: &mut DbConnection, user_id: &UserId) -> QueryResult<Option<Principal>> {
    let Some((id, email, display_name, disabled)) = users::table
        .find(user_id)
        .select((users::id, users::email, users::display_name, users::disabled))
        .first::<(UserId, String, String, bool)>(conn)
        .optional()?
    else {
        return Ok(None);
    };
    if disabled {
        return Ok(None);
    }
    let mut roles = roles_of(conn, &id)?;
    let student_id = students::table.filter(students::user_id.eq(&id)).select(students::id).first(conn).optional()?;
    let faculty_id = faculty::table.filter(faculty::user_id.eq(&id)).select(faculty::id).first(conn).optional()?;
    let employer: Option<(EmployerId, String)> = recruiters::table
        .inner_join(employers::table)
        .filter(recruiters::user_id.eq(&id))
        .select((employers::id, employers::name))
        .first(conn)
        .optional()?;
    // A recruiter is one because of the recruiters record, whatever else was granted.
    if employer.is_some() && !roles.contains(&Role::Recruiter) {
        roles.push(Role::Recruiter);
    } else if employer.is_none() {
        roles.retain(|r| *r != Role::Recruiter);
    }
    roles.sort();
    let (employer_id, employer_name) = employer.map_or((None, None), |(i, n)| (Some(i), Some(n)));
    Ok(Some(Principal {
        id,
        email,
        display_name,
        roles,
        student_id,
        faculty_id,
        employer_id,
        employer_name,
        client_ip: None,
    }))
}

/// Creates or updates the user an identity belongs to, replaces their claim-derived
/// roles with the provider's current word, and links their roster record.
/// Returns the user's id, or why this sign-in is refused (nothing is written then); an
/// `Err` is a failure of the database.
pub fn provision(
    conn: &mut DbConnection,
    identity: &Identity,
    mapping: &RoleMapping,
    ip: &str,
    now: NaiveDateTime,
) -> Result<Result<UserId, Refusal>, Error> {
    let Some(email) = identity.email.as_deref().and_then(|e| Email::parse(e).ok()) else {
        return Ok(Err(Refusal::NoEmail));
    };
    let claim_roles = roles_from_claims(&identity.claims, mapping);
    db::transaction(conn, |conn| {
        let by_subject: Option<(UserId, bool)> = users::table
            .filter(users::issuer.eq(&identity.issuer))
            .filter(users::subject.eq(&identity.subject))
            .select((users::id, users::disabled))
            .first(conn)
            .optional()?;
        let (user_id, disabled) = match by_subject {
            Some(found) => found,
            None => {
                // A record made before the first sign-in (a grant, the roster, the demo
                // data) is adopted by email, unless another campus identity holds it.
                let by_email: Option<(UserId, bool, Option<String>)> = users::table
                    .filter(users::email.eq(&email))
                    .select((users::id, users::disabled, users::subject))
                    .first(conn)
                    .optional()?;
                match by_email {
                    Some((_, _, Some(_))) => {
                        return Ok(Err(Refusal::IdToken("the email belongs to another campus identity".into())))
                    }
                    Some((id, disabled, None)) => (id, disabled),
                    None => {
                        let id = UserId::generate();
                        let name = identity.name.clone().unwrap_or_else(|| email.to_string());
                        insert_many(conn, &[NewUser::new(id.clone(), email.to_string(), name, now)])?;
                        (id, false)
                    }
                }
            }
        };
        if disabled {
            return Ok(Err(Refusal::Disabled));
        }
        let mut changes = diesel::update(users::table.find(&user_id))
            .set((
                users::issuer.eq(&identity.issuer),
                users::subject.eq(&identity.subject),
                users::email.eq(&email),
                users::last_login_at.eq(now),
                users::updated_at.eq(now),
            ))
            .execute(conn);
        if changes.is_ok() {
            if let Some(name) = identity.name.as_deref().filter(|n| !n.trim().is_empty()) {
                changes =
                    diesel::update(users::table.find(&user_id)).set(users::display_name.eq(name.trim())).execute(conn);
            }
        }
        changes?;

        diesel::delete(
            user_roles::table.filter(user_roles::user_id.eq(&user_id)).filter(user_roles::source.eq(RoleSource::Claim)),
        )
        .execute(conn)?;
        let claimed: Vec<super::roles::NewUserRole> = claim_roles
            .iter()
            .map(|&role| super::roles::NewUserRole {
                id: uuid::Uuid::new_v4().to_string(),
                user_id: user_id.clone(),
                role,
                source: RoleSource::Claim,
                granted_by: None,
                created_at: now,
                updated_at: now,
            })
            .collect();
        super::roles::insert_many(conn, &claimed)?;

        // Roles an admin granted to this email before anyone had signed in with it.
        super::roles::apply_pending(conn, &user_id, &email, now)?;
        link_roster_student(conn, &user_id, &email, &identity.claims, now)?;
        if claim_roles.contains(&Role::Faculty) {
            ensure_faculty(conn, &user_id, &identity.claims, now)?;
        }
        audit::record(
            conn,
            audit::Event {
                actor: &Actor::User { id: user_id.clone(), label: email.to_string(), ip: Some(ip.to_owned()) },
                action: "auth.signed_in",
                subject_type: "user",
                subject_id: Some(&user_id),
                at: now,
                ip: None,
                details: serde_json::json!({ "method": SignInMethod::Sso, "issuer": identity.issuer, "claim_roles": claim_roles }),
            },
        )?;
        Ok(Ok(user_id))
    })
}

/// Links the roster record with the same email or student number (claim `student_number`).
fn link_roster_student(
    conn: &mut DbConnection,
    user_id: &UserId,
    email: &str,
    claims: &serde_json::Map<String, serde_json::Value>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let already: i64 = students::table.filter(students::user_id.eq(user_id)).count().get_result(conn)?;
    if already > 0 {
        return Ok(());
    }
    let number = claim_values(claims, "student_number").into_iter().next();
    let candidate: Option<StudentId> = students::table
        .filter(students::user_id.is_null())
        .filter(students::email.eq(email).or(students::student_number.eq(number.unwrap_or_default())))
        .select(students::id)
        .first(conn)
        .optional()?;
    if let Some(student_id) = candidate {
        diesel::update(students::table.find(student_id))
            .set((students::user_id.eq(user_id), students::updated_at.eq(now)))
            .execute(conn)?;
    }
    Ok(())
}

fn ensure_faculty(
    conn: &mut DbConnection,
    user_id: &UserId,
    claims: &serde_json::Map<String, serde_json::Value>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let exists: i64 = faculty::table.filter(faculty::user_id.eq(user_id)).count().get_result(conn)?;
    if exists > 0 {
        return Ok(());
    }
    let first = |name: &str| claim_values(claims, name).join(" ");
    let department = [first("department"), first("ou")].into_iter().find(|d| !d.is_empty()).unwrap_or_default();
    let title = Some(first("title")).filter(|t| !t.is_empty()).unwrap_or_else(|| "Faculty".to_owned());
    insert_faculty(
        conn,
        &[NewFaculty {
            id: FacultyId::generate(),
            user_id: user_id.clone(),
            department,
            title,
            created_at: now,
            updated_at: now,
        }],
    )?;
    Ok(())
}

/// A student's roster facts, as their account page shows them.
#[derive(Debug, Clone, Queryable, Serialize)]
pub struct RosterFacts {
    pub student_number: String,
    pub college: String,
    pub major: String,
    pub class_year: i32,
    pub graduation_term: String,
}

pub fn roster_facts(conn: &mut DbConnection, student_id: &StudentId) -> QueryResult<RosterFacts> {
    students::table
        .find(student_id)
        .select((
            students::student_number,
            students::college,
            students::major,
            students::class_year,
            students::graduation_term,
        ))
        .first(conn)
}

/// A person's account as it is added in bulk (the synthetic data set): everything bound.
/// Campus people get no password (they sign in through SSO, which adopts the record by
/// email); a recruiter's `password_hash` is an argon2 PHC string.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = users, treat_none_as_default_value = false)]
pub struct NewUser {
    pub id: UserId,
    pub issuer: Option<String>,
    pub subject: Option<String>,
    pub email: String,
    pub display_name: String,
    pub disabled: bool,
    pub password_hash: Option<String>,
    pub calendar_token_hash: Option<String>,
    pub last_login_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl NewUser {
    /// An account with no campus identity and no password yet, enabled.
    pub fn new(id: UserId, email: String, display_name: String, now: NaiveDateTime) -> Self {
        NewUser {
            id,
            issuer: None,
            subject: None,
            email,
            display_name,
            disabled: false,
            password_hash: None,
            calendar_token_hash: None,
            last_login_at: None,
            created_at: now,
            updated_at: now,
        }
    }
}

/// Adds accounts, many per statement.
pub fn insert_many(conn: &mut DbConnection, rows: &[NewUser]) -> QueryResult<usize> {
    crate::db::batch::insert_rows!(conn, users::table, rows, 11)
}

/// A faculty member's record as it is added (at a faculty member's first sign-in, or in
/// bulk).
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = faculty, treat_none_as_default_value = false)]
pub struct NewFaculty {
    pub id: FacultyId,
    pub user_id: UserId,
    pub department: String,
    pub title: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// Adds faculty records, many per statement.
pub fn insert_faculty(conn: &mut DbConnection, rows: &[NewFaculty]) -> QueryResult<usize> {
    crate::db::batch::insert_rows!(conn, faculty::table, rows, 6)
}
