//! Conversion offers: an internship or job offered after a completed project, and its
//! answer. An accepted offer becomes an outcome record (source `conversion`).

use chrono::NaiveDate;
use diesel::prelude::*;

use super::engagements::engagement;
use super::rules::{conversion_outcome, graduated, EngagementStatus, OfferKind, OfferStatus, OfferTerms};
use super::store::{lock, record, recruiter_users, student_user, tell, Acting, Result};
use crate::core::{EmployerId, EngagementId, Error, OfferId, OutcomeId, StudentId};
use crate::db::schema::{employers, offers, outcomes, students};
use crate::db::{self, DbConnection};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = offers)]
pub struct OfferRow {
    pub id: OfferId,
    pub engagement_id: EngagementId,
    pub employer_id: EmployerId,
    pub student_id: StudentId,
    pub kind: OfferKind,
    pub job_title: String,
    pub offer_on: NaiveDate,
    pub status: OfferStatus,
    pub decided_on: Option<NaiveDate>,
    pub outcome_id: Option<OutcomeId>,
    pub annual_salary_cents: Option<i64>,
    pub currency: String,
    pub start_on: Option<NaiveDate>,
    pub location: Option<String>,
}

/// An offer waiting for the student's answer, as their dashboard lists it.
#[derive(Debug, Clone, Queryable)]
pub struct OpenOffer {
    pub id: OfferId,
    pub engagement_id: EngagementId,
    pub job_title: String,
    pub kind: OfferKind,
    pub offer_on: NaiveDate,
    pub employer: String,
}

/// The student's offers still waiting for their answer, oldest first.
pub fn open_offers_of(conn: &mut DbConnection, student_id: &StudentId) -> QueryResult<Vec<OpenOffer>> {
    offers::table
        .inner_join(employers::table)
        .filter(offers::student_id.eq(student_id))
        .filter(offers::status.eq(OfferStatus::Extended))
        .select((offers::id, offers::engagement_id, offers::job_title, offers::kind, offers::offer_on, employers::name))
        .order((offers::offer_on, offers::id))
        .load(conn)
}

/// What an answered offer was: the project it followed, its title, the student and the
/// employer by name (for the message that says what was done).
#[derive(Debug, Clone)]
pub struct Answered {
    pub engagement_id: EngagementId,
    pub job_title: String,
    pub student: String,
    pub employer: String,
}

/// Who answers an offer: the student themself, or the employer or the office recording
/// the answer the student gave them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnsweredBy {
    Student,
    Recorded,
}

/// The offers made after a project, oldest first (the caller checked the scope).
pub fn offers_of(conn: &mut DbConnection, engagement_id: &EngagementId) -> QueryResult<Vec<OfferRow>> {
    offers::table
        .filter(offers::engagement_id.eq(engagement_id))
        .select(OfferRow::as_select())
        .order(offers::offer_on)
        .load(conn)
}

/// An offer within `scope` (another's answers not found).
pub fn offer(conn: &mut DbConnection, offer_id: &OfferId, scope: &super::store::Scope) -> Result<OfferRow> {
    let o: OfferRow =
        offers::table.find(offer_id).select(OfferRow::as_select()).first(conn).optional()?.ok_or(Error::NotFound)?;
    if !scope.may_see(&o.student_id, &o.employer_id) {
        return Err(Error::NotFound);
    }
    Ok(o)
}

/// The project an offer was made after (None: no such offer).
pub fn engagement_of(conn: &mut DbConnection, offer_id: &OfferId) -> QueryResult<Option<EngagementId>> {
    offers::table.find(offer_id).select(offers::engagement_id).first(conn).optional()
}

/// The employer (or the office) records an offer made after a completed project.
pub fn make_offer(
    conn: &mut DbConnection,
    engagement_id: &EngagementId,
    terms: &OfferTerms,
    by: &Acting<'_>,
) -> Result<(OfferId, String)> {
    let Acting { scope, actor, today, now } = *by;
    let (kind, job_title, offer_on) = (terms.kind, terms.job_title.as_str(), terms.offer_on);
    db::transaction(conn, |conn| {
        lock(conn, "engagements", engagement_id)?;
        let e = engagement(conn, engagement_id, scope)?;
        let scope = &scope.on_record_of(&e.student_id);
        if scope.student().is_some() {
            return Err(Error::NotFound);
        }
        if e.status != EngagementStatus::Completed {
            return Err(Error::Conflict("an offer is recorded from a completed project".into()));
        }
        if offer_on > today || e.completed_on.is_some_and(|c| offer_on < c) {
            return Err(Error::invalid("offer_on", "must be on or after the completion date, and not in the future"));
        }
        let id = OfferId::generate();
        diesel::insert_into(offers::table)
            .values((
                offers::id.eq(&id),
                offers::engagement_id.eq(engagement_id),
                offers::employer_id.eq(&e.employer_id),
                offers::student_id.eq(&e.student_id),
                offers::kind.eq(kind),
                offers::job_title.eq(job_title.trim()),
                offers::offer_on.eq(offer_on),
                offers::status.eq(OfferStatus::Extended),
                offers::annual_salary_cents.eq(terms.annual_salary_cents),
                offers::currency.eq(&terms.currency),
                offers::start_on.eq(terms.start_on),
                offers::location.eq(&terms.location),
                offers::created_at.eq(now),
                offers::updated_at.eq(now),
            ))
            .execute(conn)?;
        let student = student_user(conn, &e.student_id)?;
        tell(
            conn,
            &student,
            "job_offer",
            format!("An offer: {}", job_title.trim()),
            "After your project, the employer made you an offer. Accept or decline it on the project's page.".into(),
            format!("/engagements/{engagement_id}"),
            now,
        )?;
        record(
            conn,
            now,
            actor,
            "offer.extended",
            "offer",
            &id,
            serde_json::json!({ "engagement_id": engagement_id, "kind": kind }),
        )?;
        let name: String = students::table.find(&e.student_id).select(students::name).first(conn)?;
        Ok((id.clone(), name))
    })
}

