//! Students: the roster imported from the student information system, and its rules.

pub mod import;
pub mod model;
pub mod rules;
