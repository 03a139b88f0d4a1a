//! `waypoint import outcomes FILE.csv` and the portal's upload: outcomes the office
//! gathered elsewhere (a survey tool, LinkedIn research, employers' lists). Every row is
//! checked first; if any is bad nothing is written (`FILE:LINE: column: problem`). A row
//! matching an outcome already recorded (same student, source, category, organisation and
//! `known_on`) updates it, so importing the same file again changes nothing.

use std::collections::HashMap;
use std::io::Read;

use chrono::{NaiveDate, NaiveDateTime};
use serde::Deserialize;

use super::rules::{check, OutcomeDraft, OutcomeInput};
use super::store;
use crate::audit;
use crate::core::{Actor, Error};
use crate::csv_import::{read_rows, Columns, ImportCounts, LineProblem, ReadRows, Refused};
use crate::db::{self, DbConnection};

/// The file's columns, exactly as the issue lists them.
pub const COLUMNS: Columns<'static> = Columns {
    required: &["student_number", "category", "source", "known_on"],
    optional: &[
        "employment_type",
        "organization",
        "job_title",
        "start_on",
        "annual_salary",
        "currency",
        "primary",
        "offer_on",
        "accepted_on",
    ],
};

/// One row (a left-out optional column is `None`, taken as empty). The JSON API's batch
/// items are read into it too, so both doors check the same way.
#[derive(Debug, Deserialize)]
pub struct Row {
    student_number: String,
    category: String,
    source: String,
    known_on: String,
    employment_type: Option<String>,
    organization: Option<String>,
    job_title: Option<String>,
    start_on: Option<String>,
    annual_salary: Option<String>,
    currency: Option<String>,
    primary: Option<String>,
    offer_on: Option<String>,
    accepted_on: Option<String>,
}

impl From<Row> for OutcomeInput {
    fn from(r: Row) -> Self {
        OutcomeInput {
            category: r.category,
            source: r.source,
            known_on: r.known_on,
            employment_type: r.employment_type.unwrap_or_default(),
            organization: r.organization.unwrap_or_default(),
            job_title: r.job_title.unwrap_or_default(),
            start_on: r.start_on.unwrap_or_default(),
            annual_salary: r.annual_salary.unwrap_or_default(),
            currency: r.currency.unwrap_or_default(),
            primary: r.primary.unwrap_or_default(),
            offer_on: r.offer_on.unwrap_or_default(),
            accepted_on: r.accepted_on.unwrap_or_default(),
        }
    }
}

fn at(file: &str, line: u64, field: &str, problem: String) -> LineProblem {
    LineProblem { file: file.to_owned(), line, field: field.to_owned(), problem }
}

/// Checks the whole file, then (if every row is good) writes it in one transaction.
pub fn import_outcomes(
    conn: &mut DbConnection,
    file: &str,
    reader: impl Read,
    actor: &Actor,
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<ImportCounts, Error> {
    let ReadRows { rows, problems } = read_rows::<Row>(file, reader, COLUMNS)?;
    import_rows(conn, file, rows, problems, actor, today, now)
}

/// Rows already read (with their lines, and the problems of those that could not be
/// read): checked whole, then written in one transaction. The JSON API's batch is read
/// into rows numbered by their index, with the API's name for `file`.
pub fn import_rows(
    conn: &mut DbConnection,
    file: &str,
    rows: Vec<(u64, Row)>,
    mut problems: Vec<LineProblem>,
    actor: &Actor,
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<ImportCounts, Error> {
    let numbers: Vec<String> = rows.iter().map(|(_, r)| r.student_number.trim().to_owned()).collect();
    let students = store::students_by_number(conn, &numbers)?;
    let mut drafts: Vec<(String, OutcomeDraft)> = Vec::new();
    let mut primaries: HashMap<String, u64> = HashMap::new();
    for (line, row) in rows {
        let number = row.student_number.trim().to_owned();
        let input = OutcomeInput::from(row);
        let student = if number.is_empty() {
            problems.push(at(file, line, "student_number", "is required".into()));
            None
        } else if let Some(id) = students.get(&number) {
            Some(id.clone())
        } else {
            problems.push(at(file, line, "student_number", format!("no student has the number {number}")));
            None
        };
        match check(&input, today) {
            Ok(d) => {
                if let (Some(s), true) = (&student, d.is_primary) {
                    if let Some(first) = primaries.insert(s.clone(), line) {
                        problems.push(at(
                            file,
                            line,
                            "primary",
                            format!("student {number} already has a primary outcome on line {first}"),
                        ));
                    }
                }
                if let Some(s) = student {
                    drafts.push((s, d));
                }
            }
            Err(Error::Invalid(ps)) => {
                problems.extend(ps.into_vec().into_iter().map(|p| at(file, line, &p.field, p.problem)));
            }
            Err(e) => return Err(e),
        }
    }
    if drafts.is_empty() && problems.is_empty() {
        problems.push(at(file, 2, "row", "the file has a header but no outcomes".into()));
    }
    if !problems.is_empty() {
        problems.sort_by_key(|p| p.line);
        return Err(Refused(problems).into());
    }
    db::transaction(conn, |c| {
        let counts = store::import(c, actor, &drafts, now)?;
        audit::record(
            c,
            audit::Event {
                actor,
                action: "outcomes.imported",
                subject_type: "outcomes",
                subject_id: None,
                at: now,
                ip: None,
                details: serde_json::json!({ "file": file, "created": counts.created, "updated": counts.updated, "unchanged": counts.unchanged }),
            },
        )?;
        Ok(counts)
    })
}
