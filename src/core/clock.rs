//! The campus clock: the one source of "now" and "today" for every rule, periodic task
//! and page. Campus dates (an apply-by date, "today") are dates in the campus time zone
//! (`WAYPOINT_TIMEZONE`); stored timestamps stay UTC. Tests fix the clock (and move it)
//! instead of waiting for real time to pass.

use std::fmt;
use std::sync::{Arc, RwLock};

use chrono::{DateTime, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

/// Where the instant comes from: the system, or a value a test set.
#[derive(Clone)]
enum Source {
    System,
    Fixed(Arc<RwLock<DateTime<Utc>>>),
}

/// The campus clock. Cheap to clone; clones of a fixed clock share its instant, so a test
/// that moves its clock moves the running application's too.
#[derive(Clone)]
pub struct Clock {
    zone: Tz,
    source: Source,
}

impl fmt::Debug for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.source {
            Source::System => write!(f, "Clock(system, {})", self.zone),
            Source::Fixed(_) => write!(f, "Clock(fixed at {}, {})", self.now(), self.zone),
        }
    }
}

impl Clock {
    /// Real time, in the campus zone.
    pub fn system(zone: Tz) -> Clock {
        Clock { zone, source: Source::System }
    }

    /// A clock that stands at `at` until it is set or advanced.
    pub fn fixed(zone: Tz, at: DateTime<Utc>) -> Clock {
        Clock { zone, source: Source::Fixed(Arc::new(RwLock::new(at))) }
    }

    /// A fixed clock at a campus wall-clock time, e.g. `("2027-02-16", "19:30")`.
    /// Panics on a malformed literal: for tests and tools that spell times by hand.
    pub fn fixed_at_campus(zone: Tz, date: &str, time: &str) -> Clock {
        let d = NaiveDate::parse_from_str(date, "%Y-%m-%d").expect("campus date YYYY-MM-DD");
        let t = NaiveTime::parse_from_str(time, "%H:%M").expect("campus time HH:MM");
        let probe = Clock::system(zone);
        Clock::fixed(zone, probe.campus_to_utc(d.and_time(t)).and_utc())
    }

    pub fn zone(&self) -> Tz {
        self.zone
    }

    /// Now, as an instant.
    pub fn now(&self) -> DateTime<Utc> {
        match &self.source {
            Source::System => Utc::now(),
            Source::Fixed(at) => *at.read().unwrap_or_else(|e| e.into_inner()),
        }
    }

    /// Now, as the UTC timestamp the database stores.
    pub fn now_utc(&self) -> NaiveDateTime {
        self.now().naive_utc()
    }

    /// Now on the campus wall clock.
    pub fn now_campus(&self) -> DateTime<Tz> {
        self.now().with_timezone(&self.zone)
    }

    /// Today's date on campus (not the UTC date: at 7 pm in New York it is already
    /// tomorrow in UTC).
    pub fn today(&self) -> NaiveDate {
        self.now_campus().date_naive()
    }

    /// Moves a fixed clock to `at`. A system clock cannot be moved (no-op).
    pub fn set(&self, at: DateTime<Utc>) {
        if let Source::Fixed(cell) = &self.source {
            *cell.write().unwrap_or_else(|e| e.into_inner()) = at;
        }
    }

    /// Moves a fixed clock forward (or back, with a negative duration).
    pub fn advance(&self, by: Duration) {
        if let Source::Fixed(cell) = &self.source {
            let mut at = cell.write().unwrap_or_else(|e| e.into_inner());
            *at += by;
        }
    }

    /// A stored UTC timestamp on the campus wall clock.
    pub fn to_campus(&self, utc: NaiveDateTime) -> DateTime<Tz> {
        self.zone.from_utc_datetime(&utc)
    }

    /// A campus wall-clock time as the UTC timestamp to store. In the autumn hour that
    /// happens twice the earlier one is taken; a time skipped in spring is moved on by the
    /// hour that was skipped (what a calendar does).
    pub fn campus_to_utc(&self, campus: NaiveDateTime) -> NaiveDateTime {
        match self.zone.from_local_datetime(&campus) {
            LocalResult::Single(t) => t.naive_utc(),
            LocalResult::Ambiguous(earlier, _) => earlier.naive_utc(),
            LocalResult::None => match self.zone.from_local_datetime(&(campus + Duration::hours(1))) {
                LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => t.naive_utc(),
                LocalResult::None => campus,
            },
        }
    }

    /// The UTC instant at which a campus date begins (its midnight on campus).
    pub fn start_of_campus_day(&self, date: NaiveDate) -> NaiveDateTime {
        self.campus_to_utc(date.and_time(NaiveTime::MIN))
    }

