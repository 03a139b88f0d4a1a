//! What the partners area's pages show, as typed structs (the templates' data, and later
//! the API's): the counselors' employer list, form, page and import; the students'
//! partner directory and partner page; the recruiter's workspace. Statuses, tiers and
//! sizes carry their value (for links, forms and CSS classes) and their label (for people).

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;

use super::rules::{next_statuses, EmployerForm, EmployerSize, PartnershipStatus, Tier};
use super::store::directory::Partner;
use super::store::employers::{Detail, Employer, Figures, ListFilter, ListItem, Owner};
use super::store::partnerships::{HistoryEntry, Partnership};
use super::store::vetting::Vetting;
use super::store::workspace::{PostingRow, Registrant, SessionRow};
use crate::auth::accounts::PendingInvitation;
use crate::core::{money, Email, EmployerId, FairSessionId, OpportunityId, Problems, UserId};
use crate::csv_import::ImportCounts;
use crate::web::forms::{Choices as FormChoices, Field, Form, Values};
use crate::web::pages::Pager;

/// One option of a select: the value sent, the words shown, and whether it is chosen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

impl Choice {
    pub fn new(value: impl Into<String>, label: impl Into<String>, selected: bool) -> Self {
        Choice { value: value.into(), label: label.into(), selected }
    }
}

/// The tiers, `selected` (a stored or submitted value) chosen.
pub fn tier_choices(selected: &str) -> Vec<Choice> {
    Tier::ALL.iter().map(|t| Choice::new(t.as_str(), t.label(), t.as_str() == selected)).collect()
}

/// The partnership statuses, for the list's filter.
pub fn status_choices(selected: &str) -> Vec<Choice> {
    PartnershipStatus::ALL.iter().map(|s| Choice::new(s.as_str(), s.label(), s.as_str() == selected)).collect()
}

/// The size bands, for the profile forms.
pub fn size_choices(selected: &str) -> Vec<Choice> {
    EmployerSize::ALL.iter().map(|s| Choice::new(s.as_str(), s.label(), s.as_str() == selected)).collect()
}

/// The counselors who may own a partnership.
pub fn owner_choices(owners: Vec<Owner>, selected: &str) -> Vec<Choice> {
    owners
        .into_iter()
        .map(|o| Choice { selected: o.id == selected, value: o.id.into_string(), label: o.name })
        .collect()
}

/// An employer's profile as pages show it.
#[derive(Debug, Clone, Serialize)]
pub struct EmployerView {
    pub id: EmployerId,
    pub name: String,
    pub industry: String,
    pub website: Option<String>,
    pub email_domain: Option<String>,
    /// The size band in words ("51-200 people").
    pub size: Option<&'static str>,
    pub location: String,
    pub description: String,
}

impl From<Employer> for EmployerView {
    fn from(e: Employer) -> Self {
        EmployerView {
            id: e.id,
            name: e.name,
            industry: e.industry,
            website: e.website,
            email_domain: e.email_domain,
            size: e.size.map(EmployerSize::label),
            location: e.location,
            description: e.description,
        }
    }
}

/// A partnership's status and tier, as a badge.
#[derive(Debug, Clone, Serialize)]
pub struct PartnershipBadge {
    pub status: PartnershipStatus,
    pub status_label: &'static str,
    pub active: bool,
    pub tier: Tier,
    pub tier_label: &'static str,
}

impl From<&Partnership> for PartnershipBadge {
    fn from(p: &Partnership) -> Self {
        PartnershipBadge {
            status: p.status,
            status_label: p.status.label(),
            active: p.status == PartnershipStatus::Active,
            tier: p.tier,
            tier_label: p.tier.label(),
        }
    }
}

// ---- The counselors' pages ----

/// `partners/list`: the employers, filtered, sorted and paged.
#[derive(Debug, Serialize)]
pub struct EmployerListPage {
    pub items: Vec<EmployerListRow>,
    pub filter: ListFilter,
    pub owners: Vec<Choice>,
    pub tiers: Vec<Choice>,
    pub statuses: Vec<Choice>,
    pub sorts: Vec<Choice>,
    pub pager: Pager,
}

