//! Outcomes: graduates' first destinations and placements as the office records them,
//! and the NACE arithmetic the reports take their figures from.

pub mod import;
pub mod progress;
pub mod routes;
pub mod rules;
pub mod store;
pub mod survey;
pub mod survey_routes;
pub mod upload;
pub mod views;
