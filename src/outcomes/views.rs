//! What the outcome pages show, in the office's words.

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;

use super::store::{self, Change, Outcome};
use crate::core::StudentId;

#[derive(Debug, Serialize)]
pub struct OutcomeRow {
    pub id: String,
    pub category: String,
    pub employment_type: String,
    pub organization: String,
    pub job_title: String,
    pub start_on: Option<NaiveDate>,
    pub salary: Option<String>,
    pub source: String,
    pub primary: bool,
    pub known_on: NaiveDate,
    /// A survey answer waiting for the office: confirm it, or correct it.
    pub awaiting_confirmation: bool,
}

impl From<&Outcome> for OutcomeRow {
    fn from(o: &Outcome) -> Self {
        let (category, employment_type, source) = store::labels(o);
        OutcomeRow {
            id: o.id.clone(),
            category,
            employment_type,
            organization: o.organization.clone().unwrap_or_default(),
            job_title: o.job_title.clone().unwrap_or_default(),
            start_on: o.start_on,
            salary: o.annual_salary_cents.map(|c| crate::core::money::format(c, &o.currency)),
            source,
            primary: o.is_primary,
            known_on: o.known_on,
            awaiting_confirmation: o.awaiting_confirmation,
        }
    }
}

/// One kept change, as "what changed: before → after".
#[derive(Debug, Serialize)]
pub struct ChangeRow {
    pub by: String,
    pub at: NaiveDateTime,
    pub recorded: bool,
    pub changes: Vec<String>,
}

impl From<&Change> for ChangeRow {
    fn from(c: &Change) -> Self {
        let after: serde_json::Value = serde_json::from_str(&c.after).unwrap_or_default();
        let before: Option<serde_json::Value> = c.before.as_deref().and_then(|b| serde_json::from_str(b).ok());
        let show = |v: Option<&serde_json::Value>| match v {
            None | Some(serde_json::Value::Null) => "(none)".to_owned(),
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(other) => other.to_string(),
        };
        let mut changes = Vec::new();
        if let (Some(b), Some(a)) = (before.as_ref().and_then(|b| b.as_object()), after.as_object()) {
            // A field the change before this one did not keep yet (recorded before it
            // existed) is no change.
            for (k, v) in a {
                if b.get(k).is_some_and(|was| was != v) {
                    changes.push(format!("{}: {} → {}", k.replace('_', " "), show(b.get(k)), show(Some(v))));
                }
            }
        }
        ChangeRow { by: c.changed_by.clone(), at: c.changed_at, recorded: before.is_none(), changes }
    }
}

#[derive(Debug, Serialize)]
pub struct OutcomesPage {
    pub student: String,
    pub name: String,
    pub outcomes: Vec<OutcomeRow>,
    pub history: Vec<ChangeRow>,
    /// Whether a survey answer awaits confirmation.
    pub awaiting: bool,
}

impl OutcomesPage {
    pub fn new(student: &StudentId, name: &str, outcomes: &[Outcome], history: &[Change]) -> Self {
        OutcomesPage {
            student: student.as_str().to_owned(),
            name: name.to_owned(),
            outcomes: super::routes::rows(outcomes),
            history: history.iter().map(ChangeRow::from).collect(),
            awaiting: outcomes.iter().any(|o| o.awaiting_confirmation),
        }
    }
}
