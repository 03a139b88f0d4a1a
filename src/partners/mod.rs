//! Employer partnerships: counselors manage employers and their partnerships (a status
//! machine whose pause or end closes the employer's open postings), recruiters keep
//! their own employer's workspace, students browse the directory of active
//! partners (the catalogue of open projects is `opportunities::catalogue`).
//!
//! - `rules`: pure decisions (the partnership machine, profile validation, the closed
//!   lists: statuses, tiers, sizes);
//! - `store`: rows and queries by aggregate (employers, partnerships, the directory,
//!   the workspace), each change in one transaction with its audit event;
//! - `import`: the employers file (command line and upload), all or nothing;
//! - `routes` and `views`: thin handlers and the typed data of every page.

pub mod import;
pub mod routes;
pub mod rules;
pub mod store;
pub mod vetting;
pub mod views;
