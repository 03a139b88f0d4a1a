//! The fair-attendance report: one row per scheduled fair session (DESIGN §4's columns),
//! exactly the rows of `fairs::store::figures::rows` — the counselor's fair overview and
//! the dashboard's chart are summed from the same sessions by `fairs::figures`, so the
//! file, the overview and the chart never disagree. This module only turns the reports'
//! filters into the fairs' ones.
//!
//! Filters: employer (that employer's sessions), from/to (campus dates the session starts
//! on, both included). Cohort and college are refused: a session belongs to no class.
//! `now` decides which sessions have ended (no-shows and the attendance rate count only
//! those).

use chrono::NaiveDateTime;
use diesel::QueryResult;

use super::filters::Filters;
use super::registry::Sink;
use crate::core::EmployerId;
use crate::db::DbConnection;
use crate::fairs::store::figures;

pub use crate::fairs::store::figures::COLUMNS;

/// The fairs' filters for the reports' ones: the employer found in the catalogue, and the
/// sessions starting from `from`'s campus midnight to the campus midnight that ends `to`.
pub fn sessions_of(f: &Filters) -> figures::Filters {
    figures::Filters {
        fair: None,
        employer: f.employer_id.clone().map(EmployerId::from),
        from: f.from_utc,
        to: f.until_utc,
    }
}

pub fn rows(conn: &mut DbConnection, f: &Filters, now: NaiveDateTime, sink: &mut Sink<'_>) -> QueryResult<u64> {
    figures::rows(conn, &sessions_of(f), now, sink)
}
