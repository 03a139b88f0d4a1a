//! Outcomes: graduates' first destinations and placements as the office records them,
//! and the NACE arithmetic the reports take their figures from.

pub mod import;
pub mod routes;
pub mod rules;
pub mod store;
pub mod views;
