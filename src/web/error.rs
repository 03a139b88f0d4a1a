//! One error type for every handler, mapped to an HTTP status in one place.
//! The client sees a status and a public message; the cause goes to the log only.

use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};

use crate::core::FieldProblem;
use crate::db;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    /// Not signed in: the portal sends the browser to sign in, then back to this path.
    #[error("sign-in required")]
    SignInRequired(String),
    /// A state-changing request that did not come from our own page with its token.
    #[error("cross-site request refused")]
    CsrfRefused,
    #[error("too many requests")]
    TooManyRequests,
    #[error("bad request: {0}")]
    BadRequest(String),
    /// The request is understood but refused in the current state (e.g. an illegal transition).
    #[error("conflict: {0}")]
    Conflict(String),
    /// Input that does not pass validation; nothing was changed.
    #[error("invalid input")]
    Invalid(Vec<FieldProblem>),
    #[error("service unavailable: {0}")]
    Unavailable(String),
    #[error("internal error: {0}")]
    Internal(String),
}

/// What the error page shows: set on error responses so the error-page renderer
/// (see `pages::render_error_page`) knows the public message.
#[derive(Debug, Clone)]
pub struct PublicMessage(pub String);

impl AppError {
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        AppError::Internal(cause.to_string())
    }

    pub fn public_message(&self) -> String {
        match self {
            AppError::NotFound => "We could not find that page.".into(),
            AppError::Forbidden => "You do not have access to this page.".into(),
            AppError::SignInRequired(_) => "Please sign in to continue.".into(),
            AppError::CsrfRefused => {
                "This form was not accepted: it was sent from another site or it expired. Please go back, reload the page and try again.".into()
            }
            AppError::TooManyRequests => "Too many attempts. Please wait a little and try again.".into(),
            AppError::BadRequest(m) | AppError::Conflict(m) => m.clone(),
            AppError::Invalid(problems) => problems
                .iter()
                .map(|p| format!("{}: {}", p.field, p.problem))
                .collect::<Vec<_>>()
                .join("; "),
            AppError::Unavailable(_) => {
                "The service is briefly unavailable. Please try again in a moment.".into()
            }
            AppError::Internal(_) => {
                "Something went wrong on our side. The problem has been logged.".into()
            }
        }
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Forbidden | AppError::CsrfRefused => StatusCode::FORBIDDEN,
            AppError::SignInRequired(_) => StatusCode::SEE_OTHER,
            AppError::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            AppError::Internal(cause) => tracing::error!(error = %cause, "internal error"),
            AppError::Unavailable(cause) => tracing::warn!(error = %cause, "unavailable"),
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
        match e {
            diesel::result::Error::NotFound => AppError::NotFound,
            other => AppError::Internal(format!("database: {other}")),
        }
    }
}

impl From<db::Unavailable> for AppError {
    fn from(e: db::Unavailable) -> Self {
        AppError::Unavailable(e.0)
    }
}

impl From<handlebars::RenderError> for AppError {
    fn from(e: handlebars::RenderError) -> Self {
        AppError::Internal(format!("template: {e}"))
    }
}
