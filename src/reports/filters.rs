//! The reports' filters, read once from a query string or the command line's flags:
//! cohort (a class year), group_by (college or major, first-destination only), college,
//! employer (a catalogue employer's name), from and to (ISO dates). A bad filter is an
//! `Error::Invalid` keyed by the filter's name; a filter a report does not take is refused
//! the same way, so a typo never gives a silently different file.

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use crate::core::{Clock, Error, Problems};
use crate::db::DbConnection;

/// What the rows of a first-destination report are grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    College,
    Major,
}

impl GroupBy {
    pub fn as_str(self) -> &'static str {
        match self {
            GroupBy::College => "college",
            GroupBy::Major => "major",
        }
    }
}

/// A filter, by the name the query string and the command line give it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filter {
    Cohort,
    GroupBy,
    College,
    Employer,
    From,
    To,
}

impl Filter {
    pub fn as_str(self) -> &'static str {
        match self {
            Filter::Cohort => "cohort",
            Filter::GroupBy => "group_by",
            Filter::College => "college",
            Filter::Employer => "employer",
            Filter::From => "from",
            Filter::To => "to",
        }
    }
}

/// The filters as typed (`class` is the older name of `cohort`, still accepted).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct RawFilters {
    #[serde(skip_serializing)]
    pub class: Option<String>,
    pub cohort: Option<String>,
    pub group_by: Option<String>,
    pub college: Option<String>,
    pub employer: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
}

/// Checked filters. `employer_id` is filled by [`Filters::read`] from the employer's
/// name; the date bounds are campus dates (and, for timestamps, the UTC instants they
/// begin and end at on campus).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    pub cohort: Option<i32>,
    pub group_by: Option<GroupBy>,
    pub college: Option<String>,
    pub employer: Option<String>,
    pub employer_id: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// `from`'s campus midnight as UTC (for filters on stored timestamps).
    pub from_utc: Option<NaiveDateTime>,
    /// The campus midnight that ends `to`, as UTC.
    pub until_utc: Option<NaiveDateTime>,
}

