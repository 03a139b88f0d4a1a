//! Outcomes as the office records them: recording, editing (each change kept in
//! `outcome_changes`: who, when, before, after) and at most one primary per graduate
//! (the other primary is unmarked in the same transaction; a unique index backs it).

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use super::rules::{Category, EmploymentType, OutcomeDraft, Source};
use crate::core::{Actor, Error, StudentId};
use crate::db::schema::{employers, outcome_changes, outcomes, students};
use crate::db::{self, DbConnection};

/// One outcome as its row holds it (and as the history keeps it, as JSON).
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Serialize)]
#[diesel(table_name = outcomes)]
pub struct Outcome {
    pub id: String,
    pub student_id: String,
    pub category: String,
    pub employer_id: Option<String>,
    pub organization: Option<String>,
    pub job_title: Option<String>,
    pub employment_type: Option<String>,
    pub start_on: Option<NaiveDate>,
    pub annual_salary_cents: Option<i64>,
    pub currency: String,
    pub source: String,
    pub is_primary: bool,
    pub offer_on: Option<NaiveDate>,
    pub accepted_on: Option<NaiveDate>,
    pub known_on: NaiveDate,
    pub created_at: NaiveDateTime,
    /// A graduate's survey answer the office has not confirmed yet: shown, never counted.
    pub awaiting_confirmation: bool,
}

impl Outcome {
    /// The fields a change can alter, for the history (ids and timestamps aside).
    fn fields(&self) -> serde_json::Value {
        serde_json::json!({
            "category": self.category, "employment_type": self.employment_type,
            "employer_id": self.employer_id, "organization": self.organization,
            "job_title": self.job_title, "start_on": self.start_on,
            "annual_salary_cents": self.annual_salary_cents, "currency": self.currency,
            "source": self.source, "primary": self.is_primary, "offer_on": self.offer_on,
            "accepted_on": self.accepted_on, "known_on": self.known_on,
            "confirmed": !self.awaiting_confirmation,
        })
    }

    /// Whether the row already says what the draft says (an import of the same file
    /// changes nothing).
    fn says(&self, d: &OutcomeDraft, employer_id: &Option<String>) -> bool {
        self.category == d.category.as_str()
            && self.employment_type.as_deref() == d.employment_type.map(EmploymentType::as_str)
            && &self.employer_id == employer_id
            && self.organization == d.organization
            && self.job_title == d.job_title
            && self.start_on == d.start_on
            && self.annual_salary_cents == d.annual_salary_cents
            && self.currency == d.currency
            && self.source == d.source.as_str()
            && self.is_primary == d.is_primary
            && self.offer_on == d.offer_on
            && self.accepted_on == d.accepted_on
            && self.known_on == d.known_on
    }
}

/// One kept change.
#[derive(Debug, Clone, Queryable, Serialize)]
pub struct Change {
    pub outcome_id: String,
    pub changed_by: String,
    pub changed_at: NaiveDateTime,
    pub before: Option<String>,
    pub after: String,
}

fn load(conn: &mut DbConnection, id: &str) -> QueryResult<Option<Outcome>> {
    outcomes::table.find(id).select(Outcome::as_select()).first(conn).optional()
}

