//! Cross-site request forgery, checked in one place: [`protect`], a middleware in front
//! of every route. A state-changing request (any method but GET, HEAD, OPTIONS) must come
//! from our own origin (Origin, else Referer) and carry the form token of its session —
//! or, before signing in, the token made from the browser's anonymous CSRF cookie — as the
//! `csrf_token` field of a urlencoded form or of a multipart upload, or in an
//! `X-CSRF-Token` header. A signed-in request without it is refused whatever its path
//! (`/api/` too). Exempt are only requests that carry a bearer token and no cookie at all
//! (API clients: a browser adds cookies by itself, never a bearer token), and the demo
//! provider's token endpoint (server to server, with the client secret and PKCE).
//!
//! Handlers take their fields through [`CheckedForm`] (or [`CsrfChecked`] where they read
//! the body themselves), which accept only what the middleware verified: so an
//! anonymous form (recruiter sign-in, invitation) posted without its cookie and token is
//! refused too, while a request that carries no session at all, which can act as nobody,
//! goes on to be sent to the sign-in page.

use std::future::Future;
use std::pin::Pin;

use actix_web::body::MessageBody;
use actix_web::cookie::Cookie;
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::error::PayloadError;
use actix_web::http::{header, Method};
use actix_web::middleware::Next;
use actix_web::mime;
use actix_web::web::{Bytes, BytesMut};
use actix_web::{web, FromRequest, HttpMessage, HttpRequest, ResponseError};
use futures_util::{StreamExt, TryStreamExt};
use serde::de::DeserializeOwned;

use super::extract::viewer_of;
use super::sessions::CookieKind;
use super::tokens;
use super::AuthContext;
use crate::web::AppError;

/// The header that carries the token where there is no form (scripts, the JSON API
/// used from a signed-in browser).
pub const TOKEN_HEADER: &str = "x-csrf-token";

/// The most of a request body read to find the token: an upload (the employers import
/// takes files up to 5 MB), else a form.
const MAX_UPLOAD_BODY: usize = 6 * 1024 * 1024;
const MAX_FORM_BODY: usize = 1024 * 1024;

/// Set on a request whose token the middleware verified.
#[derive(Debug, Clone, Copy)]
struct Verified;

/// API clients: a bearer token and no cookie. A browser never adds the former by itself,
/// and a request with the latter is treated as a browser's.
fn exempt(req: &ServiceRequest) -> bool {
    let bearer = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.len() > 7 && v[..7].eq_ignore_ascii_case("bearer "));
    (bearer && !req.headers().contains_key(header::COOKIE)) || req.path() == "/dev-idp/token"
}

fn same_origin(req: &ServiceRequest, origin: &str) -> bool {
    let h = |name| req.headers().get(name).and_then(|v: &header::HeaderValue| v.to_str().ok());
    match (h(header::ORIGIN), h(header::REFERER)) {
        (Some(o), _) => o == origin,
        (None, Some(r)) => r == origin || r.starts_with(&format!("{origin}/")),
        (None, None) => false,
    }
}

/// The token this request must carry: its session's, else the one made from its
/// anonymous CSRF cookie; and whether a session is what it would act as.
async fn expected_token(req: &HttpRequest, auth: &AuthContext) -> Result<Option<(String, bool)>, AppError> {
    if let Some(v) = viewer_of(req).await? {
        return Ok(Some((v.csrf.expose().to_owned(), true)));
    }
    Ok(req
        .cookie(auth.cookies.name(&CookieKind::AnonymousCsrf))
        .filter(|c| c.value().len() >= 32)
        .map(|c| (tokens::sign(auth.csrf_key.expose().as_bytes(), c.value()), false)))
}

/// The token the request carries: the header, else the `csrf_token` field of a
/// urlencoded or multipart body. The body is read here and put back for the handler.
async fn submitted_token(req: &mut ServiceRequest) -> Result<Option<String>, AppError> {
    if let Some(t) = req.headers().get(TOKEN_HEADER).and_then(|v| v.to_str().ok()) {
        return Ok(Some(t.to_owned()));
    }
    let mime = req.mime_type().ok().flatten();
    let (multipart, limit) = match mime.as_ref().map(|m| (m.type_(), m.subtype())) {
        Some((mime::MULTIPART, mime::FORM_DATA)) => (true, MAX_UPLOAD_BODY),
        Some((mime::APPLICATION, mime::WWW_FORM_URLENCODED)) => (false, MAX_FORM_BODY),
        _ => return Ok(None),
    };
    let mut payload = req.take_payload();
    let mut body = BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| AppError::BadRequest(format!("the form could not be read: {e}")))?;
        if body.len() + chunk.len() > limit {
            return Err(AppError::BadRequest(format!("the form is larger than {} MB", limit / (1024 * 1024))));
        }
        body.extend_from_slice(&chunk);
    }
    let body = body.freeze();
    req.set_payload(Payload::from(body.clone()));
    Ok(if multipart {
        multipart_token(req.headers(), body).await
    } else {
        url::form_urlencoded::parse(&body).find(|(k, _)| k == "csrf_token").map(|(_, v)| v.into_owned())
    })
}

