//! What auth's pages show, as typed views: each template (`templates/auth/`,
//! `templates/admin/`) is given one of these, beside the `title` and `nav` that
//! `web::pages::context` adds. Field names are the templates' names.

use chrono::NaiveDateTime;
use serde::Serialize;

use super::dev_idp::AuthorizeParams;
use super::recruiters::{DemoAccount, OpenInvitation};
use super::roles::{Holding, PendingGrant, RoleSource};
use super::users::{Principal, RosterFacts};
use crate::audit;
use crate::core::{Clock, Role};
use crate::web::pages::Pager;

/// `/login`: the campus sign-in and the recruiters' sign-in.
#[derive(Debug, Serialize)]
pub struct LoginPage {
    /// Where to go back to after signing in, percent-encoded for the links' query.
    pub return_to: String,
}

impl LoginPage {
    pub fn new(return_to: &str) -> Self {
        LoginPage { return_to: url::form_urlencoded::byte_serialize(return_to.as_bytes()).collect() }
    }
}

/// A sign-in or an invitation that could not be completed, and what to do next.
#[derive(Debug, Serialize)]
pub struct FailedPage {
    pub message: &'static str,
}

/// `/login/recruiter`.
#[derive(Debug, Serialize)]
pub struct RecruiterLoginPage {
    /// The anonymous form's token.
    pub csrf: String,
    pub return_to: String,
    /// The email and password fields (a refused sign-in keeps the email).
    pub form: crate::web::forms::Form,
    /// Why a sign-in was refused: one answer whatever went wrong.
    pub error: Option<&'static str>,
    /// Demo mode: the published password and a few accounts to try.
    pub demo: Option<DemoSignIn>,
}

#[derive(Debug, Serialize)]
pub struct DemoSignIn {
    pub password: &'static str,
    pub accounts: Vec<DemoAccount>,
}

/// `/invitations/{token}`: a recruiter chooses their password.
#[derive(Debug, Serialize)]
pub struct InvitationPage {
    pub invitation: OpenInvitation,
    pub csrf: String,
    /// The password and its confirmation (never shown back).
    pub form: crate::web::forms::Form,
}

/// `/account`.
#[derive(Debug, Serialize)]
pub struct AccountPage {
    pub me: Me,
    /// Recruiters have a password here (campus accounts' passwords are the campus's).
    pub has_password: bool,
    pub student: Option<RosterFacts>,
}

#[derive(Debug, Serialize)]
pub struct Me {
    pub display_name: String,
    pub email: String,
    pub roles: Vec<Role>,
    pub employer_name: Option<String>,
}

impl AccountPage {
    pub fn new(p: &Principal, student: Option<RosterFacts>) -> Self {
        AccountPage {
            has_password: p.has(Role::Recruiter),
            me: Me {
                display_name: p.display_name.clone(),
                email: p.email.clone(),
                roles: p.roles.clone(),
                employer_name: p.employer_name.clone(),
            },
            student,
        }
    }
}

/// `/admin/roles`: the grant form, who holds which role, and the grants still waiting.
#[derive(Debug, Serialize)]
pub struct RolesPage {
    pub rows: Vec<HoldingRow>,
    pub pending: Vec<PendingRow>,
    pub pending_total: i64,
    pub pending_shown: usize,
    pub pending_more: bool,
    /// The grant form (email and role).
    pub form: crate::web::forms::Form,
    /// The roles the form offers.
    pub roles: Vec<Role>,
    pub pager: Pager,
}

#[derive(Debug, Serialize)]
pub struct HoldingRow {
    pub name: String,
    pub email: String,
    pub role: Role,
    pub source: RoleSource,
    /// Whether the row has a revoke button.
    pub granted: bool,
}

#[derive(Debug, Serialize)]
pub struct PendingRow {
    pub email: String,
    pub role: Role,
    /// When it was granted, on the campus clock.
    pub since: String,
}

/// What the roles page lists, as the store gave it.
pub struct RolesListing {
    pub holdings: Vec<Holding>,
    pub total: i64,
    pub pending: Vec<PendingGrant>,
    pub pending_total: i64,
}

impl RolesPage {
    pub fn new(
        listing: RolesListing,
        grantable: &[Role],
        pager: Pager,
        form: crate::web::forms::Form,
        clock: &Clock,
    ) -> Self {
        let rows: Vec<HoldingRow> = listing
            .holdings
            .into_iter()
            .map(|h| HoldingRow {
                granted: h.revocable(),
                name: h.name,
                email: h.email,
                role: h.role,
                source: h.source,
            })
            .collect();
        let pending: Vec<PendingRow> = listing
            .pending
            .into_iter()
            .map(|g| PendingRow { email: g.email, role: g.role, since: clock.format_datetime(g.since) })
            .collect();
        RolesPage {
            rows,
            pending_shown: pending.len(),
            pending_more: listing.pending_total > pending.len() as i64,
            pending,
            pending_total: listing.pending_total,
            form,
            roles: grantable.to_vec(),
            pager,
        }
    }
}

/// `/admin/audit`.
#[derive(Debug, Serialize)]
pub struct AuditPage {
    pub rows: Vec<AuditRow>,
    pub total: i64,
    /// Whether any filter is set (the page offers to clear them).
    pub filtered: bool,
    pub pager: Pager,
    /// The filters, as a GET form.
    pub form: crate::web::forms::Form,
}

