//! A fair's figures, pure arithmetic over per-session counts: the rows of the
//! `fair-attendance` report (DESIGN §4) and the counselor's overview per employer, which
//! is summed from those same rows, so the page and the file never disagree.
//!
//! The rules:
//! - **fill rate** = registered ÷ capacity;
//! - **attendance rate** = attended ÷ registered, over sessions that have **ended** (a
//!   session still to come has no attendance yet);
//! - **no-show** = registered, not attended, session ended;
//! - a rate with a zero denominator is empty (never 0 or 100%); rates are decimals with 4
//!   places, rounded half up in integer arithmetic (2/3 = "0.6667").
//!
//! Waitlisted students are the demand beyond the seats ("waitlist demand"); they are not
//! registered and never count as no-shows.

use chrono::NaiveDateTime;

use super::rules::SessionKind;

/// The `fair-attendance` report's columns, in DESIGN's order.
pub const COLUMNS: [&str; 11] = [
    "fair",
    "employer",
    "session",
    "kind",
    "starts_at",
    "capacity",
    "registered",
    "waitlisted",
    "attended",
    "no_shows",
    "attendance_rate",
];

/// One scheduled session's counts, as the store reads them (one query for them all).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionFigures {
    pub fair: String,
    pub employer: String,
    pub session: String,
    pub kind: SessionKind,
    pub starts_at: NaiveDateTime,
    pub capacity: i64,
    pub registered: i64,
    pub waitlisted: i64,
    /// Registered students who joined (or were marked as attended).
    pub attended: i64,
    /// Whether the session has ended (at the moment the figures were read).
    pub ended: bool,
}

impl SessionFigures {
    /// Registered students who never came, once the session has ended.
    pub fn no_shows(&self) -> i64 {
        if self.ended {
            (self.registered - self.attended).max(0)
        } else {
            0
        }
    }

    pub fn fill_rate(&self) -> Option<String> {
        rate(self.registered, self.capacity)
    }

    /// Attended ÷ registered once ended; empty before, and when no one registered.
    pub fn attendance_rate(&self) -> Option<String> {
        if self.ended {
            rate(self.attended, self.registered)
        } else {
            None
        }
    }

    /// The report's row, in [`COLUMNS`] order (times ISO 8601 in UTC, kinds as stored).
    pub fn row(&self) -> Vec<String> {
        vec![
            self.fair.clone(),
            self.employer.clone(),
            self.session.clone(),
            self.kind.as_str().to_owned(),
            self.starts_at.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            self.capacity.to_string(),
            self.registered.to_string(),
            self.waitlisted.to_string(),
            self.attended.to_string(),
            self.no_shows().to_string(),
            self.attendance_rate().unwrap_or_default(),
        ]
    }
}

/// `numerator ÷ denominator` as a decimal with 4 places (half up), or `None` when the
/// denominator is zero (or negative, which counts never are).
pub fn rate(numerator: i64, denominator: i64) -> Option<String> {
    if denominator <= 0 || numerator < 0 {
        return None;
    }
    let (n, d) = (numerator as u128, denominator as u128);
    let scaled = (n * 20_000 + d) / (2 * d);
    Some(format!("{}.{:04}", scaled / 10_000, scaled % 10_000))
}

/// A rate as people read it: "0.7500" → "75%", "0.6667" → "66.67%"; empty stays empty.
pub fn percent(rate: Option<&str>) -> String {
    let Some(r) = rate else { return "—".to_owned() };
    let Some((whole, frac)) = r.split_once('.') else { return r.to_owned() };
    let hundredths: i64 = format!("{whole}{frac}").parse().unwrap_or(0);
    let (int, cents) = (hundredths / 100, hundredths % 100);
    if cents == 0 {
        format!("{int}%")
    } else if cents % 10 == 0 {
        format!("{int}.{}%", cents / 10)
    } else {
        format!("{int}.{cents:02}%")
    }
}

/// Figures summed over several sessions (an employer's, or the whole fair's).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Totals {
    pub sessions: i64,
    pub capacity: i64,
    pub registered: i64,
    pub waitlisted: i64,
    pub attended: i64,
    pub no_shows: i64,
    /// Registered students of the sessions that have ended: the attendance rate's denominator.
    pub registered_ended: i64,
    /// Attended students of the sessions that have ended.
    pub attended_ended: i64,
}

impl Totals {
    pub fn add(&mut self, s: &SessionFigures) {
        self.sessions += 1;
        self.capacity += s.capacity;
        self.registered += s.registered;
        self.waitlisted += s.waitlisted;
        self.attended += s.attended;
        self.no_shows += s.no_shows();
        if s.ended {
            self.registered_ended += s.registered;
            self.attended_ended += s.attended;
        }
    }

    pub fn fill_rate(&self) -> Option<String> {
        rate(self.registered, self.capacity)
    }

    pub fn attendance_rate(&self) -> Option<String> {
        rate(self.attended_ended, self.registered_ended)
    }
}

/// Per employer (in the order their first row comes), summed from the report's rows.
pub fn by_employer(rows: &[SessionFigures]) -> Vec<(String, Totals)> {
    let mut out: Vec<(String, Totals)> = Vec::new();
    // Each employer's place in `out`, so that thousands of sessions of thousands of
    // employers are summed in one pass (not one search of `out` per session).
    let mut place: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for r in rows {
        let i = *place.entry(r.employer.as_str()).or_insert_with(|| {
            out.push((r.employer.clone(), Totals::default()));
            out.len() - 1
        });
        out[i].1.add(r);
    }
    out.sort_by_key(|(e, _)| e.to_lowercase());
    out
}

