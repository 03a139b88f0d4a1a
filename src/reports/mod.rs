//! The office's reports as CSV (DESIGN §4): the figures come from `outcomes::rules` and
//! nowhere else; rows stream from the database a page at a time, so a file of any size
//! takes constant memory. `registry` lists them; the portal (`routes`) and the command
//! line write them through the same function.

pub mod conversions;
pub mod csv_out;
pub mod endorsements;
pub mod fair_attendance;
pub mod filters;
pub mod first_destination;
pub mod micro_internships;
pub mod placements;
pub mod registry;
pub mod routes;
