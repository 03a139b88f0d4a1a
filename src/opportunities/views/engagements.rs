//! The view of the project's page and the offers made after it.

use chrono::NaiveDate;
use serde::Serialize;

use super::{Choice, Labelled};
use crate::core::{money, EngagementId, OfferId, Problems};
use crate::opportunities::engagements::EngagementDetail;
use crate::opportunities::offers::OfferRow;
use crate::opportunities::rules::{engagement_move, EngagementStatus, OfferKind, OfferStatus, Side};

#[derive(Debug, Serialize)]
pub struct EngagementView {
    pub id: EngagementId,
    pub status: Labelled,
    pub started_on: NaiveDate,
    pub due_on: NaiveDate,
    pub deliverable_url: Option<String>,
    pub deliverable_note: Option<String>,
    pub submitted_on: Option<NaiveDate>,
    pub rating: Option<i32>,
    pub feedback: Option<String>,
    pub student_rating: Option<i32>,
    pub student_feedback: Option<String>,
    pub paid_on: Option<NaiveDate>,
    pub cancel_reason: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct OfferView {
    pub id: OfferId,
    pub job_title: String,
    pub kind: Labelled,
    pub offer_on: NaiveDate,
    pub status: Labelled,
    pub decided_on: Option<NaiveDate>,
    /// Its answer can be recorded here (by the employer or the office).
    pub open: bool,
}

fn offer_view(o: OfferRow, side: Side) -> OfferView {
    OfferView {
        open: o.status == OfferStatus::Extended && side != Side::Student,
        id: o.id,
        job_title: o.job_title,
        kind: o.kind.into(),
        offer_on: o.offer_on,
        status: o.status.into(),
        decided_on: o.decided_on,
    }
}

/// The project's page (`/engagements/{id}`), for the student, the employer and the office.
#[derive(Debug, Serialize)]
pub struct EngagementPage {
    pub engagement: EngagementView,
    pub title: String,
    pub employer: String,
    pub student: String,
    pub fee: String,
    pub currency: String,
    pub paid: Option<String>,
    pub notice: Option<String>,
    pub problems: Problems,
    pub offers: Vec<OfferView>,
    pub offer_kinds: Vec<Choice>,
    pub today: NaiveDate,
    pub can_deliver: bool,
    pub can_review: bool,
    pub can_rate: bool,
    pub can_pay: bool,
    pub can_offer: bool,
    pub can_request_cancel: bool,
    pub can_cancel: bool,
}

impl EngagementPage {
    /// `side`: the viewer's side on this project (staff who study are the student on
    /// their own); `today`: the campus day, the forms' default date.
    pub fn new(d: EngagementDetail, side: Side, today: NaiveDate, notice: Option<String>, problems: Problems) -> Self {
        use EngagementStatus::*;
        let e = d.engagement;
        let st = e.status;
        let can = |to| engagement_move(st, to, side).is_ok();
        EngagementPage {
            can_deliver: can(Submitted),
            can_review: can(Completed),
            can_cancel: can(Cancelled),
            can_rate: side == Side::Student && st == Completed && e.student_rating.is_none(),
            can_pay: side != Side::Student && st == Completed && e.paid_on.is_none(),
            can_offer: side != Side::Student && st == Completed,
            can_request_cancel: side != Side::Counselor && st == Active && e.cancel_requested_by.is_none(),
            paid: e.amount_paid_cents.map(money::display),
            engagement: EngagementView {
                id: e.id,
                status: st.into(),
                started_on: e.started_on,
                due_on: e.due_on,
                deliverable_url: e.deliverable_url,
                deliverable_note: e.deliverable_note,
                submitted_on: e.submitted_on,
                rating: e.rating,
                feedback: e.feedback,
                student_rating: e.student_rating,
                student_feedback: e.student_feedback,
                paid_on: e.paid_on,
                cancel_reason: e.cancel_reason,
            },
            title: d.title,
            employer: d.employer,
            student: d.student,
            fee: money::display(d.fee_cents),
            currency: d.currency,
            notice,
            problems,
            offers: d.offers.into_iter().map(|o| offer_view(o, side)).collect(),
            offer_kinds: OfferKind::ALL
                .iter()
                .map(|k| Choice { value: k.as_str(), label: k.label(), selected: false })
                .collect(),
            today,
        }
    }
}
