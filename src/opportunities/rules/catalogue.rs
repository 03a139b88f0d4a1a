//! The catalogue's query: what a student typed in the search form and its filters, read
//! into a [`Search`] (a bad value is named and its filter left out), and the words that
//! full-text search may see.

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::eligibility::skill_tags;
use crate::core::{EmployerId, FieldProblem};

/// The catalogue's query string, as typed (all text: parsed by [`parse`]).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct CatalogueQuery {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub skills: String,
    #[serde(default)]
    pub industry: String,
    #[serde(default)]
    pub remote: String,
    #[serde(default)]
    pub hours_min: String,
    #[serde(default)]
    pub hours_max: String,
    #[serde(default)]
    pub fee_min: String,
    #[serde(default)]
    pub fee_max: String,
    #[serde(default)]
    pub apply_by: String,
    #[serde(default)]
    pub eligible: String,
    /// Only postings that name a skill the student's endorsements name.
    #[serde(default)]
    pub endorsed: String,
    #[serde(default)]
    pub sort: String,
    /// One employer's projects (the partner page links here).
    #[serde(default)]
    pub employer: String,
    /// An old numbered page link (`page=3`): answered with a redirect to its keyset page.
    #[serde(default)]
    pub page: String,
    /// The page after this posting ([`Cursor`]: its sort key and id), from "Next page".
    #[serde(default)]
    pub after: String,
    /// The page before this posting, from "Previous page".
    #[serde(default)]
    pub before: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    #[default]
    Newest,
    ApplyBy,
    Fee,
}

/// A catalogue search that passed validation.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Search {
    pub words: Vec<String>,
    pub skills: Vec<String>,
    pub industry: Option<String>,
    pub remote: Option<bool>,
    pub hours: (Option<i32>, Option<i32>),
    pub fee_cents: (Option<i64>, Option<i64>),
    pub open_until: Option<NaiveDate>,
    pub eligible_only: bool,
    /// Only postings naming one of `endorsed_skills` (set by the route from the student's
    /// endorsements; an empty list matches nothing).
    pub endorsed_only: bool,
    pub endorsed_skills: Vec<String>,
    pub employer_id: Option<EmployerId>,
    pub sort: Sort,
    /// The page asked for, from 1 (pages are the web's: the route sets it). Only an old
    /// numbered link asks for a page past the first; "Next" and "Previous" use `cursor`.
    pub page: i64,
    /// The posting the page starts after (or ends before), in this search's sort.
    pub cursor: Option<Cursor>,
}

/// A posting's place in the catalogue's order: its sort key (which depends on the sort)
/// and its id (ties). Pages start after one (or end before one) rather than at an offset,
/// so that the database walks its index from there and stops after a page, however deep,
/// and postings opened meanwhile neither shift nor repeat rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Cursor {
    pub key: SortKey,
    pub id: String,
    /// `before`: the page ending just before this posting ("Previous page").
    pub backward: bool,
}

/// The value a posting is sorted by.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SortKey {
    /// Newest: when it opened (a posting not opened yet sorts as the oldest).
    Opened(NaiveDateTime),
    ApplyBy(NaiveDate),
    Fee(i64),
}

/// The opening time written in a cursor (compact, no character that needs escaping).
const CURSOR_TIME: &str = "%Y%m%dT%H%M%S%.f";

impl Cursor {
    /// The text of an `after=`/`before=` parameter: `KEY~ID`.
    pub fn param(&self) -> String {
        let key = match self.key {
            SortKey::Opened(t) => t.format(CURSOR_TIME).to_string(),
            SortKey::ApplyBy(d) => d.format("%Y-%m-%d").to_string(),
            SortKey::Fee(c) => c.to_string(),
        };
        format!("{key}~{}", self.id)
    }

    /// Reads a parameter made by [`Cursor::param`] for `sort` (None: not one of its cursors).
    pub fn read(raw: &str, sort: Sort, backward: bool) -> Option<Cursor> {
        let (key, id) = raw.trim().split_once('~')?;
        if id.is_empty() || id.len() > 100 {
            return None;
        }
        let key = match sort {
            Sort::Newest => SortKey::Opened(NaiveDateTime::parse_from_str(key, CURSOR_TIME).ok()?),
            Sort::ApplyBy => SortKey::ApplyBy(NaiveDate::parse_from_str(key, "%Y-%m-%d").ok()?),
            Sort::Fee => SortKey::Fee(key.parse().ok()?),
        };
        Some(Cursor { key, id: id.to_owned(), backward })
    }
}

/// How many postings a search found, counted up to [`COUNT_CAP`]: a count of every match
/// of a broad search would read them all on every page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    Exactly(i64),
    MoreThan(i64),
}