/// The `csrf_token` field of a multipart body (`None` if it has none or cannot be read).
async fn multipart_token(headers: &header::HeaderMap, body: Bytes) -> Option<String> {
    let stream = futures_util::stream::once(async move { Ok::<_, PayloadError>(body) });
    let mut parts = actix_multipart::Multipart::new(headers, stream);
    while let Ok(Some(mut field)) = parts.try_next().await {
        let is_token = field.name() == Some("csrf_token");
        let mut value = Vec::new();
        while let Ok(Some(chunk)) = field.try_next().await {
            if is_token && value.len() < 256 {
                value.extend_from_slice(&chunk);
            }
        }
        if is_token {
            return String::from_utf8(value).ok();
        }
    }
    None
}

/// The middleware: refuses state-changing requests that are not from our own pages.
pub async fn protect(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody + 'static>, actix_web::Error> {
    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !unsafe_method || exempt(&req) {
        return Ok(next.call(req).await?.map_into_left_body());
    }
    let refuse = |req: ServiceRequest, e: AppError| {
        let res = e.error_response();
        Ok(req.into_response(res).map_into_right_body())
    };
    let Some(auth) = req.app_data::<web::Data<AuthContext>>().cloned() else {
        return refuse(req, AppError::internal("no auth context"));
    };
    if !same_origin(&req, &auth.public_origin) {
        tracing::warn!(path = req.path(), "refused a cross-origin form submission");
        return refuse(req, AppError::CsrfRefused);
    }
    let expected = match expected_token(req.request(), &auth).await {
        Ok(e) => e,
        Err(e) => return refuse(req, e),
    };
    if let Some((expected, signed_in)) = expected {
        let submitted = match submitted_token(&mut req).await {
            Ok(s) => s,
            Err(e) => return refuse(req, e),
        };
        if submitted.is_some_and(|s| tokens::same(&expected, &s)) {
            req.extensions_mut().insert(Verified);
        } else if signed_in {
            tracing::warn!(path = req.path(), "refused a request without its session's form token");
            return refuse(req, AppError::CsrfRefused);
        }
    }
    Ok(next.call(req).await?.map_into_left_body())
}

/// The form token for a browser that is not signed in: an HMAC of its anonymous CSRF
/// cookie (made here if missing; the caller sets it on the response).
pub fn anonymous_token(req: &HttpRequest, auth: &AuthContext) -> (String, Option<Cookie<'static>>) {
    let name = auth.cookies.name(&CookieKind::AnonymousCsrf);
    match req.cookie(name).map(|c| c.value().to_owned()).filter(|v| v.len() >= 32) {
        Some(secret) => (tokens::sign(auth.csrf_key.expose().as_bytes(), &secret), None),
        None => {
            let secret = tokens::random_token();
            let token = tokens::sign(auth.csrf_key.expose().as_bytes(), &secret);
            (token, Some(auth.cookies.make(CookieKind::AnonymousCsrf, secret)))
        }
    }
}

/// Proof that the middleware verified this request's form token; refused (403) if not.
pub struct CsrfChecked;

impl FromRequest for CsrfChecked {
    type Error = AppError;
    type Future = std::future::Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(match req.extensions().get::<Verified>() {
            Some(_) => Ok(CsrfChecked),
            None => Err(AppError::CsrfRefused),
        })
    }
}

/// A urlencoded form whose `csrf_token` the middleware verified. The other fields are
/// `T`'s (strings: parse them in the rules).
pub struct CheckedForm<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for CheckedForm<T> {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let checked = req.extensions().get::<Verified>().is_some();
        let form = web::Form::<T>::from_request(req, payload);
        Box::pin(async move {
            if !checked {
                return Err(AppError::CsrfRefused);
            }
            let form = form.await.map_err(|e| AppError::BadRequest(format!("the form could not be read: {e}")))?;
            Ok(CheckedForm(form.into_inner()))
        })
    }
}
