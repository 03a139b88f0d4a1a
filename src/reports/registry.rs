//! The reports the office downloads, in one list. Adding a report is one entry in
//! `registry!` below and one module exposing `COLUMNS` and
//! `rows(conn, &Filters, today, sink)` (or `rows(conn, &Filters, now, sink)` for a report
//! that needs the instant, said by the entry's `as_of: now`); the portal (`/reports/{name}.csv`, the `/reports`
//! page) and the command line (`waypoint report NAME`) take it from here, and both write
//! the file through [`write`], so the two give byte-identical files for the same filters.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::QueryResult;

use super::csv_out::{Records, BOM};
use super::filters::{Filter, Filters};
use crate::audit;
use crate::core::{Actor, Clock};
use crate::db::DbConnection;

/// When a report is run, read once from the clock: the campus date (cohorts count by it)
/// and the UTC instant (which fair sessions have ended).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunAt {
    pub today: NaiveDate,
    pub now: NaiveDateTime,
}

impl RunAt {
    pub fn of(clock: &Clock) -> Self {
        RunAt { today: clock.today(), now: clock.now_utc() }
    }
}

/// Where a report's rows go, one record at a time; answers false once the reader went away.
pub type Sink<'a> = dyn FnMut(Vec<String>) -> bool + 'a;

macro_rules! registry {
    ($(
        $variant:ident => $name:literal, $module:ident, $title:literal,
        needs_cohort: $needs:literal, filters: [$($filter:ident),*], as_of: $as_of:ident,
        $description:literal;
    )*) => {
        /// A report, by the name its file and command carry.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum ReportName {
            $($variant),*
        }

        impl ReportName {
            /// Every report, in the order the `/reports` page lists them.
            pub const ALL: &'static [ReportName] = &[$(ReportName::$variant),*];

            pub fn as_str(self) -> &'static str {
                match self { $(ReportName::$variant => $name),* }
            }

            /// Its name in the office's words ("Placements").
            pub fn title(self) -> &'static str {
                match self { $(ReportName::$variant => $title),* }
            }

            /// One line on what a row is.
            pub fn description(self) -> &'static str {
                match self { $(ReportName::$variant => $description),* }
            }

            /// The filters it takes (any other is refused, naming it).
            pub fn accepts(self) -> &'static [Filter] {
                match self { $(ReportName::$variant => &[$(Filter::$filter),*]),* }
            }

            /// Whether it needs a cohort (a class year).
            pub fn needs_cohort(self) -> bool {
                match self { $(ReportName::$variant => $needs),* }
            }

            /// DESIGN §4's columns, in order.
            pub fn columns(self) -> &'static [&'static str] {
                match self { $(ReportName::$variant => &super::$module::COLUMNS),* }
            }

            /// Hands every row to `sink` (a page of the database at a time); answers how many.
            pub fn rows(
                self,
                conn: &mut DbConnection,
                f: &Filters,
                at: RunAt,
                sink: &mut Sink<'_>,
            ) -> QueryResult<u64> {
                match self { $(ReportName::$variant => super::$module::rows(conn, f, at.$as_of, sink)),* }
            }
        }
    };
}

registry! {
    FirstDestination => "first-destination", first_destination, "First destinations (NACE)",
        needs_cohort: true, filters: [Cohort, GroupBy, College], as_of: today,
        "A cohort's graduates by college or major: how many the office knows about, by NACE category, with the knowledge and career outcomes rates.";
    Placements => "placements", placements, "Placements",
        needs_cohort: false, filters: [Cohort, College, Employer, From, To], as_of: today,
        "Every outcome in employment, service or continuing education, with the graduate, the organisation and the terms; dated by when the office learnt it.";
    Conversions => "conversions", conversions, "Conversions",
        needs_cohort: false, filters: [Cohort, College, Employer, From, To], as_of: today,
        "Per employer, then all employers: students who completed a micro-internship and were offered (and hired) afterwards; dated by completion.";
    MicroInternships => "micro-internships", micro_internships, "Micro-internships",
        needs_cohort: false, filters: [Cohort, College, Employer, From, To], as_of: today,
        "Every project (engagement): the posting, employer, student, fee, status, dates, rating and payment; dated by its start.";
    Endorsements => "endorsements", endorsements, "Endorsements",
        needs_cohort: false, filters: [Cohort, College, From, To], as_of: today,
        "Per faculty member: endorsements written, students endorsed, applications they were shared on, and revoked; dated by when written.";
    FairAttendance => "fair-attendance", fair_attendance, "Fair attendance",
        needs_cohort: false, filters: [Employer, From, To], as_of: now,
        "Every scheduled fair session: seats, registered, waitlisted, attended and no-shows, with the attendance rate once it has ended; dated by the session's start.";
}

impl ReportName {
    /// The report of that name (`None`: there is none).
    pub fn parse(name: &str) -> Option<ReportName> {
        ReportName::ALL.iter().copied().find(|r| r.as_str() == name)
    }

    /// Every report's name, for a message: "first-destination, placements, …".
    pub fn names() -> String {
        ReportName::ALL.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(", ")
    }

    /// The file's name: the report, its filters and the campus date.
    pub fn file_name(self, f: &Filters, today: NaiveDate) -> String {
        let part = f.file_name_part();
        if part.is_empty() {
            format!("{}_{today}.csv", self.as_str())
        } else {
            format!("{}_{part}_{today}.csv", self.as_str())
        }
    }
}

/// How many bytes of rows are handed to `out` at once: a download is a few hundred chunks
/// rather than a message per row, and memory holds no more than one chunk.
const CHUNK: usize = 64 * 1024;

/// Writes the whole file to `out`: the byte-order mark, the header row, then every row
/// as it is read (RFC 4180, formula cells neutralised), in chunks of about [`CHUNK`]
/// bytes. Answers the number of rows.
pub fn write(
    conn: &mut DbConnection,
    report: ReportName,
    f: &Filters,
    at: RunAt,
    out: &mut dyn FnMut(Vec<u8>) -> bool,
) -> QueryResult<u64> {
    let mut records = Records::new();
    records.push(report.columns());
    let mut head = BOM.as_bytes().to_vec();
    head.extend(records.take());
    if !out(head) {
        return Ok(0);
    }
    let mut open = true;
    let rows = report.rows(conn, f, at, &mut |cells| {
        records.push(&cells);
        if records.pending() >= CHUNK {
            open = out(records.take());
        }
        open
    })?;
    let rest = records.take();
    if open && !rest.is_empty() {
        out(rest);
    }
    Ok(rows)
}

/// The audit event of one download or command-line run: who, which report, which
/// filters, how many rows, and how (`portal` or `cli`).
pub fn audited(
    conn: &mut DbConnection,
    actor: &Actor,
    report: ReportName,
    f: &Filters,
    rows: u64,
    via: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    audit::record(
        conn,
        audit::Event {
            actor,
            action: if via == "cli" { "report.run" } else { "report.downloaded" },
            subject_type: "report",
            subject_id: Some(report.as_str()),
            ip: None,
            at: now,
            details: serde_json::json!({ "report": report.as_str(), "filters": f.describe(), "rows": rows, "via": via }),
        },
    )
}
