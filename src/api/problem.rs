//! Every error under `/api` is an RFC 9457 problem detail (`application/problem+json`):
//! `type`, `title`, `status`, `detail`, and `errors` naming each invalid field (with the
//! index of the batch item it belongs to). [`ApiError`] is what the API's handlers and
//! extractors answer with; the domain's `core::Error` becomes a problem in one place
//! ([`Problem::of_domain`], its status from `web::error::status_of`). [`answer`] turns
//! whatever else fails under `/api` (an unknown path, a wrong method, a refused
//! cross-site request) into a problem too, so a client never has to read an HTML page.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::error::JsonPayloadError;
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::middleware::Next;
use actix_web::{HttpRequest, HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

use super::rules::Scope;
use crate::core::Error;
use crate::web::error::{public_message, status_of, PublicMessage};

pub const PROBLEM_JSON: &str = "application/problem+json";

/// A problem detail (RFC 9457).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Problem {
    /// What kind of problem: a link to its explanation in the API's reference.
    #[serde(rename = "type")]
    #[schema(example = "/api/docs#problem-invalid")]
    pub kind: String,
    /// The kind in a few words (the same for every problem of the kind).
    #[schema(example = "Some fields are not valid")]
    pub title: String,
    /// The HTTP status.
    #[schema(example = 422)]
    pub status: u16,
    /// This occurrence, in words.
    pub detail: String,
    /// Each invalid field and its problem (only for invalid input).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<InvalidField>,
}

/// One invalid field: its name, its problem, and for a batch the index of its item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct InvalidField {
    /// The field's name (as in the request: a body field or a query parameter).
    #[schema(example = "email")]
    pub field: String,
    /// What is wrong with it.
    #[schema(example = "is required")]
    pub problem: String,
    /// The item of a batch the field belongs to (from 0).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = 3)]
    pub index: Option<u64>,
}

/// The kinds of problem: (`type` fragment, title). Listed on `/api/docs`.
pub const KINDS: [(&str, &str, u16); 12] = [
    ("bad-request", "The request could not be read", 400),
    ("unauthorized", "A valid API token is required", 401),
    ("forbidden", "The token's scopes do not allow this", 403),
    ("not-found", "No such resource", 404),
    ("method-not-allowed", "That method is not available here", 405),
    ("not-acceptable", "No representation the client accepts", 406),
    ("conflict", "The request conflicts with the current state", 409),
    ("too-large", "The request body is too large", 413),
    ("unsupported-media-type", "The body must be JSON", 415),
    ("invalid", "Some fields are not valid", 422),
    ("too-many-requests", "Too many calls with this token", 429),
    ("server-error", "Something went wrong on our side", 500),
];

impl Problem {
    /// A problem of the kind that `status` names.
    pub fn new(status: StatusCode, detail: impl Into<String>) -> Problem {
        let code = status.as_u16();
        let (slug, title) = KINDS
            .iter()
            .find(|(_, _, s)| *s == code)
            .map(|(slug, title, _)| ((*slug).to_owned(), (*title).to_owned()))
            .unwrap_or_else(|| match code {
                503 => ("unavailable".into(), "The service is briefly unavailable".into()),
                c if c >= 500 => ("server-error".into(), "Something went wrong on our side".into()),
                _ => ("bad-request".into(), status.canonical_reason().unwrap_or("Error").to_owned()),
            });
        Problem {
            kind: format!("/api/docs#problem-{slug}"),
            title,
            status: code,
            detail: detail.into(),
            errors: vec![],
        }
    }

    pub fn with_errors(mut self, errors: Vec<InvalidField>) -> Problem {
        self.errors = errors;
        self
    }

    /// The domain's error as a problem: the one mapping (its status is the portal's).
    pub fn of_domain(e: &Error) -> Problem {
        let status = status_of(e);
        match e {
            Error::Invalid(problems) => {
                Problem::new(status, format!("{} field problem(s); see errors", problems.len())).with_errors(
                    problems
                        .iter()
                        .map(|p| InvalidField { field: p.field.clone(), problem: p.problem.clone(), index: None })
                        .collect(),
                )
            }
            Error::NotFound => Problem::new(status, "There is no such resource, or not one this token may see."),
            other => Problem::new(status, public_message(other)),
        }
    }

