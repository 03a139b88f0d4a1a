//! The students' catalogue of open micro-internships: full-text search (SQLite FTS5 or
//! PostgreSQL tsvector, chosen per backend behind one function) with filters, sorts and
//! stable page links. Only open postings of employers with an active partnership show.

use chrono::NaiveDate;
use diesel::dsl::{exists, not, sql};
use diesel::prelude::*;
use diesel::sql_types::{Bool, Text};
use serde::{Deserialize, Serialize};

use crate::core::FieldProblem;
use crate::db::schema::{
    employers, opportunities, opportunity_class_years, opportunity_colleges, opportunity_majors, opportunity_skills,
    partnerships,
};
use crate::db::{Backend, DbConnection, MultiBackend};
pub use crate::opportunities::rules::StudentFacts;
use crate::opportunities::rules::{eligibility_key, skill_tags};

pub const PAGE: i64 = 20;

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
    pub employer_id: Option<String>,
    pub sort: Sort,
    pub page: i64,
}

/// The English stop words (the Snowball list PostgreSQL's `english` configuration uses).
/// They are dropped before either backend sees the query, so that SQLite (whose FTS5
/// keeps them) and PostgreSQL (which ignores them) find the same postings.
const STOP_WORDS: [&str; 127] = [
    "i",
    "me",
    "my",
    "myself",
    "we",
    "our",
    "ours",
    "ourselves",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
    "he",
    "him",
    "his",
    "himself",
    "she",
    "her",
    "hers",
    "herself",
    "it",
    "its",
    "itself",
    "they",
    "them",
    "their",
    "theirs",
    "themselves",
    "what",
    "which",
    "who",
    "whom",
    "this",
    "that",
    "these",
    "those",
    "am",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "being",
    "have",
    "has",
    "had",
    "having",
    "do",
    "does",
    "did",
    "doing",
    "a",
    "an",
    "the",
    "and",
    "but",
    "if",
    "or",
    "because",
    "as",
    "until",
    "while",
    "of",
    "at",
    "by",
    "for",
    "with",
    "about",
    "against",
    "between",
    "into",
    "through",
    "during",
    "before",
    "after",
    "above",
    "below",
    "to",
    "from",
    "up",
    "down",
    "in",
    "out",
    "on",
    "off",
    "over",
    "under",
    "again",
    "further",
    "then",
    "once",
    "here",
    "there",
    "when",
    "where",
    "why",
    "how",
    "all",
    "any",
    "both",
    "each",
    "few",
    "more",
    "most",
    "other",
    "some",
    "such",
    "no",
    "nor",
    "not",
    "only",
    "own",
    "same",
    "so",
    "than",
    "too",
    "very",
    "s",
    "t",
    "can",
    "will",
    "just",
    "don",
    "should",
    "now",
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

/// Parses the query; a bad value is reported and its filter left out.
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
        employer_id: Some(q.employer.trim().to_owned()).filter(|e| !e.is_empty()),
        sort,
        page: crate::web::pages::Pager::page_of(Some(&q.page)),
    };
    (search, problems)
}

#[derive(Debug, Clone, Serialize, Queryable)]
pub struct Listing {
    pub id: String,
    pub title: String,
    pub description: String,
    pub skills: String,
    pub hours: i32,
    pub fee_cents: i64,
    pub currency: String,
    pub remote: bool,
    pub location: Option<String>,
    pub apply_by: NaiveDate,
    pub openings: i32,
    pub eligible_colleges: String,
    pub eligible_majors: String,
    pub eligible_class_years: String,
    pub employer_id: String,
    pub employer_name: String,
    pub industry: String,
}

/// The columns of a [`Listing`], in its order.
macro_rules! listing_columns {
    () => {
        (
            opportunities::id,
            opportunities::title,
            opportunities::description,
            opportunities::skills,
            opportunities::hours,
            opportunities::fee_cents,
            opportunities::currency,
            opportunities::remote,
            opportunities::location,
            opportunities::apply_by,
            opportunities::openings,
            opportunities::eligible_colleges,
            opportunities::eligible_majors,
            opportunities::eligible_class_years,
            employers::id,
            employers::name,
            employers::industry,
        )
    };
}

/// The catalogue's rows (open, partner active, still taking applications). The partner
/// check is a semi-join (`employer_id IN (active partners)`), so the database walks the
/// postings in the order asked and stops at the page, rather than once per partner.
///
/// With search words on SQLite, the same conditions are written with a unary `+` (SQLite's
/// way to keep a term from choosing the index), so that the planner starts from the
/// full-text matches, whose number it cannot estimate. Measured in BENCHMARKS.md.
macro_rules! open_postings {
    ($today:expr) => {
        open_postings!($today, false)
    };
    ($today:expr, $from_text_matches:expr) => {
        if $from_text_matches {
            opportunities::table
                .inner_join(employers::table)
                .filter(sql::<Bool>("+opportunities.status = 'open'"))
                .filter(sql::<Bool>("+opportunities.apply_by >= ").bind::<diesel::sql_types::Date, _>($today))
                .filter(sql::<Bool>(
                    "+opportunities.employer_id IN (SELECT employer_id FROM partnerships WHERE status = 'active')",
                ))
                .into_boxed::<MultiBackend>()
        } else {
            opportunities::table
                .inner_join(employers::table)
                .filter(opportunities::status.eq("open"))
                .filter(opportunities::apply_by.ge($today))
                .filter(opportunities::employer_id.eq_any(
                    partnerships::table.filter(partnerships::status.eq("active")).select(partnerships::employer_id),
                ))
                .into_boxed::<MultiBackend>()
        }
    };
}

