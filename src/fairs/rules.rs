//! The fairs' pure decisions: the statuses and their moves, the forms a counselor and a
//! recruiter fill in (checked field by field, every problem at once), the fair's window,
//! overlap, one-on-one slot generation, where a registration lands (a seat or the
//! waitlist), the join link's window, and the term a no-show counts in. No I/O: campus
//! times are turned into stored UTC through the campus clock's zone only.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};

use crate::core::{Clock, Error, Problems};

crate::core::text_enum! {
    /// Where a fair stands: a draft only the office sees, published (employers join,
    /// students register), closed (kept as history).
    pub enum FairStatus: "fair status" {
        Draft => "draft", "Draft";
        Published => "published", "Published";
        Closed => "closed", "Closed";
    }
}

crate::core::text_enum! {
    /// A session with many seats, or one student's slot of a one-on-one series.
    pub enum SessionKind: "session kind" {
        Group => "group", "Group session";
        OneOnOne => "one_on_one", "One-on-one";
    }
}

crate::core::text_enum! {
    pub enum SessionStatus: "session status" {
        Scheduled => "scheduled", "Scheduled";
        Cancelled => "cancelled", "Cancelled";
    }
}

crate::core::text_enum! {
    pub enum RegistrationStatus: "registration status" {
        Registered => "registered", "Registered";
        Waitlisted => "waitlisted", "On the waitlist";
        Cancelled => "cancelled", "Cancelled";
    }
}

crate::core::text_enum! {
    /// An employer's part in a fair: waiting for the office's approval, or decided.
    pub enum ParticipationStatus: "participation status" {
        Pending => "pending", "Waiting for approval";
        Approved => "approved", "Taking part";
        Declined => "declined", "Declined";
    }
}

/// The fair's moves: a draft is published, a published fair is closed. Nothing else.
pub fn fair_move(from: FairStatus, to: FairStatus) -> Result<(), String> {
    match (from, to) {
        (FairStatus::Draft, FairStatus::Published) | (FairStatus::Published, FairStatus::Closed) => Ok(()),
        _ => Err(format!("a fair that is {} cannot become {}", from.label().to_lowercase(), to.label().to_lowercase())),
    }
}

/// How many day rows the fair form offers.
pub const FAIR_DAYS: usize = 3;

/// The fair form as typed: name, description, approval, and up to three days, each a
/// campus date with start and end times ("14:30").
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct FairForm {
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub requires_approval: Option<String>,
    #[serde(default)]
    pub day1_date: String,
    #[serde(default)]
    pub day1_start: String,
    #[serde(default)]
    pub day1_end: String,
    #[serde(default)]
    pub day2_date: String,
    #[serde(default)]
    pub day2_start: String,
    #[serde(default)]
    pub day2_end: String,
    #[serde(default)]
    pub day3_date: String,
    #[serde(default)]
    pub day3_start: String,
    #[serde(default)]
    pub day3_end: String,
}

impl FairForm {
    fn day(&self, n: usize) -> (&str, &str, &str) {
        match n {
            1 => (&self.day1_date, &self.day1_start, &self.day1_end),
            2 => (&self.day2_date, &self.day2_start, &self.day2_end),
            _ => (&self.day3_date, &self.day3_start, &self.day3_end),
        }
    }
}

/// A stored span: start and end as UTC timestamps.
pub type Span = (NaiveDateTime, NaiveDateTime);

/// A checked fair: its days in UTC, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FairPlan {
    pub name: String,
    pub description: String,
    pub requires_approval: bool,
    pub days: Vec<Span>,
}

/// "14:30" or "9:05" on the campus clock.
pub fn parse_time(raw: &str) -> Result<NaiveTime, String> {
    NaiveTime::parse_from_str(raw.trim(), "%H:%M").map_err(|_| "is not a time HH:MM (24-hour, like 14:30)".to_owned())
}

pub fn parse_date(raw: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").map_err(|_| "is not a date YYYY-MM-DD".to_owned())
}

fn required_text(problems: &mut Problems, field: &str, raw: &str, max: usize) -> String {
    let text = raw.trim();
    if text.is_empty() {
        problems.add(field, "is required");
    } else if text.chars().count() > max {
        problems.add(field, format!("is longer than {max} characters"));
    }
    text.to_owned()
}