    /// The UTC instant at which a campus date ends (the next campus midnight).
    pub fn end_of_campus_day(&self, date: NaiveDate) -> NaiveDateTime {
        self.start_of_campus_day(date.succ_opt().unwrap_or(date))
    }

    /// The campus date of a stored UTC timestamp.
    pub fn campus_date_of(&self, utc: NaiveDateTime) -> NaiveDate {
        self.to_campus(utc).date_naive()
    }

    /// "Feb 17, 2027, 9:00 AM EST": a stored UTC timestamp as people on campus read it,
    /// with the zone named.
    pub fn format_datetime(&self, utc: NaiveDateTime) -> String {
        self.to_campus(utc).format("%b %-d, %Y, %-I:%M %p %Z").to_string()
    }

    /// "9:00 AM EST".
    pub fn format_time(&self, utc: NaiveDateTime) -> String {
        self.to_campus(utc).format("%-I:%M %p %Z").to_string()
    }
}

/// The real time, whatever the campus clock says: only for checking what another system
/// stamped with its own clock (an ID token's issue and expiry times), which a clock fixed
/// by a test or moved for the demo must not judge.
pub fn wall_clock() -> DateTime<Utc> {
    Utc::now()
}

/// "Feb 17, 2027": a campus date as people read it.
pub fn format_date(date: NaiveDate) -> String {
    date.format("%b %-d, %Y").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ny() -> Tz {
        "America/New_York".parse().unwrap()
    }

    #[test]
    fn today_is_the_campus_date_not_the_utc_date() {
        // 7:30 pm in New York on Feb 16 is already Feb 17 in UTC.
        let clock = Clock::fixed_at_campus(ny(), "2027-02-16", "19:30");
        assert_eq!(clock.now_utc().date(), NaiveDate::from_ymd_opt(2027, 2, 17).unwrap());
        assert_eq!(clock.today(), NaiveDate::from_ymd_opt(2027, 2, 16).unwrap());
    }

    #[test]
    fn times_are_shown_on_the_campus_clock_with_the_zone_named() {
        let clock = Clock::system(ny());
        let winter = NaiveDate::from_ymd_opt(2027, 2, 17).unwrap().and_hms_opt(14, 0, 0).unwrap();
        assert_eq!(clock.format_datetime(winter), "Feb 17, 2027, 9:00 AM EST");
        let summer = NaiveDate::from_ymd_opt(2027, 7, 1).unwrap().and_hms_opt(16, 5, 0).unwrap();
        assert_eq!(clock.format_datetime(summer), "Jul 1, 2027, 12:05 PM EDT");
        assert_eq!(clock.format_time(summer), "12:05 PM EDT");
        assert_eq!(format_date(NaiveDate::from_ymd_opt(2027, 3, 5).unwrap()), "Mar 5, 2027");
    }

    #[test]
    fn campus_days_begin_at_campus_midnight() {
        let clock = Clock::system(ny());
        let d = NaiveDate::from_ymd_opt(2027, 2, 16).unwrap();
        assert_eq!(clock.start_of_campus_day(d).to_string(), "2027-02-16 05:00:00");
        assert_eq!(clock.end_of_campus_day(d).to_string(), "2027-02-17 05:00:00");
        // The day daylight saving time begins is 23 hours long.
        let spring = NaiveDate::from_ymd_opt(2027, 3, 14).unwrap();
        assert_eq!(clock.end_of_campus_day(spring) - clock.start_of_campus_day(spring), Duration::hours(23));
    }

    #[test]
    fn skipped_and_repeated_hours_have_one_answer() {
        let clock = Clock::system(ny());
        // 2:30 am on Mar 14, 2027 does not exist in New York: it becomes 3:30 EDT.
        let skipped = NaiveDate::from_ymd_opt(2027, 3, 14).unwrap().and_hms_opt(2, 30, 0).unwrap();
        assert_eq!(clock.campus_to_utc(skipped).to_string(), "2027-03-14 07:30:00");
        // 1:30 am on Nov 7, 2027 happens twice: the first (EDT) is taken.
        let repeated = NaiveDate::from_ymd_opt(2027, 11, 7).unwrap().and_hms_opt(1, 30, 0).unwrap();
        assert_eq!(clock.campus_to_utc(repeated).to_string(), "2027-11-07 05:30:00");
    }

    #[test]
    fn a_fixed_clock_is_shared_by_its_clones_and_moves_when_told() {
        let clock = Clock::fixed_at_campus(ny(), "2027-02-16", "09:00");
        let app_side = clock.clone();
        clock.advance(Duration::hours(12));
        assert_eq!(app_side.today(), NaiveDate::from_ymd_opt(2027, 2, 16).unwrap());
        clock.advance(Duration::hours(3));
        assert_eq!(app_side.today(), NaiveDate::from_ymd_opt(2027, 2, 17).unwrap());
    }
}
