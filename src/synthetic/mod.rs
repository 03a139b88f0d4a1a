//! A synthetic university of N students (`waypoint seed --synthetic --students N`), for
//! measuring Waypoint at scale: every table in proportion (for 100,000 students, 5,000
//! employers, 40,000 postings, a million applications, ...), with the skew of a real
//! office (a few employers and postings get most of the attention), every record in a
//! state its area's rules allow, and dates around the campus's today, so that there are
//! open postings, an upcoming fair and graduated classes with their outcomes.
//!
//! Rows go in through the areas' own store functions (their `insert_many`, which the
//! one-row paths of the application share), many per statement, one transaction per
//! table group, generated a chunk at a time. The same N and seed give the same data, ids
//! included: every id and choice comes from one seeded generator per table group
//! (`StdRng::seed_from_u64`), never from the system's randomness. (Two exceptions: the
//! catalogue's tag rows, which the store's tag writer names itself, and the benchmark
//! recruiter's password hash, whose salt is fresh as every salt should be.) Dates are
//! placed relative to the campus's today, so the same data needs the same day too.
//!
//! It ends with the `bench-handle` lines the benchmark reads (see [`BenchHandles`]).

mod activity;
mod catalogue;
mod fairs;
mod people;
pub mod plan;
mod records;
mod words;

use std::fmt;
use std::time::Instant;

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::core::{Clock, Error, FairId, OpportunityId};
use crate::db::DbConnection;
use plan::{Cohort, Counts};

/// The password of the benchmark's recruiter (the only synthetic account with one).
pub const BENCH_PASSWORD: &str = "synthetic-bench-password";

/// The records the benchmark starts from, printed as `bench-handle key=value` lines.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BenchHandles {
    /// A student with exactly 50 applications.
    pub student_email: String,
    /// An open posting with at least N/50 applicants.
    pub posting_id: String,
    /// A recruiter of that posting's employer, with [`BENCH_PASSWORD`].
    pub recruiter_email: String,
    pub counselor_email: String,
    pub admin_email: String,
    /// An upcoming, published fair with at least 50 sessions open for registration.
    pub fair_id: String,
}

/// What was written: rows per table, in the order written, and the benchmark's handles.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub tables: Vec<(&'static str, usize)>,
    pub handles: BenchHandles,
    pub seconds: f64,
}

impl Report {
    pub fn count(&self, table: &str) -> usize {
        self.tables.iter().filter(|t| t.0 == table).map(|t| t.1).sum()
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (table, rows) in &self.tables {
            writeln!(f, "  {table:<26} {rows:>9}")?;
        }
        let total: usize = self.tables.iter().map(|t| t.1).sum();
        writeln!(f, "synthetic data: {total} rows in {:.1} s", self.seconds)?;
        let h = &self.handles;
        writeln!(f, "bench-handle student_email={}", h.student_email)?;
        writeln!(f, "bench-handle posting_id={}", h.posting_id)?;
        writeln!(f, "bench-handle recruiter_email={}", h.recruiter_email)?;
        writeln!(f, "bench-handle recruiter_password={BENCH_PASSWORD}")?;
        writeln!(f, "bench-handle counselor_email={}", h.counselor_email)?;
        writeln!(f, "bench-handle admin_email={}", h.admin_email)?;
        write!(f, "bench-handle fair_id={}", h.fair_id)
    }
}

/// The campus's day and the instant the data is built for, and how to place a record on
/// a campus day at a campus time.
pub(crate) struct Calendar<'a> {
    pub clock: &'a Clock,
    pub today: NaiveDate,
    pub now: NaiveDateTime,
}

impl Calendar<'_> {
    /// `day` at `minute` minutes after campus midnight, in UTC, never after now.
    pub fn at(&self, day: NaiveDate, minute: u32) -> NaiveDateTime {
        let time = NaiveTime::from_num_seconds_from_midnight_opt(minute.min(1_439) * 60, 0).unwrap_or_default();
        self.clock.campus_to_utc(day.and_time(time)).min(self.now)
    }

    /// `day` at a working-hours time (8 AM to 6 PM), never after now.
    pub fn during<R: Rng + ?Sized>(&self, rng: &mut R, day: NaiveDate) -> NaiveDateTime {
        self.at(day, rng.random_range(8 * 60..18 * 60))
    }

    /// `day` at exactly `minute` minutes after campus midnight, in UTC (for the future).
    pub fn planned(&self, day: NaiveDate, minute: u32) -> NaiveDateTime {
        let time = NaiveTime::from_num_seconds_from_midnight_opt(minute.min(1_439) * 60, 0).unwrap_or_default();
        self.clock.campus_to_utc(day.and_time(time))
    }

    pub fn days_ago(&self, days: i64) -> NaiveDate {
        self.today - Duration::days(days)
    }

    pub fn days_ahead(&self, days: i64) -> NaiveDate {
        self.today + Duration::days(days)
    }
}

