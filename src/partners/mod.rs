//! Employer partnerships: counselors manage employers and partnerships, recruiters
//! their own employer's workspace, students browse the catalogue of open projects.

pub mod catalogue;
pub mod import;
pub mod model;
pub mod routes;
pub mod rules;
pub mod workspace;
