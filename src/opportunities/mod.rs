//! The micro-internship lifecycle: postings and their review, the students' catalogue,
//! applications and selection, engagements (delivery, rating, payment, cancellation) and
//! conversion offers.
//!
//! - `rules/`: pure decisions (the three state machines on status enums, validation,
//!   eligibility, the catalogue's query), no I/O;
//! - `postings`, `applications`, `engagements`, `offers`, `catalogue`, `tags`: the store,
//!   one file per aggregate (diesel; each change in one transaction with its audit event
//!   and notifications), sharing `store` (scopes, locks, notices);
//! - `views`: the typed views the pages render; `routes/`: thin handlers per aggregate.
//!
//! It reads employers and partnerships through the schema only: `partners` calls in
//! (the one close of a posting), never the reverse.

pub mod applicants;
pub mod applications;
pub mod catalogue;
pub mod engagements;
pub mod offers;
pub mod postings;
pub mod projects;
pub mod routes;
pub mod rules;
pub mod store;
pub mod tags;
pub mod views;