/// A campus date and start/end times as a stored span, or the problems of its fields.
fn campus_span(
    problems: &mut Problems,
    clock: &Clock,
    (date_field, date): (&str, &str),
    (start_field, start): (&str, &str),
    (end_field, end): (&str, &str),
) -> Option<Span> {
    let date = problems.take(date_field, parse_date(date));
    let start = problems.take(start_field, parse_time(start));
    let end = problems.take(end_field, parse_time(end));
    let (date, start, end) = (date?, start?, end?);
    if end <= start {
        problems.add(end_field, "must be after the start time");
        return None;
    }
    Some((clock.campus_to_utc(date.and_time(start)), clock.campus_to_utc(date.and_time(end))))
}

/// Checks the fair form: a name, at least one day, each day whole (date, start, end),
/// its end after its start, no two days the same.
pub fn check_fair(form: &FairForm, clock: &Clock) -> Result<FairPlan, Error> {
    let mut problems = Problems::new();
    let name = required_text(&mut problems, "name", &form.name, 200);
    let description = form.description.trim().to_owned();
    if description.chars().count() > 4000 {
        problems.add("description", "is longer than 4000 characters");
    }
    let mut days: Vec<Span> = Vec::new();
    for n in 1..=FAIR_DAYS {
        let (date, start, end) = form.day(n);
        if n > 1 && [date, start, end].iter().all(|s| s.trim().is_empty()) {
            continue; // an unused row
        }
        let f = |part: &str| format!("day{n}_{part}");
        let (df, sf, ef) = (f("date"), f("start"), f("end"));
        if let Some(span) = campus_span(&mut problems, clock, (&df, date), (&sf, start), (&ef, end)) {
            if days.iter().any(|d| overlaps(*d, span)) {
                problems.add(df, "overlaps another day of the fair");
            } else {
                days.push(span);
            }
        }
    }
    days.sort();
    problems.finish(FairPlan { name, description, requires_approval: form.requires_approval.is_some(), days })
}

/// Whether two spans share a moment (touching ends do not).
pub fn overlaps(a: Span, b: Span) -> bool {
    a.0 < b.1 && b.0 < a.1
}

/// Whether a session lies wholly inside one of the fair's days.
pub fn within_window(days: &[Span], session: Span) -> bool {
    days.iter().any(|d| d.0 <= session.0 && session.1 <= d.1)
}

/// The group-session form as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct SessionForm {
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub date: String,
    pub start: String,
    pub end: String,
    pub capacity: String,
    pub meeting_url: String,
}

/// The one-on-one series form as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct SeriesForm {
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub date: String,
    pub start: String,
    pub end: String,
    pub slot_minutes: String,
    pub gap_minutes: String,
    pub meeting_url: String,
}

/// A checked session (or a series' span, with its slots generated).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionPlan {
    pub title: String,
    pub description: String,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub capacity: i32,
    pub meeting_url: String,
}

fn meeting_url(problems: &mut Problems, raw: &str) -> String {
    let raw = raw.trim();
    match url::Url::parse(raw) {
        Ok(u) if matches!(u.scheme(), "https" | "http") && u.host_str().is_some() => {}
        _ if raw.is_empty() => problems.add("meeting_url", "is required"),
        _ => problems.add("meeting_url", "is not a web address starting with https://"),
    }
    raw.to_owned()
}

fn whole_number(problems: &mut Problems, field: &str, raw: &str, range: std::ops::RangeInclusive<i32>) -> i32 {
    match raw.trim().parse::<i32>() {
        Ok(n) if range.contains(&n) => n,
        _ => {
            problems.add(field, format!("must be a whole number from {} to {}", range.start(), range.end()));
            *range.start()
        }
    }
}

/// Checks a group session's form (the window and overlaps are the store's, which knows
/// the fair and the host's other sessions).
pub fn check_session(form: &SessionForm, clock: &Clock) -> Result<SessionPlan, Error> {
    let mut problems = Problems::new();
    let title = required_text(&mut problems, "title", &form.title, 200);
    let description = form.description.trim().to_owned();
    let span = campus_span(&mut problems, clock, ("date", &form.date), ("start", &form.start), ("end", &form.end));
    let capacity = whole_number(&mut problems, "capacity", &form.capacity, 1..=1000);
    let meeting_url = meeting_url(&mut problems, &form.meeting_url);
    let (starts_at, ends_at) = span.unwrap_or_default();
    problems.finish(SessionPlan { title, description, starts_at, ends_at, capacity, meeting_url })
}