/// A fresh id from the seeded generator (a version-4 UUID of its bytes).
pub(crate) fn uuid<R: Rng + ?Sized>(rng: &mut R) -> String {
    uuid::Builder::from_random_bytes(rng.random()).into_uuid().to_string()
}

/// The generator of one table group: its own stream of the seed, so that a change to one
/// group does not change the others.
pub(crate) fn stream(seed: u64, group: u64) -> StdRng {
    StdRng::seed_from_u64(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ group.wrapping_mul(0xD1B5_4A32_D192_ED03))
}

/// What later groups need of earlier ones: indexes into these lists are how records
/// name each other while they are built.
pub(crate) struct World {
    pub counts: Counts,
    pub cohorts: Vec<Cohort>,
    pub people: people::People,
    pub catalogue: catalogue::Catalogue,
    pub bench_posting: Option<OpportunityId>,
    pub bench_fair: Option<FairId>,
}

impl World {
    /// Students of current (not yet graduated) classes: a contiguous range of indexes.
    pub fn current_students(&self) -> std::ops::Range<usize> {
        let current: Vec<&Cohort> = self.cohorts.iter().filter(|c| !c.graduated).collect();
        current.first().map_or(0, |c| c.first)..current.last().map_or(0, |c| c.range().end)
    }

    pub fn graduated_students(&self) -> std::ops::Range<usize> {
        let done: Vec<&Cohort> = self.cohorts.iter().filter(|c| c.graduated).collect();
        done.first().map_or(0, |c| c.first)..done.last().map_or(0, |c| c.range().end)
    }

    pub fn cohort_of(&self, student: usize) -> &Cohort {
        self.cohorts.iter().find(|c| c.range().contains(&student)).unwrap_or(&self.cohorts[0])
    }
}

/// Fills an empty database with the synthetic university of `students` students for
/// `seed`, dated around `clock`'s today. A database that holds people or employers is
/// refused (nothing is written), as is a count below [`plan::MIN_STUDENTS`].
pub fn generate(conn: &mut DbConnection, clock: &Clock, students: usize, seed: u64) -> Result<Report, Error> {
    if students < plan::MIN_STUDENTS {
        return Err(Error::invalid(
            "students",
            format!("must be at least {} (the benchmark's handles need that many)", plan::MIN_STUDENTS),
        ));
    }
    if !crate::seed::database_is_empty(conn)? {
        return Err(Error::Conflict(
            "the database is not empty: the synthetic data set goes into an empty database only (make a new one)"
                .into(),
        ));
    }
    let started = Instant::now();
    let today = clock.today();
    let cal = Calendar { clock, today, now: clock.now_utc() };
    let counts = Counts::for_students(students);
    let mut report = Report::default();
    let people = people::write(conn, &cal, &counts, seed, &mut report)?;
    let mut world = World {
        counts,
        cohorts: plan::cohorts(students, today),
        people,
        catalogue: catalogue::Catalogue::default(),
        bench_posting: None,
        bench_fair: None,
    };
    people::write_students(conn, &cal, &mut world, seed, &mut report)?;
    world.catalogue = catalogue::write_partners(conn, &cal, &world, seed, &mut report)?;
    activity::write_applications(conn, &cal, &mut world, seed, &mut report)?;
    records::write_endorsements(conn, &cal, &world, seed, &mut report)?;
    records::write_outcomes(conn, &cal, &world, seed, &mut report)?;
    fairs::write(conn, &cal, &mut world, seed, &mut report)?;
    conn.refresh_statistics()?;
    let p = &world.people;
    report.handles = BenchHandles {
        student_email: p.student_emails[world.current_students().start].clone(),
        posting_id: world.bench_posting.as_ref().map(ToString::to_string).unwrap_or_default(),
        recruiter_email: world.catalogue.bench_recruiter_email.clone(),
        counselor_email: p.counselor_emails[0].clone(),
        admin_email: p.admin_emails[0].clone(),
        fair_id: world.bench_fair.as_ref().map(ToString::to_string).unwrap_or_default(),
    };
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}
