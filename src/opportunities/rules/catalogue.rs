//! The catalogue's query: what a student typed in the search form and its filters, read
//! into a [`Search`] (a bad value is named and its filter left out), and the words that
//! full-text search may see.

use chrono::NaiveDate;
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
    #[serde(default)]
    pub page: String,
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
    /// The page asked for, from 1 (pages are the web's: the route sets it).
    pub page: i64,
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
    };
    (search, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

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
