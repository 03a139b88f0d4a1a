//! Demo data: the CSV files of `seed/` (embedded in the binary), loaded by `waypoint seed`
//! and by `serve --demo` into an empty database. Each file is one table, its header the
//! column names; `MANIFEST` gives the order (foreign keys first). Every row has a stable
//! id, and a row whose id is present already is left alone, so loading twice changes
//! nothing. The whole load is one transaction.
//!
//! Values are bound with the type the database itself declares for each column, so the
//! same files load into SQLite and PostgreSQL.
//!
//! # The demo data moves to today
//!
//! The files describe the office on one day, `REFERENCE_DAY` (real dates, easy to read and
//! to check). When they are loaded, every date is moved so that the reference day becomes
//! today on campus: a newcomer on any later (or earlier) day sees open postings, an
//! upcoming fair and graduated cohorts with their outcomes. One shift for everything
//! would break the cohorts: a class of Y graduates from July 1 of Y-1 to June 30 of Y and
//! its outcomes count when known by December 31 of Y, so moving by, say, 200 days puts
//! graduation terms across July 1 and outcomes past December 31. So there are three moves
//! (`Shift`), with K the whole years and D the days from the reference day to today:
//!
//! - **Cohort labels** (class years, graduation terms, a posting's eligible class years)
//!   move by K years, always.
//! - **Past dates of history rows** (people, employers and partnerships, endorsements,
//!   outcomes, and every posting whose applicants had graduated, with its applications,
//!   engagements and offers) move by K years too: calendar years keep each outcome inside
//!   its class's window, and nothing lands after today (reference + K years <= today).
//! - **Past dates of current rows** (live postings and recent ones of current students,
//!   with their whole chain; fairs, sessions, registrations; pending requests; the inbox)
//!   move by whole weeks W <= D, so weekdays stay and nothing lands after today, but never
//!   by less than K years, so they stay after the history they build on.
//! - **Every date after the reference day** (an apply-by or due date, a fair, the end of a
//!   partnership's term, a job's start) moves by whole weeks F >= D, so it stays ahead of
//!   today, as it was ahead of the reference day.
//!
//! So the orders the data relies on hold after the move: the past stays before the
//! future (no past move exceeds F), history stays before the current rows built on it
//! (K years <= W), and a chain (posting, applications, engagement, offer, outcome) moves
//! as one unit, so "an offer after a completed project with the same employer" stays
//! true. Which rows are history and which current is decided by `scripts/gen_seed.py`
//! (a `_shift` column in each file), which checks that no current chain holds an outcome
//! of a student who had graduated, and runs its consistency checks on the data moved to
//! several days.
//! Timestamps move on the campus wall clock: a session at 9:30 AM stays at 9:30 AM.

use std::collections::HashMap;
use std::fmt;

use chrono::{Datelike, Duration, Months, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Date, Nullable, Text, Timestamp};
use rust_embed::RustEmbed;

use crate::core::{Clock, Error, FieldProblem};
use crate::db::schema::{employers, users};
use crate::db::{self, DbConnection, IsBusy, MultiBackend};

#[derive(RustEmbed)]
#[folder = "seed/"]
struct SeedFiles;

/// A seed file the binary lacks, or a reference day it cannot read: a defect of the build.
fn missing(file: &str) -> Error {
    Error::Internal(format!("seed/{file}: missing from the binary"))
}

/// A problem of one line of a seed file, named `seed/FILE:LINE`.
fn at_line(file: &str, line: u64, problem: String) -> Error {
    Error::Invalid(FieldProblem::new(format!("seed/{file}:{line}"), problem).into())
}

/// Rows added and rows found present, per table, in load order.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SeedReport {
    pub tables: Vec<(String, usize, usize)>,
}

impl SeedReport {
    pub fn inserted(&self) -> usize {
        self.tables.iter().map(|t| t.1).sum()
    }
    pub fn present(&self) -> usize {
        self.tables.iter().map(|t| t.2).sum()
    }
}

impl fmt::Display for SeedReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (table, inserted, present) in &self.tables {
            writeln!(f, "  {table:<26} {inserted:>6} added {present:>6} already present")?;
        }
        write!(f, "demo data: {} rows added, {} already present", self.inserted(), self.present())
    }
}

