//! API tokens as stored: made by an admin (portal or command line), each with its scopes
//! and an expiry; only the SHA-256 digest of the secret is kept (as for recruiters'
//! invitation links), so the secret is shown once and a copy of the database gives no
//! token away. Every change and every call is an audit event.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use super::rules::{scopes_of, scopes_text, NewToken, Scope};
use crate::audit;
use crate::auth::tokens;
use crate::core::{Actor, Error, Secret};
use crate::db::schema::api_tokens;
use crate::db::{self, DbConnection};

/// What a caller sees of a secret before the random part: says what it is in a leaked log.
pub const SECRET_PREFIX: &str = "wpt_";

/// A token just made: its secret, to be shown once.
#[derive(Debug, Clone)]
pub struct Created {
    pub id: String,
    pub name: String,
    pub secret: Secret,
    pub expires_at: NaiveDateTime,
}

/// Makes a token; the audit event names it and its scopes, never the secret.
pub fn create(conn: &mut DbConnection, new: &NewToken, actor: &Actor, now: NaiveDateTime) -> Result<Created, Error> {
    let id = uuid::Uuid::new_v4().to_string();
    let secret = format!("{SECRET_PREFIX}{}", tokens::random_token());
    let expires_at = now + Duration::days(new.days);
    let scopes = scopes_text(&new.scopes);
    db::transaction(conn, |conn| {
        diesel::insert_into(api_tokens::table)
            .values((
                api_tokens::id.eq(&id),
                api_tokens::name.eq(&new.name),
                api_tokens::token_hash.eq(tokens::digest(&secret)),
                api_tokens::scopes.eq(&scopes),
                api_tokens::created_by.eq(actor.user_id()),
                api_tokens::created_by_label.eq(actor.label()),
                api_tokens::expires_at.eq(expires_at),
                api_tokens::created_at.eq(now),
                api_tokens::updated_at.eq(now),
            ))
            .execute(conn)?;
        audit::record(
            conn,
            audit::Event {
                actor,
                action: "api_token.created",
                subject_type: "api_token",
                subject_id: Some(&id),
                ip: None,
                at: now,
                details: serde_json::json!({ "name": new.name, "scopes": scopes, "expires_at": expires_at }),
            },
        )?;
        Ok::<_, Error>(())
    })?;
    Ok(Created { id, name: new.name.clone(), secret: Secret::new(secret), expires_at })
}

/// A token as the admin's list shows it.
#[derive(Debug, Clone, Queryable)]
pub struct Listed {
    pub id: String,
    pub name: String,
    pub scopes: String,
    pub created_by_label: String,
    pub expires_at: NaiveDateTime,
    pub last_used_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

/// One page of the tokens, newest first, and how many there are.
pub fn list(conn: &mut DbConnection, offset: i64, size: i64) -> Result<(Vec<Listed>, i64), Error> {
    let total = api_tokens::table.count().get_result(conn)?;
    let rows = api_tokens::table
        .select((
            api_tokens::id,
            api_tokens::name,
            api_tokens::scopes,
            api_tokens::created_by_label,
            api_tokens::expires_at,
            api_tokens::last_used_at,
            api_tokens::revoked_at,
            api_tokens::created_at,
        ))
        .order((api_tokens::created_at.desc(), api_tokens::id))
        .offset(offset)
        .limit(size)
        .load(conn)?;
    Ok((rows, total))
}

/// One token (for the revocation question).
pub fn find(conn: &mut DbConnection, id: &str) -> Result<Listed, Error> {
    api_tokens::table
        .find(id)
        .select((
            api_tokens::id,
            api_tokens::name,
            api_tokens::scopes,
            api_tokens::created_by_label,
            api_tokens::expires_at,
            api_tokens::last_used_at,
            api_tokens::revoked_at,
            api_tokens::created_at,
        ))
        .first(conn)
        .optional()?
        .ok_or(Error::NotFound)
}

/// Revokes a token: it stops working at its next call. Revoking it again is refused.
pub fn revoke(conn: &mut DbConnection, id: &str, actor: &Actor, now: NaiveDateTime) -> Result<String, Error> {
    db::transaction(conn, |conn| {
        let token = find(conn, id)?;
        if token.revoked_at.is_some() {
            return Err(Error::conflict(format!("The token “{}” was already revoked.", token.name)));
        }
        diesel::update(api_tokens::table.find(id).filter(api_tokens::revoked_at.is_null()))
            .set((
                api_tokens::revoked_at.eq(now),
                api_tokens::revoked_by_label.eq(actor.label()),
                api_tokens::updated_at.eq(now),
            ))
            .execute(conn)?;
        audit::record(
            conn,
            audit::Event {
                actor,
                action: "api_token.revoked",
                subject_type: "api_token",
                subject_id: Some(id),
                ip: None,
                at: now,
                details: serde_json::json!({ "name": token.name }),
            },
        )?;
        Ok(token.name)
    })
}

/// A caller whose token is good: which token, and what it may do.
#[derive(Debug, Clone)]
pub struct Caller {
    pub id: String,
    pub name: String,
    pub scopes: Vec<Scope>,
}

impl Caller {
    /// The caller as the audit log names it.
    pub fn actor(&self, ip: Option<String>) -> Actor {
        Actor::Token { label: format!("API token “{}”", self.name), ip }
    }
}

/// Why a token is not taken (each answered 401, with what to do about it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Unknown,
    Expired,
    Revoked,
}

/// The token a secret belongs to, if it is good now.
pub fn authenticate(
    conn: &mut DbConnection,
    secret: &str,
    now: NaiveDateTime,
) -> Result<Result<Caller, Refusal>, Error> {
    let found: Option<(String, String, String, NaiveDateTime, Option<NaiveDateTime>)> = api_tokens::table
        .filter(api_tokens::token_hash.eq(tokens::digest(secret)))
        .select((api_tokens::id, api_tokens::name, api_tokens::scopes, api_tokens::expires_at, api_tokens::revoked_at))
        .first(conn)
        .optional()?;
    Ok(match found {
        None => Err(Refusal::Unknown),
        Some((.., Some(_))) => Err(Refusal::Revoked),
        Some((_, _, _, expires_at, None)) if expires_at <= now => Err(Refusal::Expired),
        Some((id, name, scopes, _, None)) => Ok(Caller { id, name, scopes: scopes_of(&scopes) }),
    })
}

/// One call of the API: the token's last use, and the audit event (which token, what was
/// asked, and whether its scope allowed it), in one transaction.
pub fn record_call(
    conn: &mut DbConnection,
    caller: &Caller,
    actor: &Actor,
    call: &str,
    allowed: bool,
    now: NaiveDateTime,
) -> Result<(), Error> {
    db::transaction(conn, |conn| {
        diesel::update(api_tokens::table.find(&caller.id)).set(api_tokens::last_used_at.eq(now)).execute(conn)?;
        audit::record(
            conn,
            audit::Event {
                actor,
                action: if allowed { "api.called" } else { "api.refused" },
                subject_type: "api_token",
                subject_id: Some(&caller.id),
                ip: None,
                at: now,
                details: serde_json::json!({ "call": call, "token": caller.name }),
            },
        )?;
        Ok(())
    })
}
