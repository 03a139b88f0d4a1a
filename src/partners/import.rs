//! `waypoint import employers FILE.csv` and the portal's upload: employers and their
//! partnerships, all or nothing, with every problem reported as `FILE:LINE: field: problem`.
//! Rows are matched to employers by name (case aside): new ones are added with a first
//! partnership, known ones updated; a status change goes through the same rules (and
//! has the same effects) as in the portal.

use std::collections::HashMap;
use std::io::Read;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::Connection;
use serde::Deserialize;

use super::rules::{validate_employer, EmployerForm, EmployerProfile, PartnershipStatus, Tier};
use super::store::employers::{self, Employer};
use super::store::partnerships;
use crate::audit;
use crate::core::{Actor, Error, FieldProblem};
use crate::csv_import::{read_rows, Columns, ImportCounts, LineProblem, ReadRows, Refused};
use crate::db::{self, DbConnection};

/// What a row needs: an employer is a name in an industry.
pub const REQUIRED: [&str; 2] = ["name", "industry"];
/// What a file may leave out. A left-out column changes nothing of a known employer (a
/// column that is there but blank clears the field, as in the portal; blank `tier` and
/// `status` keep them); a new employer gets blanks, the standard tier and a prospect
/// partnership.
pub const OPTIONAL: [&str; 7] = ["website", "email_domain", "size", "location", "description", "tier", "status"];

pub const COLUMNS: Columns<'static> = Columns { required: &REQUIRED, optional: &OPTIONAL };

#[derive(Debug, Clone, Deserialize)]
pub struct Row {
    pub name: String,
    pub industry: String,
    #[serde(default, deserialize_with = "present")]
    pub website: Option<String>,
    #[serde(default, deserialize_with = "present")]
    pub email_domain: Option<String>,
    #[serde(default, deserialize_with = "present")]
    pub size: Option<String>,
    #[serde(default, deserialize_with = "present")]
    pub location: Option<String>,
    #[serde(default, deserialize_with = "present")]
    pub description: Option<String>,
    #[serde(default, deserialize_with = "present")]
    pub tier: Option<String>,
    #[serde(default, deserialize_with = "present")]
    pub status: Option<String>,
}

/// A column that is in the file is `Some`, even when blank (the reader would make a
/// blank field `None`, which here must mean "not in the file").
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    String::deserialize(d).map(Some)
}

impl Row {
    fn employer(&self) -> EmployerForm {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        EmployerForm {
            name: self.name.clone(),
            industry: self.industry.clone(),
            website: text(&self.website),
            email_domain: text(&self.email_domain),
            size: text(&self.size),
            location: text(&self.location),
            description: text(&self.description),
        }
    }

    fn in_file(&self) -> InFile {
        InFile {
            website: self.website.is_some(),
            email_domain: self.email_domain.is_some(),
            size: self.size.is_some(),
            location: self.location.is_some(),
            description: self.description.is_some(),
        }
    }
}

/// Which of the optional profile columns the file has.
#[derive(Debug, Clone, Copy)]
struct InFile {
    website: bool,
    email_domain: bool,
    size: bool,
    location: bool,
    description: bool,
}

impl InFile {
    /// The profile to store for a known employer: the file's values, and the stored
    /// ones where the file has no column.
    fn over(self, file: &EmployerProfile, stored: &Employer) -> EmployerProfile {
        fn pick<T: Clone>(in_file: bool, new: &T, old: &T) -> T {
            if in_file {
                new.clone()
            } else {
                old.clone()
            }
        }
        EmployerProfile {
            name: file.name.clone(),
            industry: file.industry.clone(),
            website: pick(self.website, &file.website, &stored.website),
            email_domain: pick(self.email_domain, &file.email_domain, &stored.email_domain),
            size: pick(self.size, &file.size, &stored.size),
            location: pick(self.location, &file.location, &stored.location),
            description: pick(self.description, &file.description, &stored.description),
        }
    }
}

struct Checked {
    line: u64,
    profile: EmployerProfile,
    in_file: InFile,
    tier: Option<Tier>,
    status: Option<PartnershipStatus>,
}

fn at(file: &str, line: u64, field: &str, problem: impl Into<String>) -> LineProblem {
    LineProblem { file: file.to_owned(), line, field: field.to_owned(), problem: problem.into() }
}

