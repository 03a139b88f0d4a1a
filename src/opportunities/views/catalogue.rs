//! The views of the catalogue and a posting's page in it.

use chrono::NaiveDate;
use serde::Serialize;

use super::Labelled;
use crate::core::{money, ApplicationId, EmployerId, EndorsementId, FieldProblem, OpportunityId, Problems};
use crate::opportunities::catalogue::{ApplyDesk, CatalogueQuery, Listing, OwnEndorsement};
use crate::opportunities::rules::{Eligibility, StudentFacts};
use crate::web::forms::{Choices, Field, Form, Values};

/// An industry of the catalogue's filter.
#[derive(Debug, Clone, Serialize)]
pub struct Industry {
    pub value: String,
    pub selected: bool,
}

/// A posting in the catalogue's list.
#[derive(Debug, Serialize)]
pub struct ListingCard {
    pub id: OpportunityId,
    pub title: String,
    pub employer_id: EmployerId,
    pub employer_name: String,
    pub industry: String,
    pub hours: i32,
    pub fee: String,
    pub currency: String,
    pub remote: bool,
    pub location: Option<String>,
    pub apply_by: NaiveDate,
    /// The description's beginning, and whether there is more.
    pub excerpt: String,
    pub more: bool,
    pub skills: Vec<String>,
    /// For a student: whether they may apply (None for others).
    pub eligible: Option<bool>,
    /// For a student: how many of the posting's skills their endorsements name, in words.
    pub endorsed: Option<String>,
}

/// How much of a description the catalogue shows.
const EXCERPT: usize = 220;

