//! Pure rules for employers and partnerships: validation and the status machine
//! `prospect → active → paused ↔ active → ended` (a prospect may also end). An ended
//! partnership is history: working together again takes a new partnership record.

use serde::{Deserialize, Serialize};

use crate::core::{Error, Problems};

crate::core::text_enum! {
    /// Where a partnership stands. An employer has at most one partnership that is not
    /// ended (its current one); ended ones stay as history.
    pub enum PartnershipStatus: "partnership status" {
        Prospect => "prospect", "Prospect";
        Active => "active", "Active";
        Paused => "paused", "Paused";
        Ended => "ended", "Ended";
    }
}

impl PartnershipStatus {
    /// What the counselor's button does to move a partnership here.
    pub const fn verb(self) -> &'static str {
        match self {
            PartnershipStatus::Prospect => "Prospect",
            PartnershipStatus::Active => "Activate",
            PartnershipStatus::Paused => "Pause",
            PartnershipStatus::Ended => "End",
        }
    }
}

crate::core::text_enum! {
    /// A partnership's tier (the office's levels of engagement), highest first.
    pub enum Tier: "tier" {
        Strategic => "strategic", "Strategic";
        Gold => "gold", "Gold";
        Silver => "silver", "Silver";
        Standard => "standard", "Standard";
    }
}

crate::core::text_enum! {
    /// How many people an employer has, in the bands the office records.
    pub enum EmployerSize: "size" {
        UpTo10 => "1-10", "1-10 people";
        UpTo50 => "11-50", "11-50 people";
        UpTo200 => "51-200", "51-200 people";
        UpTo1000 => "201-1000", "201-1000 people";
        UpTo5000 => "1001-5000", "1001-5000 people";
        Over5000 => "5001+", "5001+ people";
    }
}

/// Why a status change is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("the partnership is already {0}")]
    Unchanged(PartnershipStatus),
    #[error("a partnership cannot go from {from} to {to}")]
    NotAllowed { from: PartnershipStatus, to: PartnershipStatus },
    #[error("an ended partnership cannot be reactivated: start a new partnership instead")]
    Ended,
    #[error("the employer needs a vetted email domain before the partnership can become active")]
    NoEmailDomain,
}

/// A refused change is a conflict with the partnership's state (409), except a missing
/// vetted domain: that is the employer's `email_domain` to fill in (422).
impl From<Refused> for Error {
    fn from(r: Refused) -> Self {
        match r {
            Refused::NoEmailDomain => Error::invalid("email_domain", r.to_string()),
            other => Error::Conflict(other.to_string()),
        }
    }
}

/// May a partnership go from `from` to `to`? `has_domain`: the employer's email domain is set.
pub fn check_transition(from: PartnershipStatus, to: PartnershipStatus, has_domain: bool) -> Result<(), Refused> {
    use PartnershipStatus::*;
    if from == to {
        return Err(Refused::Unchanged(from));
    }
    let allowed = matches!(
        (from, to),
        (Prospect, Active)
            | (Prospect, Ended)
            | (Active, Paused)
            | (Paused, Active)
            | (Active, Ended)
            | (Paused, Ended)
    );
    if from == Ended {
        return Err(Refused::Ended);
    }
    if !allowed {
        return Err(Refused::NotAllowed { from, to });
    }
    if to == Active && !has_domain {
        return Err(Refused::NoEmailDomain);
    }
    Ok(())
}

/// The statuses a counselor may choose next (for the buttons on the employer page).
pub fn next_statuses(from: PartnershipStatus, has_domain: bool) -> Vec<PartnershipStatus> {
    PartnershipStatus::ALL.into_iter().filter(|to| check_transition(from, *to, has_domain).is_ok()).collect()
}

/// The status a new partnership may start in: a prospect, or (from an import that says
/// so) active straight away when the employer's domain is vetted. The problem is the
/// `status` asked for.
pub fn check_first_status(status: PartnershipStatus, has_domain: bool) -> Result<(), Error> {
    match status {
        PartnershipStatus::Prospect => Ok(()),
        PartnershipStatus::Active if has_domain => Ok(()),
        PartnershipStatus::Active => Err(Error::invalid("status", Refused::NoEmailDomain.to_string())),
        PartnershipStatus::Paused | PartnershipStatus::Ended => {
            Err(Error::invalid("status", "a new partnership starts as prospect or active"))
        }
    }
}

