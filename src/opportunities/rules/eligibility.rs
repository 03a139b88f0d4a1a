//! Matching: skill tags and whom a posting is open to, each in one normal form used on
//! both sides (the posting's lists as the store writes them, the catalogue's filter, the
//! student's record), so that "eligible for me" and the apply check never disagree.

/// The one normal form of a skill tag, used when a posting is saved and when the
/// catalogue is filtered: trimmed, lower case, inner whitespace as one `-`
/// ("Market  Research" is `market-research`, as the demo data writes its tags).
/// Matching is then plain equality, so no character is a wildcard.
pub fn skill_tag(raw: &str) -> String {
    raw.split_whitespace().map(str::to_lowercase).collect::<Vec<_>>().join("-")
}

/// A comma-separated list of skills as tags: each in normal form, once, in order.
pub fn skill_tags(list: &str) -> Vec<String> {
    distinct(list.split(',').map(skill_tag))
}

/// The one normal form in which a college or major is matched, on both sides (the
/// posting's list and the student's record): trimmed, lower case, inner whitespace as
/// one space. "School of  Business " and "school of business" are the same school.
pub fn eligibility_key(raw: &str) -> String {
    raw.split_whitespace().map(str::to_lowercase).collect::<Vec<_>>().join(" ")
}

/// A class year as listed on a posting (four digits).
pub(super) fn class_year(raw: &str) -> Option<i32> {
    let raw = raw.trim();
    (raw.len() == 4 && raw.chars().all(|c| c.is_ascii_digit())).then(|| raw.parse().ok()).flatten()
}

fn distinct(items: impl Iterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for item in items {
        if !item.is_empty() && !out.contains(&item) {
            out.push(item);
        }
    }
    out
}

/// What the student is, for eligibility ("eligible for me" and the apply check).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StudentFacts {
    pub college: String,
    pub major: String,
    pub class_year: i32,
}

/// Whom a posting is open to, in normal form: what the store keeps in the posting's
/// eligibility tables and what the catalogue's filter matches. An empty list admits all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Eligibility {
    pub colleges: Vec<String>,
    pub majors: Vec<String>,
    pub class_years: Vec<i32>,
}

/// The list that keeps a student out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ineligible {
    College,
    Major,
    ClassYear,
}

impl Eligibility {
    /// From a posting's comma-separated lists, as typed.
    pub fn of_lists(colleges: &str, majors: &str, class_years: &str) -> Eligibility {
        let mut years: Vec<i32> = Vec::new();
        for y in class_years.split(',').filter_map(class_year) {
            if !years.contains(&y) {
                years.push(y);
            }
        }
        Eligibility {
            colleges: distinct(colleges.split(',').map(eligibility_key)),
            majors: distinct(majors.split(',').map(eligibility_key)),
            class_years: years,
        }
    }

    /// The one rule, which the catalogue's SQL filter applies to the same rows: each list
    /// is empty or holds the student's value in normal form, exactly.
    pub fn admits(&self, me: &StudentFacts) -> Result<(), Ineligible> {
        let college = eligibility_key(&me.college);
        let major = eligibility_key(&me.major);
        if !self.colleges.is_empty() && !self.colleges.contains(&college) {
            return Err(Ineligible::College);
        }
        if !self.majors.is_empty() && !self.majors.contains(&major) {
            return Err(Ineligible::Major);
        }
        if !self.class_years.is_empty() && !self.class_years.contains(&me.class_year) {
            return Err(Ineligible::ClassYear);
        }
        Ok(())
    }
}

/// May this student apply? Every list empty means anyone; the reason names the list (as
/// the posting wrote it).
pub fn eligibility(colleges: &str, majors: &str, class_years: &str, me: &StudentFacts) -> Result<(), String> {
    Eligibility::of_lists(colleges, majors, class_years).admits(me).map_err(|which| match which {
        Ineligible::College => format!("this project is open to {colleges} only"),
        Ineligible::Major => format!("this project is open to the majors {majors} only"),
        Ineligible::ClassYear => format!("this project is open to the classes of {class_years} only"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eligibility_names_the_list_that_keeps_a_student_out() {
        let me = |college: &str, major: &str, class_year: i32| StudentFacts {
            college: college.into(),
            major: major.into(),
            class_year,
        };
        assert!(eligibility("", "", "", &me("Arts", "History", 2027)).is_ok());
        assert!(eligibility("", "Finance,Economics", "", &me("Business", "finance", 2027)).is_ok());
        assert!(eligibility("", "Finance", "", &me("Business", "Marketing", 2027)).unwrap_err().contains("majors"));
        assert!(eligibility("", "", "2026", &me("Business", "Finance", 2027)).unwrap_err().contains("classes"));
        assert!(
            eligibility("School of  Business , College of Arts", "", "", &me("  SCHOOL OF BUSINESS", "x", 2027))
                .is_ok(),
            "one normal form on both sides"
        );
        assert!(eligibility("School of Business", "", "", &me("School of Business Administration", "x", 2027)).is_err());
        assert!(eligibility("%", "", "", &me("School of Business", "x", 2027)).is_err(), "no wildcards");
    }

    #[test]
    fn one_normal_form_for_tags_and_eligibility() {
        assert_eq!(skill_tag("  Market \t Research "), "market-research");
        assert_eq!(skill_tag("SQL"), "sql");
        assert_eq!(skill_tags("Excel, market-research,,EXCEL, % "), ["excel", "market-research", "%"]);
        assert_eq!(eligibility_key(" School  of Business "), "school of business");
        let e = Eligibility::of_lists(" School of Business,school of business ", "", "2026, 2027,abc,2026");
        assert_eq!(e.colleges, ["school of business"]);
        assert!(e.majors.is_empty());
        assert_eq!(e.class_years, [2026, 2027]);
    }
}