#[derive(Debug, Serialize)]
pub struct EmployerListRow {
    pub id: EmployerId,
    pub name: String,
    pub industry: String,
    pub email_domain: Option<String>,
    /// The current partnership (`None`: the last one ended).
    pub partnership: Option<PartnershipBadge>,
    pub owner_name: Option<String>,
}

impl From<ListItem> for EmployerListRow {
    fn from(i: ListItem) -> Self {
        EmployerListRow {
            partnership: i.partnership.as_ref().map(PartnershipBadge::from),
            id: i.employer.id,
            name: i.employer.name,
            industry: i.employer.industry,
            email_domain: i.employer.email_domain,
            owner_name: i.owner_name,
        }
    }
}

/// The list's orders.
pub fn sort_choices(selected: &str) -> Vec<Choice> {
    [("name", "Name"), ("tier", "Tier"), ("recent", "Recently changed")]
        .into_iter()
        .map(|(v, l)| Choice::new(v, l, v == selected || (selected.is_empty() && v == "name")))
        .collect()
}

/// `partners/detail`: an employer with its partnership, history, recruiters, postings,
/// sessions and figures; its forms (status, terms, a new partnership, the vetting
/// checklist), each with the values shown and any problems of a refused post.
#[derive(Debug, Serialize)]
pub struct EmployerPage {
    pub employer: EmployerView,
    pub figures: FiguresView,
    pub partnership: Option<PartnershipView>,
    /// Activation waits for a vetted email domain.
    pub needs_domain: bool,
    /// The status change form, when a change is allowed now.
    pub status_form: Option<Form>,
    pub terms_form: Form,
    pub start_form: Form,
    pub vetting: VettingView,
    pub vetting_form: Form,
    pub history: Vec<HistoryRow>,
    pub recruiters: Vec<RecruiterRow>,
    pub invitations: Vec<InvitationRow>,
    pub can_invite: bool,
    pub postings: Vec<PostingItem>,
    pub sessions: Vec<SessionItem>,
}

/// The vetting checklist as the employer page shows it.
#[derive(Debug, Serialize)]
pub struct VettingView {
    pub domain: bool,
    pub website: bool,
    pub contact: bool,
    pub complete: bool,
    pub note: String,
    /// Who saved it last, and when (`None`: never vetted).
    pub vetted_by: Option<String>,
    pub vetted_at: Option<NaiveDateTime>,
}

impl From<Option<Vetting>> for VettingView {
    fn from(v: Option<Vetting>) -> Self {
        match v {
            Some(v) => VettingView {
                domain: v.checks.domain,
                website: v.checks.website,
                contact: v.checks.contact,
                complete: v.checks.all(),
                note: v.note,
                vetted_by: Some(v.vetted_by.unwrap_or_else(|| "someone no longer here".to_owned())),
                vetted_at: Some(v.vetted_at),
            },
            None => VettingView {
                domain: false,
                website: false,
                contact: false,
                complete: false,
                note: String::new(),
                vetted_by: None,
                vetted_at: None,
            },
        }
    }
}

/// An invitation not accepted yet, with whether its link still works.
#[derive(Debug, Serialize)]
pub struct InvitationRow {
    pub id: String,
    pub name: String,
    pub email: String,
    pub expires_at: NaiveDateTime,
    pub expired: bool,
}

/// The status change: the moves the rules allow now, as a select.
pub fn status_form(next: &[PartnershipStatus]) -> Form {
    let choices = FormChoices::new(next.iter().map(|s| (s.as_str(), format!("{} the partnership", s.verb()))));
    Form::new([
        Field::select("to", "Change", choices).required().placeholder("Choose a change"),
        Field::text("note", "Note for the history").optional(),
    ])
}

fn tier_select() -> Field {
    Field::select("tier", "Tier", FormChoices::new(Tier::ALL.map(|t| (t.as_str(), t.label())))).required()
}

/// The terms of the current partnership: tier, owner (a counselor) and notes.
pub fn terms_form(owners: &[Owner]) -> Form {
    let owners = FormChoices::new(owners.iter().map(|o| (o.id.as_str().to_owned(), o.name.clone())));
    Form::new([
        tier_select(),
        Field::select("owner_id", "Owner", owners).placeholder("Nobody").optional(),
        Field::text("notes", "Notes").optional(),
    ])
}