/// An employer's profile as typed into a form or an import file (all text).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct EmployerForm {
    pub name: String,
    pub industry: String,
    #[serde(default)]
    pub website: String,
    #[serde(default)]
    pub email_domain: String,
    #[serde(default)]
    pub size: String,
    #[serde(default)]
    pub location: String,
    #[serde(default)]
    pub description: String,
}

/// A profile that passed validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmployerProfile {
    pub name: String,
    pub industry: String,
    pub website: Option<String>,
    pub email_domain: Option<String>,
    pub size: Option<EmployerSize>,
    pub location: String,
    pub description: String,
}

impl EmployerProfile {
    /// The profile as its form shows it (to edit it, or to show it again).
    pub fn to_form(&self) -> EmployerForm {
        EmployerForm {
            name: self.name.clone(),
            industry: self.industry.clone(),
            website: self.website.clone().unwrap_or_default(),
            email_domain: self.email_domain.clone().unwrap_or_default(),
            size: self.size.map(|s| s.as_str().to_owned()).unwrap_or_default(),
            location: self.location.clone(),
            description: self.description.clone(),
        }
    }
}

pub fn valid_domain(d: &str) -> bool {
    let labels: Vec<&str> = d.split('.').collect();
    d.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        && labels.last().is_some_and(|tld| tld.chars().all(|c| c.is_ascii_alphabetic()))
}

/// Checks every field and reports every problem.
pub fn validate_employer(form: &EmployerForm) -> Result<EmployerProfile, Problems> {
    let mut p = Problems::new();
    let text = |field: &str, raw: &str, required: bool, max: usize, p: &mut Problems| -> String {
        let v = raw.trim();
        if required && v.is_empty() {
            p.add(field, "is required");
        } else if v.chars().count() > max {
            p.add(field, format!("is longer than {max} characters"));
        }
        v.to_owned()
    };
    let name = text("name", &form.name, true, 200, &mut p);
    let industry = text("industry", &form.industry, true, 100, &mut p);
    let location = text("location", &form.location, false, 200, &mut p);
    let description = text("description", &form.description, false, 5000, &mut p);
    let website = match form.website.trim() {
        "" => None,
        raw => match url::Url::parse(raw) {
            Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some_and(|h| h.contains('.')) => {
                Some(raw.to_owned())
            }
            _ => {
                p.add("website", format!("`{raw}` is not a web address like https://www.example.com"));
                None
            }
        },
    };
    let email_domain = match form.email_domain.trim().trim_start_matches('@').to_ascii_lowercase() {
        d if d.is_empty() => None,
        d if valid_domain(&d) => match super::vetting::refused_domain(&d) {
            Some(why) => {
                p.add("email_domain", why);
                None
            }
            None => Some(d),
        },
        d => {
            p.add("email_domain", format!("`{d}` is not a domain like example.com"));
            None
        }
    };
    let size = match form.size.trim() {
        "" => None,
        s => p.take("size", s.parse::<EmployerSize>()),
    };
    if p.is_empty() {
        Ok(EmployerProfile { name, industry, website, email_domain, size, location, description })
    } else {
        Err(p)
    }
}

#[cfg(test)]
mod tests {
    use super::PartnershipStatus::*;
    use super::*;