#[derive(Debug, Serialize)]
pub struct AuditRow {
    /// Stored as UTC; the template shows it on the campus clock.
    pub at: NaiveDateTime,
    pub actor: String,
    /// The action in words ("Recruiter: invitation resent").
    pub action: String,
    /// The subject by name ("Rosa Diaz (rosa@brightpath.com)", "Ledgerwise"), or by its
    /// kind and id when it is gone or has no name.
    pub subject: String,
    pub ip: String,
    /// The event's details as recorded (JSON text).
    pub details: String,
}

/// An action in words: `recruiter.invitation_resent` → "Recruiter: invitation resent".
pub fn action_label(action: &str) -> String {
    let words = |s: &str| s.replace('_', " ");
    match action.split_once('.') {
        Some((area, what)) => {
            let mut area = words(area);
            if let Some(first) = area.get_mut(0..1) {
                first.make_ascii_uppercase();
            }
            format!("{area}: {}", words(what))
        }
        None => words(action),
    }
}

impl AuditRow {
    /// The entry, its subject named from `names` (subject id → name).
    pub fn new(e: audit::Entry, names: &std::collections::HashMap<String, String>) -> Self {
        let named = e.subject_id.as_ref().and_then(|id| names.get(id)).cloned();
        let kind = match e.subject_type.as_str() {
            "user" => "person",
            "opportunity" => "posting",
            other => other,
        }
        .replace('_', " ");
        AuditRow {
            at: e.at,
            actor: e.actor,
            action: action_label(&e.action),
            subject: named.unwrap_or_else(|| format!("{kind} {}", e.subject_id.unwrap_or_default()).trim().to_owned()),
            ip: e.ip.unwrap_or_default(),
            details: e.details,
        }
    }
}

/// The demo provider's page where one picks whom to sign in as.
#[derive(Debug, Serialize)]
pub struct ChooserPage {
    /// The client's authorization request, carried through the form.
    pub params: AuthorizeParams,
    pub groups: Vec<PeopleGroup>,
    pub csrf: String,
}

/// People of one kind the demo lets you be.
#[derive(Debug, Serialize)]
pub struct PeopleGroup {
    pub label: &'static str,
    pub people: Vec<Person>,
}

#[derive(Debug, Serialize)]
pub struct Person {
    /// `user:{id}` or `student:{id}`: whom the form signs in as.
    pub key: String,
    pub name: String,
    pub email: String,
    pub detail: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(h: u32) -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2027, 2, 16).unwrap().and_hms_opt(h, 0, 0).unwrap()
    }

    #[test]
    fn the_login_links_carry_the_return_path_encoded() {
        assert_eq!(LoginPage::new("/opportunities?q=data&page=2").return_to, "%2Fopportunities%3Fq%3Ddata%26page%3D2");
    }

    #[test]
    fn an_audit_row_names_its_subject_and_its_action_in_words() {
        let entry = |id: Option<&str>| audit::Entry {
            at: at(9),
            actor: "system".into(),
            action: "auth.sign_in_failed".into(),
            subject_type: "user".into(),
            subject_id: id.map(str::to_owned),
            ip: None,
            details: "{}".into(),
        };
        let names = std::collections::HashMap::from([("u-1".to_owned(), "Rosa Diaz (rosa@x.com)".to_owned())]);
        assert_eq!(AuditRow::new(entry(None), &names).subject, "person");
        assert_eq!(AuditRow::new(entry(Some("u-1")), &names).subject, "Rosa Diaz (rosa@x.com)");
        assert_eq!(AuditRow::new(entry(Some("u-2")), &names).subject, "person u-2", "a subject gone keeps its id");
        assert_eq!(AuditRow::new(entry(None), &names).ip, "");
        assert_eq!(AuditRow::new(entry(None), &names).action, "Auth: sign in failed");
        assert_eq!(action_label("recruiter.invitation_resent"), "Recruiter: invitation resent");
    }

    #[test]
    fn only_granted_roles_other_than_recruiter_can_be_revoked_here() {
        let holding = |role, source| Holding { name: "N".into(), email: "n@x.edu".into(), role, source };
        let clock = Clock::fixed_at_campus(chrono_tz::America::New_York, "2027-02-16", "09:00");
        let listing = RolesListing {
            holdings: vec![
                holding(Role::Admin, RoleSource::Grant),
                holding(Role::Counselor, RoleSource::Claim),
                holding(Role::Recruiter, RoleSource::Grant),
            ],
            total: 3,
            pending: vec![PendingGrant { email: "p@x.edu".into(), role: Role::Faculty, since: at(14) }],
            pending_total: 2,
        };
        let page = RolesPage::new(
            listing,
            &[Role::Admin],
            Pager::new(1, 3, 50, "/admin/roles?"),
            crate::web::forms::Form::default(),
            &clock,
        );
        assert_eq!(page.rows.iter().map(|r| r.granted).collect::<Vec<_>>(), [true, false, false]);
        assert_eq!((page.pending_shown, page.pending_more), (1, true));
        let json = serde_json::to_value(&page).unwrap();
        assert_eq!(json["rows"][0]["source"], "grant", "stored values, as the page shows them");
        assert_eq!(json["pending"][0]["role"], "faculty");
    }
}
