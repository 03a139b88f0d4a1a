//! The office dashboard (`/office/dashboard`): the figures of the office's reports as
//! server-rendered SVG charts, each with its numbers in a table and a link to its CSV.
//! The figures come from the functions the CSVs are written by (`reports`, `outcomes::rules`,
//! `fairs::figures`), read with the reports' own filters (`reports::filters`).

pub mod charts;
pub mod routes;
pub mod store;
pub mod views;
