//! The office's vetting checklist of an employer: its email domain, website and contact
//! verified, by whom and when (the last save), recorded with an audit event.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::employers;
use crate::audit;
use crate::core::{Actor, EmployerId, Error};
use crate::db::schema::{employer_vettings, users};
use crate::db::{self, DbConnection};

/// What the office checked.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Checks {
    pub domain: bool,
    pub website: bool,
    pub contact: bool,
}

impl Checks {
    pub fn all(&self) -> bool {
        self.domain && self.website && self.contact
    }
}

/// The checklist as last saved.
#[derive(Debug, Clone)]
pub struct Vetting {
    pub checks: Checks,
    pub note: String,
    /// Who saved it (`None`: the account is gone, or the command line).
    pub vetted_by: Option<String>,
    pub vetted_at: NaiveDateTime,
}

pub fn find(conn: &mut DbConnection, employer_id: &EmployerId) -> QueryResult<Option<Vetting>> {
    let row: Option<(bool, bool, bool, String, Option<String>, NaiveDateTime)> = employer_vettings::table
        .left_join(users::table.on(users::id.nullable().eq(employer_vettings::vetted_by)))
        .filter(employer_vettings::employer_id.eq(employer_id))
        .select((
            employer_vettings::domain_verified,
            employer_vettings::website_verified,
            employer_vettings::contact_verified,
            employer_vettings::note,
            users::display_name.nullable(),
            employer_vettings::vetted_at,
        ))
        .first(conn)
        .optional()?;
    Ok(row.map(|(domain, website, contact, note, vetted_by, vetted_at)| Vetting {
        checks: Checks { domain, website, contact },
        note,
        vetted_by,
        vetted_at,
    }))
}

/// Saves the checklist (who and when are the actor and now) with its audit event. The
/// domain cannot be checked while the employer has none. Returns the employer's name.
pub fn record(
    conn: &mut DbConnection,
    employer_id: &EmployerId,
    checks: Checks,
    note: &str,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<String, Error> {
    db::transaction(conn, |conn| {
        let employer = employers::find(conn, employer_id)?.ok_or(Error::NotFound)?;
        if checks.domain && employer.email_domain.is_none() {
            return Err(Error::invalid("domain_verified", "cannot be checked: the profile has no email domain yet"));
        }
        if checks.website && employer.website.is_none() {
            return Err(Error::invalid("website_verified", "cannot be checked: the profile has no website yet"));
        }
        let note = note.trim();
        if note.chars().count() > 1000 {
            return Err(Error::invalid("note", "is longer than 1000 characters"));
        }
        let exists: i64 =
            employer_vettings::table.filter(employer_vettings::employer_id.eq(employer_id)).count().get_result(conn)?;
        if exists == 0 {
            insert_many(
                conn,
                &[NewVetting {
                    id: uuid::Uuid::new_v4().to_string(),
                    employer_id: employer_id.clone(),
                    domain_verified: checks.domain,
                    website_verified: checks.website,
                    contact_verified: checks.contact,
                    note: note.to_owned(),
                    vetted_by: actor.user_id().cloned(),
                    vetted_at: now,
                    created_at: now,
                    updated_at: now,
                }],
            )?;
        } else {
            diesel::update(employer_vettings::table.filter(employer_vettings::employer_id.eq(employer_id)))
                .set((
                    employer_vettings::domain_verified.eq(checks.domain),
                    employer_vettings::website_verified.eq(checks.website),
                    employer_vettings::contact_verified.eq(checks.contact),
                    employer_vettings::note.eq(note),
                    employer_vettings::vetted_by.eq(actor.user_id()),
                    employer_vettings::vetted_at.eq(now),
                    employer_vettings::updated_at.eq(now),
                ))
                .execute(conn)?;
        }
        audit::record(
            conn,
            audit::Event {
                actor,
                action: "employer.vetted",
                subject_type: "employer",
                subject_id: Some(employer_id),
                at: now,
                ip: None,
                details: serde_json::json!({
                    "domain": employer.email_domain,
                    "domain_verified": checks.domain,
                    "website_verified": checks.website,
                    "contact_verified": checks.contact,
                }),
            },
        )?;
        Ok(employer.name.clone())
    })
}

/// An employer's vetting checklist as it is first recorded (by a counselor, or many by
/// the synthetic data set for its active partners).
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = employer_vettings, treat_none_as_default_value = false)]
pub struct NewVetting {
    pub id: String,
    pub employer_id: EmployerId,
    pub domain_verified: bool,
    pub website_verified: bool,
    pub contact_verified: bool,
    pub note: String,
    pub vetted_by: Option<crate::core::UserId>,
    pub vetted_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// Adds vetting checklists, many per statement.
pub fn insert_many(conn: &mut DbConnection, rows: &[NewVetting]) -> QueryResult<usize> {
    crate::db::batch::insert_rows!(conn, employer_vettings::table, rows, 10)
}
