//! Errors as the web answers them, in one place: the domain's `core::Error` (what a store
//! or rules function refused or failed at) plus the cases only HTTP has (not signed in, a
//! forged form, a request that cannot be read). [`status_of`] and [`public_message`] are
//! the one mapping to a status and a message; the error page (`pages::render_error_page`)
//! shows the message and the request id, the cause goes to the log only. (The JSON API
//! will add problem details here.)

use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};

use crate::core::Error;
use crate::db;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// What the domain refused or failed at.
    #[error(transparent)]
    Domain(#[from] Error),
    /// Not signed in: the portal sends the browser to sign in, then back to this path.
    #[error("sign-in required")]
    SignInRequired(String),
    /// A state-changing request that did not come from our own page with its token.
    #[error("cross-site request refused")]
    CsrfRefused,
    /// A request that cannot be read (a form that does not parse, an unknown choice).
    #[error("bad request: {0}")]
    BadRequest(String),
}

/// What the error page shows: set on error responses so the error-page renderer
/// (see `pages::render_error_page`) knows the public message.
#[derive(Debug, Clone)]
pub struct PublicMessage(pub String);

/// The HTTP status of a domain error.
pub fn status_of(e: &Error) -> StatusCode {
    match e {
        Error::NotFound => StatusCode::NOT_FOUND,
        Error::Forbidden => StatusCode::FORBIDDEN,
        Error::Conflict(_) => StatusCode::CONFLICT,
        Error::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
        Error::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
        Error::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
        // The retries on SQLite's lock ran out: ours to look at, as any database failure.
        Error::Busy(_) | Error::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// What a person is told about a domain error (never the cause of a failure of ours).
pub fn public_message(e: &Error) -> String {
    match e {
        Error::NotFound => "We could not find that page.".into(),
        Error::Forbidden => "You do not have access to this page.".into(),
        Error::Conflict(m) => m.clone(),
        Error::Invalid(problems) => problems.to_string(),
        Error::TooManyRequests => "Too many attempts. Please wait a little and try again.".into(),
        Error::Unavailable(_) => "The service is briefly unavailable. Please try again in a moment.".into(),
        Error::Busy(_) | Error::Internal(_) => "Something went wrong on our side. The problem has been logged.".into(),
    }
}

impl AppError {
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        AppError::Domain(Error::internal(cause))
    }

    pub fn public_message(&self) -> String {
        match self {
            AppError::Domain(e) => public_message(e),
            AppError::SignInRequired(_) => "Please sign in to continue.".into(),
            AppError::CsrfRefused => {
                "This form was not accepted: it was sent from another site or it expired. Please go back, reload the page and try again.".into()
            }
            AppError::BadRequest(m) => m.clone(),
        }
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::Domain(e) => status_of(e),
            AppError::SignInRequired(_) => StatusCode::SEE_OTHER,
            AppError::CsrfRefused => StatusCode::FORBIDDEN,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            AppError::Domain(Error::Internal(cause) | Error::Busy(cause)) => {
                tracing::error!(error = %cause, "internal error")
            }
            AppError::Domain(Error::Unavailable(cause)) => tracing::warn!(error = %cause, "unavailable"),
            _ => {}
        }
        if let AppError::SignInRequired(back) = self {
            let location = format!(
                "/login?return_to={}",
                url::form_urlencoded::byte_serialize(back.as_bytes()).collect::<String>()
            );
            return HttpResponse::SeeOther().insert_header((header::LOCATION, location)).finish();
        }
        let message = self.public_message();
        let mut res = HttpResponse::build(self.status_code()).body(message.clone());
        res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
        res.extensions_mut().insert(PublicMessage(message));
        res
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        AppError::Domain(e.into())
    }
}

impl From<db::Unavailable> for AppError {
    fn from(e: db::Unavailable) -> Self {
        AppError::Domain(e.into())
    }
}

impl From<handlebars::RenderError> for AppError {
    fn from(e: handlebars::RenderError) -> Self {
        AppError::internal(format!("template: {e}"))
    }
}

impl From<crate::core::Problems> for AppError {
    fn from(p: crate::core::Problems) -> Self {
        AppError::Domain(Error::Invalid(p))
    }
}
