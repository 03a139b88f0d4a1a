//! Pure rules for student records: roster rows, graduation terms and NACE cohorts.
//! No I/O here, so every rule is cheap to test.

use std::fmt;

use serde::Deserialize;

use crate::core::{Email, Problems};

crate::core::text_enum! {
    /// Who may see a student's profile beyond the career office.
    pub enum ProfileVisibility: "profile visibility" {
        Private => "private", "Only me and the career office";
        Employers => "employers", "Employers I apply to";
    }
}

/// The month a student graduates (or is expected to), `YYYY-MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct GraduationTerm {
    pub year: i32,
    pub month: u32,
}

impl GraduationTerm {
    /// Accepts `YYYY-MM`, or a season and year as registrars write it
    /// (`Spring 2025` = May, `Summer 2025` = August, `Fall 2025` = December, `Winter 2025` = January).
    pub fn parse(raw: &str) -> Result<Self, String> {
        let raw = raw.trim();
        let expected = "expected YYYY-MM (e.g. 2026-05) or a season and year (e.g. Spring 2026)";
        if let Some((y, m)) = raw.split_once('-') {
            let year: i32 = y.parse().map_err(|_| format!("`{raw}`: {expected}"))?;
            let month: u32 = m.parse().map_err(|_| format!("`{raw}`: {expected}"))?;
            if y.len() != 4 || m.len() != 2 || !(1..=12).contains(&month) {
                return Err(format!("`{raw}`: {expected}"));
            }
            return Ok(GraduationTerm { year, month });
        }
        let mut words = raw.split_whitespace();
        let (Some(season), Some(year), None) = (words.next(), words.next(), words.next()) else {
            return Err(format!("`{raw}`: {expected}"));
        };
        let month = match season.to_ascii_lowercase().as_str() {
            "winter" => 1,
            "spring" => 5,
            "summer" => 8,
            "fall" | "autumn" => 12,
            _ => return Err(format!("`{raw}`: {expected}")),
        };
        let year: i32 = year.parse().ok().filter(|_| year.len() == 4).ok_or_else(|| format!("`{raw}`: {expected}"))?;
        Ok(GraduationTerm { year, month })
    }

    /// The NACE graduating class: July 1 of Y−1 to June 30 of Y is the class of Y.
    pub fn cohort(self) -> i32 {
        if self.month >= 7 {
            self.year + 1
        } else {
            self.year
        }
    }
}

impl fmt::Display for GraduationTerm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// The roster file's columns, in the order the office's SIS export writes them.
pub const ROSTER_COLUMNS: [&str; 7] =
    ["student_number", "email", "name", "college", "major", "class_year", "graduation_term"];

/// One roster row as read, before validation.
#[derive(Debug, Clone, Deserialize)]
pub struct RosterRow {
    pub student_number: String,
    pub email: String,
    pub name: String,
    pub college: String,
    pub major: String,
    pub class_year: String,
    pub graduation_term: String,
}

/// A roster row that passed validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterEntry {
    pub student_number: String,
    pub email: Email,
    pub name: String,
    pub college: String,
    pub major: String,
    pub class_year: i32,
    pub graduation_term: GraduationTerm,
}

fn required(field: &str, raw: &str, max: usize, problems: &mut Problems) -> String {
    let v = raw.trim();
    if v.is_empty() {
        problems.add(field, "is required");
    } else if v.chars().count() > max {
        problems.add(field, format!("is longer than {max} characters"));
    } else if v.chars().any(char::is_control) {
        problems.add(field, "contains control characters");
    }
    v.to_owned()
}