/// Applies the search's filters to a boxed catalogue query.
macro_rules! filtered {
    ($q:expr, $s:expr, $backend:expr, $me:expr) => {{
        let mut q = $q;
        let s: &Search = $s;
        if !s.words.is_empty() {
            q = match $backend {
                Backend::Sqlite => {
                    let m = s.words.iter().map(|w| format!("\"{w}\"*")).collect::<Vec<_>>().join(" ");
                    q.filter(sql::<Bool>("opportunities.id IN (SELECT opportunity_id FROM opportunity_search WHERE opportunity_search MATCH ").bind::<Text, _>(m).sql(")"))
                }
                Backend::Postgres => {
                    let t = s.words.iter().map(|w| format!("{w}:*")).collect::<Vec<_>>().join(" & ");
                    q.filter(
                        sql::<Bool>("opportunities.id IN (SELECT opportunity_id FROM opportunity_search WHERE document @@ to_tsquery('english', ")
                            .bind::<Text, _>(t)
                            .sql("))"),
                    )
                }
            };
        }
        // Tags in normal form, matched exactly through their index: a `%` is a `%`.
        for skill in &s.skills {
            q = q.filter(opportunities::id.eq_any(
                opportunity_skills::table.filter(opportunity_skills::skill.eq(skill.clone())).select(opportunity_skills::opportunity_id),
            ));
        }
        if let Some(employer) = &s.employer_id {
            q = q.filter(employers::id.eq(employer.clone()));
        }
        if let Some(industry) = &s.industry {
            q = q.filter(employers::industry.eq(industry.clone()));
        }
        if let Some(remote) = s.remote {
            q = q.filter(opportunities::remote.eq(remote));
        }
        if let Some(h) = s.hours.0 {
            q = q.filter(opportunities::hours.ge(h));
        }
        if let Some(h) = s.hours.1 {
            q = q.filter(opportunities::hours.le(h));
        }
        if let Some(f) = s.fee_cents.0 {
            q = q.filter(opportunities::fee_cents.ge(f));
        }
        if let Some(f) = s.fee_cents.1 {
            q = q.filter(opportunities::fee_cents.le(f));
        }
        if let Some(d) = s.open_until {
            q = q.filter(opportunities::apply_by.ge(d));
        }
        // The rule of `Eligibility::admits`, on the rows the store wrote from it: each list
        // is empty, or holds the student's value in the same normal form.
        if let (true, Some(me)) = (s.eligible_only, $me) {
            let me: &StudentFacts = me;
            q = q
                .filter(
                    not(exists(opportunity_colleges::table.filter(opportunity_colleges::opportunity_id.eq(opportunities::id))))
                        .or(opportunities::id.eq_any(
                            opportunity_colleges::table
                                .filter(opportunity_colleges::college.eq(eligibility_key(&me.college)))
                                .select(opportunity_colleges::opportunity_id),
                        )),
                )
                .filter(
                    not(exists(opportunity_majors::table.filter(opportunity_majors::opportunity_id.eq(opportunities::id))))
                        .or(opportunities::id.eq_any(
                            opportunity_majors::table
                                .filter(opportunity_majors::major.eq(eligibility_key(&me.major)))
                                .select(opportunity_majors::opportunity_id),
                        )),
                )
                .filter(
                    not(exists(
                        opportunity_class_years::table.filter(opportunity_class_years::opportunity_id.eq(opportunities::id)),
                    ))
                    .or(opportunities::id.eq_any(
                        opportunity_class_years::table
                            .filter(opportunity_class_years::class_year.eq(me.class_year))
                            .select(opportunity_class_years::opportunity_id),
                    )),
                );
        }
        q
    }};
}

/// One page of the catalogue, and how many postings match in all.
pub fn search(
    conn: &mut DbConnection,
    s: &Search,
    me: Option<&StudentFacts>,
    today: NaiveDate,
) -> QueryResult<(Vec<Listing>, i64)> {
    let backend = conn.backend();
    let from_text = backend == Backend::Sqlite && !s.words.is_empty();
    let total: i64 = filtered!(open_postings!(today, from_text), s, backend, me).count().get_result(conn)?;
    let q = filtered!(open_postings!(today, from_text), s, backend, me).select(listing_columns!());
    let q = match s.sort {
        Sort::Newest => q.order(opportunities::opened_at.desc()).then_order_by(opportunities::id),
        Sort::ApplyBy => q.order(opportunities::apply_by.asc()).then_order_by(opportunities::id),
        Sort::Fee => q.order(opportunities::fee_cents.desc()).then_order_by(opportunities::id),
    };
    let rows = q.limit(PAGE).offset((s.page - 1) * PAGE).load(conn)?;
    Ok((rows, total))
}

/// One open posting as the catalogue shows it (None: not open, or its partner is not active).
pub fn listing(conn: &mut DbConnection, id: &str, today: NaiveDate) -> QueryResult<Option<Listing>> {
    open_postings!(today).filter(opportunities::id.eq(id.to_owned())).select(listing_columns!()).first(conn).optional()
}

/// The industries of active partners (for the filter).
pub fn industries(conn: &mut DbConnection) -> QueryResult<Vec<String>> {
    employers::table
        .inner_join(partnerships::table)
        .filter(partnerships::status.eq("active"))
        .select(employers::industry)
        .distinct()
        .order(employers::industry)
        .load(conn)
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