/// The most matches a catalogue search counts. Counting costs as much as reading the
/// matches: at 100,000 students, counting a common skill's open postings up to 1,000 read
/// ten thousand postings on every page (37 ms on PostgreSQL), a tenth of that up to 100.
/// Past a hundred, a student narrows the search rather than reads on.
pub const COUNT_CAP: i64 = 100;

impl Found {
    /// From the rows counted with a limit of `COUNT_CAP + 1`.
    pub fn of(counted: i64) -> Found {
        if counted > COUNT_CAP {
            Found::MoreThan(COUNT_CAP)
        } else {
            Found::Exactly(counted)
        }
    }

    /// The number alone: "12", "100+".
    pub fn figure(self) -> String {
        match self {
            Found::Exactly(n) => crate::core::money::group(n.unsigned_abs()),
            Found::MoreThan(n) => format!("{}+", crate::core::money::group(n.unsigned_abs())),
        }
    }

    /// "1 project", "20 projects", "More than 100 projects".
    pub fn words(self) -> String {
        match self {
            Found::Exactly(n) => crate::core::words::plural(n, "project", None),
            Found::MoreThan(n) => format!("More than {}", crate::core::words::plural(n, "project", None)),
        }
    }
}

/// The English stop words (the Snowball list PostgreSQL's `english` configuration uses).
/// They are dropped before either backend sees the query, so that SQLite (whose FTS5
/// keeps them) and PostgreSQL (which ignores them) find the same postings.
#[rustfmt::skip]
const STOP_WORDS: [&str; 127] = [
    "i", "me", "my", "myself", "we", "our", "ours", "ourselves", "you", "your", "yours", "yourself", "yourselves",
    "he", "him", "his", "himself", "she", "her", "hers", "herself", "it", "its", "itself", "they", "them",
    "their", "theirs", "themselves", "what", "which", "who", "whom", "this", "that", "these", "those", "am",
    "is", "are", "was", "were", "be", "been", "being", "have", "has", "had", "having", "do", "does", "did",
    "doing", "a", "an", "the", "and", "but", "if", "or", "because", "as", "until", "while", "of", "at", "by",
    "for", "with", "about", "against", "between", "into", "through", "during", "before", "after", "above",
    "below", "to", "from", "up", "down", "in", "out", "on", "off", "over", "under", "again", "further", "then",
    "once", "here", "there", "when", "where", "why", "how", "all", "any", "both", "each", "few", "more", "most",
    "other", "some", "such", "no", "nor", "not", "only", "own", "same", "so", "than", "too", "very", "s",
    "t", "can", "will", "just", "don", "should", "now",
];

/// Words for full-text search: letters and digits only (so no query syntax of either
/// backend can be injected), lower case, without stop words, at most 8.
pub fn search_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
        .filter(|w| !STOP_WORDS.contains(&w.as_str()))
        .take(8)
        .collect()
}