/// Validates one row, reporting every problem it has (not only the first).
pub fn validate_row(row: &RosterRow) -> Result<RosterEntry, Problems> {
    let mut problems = Problems::new();
    let student_number = required("student_number", &row.student_number, 32, &mut problems);
    if !student_number.is_empty() && !student_number.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        problems.add("student_number", format!("`{student_number}` may hold only letters, digits and -"));
    }
    let email = match Email::parse(&row.email) {
        Ok(e) => Some(e),
        Err(p) => {
            let problem = if row.email.trim().is_empty() { "is required".to_owned() } else { p };
            problems.add("email", problem);
            None
        }
    };
    let name = required("name", &row.name, 200, &mut problems);
    let college = required("college", &row.college, 100, &mut problems);
    let major = required("major", &row.major, 100, &mut problems);
    let class_year = match row.class_year.trim().parse::<i32>() {
        Ok(y) if (1900..=2200).contains(&y) => Some(y),
        _ if row.class_year.trim().is_empty() => {
            problems.add("class_year", "is required");
            None
        }
        _ => {
            problems.add("class_year", format!("`{}` is not a year", row.class_year.trim()));
            None
        }
    };
    let term = match GraduationTerm::parse(&row.graduation_term) {
        Ok(t) => Some(t),
        Err(p) => {
            let problem = if row.graduation_term.trim().is_empty() { "is required".to_owned() } else { p };
            problems.add("graduation_term", problem);
            None
        }
    };
    if let (Some(year), Some(term)) = (class_year, term) {
        if term.cohort() != year {
            problems.add(
                "class_year",
                format!(
                    "{year} does not match graduation_term {term} (that is the class of {}: July 1 to June 30)",
                    term.cohort()
                ),
            );
        }
    }
    match (email, class_year, term) {
        (Some(email), Some(class_year), Some(graduation_term)) if problems.is_empty() => {
            Ok(RosterEntry { student_number, email, name, college, major, class_year, graduation_term })
        }
        _ => Err(problems),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(values: [&str; 7]) -> RosterRow {
        RosterRow {
            student_number: values[0].into(),
            email: values[1].into(),
            name: values[2].into(),
            college: values[3].into(),
            major: values[4].into(),
            class_year: values[5].into(),
            graduation_term: values[6].into(),
        }
    }

    #[test]
    fn cohort_runs_july_to_june() {
        assert_eq!(GraduationTerm::parse("2025-05").unwrap().cohort(), 2025);
        assert_eq!(GraduationTerm::parse("2025-06").unwrap().cohort(), 2025);
        assert_eq!(GraduationTerm::parse("2025-07").unwrap().cohort(), 2026);
        assert_eq!(GraduationTerm::parse("2024-12").unwrap().cohort(), 2025);
        assert_eq!(GraduationTerm::parse("Summer 2025").unwrap().cohort(), 2026);
        assert_eq!(GraduationTerm::parse("Fall 2024").unwrap().to_string(), "2024-12");
        assert_eq!(GraduationTerm::parse("spring 2026").unwrap().to_string(), "2026-05");
    }

    #[test]
    fn bad_terms_are_refused() {
        for bad in ["2025", "2025-13", "2025-5", "25-05", "Autumnal 2025", "Spring", "Spring 25", ""] {
            assert!(GraduationTerm::parse(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn a_good_row_is_normalised() {
        let e = validate_row(&row([
            "N0001",
            " Ada.Lovelace@Northfield.EDU ",
            "Ada Lovelace",
            "Engineering",
            "Computer Science",
            "2027",
            "2027-05",
        ]))
        .unwrap();
        assert_eq!(e.email, "ada.lovelace@northfield.edu");
        assert_eq!(e.class_year, 2027);
    }

    #[test]
    fn profile_visibility_is_a_closed_list() {
        assert_eq!("employers".parse::<ProfileVisibility>(), Ok(ProfileVisibility::Employers));
        assert_eq!(
            "public".parse::<ProfileVisibility>().unwrap_err(),
            "`public` is not a profile visibility (private, employers)"
        );
    }

    #[test]
    fn every_problem_of_a_row_is_reported() {
        let problems =
            validate_row(&row(["N 1", "not-an-email", "", "Arts", "History", "twenty", "2027-05"])).unwrap_err();
        assert_eq!(problems.fields(), ["student_number", "email", "name", "class_year"]);
    }

    #[test]
    fn class_year_must_match_the_term() {
        let problems = validate_row(&row(["N2", "a@b.edu", "A B", "Arts", "History", "2025", "2025-08"])).unwrap_err();
        assert_eq!(problems.len(), 1);
        assert!(problems[0].problem.contains("class of 2026"), "{:?}", problems);
    }
}