fn check_rows(file: &str, read: ReadRows<Row>) -> Result<Vec<Checked>, Refused> {
    let ReadRows { rows, mut problems } = read;
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut checked = Vec::new();
    for (line, row) in rows {
        let profile = validate_employer(&row.employer()).map_err(|p| {
            problems.extend(p.into_vec().into_iter().map(|p| at(file, line, &p.field, p.problem)));
        });
        let tier = match row.tier.as_deref().unwrap_or_default().trim() {
            "" => None,
            t => t.parse::<Tier>().map_err(|e| problems.push(at(file, line, "tier", e))).ok(),
        };
        let status = match row.status.as_deref().unwrap_or_default().trim() {
            "" => None,
            s => s.parse::<PartnershipStatus>().map_err(|e| problems.push(at(file, line, "status", e))).ok(),
        };
        if let Ok(profile) = profile {
            if let Some(first) = seen.insert(profile.name.to_lowercase(), line) {
                problems.push(at(
                    file,
                    line,
                    "name",
                    format!("{} appears again (first on line {first})", profile.name),
                ));
            }
            checked.push(Checked { line, profile, in_file: row.in_file(), tier, status });
        }
    }
    if checked.is_empty() && problems.is_empty() {
        problems.push(at(file, 2, "row", "the file has a header but no employers"));
    }
    if problems.is_empty() {
        Ok(checked)
    } else {
        problems.sort_by_key(|p| p.line);
        Err(Refused(problems))
    }
}

/// Validates the whole file, then writes it in one transaction (or nothing). A refused
/// file is `Error::Invalid` with every problem, each named `FILE:LINE: column`.
pub fn import_employers(
    conn: &mut DbConnection,
    file: &str,
    reader: impl Read,
    actor: &Actor,
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<ImportCounts, Error> {
    let read: ReadRows<Row> = read_rows(file, reader, COLUMNS)?;
    let rows = check_rows(file, read)?;
    db::transaction(conn, |conn| {
        let mut counts = ImportCounts::default();
        let mut problems = Vec::new();
        for row in &rows {
            // Each row in a savepoint: a refused row is undone alone, the others go on
            // being checked, and any problem then undoes the whole file.
            let outcome = conn.transaction(|conn| apply_row(conn, row, actor, today, now));
            match outcome {
                Ok(RowOutcome::Created) => counts.created += 1,
                Ok(RowOutcome::Updated) => counts.updated += 1,
                Ok(RowOutcome::Unchanged) => counts.unchanged += 1,
                Err(Error::Invalid(p)) => {
                    problems.extend(p.into_iter().map(|p| at(file, row.line, &p.field, p.problem)))
                }
                // A refused change of the partnership: a problem of the row's status.
                Err(Error::Conflict(m)) => problems.push(at(file, row.line, "status", m)),
                Err(Error::NotFound) => {
                    problems.push(at(file, row.line, "name", "the employer vanished during the import"))
                }
                Err(e) => return Err(e),
            }
        }
        if !problems.is_empty() {
            return Err(Refused(problems).into());
        }
        audit::record(
            conn,
            audit::Event {
                actor,
                action: "employers.imported",
                subject_type: "employers",
                subject_id: None,
                at: now,
                ip: None,
                details: serde_json::json!({ "file": file, "created": counts.created, "updated": counts.updated, "unchanged": counts.unchanged }),
            },
        )?;
        Ok(counts)
    })
}

enum RowOutcome {
    Created,
    Updated,
    Unchanged,
}

fn apply_row(
    conn: &mut DbConnection,
    row: &Checked,
    actor: &Actor,
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<RowOutcome, Error> {
    let Some(id) = employers::id_by_name(conn, &row.profile.name)? else {
        employers::create(
            conn,
            &row.profile,
            row.tier.unwrap_or(Tier::Standard),
            row.status.unwrap_or(PartnershipStatus::Prospect),
            actor,
            today,
            now,
        )?;
        return Ok(RowOutcome::Created);
    };
    let stored = employers::find(conn, &id)?.ok_or(Error::NotFound)?;
    let profile = row.in_file.over(&row.profile, &stored);
    let mut changed = employers::update(conn, &id, &profile, actor, now)?;
    let current = partnerships::current(conn, &id)?;
    if let Some(tier) = row.tier {
        match &current {
            Some(p) if p.tier != tier => {
                partnerships::set_terms(conn, &id, tier, p.owner_id.as_ref(), &p.notes, actor, now)?;
                changed = true;
            }
            _ => {}
        }
    }
    if let Some(status) = row.status {
        match &current {
            Some(p) if p.status == status => {}
            Some(_) => {
                partnerships::change_status(conn, &id, status, "imported", actor, today, now)
                    .map_err(in_status_column)?;
                changed = true;
            }
            None => {
                return Err(Error::Conflict(format!(
                    "{} has no current partnership (the last one ended): start a new one in the portal",
                    row.profile.name
                )))
            }
        }
    }
    Ok(if changed { RowOutcome::Updated } else { RowOutcome::Unchanged })
}

/// A status change the rules refuse is a problem of the row's `status` column, whichever
/// field the portal would name (the vetted domain it lacks, say).
fn in_status_column(e: Error) -> Error {
    match e {
        Error::Invalid(p) => Error::Invalid(p.into_iter().map(|p| FieldProblem::new("status", p.problem)).collect()),
        other => other,
    }
}
