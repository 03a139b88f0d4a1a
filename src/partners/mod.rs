//! Employer partnerships: counselors manage employers and partnerships, recruiters
//! their own employer's workspace, students browse the partners (the catalogue of open
//! projects is `opportunities::catalogue`).

pub mod import;
pub mod model;
pub mod routes;
pub mod rules;
pub mod workspace;
