//! The view of the project's page and the offers made after it: the project's facts, and
//! each form the viewer may use on it (built on `web::forms`, so a refused one comes back
//! with what was typed and every problem beside its field).

use chrono::NaiveDate;
use serde::Serialize;

use super::Labelled;
use crate::core::{money, EngagementId, OfferId, Problems};
use crate::opportunities::engagements::EngagementDetail;
use crate::opportunities::offers::OfferRow;
use crate::opportunities::rules::{engagement_move, EngagementStatus, OfferKind, OfferStatus, Side};
use crate::web::forms::{Choices, Field, Form, Values};

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
    /// "$65,000.00 a year", when the employer gave it.
    pub salary: Option<String>,
    pub start_on: Option<NaiveDate>,
    pub location: Option<String>,
    /// Its answer can be recorded here (by the employer or the office).
    pub open: bool,
    /// The student may answer it here themself.
    pub answerable: bool,
}

fn offer_view(o: OfferRow, side: Side) -> OfferView {
    let waiting = o.status == OfferStatus::Extended;
    OfferView {
        open: waiting && side != Side::Student,
        answerable: waiting && side == Side::Student,
        salary: o.annual_salary_cents.map(|c| format!("{} a year", money::format(c, &o.currency))),
        start_on: o.start_on,
        location: o.location,
        id: o.id,
        job_title: o.job_title,
        kind: o.kind.into(),
        offer_on: o.offer_on,
        status: o.status.into(),
        decided_on: o.decided_on,
    }
}

/// The forms of the project's page, one per change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProjectForm {
    Deliver,
    Review,
    Rate,
    Pay,
    Offer,
    AskCancel,
    Cancel,
}

/// A form of the project's page that came back refused: what was typed, and why.
#[derive(Debug, Clone)]
pub struct Returned {
    pub form: ProjectForm,
    pub values: Values,
    pub problems: Problems,
}

fn ratings(best_first: bool) -> Choices {
    let words = [(5, "5 – excellent"), (4, "4 – good"), (3, "3 – fair"), (2, "2 – poor"), (1, "1 – very poor")];
    let list: Vec<(String, &str)> = words.iter().map(|(n, w)| (n.to_string(), *w)).collect();
    if best_first {
        Choices::new(list)
    } else {
        Choices::new(list.into_iter().rev())
    }
}

pub fn deliver_form() -> Form {
    Form::new([
        Field::url("deliverable_url", "Link to your work")
            .hint("Where the employer can open it, like https://drive.northfield.edu/…")
            .required(),
        Field::textarea("deliverable_note", "Note to the employer").optional().rows(3),
    ])
}

pub fn review_form() -> Form {
    Form::new([
        Field::select("rating", "Rating", ratings(true))
            .placeholder("Choose a rating")
            .hint("Needed to complete the project; not for a revision"),
        Field::textarea("feedback", "Feedback for the student")
            .hint("What went well, or what to revise")
            .required()
            .rows(4),
    ])
}

pub fn rate_form() -> Form {
    Form::new([
        Field::select("rating", "Your rating of the experience", ratings(true))
            .placeholder("Choose a rating")
            .required(),
        Field::textarea("feedback", "Comments for the career office").optional().rows(3),
    ])
}

pub fn payment_form(currency: &str) -> Form {
    Form::new([
        Field::number("amount", "Amount paid")
            .inputmode("decimal")
            .hint(&format!("In {currency}, like 450.00"))
            .required(),
        Field::date("paid_on", "Paid on").required(),
    ])
}

pub fn offer_form() -> Form {
    Form::new([
        Field::select("kind", "Kind of offer", Choices::new(OfferKind::ALL.map(|k| (k.as_str(), k.label()))))
            .required(),
        Field::text("job_title", "Job title").required(),
        Field::date("offer_on", "Offered on").required(),
        Field::number("salary", "Salary").inputmode("decimal").hint("A year, before tax, like 65,000").optional(),
        Field::select("currency", "Currency", Choices::currencies()).required(),
        Field::date("start_on", "Start date").optional(),
        Field::text("location", "Location").hint("Where the job is, or Remote").optional(),
    ])
}

