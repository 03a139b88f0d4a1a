//! The office's reports as CSV (DESIGN §4): the figures come from `outcomes::rules` and
//! nowhere else; rows stream from the database a page at a time, so a file of any size
//! takes constant memory.

pub mod csv_out;
pub mod first_destination;
pub mod routes;
