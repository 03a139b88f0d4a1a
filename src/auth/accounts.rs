//! Recruiters' accounts after they joined: a recruiter changes their password; the
//! office issues a password reset link (single use, expiring, only its digest stored,
//! like an invitation), disables and enables an account, and sends an invitation again
//! with a new link (the old one stops working). Each change is audited.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use super::recruiters::{check_password, hash_password, verify_password, INVITATION_TTL};
use super::{sessions, tokens};
use crate::audit;
use crate::core::{Actor, EmployerId, Error, InvitationId, Problems, Secret, UserId};
use crate::db::schema::{employers, invitations, outbox, password_resets, recruiters, users};
use crate::db::{self, DbConnection};

/// How long a password reset link works.
pub const RESET_TTL: Duration = Duration::hours(24);

/// A recruiter's account as the office's pages name it.
#[derive(Debug, Clone, Queryable, serde::Serialize)]
pub struct RecruiterAccount {
    pub user_id: UserId,
    pub name: String,
    pub email: String,
    pub disabled: bool,
    pub employer_id: EmployerId,
    pub employer_name: String,
}

/// The recruiter whose user id is `user_id` (any other user: not found).
pub fn recruiter(conn: &mut DbConnection, user_id: &UserId) -> Result<RecruiterAccount, Error> {
    users::table
        .inner_join(recruiters::table.inner_join(employers::table))
        .filter(users::id.eq(user_id))
        .select((users::id, users::display_name, users::email, users::disabled, employers::id, employers::name))
        .first(conn)
        .optional()?
        .ok_or(Error::NotFound)
}

fn record(
    conn: &mut DbConnection,
    actor: &Actor,
    action: &str,
    subject: &UserId,
    details: serde_json::Value,
    now: NaiveDateTime,
) -> QueryResult<()> {
    audit::record(
        conn,
        audit::Event { actor, action, subject_type: "user", subject_id: Some(subject), at: now, ip: None, details },
    )
}