    pub fn status(&self) -> StatusCode {
        StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    pub fn response(&self) -> HttpResponse {
        let mut res = HttpResponse::build(self.status()).content_type(PROBLEM_JSON).json(self);
        res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        res
    }
}

/// What an API handler or extractor answers when it does not succeed.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error(transparent)]
    Domain(#[from] Error),
    /// No token, or one that is unknown, expired or revoked: 401 with a Bearer challenge.
    #[error("unauthorized: {detail}")]
    Unauthorized { detail: String, invalid_token: bool },
    /// A good token without the scope this call needs.
    #[error("insufficient scope: {0}")]
    InsufficientScope(Scope),
    /// The token's calls a minute are spent; try again after this many seconds.
    #[error("rate limited")]
    RateLimited { retry_after: u64 },
    /// Any other problem (a body that cannot be read, a batch's invalid items).
    #[error("{}", .0.detail)]
    Problem(Problem),
}

impl From<diesel::result::Error> for ApiError {
    fn from(e: diesel::result::Error) -> Self {
        ApiError::Domain(e.into())
    }
}

impl From<crate::db::Unavailable> for ApiError {
    fn from(e: crate::db::Unavailable) -> Self {
        ApiError::Domain(e.into())
    }
}

impl ApiError {
    pub fn problem(&self) -> Problem {
        match self {
            ApiError::Domain(e) => Problem::of_domain(e),
            ApiError::Unauthorized { detail, .. } => Problem::new(StatusCode::UNAUTHORIZED, detail.clone()),
            ApiError::InsufficientScope(scope) => Problem::new(
                StatusCode::FORBIDDEN,
                format!("This call needs a token with the scope `{scope}`; this token does not have it."),
            ),
            ApiError::RateLimited { retry_after } => Problem::new(
                StatusCode::TOO_MANY_REQUESTS,
                format!("This token made too many calls; try again in {retry_after} second(s)."),
            ),
            ApiError::Problem(p) => p.clone(),
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.problem().status()
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            ApiError::Domain(Error::Internal(cause) | Error::Busy(cause)) => {
                tracing::error!(error = %cause, "internal error")
            }
            ApiError::Domain(Error::Unavailable(cause)) => tracing::warn!(error = %cause, "unavailable"),
            _ => {}
        }
        let mut res = self.problem().response();
        let h = res.headers_mut();
        match self {
            // RFC 6750: the challenge says what is wrong, never which tokens exist.
            ApiError::Unauthorized { invalid_token, detail } => {
                let challenge = if *invalid_token {
                    format!("Bearer realm=\"waypoint\", error=\"invalid_token\", error_description=\"{detail}\"")
                } else {
                    "Bearer realm=\"waypoint\"".to_owned()
                };
                if let Ok(v) = HeaderValue::from_str(&challenge) {
                    h.insert(header::WWW_AUTHENTICATE, v);
                }
            }
            ApiError::InsufficientScope(scope) => {
                let challenge = format!("Bearer realm=\"waypoint\", error=\"insufficient_scope\", scope=\"{scope}\"");
                if let Ok(v) = HeaderValue::from_str(&challenge) {
                    h.insert(header::WWW_AUTHENTICATE, v);
                }
            }
            ApiError::RateLimited { retry_after } => {
                h.insert(header::RETRY_AFTER, HeaderValue::from(*retry_after));
            }
            _ => {}
        }
        res
    }
}

/// The name in a serde message "unknown field `x`, expected ..." or "missing field `x`".
fn field_named(message: &str) -> Option<String> {
    let start = message.find('`')? + 1;
    let end = start + message[start..].find('`')?;
    Some(message[start..end].to_owned())
}

/// A JSON body that could not be taken: too large (413), not JSON (415), not readable
/// (400), or JSON of the wrong shape — an unknown field, a missing one, a wrong type
/// (422, the field named where serde names it).
pub fn json_error(err: JsonPayloadError, _req: &HttpRequest) -> actix_web::Error {
    let problem = match &err {
        JsonPayloadError::OverflowKnownLength { limit, .. } | JsonPayloadError::Overflow { limit } => Problem::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("The body is larger than {limit} bytes; send the batch in smaller parts."),
        ),
        JsonPayloadError::ContentType => {
            Problem::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "Send the body as JSON (Content-Type: application/json).")
        }
        JsonPayloadError::Deserialize(e) if e.is_data() => {
            let message = e.to_string();
            let problem = if message.starts_with("unknown field") {
                "is not a field of this request".to_owned()
            } else {
                message.split(" at line ").next().unwrap_or(&message).to_owned()
            };
            let field = field_named(&message).filter(|_| message.contains(" field `")).unwrap_or_else(|| "body".into());
            Problem::new(StatusCode::UNPROCESSABLE_ENTITY, format!("The body does not fit this request: {message}"))
                .with_errors(vec![InvalidField { field, problem, index: None }])
        }
        other => Problem::new(StatusCode::BAD_REQUEST, format!("The body is not valid JSON: {other}")),
    };
    ApiError::Problem(problem).into()
}