fn skills_of(list: &str) -> Vec<String> {
    list.split(',').filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

impl ListingCard {
    pub fn new(r: Listing, me: Option<&StudentFacts>) -> Self {
        let eligible = me.map(|m| {
            Eligibility::of_lists(&r.eligible_colleges, &r.eligible_majors, &r.eligible_class_years).admits(m).is_ok()
        });
        ListingCard {
            excerpt: r.description.chars().take(EXCERPT).collect(),
            more: r.description.chars().count() > EXCERPT,
            skills: skills_of(&r.skills),
            endorsed: None,
            fee: money::format(r.fee_cents, &r.currency),
            eligible,
            id: r.id,
            title: r.title,
            employer_id: r.employer_id,
            employer_name: r.employer_name,
            industry: r.industry,
            hours: r.hours,
            currency: r.currency,
            remote: r.remote,
            location: r.location,
            apply_by: r.apply_by,
        }
    }
}

impl ListingCard {
    /// With the signal of how many of its skills the student's endorsements name.
    pub fn with_endorsed(mut self, posting_skills: &str, endorsed: &[String]) -> Self {
        self.endorsed = crate::endorsements::rules::endorsed_signal(
            &crate::endorsements::rules::skill_list(posting_skills),
            endorsed,
        );
        self
    }
}

/// The catalogue (`/opportunities`): the query as typed (the form shows it again), its
/// problems, and one page of postings.
#[derive(Debug, Serialize)]
pub struct CataloguePage {
    pub rows: Vec<ListingCard>,
    /// How many matched, in words ("20 projects", "More than 100 projects").
    pub found: String,
    pub query: CatalogueQuery,
    pub industries: Vec<Industry>,
    pub is_student: bool,
    pub problems: Vec<FieldProblem>,
    /// The previous and next pages' addresses (with the same search).
    pub prev: Option<String>,
    pub next: Option<String>,
}

/// The catalogue's filters that a search can refuse, with their labels: a problem is
/// told with the label and links to its field (`field-NAME`).
const FILTER_LABELS: [(&str, &str); 7] = [
    ("hours_min", "Hours from"),
    ("hours_max", "Hours to"),
    ("fee_min", "Fee from ($)"),
    ("fee_max", "Fee to ($)"),
    ("apply_by", "Open at least until"),
    ("after", "Page"),
    ("before", "Page"),
];

/// A refused filter as the summary shows it.
#[derive(Debug, Serialize)]
pub struct FilterError {
    pub href: String,
    pub message: String,
}

/// The catalogue's refused filters: the summary's lines, and which inputs are invalid
/// (`bad.hours_min`, ...; every key present).
#[derive(Debug, Serialize)]
pub struct FilterErrors {
    pub invalid: bool,
    pub errors: Vec<FilterError>,
    pub bad: std::collections::BTreeMap<&'static str, bool>,
}

impl FilterErrors {
    pub fn of(problems: &[FieldProblem]) -> Self {
        let errors = problems
            .iter()
            .map(|p| {
                let label = FILTER_LABELS.iter().find(|(f, _)| *f == p.field).map(|(_, l)| *l).unwrap_or("Search");
                FilterError { href: format!("#field-{}", p.field), message: format!("{label}: {}", p.problem) }
            })
            .collect();
        let bad = FILTER_LABELS.iter().map(|(f, _)| (*f, problems.iter().any(|p| p.field == *f))).collect();
        FilterErrors { invalid: !problems.is_empty(), errors, bad }
    }
}

impl CataloguePage {
    pub fn industries(all: Vec<String>, selected: &str) -> Vec<Industry> {
        all.into_iter().map(|i| Industry { selected: i == selected, value: i }).collect()
    }
}

#[derive(Debug, Serialize)]
pub struct ListingView {
    pub id: OpportunityId,
    pub title: String,
    pub description: String,
    pub employer_id: EmployerId,
    pub employer_name: String,
    pub industry: String,
    pub hours: i32,
    pub fee: String,
    pub currency: String,
    pub remote: bool,
    pub location: Option<String>,
    pub apply_by: NaiveDate,
    pub openings: i32,
    pub eligible_colleges: String,
    pub eligible_majors: String,
    pub eligible_class_years: String,
}

/// One of the student's endorsements to share.
#[derive(Debug, Serialize)]
pub struct OwnEndorsementView {
    pub id: EndorsementId,
    pub by: String,
    pub relationship: Labelled,
    pub skills: String,
}

impl From<OwnEndorsement> for OwnEndorsementView {
    fn from(e: OwnEndorsement) -> Self {
        OwnEndorsementView { id: e.id, by: e.by, relationship: e.relationship.into(), skills: e.skills }
    }
}

/// The student's apply box on a listing.
#[derive(Debug, Serialize)]
pub struct ApplyView {
    pub eligible: bool,
    /// Why not, when not eligible.
    pub why: Option<String>,
    pub applied: Option<ApplicationId>,
    pub endorsements: Vec<OwnEndorsementView>,
    /// The application form: the statement and the endorsements to share (checkboxes).
    pub form: Form,
}

/// The application form of a listing: the endorsements the student may share are its
/// choices ("Maya Chen (Course: analysis)").
pub fn apply_form(employer: &str, endorsements: &[OwnEndorsementView]) -> Form {
    let choices = Choices::new(endorsements.iter().map(|e| {
        let what = if e.skills.is_empty() {
            e.relationship.label.to_owned()
        } else {
            format!("{}: {}", e.relationship.label, e.skills)
        };
        (e.id.to_string(), format!("{} ({what})", e.by))
    }));
    let mut fields =
        vec![Field::textarea("statement", "Why you fit this project").hint("Up to 3000 characters").required()];
    if !choices.is_empty() {
        fields.push(
            Field::checkboxes("share", &format!("Share endorsements with {employer}"), choices)
                .hint("Only the ones you tick are shown to this employer")
                .optional(),
        );
    }
    Form::new(fields)
}

impl ApplyView {
    fn new(d: ApplyDesk, employer: &str, back: Option<(Values, Problems)>) -> Self {
        let endorsements: Vec<OwnEndorsementView> = d.endorsements.into_iter().map(OwnEndorsementView::from).collect();
        let form = apply_form(employer, &endorsements);
        let form = match back {
            Some((values, problems)) => form.with_values(values).with_problems(problems),
            None => form,
        };
        ApplyView { eligible: d.eligible.is_ok(), why: d.eligible.err(), applied: d.applied, endorsements, form }
    }
}

/// A posting's page in the catalogue (`/opportunities/{id}`), with the apply box for a student.
#[derive(Debug, Serialize)]
pub struct ListingPage {
    pub listing: ListingView,
    pub skills: Vec<String>,
    pub apply: Option<ApplyView>,
}

impl ListingPage {
    /// `back`: the application form as it was sent, with its problems, when it was refused.
    pub fn new(r: Listing, apply: Option<ApplyDesk>, back: Option<(Values, Problems)>) -> Self {
        ListingPage {
            skills: skills_of(&r.skills),
            apply: apply.map(|d| ApplyView::new(d, &r.employer_name, back)),
            listing: ListingView {
                fee: money::format(r.fee_cents, &r.currency),
                id: r.id,
                title: r.title,
                description: r.description,
                employer_id: r.employer_id,
                employer_name: r.employer_name,
                industry: r.industry,
                hours: r.hours,
                currency: r.currency,
                remote: r.remote,
                location: r.location,
                apply_by: r.apply_by,
                openings: r.openings,
                eligible_colleges: r.eligible_colleges,
                eligible_majors: r.eligible_majors,
                eligible_class_years: r.eligible_class_years,
            },
        }
    }
}