/// The offer's answer. An accepted offer becomes an outcome (source `conversion`) linked
/// to the engagement: it counts in the conversion and placement reports.
pub fn decide_offer(
    conn: &mut DbConnection,
    offer_id: &OfferId,
    accepted: bool,
    decided_on: NaiveDate,
    who: AnsweredBy,
    by: &Acting<'_>,
) -> Result<Answered> {
    let Acting { scope, actor, today, now } = *by;
    db::transaction(conn, |conn| {
        lock(conn, "offers", offer_id)?;
        let o: OfferRow = offers::table
            .find(offer_id)
            .select(OfferRow::as_select())
            .first(conn)
            .optional()?
            .ok_or(Error::NotFound)?;
        if !scope.may_see(&o.student_id, &o.employer_id) {
            return Err(Error::NotFound);
        }
        // A student answers only their own offers; the employer and the office record
        // the answer of someone else (staff who study answer their own as the student).
        let own = scope.on_record_of(&o.student_id).student().is_some();
        if own != (who == AnsweredBy::Student) {
            return Err(Error::NotFound);
        }
        if o.status != OfferStatus::Extended {
            return Err(Error::Conflict(format!("the offer is already {}", o.status)));
        }
        if decided_on > today || decided_on < o.offer_on {
            return Err(Error::invalid("decided_on", "must be between the offer date and today"));
        }
        let to = if accepted { OfferStatus::Accepted } else { OfferStatus::Declined };
        let moved = diesel::update(
            offers::table.filter(offers::id.eq(offer_id)).filter(offers::status.eq(OfferStatus::Extended)),
        )
        .set((offers::status.eq(to), offers::decided_on.eq(decided_on), offers::updated_at.eq(now)))
        .execute(conn)?;
        if moved != 1 {
            return Err(Error::Conflict("the offer changed meanwhile".into()));
        }
        let employer_name: String = employers::table.find(&o.employer_id).select(employers::name).first(conn)?;
        let student_name: String = students::table.find(&o.student_id).select(students::name).first(conn)?;
        if accepted {
            let term: String = students::table.find(&o.student_id).select(students::graduation_term).first(conn)?;
            let graduated = graduated(&term, today);
            let (category, employment_type) = conversion_outcome(o.kind, graduated);
            let has_primary: i64 = outcomes::table
                .filter(outcomes::student_id.eq(&o.student_id))
                .filter(outcomes::is_primary.eq(true))
                .count()
                .get_result(conn)?;
            let outcome_id = OutcomeId::generate();
            diesel::insert_into(outcomes::table)
                .values((
                    outcomes::id.eq(&outcome_id),
                    outcomes::student_id.eq(&o.student_id),
                    outcomes::category.eq(category),
                    outcomes::employer_id.eq(&o.employer_id),
                    outcomes::organization.eq(&employer_name),
                    outcomes::job_title.eq(&o.job_title),
                    outcomes::employment_type.eq(employment_type),
                    outcomes::start_on.eq(o.start_on),
                    outcomes::annual_salary_cents.eq(o.annual_salary_cents),
                    outcomes::currency.eq(&o.currency),
                    outcomes::source.eq("conversion"),
                    outcomes::is_primary.eq(graduated && has_primary == 0),
                    outcomes::offer_on.eq(o.offer_on),
                    outcomes::accepted_on.eq(decided_on),
                    outcomes::known_on.eq(decided_on),
                    outcomes::engagement_id.eq(&o.engagement_id),
                    outcomes::recorded_by.eq(actor.user_id()),
                    outcomes::created_at.eq(now),
                    outcomes::updated_at.eq(now),
                ))
                .execute(conn)?;
            diesel::update(offers::table.find(offer_id)).set(offers::outcome_id.eq(&outcome_id)).execute(conn)?;
        }
        record(
            conn,
            now,
            actor,
            &format!("offer.{to}"),
            "offer",
            offer_id,
            serde_json::json!({ "engagement_id": o.engagement_id, "by": if who == AnsweredBy::Student { "student" } else { "recorded" } }),
        )?;
        if who == AnsweredBy::Student {
            // The employer learns the answer in its inbox.
            let recruiters = recruiter_users(conn, &o.employer_id)?;
            let answer = if accepted { "accepted" } else { "declined" };
            tell(
                conn,
                &recruiters,
                "offer_answered",
                format!("{student_name} {answer} your offer: {}", o.job_title),
                format!("{student_name} {answer} the offer of {} made after the project.", o.job_title),
                format!("/engagements/{}", o.engagement_id),
                now,
            )?;
        }
        Ok(Answered {
            engagement_id: o.engagement_id,
            job_title: o.job_title,
            student: student_name,
            employer: employer_name,
        })
    })
}
