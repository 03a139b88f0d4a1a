//! Faculty endorsements of students, and students' requests for them (DESIGN §1, §2).
//! Faculty find a student and write an endorsement (skills, a statement, how they know
//! the student), may change it for 24 hours and revoke it at any time; students ask for
//! one, see theirs, share them per application and may hide one from all sharing; the
//! office sees all; an employer sees one only while it is shared on an application to
//! its own posting, not revoked and not hidden — every such read is audited.
//!
//! - `rules`: pure decisions (skills' normal form, checks, the edit window, request
//!   lapse, who may find a student, who may read an endorsement);
//! - `store`: endorsements (and [`store::shared_on`], the one read of what employers see);
//! - `requests`: the students' requests and their 30-day lapse (a periodic task);
//! - `routes` and `views`: thin handlers and the pages' typed data.

pub mod requests;
pub mod routes;
pub mod rules;
pub mod store;
pub mod views;