/// A new partnership after an ended one: its tier.
pub fn start_form() -> Form {
    Form::new([tier_select()]).with_values(Values::new().with("tier", Tier::Standard.as_str()))
}

/// The vetting checklist: each check a checkbox, and a note.
pub fn vetting_form() -> Form {
    let yes = |label: &str| FormChoices::new([("yes", label)]);
    Form::new([
        Field::checkboxes("domain_verified", "Email domain", yes("The email domain is the employer's own")),
        Field::checkboxes("website_verified", "Website", yes("The website is the employer's and matches the profile")),
        Field::checkboxes("contact_verified", "Contact", yes("A contact at the employer confirmed who they are")),
        Field::textarea("vetting_note", "How it was verified").optional().rows(2),
    ])
}

/// A refused form of the employer page, shown in place of its usual one.
pub enum Refused {
    Status(Form),
    Terms(Form),
    Start(Form),
    Vetting(Form),
}

#[derive(Debug, Serialize)]
pub struct PartnershipView {
    #[serde(flatten)]
    pub badge: PartnershipBadge,
    pub starts_on: Option<NaiveDate>,
    pub notes: String,
}

#[derive(Debug, Serialize)]
pub struct FiguresView {
    pub postings: i64,
    pub open_postings: i64,
    pub engagements_completed: i64,
    pub average_rating: Option<String>,
    pub students_offered: i64,
    pub students_hired: i64,
}

impl From<Figures> for FiguresView {
    fn from(f: Figures) -> Self {
        FiguresView {
            postings: f.postings,
            open_postings: f.open_postings,
            engagements_completed: f.engagements_completed,
            average_rating: f.average_rating,
            students_offered: f.students_offered,
            students_hired: f.students_hired,
        }
    }
}

/// One change of the history: "paused → active", or "started as prospect" (`from` None).
#[derive(Debug, Serialize)]
pub struct HistoryRow {
    pub at: NaiveDateTime,
    pub from: Option<PartnershipStatus>,
    pub to: PartnershipStatus,
    pub tier: &'static str,
    pub actor: Option<String>,
    pub note: String,
}

