//! The dashboard's reads. Every figure a CSV also has comes from the function that CSV is
//! written by: the first-destination rates from `reports::first_destination::rows`, the
//! conversions from `reports::conversions::rows`, the fair attendance from the sessions
//! the fair-attendance report's rows are made of. The funnel, which no report has, is one
//! set-based query. The filters are the reports' own (`reports::filters::Filters`).

use std::collections::BTreeSet;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text, Timestamp};

use crate::db::schema::students;
use crate::db::{DbConnection, MultiBackend};
use crate::fairs::figures::SessionFigures;
use crate::fairs::store::figures as fair_figures;
use crate::outcomes::rules;
use crate::reports::filters::{Filters, GroupBy};
use crate::reports::{conversions, fair_attendance, first_destination};
use crate::students::rules::GraduationTerm;

/// The colleges students are in, for the filter's choices.
pub fn colleges(conn: &mut DbConnection) -> QueryResult<Vec<String>> {
    students::table.select(students::college).distinct().order(students::college).load(conn)
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
    let at = |name: &str| column(&first_destination::COLUMNS, name);
    let (group, graduates, known, knowledge, career) =
        (at("group"), at("graduates"), at("known"), at("knowledge_rate"), at("career_outcomes_rate"));
    let mut out = Vec::new();
    let filters = Filters { cohort: Some(class), group_by: Some(GroupBy::College), ..Filters::default() };
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
    /// `AND` the student filters (class, college) on the student id column `id`; the
    /// class's terms as the reports count them on the campus date `today`.
    fn students_in(&mut self, id: &str, f: &Filters, today: NaiveDate) -> String {
        let mut conditions = Vec::new();
        if let Some((first, last)) = f.cohort_terms(today) {
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
pub fn funnel(conn: &mut DbConnection, f: &Filters, today: NaiveDate) -> QueryResult<Funnel> {
    let mut sql = Sql::new(conn);
    let of_students = sql.students_in("a.student_id", f, today);
    let mut postings = vec!["o.opened_at IS NOT NULL".to_owned()];
    if let Some(e) = &f.employer_id {
        postings.push(format!("o.employer_id = {}", sql.param(Param::Text(e.clone()))));
    }
    if let Some(at) = f.from_utc {
        postings.push(format!("o.opened_at >= {}", sql.param(Param::Time(at))));
    }
    if let Some(at) = f.until_utc {
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

/// A report column's place in its row.
fn column(columns: &[&str], name: &str) -> usize {
    columns.iter().position(|c| *c == name).expect("a column of the report")
}

/// One row of conversions.csv, as the dashboard shows it (the cells as the CSV has them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConversionRow {
    pub employer: String,
    pub engagements_completed: String,
    pub students_completed: String,
    pub students_offered: String,
    pub students_hired: String,
    /// 4 decimals, or empty.
    pub conversion_rate: String,
    /// Whole days, or empty when no one was offered.
    pub median_days_to_offer: String,
}

/// Conversion by employer: the conversions report's rows for the same filters, the
/// employers' and then (apart) its closing `All employers` row.
pub fn conversions(
    conn: &mut DbConnection,
    f: &Filters,
    today: NaiveDate,
) -> QueryResult<(Vec<ConversionRow>, Option<ConversionRow>)> {
    let at = |name: &str| column(&conversions::COLUMNS, name);
    let cells = [
        at("employer"),
        at("engagements_completed"),
        at("students_completed"),
        at("students_offered"),
        at("students_hired"),
        at("conversion_rate"),
        at("median_days_to_offer"),
    ];
    let mut rows = Vec::new();
    conversions::rows(conn, f, today, &mut |r| {
        let [employer, done, students, offered, hired, rate, median] = cells.map(|i| r[i].clone());
        rows.push(ConversionRow {
            employer,
            engagements_completed: done,
            students_completed: students,
            students_offered: offered,
            students_hired: hired,
            conversion_rate: rate,
            median_days_to_offer: median,
        });
        true
    })?;
    // The report always closes with `All employers`.
    let all = rows.pop();
    Ok((rows, all))
}

/// The scheduled fair sessions of the fair-attendance report for the same filters, with
/// their counts (`now` decides which have ended).
pub fn fair_sessions(conn: &mut DbConnection, f: &Filters, now: NaiveDateTime) -> QueryResult<Vec<SessionFigures>> {
    fair_figures::sessions(conn, &fair_attendance::sessions_of(f), now)
}
