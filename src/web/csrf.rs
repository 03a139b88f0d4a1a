//! Cross-site request forgery: every state-changing request from the portal must come
//! from our own origin (Origin, else Referer) and carry the form token of its session
//! (or, before signing in, of the browser's anonymous CSRF cookie).

use std::future::Future;
use std::pin::Pin;

use actix_web::body::MessageBody;
use actix_web::cookie::Cookie;
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::{header, Method};
use actix_web::middleware::Next;
use actix_web::{web, FromRequest, HttpRequest, ResponseError};
use serde::de::DeserializeOwned;
use serde::Deserialize;

use super::error::AppError;
use super::extract::viewer_of;
use crate::auth::sessions::CookieKind;
use crate::auth::tokens;
use crate::auth::AuthContext;

/// Paths whose POSTs are not portal forms: OAuth endpoints of the demo provider
/// (authenticated by client secret and PKCE) and the bearer-token API.
fn exempt(path: &str) -> bool {
    path == "/dev-idp/token" || path.starts_with("/api/")
}

fn same_origin(req: &ServiceRequest, origin: &str) -> bool {
    let h = |name| req.headers().get(name).and_then(|v: &header::HeaderValue| v.to_str().ok());
    match (h(header::ORIGIN), h(header::REFERER)) {
        (Some(o), _) => o == origin,
        (None, Some(r)) => r == origin || r.starts_with(&format!("{origin}/")),
        (None, None) => false,
    }
}

/// Refuses unsafe requests that do not come from our own pages.
pub async fn check_origin(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody + 'static>, actix_web::Error> {
    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if unsafe_method && !exempt(req.path()) {
        let origin = req.app_data::<web::Data<AuthContext>>().map(|a| a.public_origin.clone()).unwrap_or_default();
        if !same_origin(&req, &origin) {
            tracing::warn!(path = req.path(), "refused a cross-origin form submission");
            let res = AppError::CsrfRefused.error_response();
            return Ok(req.into_response(res).map_into_right_body());
        }
    }
    Ok(next.call(req).await?.map_into_left_body())
}

/// The form token for a browser that is not signed in: an HMAC of its anonymous CSRF
/// cookie (made here if missing; the caller sets it on the response).
pub fn anonymous_token(req: &HttpRequest, auth: &AuthContext) -> (String, Option<Cookie<'static>>) {
    let name = auth.cookies.name(&CookieKind::AnonymousCsrf);
    match req.cookie(name).map(|c| c.value().to_owned()).filter(|v| v.len() >= 32) {
        Some(secret) => (tokens::sign(&auth.csrf_key, &secret), None),
        None => {
            let secret = tokens::random_token();
            let token = tokens::sign(&auth.csrf_key, &secret);
            (token, Some(auth.cookies.make(CookieKind::AnonymousCsrf, secret)))
        }
    }
}

#[derive(Deserialize)]
struct Envelope<T> {
    csrf_token: String,
    #[serde(flatten)]
    fields: T,
}

/// A urlencoded form whose `csrf_token` was checked against the session (or the
/// anonymous cookie). The other fields are `T`'s (strings: parse them in the rules).
pub struct CheckedForm<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for CheckedForm<T> {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let form = web::Form::<Envelope<T>>::from_request(&req, payload);
        Box::pin(async move {
            let form =
                form.await.map_err(|e| AppError::BadRequest(format!("the form could not be read: {e}")))?.into_inner();
            let auth = req.app_data::<web::Data<AuthContext>>().ok_or_else(|| AppError::internal("no auth context"))?;
            let expected = match viewer_of(&req).await? {
                Some(v) => Some(v.csrf),
                None => req
                    .cookie(auth.cookies.name(&CookieKind::AnonymousCsrf))
                    .map(|c| tokens::sign(&auth.csrf_key, c.value())),
            };
            match expected {
                Some(e) if tokens::same(&e, &form.csrf_token) => Ok(CheckedForm(form.fields)),
                _ => Err(AppError::CsrfRefused),
            }
        })
    }
}
