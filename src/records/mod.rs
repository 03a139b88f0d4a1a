//! Student records as the career office sees them: the lookup (name, email or student
//! number) and one student's page with their applications, projects and endorsements.
//! It reads across areas (the roster, opportunities, endorsements), so it sits above
//! them: `students` stays the roster that every area can read.

pub mod routes;
pub mod store;
pub mod views;
