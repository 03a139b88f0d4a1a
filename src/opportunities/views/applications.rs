//! The views of the student's dashboard and the application's page.

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;

use super::{EndorsementView, Labelled};
use crate::core::{ApplicationId, EngagementId, OfferId, OpportunityId};
use crate::opportunities::applications::{ApplicationDetail, DashboardProject, DashboardRow};
use crate::opportunities::offers::OpenOffer;
use crate::opportunities::rules::{application_move, student_next_step, ApplicationStatus, Side};

/// A project on the dashboard.
#[derive(Debug, Serialize)]
pub struct DashboardProjectView {
    pub id: EngagementId,
    pub status: Labelled,
    pub due_on: NaiveDate,
}

/// One line of the student's dashboard.
#[derive(Debug, Serialize)]
pub struct DashboardItem {
    pub id: ApplicationId,
    pub title: String,
    pub employer: String,
    pub posting: OpportunityId,
    pub applied: NaiveDateTime,
    pub status: Labelled,
    pub engagement: Option<DashboardProjectView>,
    pub next: &'static str,
}

/// An offer after a project, waiting for the student's answer on the dashboard.
#[derive(Debug, Serialize)]
pub struct DashboardOffer {
    pub id: OfferId,
    pub engagement: EngagementId,
    pub job_title: String,
    pub kind: Labelled,
    pub employer: String,
    pub offer_on: NaiveDate,
}

/// The student's dashboard (`/dashboard`).
#[derive(Debug, Serialize)]
pub struct DashboardPage {
    pub items: Vec<DashboardItem>,
    /// Offers made after a project, waiting for the student's answer.
    pub offers: Vec<DashboardOffer>,
    /// Signed in as a student, but no roster record carries this person yet.
    pub no_record: bool,
}

impl DashboardPage {
    pub fn no_record() -> Self {
        DashboardPage { items: Vec::new(), offers: Vec::new(), no_record: true }
    }

    pub fn new(rows: Vec<DashboardRow>, projects: &[DashboardProject], offers: Vec<OpenOffer>) -> Self {
        let items = rows
            .into_iter()
            .map(|r| {
                let e = projects.iter().find(|e| e.application_id == r.id);
                DashboardItem {
                    next: student_next_step(
                        r.status,
                        e.map(|e| e.status),
                        e.is_some_and(|e| e.student_rating.is_some()),
                    ),
                    engagement: e.map(|e| DashboardProjectView {
                        id: e.id.clone(),
                        status: e.status.into(),
                        due_on: e.due_on,
                    }),
                    status: r.status.into(),
                    id: r.id,
                    title: r.title,
                    employer: r.employer,
                    posting: r.posting_id,
                    applied: r.applied_at,
                }
            })
            .collect();
        let offers = offers
            .into_iter()
            .map(|o| DashboardOffer {
                id: o.id,
                engagement: o.engagement_id,
                job_title: o.job_title,
                kind: o.kind.into(),
                employer: o.employer,
                offer_on: o.offer_on,
            })
            .collect();
        DashboardPage { items, offers, no_record: false }
    }
}

#[derive(Debug, Serialize)]
pub struct ApplicationView {
    pub id: ApplicationId,
    pub status: Labelled,
    pub statement: String,
    pub decision_message: Option<String>,
}

/// A posting as a link with its title.
#[derive(Debug, Serialize)]
pub struct PostingLink {
    pub id: OpportunityId,
    pub title: String,
}

/// The application's page (`/applications/{id}`), for the student and the employer.
#[derive(Debug, Serialize)]
pub struct ApplicationPage {
    pub application: ApplicationView,
    pub posting: PostingLink,
    pub employer: String,
    pub shared: Vec<EndorsementView>,
    pub engagement: Option<EngagementId>,
    pub notice: Option<String>,
    pub next: &'static str,
    pub is_student: bool,
    pub can_accept: bool,
    pub can_decline: bool,
    pub can_withdraw: bool,
}

impl ApplicationPage {
    /// `is_student`: the viewer is the student whose application it is.
    pub fn new(d: ApplicationDetail, is_student: bool, notice: Option<String>) -> Self {
        let a = d.application;
        let can = |to| is_student && application_move(a.status, to, Side::Student).is_ok();
        ApplicationPage {
            can_accept: can(ApplicationStatus::Accepted),
            can_decline: can(ApplicationStatus::Declined),
            can_withdraw: can(ApplicationStatus::Withdrawn),
            next: student_next_step(a.status, None, false),
            application: ApplicationView {
                id: a.id,
                status: a.status.into(),
                statement: a.statement,
                decision_message: a.decision_message,
            },
            posting: PostingLink { id: d.posting.id, title: d.posting.title },
            employer: d.employer,
            shared: d.shared.into_iter().map(EndorsementView::from).collect(),
            engagement: d.engagement,
            notice,
            is_student,
        }
    }
}