pub fn ask_cancel_form() -> Form {
    Form::new([Field::textarea("reason", "Why should the project be cancelled?")
        .hint("The career office reads it and decides")
        .required()
        .rows(3)])
}

pub fn cancel_form() -> Form {
    Form::new([Field::textarea("reason", "Reason for cancelling")
        .hint("The student and the employer are told")
        .required()
        .rows(3)])
}

/// The forms the page shows, each filled with its defaults or with what came back.
#[derive(Debug, Serialize)]
pub struct ProjectForms {
    pub deliver: Form,
    pub review: Form,
    pub rate: Form,
    pub pay: Form,
    pub offer: Form,
    pub ask_cancel: Form,
    pub cancel: Form,
}

impl ProjectForms {
    fn new(today: NaiveDate, fee_cents: i64, currency: &str, cancel_reason: &str, back: Option<Returned>) -> Self {
        let today = today.to_string();
        let fill = |which: ProjectForm, form: Form, defaults: Values| match &back {
            Some(r) if r.form == which => form.with_values(r.values.clone()).with_problems(r.problems.clone()),
            _ => form.with_values(defaults),
        };
        ProjectForms {
            deliver: fill(ProjectForm::Deliver, deliver_form(), Values::new()),
            review: fill(ProjectForm::Review, review_form(), Values::new()),
            rate: fill(ProjectForm::Rate, rate_form(), Values::new()),
            pay: fill(
                ProjectForm::Pay,
                payment_form(currency),
                Values::new().with("amount", money::display(fee_cents)).with("paid_on", today.clone()),
            ),
            offer: fill(
                ProjectForm::Offer,
                offer_form(),
                Values::new().with("offer_on", today.clone()).with("currency", currency).with("kind", "internship"),
            ),
            ask_cancel: fill(ProjectForm::AskCancel, ask_cancel_form(), Values::new()),
            cancel: fill(ProjectForm::Cancel, cancel_form(), Values::new().with("reason", cancel_reason)),
        }
    }
}

/// The project's page (`/engagements/{id}`), for the student, the employer and the office.
#[derive(Debug, Serialize)]
pub struct EngagementPage {
    pub engagement: EngagementView,
    pub title: String,
    pub employer: String,
    pub student: String,
    /// The fee as its currency formats it: "$400.00".
    pub fee: String,
    pub currency: String,
    pub paid: Option<String>,
    pub notice: Option<String>,
    pub offers: Vec<OfferView>,
    pub forms: ProjectForms,
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
    /// their own); `today`: the campus day, the forms' default date; `notice`: why the
    /// last change was refused; `back`: the form that came back with its problems.
    pub fn new(
        d: EngagementDetail,
        side: Side,
        today: NaiveDate,
        notice: Option<String>,
        back: Option<Returned>,
    ) -> Self {
        use EngagementStatus::*;
        let e = d.engagement;
        let st = e.status;
        let can = |to| engagement_move(st, to, side).is_ok();
        let forms = ProjectForms::new(today, d.fee_cents, &d.currency, e.cancel_reason.as_deref().unwrap_or(""), back);
        EngagementPage {
            can_deliver: can(Submitted),
            can_review: can(Completed),
            can_cancel: can(Cancelled),
            can_rate: side == Side::Student && st == Completed && e.student_rating.is_none(),
            can_pay: side != Side::Student && st == Completed && e.paid_on.is_none(),
            can_offer: side != Side::Student && st == Completed,
            can_request_cancel: side != Side::Counselor && st == Active && e.cancel_requested_by.is_none(),
            paid: e.amount_paid_cents.map(|c| money::format(c, &d.currency)),
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
            fee: money::format(d.fee_cents, &d.currency),
            currency: d.currency,
            notice,
            offers: d.offers.into_iter().map(|o| offer_view(o, side)).collect(),
            forms,
            today,
        }
    }
}
