//! Students: the roster imported from the student information system, its rules
//! (roster rows, graduation terms, NACE cohorts), and the store other areas read
//! students through.

pub mod import;
pub mod records;
pub mod routes;
pub mod rules;
pub mod store;
pub mod views;

#[cfg(test)]
mod tests;