/// A recruiter changes their own password: the current one must be right, the new one
/// follows the password rules. Every problem is reported at once.
pub fn change_password(
    conn: &mut DbConnection,
    user_id: &UserId,
    current: &str,
    password: &str,
    confirm: &str,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<(), Error> {
    let (email, hash): (String, Option<String>) = users::table
        .inner_join(recruiters::table)
        .filter(users::id.eq(user_id))
        .select((users::email, users::password_hash))
        .first(conn)
        .optional()?
        .ok_or(Error::NotFound)?;
    let mut problems = Problems::new();
    if current.is_empty() {
        problems.add("current_password", "is required");
    } else if !hash.as_deref().is_some_and(|h| verify_password(current, h)) {
        problems.add("current_password", "is not your current password");
    }
    for p in check_password(password, confirm, &email).iter() {
        problems.add(&p.field, p.problem.clone());
    }
    if problems.is_empty() && current == password {
        problems.add("password", "must differ from your current password");
    }
    problems.check()?;
    let hash = hash_password(password).map_err(|e| Error::invalid("password", e))?;
    db::transaction(conn, |conn| {
        diesel::update(users::table.find(user_id))
            .set((users::password_hash.eq(&hash), users::updated_at.eq(now)))
            .execute(conn)?;
        record(conn, actor, "recruiter.password_changed", user_id, serde_json::json!({}), now)?;
        Ok(())
    })
}

/// A reset link just made: its secret (shown once, never stored) and for whom.
#[derive(Debug)]
pub struct IssuedReset {
    pub token: Secret,
    pub account: RecruiterAccount,
    pub expires_at: NaiveDateTime,
}

/// The office issues a password reset link for a recruiter. An earlier link that was not
/// used stops working: only the newest one is good.
pub fn issue_reset(
    conn: &mut DbConnection,
    user_id: &UserId,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<IssuedReset, Error> {
    db::transaction(conn, |conn| {
        let account = recruiter(conn, user_id)?;
        if account.disabled {
            return Err(Error::Conflict(format!(
                "{}'s account is disabled: enable it before issuing a reset link",
                account.name
            )));
        }
        let replaced = diesel::update(
            password_resets::table
                .filter(password_resets::user_id.eq(user_id))
                .filter(password_resets::used_at.is_null()),
        )
        .set((password_resets::used_at.eq(now), password_resets::updated_at.eq(now)))
        .execute(conn)?;
        let token = tokens::random_token();
        let expires_at = now + RESET_TTL;
        diesel::insert_into(password_resets::table)
            .values((
                password_resets::id.eq(uuid::Uuid::new_v4().to_string()),
                password_resets::user_id.eq(user_id),
                password_resets::token_hash.eq(tokens::digest(&token)),
                password_resets::issued_by.eq(actor.user_id()),
                password_resets::expires_at.eq(expires_at),
                password_resets::created_at.eq(now),
                password_resets::updated_at.eq(now),
            ))
            .execute(conn)?;
        record(conn, actor, "recruiter.reset_issued", user_id, serde_json::json!({ "replaced": replaced }), now)?;
        Ok(IssuedReset { token: Secret::new(token.clone()), account: account.clone(), expires_at })
    })
}

/// Whom an open reset link is for.
#[derive(Debug, Clone, serde::Serialize)]
pub struct OpenReset {
    pub name: String,
    pub email: String,
}

/// The reset link `token`, if it is open (unknown, used, expired, or for a disabled
/// account: one answer, not found).
pub fn open_reset(conn: &mut DbConnection, token: &str, now: NaiveDateTime) -> Result<OpenReset, Error> {
    let found: Option<(String, String)> = password_resets::table
        .inner_join(users::table)
        .filter(password_resets::token_hash.eq(tokens::digest(token)))
        .filter(password_resets::used_at.is_null())
        .filter(password_resets::expires_at.gt(now))
        .filter(users::disabled.eq(false))
        .select((users::display_name, users::email))
        .first(conn)
        .optional()?;
    found.map(|(name, email)| OpenReset { name, email }).ok_or(Error::NotFound)
}

/// The recruiter chooses a new password through the link: the link is used up, and every
/// session of the account ends (whoever knew the old password is signed out).
pub fn complete_reset(
    conn: &mut DbConnection,
    token: &str,
    password: &str,
    confirm: &str,
    ip: &str,
    now: NaiveDateTime,
) -> Result<UserId, Error> {
    let open = open_reset(conn, token, now)?;
    check_password(password, confirm, &open.email).check()?;
    let hash = hash_password(password).map_err(|e| Error::invalid("password", e))?;
    db::transaction(conn, |conn| {
        let user_id: Option<UserId> = password_resets::table
            .filter(password_resets::token_hash.eq(tokens::digest(token)))
            .select(password_resets::user_id)
            .first(conn)
            .optional()?;
        let user_id = user_id.ok_or(Error::NotFound)?;
        // Single use: only one request can turn `used_at` from empty to set.
        let used = diesel::update(
            password_resets::table
                .filter(password_resets::token_hash.eq(tokens::digest(token)))
                .filter(password_resets::used_at.is_null())
                .filter(password_resets::expires_at.gt(now)),
        )
        .set((password_resets::used_at.eq(now), password_resets::updated_at.eq(now)))
        .execute(conn)?;
        if used != 1 {
            return Err(Error::NotFound);
        }
        diesel::update(users::table.find(&user_id))
            .set((users::password_hash.eq(&hash), users::updated_at.eq(now)))
            .execute(conn)?;
        sessions::destroy_all_of(conn, &user_id)?;
        let actor = Actor::User { id: user_id.clone(), label: open.email.clone(), ip: Some(ip.to_owned()) };
        record(conn, &actor, "recruiter.password_reset", &user_id, serde_json::json!({}), now)?;
        Ok(user_id.clone())
    })
}

/// Disables (`disabled`) or enables a recruiter's account. A disabled recruiter cannot
/// sign in and every session of theirs ends; their records (postings, reviews) stay.
pub fn set_disabled(
    conn: &mut DbConnection,
    user_id: &UserId,
    disabled: bool,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<RecruiterAccount, Error> {
    db::transaction(conn, |conn| {
        let account = recruiter(conn, user_id)?;
        if account.disabled == disabled {
            let state = if disabled { "disabled" } else { "enabled" };
            return Err(Error::Conflict(format!("{}'s account is already {state}", account.name)));
        }
        diesel::update(users::table.find(user_id))
            .set((users::disabled.eq(disabled), users::updated_at.eq(now)))
            .execute(conn)?;
        let ended = if disabled { sessions::destroy_all_of(conn, user_id)? } else { 0 };
        let action = if disabled { "recruiter.disabled" } else { "recruiter.enabled" };
        record(conn, actor, action, user_id, serde_json::json!({ "sessions_ended": ended }), now)?;
        Ok(RecruiterAccount { disabled, ..account.clone() })
    })
}

/// An invitation as the employer page lists it.
#[derive(Debug, Clone, Queryable, serde::Serialize)]
pub struct PendingInvitation {
    pub id: InvitationId,
    pub name: String,
    pub email: String,
    pub expires_at: NaiveDateTime,
}

/// The employer's invitations not accepted yet (open or expired), newest first.
pub fn pending_invitations(conn: &mut DbConnection, employer_id: &EmployerId) -> QueryResult<Vec<PendingInvitation>> {
    invitations::table
        .filter(invitations::employer_id.eq(employer_id))
        .filter(invitations::used_at.is_null())
        .select((invitations::id, invitations::name, invitations::email, invitations::expires_at))
        .order((invitations::created_at.desc(), invitations::id))
        .limit(50)
        .load(conn)
}

/// An invitation sent again: its new link (shown once) and to whom it was mailed.
#[derive(Debug)]
pub struct Resent {
    pub token: Secret,
    pub email: String,
    pub name: String,
    pub employer_id: EmployerId,
    pub employer_name: String,
    pub expires_at: NaiveDateTime,
}

/// Sends an invitation again with a new link: the old link stops working (its digest is
/// replaced), the new one works for another 7 days, and the mail with it goes to the
/// outbox in the same transaction. `link` makes the full address of the new link's path.
pub fn resend_invitation(
    conn: &mut DbConnection,
    id: &InvitationId,
    link: &dyn Fn(&str) -> String,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<Resent, Error> {
    db::transaction(conn, |conn| {
        let found: Option<(String, String, Option<NaiveDateTime>, EmployerId, String)> = invitations::table
            .inner_join(employers::table)
            .filter(invitations::id.eq(id))
            .select((invitations::email, invitations::name, invitations::used_at, employers::id, employers::name))
            .first(conn)
            .optional()?;
        let (email, name, used_at, employer_id, employer_name) = found.ok_or(Error::NotFound)?;
        if used_at.is_some() {
            return Err(Error::Conflict(format!("{name} already accepted the invitation and has an account")));
        }
        let token = tokens::random_token();
        let expires_at = now + INVITATION_TTL;
        diesel::update(invitations::table.find(id))
            .set((
                invitations::token_hash.eq(tokens::digest(&token)),
                invitations::expires_at.eq(expires_at),
                invitations::updated_at.eq(now),
            ))
            .execute(conn)?;
        let url = link(&format!("/invitations/{token}"));
        let body = format!(
            "Hello {name},\n\nThe career office invites you to manage {employer_name}'s micro-internships on Waypoint. \
             Choose your password at this link (it works once, for 7 days; an earlier link no longer works):\n\n{url}\n\n— Waypoint, the career office"
        );
        diesel::insert_into(outbox::table)
            .values((
                outbox::id.eq(uuid::Uuid::new_v4().to_string()),
                outbox::to_email.eq(&email),
                outbox::subject.eq(format!("Your invitation to Waypoint for {employer_name}")),
                outbox::body.eq(body),
                outbox::next_attempt_at.eq(now),
                outbox::created_at.eq(now),
                outbox::updated_at.eq(now),
            ))
            .execute(conn)?;
        audit::record(
            conn,
            audit::Event {
                actor,
                action: "recruiter.invitation_resent",
                subject_type: "invitation",
                subject_id: Some(id),
                at: now,
                ip: None,
                details: serde_json::json!({ "employer_id": employer_id, "email": email }),
            },
        )?;
        Ok(Resent {
            token: Secret::new(token.clone()),
            email: email.clone(),
            name: name.clone(),
            employer_id: employer_id.clone(),
            employer_name: employer_name.clone(),
            expires_at,
        })
    })
}
