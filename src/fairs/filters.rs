//! The filters of a fair's sessions, as a student narrows the list on the fair's page:
//! by employer, by day, by campus time (starting from, ending by), by "on now" or
//! "later today", and by kind. Pure: the query as typed is checked field by field (a bad
//! time is named, the other filters still apply), then each session is matched.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};

use super::rules::{parse_date, parse_time, SessionKind};
use crate::core::{Clock, Problems};

/// The query string as typed (every field text, so anything comes back as it was).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct SessionQuery {
    #[serde(default)]
    pub employer: String,
    #[serde(default)]
    pub day: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub when: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub page: Option<String>,
}

/// Which part of the day, relative to now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum When {
    #[default]
    Any,
    /// Started and not yet ended.
    OnNow,
    /// Starting later on today's campus date.
    LaterToday,
}

/// The filters that were understood.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SessionFilter {
    pub employer: Option<String>,
    pub day: Option<NaiveDate>,
    pub from: Option<NaiveTime>,
    pub to: Option<NaiveTime>,
    pub when: When,
    pub kind: Option<SessionKind>,
}

/// One session as the filter sees it.
pub struct Candidate<'a> {
    pub employer_id: &'a str,
    pub kind: SessionKind,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
}

impl SessionQuery {
    /// Whether any filter is set (the page then says how many sessions match).
    pub fn is_set(&self) -> bool {
        [&self.employer, &self.day, &self.from, &self.to, &self.when, &self.kind].iter().any(|v| !v.trim().is_empty())
    }

    /// The filters understood, and the problems of those that were not (each by field).
    pub fn check(&self) -> (SessionFilter, Problems) {
        let mut problems = Problems::new();
        let text = |s: &str| Some(s.trim()).filter(|s| !s.is_empty()).map(str::to_owned);
        let day = text(&self.day).and_then(|d| problems.take("day", parse_date(&d)));
        let from = text(&self.from).and_then(|t| problems.take("from", parse_time(&t)));
        let mut to = text(&self.to).and_then(|t| problems.take("to", parse_time(&t)));
        if let (Some(f), Some(t)) = (from, to) {
            if t <= f {
                problems.add("to", "must be later than From");
                to = None;
            }
        }
        let when = match self.when.trim() {
            "" => When::Any,
            "now" => When::OnNow,
            "later_today" => When::LaterToday,
            _ => {
                problems.add("when", "choose on now or later today");
                When::Any
            }
        };
        let kind = match self.kind.trim() {
            "" => None,
            k => SessionKind::from_stored(k).or_else(|| {
                problems.add("kind", "choose group sessions or one-on-one");
                None
            }),
        };
        (SessionFilter { employer: text(&self.employer), day, from, to, when, kind }, problems)
    }
}

impl SessionFilter {
    /// Whether the session passes every filter (times on the campus clock).
    pub fn matches(&self, s: &Candidate<'_>, clock: &Clock, now: NaiveDateTime) -> bool {
        let (start, end) = (clock.to_campus(s.starts_at), clock.to_campus(s.ends_at));
        self.employer.as_deref().is_none_or(|e| e == s.employer_id)
            && self.kind.is_none_or(|k| k == s.kind)
            && self.day.is_none_or(|d| start.date_naive() == d)
            && self.from.is_none_or(|f| start.time() >= f)
            && self.to.is_none_or(|t| end.time() <= t && end.date_naive() == start.date_naive())
            && match self.when {
                When::Any => true,
                When::OnNow => s.starts_at <= now && now < s.ends_at,
                When::LaterToday => s.starts_at > now && start.date_naive() == clock.campus_date_of(now),
            }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    fn q(pairs: &[(&str, &str)]) -> SessionQuery {
        let text = serde_urlencoded::to_string(pairs).unwrap();
        serde_urlencoded::from_str(&text).unwrap()
    }

    fn clock() -> Clock {
        Clock::system(chrono_tz::America::New_York)
    }

    // 9:00–9:20 EST on Feb 17 is 14:00–14:20 UTC.
    fn slot(
        employer: &str,
        kind: SessionKind,
        start: &str,
        end: &str,
    ) -> (String, SessionKind, NaiveDateTime, NaiveDateTime) {
        (employer.to_owned(), kind, t(start), t(end))
    }

    fn kept(filter: &SessionFilter, now: &str) -> Vec<usize> {
        let all = [
            slot("a", SessionKind::OneOnOne, "2027-02-17 14:00", "2027-02-17 14:20"),
            slot("a", SessionKind::Group, "2027-02-17 18:00", "2027-02-17 19:00"),
            slot("b", SessionKind::Group, "2027-02-17 20:00", "2027-02-17 21:00"),
            slot("b", SessionKind::Group, "2027-02-18 15:00", "2027-02-18 16:00"),
        ];
        (0..all.len())
            .filter(|&i| {
                let (e, k, s, en) = &all[i];
                filter.matches(&Candidate { employer_id: e, kind: *k, starts_at: *s, ends_at: *en }, &clock(), t(now))
            })
            .collect()
    }

    #[test]
    fn each_filter_narrows_on_the_campus_clock() {
        let none = q(&[]).check();
        assert!(none.1.is_empty());
        assert_eq!(kept(&none.0, "2027-02-10 14:00"), [0, 1, 2, 3]);
        assert_eq!(kept(&q(&[("employer", "b")]).check().0, "2027-02-10 14:00"), [2, 3]);
        assert_eq!(kept(&q(&[("kind", "one_on_one")]).check().0, "2027-02-10 14:00"), [0]);
        assert_eq!(kept(&q(&[("day", "2027-02-18")]).check().0, "2027-02-10 14:00"), [3]);
        // From 13:00 campus time: the 13:00 and 15:00 sessions of the 17th, 10:00 of the 18th is earlier.
        assert_eq!(kept(&q(&[("from", "13:00")]).check().0, "2027-02-10 14:00"), [1, 2]);
        // Ending by 14:00: the 9:00 slot, the 13:00–14:00 talk, and the 10:00–11:00 of the 18th.
        assert_eq!(kept(&q(&[("to", "14:00")]).check().0, "2027-02-10 14:00"), [0, 1, 3]);
        assert_eq!(kept(&q(&[("from", "10:00"), ("to", "14:00")]).check().0, "2027-02-10 14:00"), [1, 3]);
        // At 13:30 on the 17th (18:30 UTC): on now is the 13:00 talk; later today the 15:00 one.
        assert_eq!(kept(&q(&[("when", "now")]).check().0, "2027-02-17 18:30"), [1]);
        assert_eq!(kept(&q(&[("when", "later_today")]).check().0, "2027-02-17 18:30"), [2]);
        assert!(q(&[("kind", "group"), ("page", "2")]).is_set());
        assert!(!q(&[("page", "2")]).is_set());
    }

    #[test]
    fn a_bad_filter_is_named_and_the_others_still_apply() {
        let (f, p) = q(&[("employer", "b"), ("from", "1pm"), ("when", "soon"), ("kind", "panel")]).check();
        assert_eq!(p.fields(), vec!["from", "when", "kind"]);
        assert_eq!((f.employer.as_deref(), f.from, f.when, f.kind), (Some("b"), None, When::Any, None));
        let (f, p) = q(&[("from", "14:00"), ("to", "13:00")]).check();
        assert_eq!(p.to_string(), "to: must be later than From");
        assert_eq!(f.to, None);
        assert!(f.from.is_some());
    }
}
