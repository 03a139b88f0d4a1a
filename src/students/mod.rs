//! Students: the roster imported from the student information system, its rules
//! (roster rows, graduation terms, NACE cohorts), and the store other areas read
//! students through.

pub mod import;
pub mod rules;
pub mod store;

#[cfg(test)]
mod tests;
