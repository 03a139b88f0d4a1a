//! The views of postings' pages: the form, the posting's page and the review queue.

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;

use super::{Choice, EndorsementView, Labelled};
use crate::core::{money, ApplicationId, EngagementId, FieldProblem, OpportunityId, Problems};
use crate::opportunities::applications::ApplicantRow;
use crate::opportunities::postings::{PostingDetail, PostingRow, Submitted};
use crate::opportunities::rules::{
    application_move, posting_move, ApplicationStatus, Category, PostingForm, PostingStatus, Side,
};

/// The posting form (new or a draft's edit), with its problems beside their fields.
#[derive(Debug, Serialize)]
pub struct PostingFormPage<'a> {
    pub action: &'a str,
    pub form: &'a PostingForm,
    pub categories: Vec<Choice>,
    pub onsite: bool,
    pub problems: &'a [FieldProblem],
}

impl<'a> PostingFormPage<'a> {
    pub fn new(action: &'a str, form: &'a PostingForm, problems: &'a [FieldProblem]) -> Self {
        let categories = Category::ALL
            .iter()
            .map(|c| Choice { value: c.as_str(), label: c.label(), selected: c.as_str() == form.category })
            .collect();
        PostingFormPage { action, form, categories, onsite: form.mode == "onsite", problems }
    }
}

/// A saved posting in its form again, to edit the draft.
pub fn form_of(p: &PostingRow) -> PostingForm {
    PostingForm {
        title: p.title.clone(),
        description: p.description.clone(),
        category: p.category.as_str().to_owned(),
        skills: p.skills.clone(),
        hours: p.hours.to_string(),
        fee: money::display(p.fee_cents),
        currency: p.currency.clone(),
        mode: if p.remote { "remote".into() } else { "onsite".into() },
        location: p.location.clone().unwrap_or_default(),
        apply_by: p.apply_by.to_string(),
        due_by: p.due_by.to_string(),
        openings: p.openings.to_string(),
        eligible_colleges: p.eligible_colleges.clone(),
        eligible_majors: p.eligible_majors.clone(),
        eligible_class_years: p.eligible_class_years.clone(),
    }
}

#[derive(Debug, Serialize)]
pub struct PostingView {
    pub id: OpportunityId,
    pub title: String,
    pub description: String,
    pub category: Labelled,
    pub status: Labelled,
    pub hours: i32,
    pub fee: String,
    pub currency: String,
    pub remote: bool,
    pub location: Option<String>,
    pub apply_by: NaiveDate,
    pub due_by: NaiveDate,
    pub openings: i32,
    pub review_note: Option<String>,
}

impl From<PostingRow> for PostingView {
    fn from(p: PostingRow) -> Self {
        PostingView {
            fee: money::display(p.fee_cents),
            category: p.category.into(),
            status: p.status.into(),
            id: p.id,
            title: p.title,
            description: p.description,
            hours: p.hours,
            currency: p.currency,
            remote: p.remote,
            location: p.location,
            apply_by: p.apply_by,
            due_by: p.due_by,
            openings: p.openings,
            review_note: p.review_note,
        }
    }
}

/// A project as a link with its status.
#[derive(Debug, Serialize)]
pub struct ProjectLink {
    pub id: EngagementId,
    pub status: Labelled,
}

/// An applicant on the posting's page, with the employer's choices.
#[derive(Debug, Serialize)]
pub struct ApplicantView {
    pub id: ApplicationId,
    pub name: String,
    pub college: String,
    pub major: String,
    pub class_year: i32,
    pub status: Labelled,
    pub statement: String,
    pub message: Option<String>,
    pub endorsements: Vec<EndorsementView>,
    pub engagement: Option<ProjectLink>,
    pub can_shortlist: bool,
    pub can_reject: bool,
    pub can_offer: bool,
}

impl From<ApplicantRow> for ApplicantView {
    fn from(r: ApplicantRow) -> Self {
        let a = r.applicant;
        let can = |to| application_move(a.status, to, Side::Recruiter).is_ok();
        ApplicantView {
            can_shortlist: can(ApplicationStatus::Shortlisted),
            can_reject: can(ApplicationStatus::Rejected),
            can_offer: can(ApplicationStatus::Offered),
            status: a.status.into(),
            id: a.id,
            name: a.name,
            college: a.college,
            major: a.major,
            class_year: a.class_year,
            statement: a.statement,
            message: a.message,
            endorsements: r.shared.into_iter().map(EndorsementView::from).collect(),
            engagement: r.engagement.map(|(id, status)| ProjectLink { id, status: status.into() }),
        }
    }
}

/// A move the viewer may make on the posting's page.
#[derive(Debug, Serialize)]
pub struct MoveView {
    pub to: &'static str,
    pub label: &'static str,
    pub needs_reason: bool,
}

/// The moves of a posting that `side` may make, as buttons.
fn posting_moves(status: PostingStatus, side: Side) -> Vec<MoveView> {
    use PostingStatus::*;
    [(PendingReview, "Submit for review"), (Open, "Approve and open"), (Draft, "Return to the employer")]
        .into_iter()
        .chain([(Closed, "Close applications"), (Cancelled, "Cancel the posting")])
        .filter(|(to, _)| posting_move(status, *to, side).is_ok())
        .map(|(to, label)| MoveView { to: to.as_str(), label, needs_reason: matches!(to, Draft | Cancelled) })
        .collect()
}

/// The posting's page (`/postings/{id}`): the employer's and the office's desk.
#[derive(Debug, Serialize)]
pub struct PostingPage {
    pub posting: PostingView,
    pub employer: String,
    pub count: usize,
    pub applicants: Vec<ApplicantView>,
    pub moves: Vec<MoveView>,
    pub editable: bool,
    pub recruiter: bool,
    pub notice: Option<String>,
    pub problems: Problems,
}

impl PostingPage {
    /// `side`: the viewer's side, which decides the moves offered.
    pub fn new(d: PostingDetail, side: Side, notice: Option<String>, problems: Problems) -> Self {
        let applicants: Vec<ApplicantView> = d.applicants.into_iter().map(ApplicantView::from).collect();
        PostingPage {
            moves: posting_moves(d.posting.status, side),
            editable: d.posting.status == PostingStatus::Draft,
            recruiter: side == Side::Recruiter,
            count: applicants.len(),
            applicants,
            employer: d.employer,
            posting: d.posting.into(),
            notice,
            problems,
        }
    }
}

/// A posting in the review queue.
#[derive(Debug, Serialize)]
pub struct SubmittedView {
    pub id: OpportunityId,
    pub title: String,
    pub employer: String,
    pub hours: i32,
    pub fee: String,
    pub apply_by: NaiveDate,
    pub submitted_at: Option<NaiveDateTime>,
}

/// The review queue (`/review`).
#[derive(Debug, Serialize)]
pub struct ReviewPage {
    pub rows: Vec<SubmittedView>,
}

impl ReviewPage {
    pub fn new(rows: Vec<Submitted>) -> Self {
        let rows = rows
            .into_iter()
            .map(|r| SubmittedView {
                fee: money::display(r.fee_cents),
                id: r.id,
                title: r.title,
                employer: r.employer,
                hours: r.hours,
                apply_by: r.apply_by,
                submitted_at: r.submitted_at,
            })
            .collect();
        ReviewPage { rows }
    }
}