/// The whole of the rows.
pub fn total(rows: &[SessionFigures]) -> Totals {
    let mut t = Totals::default();
    rows.iter().for_each(|r| t.add(r));
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[allow(clippy::too_many_arguments)]
    fn s(employer: &str, kind: SessionKind, cap: i64, reg: i64, wait: i64, att: i64, ended: bool) -> SessionFigures {
        SessionFigures {
            fair: "Spring Fair".into(),
            employer: employer.into(),
            session: format!("{employer} talk"),
            kind,
            starts_at: at("2027-02-17 18:00"),
            capacity: cap,
            registered: reg,
            waitlisted: wait,
            attended: att,
            ended,
        }
    }

    #[test]
    fn rates_have_four_places_half_up_and_are_empty_over_zero() {
        assert_eq!(rate(3, 4).as_deref(), Some("0.7500"));
        assert_eq!(rate(2, 3).as_deref(), Some("0.6667"));
        assert_eq!(rate(1, 3).as_deref(), Some("0.3333"));
        assert_eq!(rate(1, 8).as_deref(), Some("0.1250"));
        assert_eq!(rate(1, 16).as_deref(), Some("0.0625"));
        assert_eq!(rate(1, 32).as_deref(), Some("0.0313"), "0.03125 rounds half up");
        assert_eq!(rate(5, 5).as_deref(), Some("1.0000"));
        assert_eq!(rate(0, 5).as_deref(), Some("0.0000"));
        assert_eq!(rate(0, 0), None);
        assert_eq!(rate(3, 0), None);
        assert_eq!(percent(Some("0.7500")), "75%");
        assert_eq!(percent(Some("0.6667")), "66.67%");
        assert_eq!(percent(Some("0.1250")), "12.5%");
        assert_eq!(percent(Some("1.0000")), "100%");
        assert_eq!(percent(None), "—");
    }

    #[test]
    fn a_session_row_counts_no_shows_and_attendance_only_once_it_has_ended() {
        // 30 seats, 24 registered, 6 waiting, 18 came: 6 no-shows, 18/24 = 0.75.
        let ended = s("Brightpath", SessionKind::Group, 30, 24, 6, 18, true);
        assert_eq!(ended.no_shows(), 6);
        assert_eq!(ended.fill_rate().as_deref(), Some("0.8000"));
        assert_eq!(
            ended.row(),
            vec![
                "Spring Fair",
                "Brightpath",
                "Brightpath talk",
                "group",
                "2027-02-17T18:00:00Z",
                "30",
                "24",
                "6",
                "18",
                "6",
                "0.7500"
            ]
        );
        // Still to come: no one is a no-show yet and there is no attendance rate.
        let later = s("Brightpath", SessionKind::OneOnOne, 1, 1, 0, 0, false);
        assert_eq!(later.no_shows(), 0);
        assert_eq!(later.attendance_rate(), None);
        assert_eq!(later.row()[3], "one_on_one");
        assert_eq!(later.row()[10], "");
        // Ended with no one registered: the rate is empty, not 0.
        let empty = s("Harbor", SessionKind::Group, 10, 0, 0, 0, true);
        assert_eq!((empty.no_shows(), empty.attendance_rate()), (0, None));
        assert_eq!(empty.fill_rate().as_deref(), Some("0.0000"));
    }

    #[test]
    fn an_employer_s_figures_are_the_sums_of_its_rows() {
        let rows = vec![
            s("Harbor", SessionKind::Group, 20, 20, 5, 15, true),
            s("Brightpath", SessionKind::Group, 30, 24, 6, 18, true),
            s("Brightpath", SessionKind::OneOnOne, 1, 1, 0, 0, true),
            s("Brightpath", SessionKind::OneOnOne, 1, 1, 0, 1, true),
            s("Brightpath", SessionKind::OneOnOne, 1, 0, 0, 0, true),
            s("Brightpath", SessionKind::Group, 10, 4, 0, 0, false),
        ];
        let by = by_employer(&rows);
        assert_eq!(by.iter().map(|(e, _)| e.as_str()).collect::<Vec<_>>(), ["Brightpath", "Harbor"]);
        let b = &by[0].1;
        // Brightpath: 5 sessions, 43 seats, 30 registered (fill 30/43 = 0.6977), 6 waiting;
        // ended sessions had 26 registered of whom 19 came (0.7308), so 7 no-shows.
        assert_eq!((b.sessions, b.capacity, b.registered, b.waitlisted, b.attended, b.no_shows), (5, 43, 30, 6, 19, 7));
        assert_eq!(b.fill_rate().as_deref(), Some("0.6977"));
        assert_eq!(b.attendance_rate().as_deref(), Some("0.7308"));
        let h = &by[1].1;
        assert_eq!((h.fill_rate().as_deref(), h.attendance_rate().as_deref()), (Some("1.0000"), Some("0.7500")));
        assert_eq!(h.no_shows, 5);
        let all = total(&rows);
        assert_eq!((all.sessions, all.capacity, all.registered, all.no_shows), (6, 63, 50, 12));
        // 34 of 46 registered at ended sessions came.
        assert_eq!(all.attendance_rate().as_deref(), Some("0.7391"));
        assert_eq!(total(&[]).attendance_rate(), None);
    }
}
