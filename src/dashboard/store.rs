//! The dashboard's reads. Each figure is one set-based query (counts in the database, or
//! one query whose rows feed `outcomes::rules`), never a query per row; the first-destination
//! rates come from `reports::first_destination::rows`, the function the CSV is written by.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Date, Text, Timestamp};

use crate::db::schema::{employers, students};
use crate::db::{DbConnection, MultiBackend};
use crate::outcomes::rules::{self, Completion, Conversion, OfferMade};
use crate::reports::filters::{Filters as ReportFilters, GroupBy};
use crate::reports::first_destination::{self, COLUMNS};
use crate::students::rules::GraduationTerm;

/// The dashboard's filters, checked: the graduating class, a college, an employer (id),
/// and a range of campus dates (`from_at`/`until_at`: the same range as UTC instants).
#[derive(Debug, Clone, Default)]
pub struct Filters {
    pub cohort: Option<i32>,
    pub college: Option<String>,
    pub employer: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub from_at: Option<NaiveDateTime>,
    pub until_at: Option<NaiveDateTime>,
}

/// The first and last graduation terms of the class of Y: July of Y−1 to June of Y.
pub fn class_terms(class: i32) -> (String, String) {
    (format!("{:04}-07", class - 1), format!("{:04}-06", class))
}

/// The colleges students are in, for the filter's choices.
pub fn colleges(conn: &mut DbConnection) -> QueryResult<Vec<String>> {
    students::table.select(students::college).distinct().order(students::college).load(conn)
}

/// Every employer `(id, name)` by name, for the filter's choices.
pub fn employers(conn: &mut DbConnection) -> QueryResult<Vec<(String, String)>> {
    employers::table.select((employers::id, employers::name)).order((employers::name, employers::id)).load(conn)
}

/// The classes with at least one graduate on the campus date `today`, newest first.
pub fn graduated_classes(conn: &mut DbConnection, today: NaiveDate) -> QueryResult<Vec<i32>> {
    let this_month = today.format("%Y-%m").to_string();
    let terms: Vec<String> = students::table
        .filter(students::graduation_term.le(this_month))
        .select(students::graduation_term)
        .distinct()
        .load(conn)?;
    let classes: BTreeSet<i32> =
        terms.iter().filter_map(|t| GraduationTerm::parse(t).ok()).map(rules::class_of).collect();
    Ok(classes.into_iter().rev().collect())
}

/// One college's first-destination figures, as first-destination.csv has them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateRow {
    pub college: String,
    pub graduates: String,
    pub known: String,
    /// 4 decimals, or empty when there is no graduate.
    pub knowledge_rate: String,
    /// 4 decimals, or empty when no graduate is known to seek or have an outcome.
    pub career_outcomes_rate: String,
}

/// The class's rows by college, from the CSV's own function (and only the college asked
/// for, when there is one).
pub fn rates(
    conn: &mut DbConnection,
    class: i32,
    college: Option<&str>,
    today: NaiveDate,
) -> QueryResult<Vec<RateRow>> {
    let at = |name: &str| COLUMNS.iter().position(|c| *c == name).expect("a first-destination column");
    let (group, graduates, known, knowledge, career) =
        (at("group"), at("graduates"), at("known"), at("knowledge_rate"), at("career_outcomes_rate"));
    let mut out = Vec::new();
    let filters = ReportFilters { cohort: Some(class), group_by: Some(GroupBy::College), ..ReportFilters::default() };
    first_destination::rows(conn, &filters, today, &mut |cells| {
        if college.is_none_or(|c| c == cells[group]) {
            out.push(RateRow {
                college: cells[group].clone(),
                graduates: cells[graduates].clone(),
                known: cells[known].clone(),
                knowledge_rate: cells[knowledge].clone(),
                career_outcomes_rate: cells[career].clone(),
            });
        }
        true
    })?;
    Ok(out)
}

/// A raw query's text and its parameters, numbered as they are added.
struct Sql<'c> {
    conn: &'c DbConnection,
    binds: Vec<Param>,
}

