//! How a class's knowledge rate rises, for the cohort page: the same rules as the
//! first-destination report ([`counting_outcome`]), asked at the end of each month. A
//! graduate is known at the end of a month when an outcome known by then (and by
//! December 31 of Y) exists, so the day they became known is the earliest `known_on` of
//! their outcomes that count. Pure functions, hand-checked below.

use chrono::{Datelike, NaiveDate};

use super::rules::{counting_outcome, counts_until, Known, Rate};

/// NACE's minimum knowledge rate for a first-destination report: 65%.
pub const NACE_MINIMUM_PERCENT: u64 = 65;

/// Whether a knowledge rate reaches NACE's 65% (exactly: 13/20 does, 64/99 does not).
pub fn meets_nace_minimum(rate: Option<Rate>) -> bool {
    rate.is_some_and(|r| r.numerator * 100 >= NACE_MINIMUM_PERCENT * r.denominator)
}

/// A rate in people's words, as a percentage with one decimal, rounded half up: 2/3 is
/// "66.7%", 13/20 "65.0%"; an empty denominator is "—".
pub fn percent(rate: Option<Rate>) -> String {
    match rate {
        None => "—".to_owned(),
        Some(r) => {
            let tenths = (r.numerator as u128 * 2000 + r.denominator as u128) / (2 * r.denominator as u128);
            format!("{}.{}%", tenths / 10, tenths % 10)
        }
    }
}

/// The day a graduate of the class of Y became known: the earliest `known_on` among their
/// outcomes known by December 31 of Y; `None` when they count as no information.
pub fn known_since(class: i32, outcomes: &[Known]) -> Option<NaiveDate> {
    counting_outcome(class, outcomes)?;
    let last = counts_until(class);
    outcomes.iter().map(|o| o.known_on).filter(|d| *d <= last).min()
}

/// One month's figure: graduates known by the end of `month` (its first day).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MonthFigure {
    pub month: NaiveDate,
    pub known: u64,
    #[serde(skip)]
    pub rate: Option<Rate>,
}

fn first_of_next(month: NaiveDate) -> NaiveDate {
    if month.month() == 12 {
        NaiveDate::from_ymd_opt(month.year() + 1, 1, 1).expect("January 1 exists")
    } else {
        NaiveDate::from_ymd_opt(month.year(), month.month() + 1, 1).expect("the first of a month exists")
    }
}

/// The class of Y's knowledge rate at the end of each month, from July of Y−1 (its first
/// graduation month) through December of Y (the last day an outcome counts), stopping at
/// `today`'s month. `graduates` is today's count; `known_since` holds each known
/// graduate's day (see [`known_since`]).
pub fn by_month(class: i32, graduates: u64, known_since: &[NaiveDate], today: NaiveDate) -> Vec<MonthFigure> {
    let mut days = known_since.to_vec();
    days.sort_unstable();
    let mut month = NaiveDate::from_ymd_opt(class - 1, 7, 1).expect("July 1 exists");
    let last = NaiveDate::from_ymd_opt(class, 12, 1).expect("December 1 exists");
    let mut out = Vec::new();
    while month <= last && month <= today {
        let next = first_of_next(month);
        let known = days.partition_point(|d| *d < next) as u64;
        out.push(MonthFigure { month, known, rate: Rate::of(known, graduates) });
        month = next;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outcomes::rules::Category;
    use chrono::TimeZone;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn known(primary: bool, on: NaiveDate) -> Known {
        Known {
            category: Category::EmployedFullTime,
            is_primary: primary,
            known_on: on,
            recorded_at: chrono::Utc.with_ymd_and_hms(2026, 1, 1, 9, 0, 0).unwrap(),
        }
    }

    #[test]
    fn a_graduate_is_known_from_their_earliest_outcome_that_counts() {
        // A primary known in March and another in January: known since January, though the
        // primary is the one that counts.
        assert_eq!(
            known_since(2026, &[known(true, day(2026, 3, 1)), known(false, day(2026, 1, 5))]),
            Some(day(2026, 1, 5))
        );
        // Known on January 1 of Y+1: too late, no information.
        assert_eq!(known_since(2026, &[known(true, day(2027, 1, 1))]), None);
        // December 31 counts; the later one is ignored.
        assert_eq!(
            known_since(2026, &[known(false, day(2027, 2, 1)), known(false, day(2026, 12, 31))]),
            Some(day(2026, 12, 31))
        );
        assert_eq!(known_since(2026, &[]), None);
    }

    #[test]
    fn the_rate_rises_month_by_month_to_today() {
        // 4 graduates; known since Aug 15 2025, Jan 31 2026 (end of January counts in
        // January), Feb 1 2026, and Dec 31 2026. Today is March 10, 2026.
        let days = [day(2025, 8, 15), day(2026, 1, 31), day(2026, 2, 1), day(2026, 12, 31)];
        let months = by_month(2026, 4, &days, day(2026, 3, 10));
        assert_eq!(months.len(), 9, "July 2025 … March 2026");
        assert_eq!(months[0], MonthFigure { month: day(2025, 7, 1), known: 0, rate: Rate::of(0, 4) });
        assert_eq!(months[1].known, 1, "August");
        assert_eq!(months[6].month, day(2026, 1, 1));
        assert_eq!(months[6].known, 2, "January: Aug 15 and Jan 31");
        assert_eq!(months[7].known, 3, "February");
        assert_eq!(months[8].known, 3, "March: Dec 31 is not yet");
        // A year later the table stops at December of Y: 18 months, the last with all 4.
        let months = by_month(2026, 4, &days, day(2027, 6, 1));
        assert_eq!(months.len(), 18);
        assert_eq!(months[17], MonthFigure { month: day(2026, 12, 1), known: 4, rate: Rate::of(4, 4) });
        // No graduates: no rate.
        assert_eq!(by_month(2026, 0, &[], day(2025, 7, 2))[0].rate, None);
    }

    #[test]
    fn nace_minimum_and_percentages() {
        assert!(meets_nace_minimum(Rate::of(13, 20)), "65.0% reaches it");
        assert!(!meets_nace_minimum(Rate::of(64, 99)), "64.6% does not");
        assert!(!meets_nace_minimum(None));
        assert_eq!(percent(Rate::of(2, 3)), "66.7%");
        assert_eq!(percent(Rate::of(13, 20)), "65.0%");
        assert_eq!(percent(Rate::of(1, 8)), "12.5%");
        assert_eq!(percent(Rate::of(0, 5)), "0.0%");
        assert_eq!(percent(None), "—");
    }
}
