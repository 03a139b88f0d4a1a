//! `waypoint import students FILE.csv`: the roster from the student information system.
//! Every row is validated first; if any is bad nothing is written. Otherwise students
//! are upserted by student_number in one transaction.

use std::collections::HashMap;
use std::io::Read;

use diesel::prelude::*;

use super::rules::{validate_row, RosterEntry, RosterRow, ROSTER_COLUMNS};
use super::store::{self, RosterFields, Student};
use crate::audit;
use crate::core::{Actor, Email, Error, StudentId};
use crate::csv_import::{read_rows, Columns, ImportCounts, LineProblem, ReadRows, Refused};
use crate::db::schema::students;
use crate::db::{self, DbConnection};

/// Validates the whole file, then (if every row is good) writes it in one transaction. A
/// refused file is `Error::Invalid` with every problem, each named `FILE:LINE: column`.
pub fn import_roster(
    conn: &mut DbConnection,
    file: &str,
    reader: impl Read,
    actor: &Actor,
    now: chrono::NaiveDateTime,
) -> Result<ImportCounts, Error> {
    let read: ReadRows<RosterRow> = read_rows(file, reader, Columns { required: &ROSTER_COLUMNS, optional: &[] })?;
    import_roster_rows(conn, file, read, actor, now)
}

/// Rows already read: checked whole, then upserted in one transaction. The JSON API's
/// batch is read into rows numbered by their index, with the API's name for `file`.
pub fn import_roster_rows(
    conn: &mut DbConnection,
    file: &str,
    read: ReadRows<RosterRow>,
    actor: &Actor,
    now: chrono::NaiveDateTime,
) -> Result<ImportCounts, Error> {
    let entries = validate_all(file, read)?;
    db::transaction(conn, |conn| {
        let counts = upsert(conn, file, &entries, now)?;
        audit::record(
            conn,
            audit::Event {
                actor,
                action: "roster.imported",
                subject_type: "students",
                subject_id: None,
                at: now,
                ip: None,
                details: serde_json::json!({ "file": file, "created": counts.created, "updated": counts.updated, "unchanged": counts.unchanged }),
            },
        )?;
        Ok(counts)
    })
}

fn validate_all(file: &str, read: ReadRows<RosterRow>) -> Result<Vec<(u64, RosterEntry)>, Refused> {
    let ReadRows { rows, mut problems } = read;
    let mut entries = Vec::new();
    let mut numbers: HashMap<String, u64> = HashMap::new();
    let mut emails: HashMap<Email, u64> = HashMap::new();
    for (line, row) in rows {
        match validate_row(&row) {
            Ok(entry) => {
                if let Some(first) = numbers.insert(entry.student_number.clone(), line) {
                    problems.push(at(
                        file,
                        line,
                        "student_number",
                        format!("{} appears again (first on line {first})", entry.student_number),
                    ));
                }
                if let Some(first) = emails.insert(entry.email.clone(), line) {
                    problems.push(at(
                        file,
                        line,
                        "email",
                        format!("{} appears again (first on line {first})", entry.email),
                    ));
                }
                entries.push((line, entry));
            }
            Err(row_problems) => {
                problems.extend(row_problems.into_iter().map(|p| at(file, line, &p.field, p.problem)));
            }
        }
    }
    if entries.is_empty() && problems.is_empty() {
        problems.push(at(file, 2, "row", "the file has a header but no students".into()));
    }
    if problems.is_empty() {
        Ok(entries)
    } else {
        problems.sort_by_key(|p| p.line);
        Err(Refused(problems))
    }
}

fn at(file: &str, line: u64, field: &str, problem: String) -> LineProblem {
    LineProblem { file: file.to_owned(), line, field: field.to_owned(), problem }
}

fn upsert(
    conn: &mut DbConnection,
    file: &str,
    entries: &[(u64, RosterEntry)],
    now: chrono::NaiveDateTime,
) -> Result<ImportCounts, Error> {
    // Only the students the file names (by number or address), not the whole roster.
    let numbers: Vec<&str> = entries.iter().map(|(_, e)| e.student_number.as_str()).collect();
    let addresses: Vec<&Email> = entries.iter().map(|(_, e)| &e.email).collect();
    let existing: Vec<Student> = store::by_numbers_or_emails(conn, &numbers, &addresses)?;
    let by_number: HashMap<&str, &Student> = existing.iter().map(|s| (s.student_number.as_str(), s)).collect();
    let by_email: HashMap<&Email, &Student> = existing.iter().map(|s| (&s.email, s)).collect();

    // Emails are unique too: an email that already belongs to another student is a
    // problem of this file, reported like the others (and nothing is written).
    let problems: Vec<LineProblem> = entries
        .iter()
        .filter_map(|(line, e)| {
            let owner = by_email.get(&e.email)?;
            (owner.student_number != e.student_number).then(|| {
                at(file, *line, "email", format!("{} already belongs to student {}", e.email, owner.student_number))
            })
        })
        .collect();
    if !problems.is_empty() {
        return Err(Refused(problems).into());
    }

    let mut counts = ImportCounts::default();
    let mut new_students: Vec<RosterFields> = Vec::new();
    for (_, entry) in entries {
        let fields = RosterFields {
            student_number: entry.student_number.clone(),
            email: entry.email.clone(),
            name: entry.name.clone(),
            college: entry.college.clone(),
            major: entry.major.clone(),
            class_year: entry.class_year,
            graduation_term: entry.graduation_term.to_string(),
        };
        match by_number.get(entry.student_number.as_str()) {
            Some(current) if RosterFields::of(current) == fields => counts.unchanged += 1,
            Some(current) => {
                diesel::update(students::table.find(&current.id))
                    .set((&fields, students::updated_at.eq(now)))
                    .execute(conn)?;
                counts.updated += 1;
            }
            None => {
                new_students.push(fields);
                counts.created += 1;
            }
        }
    }
    insert_new(conn, &new_students, now)?;
    Ok(counts)
}

/// New students, many to a statement: a university's roster is tens of thousands of rows,
/// and one INSERT each was most of the import's time (issue 15). Still inside the
/// import's one transaction.
fn insert_new(conn: &mut DbConnection, new_students: &[RosterFields], now: chrono::NaiveDateTime) -> QueryResult<()> {
    // Ten values a row: 5,000 binds a statement, under either backend's limit.
    const BATCH: usize = 500;
    for batch in new_students.chunks(BATCH) {
        let rows: Vec<_> = batch
            .iter()
            .map(|fields| {
                (
                    students::id.eq(StudentId::generate()),
                    fields,
                    students::created_at.eq(now),
                    students::updated_at.eq(now),
                )
            })
            .collect();
        // Diesel batches an insert on each backend's own connection (not through the
        // two-backend one).
        match conn {
            DbConnection::Sqlite(c) => diesel::insert_into(students::table).values(rows).execute(c)?,
            DbConnection::Postgresql(c) => diesel::insert_into(students::table).values(rows).execute(c)?,
        };
    }
    Ok(())
}