impl From<HistoryEntry> for HistoryRow {
    fn from(h: HistoryEntry) -> Self {
        HistoryRow {
            at: h.at,
            from: h.from_status,
            to: h.to_status,
            tier: h.tier.label(),
            actor: h.actor,
            note: h.note,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct RecruiterRow {
    pub user_id: UserId,
    pub name: String,
    pub email: Email,
    pub title: String,
    pub disabled: bool,
}

#[derive(Debug, Serialize)]
pub struct PostingItem {
    pub id: OpportunityId,
    pub title: String,
    pub status: String,
    pub apply_by: NaiveDate,
    pub hours: i32,
    /// The fee in major units ("450.00"), shown beside the currency.
    pub fee: String,
    pub currency: String,
}

#[derive(Debug, Serialize)]
pub struct SessionItem {
    pub id: FairSessionId,
    pub fair: String,
    pub title: String,
    pub kind: String,
    pub starts_at: NaiveDateTime,
    pub cancelled: bool,
}

impl EmployerPage {
    pub fn new(
        d: Detail,
        owners: Vec<Owner>,
        vetting: Option<Vetting>,
        invitations: Vec<PendingInvitation>,
        refused: Option<Refused>,
        now: NaiveDateTime,
    ) -> Self {
        let has_domain = d.employer.email_domain.is_some();
        let status = d.current.as_ref().map(|p| p.status);
        let next = status.map(|s| next_statuses(s, has_domain)).unwrap_or_default();
        let terms_values = d
            .current
            .as_ref()
            .map(|p| {
                Values::new()
                    .with("tier", p.tier.as_str())
                    .with("owner_id", p.owner_id.as_ref().map(|o| o.as_str()).unwrap_or_default())
                    .with("notes", p.notes.as_str())
            })
            .unwrap_or_default();
        let vetting_values = match &vetting {
            Some(v) => {
                let yes = |b: bool| if b { "yes" } else { "" };
                Values::new()
                    .with("domain_verified", yes(v.checks.domain))
                    .with("website_verified", yes(v.checks.website))
                    .with("contact_verified", yes(v.checks.contact))
                    .with("vetting_note", v.note.as_str())
            }
            None => Values::new(),
        };
        let mut status_form = (!next.is_empty()).then(|| status_form(&next));
        let mut terms = terms_form(&owners).with_values(terms_values);
        let mut start = start_form();
        let mut vetting_f = vetting_form().with_values(vetting_values);
        match refused {
            Some(Refused::Status(f)) => status_form = Some(f),
            Some(Refused::Terms(f)) => terms = f,
            Some(Refused::Start(f)) => start = f,
            Some(Refused::Vetting(f)) => vetting_f = f,
            None => {}
        }
        EmployerPage {
            figures: d.figures.into(),
            needs_domain: matches!(status, Some(PartnershipStatus::Prospect | PartnershipStatus::Paused))
                && !has_domain,
            can_invite: status == Some(PartnershipStatus::Active) && has_domain,
            status_form,
            terms_form: terms,
            start_form: start,
            vetting: vetting.into(),
            vetting_form: vetting_f,
            partnership: d.current.map(|p| PartnershipView {
                badge: PartnershipBadge::from(&p),
                starts_on: p.starts_on,
                notes: p.notes,
            }),
            history: d.history.into_iter().map(HistoryRow::from).collect(),
            recruiters: d
                .recruiters
                .into_iter()
                .map(|r| RecruiterRow {
                    user_id: r.user_id,
                    name: r.name,
                    email: r.email,
                    title: r.title,
                    disabled: r.disabled,
                })
                .collect(),
            invitations: invitations
                .into_iter()
                .map(|i| InvitationRow {
                    expired: i.expires_at <= now,
                    id: i.id.into_string(),
                    name: i.name,
                    email: i.email,
                    expires_at: i.expires_at,
                })
                .collect(),
            postings: d
                .postings
                .into_iter()
                .map(|p| PostingItem {
                    fee: money::display(p.fee_cents),
                    id: p.id,
                    title: p.title,
                    status: p.status,
                    apply_by: p.apply_by,
                    hours: p.hours,
                    currency: p.currency,
                })
                .collect(),
            sessions: d
                .sessions
                .into_iter()
                .map(|s| SessionItem {
                    cancelled: s.status == "cancelled",
                    id: s.id,
                    fair: s.fair,
                    title: s.title,
                    kind: s.kind,
                    starts_at: s.starts_at,
                })
                .collect(),
            employer: d.employer.into(),
        }
    }
}

/// `partners/import`: the upload form, and what the last file did or why it was refused.
#[derive(Debug, Serialize)]
pub struct ImportPage {
    pub required: &'static [&'static str],
    pub optional: &'static [&'static str],
    /// Every problem of a refused file, `FILE:LINE: column: problem`.
    pub problems: Vec<String>,
    pub counts: Option<ImportCounts>,
    /// The name of the file imported.
    pub file: Option<String>,
}

// ---- Students (and faculty, staff): the partner directory ----

/// `partners/partners`: the active partners, by industry.
#[derive(Debug, Serialize)]
pub struct DirectoryPage {
    pub rows: Vec<PartnerCard>,
    pub industries: Vec<Choice>,
    pub pager: Pager,
}

#[derive(Debug, Serialize)]
pub struct PartnerCard {
    pub id: EmployerId,
    pub name: String,
    pub industry: String,
    pub location: String,
    pub description: String,
    pub open: i64,
}

impl From<Partner> for PartnerCard {
    fn from(p: Partner) -> Self {
        PartnerCard {
            id: p.id,
            name: p.name,
            industry: p.industry,
            location: p.location,
            description: p.description,
            open: p.open,
        }
    }
}

/// `partners/partner`: one partner's profile and its open projects (the first page).
#[derive(Debug, Serialize)]
pub struct PartnerPage {
    pub employer: EmployerView,
    pub listings: Vec<ListingCard>,
    /// How many open projects ("12", "100+").
    pub total: String,
    /// More open projects than shown: the page links to the catalogue for them all.
    pub more: bool,
}

/// An open project as the partner page lists it.
#[derive(Debug, Serialize)]
pub struct ListingCard {
    pub id: OpportunityId,
    pub title: String,
    pub hours: i32,
    pub fee: String,
    pub currency: String,
    pub remote: bool,
    pub location: Option<String>,
    pub apply_by: NaiveDate,
}

// ---- Recruiters: the workspace ----

/// `partners/workspace`: the recruiter's employer, its postings and sessions.
#[derive(Debug, Serialize)]
pub struct WorkspacePage {
    pub employer: EmployerView,
    pub partnership: Option<PartnershipBadge>,
    pub postings: Vec<WorkspacePosting>,
    pub sessions: Vec<WorkspaceSession>,
}

#[derive(Debug, Serialize)]
pub struct WorkspacePosting {
    pub id: OpportunityId,
    pub title: String,
    pub status: String,
    pub apply_by: NaiveDate,
    pub openings: i32,
    /// Why the career office returned it, if it did.
    pub review_note: Option<String>,
    pub applicants: i64,
}

impl From<(PostingRow, i64)> for WorkspacePosting {
    fn from((p, applicants): (PostingRow, i64)) -> Self {
        WorkspacePosting {
            id: p.id,
            title: p.title,
            status: p.status,
            apply_by: p.apply_by,
            openings: p.openings,
            review_note: p.review_note,
            applicants,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct WorkspaceSession {
    pub id: FairSessionId,
    pub fair: String,
    pub title: String,
    pub kind: String,
    pub starts_at: NaiveDateTime,
    pub capacity: i32,
    pub status: String,
    pub cancelled: bool,
}

impl From<SessionRow> for WorkspaceSession {
    fn from(s: SessionRow) -> Self {
        WorkspaceSession {
            cancelled: s.status == "cancelled",
            id: s.id,
            fair: s.fair,
            title: s.title,
            kind: s.kind,
            starts_at: s.starts_at,
            capacity: s.capacity,
            status: s.status,
        }
    }
}

/// `partners/workspace_profile`: the parts of the profile a recruiter keeps.
#[derive(Debug, Serialize)]
pub struct ProfilePage {
    pub form: EmployerForm,
    pub sizes: Vec<Choice>,
    pub problems: Problems,
    pub notice: Option<&'static str>,
}

/// `partners/workspace_session`: a session and its students (an audited read).
#[derive(Debug, Serialize)]
pub struct SessionPage {
    pub session: WorkspaceSession,
    pub people: Vec<RegistrantRow>,
}

#[derive(Debug, Serialize)]
pub struct RegistrantRow {
    pub name: String,
    pub major: String,
    pub class_year: i32,
    pub status: String,
    pub attended_at: Option<NaiveDateTime>,
}

impl From<Registrant> for RegistrantRow {
    fn from(r: Registrant) -> Self {
        RegistrantRow {
            name: r.name,
            major: r.major,
            class_year: r.class_year,
            status: r.status,
            attended_at: r.attended_at,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices_carry_the_value_and_the_words() {
        let tiers = tier_choices("gold");
        assert_eq!(tiers[1], Choice::new("gold", "Gold", true));
        assert_eq!(tiers.iter().filter(|c| c.selected).count(), 1);
        assert_eq!(size_choices("")[5], Choice::new("5001+", "5001+ people", false));
        assert!(sort_choices("")[0].selected, "by name unless asked");
        assert!(status_choices("nonsense").iter().all(|c| !c.selected));
    }

    #[test]
    fn a_history_row_keeps_the_values_for_the_sentence_and_the_tier_in_words() {
        let row = HistoryRow::from(HistoryEntry {
            tier: Tier::Gold,
            from_status: Some(PartnershipStatus::Paused),
            to_status: PartnershipStatus::Active,
            actor: None,
            note: String::new(),
            at: NaiveDate::from_ymd_opt(2027, 2, 17).unwrap().and_hms_opt(14, 0, 0).unwrap(),
        });
        let json = serde_json::to_value(&row).unwrap();
        assert_eq!(
            (json["from"].as_str(), json["to"].as_str(), json["tier"].as_str()),
            (Some("paused"), Some("active"), Some("Gold"))
        );
    }
}