fn keep(
    conn: &mut DbConnection,
    actor: &Actor,
    before: Option<&Outcome>,
    after: &Outcome,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(outcome_changes::table)
        .values((
            outcome_changes::id.eq(uuid::Uuid::new_v4().to_string()),
            outcome_changes::outcome_id.eq(&after.id),
            outcome_changes::student_id.eq(&after.student_id),
            outcome_changes::changed_by.eq(actor.user_id()),
            outcome_changes::changed_by_label.eq(actor.label()),
            outcome_changes::changed_at.eq(now),
            outcome_changes::before_fields.eq(before.map(|b| b.fields().to_string())),
            outcome_changes::after_fields.eq(after.fields().to_string()),
            outcome_changes::created_at.eq(now),
            outcome_changes::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// The catalogue's employer of that name (case aside), which the outcome then names.
fn employer_named(conn: &mut DbConnection, organization: &Option<String>) -> QueryResult<Option<String>> {
    match organization {
        None => Ok(None),
        Some(name) => Ok(crate::partners::store::employers::id_by_name(conn, name)?.map(|e| e.as_str().to_owned())),
    }
}

/// Unmarks the student's other primary outcome, keeping the change, so that the one being
/// written can be the primary.
fn unmark_other_primary(
    conn: &mut DbConnection,
    actor: &Actor,
    student: &str,
    except: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let others: Vec<Outcome> = outcomes::table
        .filter(outcomes::student_id.eq(student))
        .filter(outcomes::is_primary.eq(true))
        .select(Outcome::as_select())
        .load(conn)?;
    for before in others.into_iter().filter(|o| Some(o.id.as_str()) != except) {
        diesel::update(outcomes::table.find(&before.id))
            .set((outcomes::is_primary.eq(false), outcomes::updated_at.eq(now)))
            .execute(conn)?;
        let after = Outcome { is_primary: false, ..before.clone() };
        keep(conn, actor, Some(&before), &after, now)?;
    }
    Ok(())
}

/// Writes a new outcome; `awaiting` for a graduate's survey answer, which waits for the
/// office's confirmation (everything else the office writes is confirmed as written).
fn insert(
    conn: &mut DbConnection,
    actor: &Actor,
    student: &str,
    d: &OutcomeDraft,
    awaiting: bool,
    now: NaiveDateTime,
) -> QueryResult<Outcome> {
    let employer_id = employer_named(conn, &d.organization)?;
    if d.is_primary {
        unmark_other_primary(conn, actor, student, None, now)?;
    }
    let id = uuid::Uuid::new_v4().to_string();
    insert_many(
        conn,
        &[NewOutcome {
            id: id.clone(),
            student_id: StudentId::from(student),
            category: d.category,
            employer_id: employer_id.map(crate::core::EmployerId::from),
            organization: d.organization.clone(),
            job_title: d.job_title.clone(),
            employment_type: d.employment_type,
            start_on: d.start_on,
            annual_salary_cents: d.annual_salary_cents,
            currency: d.currency.clone(),
            source: d.source,
            is_primary: d.is_primary,
            offer_on: d.offer_on,
            accepted_on: d.accepted_on,
            known_on: d.known_on,
            engagement_id: None,
            recorded_by: actor.user_id().cloned(),
            awaiting_confirmation: awaiting,
            created_at: now,
            updated_at: now,
        }],
    )?;
    let after = load(conn, &id)?.ok_or(diesel::result::Error::NotFound)?;
    keep(conn, actor, None, &after, now)?;
    Ok(after)
}

fn update(
    conn: &mut DbConnection,
    actor: &Actor,
    before: &Outcome,
    d: &OutcomeDraft,
    now: NaiveDateTime,
) -> QueryResult<Outcome> {
    let employer_id = employer_named(conn, &d.organization)?;
    if d.is_primary {
        unmark_other_primary(conn, actor, &before.student_id, Some(&before.id), now)?;
    }
    diesel::update(outcomes::table.find(&before.id))
        .set((
            outcomes::category.eq(d.category.as_str()),
            outcomes::employer_id.eq(&employer_id),
            outcomes::organization.eq(&d.organization),
            outcomes::job_title.eq(&d.job_title),
            outcomes::employment_type.eq(d.employment_type.map(EmploymentType::as_str)),
            outcomes::start_on.eq(d.start_on),
            outcomes::annual_salary_cents.eq(d.annual_salary_cents),
            outcomes::currency.eq(&d.currency),
            outcomes::source.eq(d.source.as_str()),
            outcomes::is_primary.eq(d.is_primary),
            outcomes::offer_on.eq(d.offer_on),
            outcomes::accepted_on.eq(d.accepted_on),
            outcomes::known_on.eq(d.known_on),
            // The office wrote it: a survey answer corrected is a confirmed one.
            outcomes::awaiting_confirmation.eq(false),
            outcomes::updated_at.eq(now),
        ))
        .execute(conn)?;
    let after = load(conn, &before.id)?.ok_or(diesel::result::Error::NotFound)?;
    keep(conn, actor, Some(before), &after, now)?;
    Ok(after)
}

/// The student's name, or `NotFound`.
fn student_name(conn: &mut DbConnection, student: &str) -> Result<String, Error> {
    students::table.find(student).select(students::name).first(conn).optional()?.ok_or(Error::NotFound)
}

/// Records a new outcome for a student; answers the student's name (for the flash).
pub fn record(
    conn: &mut DbConnection,
    actor: &Actor,
    student: &StudentId,
    d: &OutcomeDraft,
    now: NaiveDateTime,
) -> Result<String, Error> {
    db::transaction(conn, |c| {
        let name = student_name(c, student.as_str())?;
        insert(c, actor, student.as_str(), d, false, now)?;
        Ok(name)
    })
}

/// Changes an outcome of the student; answers the student's name.
pub fn edit(
    conn: &mut DbConnection,
    actor: &Actor,
    student: &StudentId,
    id: &str,
    d: &OutcomeDraft,
    now: NaiveDateTime,
) -> Result<String, Error> {
    db::transaction(conn, |c| {
        let name = student_name(c, student.as_str())?;
        let before = load(c, id)?.filter(|o| o.student_id == student.as_str()).ok_or(Error::NotFound)?;
        update(c, actor, &before, d, now)?;
        Ok(name)
    })
}

/// A graduate's survey answer, written as an outcome awaiting the office's confirmation
/// (in the caller's transaction, with the answer's claim).
pub(crate) fn record_survey_answer(
    conn: &mut DbConnection,
    actor: &Actor,
    student: &str,
    d: &OutcomeDraft,
    now: NaiveDateTime,
) -> QueryResult<Outcome> {
    insert(conn, actor, student, d, true, now)
}

/// A counselor confirms a graduate's survey answer as it is: from then on it counts in
/// the figures. Answers the student's name; an outcome not awaiting confirmation is a
/// conflict (nothing changes).
pub fn confirm(
    conn: &mut DbConnection,
    actor: &Actor,
    student: &StudentId,
    id: &str,
    now: NaiveDateTime,
) -> Result<String, Error> {
    db::transaction(conn, |c| {
        let name = student_name(c, student.as_str())?;
        let before = load(c, id)?.filter(|o| o.student_id == student.as_str()).ok_or(Error::NotFound)?;
        let claimed = diesel::update(outcomes::table.find(&before.id).filter(outcomes::awaiting_confirmation.eq(true)))
            .set((outcomes::awaiting_confirmation.eq(false), outcomes::updated_at.eq(now)))
            .execute(c)?;
        if claimed == 0 {
            return Err(Error::Conflict(format!("This outcome of {name} is already confirmed.")));
        }
        let after = Outcome { awaiting_confirmation: false, ..before.clone() };
        keep(c, actor, Some(&before), &after, now)?;
        Ok(name)
    })
}

/// One of the student's outcomes (`None` when it is someone else's).
pub fn one(conn: &mut DbConnection, student: &StudentId, id: &str) -> QueryResult<Option<Outcome>> {
    Ok(load(conn, id)?.filter(|o| o.student_id == student.as_str()))
}

/// The student's outcomes, the primary first, then the latest known first.
pub fn of_student(conn: &mut DbConnection, student: &StudentId) -> QueryResult<Vec<Outcome>> {
    outcomes::table
        .filter(outcomes::student_id.eq(student.as_str()))
        .order((outcomes::is_primary.desc(), outcomes::known_on.desc(), outcomes::created_at.desc(), outcomes::id))
        .select(Outcome::as_select())
        .load(conn)
}

/// The kept changes of the student's outcomes, newest first.
pub fn history_of_student(conn: &mut DbConnection, student: &StudentId) -> QueryResult<Vec<Change>> {
    outcome_changes::table
        .filter(outcome_changes::student_id.eq(student.as_str()))
        .order((outcome_changes::changed_at.desc(), outcome_changes::id.desc()))
        .select((
            outcome_changes::outcome_id,
            outcome_changes::changed_by_label,
            outcome_changes::changed_at,
            outcome_changes::before_fields,
            outcome_changes::after_fields,
        ))
        .load(conn)
}

/// Writes an import's checked rows: one transaction, all or nothing. A row matches an
/// outcome of the same student with the same source, category, organisation and
/// `known_on`; a match saying the same is unchanged, one saying otherwise is updated,
/// and a row with no match is created — so importing the same file again changes nothing.
pub fn import(
    conn: &mut DbConnection,
    actor: &Actor,
    rows: &[(String, OutcomeDraft)],
    now: NaiveDateTime,
) -> Result<crate::csv_import::ImportCounts, Error> {
    db::transaction(conn, |c| {
        let mut counts = crate::csv_import::ImportCounts::default();
        for (student, d) in rows {
            let existing: Vec<Outcome> = outcomes::table
                .filter(outcomes::student_id.eq(student))
                .filter(outcomes::source.eq(d.source.as_str()))
                .filter(outcomes::category.eq(d.category.as_str()))
                .filter(outcomes::known_on.eq(d.known_on))
                .select(Outcome::as_select())
                .load(c)?;
            let same = existing.into_iter().find(|o| o.organization == d.organization);
            match same {
                Some(o) => {
                    let employer_id = employer_named(c, &d.organization)?;
                    if o.says(d, &employer_id) {
                        counts.unchanged += 1;
                    } else {
                        update(c, actor, &o, d, now)?;
                        counts.updated += 1;
                    }
                }
                None => {
                    insert(c, actor, student, d, false, now)?;
                    counts.created += 1;
                }
            }
        }
        Ok(counts)
    })
}

/// Student ids by student number, for an import's rows (one query for the file).
pub fn students_by_number(
    conn: &mut DbConnection,
    numbers: &[String],
) -> QueryResult<std::collections::HashMap<String, String>> {
    let mut found = std::collections::HashMap::new();
    for chunk in numbers.chunks(500) {
        let rows: Vec<(String, String)> = students::table
            .filter(students::student_number.eq_any(chunk))
            .select((students::student_number, students::id))
            .load(conn)?;
        found.extend(rows);
    }
    Ok(found)
}

/// The catalogue's employer names, for the form's suggestions.
pub fn employer_names(conn: &mut DbConnection) -> QueryResult<Vec<String>> {
    employers::table.select(employers::name).order(employers::name).load(conn)
}

/// Category, employment type and source labels for a row, for the pages.
pub fn labels(o: &Outcome) -> (String, String, String) {
    let cat = o.category.parse::<Category>().map(|c| c.label().to_owned()).unwrap_or_else(|_| o.category.clone());
    let emp = o
        .employment_type
        .as_deref()
        .and_then(|t| t.parse::<EmploymentType>().ok())
        .map(|t| t.label().to_owned())
        .unwrap_or_default();
    let src = o.source.parse::<Source>().map(|s| s.label().to_owned()).unwrap_or_else(|_| o.source.clone());
    (cat, emp, src)
}

/// An outcome as a bulk writer adds it (the synthetic data set): every column bound.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = outcomes, treat_none_as_default_value = false)]
pub struct NewOutcome {
    pub id: String,
    pub student_id: StudentId,
    pub category: Category,
    pub employer_id: Option<crate::core::EmployerId>,
    pub organization: Option<String>,
    pub job_title: Option<String>,
    pub employment_type: Option<EmploymentType>,
    pub start_on: Option<NaiveDate>,
    pub annual_salary_cents: Option<i64>,
    pub currency: String,
    pub source: Source,
    pub is_primary: bool,
    pub offer_on: Option<NaiveDate>,
    pub accepted_on: Option<NaiveDate>,
    pub known_on: NaiveDate,
    pub engagement_id: Option<crate::core::EngagementId>,
    pub recorded_by: Option<crate::core::UserId>,
    pub awaiting_confirmation: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// Adds outcomes, many per statement.
pub fn insert_many(conn: &mut DbConnection, rows: &[NewOutcome]) -> QueryResult<usize> {
    crate::db::batch::insert_rows!(conn, outcomes::table, rows, 20)
}