fn given(raw: &Option<String>) -> Option<&str> {
    raw.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn year(raw: &str) -> Result<i32, String> {
    raw.parse::<i32>()
        .ok()
        .filter(|y| (1900..=9999).contains(y))
        .ok_or_else(|| format!("`{raw}` is not a year (e.g. 2026)"))
}

fn date(raw: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .map_err(|_| format!("`{raw}` is not a date (YYYY-MM-DD, e.g. 2026-09-01)"))
}

impl Filters {
    /// Checks every filter at once for `report`, which takes the filters in `accepts`
    /// (and needs a cohort when `needs_cohort`). Problems are keyed by the filter's name
    /// (`class` when the older name was used).
    pub fn parse(
        raw: &RawFilters,
        report: &str,
        accepts: &[Filter],
        needs_cohort: bool,
        clock: &Clock,
    ) -> Result<Filters, Error> {
        let mut problems = Problems::new();
        let mut f = Filters::default();
        let takes = |filter: Filter| accepts.contains(&filter);
        let refuse = |problems: &mut Problems, name: &str| {
            problems.add(name, format!("the {report} report is not filtered by {}", name.replace('_', " ")));
        };
        let (cohort_name, cohort_raw) = match (given(&raw.cohort), given(&raw.class)) {
            (Some(c), _) => ("cohort", Some(c)),
            (None, Some(c)) => ("class", Some(c)),
            (None, None) => ("cohort", None),
        };
        match cohort_raw {
            Some(_) if !takes(Filter::Cohort) => refuse(&mut problems, cohort_name),
            Some(c) => f.cohort = problems.take(cohort_name, year(c)),
            None if needs_cohort => {
                problems.add(cohort_name, format!("is required for the {report} report (a year, e.g. cohort=2026)"))
            }
            None => {}
        }
        match given(&raw.group_by) {
            Some(_) if !takes(Filter::GroupBy) => refuse(&mut problems, "group_by"),
            Some("college") => f.group_by = Some(GroupBy::College),
            Some("major") => f.group_by = Some(GroupBy::Major),
            Some(other) => problems.add("group_by", format!("`{other}` is not college or major")),
            None if takes(Filter::GroupBy) => f.group_by = Some(GroupBy::College),
            None => {}
        }
        for (filter, value, slot) in
            [(Filter::College, &raw.college, &mut f.college), (Filter::Employer, &raw.employer, &mut f.employer)]
        {
            match given(value) {
                Some(_) if !takes(filter) => refuse(&mut problems, filter.as_str()),
                Some(v) => *slot = Some(v.to_owned()),
                None => {}
            }
        }
        for (filter, value) in [(Filter::From, &raw.from), (Filter::To, &raw.to)] {
            match given(value) {
                Some(_) if !takes(filter) => refuse(&mut problems, filter.as_str()),
                Some(v) => {
                    let d = problems.take(filter.as_str(), date(v));
                    if filter == Filter::From {
                        f.from = d;
                    } else {
                        f.to = d;
                    }
                }
                None => {}
            }
        }
        if let (Some(from), Some(to)) = (f.from, f.to) {
            if to < from {
                problems.add("to", format!("{to} is before the from date ({from})"));
            }
        }
        problems.check()?;
        f.from_utc = f.from.map(|d| clock.start_of_campus_day(d));
        f.until_utc = f.to.map(|d| clock.end_of_campus_day(d));
        Ok(f)
    }

    /// [`Filters::parse`], and the employer filter's employer found in the catalogue (its
    /// name, case aside): an unknown name is a bad filter, never an empty file. The name is
    /// looked up whatever else is wrong, so every problem is told at once.
    pub fn read(
        conn: &mut DbConnection,
        raw: &RawFilters,
        report: &str,
        accepts: &[Filter],
        needs_cohort: bool,
        clock: &Clock,
    ) -> Result<Filters, Error> {
        let parsed = Filters::parse(raw, report, accepts, needs_cohort, clock);
        let employer = match given(&raw.employer).filter(|_| accepts.contains(&Filter::Employer)) {
            Some(name) => Some((name, crate::partners::store::employers::id_by_name(conn, name)?)),
            None => None,
        };
        match (parsed, employer) {
            (Ok(mut f), Some((_, Some(id)))) => {
                f.employer_id = Some(id.as_str().to_owned());
                Ok(f)
            }
            (Ok(f), None) => Ok(f),
            (parsed, Some((name, None))) => {
                let mut problems = match parsed {
                    Err(Error::Invalid(p)) => p,
                    Err(e) => return Err(e),
                    Ok(_) => Problems::new(),
                };
                problems.add("employer", format!("no employer in the catalogue is named `{name}`"));
                Err(Error::Invalid(problems))
            }
            (Err(e), _) => Err(e),
        }
    }

    /// The filters given, for the audit log.
    pub fn describe(&self) -> serde_json::Value {
        let mut m = serde_json::Map::new();
        let mut put = |k: &str, v: Option<String>| {
            if let Some(v) = v {
                m.insert(k.to_owned(), v.into());
            }
        };
        put("cohort", self.cohort.map(|c| c.to_string()));
        put("group_by", self.group_by.map(|g| g.as_str().to_owned()));
        put("college", self.college.clone());
        put("employer", self.employer.clone());
        put("from", self.from.map(|d| d.to_string()));
        put("to", self.to.map(|d| d.to_string()));
        serde_json::Value::Object(m)
    }

    /// The part of a file name that says the filters: `class-2026_by-college_college-Arts`.
    pub fn file_name_part(&self) -> String {
        let mut parts = Vec::new();
        if let Some(c) = self.cohort {
            parts.push(format!("class-{c}"));
        }
        if let Some(g) = self.group_by {
            parts.push(format!("by-{}", g.as_str()));
        }
        if let Some(c) = &self.college {
            parts.push(format!("college-{}", slug(c)));
        }
        if let Some(e) = &self.employer {
            parts.push(format!("employer-{}", slug(e)));
        }
        if let Some(d) = self.from {
            parts.push(format!("from-{d}"));
        }
        if let Some(d) = self.to {
            parts.push(format!("to-{d}"));
        }
        parts.join("_")
    }

    /// The graduation terms of the cohort filter's class as the reports count it on the
    /// campus date `today`: July of Y−1 to June of Y, and no later than this month (a
    /// later term has not graduated and is in no cohort yet).
    pub fn cohort_terms(&self, today: NaiveDate) -> Option<(String, String)> {
        self.cohort.map(|y| terms_of_class(y, today))
    }
}

/// The graduation terms (`YYYY-MM`, first and last) of the class of `class` that have
/// begun by `today`.
pub fn terms_of_class(class: i32, today: NaiveDate) -> (String, String) {
    let first = format!("{:04}-07", class - 1);
    let last = format!("{:04}-06", class).min(today.format("%Y-%m").to_string());
    (first, last)
}

/// The class of a graduation term as a report's `cohort` cell: empty while the
/// graduation month has not begun (or the term does not read).
pub fn cohort_cell(term: &str, today: NaiveDate) -> String {
    use crate::outcomes::rules::{class_of, has_graduated};
    match crate::students::rules::GraduationTerm::parse(term) {
        Ok(t) if has_graduated(t, today) => class_of(t).to_string(),
        _ => String::new(),
    }
}

/// Letters, digits and dashes only (a file name any system keeps).
fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_owned()
}

