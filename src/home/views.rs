//! What the home page shows.

use serde::Serialize;

/// `home`: the programme and its headline figures.
#[derive(Debug, Serialize)]
pub struct HomePage {
    pub figures: Figures,
}

/// Aggregate figures only: nothing here identifies a student.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct Figures {
    pub students: i64,
    /// Employers whose current partnership is active.
    pub partner_employers: i64,
    /// Postings open for applications today (on campus).
    pub open_opportunities: i64,
    pub completed_engagements: i64,
    pub offers: i64,
    pub upcoming_fairs: i64,
}