enum Param {
    Text(String),
    Date(NaiveDate),
    Time(NaiveDateTime),
}

impl<'c> Sql<'c> {
    fn new(conn: &'c DbConnection) -> Self {
        Sql { conn, binds: Vec::new() }
    }
    fn param(&mut self, p: Param) -> String {
        self.binds.push(p);
        self.conn.placeholder(self.binds.len())
    }
    /// `AND` the student filters (class, college) on the student id column `id`.
    fn students_in(&mut self, id: &str, f: &Filters) -> String {
        let mut conditions = Vec::new();
        if let Some(class) = f.cohort {
            let (first, last) = class_terms(class);
            let (a, b) = (self.param(Param::Text(first)), self.param(Param::Text(last)));
            conditions.push(format!("s.graduation_term >= {a} AND s.graduation_term <= {b}"));
        }
        if let Some(college) = &f.college {
            conditions.push(format!("s.college = {}", self.param(Param::Text(college.clone()))));
        }
        if conditions.is_empty() {
            return String::new();
        }
        format!(" AND {id} IN (SELECT s.id FROM students s WHERE {})", conditions.join(" AND "))
    }
    fn query(
        self,
        text: String,
    ) -> diesel::query_builder::BoxedSqlQuery<'static, MultiBackend, diesel::query_builder::SqlQuery> {
        let mut q = diesel::sql_query(text).into_boxed::<MultiBackend>();
        for b in self.binds {
            q = match b {
                Param::Text(t) => q.bind::<Text, _>(t),
                Param::Date(d) => q.bind::<Date, _>(d),
                Param::Time(t) => q.bind::<Timestamp, _>(t),
            };
        }
        q
    }
}

/// The micro-internship funnel: postings opened (in the dates, of the employer), the
/// applications to them (by students of the class and college), the projects those became,
/// the completed ones, the offers made after them, and the offers accepted (hires).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, QueryableByName)]
pub struct Funnel {
    #[diesel(sql_type = BigInt)]
    pub postings: i64,
    #[diesel(sql_type = BigInt)]
    pub applications: i64,
    #[diesel(sql_type = BigInt)]
    pub engagements: i64,
    #[diesel(sql_type = BigInt)]
    pub completed: i64,
    #[diesel(sql_type = BigInt)]
    pub offers: i64,
    #[diesel(sql_type = BigInt)]
    pub hires: i64,
}

/// The funnel's counts, in one query.
pub fn funnel(conn: &mut DbConnection, f: &Filters) -> QueryResult<Funnel> {
    let mut sql = Sql::new(conn);
    let of_students = sql.students_in("a.student_id", f);
    let mut postings = vec!["o.opened_at IS NOT NULL".to_owned()];
    if let Some(e) = &f.employer {
        postings.push(format!("o.employer_id = {}", sql.param(Param::Text(e.clone()))));
    }
    if let Some(at) = f.from_at {
        postings.push(format!("o.opened_at >= {}", sql.param(Param::Time(at))));
    }
    if let Some(at) = f.until_at {
        postings.push(format!("o.opened_at <= {}", sql.param(Param::Time(at))));
    }
    let text = format!(
        "SELECT COUNT(DISTINCT o.id) AS postings, COUNT(DISTINCT a.id) AS applications, \
         COUNT(DISTINCT e.id) AS engagements, \
         COUNT(DISTINCT CASE WHEN e.status = 'completed' THEN e.id END) AS completed, \
         COUNT(DISTINCT f.id) AS offers, \
         COUNT(DISTINCT CASE WHEN f.status = 'accepted' THEN f.id END) AS hires \
         FROM opportunities o \
         LEFT JOIN applications a ON a.opportunity_id = o.id{of_students} \
         LEFT JOIN engagements e ON e.application_id = a.id \
         LEFT JOIN offers f ON f.engagement_id = e.id \
         WHERE {}",
        postings.join(" AND ")
    );
    sql.query(text).get_result(conn)
}

