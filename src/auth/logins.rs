//! The stored side of signing in and out: the pending campus logins (kept server-side,
//! taken exactly once), the refusals the audit log records, and sign-out. The decisions
//! between these steps are `login.rs`'s, which does no I/O.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::login::PendingLogin;
use super::tokens;
use crate::audit;
use crate::core::{Actor, Secret, UserId};
use crate::db::schema::{oidc_logins, users};
use crate::db::DbConnection;

crate::core::text_enum! {
    /// How someone signed in (the audit log's `method`).
    pub enum SignInMethod: "sign-in method" {
        /// Through the campus identity provider (OpenID Connect).
        Sso => "sso", "Campus sign-in";
        /// A recruiter's email and password.
        Password => "password", "Password";
    }
}

/// Stores a login waiting for the provider's answer (only digests of its browser-held
/// secrets), and drops the ones nobody came back for.
pub fn store_pending(conn: &mut DbConnection, p: &PendingLogin, now: NaiveDateTime) -> QueryResult<()> {
    diesel::delete(oidc_logins::table.filter(oidc_logins::expires_at.lt(now))).execute(conn)?;
    diesel::insert_into(oidc_logins::table)
        .values((
            oidc_logins::id.eq(&p.state_digest),
            oidc_logins::nonce.eq(&p.nonce),
            oidc_logins::pkce_verifier.eq(p.pkce_verifier.expose()),
            oidc_logins::return_to.eq(&p.return_to),
            oidc_logins::browser_binding.eq(&p.browser_binding_digest),
            oidc_logins::expires_at.eq(p.expires_at),
            oidc_logins::created_at.eq(now),
            oidc_logins::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Takes the pending login named by `state` out of the store: whoever comes second
/// (a replayed callback) finds nothing.
pub fn take_pending(conn: &mut DbConnection, state: &str) -> QueryResult<Option<PendingLogin>> {
    let digest = tokens::digest(state);
    let row: Option<(String, String, String, String, NaiveDateTime)> = oidc_logins::table
        .find(&digest)
        .select((
            oidc_logins::nonce,
            oidc_logins::pkce_verifier,
            oidc_logins::return_to,
            oidc_logins::browser_binding,
            oidc_logins::expires_at,
        ))
        .first(conn)
        .optional()?;
    let taken = diesel::delete(oidc_logins::table.find(&digest)).execute(conn)?;
    Ok(row.filter(|_| taken == 1).map(|(nonce, pkce_verifier, return_to, browser_binding_digest, expires_at)| {
        PendingLogin {
            state_digest: digest.clone(),
            nonce,
            pkce_verifier: Secret::new(pkce_verifier),
            return_to,
            browser_binding_digest,
            expires_at,
        }
    }))
}

/// A campus sign-in that was refused, for the audit log: why (the detail the person is
/// not shown) and from where.
pub fn record_refusal(conn: &mut DbConnection, reason: &str, ip: &str, now: NaiveDateTime) -> QueryResult<()> {
    audit::record(
        conn,
        audit::Event {
            actor: &Actor::System,
            action: "auth.sign_in_failed",
            subject_type: "user",
            subject_id: None,
            at: now,
            ip: Some(ip),
            details: serde_json::json!({ "method": SignInMethod::Sso, "reason": reason }),
        },
    )
}

/// Ends the session whose cookie holds `session_secret`, audited. Returns whether the
/// person signed in through the campus provider (whose own session may then be ended too).
pub fn sign_out(
    conn: &mut DbConnection,
    session_secret: &Secret,
    user_id: &UserId,
    actor: &Actor,
    ip: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    super::sessions::destroy(conn, session_secret.expose())?;
    audit::record(
        conn,
        audit::Event {
            actor,
            action: "auth.signed_out",
            subject_type: "user",
            subject_id: Some(user_id),
            at: now,
            ip: Some(ip),
            details: serde_json::json!({}),
        },
    )?;
    let subject: Option<String> = users::table.find(user_id).select(users::subject).first(conn)?;
    Ok(subject.is_some())
}