/// Whether the database holds no people and no employers (then `serve --demo` seeds it).
pub fn database_is_empty(conn: &mut DbConnection) -> QueryResult<bool> {
    let users: i64 = users::table.count().get_result(conn)?;
    let students: i64 = crate::students::store::count(conn)?;
    let employers: i64 = employers::table.count().get_result(conn)?;
    Ok(users + students + employers == 0)
}

/// How the demo data moves so that its reference day becomes today (see the module's
/// documentation for why there are three moves).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shift {
    /// Whole years from the reference day to today (K): cohort labels and history.
    pub years: i32,
    /// Days for the past dates of current rows: whole weeks, at most the days elapsed and
    /// at least the K years.
    pub current_days: i64,
    /// Days for every date after the reference day: whole weeks, at least the days elapsed.
    pub future_days: i64,
}

/// `date` moved by whole calendar years (February 29 becomes February 28).
fn add_years(date: NaiveDate, years: i32) -> NaiveDate {
    let months = Months::new(years.unsigned_abs() * 12);
    let moved = if years >= 0 { date.checked_add_months(months) } else { date.checked_sub_months(months) };
    moved.unwrap_or(date)
}

impl Shift {
    /// The moves that bring `reference` to `today`.
    pub fn between(reference: NaiveDate, today: NaiveDate) -> Shift {
        let mut years = today.year() - reference.year();
        if add_years(reference, years) > today {
            years -= 1;
        }
        let elapsed = (today - reference).num_days();
        let years_in_days = (add_years(reference, years) - reference).num_days();
        Shift {
            years,
            current_days: years_in_days.max(7 * elapsed.div_euclid(7)),
            future_days: -7 * (-elapsed).div_euclid(7),
        }
    }

    /// A date of a history (`current == false`) or current row.
    pub fn date(&self, reference: NaiveDate, current: bool, d: NaiveDate) -> NaiveDate {
        if d > reference {
            d + Duration::days(self.future_days)
        } else if current {
            d + Duration::days(self.current_days)
        } else {
            add_years(d, self.years)
        }
    }

    /// A stored UTC timestamp, moved on the campus wall clock.
    pub fn timestamp(&self, reference: NaiveDate, current: bool, clock: &Clock, t: NaiveDateTime) -> NaiveDateTime {
        let local = clock.to_campus(t).naive_local();
        let moved = self.date(reference, current, local.date()).and_time(local.time());
        clock.campus_to_utc(moved)
    }

    /// A cohort label: a class year, a graduation term `YYYY-MM`, or a list of class years.
    fn label(&self, column: &str, raw: &str) -> Result<String, String> {
        let year = |y: &str| -> Result<i32, String> {
            y.trim().parse::<i32>().map(|y| y + self.years).map_err(|_| format!("`{raw}` is not a class year"))
        };
        match column {
            "graduation_term" => match raw.split_once('-') {
                Some((y, m)) if m.len() == 2 && m.parse::<u32>().is_ok_and(|m| (1..=12).contains(&m)) => {
                    Ok(format!("{}-{m}", year(y)?))
                }
                _ => Err(format!("`{raw}` is not a graduation term YYYY-MM")),
            },
            "eligible_class_years" => raw
                .split(',')
                .filter(|y| !y.trim().is_empty())
                .map(|y| year(y).map(|y| y.to_string()))
                .collect::<Result<Vec<_>, _>>()
                .map(|years| years.join(",")),
            _ => year(raw).map(|y| y.to_string()),
        }
    }
}

/// The header's name for the row's kind of move: `history` or `current`.
const SHIFT_COLUMN: &str = "_shift";

/// Columns that name a cohort rather than a day: they move by whole years, always.
const COHORT_LABELS: &[(&str, &str)] =
    &[("students", "class_year"), ("students", "graduation_term"), ("opportunities", "eligible_class_years")];

/// The day the seed files describe.
pub fn reference_day() -> Result<NaiveDate, Error> {
    let file = SeedFiles::get("REFERENCE_DAY").ok_or_else(|| missing("REFERENCE_DAY"))?;
    let text = String::from_utf8_lossy(&file.data).into_owned();
    let line = text.lines().map(str::trim).find(|l| !l.is_empty() && !l.starts_with('#')).unwrap_or_default();
    NaiveDate::parse_from_str(line, "%Y-%m-%d")
        .map_err(|_| Error::Internal(format!("seed/REFERENCE_DAY: `{line}` is not a date YYYY-MM-DD")))
}

