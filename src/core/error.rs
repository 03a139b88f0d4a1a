//! The one domain error. Every store and rules function answers with it; the web layer
//! maps it to a status and a page in one place (`web::error`), the command line prints it.
//! It knows no HTTP: what each case means is said here, how it is answered is the web's.

use super::problems::Problems;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// No such record, or none the asker may know of (another employer's ids answer this
    /// too, so that nothing is given away).
    #[error("not found")]
    NotFound,
    /// The asker may not do this.
    #[error("forbidden")]
    Forbidden,
    /// The request is understood but refused in the current state (an illegal
    /// transition, a duplicate, a record that changed meanwhile); nothing was changed.
    #[error("{0}")]
    Conflict(String),
    /// Input that does not pass validation, every problem named; nothing was changed.
    #[error("{0}")]
    Invalid(Problems),
    /// Too many attempts; wait and try again.
    #[error("too many requests")]
    TooManyRequests,
    /// A service we need (the database pool, the identity provider) cannot answer now.
    #[error("unavailable: {0}")]
    Unavailable(String),
    /// The database was locked by another writer (SQLite) until the retries ran out: the
    /// transaction was rolled back whole, so running it again is safe. Kept apart from
    /// `Internal` so that `db::transaction` knows to retry.
    #[error("database busy: {0}")]
    Busy(String),
    /// Our fault (a database error, a broken invariant): logged, never shown.
    #[error("{0}")]
    Internal(String),
}

impl Error {
    /// One problem with one field.
    pub fn invalid(field: impl Into<String>, problem: impl Into<String>) -> Self {
        Error::Invalid(Problems::one(field, problem))
    }

    pub fn conflict(message: impl Into<String>) -> Self {
        Error::Conflict(message.into())
    }

    pub fn internal(cause: impl std::fmt::Display) -> Self {
        Error::Internal(cause.to_string())
    }
}

impl From<Problems> for Error {
    fn from(p: Problems) -> Self {
        Error::Invalid(p)
    }
}

/// The result of a store or rules function.
pub type Result<T, E = Error> = std::result::Result<T, E>;