fn is_api(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/")
}

/// In front of every route: an error answer under `/api` that is not yet a problem
/// (no route matched, a method not allowed, a cross-site request refused, a failure
/// before any handler) becomes one, keeping its status and headers (`Allow`,
/// `Retry-After`). Pages elsewhere are left as they are.
pub async fn answer(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    if !is_api(req.path()) {
        return next.call(req).await.map(ServiceResponse::map_into_boxed_body);
    }
    // No clone of the request is kept across the call: the router needs it unshared to
    // record the matched path (a kept clone panics there). An error that comes back
    // without its request becomes an error whose answer is the problem.
    match next.call(req).await {
        Ok(res) => {
            let (req, old) = res.map_into_boxed_body().into_parts();
            Ok(ServiceResponse::new(req, as_problem(old)))
        }
        Err(e) => {
            let problem = as_problem(e.error_response());
            Err(actix_web::error::InternalError::from_response(e.to_string(), problem).into())
        }
    }
}

/// An error answer that is not yet a problem, as one (its status and headers kept);
/// anything else as it is.
fn as_problem(old: HttpResponse<BoxBody>) -> HttpResponse<BoxBody> {
    let status = old.status();
    let is_problem =
        old.headers().get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(PROBLEM_JSON.as_bytes()));
    if status.as_u16() < 400 || is_problem {
        return old;
    }
    let detail = old.extensions().get::<PublicMessage>().map(|m| m.0.clone());
    let problem = match (status, detail) {
        (StatusCode::NOT_FOUND, _) => {
            Problem::new(status, "There is no such resource; the API's reference is at /api/docs.")
        }
        (StatusCode::METHOD_NOT_ALLOWED, _) => Problem::new(status, "That method is not available on this resource."),
        (_, Some(d)) => Problem::new(status, d),
        (_, None) => Problem::new(status, status.canonical_reason().unwrap_or("Error")),
    };
    let mut new = problem.response();
    for (name, value) in old.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH && name != header::CACHE_CONTROL {
            new.headers_mut().append(name.clone(), value.clone());
        }
    }
    new
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domain_errors_become_problems_with_their_fields() {
        let p = Problem::of_domain(&Error::invalid("limit", "must be a whole number"));
        assert_eq!((p.status, p.kind.as_str()), (422, "/api/docs#problem-invalid"));
        assert_eq!(
            p.errors,
            [InvalidField { field: "limit".into(), problem: "must be a whole number".into(), index: None }]
        );
        let p = Problem::of_domain(&Error::Internal("disk on fire".into()));
        assert_eq!(p.status, 500);
        assert!(!p.detail.contains("disk"), "the cause stays in the log: {}", p.detail);
        assert_eq!(Problem::of_domain(&Error::conflict("already revoked")).detail, "already revoked");
        let json = serde_json::to_value(Problem::new(StatusCode::NOT_FOUND, "x")).unwrap();
        assert_eq!(json["type"], "/api/docs#problem-not-found");
        assert!(json.get("errors").is_none(), "no empty list");
    }

    #[test]
    fn serde_messages_name_their_field() {
        assert_eq!(field_named("unknown field `nickname`, expected one of `a`, `b`").as_deref(), Some("nickname"));
        assert_eq!(field_named("missing field `email` at line 1 column 2").as_deref(), Some("email"));
        assert_eq!(field_named("invalid type: string"), None);
    }
}
