//! "Must be a token with scope X" is an argument of the handler: `ApiToken<ReportsRead>`.
//! The extractor reads `Authorization: Bearer`, refuses an unknown, expired or revoked
//! token (401 with a `WWW-Authenticate: Bearer` challenge), spends one call of the
//! token's rate (429 with `Retry-After`), checks the scope (403), and records the call:
//! the token's last use and an audit event, refusals of scope included.

use std::collections::HashMap;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Mutex;
use std::time::Instant;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpRequest};

use super::problem::ApiError;
use super::rules::{Bucket, Scope};
use super::tokens::{self, Caller, Refusal};
use crate::core::{Actor, Clock, Error};
use crate::db::{self, Pool};

/// The scope a handler needs, as a type: `ApiToken<RosterWrite>`.
pub trait Needs {
    const SCOPE: Scope;
}

macro_rules! scopes {
    ($($name:ident => $scope:ident),+ $(,)?) => {$(
        #[doc = concat!("Needs the `", stringify!($scope), "` scope.")]
        pub struct $name;
        impl Needs for $name {
            const SCOPE: Scope = Scope::$scope;
        }
    )+};
}

scopes! {
    RosterWrite => RosterWrite,
    CatalogueRead => CatalogueRead,
    OutcomesRead => OutcomesRead,
    OutcomesWrite => OutcomesWrite,
    ReportsRead => ReportsRead,
    FairsRead => FairsRead,
}

/// Each token's bucket of calls, in this instance's memory (every instance limits on its
/// own: behind N instances a token may make up to N times the rate).
pub struct RateLimiter {
    per_minute: u32,
    buckets: Mutex<HashMap<String, Bucket>>,
}

impl RateLimiter {
    pub fn new(per_minute: u32) -> RateLimiter {
        RateLimiter { per_minute, buckets: Mutex::new(HashMap::new()) }
    }

    /// Takes one call of `token`'s, or says after how many whole seconds to try again.
    pub fn take(&self, token: &str) -> Result<(), u64> {
        let now = Instant::now();
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        // Buckets that are full again tell nothing: dropped now and then to bound memory.
        if buckets.len() > 10_000 {
            let per_minute = self.per_minute;
            buckets.retain(|_, b| !b.is_full_at(per_minute, now));
        }
        let bucket = buckets.entry(token.to_owned()).or_insert_with(|| Bucket::full(self.per_minute, now));
        bucket.take(self.per_minute, now).map_err(|wait| wait.as_secs_f64().ceil().max(1.0) as u64)
    }
}

/// The caller of an API handler, whose token has the scope `S`.
pub struct ApiToken<S: Needs> {
    pub caller: Caller,
    /// Who the audit log says acted (the token, and the client's address).
    pub actor: Actor,
    _scope: PhantomData<S>,
}

/// The secret of an `Authorization: Bearer SECRET` header (None: no such header).
fn bearer(req: &HttpRequest) -> Option<String> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, secret) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| secret.trim().to_owned()).filter(|s| !s.is_empty())
}

impl<S: Needs + 'static> FromRequest for ApiToken<S> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let Some(secret) = bearer(&req) else {
                return Err(ApiError::Unauthorized {
                    detail:
                        "Send an API token as `Authorization: Bearer TOKEN` (an admin makes them at /admin/tokens)."
                            .into(),
                    invalid_token: false,
                });
            };
            let pool = req.app_data::<web::Data<Pool>>().ok_or_else(|| Error::internal("no pool"))?.clone();
            let clock = req.app_data::<web::Data<Clock>>().ok_or_else(|| Error::internal("no clock"))?.clone();
            let limiter =
                req.app_data::<web::Data<RateLimiter>>().ok_or_else(|| Error::internal("no API rate limiter"))?.clone();
            let now = clock.now_utc();
            let caller = db::run(&pool, move |c| tokens::authenticate(c, &secret, now)).await?;
            let caller = caller.map_err(|refusal| ApiError::Unauthorized {
                detail: match refusal {
                    Refusal::Unknown => "The token is not known.",
                    Refusal::Expired => "The token has expired; ask an admin for a new one.",
                    Refusal::Revoked => "The token was revoked; ask an admin for a new one.",
                }
                .into(),
                invalid_token: true,
            })?;
            limiter.take(&caller.id).map_err(|retry_after| ApiError::RateLimited { retry_after })?;
            let allowed = caller.scopes.contains(&S::SCOPE);
            let actor = caller.actor(crate::web::client::client_ip(&req));
            let call = format!("{} {}", req.method(), req.uri().path_and_query().map(|p| p.as_str()).unwrap_or("/"));
            let (c2, a2) = (caller.clone(), actor.clone());
            db::run(&pool, move |c| tokens::record_call(c, &c2, &a2, &call, allowed, now)).await?;
            if !allowed {
                return Err(ApiError::InsufficientScope(S::SCOPE));
            }
            Ok(ApiToken { caller, actor, _scope: PhantomData })
        })
    }
}
