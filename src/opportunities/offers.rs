//! Conversion offers: an internship or job offered after a completed project, and its
//! answer. An accepted offer becomes an outcome record (source `conversion`).

use chrono::NaiveDate;
use diesel::prelude::*;

use super::engagements::engagement;
use super::rules::{conversion_outcome, graduated, EngagementStatus, OfferKind, OfferStatus};
use super::store::{lock, record, student_user, tell, Acting, Result};
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
}

/// The offers made after a project, oldest first (the caller checked the scope).
pub fn offers_of(conn: &mut DbConnection, engagement_id: &EngagementId) -> QueryResult<Vec<OfferRow>> {
    offers::table
        .filter(offers::engagement_id.eq(engagement_id))
        .select(OfferRow::as_select())
        .order(offers::offer_on)
        .load(conn)
}

/// The project an offer was made after (None: no such offer).
pub fn engagement_of(conn: &mut DbConnection, offer_id: &OfferId) -> QueryResult<Option<EngagementId>> {
    offers::table.find(offer_id).select(offers::engagement_id).first(conn).optional()
}

/// The employer (or the office) records an offer made after a completed project.
pub fn make_offer(
    conn: &mut DbConnection,
    engagement_id: &EngagementId,
    kind: OfferKind,
    job_title: &str,
    offer_on: NaiveDate,
    by: &Acting<'_>,
) -> Result<OfferId> {
    let Acting { scope, actor, today, now } = *by;
    if job_title.trim().is_empty() || job_title.chars().count() > 200 {
        return Err(Error::invalid("job_title", "is required (up to 200 characters)"));
    }
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
            "After your project, the employer made you an offer.".into(),
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
        Ok(id.clone())
    })
}

/// The offer's answer. An accepted offer becomes an outcome (source `conversion`) linked
/// to the engagement: it counts in the conversion and placement reports.
pub fn decide_offer(
    conn: &mut DbConnection,
    offer_id: &OfferId,
    accepted: bool,
    decided_on: NaiveDate,
    by: &Acting<'_>,
) -> Result<()> {
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
        if accepted {
            let employer_name: String = employers::table.find(&o.employer_id).select(employers::name).first(conn)?;
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
            serde_json::json!({ "engagement_id": o.engagement_id }),
        )?;
        Ok(())
    })
}