/// A checked series: the span it covers and the slots generated in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeriesPlan {
    pub session: SessionPlan,
    pub slots: Vec<Span>,
}

/// Checks a one-on-one series' form and generates its slots.
pub fn check_series(form: &SeriesForm, clock: &Clock) -> Result<SeriesPlan, Error> {
    let mut problems = Problems::new();
    let title = required_text(&mut problems, "title", &form.title, 200);
    let description = form.description.trim().to_owned();
    let span = campus_span(&mut problems, clock, ("date", &form.date), ("start", &form.start), ("end", &form.end));
    let slot = whole_number(&mut problems, "slot_minutes", &form.slot_minutes, 10..=30);
    let gap = whole_number(&mut problems, "gap_minutes", &form.gap_minutes, 0..=15);
    let meeting_url = meeting_url(&mut problems, &form.meeting_url);
    let (starts_at, ends_at) = span.unwrap_or_default();
    let slots = if problems.is_empty() { slots(starts_at, ends_at, slot, gap) } else { Vec::new() };
    if problems.is_empty() && slots.is_empty() {
        problems.add("end", format!("leaves no room for one {slot}-minute slot"));
    }
    let session = SessionPlan { title, description, starts_at, ends_at, capacity: 1, meeting_url };
    problems.finish(SeriesPlan { session, slots })
}

/// The slots of a series: `slot` minutes each, `gap` minutes apart, from `start`; the
/// last ends at or before `end` (time left over stays unused).
pub fn slots(start: NaiveDateTime, end: NaiveDateTime, slot: i32, gap: i32) -> Vec<Span> {
    let (slot, gap) = (Duration::minutes(slot.max(1).into()), Duration::minutes(gap.max(0).into()));
    let mut out = Vec::new();
    let mut at = start;
    while at + slot <= end {
        out.push((at, at + slot));
        at = at + slot + gap;
    }
    out
}

/// Where a new registration lands: a seat while seats are free, else the end of the
/// waitlist (one-on-one slots keep no waitlist: a taken slot is taken).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    Seat,
    Waitlist(i32),
}

pub fn placement(
    kind: SessionKind,
    registered: i64,
    capacity: i32,
    last_position: Option<i32>,
) -> Result<Placement, String> {
    if registered < i64::from(capacity) {
        return Ok(Placement::Seat);
    }
    match kind {
        SessionKind::OneOnOne => Err("this slot is already taken; choose another".into()),
        SessionKind::Group => Ok(Placement::Waitlist(last_position.unwrap_or(0) + 1)),
    }
}

/// How long before the start the join link opens.
pub const JOIN_OPENS_BEFORE_MINUTES: i64 = 10;

/// The join link's state at `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JoinWindow {
    /// Not yet: it opens at this instant.
    NotYet(NaiveDateTime),
    Open,
    Ended,
}

pub fn join_window(starts_at: NaiveDateTime, ends_at: NaiveDateTime, now: NaiveDateTime) -> JoinWindow {
    let opens = starts_at - Duration::minutes(JOIN_OPENS_BEFORE_MINUTES);
    if now < opens {
        JoinWindow::NotYet(opens)
    } else if now < ends_at {
        JoinWindow::Open
    } else {
        JoinWindow::Ended
    }
}

/// The academic term a campus date falls in, as `[first day, day after the last)`:
/// spring January–May, summer June–August, fall September–December.
pub fn term_of(date: NaiveDate) -> (NaiveDate, NaiveDate, String) {
    let y = date.year();
    let d = |y: i32, m: u32| NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(date);
    match date.month() {
        1..=5 => (d(y, 1), d(y, 6), format!("Spring {y}")),
        6..=8 => (d(y, 6), d(y, 9), format!("Summer {y}")),
        _ => (d(y, 9), d(y + 1, 1), format!("Fall {y}")),
    }
}