/// Parses the query; a bad value is reported and its filter left out. The page is the
/// first: which page to show is the web's to read (`Pager::page_of`).
pub fn parse(q: &CatalogueQuery) -> (Search, Vec<FieldProblem>) {
    let mut problems = Vec::new();
    let mut bad = |field: &str, text: String| problems.push(FieldProblem { field: field.into(), problem: text });
    let mut int = |field: &str, raw: &str, lo: i64, hi: i64| -> Option<i64> {
        let raw = raw.trim();
        if raw.is_empty() {
            return None;
        }
        match raw.parse::<i64>() {
            Ok(v) if (lo..=hi).contains(&v) => Some(v),
            _ => {
                bad(field, format!("`{raw}` must be a whole number from {lo} to {hi}"));
                None
            }
        }
    };
    let hours = (
        int("hours_min", &q.hours_min, 5, 40).map(|v| v as i32),
        int("hours_max", &q.hours_max, 5, 40).map(|v| v as i32),
    );
    let fee_cents = (
        int("fee_min", &q.fee_min, 0, 100_000).map(|v| v * 100),
        int("fee_max", &q.fee_max, 0, 100_000).map(|v| v * 100),
    );
    if let (Some(a), Some(b)) = hours {
        if a > b {
            problems.push(FieldProblem {
                field: "hours_max".into(),
                problem: "must not be below the minimum hours".into(),
            });
        }
    }
    if let (Some(a), Some(b)) = fee_cents {
        if a > b {
            problems
                .push(FieldProblem { field: "fee_max".into(), problem: "must not be below the minimum fee".into() });
        }
    }
    let open_until = match q.apply_by.trim() {
        "" => None,
        raw => match NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
            Ok(d) => Some(d),
            Err(_) => {
                problems.push(FieldProblem {
                    field: "apply_by".into(),
                    problem: format!("`{raw}` is not a date YYYY-MM-DD"),
                });
                None
            }
        },
    };
    let remote = match q.remote.as_str() {
        "remote" => Some(true),
        "onsite" => Some(false),
        _ => None,
    };
    let sort = match q.sort.as_str() {
        "apply_by" => Sort::ApplyBy,
        "fee" => Sort::Fee,
        _ => Sort::Newest,
    };
    let search = Search {
        words: search_words(&q.q),
        skills: skill_tags(&q.skills),
        industry: Some(q.industry.trim().to_owned()).filter(|s| !s.is_empty()),
        remote,
        hours,
        fee_cents,
        open_until,
        eligible_only: matches!(q.eligible.as_str(), "on" | "true" | "1"),
        endorsed_only: matches!(q.endorsed.as_str(), "on" | "true" | "1"),
        endorsed_skills: Vec::new(),
        employer_id: Some(q.employer.trim()).filter(|e| !e.is_empty()).map(EmployerId::from),
        sort,
        page: 1,
        cursor: None,
    };
    let (raw, backward) =
        if q.before.trim().is_empty() { (q.after.as_str(), false) } else { (q.before.as_str(), true) };
    let mut search = search;
    if !raw.trim().is_empty() {
        search.cursor = Cursor::read(raw, sort, backward);
        if search.cursor.is_none() {
            problems.push(FieldProblem {
                field: if backward { "before" } else { "after" }.into(),
                problem: "is not a place in this list: the first page is shown".into(),
            });
        }
    }
    (search, problems)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Timelike;

    #[test]
    fn cursors_read_back_what_they_write_for_their_sort_only() {
        let t = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap().and_hms_micro_opt(9, 0, 0, 250_000).unwrap();
        for (sort, key) in [
            (Sort::Newest, SortKey::Opened(t)),
            (Sort::Newest, SortKey::Opened(t.with_nanosecond(0).unwrap())),
            (Sort::ApplyBy, SortKey::ApplyBy(t.date())),
            (Sort::Fee, SortKey::Fee(40_000)),
        ] {
            let c = Cursor { key, id: "5f0c-id".into(), backward: false };
            assert_eq!(Cursor::read(&c.param(), sort, false), Some(c.clone()), "{}", c.param());
        }
        assert_eq!(Cursor { key: SortKey::Fee(7), id: "x".into(), backward: false }.param(), "7~x");
        assert!(Cursor::read("7~x", Sort::Newest, false).is_none(), "a fee is not a time");
        assert!(Cursor::read("7", Sort::Fee, false).is_none() && Cursor::read("7~", Sort::Fee, false).is_none());
        let (s, p) = parse(&CatalogueQuery { after: "garbage".into(), ..Default::default() });
        assert!(s.cursor.is_none() && p[0].field == "after");
        let (s, p) = parse(&CatalogueQuery { before: "300~b".into(), sort: "fee".into(), ..Default::default() });
        assert!(p.is_empty() && s.cursor.unwrap().backward);
    }

    #[test]
    fn counts_stop_at_the_cap_and_say_so() {
        assert_eq!(Found::of(0).words(), "0 projects");
        assert_eq!(Found::of(1).words(), "1 project");
        assert_eq!(Found::of(100).words(), "100 projects");
        assert_eq!(Found::of(101), Found::MoreThan(100));
        assert_eq!(Found::of(101).words(), "More than 100 projects");
        assert_eq!(Found::of(101).figure(), "100+");
    }

    #[test]
    fn words_cannot_carry_query_syntax() {
        assert_eq!(
            search_words("Market-research \"NEAR\" OR *data* ) & !x:*"),
            ["market", "research", "near", "data", "x"]
        );
        assert_eq!(search_words("the analysis of a survey"), ["analysis", "survey"], "stop words go");
        assert_eq!(search_words("Análisis de datos"), ["análisis", "de", "datos"]);
        assert!(search_words("  ,;:  ").is_empty());
    }

    #[test]
    fn filters_parse_and_bad_values_are_named() {
        let q = CatalogueQuery {
            hours_min: "10".into(),
            hours_max: "5".into(),
            fee_min: "abc".into(),
            apply_by: "tomorrow".into(),
            remote: "remote".into(),
            sort: "fee".into(),
            ..Default::default()
        };
        let (s, problems) = parse(&q);
        assert_eq!(s.hours, (Some(10), Some(5)));
        assert_eq!(s.remote, Some(true));
        assert_eq!(s.sort, Sort::Fee);
        let fields: Vec<_> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["fee_min", "hours_max", "apply_by"]);
        let (s, p) = parse(&CatalogueQuery { fee_min: "250".into(), fee_max: "800".into(), ..Default::default() });
        assert!(p.is_empty());
        assert_eq!(s.fee_cents, (Some(25_000), Some(80_000)));
    }
}
