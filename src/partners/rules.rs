//! Pure rules for employers and partnerships: validation and the status machine
//! `prospect → active → paused ↔ active → ended` (a prospect may also end). An ended
//! partnership is history: working together again takes a new partnership record.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::core::{Error, FieldProblem};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Prospect,
    Active,
    Paused,
    Ended,
}

impl Status {
    pub const ALL: [Status; 4] = [Status::Prospect, Status::Active, Status::Paused, Status::Ended];
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Prospect => "prospect",
            Status::Active => "active",
            Status::Paused => "paused",
            Status::Ended => "ended",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Status {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Status::ALL
            .into_iter()
            .find(|v| v.as_str() == s.trim())
            .ok_or_else(|| format!("`{s}` is not a partnership status (prospect, active, paused, ended)"))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    Strategic,
    Gold,
    Silver,
    Standard,
}

impl Tier {
    pub const ALL: [Tier; 4] = [Tier::Strategic, Tier::Gold, Tier::Silver, Tier::Standard];
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Strategic => "strategic",
            Tier::Gold => "gold",
            Tier::Silver => "silver",
            Tier::Standard => "standard",
        }
    }
}

impl FromStr for Tier {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Tier::ALL
            .into_iter()
            .find(|v| v.as_str() == s.trim())
            .ok_or_else(|| format!("`{s}` is not a tier (strategic, gold, silver, standard)"))
    }
}

/// Why a status change is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("the partnership is already {0}")]
    Unchanged(Status),
    #[error("a partnership cannot go from {from} to {to}")]
    NotAllowed { from: Status, to: Status },
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
pub fn check_transition(from: Status, to: Status, has_domain: bool) -> Result<(), Refused> {
    use Status::*;
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
pub fn next_statuses(from: Status, has_domain: bool) -> Vec<Status> {
    Status::ALL.into_iter().filter(|to| check_transition(from, *to, has_domain).is_ok()).collect()
}

pub const SIZES: [&str; 6] = ["1-10", "11-50", "51-200", "201-1000", "1001-5000", "5001+"];

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
    pub size: Option<String>,
    pub location: String,
    pub description: String,
}

fn problem(field: &str, text: impl Into<String>) -> FieldProblem {
    FieldProblem { field: field.into(), problem: text.into() }
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
pub fn validate_employer(form: &EmployerForm) -> Result<EmployerProfile, Vec<FieldProblem>> {
    let mut p = Vec::new();
    let text = |field: &str, raw: &str, required: bool, max: usize, p: &mut Vec<FieldProblem>| -> String {
        let v = raw.trim();
        if required && v.is_empty() {
            p.push(problem(field, "is required"));
        } else if v.chars().count() > max {
            p.push(problem(field, format!("is longer than {max} characters")));
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
                p.push(problem("website", format!("`{raw}` is not a web address like https://www.example.com")));
                None
            }
        },
    };
    let email_domain = match form.email_domain.trim().trim_start_matches('@').to_ascii_lowercase() {
        d if d.is_empty() => None,
        d if valid_domain(&d) => Some(d),
        d => {
            p.push(problem("email_domain", format!("`{d}` is not a domain like example.com")));
            None
        }
    };
    let size = match form.size.trim() {
        "" => None,
        s if SIZES.contains(&s) => Some(s.to_owned()),
        s => {
            p.push(problem("size", format!("`{s}` is not one of {}", SIZES.join(", "))));
            None
        }
    };
    if p.is_empty() {
        Ok(EmployerProfile { name, industry, website, email_domain, size, location, description })
    } else {
        Err(p)
    }
}

#[cfg(test)]
mod tests {
    use super::Status::*;
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
        assert_eq!(p.size.as_deref(), Some("51-200"));
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
        let fields: Vec<String> = validate_employer(&f).unwrap_err().into_iter().map(|p| p.field).collect();
        assert_eq!(fields, ["name", "website", "email_domain", "size"]);
        for bad in ["ftp://x.com", "https://localhost", "javascript:alert(1)"] {
            assert!(validate_employer(&EmployerForm { website: bad.into(), ..form() }).is_err(), "{bad}");
        }
        for bad in ["x", "-x.com", "x.c0m", "a..b.com", "x_y.com"] {
            assert!(!valid_domain(bad), "{bad}");
        }
    }
}