/// Whether a student with `no_shows` this term may still register.
pub fn may_register(no_shows: i64, limit: u32) -> Result<(), String> {
    if no_shows >= i64::from(limit) {
        Err(format!(
            "you missed {no_shows} sessions you had registered for this term (the limit is {limit}), so new \
             registrations are paused until the career office clears them; please contact the career office"
        ))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clock() -> Clock {
        Clock::system(chrono_tz::America::New_York)
    }

    fn t(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn slots_fill_the_span_with_gaps_and_drop_what_does_not_fit() {
        let s = slots(t("2027-02-17 14:00"), t("2027-02-17 15:00"), 20, 0);
        assert_eq!(
            s,
            vec![
                (t("2027-02-17 14:00"), t("2027-02-17 14:20")),
                (t("2027-02-17 14:20"), t("2027-02-17 14:40")),
                (t("2027-02-17 14:40"), t("2027-02-17 15:00")),
            ]
        );
        // With a 5-minute gap only two fit in the hour (the last would end at 15:10).
        let s = slots(t("2027-02-17 14:00"), t("2027-02-17 15:00"), 20, 5);
        assert_eq!(
            s,
            vec![(t("2027-02-17 14:00"), t("2027-02-17 14:20")), (t("2027-02-17 14:25"), t("2027-02-17 14:45")),]
        );
        // A span exactly one slot long has one; shorter has none.
        assert_eq!(slots(t("2027-02-17 14:00"), t("2027-02-17 14:10"), 10, 15).len(), 1);
        assert!(slots(t("2027-02-17 14:00"), t("2027-02-17 14:09"), 10, 0).is_empty());
    }

    fn series(start: &str, end: &str, slot: &str, gap: &str) -> SeriesForm {
        SeriesForm {
            title: "Portfolio reviews".into(),
            description: String::new(),
            date: "2027-02-17".into(),
            start: start.into(),
            end: end.into(),
            slot_minutes: slot.into(),
            gap_minutes: gap.into(),
            meeting_url: "https://meet.example.com/r".into(),
        }
    }

    #[test]
    fn a_series_checks_its_lengths_and_says_when_no_slot_fits() {
        let plan = check_series(&series("09:00", "10:00", "30", "0"), &clock()).unwrap();
        // 9:00 EST is 14:00 UTC.
        assert_eq!(
            plan.slots,
            vec![(t("2027-02-17 14:00"), t("2027-02-17 14:30")), (t("2027-02-17 14:30"), t("2027-02-17 15:00"))]
        );
        let Err(Error::Invalid(p)) = check_series(&series("09:00", "10:00", "9", "16"), &clock()) else { panic!() };
        assert_eq!(p.fields(), vec!["slot_minutes", "gap_minutes"]);
        let Err(Error::Invalid(p)) = check_series(&series("09:00", "09:15", "20", "0"), &clock()) else { panic!() };
        assert_eq!(p.to_string(), "end: leaves no room for one 20-minute slot");
        let Err(Error::Invalid(p)) = check_series(&series("10:00", "09:00", "twenty", "0"), &clock()) else { panic!() };
        assert_eq!(p.fields(), vec!["end", "slot_minutes"]);
    }

    #[test]
    fn overlap_is_a_shared_moment_and_touching_ends_are_not() {
        let a = (t("2027-02-17 14:00"), t("2027-02-17 15:00"));
        assert!(overlaps(a, (t("2027-02-17 14:59"), t("2027-02-17 16:00"))));
        assert!(overlaps(a, (t("2027-02-17 14:10"), t("2027-02-17 14:20"))), "inside");
        assert!(overlaps((t("2027-02-17 13:00"), t("2027-02-17 16:00")), a), "around");
        assert!(!overlaps(a, (t("2027-02-17 15:00"), t("2027-02-17 16:00"))), "back to back");
        assert!(!overlaps(a, (t("2027-02-17 12:00"), t("2027-02-17 14:00"))));
    }

    #[test]
    fn a_session_must_lie_inside_one_day_of_the_fair() {
        let days = [(t("2027-02-17 14:00"), t("2027-02-17 22:00")), (t("2027-02-18 14:00"), t("2027-02-18 22:00"))];
        assert!(within_window(&days, (t("2027-02-17 14:00"), t("2027-02-17 22:00"))), "the whole day");
        assert!(within_window(&days, (t("2027-02-18 15:00"), t("2027-02-18 15:30"))));
        assert!(!within_window(&days, (t("2027-02-17 13:30"), t("2027-02-17 14:30"))), "starts before");
        assert!(!within_window(&days, (t("2027-02-17 21:30"), t("2027-02-18 14:30"))), "spans the night");
        assert!(!within_window(&[], (t("2027-02-17 15:00"), t("2027-02-17 15:30"))));
    }

    #[test]
    fn the_fair_form_names_each_day_field_and_skips_empty_rows() {
        let form = FairForm {
            name: "Spring Fair".into(),
            day1_date: "2027-02-17".into(),
            day1_start: "09:00".into(),
            day1_end: "17:00".into(),
            day3_date: "2027-02-16".into(),
            day3_start: "10:00".into(),
            day3_end: "12:00".into(),
            ..FairForm::default()
        };
        let plan = check_fair(&form, &clock()).unwrap();
        assert_eq!(
            plan.days,
            vec![(t("2027-02-16 15:00"), t("2027-02-16 17:00")), (t("2027-02-17 14:00"), t("2027-02-17 22:00"))]
        );
        let bad = FairForm {
            name: " ".into(),
            day1_date: "17/02/2027".into(),
            day1_start: "9am".into(),
            day1_end: "17:00".into(),
            day2_date: "2027-02-18".into(),
            day2_start: "12:00".into(),
            day2_end: "11:00".into(),
            ..FairForm::default()
        };
        let Err(Error::Invalid(p)) = check_fair(&bad, &clock()) else { panic!() };
        assert_eq!(p.fields(), vec!["name", "day1_date", "day1_start", "day2_end"]);
        let none = FairForm { name: "X".into(), ..FairForm::default() };
        let Err(Error::Invalid(p)) = check_fair(&none, &clock()) else { panic!() };
        assert_eq!(p.fields(), vec!["day1_date", "day1_start", "day1_end"], "the first day is required");
    }

    #[test]
    fn seats_first_then_the_end_of_the_waitlist_and_one_on_one_slots_keep_none() {
        assert_eq!(placement(SessionKind::Group, 9, 10, None), Ok(Placement::Seat));
        assert_eq!(placement(SessionKind::Group, 10, 10, None), Ok(Placement::Waitlist(1)));
        assert_eq!(placement(SessionKind::Group, 10, 10, Some(7)), Ok(Placement::Waitlist(8)));
        assert_eq!(placement(SessionKind::OneOnOne, 0, 1, None), Ok(Placement::Seat));
        assert!(placement(SessionKind::OneOnOne, 1, 1, None).is_err());
    }

    #[test]
    fn the_join_link_opens_ten_minutes_before_and_closes_at_the_end() {
        let (s, e) = (t("2027-02-17 14:00"), t("2027-02-17 14:45"));
        assert_eq!(join_window(s, e, t("2027-02-17 13:49")), JoinWindow::NotYet(t("2027-02-17 13:50")));
        assert_eq!(join_window(s, e, t("2027-02-17 13:50")), JoinWindow::Open);
        assert_eq!(join_window(s, e, t("2027-02-17 14:44")), JoinWindow::Open);
        assert_eq!(join_window(s, e, t("2027-02-17 14:45")), JoinWindow::Ended);
    }

    #[test]
    fn terms_and_the_no_show_limit() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(term_of(d("2027-02-17")), (d("2027-01-01"), d("2027-06-01"), "Spring 2027".into()));
        assert_eq!(term_of(d("2027-07-04")).2, "Summer 2027");
        assert_eq!(term_of(d("2027-12-31")), (d("2027-09-01"), d("2028-01-01"), "Fall 2027".into()));
        assert!(may_register(1, 2).is_ok());
        let why = may_register(2, 2).unwrap_err();
        assert!(why.contains("missed 2 sessions") && why.contains("limit is 2"), "{why}");
    }

    #[test]
    fn fairs_move_forward_only() {
        assert!(fair_move(FairStatus::Draft, FairStatus::Published).is_ok());
        assert!(fair_move(FairStatus::Published, FairStatus::Closed).is_ok());
        assert!(fair_move(FairStatus::Closed, FairStatus::Published).is_err());
        assert!(fair_move(FairStatus::Draft, FairStatus::Closed).is_err());
    }
}