#[derive(QueryableByName)]
struct ConversionFact {
    #[diesel(sql_type = Bool)]
    completion: bool,
    #[diesel(sql_type = Text)]
    student_id: String,
    #[diesel(sql_type = Text)]
    employer_id: String,
    #[diesel(sql_type = Text)]
    employer: String,
    #[diesel(sql_type = Date)]
    day: NaiveDate,
    #[diesel(sql_type = Bool)]
    accepted: bool,
}

/// One employer's conversion figures, named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmployerConversion {
    pub employer_id: String,
    pub employer: String,
    pub figures: Conversion,
}

/// Conversion by employer (DESIGN §4): completed projects (of students of the class and
/// college, with the employer, completed in the dates) and the offers after them — offers
/// recorded in the micro-internship flow, and outcomes naming the employer with an offer
/// date — read in one query, then counted by `outcomes::rules::conversions`. Answers the
/// employers by name and the `All employers` figures.
///
/// One function, so that the conversions report's own reader can replace it in one place.
pub fn conversions_by_employer(
    conn: &mut DbConnection,
    f: &Filters,
) -> QueryResult<(Vec<EmployerConversion>, Conversion)> {
    let mut sql = Sql::new(conn);
    let of_students = sql.students_in("e.student_id", f);
    let mut completed = vec!["e.status = 'completed'".to_owned(), "e.completed_on IS NOT NULL".to_owned()];
    if let Some(e) = &f.employer {
        completed.push(format!("e.employer_id = {}", sql.param(Param::Text(e.clone()))));
    }
    if let Some(d) = f.from {
        completed.push(format!("e.completed_on >= {}", sql.param(Param::Date(d))));
    }
    if let Some(d) = f.to {
        completed.push(format!("e.completed_on <= {}", sql.param(Param::Date(d))));
    }
    let completed = format!("{}{of_students}", completed.join(" AND "));
    // Offers only matter for a (student, employer) with a completion that passes the filters.
    let after = format!(
        "EXISTS (SELECT 1 FROM engagements e WHERE e.student_id = {{s}} AND e.employer_id = {{m}} AND {completed})"
    );
    let text = format!(
        "SELECT TRUE AS completion, e.student_id, e.employer_id, m.name AS employer, e.completed_on AS day, FALSE AS accepted \
         FROM engagements e JOIN employers m ON m.id = e.employer_id WHERE {completed} \
         UNION ALL \
         SELECT FALSE, x.student_id, x.employer_id, '', x.offer_on, x.status = 'accepted' FROM offers x WHERE {} \
         UNION ALL \
         SELECT FALSE, y.student_id, y.employer_id, '', y.offer_on, y.accepted_on IS NOT NULL FROM outcomes y \
         WHERE y.employer_id IS NOT NULL AND y.offer_on IS NOT NULL AND {}",
        after.replace("{s}", "x.student_id").replace("{m}", "x.employer_id"),
        after.replace("{s}", "y.student_id").replace("{m}", "y.employer_id"),
    );
    let facts: Vec<ConversionFact> = sql.query(text).load(conn)?;
    let mut names: HashMap<&str, &str> = HashMap::new();
    let mut completions = Vec::new();
    let mut offers = Vec::new();
    for fact in &facts {
        if fact.completion {
            names.insert(&fact.employer_id, &fact.employer);
            completions.push(Completion {
                student: &fact.student_id,
                employer: &fact.employer_id,
                completed_on: fact.day,
            });
        } else {
            offers.push(OfferMade {
                student: &fact.student_id,
                employer: &fact.employer_id,
                offer_on: fact.day,
                accepted: fact.accepted,
            });
        }
    }
    let by_id: BTreeMap<&str, Conversion> = rules::conversions(&completions, &offers);
    let all = rules::all_employers(by_id.values());
    let mut rows: Vec<EmployerConversion> = by_id
        .into_iter()
        .map(|(id, figures)| EmployerConversion {
            employer_id: id.to_owned(),
            employer: names.get(id).copied().unwrap_or(id).to_owned(),
            figures,
        })
        .collect();
    rows.sort_by(|a, b| a.employer.cmp(&b.employer).then_with(|| a.employer_id.cmp(&b.employer_id)));
    Ok((rows, all))
}
