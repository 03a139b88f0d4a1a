//! What the partners area keeps and reads, by aggregate: employers, their partnerships
//! (status changes with their effects), the directory of active partners students see,
//! and the recruiter's workspace. Each change is one transaction with its audit event.

pub mod directory;
pub mod employers;
pub mod partnerships;
pub mod vetting;
pub mod workspace;

diesel::define_sql_function!(
    /// SQL `lower(x)`: employer names are unique and searched case aside.
    fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text
);

#[cfg(test)]
mod tests;
