//! The micro-internship lifecycle: postings and their review, applications and
//! selection, engagements (delivery, rating, payment, cancellation) and conversion offers.

pub mod model;
pub mod routes;
pub mod rules;