    #[test]
    fn the_partnership_machine() {
        assert!(check_transition(Prospect, Active, true).is_ok());
        assert!(check_transition(Active, Paused, true).is_ok());
        assert!(check_transition(Paused, Active, true).is_ok());
        assert!(check_transition(Active, Ended, true).is_ok());
        assert!(check_transition(Paused, Ended, true).is_ok());
        assert!(check_transition(Prospect, Ended, true).is_ok());
        assert_eq!(check_transition(Prospect, Paused, true), Err(Refused::NotAllowed { from: Prospect, to: Paused }));
        assert_eq!(check_transition(Active, Prospect, true), Err(Refused::NotAllowed { from: Active, to: Prospect }));
        assert_eq!(check_transition(Ended, Active, true), Err(Refused::Ended));
        assert_eq!(check_transition(Ended, Prospect, true), Err(Refused::Ended));
        assert_eq!(check_transition(Active, Active, true), Err(Refused::Unchanged(Active)));
        assert_eq!(check_transition(Prospect, Active, false), Err(Refused::NoEmailDomain));
        assert_eq!(check_transition(Paused, Active, false), Err(Refused::NoEmailDomain));
        assert_eq!(next_statuses(Active, true), vec![Paused, Ended]);
        assert_eq!(next_statuses(Prospect, false), vec![Ended]);
        assert!(next_statuses(Ended, true).is_empty());
        assert_eq!(
            Refused::NotAllowed { from: Active, to: Prospect }.to_string(),
            "a partnership cannot go from active to prospect",
            "messages name the stored values"
        );
    }

    #[test]
    fn a_new_partnership_starts_as_a_prospect_or_active_with_a_domain() {
        assert!(check_first_status(Prospect, false).is_ok());
        assert!(check_first_status(Active, true).is_ok());
        for (status, domain) in [(Active, false), (Paused, true), (Ended, true)] {
            let Err(Error::Invalid(p)) = check_first_status(status, domain) else { panic!("{status} accepted") };
            assert_eq!(p.fields(), ["status"]);
        }
    }

    #[test]
    fn statuses_tiers_and_sizes_read_only_their_values() {
        assert_eq!("paused".parse::<PartnershipStatus>(), Ok(Paused));
        assert_eq!(
            "archived".parse::<PartnershipStatus>().unwrap_err(),
            "`archived` is not a partnership status (prospect, active, paused, ended)"
        );
        assert_eq!(
            "platinum".parse::<Tier>().unwrap_err(),
            "`platinum` is not a tier (strategic, gold, silver, standard)"
        );
        assert_eq!("5001+".parse::<EmployerSize>(), Ok(EmployerSize::Over5000));
        assert_eq!(EmployerSize::UpTo200.label(), "51-200 people");
        assert_eq!(PartnershipStatus::ALL.map(PartnershipStatus::verb), ["Prospect", "Activate", "Pause", "End"]);
    }

    fn form() -> EmployerForm {
        EmployerForm {
            name: "Brightpath Analytics".into(),
            industry: "Software".into(),
            website: "https://www.brightpath.com".into(),
            email_domain: "@BrightPath.com".into(),
            size: "51-200".into(),
            location: "Boston, MA".into(),
            description: "B2B analytics.".into(),
        }
    }

    #[test]
    fn a_good_profile_is_normalised() {
        let p = validate_employer(&form()).unwrap();
        assert_eq!(p.email_domain.as_deref(), Some("brightpath.com"));
        assert_eq!(p.size, Some(EmployerSize::UpTo200));
        assert_eq!(p.to_form().size, "51-200");
        assert_eq!(p.to_form().email_domain, "brightpath.com");
    }

    #[test]
    fn every_bad_field_is_named() {
        let f = EmployerForm {
            name: " ".into(),
            website: "brightpath dot com".into(),
            email_domain: "not a domain".into(),
            size: "huge".into(),
            ..form()
        };
        let problems = validate_employer(&f).unwrap_err();
        assert_eq!(problems.fields(), ["name", "website", "email_domain", "size"]);
        assert_eq!(problems[3].problem, "`huge` is not a size (1-10, 11-50, 51-200, 201-1000, 1001-5000, 5001+)");
        for bad in ["ftp://x.com", "https://localhost", "javascript:alert(1)"] {
            assert!(validate_employer(&EmployerForm { website: bad.into(), ..form() }).is_err(), "{bad}");
        }
        for bad in ["x", "-x.com", "x.c0m", "a..b.com", "x_y.com"] {
            assert!(!valid_domain(bad), "{bad}");
        }
    }
}
