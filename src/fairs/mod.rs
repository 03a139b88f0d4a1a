//! Virtual job fairs: the office makes a fair of one or more campus days and publishes
//! it; employers with an active partnership join (with the office's approval where the
//! fair asks for it); their recruiters add group sessions and one-on-one series; students
//! register (a seat or the waitlist, never beyond capacity), join through a tracked link
//! and are counted as attended or no-shows.
//!
//! - `rules`: pure decisions (statuses, forms, window, overlap, slots, join window, terms);
//! - `store`: rows and queries by aggregate (fairs, sessions, registrations), each change
//!   in one transaction under the session's lock, with its audit event and notifications;
//! - `routes` and `views`: thin handlers and the typed data of every page.

pub mod calendar;
pub mod figures;
pub mod filters;
pub mod pages;
pub mod routes;
pub mod rules;
pub mod store;
pub mod views;
