//! What every page and endpoint shares: the error type, templates, error pages and headers,
//! and the portal's patterns (see `docs/portal-patterns.md`): forms that keep what was
//! typed and name each problem's field by its label (`forms`), a message after an action
//! (`flash`), confirmation of destructive actions (`confirm`), and list pages (`pages::Pager`).

pub mod client;
pub mod confirm;
pub mod error;
pub mod flash;
pub mod forms;
pub mod nul;
pub mod pages;
pub mod templates;

pub use error::AppError;
pub use templates::Templates;
