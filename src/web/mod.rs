//! What every page and endpoint shares: the error type, templates, error pages and headers.

pub mod client;
pub mod error;
pub mod pages;
pub mod templates;

pub use error::AppError;
pub use templates::Templates;
