//! What every page and endpoint shares: the error type, templates, error pages and headers.

pub mod error;
pub mod pages;
pub mod templates;

pub use error::{AppError, FieldProblem};
pub use templates::Templates;