/// Applies the common student filters (cohort's terms, college) to a boxed query that
/// has `students` in it.
macro_rules! student_filters {
    ($q:expr, $f:expr, $today:expr) => {{
        let mut q = $q;
        if let Some((first, last)) = $f.cohort_terms($today) {
            q = q
                .filter($crate::db::schema::students::graduation_term.ge(first))
                .filter($crate::db::schema::students::graduation_term.le(last));
        }
        if let Some(college) = $f.college.clone() {
            q = q.filter($crate::db::schema::students::college.eq(college));
        }
        q
    }};
}
pub(crate) use student_filters;

#[cfg(test)]
mod tests {
    use super::*;

    fn clock() -> Clock {
        Clock::fixed_at_campus(chrono_tz::America::New_York, "2026-11-30", "12:00")
    }

    const ALL: [Filter; 6] =
        [Filter::Cohort, Filter::GroupBy, Filter::College, Filter::Employer, Filter::From, Filter::To];

    #[test]
    fn every_bad_filter_is_named() {
        let raw = RawFilters {
            cohort: Some("twenty".into()),
            group_by: Some("dean".into()),
            from: Some("2026-13-01".into()),
            to: Some("soon".into()),
            ..Default::default()
        };
        let Err(Error::Invalid(p)) = Filters::parse(&raw, "x", &ALL, false, &clock()) else { panic!("invalid") };
        assert_eq!(p.fields(), ["cohort", "group_by", "from", "to"]);
        let raw = RawFilters { from: Some("2026-09-02".into()), to: Some("2026-09-01".into()), ..Default::default() };
        let Err(Error::Invalid(p)) = Filters::parse(&raw, "x", &ALL, false, &clock()) else { panic!("invalid") };
        assert_eq!(p.fields(), ["to"]);
        // A filter the report does not take, and a missing cohort it needs.
        let raw = RawFilters { employer: Some("Acme".into()), ..Default::default() };
        let Err(Error::Invalid(p)) = Filters::parse(&raw, "endorsements", &[Filter::Cohort], true, &clock()) else {
            panic!("invalid")
        };
        assert_eq!(p.fields(), ["cohort", "employer"]);
    }

    #[test]
    fn good_filters_and_their_file_name() {
        let raw = RawFilters {
            class: Some("2026".into()),
            college: Some("Arts, Letters & Zoë".into()),
            from: Some("2026-01-01".into()),
            to: Some("2026-01-01".into()),
            ..Default::default()
        };
        let f = Filters::parse(&raw, "x", &ALL, true, &clock()).unwrap();
        assert_eq!((f.cohort, f.group_by), (Some(2026), Some(GroupBy::College)));
        assert_eq!(f.file_name_part(), "class-2026_by-college_college-Arts-Letters-Zo_from-2026-01-01_to-2026-01-01");
        // January 1 on campus (EST) is 05:00 UTC to 05:00 UTC the next day.
        assert_eq!(f.from_utc.unwrap().to_string(), "2026-01-01 05:00:00");
        assert_eq!(f.until_utc.unwrap().to_string(), "2026-01-02 05:00:00");
    }

    #[test]
    fn a_cohort_is_its_terms_up_to_this_month() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        assert_eq!(terms_of_class(2026, today), ("2025-07".into(), "2026-06".into()));
        assert_eq!(terms_of_class(2027, today), ("2026-07".into(), "2026-11".into()));
        assert_eq!(cohort_cell("2026-06", today), "2026");
        assert_eq!(cohort_cell("2026-07", today), "2027");
        assert_eq!(cohort_cell("2026-12", today), "");
    }
}
