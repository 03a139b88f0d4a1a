//! What every area shares and that knows no HTTP and runs no SQL: the campus clock, field
//! problems and the one domain error, actors, roles, emails, typed ids, secrets, money,
//! people's words for counts, and the macros that map statuses and ids to the database's
//! text (see `sql.rs` for why those live here).

pub mod actor;
pub mod clock;
pub mod csv;
pub mod email;
pub mod error;
pub mod ids;
pub mod money;
pub mod problems;
pub mod recent;
pub mod role;
pub mod secret;
pub mod sql;
pub mod words;

pub use actor::Actor;
pub use clock::Clock;
pub use email::Email;
pub use error::Error;
pub use ids::*;
pub use problems::{FieldProblem, Problems};
pub use role::Role;
pub use secret::Secret;
pub(crate) use sql::{text_enum, text_id, text_newtype};