/// The moves and the clock of one load.
struct Frame<'a> {
    reference: NaiveDate,
    shift: Shift,
    clock: &'a Clock,
}

/// Loads the demo data, moved so that its reference day is today on `clock`'s campus.
pub fn load_demo_data(conn: &mut DbConnection, clock: &Clock) -> Result<SeedReport, Error> {
    let manifest = SeedFiles::get("MANIFEST").ok_or_else(|| missing("MANIFEST"))?;
    let manifest = String::from_utf8_lossy(&manifest.data).into_owned();
    let files: Vec<&str> = manifest.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).collect();
    let reference = reference_day()?;
    let frame = Frame { reference, shift: Shift::between(reference, clock.today()), clock };
    db::transaction(conn, |conn| {
        let mut report = SeedReport::default();
        for file in &files {
            let (inserted, present) = load_file(conn, file, &frame)?;
            report.tables.push((file.trim_end_matches(".csv").to_owned(), inserted, present));
        }
        // The catalogue matches postings by their tags, which the store derives from a
        // posting's lists (one rule, src/opportunities/rules/): derive them for the
        // postings just loaded.
        crate::opportunities::tags::write_missing_tags(conn)?;
        Ok(report)
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ColumnType {
    Text,
    Integer,
    Boolean,
    Date,
    Timestamp,
}

impl ColumnType {
    fn of_declared(declared: &str) -> Self {
        let d = declared.to_ascii_lowercase();
        if d.starts_with("timestamp") {
            ColumnType::Timestamp
        } else if d == "date" {
            ColumnType::Date
        } else if d.starts_with("bool") {
            ColumnType::Boolean
        } else if d.contains("int") {
            ColumnType::Integer
        } else {
            ColumnType::Text
        }
    }
}

#[derive(QueryableByName)]
struct DeclaredColumn {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    declared: String,
}

fn column_types(conn: &mut DbConnection, table: &str) -> QueryResult<HashMap<String, ColumnType>> {
    let query = match conn.backend() {
        db::Backend::Sqlite => "SELECT name, type AS declared FROM pragma_table_info(?)",
        db::Backend::Postgres => {
            "SELECT column_name::text AS name, data_type::text AS declared FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name = $1"
        }
    };
    let columns: Vec<DeclaredColumn> = diesel::sql_query(query).bind::<Text, _>(table).load(conn)?;
    Ok(columns.into_iter().map(|c| (c.name, ColumnType::of_declared(&c.declared))).collect())
}

fn load_file(conn: &mut DbConnection, file: &str, frame: &Frame<'_>) -> Result<(usize, usize), Error> {
    let table = file.trim_end_matches(".csv");
    let data = SeedFiles::get(file).ok_or_else(|| missing(file))?;
    let types = column_types(conn, table)?;
    let row_error = |line: u64, problem: String| at_line(file, line, problem);
    if types.is_empty() {
        return Err(row_error(1, format!("there is no table `{table}`")));
    }
    let mut reader = csv::Reader::from_reader(data.data.as_ref());
    let header: Vec<String> =
        reader.headers().map_err(|e| row_error(1, e.to_string()))?.iter().map(str::to_owned).collect();
    let shift_index = header
        .iter()
        .position(|h| h == SHIFT_COLUMN)
        .ok_or_else(|| row_error(1, format!("no `{SHIFT_COLUMN}` column (history or current)")))?;
    let mut column_of = Vec::with_capacity(header.len());
    for (i, name) in header.iter().enumerate() {
        if i == shift_index {
            column_of.push(ColumnType::Text);
            continue;
        }
        let ty = types.get(name).ok_or_else(|| row_error(1, format!("table `{table}` has no column `{name}`")))?;
        column_of.push(*ty);
    }
    let label_of: Vec<bool> = header.iter().map(|h| COHORT_LABELS.contains(&(table, h.as_str()))).collect();
    let id_index = header.iter().position(|h| h == "id").ok_or_else(|| row_error(1, "no `id` column".into()))?;
    let now = frame.clock.now_utc();
    let (mut inserted, mut present) = (0, 0);
    for record in reader.records() {
        let record = record.map_err(|e| row_error(e.position().map_or(0, |p| p.line()), e.to_string()))?;
        let line = record.position().map_or(0, |p| p.line());
        if record.get(id_index).is_none_or(str::is_empty) {
            return Err(row_error(line, "empty id".into()));
        }
        let current = match record.get(shift_index) {
            Some("current") => true,
            Some("history") => false,
            other => return Err(row_error(line, format!("`{}` is not history or current", other.unwrap_or_default()))),
        };
        // Empty cells are left out, so the column takes its default (or NULL).
        let mut columns: Vec<&str> = Vec::new();
        let mut values: Vec<(ColumnType, String)> = Vec::new();
        for (i, value) in record.iter().enumerate() {
            if i == shift_index || value.is_empty() {
                continue;
            }
            let value = if label_of[i] {
                frame.shift.label(&header[i], value).map_err(|p| row_error(line, p))?
            } else {
                value.to_owned()
            };
            columns.push(&header[i]);
            values.push((column_of[i], value));
        }
        for stamp in ["created_at", "updated_at"] {
            if !columns.contains(&stamp) && types.contains_key(stamp) {
                columns.push(stamp);
            }
        }
        let placeholders: Vec<String> = (1..=columns.len()).map(|n| conn.placeholder(n)).collect();
        let sql = format!(
            "INSERT INTO {table} ({}) VALUES ({}) ON CONFLICT (id) DO NOTHING",
            columns.join(", "),
            placeholders.join(", ")
        );
        let mut query = diesel::sql_query(sql).into_boxed::<MultiBackend>();
        for (ty, raw) in &values {
            query = bind(query, *ty, raw, frame, current).map_err(|p| row_error(line, p))?;
        }
        for _ in values.len()..columns.len() {
            query = query.bind::<Timestamp, _>(now);
        }
        match query.execute(conn) {
            Ok(0) => present += 1,
            Ok(_) => inserted += 1,
            Err(e) if e.is_busy() => return Err(e.into()),
            Err(e) => return Err(row_error(line, e.to_string())),
        }
    }
    Ok((inserted, present))
}

type Query<'a> = diesel::query_builder::BoxedSqlQuery<'a, MultiBackend, diesel::query_builder::SqlQuery>;

/// Binds one value, a date or time moved to today (see `Shift`).
fn bind<'a>(
    query: Query<'a>,
    ty: ColumnType,
    raw: &str,
    frame: &Frame<'_>,
    current: bool,
) -> Result<Query<'a>, String> {
    Ok(match ty {
        ColumnType::Text => query.bind::<Nullable<Text>, _>(Some(raw.to_owned())),
        ColumnType::Integer => {
            let v: i64 = raw.parse().map_err(|_| format!("`{raw}` is not a whole number"))?;
            query.bind::<Nullable<BigInt>, _>(Some(v))
        }
        ColumnType::Boolean => {
            let v = match raw {
                "true" | "1" => true,
                "false" | "0" => false,
                _ => return Err(format!("`{raw}` is not true or false")),
            };
            query.bind::<Nullable<Bool>, _>(Some(v))
        }
        ColumnType::Date => {
            let v =
                NaiveDate::parse_from_str(raw, "%Y-%m-%d").map_err(|_| format!("`{raw}` is not a date YYYY-MM-DD"))?;
            query.bind::<Nullable<Date>, _>(Some(frame.shift.date(frame.reference, current, v)))
        }
        ColumnType::Timestamp => {
            let v = NaiveDateTime::parse_from_str(raw, "%Y-%m-%d %H:%M:%S")
                .map_err(|_| format!("`{raw}` is not a time YYYY-MM-DD HH:MM:SS"))?;
            query.bind::<Nullable<Timestamp>, _>(Some(frame.shift.timestamp(frame.reference, current, frame.clock, v)))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    const REFERENCE: &str = "2026-11-22";

    #[test]
    fn on_the_reference_day_nothing_moves() {
        let s = Shift::between(day(REFERENCE), day(REFERENCE));
        assert_eq!(s, Shift { years: 0, current_days: 0, future_days: 0 });
    }

    #[test]
    fn years_ahead_history_moves_by_whole_years_and_the_rest_by_whole_weeks() {
        let r = day(REFERENCE);
        let s = Shift::between(r, day("2031-03-10"));
        // 2030-11-22 is the last anniversary; 1569 days have passed (two leap days).
        assert_eq!(s, Shift { years: 4, current_days: 1568, future_days: 1575 });
        // A cohort's window end and graduation term keep their place in the year.
        assert_eq!(s.date(r, false, day("2025-12-31")), day("2029-12-31"));
        assert_eq!(s.date(r, false, day("2026-11-22")), day("2030-11-22"), "the reference day is past");
        assert_eq!(
            s.date(r, false, day("2026-12-31")),
            day("2031-04-24"),
            "a date after the reference day moves with today, in whole weeks"
        );
        assert_eq!(s.date(r, false, day("2024-02-29")), day("2028-02-29"));
        assert_eq!(s.label("graduation_term", "2026-05").unwrap(), "2030-05");
        assert_eq!(s.label("class_year", "2027").unwrap(), "2031");
        assert_eq!(s.label("eligible_class_years", "2026,2027").unwrap(), "2030,2031");
        // Current rows keep their weekday: 2026-11-20 was a Friday, so is 2031-03-07.
        assert_eq!(s.date(r, true, day("2026-11-20")), day("2031-03-07"));
        assert_eq!(s.date(r, true, day("2027-02-17")), day("2031-06-11"), "a Wednesday fair stays on a Wednesday");
        // Leap days: a February 29 moved by a year that has none becomes February 28.
        assert_eq!(add_years(day("2028-02-29"), 1), day("2029-02-28"));
        assert_eq!(add_years(day("2028-02-29"), -4), day("2024-02-29"));
    }

    #[test]
    fn bad_cohort_labels_are_refused() {
        let s = Shift::between(day(REFERENCE), day("2030-01-01"));
        assert!(s.label("graduation_term", "Spring 2026").is_err());
        assert!(s.label("graduation_term", "2026-13").is_err());
        assert!(s.label("class_year", "twenty").is_err());
    }

    /// On every day for years around the reference day: the past stays on or before
    /// today, the future stays after it, history stays before what builds on it, and the
    /// cohort windows keep their place.
    #[test]
    fn on_any_day_the_past_stays_past_and_the_future_ahead() {
        let r = day(REFERENCE);
        let pasts = [r, r - Duration::days(1), r - Duration::days(400), day("2025-12-31"), day("2024-02-29")];
        let futures = [r + Duration::days(1), r + Duration::days(3), r + Duration::days(100)];
        for offset in -800..3000 {
            let today = r + Duration::days(offset);
            let s = Shift::between(r, today);
            let anniversary = add_years(r, s.years);
            assert!(anniversary <= today && today < add_years(r, s.years + 1), "{today}: whole years");
            let elapsed = (today - r).num_days();
            assert!(s.current_days <= elapsed && elapsed <= s.future_days, "{today}: {s:?}");
            assert!(s.current_days >= (anniversary - r).num_days(), "{today}: current after history");
            assert_eq!(s.future_days % 7, 0, "{today}");
            assert!(s.current_days % 7 == 0 || s.current_days == (anniversary - r).num_days(), "{today}");
            for p in pasts {
                for current in [false, true] {
                    assert!(s.date(r, current, p) <= today, "{today}: {p} (current: {current}) lands after today");
                }
                assert!(s.date(r, false, p) <= s.date(r, true, p), "{today}: history moves no further than current");
            }
            for f in futures {
                assert!(s.date(r, false, f) > today && s.date(r, true, f) > today, "{today}: {f} falls behind");
            }
            // A class of 2026 outcome known on December 31, 2026 at the latest stays in its window.
            let dec31 = day("2025-12-31");
            assert_eq!(s.date(r, false, dec31), NaiveDate::from_ymd_opt(2025 + s.years, 12, 31).unwrap());
        }
    }

    #[test]
    fn times_move_on_the_campus_wall_clock() {
        let clock = Clock::system(chrono_tz::America::New_York);
        let r = day(REFERENCE);
        // A session at 9:30 AM EST on Feb 17, 2027, moved 17 weeks into June, is at 9:30 AM EDT.
        let s = Shift { years: 0, current_days: 112, future_days: 119 };
        let at = day("2027-02-17").and_hms_opt(14, 30, 0).unwrap();
        assert_eq!(s.timestamp(r, true, &clock, at), day("2027-06-16").and_hms_opt(13, 30, 0).unwrap());
        // A past time of a history row moves by whole years, at the same campus time.
        let s = Shift::between(r, day("2031-03-10"));
        let past = day("2025-07-01").and_hms_opt(16, 0, 0).unwrap();
        assert_eq!(s.timestamp(r, false, &clock, past), day("2029-07-01").and_hms_opt(16, 0, 0).unwrap());
    }
}
