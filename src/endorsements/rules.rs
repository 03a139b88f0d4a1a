//! Pure decisions about endorsements and requests: the skills' one normal form, what a
//! faculty member may write, the edit window, when a request lapses, which students a
//! faculty member may find, and who may read an endorsement. No I/O.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use crate::core::Problems;
use crate::students::rules::{GraduationTerm, ProfileVisibility};

crate::core::text_enum! {
    /// How the faculty member knows the student (`endorsements.relationship`; shown to
    /// employers with a shared endorsement).
    pub enum Relationship: "relationship" {
        Course => "course", "Course";
        Research => "research", "Research";
        Advising => "advising", "Advising";
        Other => "other", "Other";
    }
}

crate::core::text_enum! {
    /// Where a student's request for an endorsement stands (`pending` is an open request).
    pub enum RequestStatus: "request status" {
        Pending => "pending", "Waiting for an answer";
        Fulfilled => "fulfilled", "Endorsed";
        Declined => "declined", "Declined";
        Cancelled => "cancelled", "Withdrawn";
        Expired => "expired", "Expired after 30 days";
    }
}

/// The longest statement, in characters.
pub const STATEMENT_MAX: usize = 2000;
/// The longest message with a request, or note with a decline.
pub const MESSAGE_MAX: usize = 2000;
/// How many skills one endorsement or request names at most.
pub const SKILLS_MAX: usize = 12;
/// The longest skill, in characters.
pub const SKILL_MAX: usize = 40;
/// How long after writing it the author may still change an endorsement.
pub const EDIT_WINDOW_HOURS: i64 = 24;
/// How long a request stays open without an answer.
pub const REQUEST_DAYS: i64 = 30;
/// How long after graduating a student may still be endorsed.
pub const RECENT_GRADUATE_DAYS: i64 = 365;

/// A skill's one normal form, the same as a posting's skill tags (so that endorsed skills
/// match postings): trimmed, lower case, inner whitespace as one '-'. "Python", " python"
/// and "PYTHON" are one skill; "Machine  learning" is "machine-learning".
pub fn skill_key(raw: &str) -> String {
    raw.split_whitespace().map(str::to_lowercase).collect::<Vec<_>>().join("-")
}

/// A comma-separated list of skills: each in normal form, once, in the order first typed.
pub fn skill_list(raw: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in raw.split(',').map(skill_key) {
        if !s.is_empty() && !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

/// Skills as people read them: "machine-learning, sql" → "machine learning, sql".
pub fn skills_for_people(stored: &str) -> String {
    skill_list(stored).iter().map(|s| s.replace('-', " ")).collect::<Vec<_>>().join(", ")
}

/// The catalogue's signal for a student: how many of a posting's skills (tags in normal
/// form) their shareable endorsements name, in words ("3 of this posting's 4 skills are
/// endorsed"); None when the posting names no skill or none is endorsed.
pub fn endorsed_signal(posting_skills: &[String], endorsed: &[String]) -> Option<String> {
    let matched = posting_skills.iter().filter(|s| endorsed.contains(s)).count();
    if matched == 0 {
        return None;
    }
    let total = posting_skills.len();
    Some(match (matched, total) {
        (1, 1) => "This posting's one skill is endorsed".to_owned(),
        (m, t) if m == t => format!("All {t} of this posting's skills are endorsed"),
        (1, t) => format!("1 of this posting's {t} skills is endorsed"),
        (m, t) => format!("{m} of this posting's {t} skills are endorsed"),
    })
}

/// Checks a list of skills (`field` names it in problems): at most [`SKILLS_MAX`], each
/// at most [`SKILL_MAX`] characters.
fn check_skills(raw: &str, field: &str, required: bool, problems: &mut Problems) -> Vec<String> {
    let skills = skill_list(raw);
    if required && skills.is_empty() {
        problems.add(field, "name at least one skill");
    }
    if skills.len() > SKILLS_MAX {
        problems.add(field, format!("name at most {SKILLS_MAX} skills (you named {})", skills.len()));
    }
    if let Some(long) = skills.iter().find(|s| s.chars().count() > SKILL_MAX) {
        problems.add(field, format!("“{long}” is longer than {SKILL_MAX} characters"));
    }
    skills
}

/// Text from a form with its line breaks as one character each ("\r\n" as the browser
/// sends it counts once, as the live count on the page counts it), trimmed.
pub fn text_of(raw: &str) -> String {
    raw.replace("\r\n", "\n").trim().to_owned()
}

/// The endorsement form as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct EndorsementInput {
    #[serde(default)]
    pub skills: String,
    #[serde(default)]
    pub statement: String,
    #[serde(default)]
    pub relationship: String,
    #[serde(default)]
    pub course: String,
}

/// An endorsement that passed the checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endorsement {
    pub skills: Vec<String>,
    pub statement: String,
    pub relationship: Relationship,
    /// Only for a course: its code, upper case ("ECON 310").
    pub course: Option<String>,
}

impl Endorsement {
    /// The skills as stored: normal forms joined by commas.
    pub fn skills_text(&self) -> String {
        self.skills.join(",")
    }
}

/// A course code as the catalogue writes it: letters, then a number ("ECON 310", "CS101A").
fn course_code(raw: &str) -> Result<String, &'static str> {
    let code = raw.split_whitespace().collect::<Vec<_>>().join(" ").to_uppercase();
    let ok = !code.is_empty()
        && code.chars().count() <= 20
        && code.chars().all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-')
        && code.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && code.chars().any(|c| c.is_ascii_digit());
    if ok {
        Ok(code)
    } else {
        Err("write the course code as the catalogue does, e.g. ECON 310")
    }
}

/// Checks every field of the endorsement form at once.
pub fn check_endorsement(input: &EndorsementInput) -> Result<Endorsement, Problems> {
    let mut problems = Problems::new();
    let skills = check_skills(&input.skills, "skills", true, &mut problems);
    let statement = text_of(&input.statement);
    let length = statement.chars().count();
    if length == 0 {
        problems.add("statement", "say in a few sentences what the student did and how well");
    } else if length > STATEMENT_MAX {
        problems.add("statement", format!("is {length} characters; at most {STATEMENT_MAX}"));
    }
    let relationship = match input.relationship.trim() {
        "" => {
            problems.add("relationship", "choose how you know the student");
            None
        }
        raw => match raw.parse::<Relationship>() {
            Ok(r) => Some(r),
            Err(_) => {
                problems.add("relationship", "choose one of the listed relationships");
                None
            }
        },
    };
    let course = match relationship {
        Some(Relationship::Course) if input.course.trim().is_empty() => {
            problems.add("course", "give the course code when you know the student from a course");
            None
        }
        Some(Relationship::Course) => match course_code(&input.course) {
            Ok(code) => Some(code),
            Err(why) => {
                problems.add("course", why);
                None
            }
        },
        _ => None,
    };
    match relationship {
        Some(relationship) if problems.is_empty() => Ok(Endorsement { skills, statement, relationship, course }),
        _ => Err(problems),
    }
}

/// A request as typed by the student.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct RequestInput {
    #[serde(default)]
    pub faculty: String,
    #[serde(default)]
    pub posting: String,
    #[serde(default)]
    pub skills: String,
    #[serde(default)]
    pub message: String,
}

/// A request's own fields, checked (who and which posting are checked against the records).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub skills: Vec<String>,
    pub message: String,
}

pub fn check_request(input: &RequestInput) -> Result<Request, Problems> {
    let mut problems = Problems::new();
    if input.faculty.trim().is_empty() {
        problems.add("faculty", "choose the faculty member to ask");
    }
    let skills = check_skills(&input.skills, "skills", false, &mut problems);
    let message = text_of(&input.message);
    if message.chars().count() > MESSAGE_MAX {
        problems.add("message", format!("is {} characters; at most {MESSAGE_MAX}", message.chars().count()));
    }
    if problems.is_empty() {
        Ok(Request { skills, message })
    } else {
        Err(problems)
    }
}

/// The note a faculty member may give when declining.
pub fn check_note(raw: &str) -> Result<Option<String>, Problems> {
    let note = text_of(raw);
    if note.chars().count() > MESSAGE_MAX {
        return Err(Problems::one("note", format!("is {} characters; at most {MESSAGE_MAX}", note.chars().count())));
    }
    Ok(Some(note).filter(|n| !n.is_empty()))
}

/// Whether the author may still change an endorsement written at `written` (24 hours).
pub fn may_edit(written: NaiveDateTime, now: NaiveDateTime) -> bool {
    now < written + Duration::hours(EDIT_WINDOW_HOURS)
}

/// When an open request made at `made` lapses.
pub fn request_lapses_at(made: NaiveDateTime) -> NaiveDateTime {
    made + Duration::days(REQUEST_DAYS)
}

/// Open requests made before this instant have lapsed.
pub fn requests_made_before_have_lapsed(now: NaiveDateTime) -> NaiveDateTime {
    now - Duration::days(REQUEST_DAYS)
}

/// Whether a student may be endorsed: still enrolled, or graduated within the last year
/// (the end of the graduation month counts). An unreadable term is not reachable.
pub fn within_reach(graduation_term: &str, today: NaiveDate) -> bool {
    let Ok(term) = GraduationTerm::parse(graduation_term) else { return false };
    let (y, m) = if term.month == 12 { (term.year + 1, 1) } else { (term.year, term.month + 1) };
    let Some(end_of_month) = NaiveDate::from_ymd_opt(y, m, 1).and_then(|d| d.pred_opt()) else { return false };
    today <= end_of_month + Duration::days(RECENT_GRADUATE_DAYS)
}

/// The earliest graduation term (`YYYY-MM`, as stored) still within reach today: terms
/// compare as text, so a search can ask for `graduation_term >= this`.
pub fn earliest_term_within_reach(today: NaiveDate) -> String {
    let d = today - Duration::days(RECENT_GRADUATE_DAYS);
    d.format("%Y-%m").to_string()
}

/// Whether a faculty member may find a student: a student whose profile is private is
/// found only within the faculty member's own college, or when they asked this faculty
/// member for an endorsement.
pub fn findable(visibility: ProfileVisibility, same_college: bool, asked_this_faculty: bool) -> bool {
    visibility == ProfileVisibility::Employers || same_college || asked_this_faculty
}

/// Who reads an endorsement, as the visibility rules see them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    /// The faculty member who wrote it.
    Author,
    /// The student it is about.
    Student,
    /// Career-office staff (school officials under FERPA).
    Office,
    /// A recruiter; `shared`: it was shared on an application to their own employer's posting.
    Recruiter { shared: bool },
    /// Anyone else (another faculty member, another student).
    Other,
}

/// Whether `reader` sees an endorsement that is `revoked` or `hidden` by its student.
/// Employers see only what is shared with them, still current, and not hidden; the
/// author, the student and the office see it in every state (marked as such).
pub fn may_read(reader: Reader, revoked: bool, hidden: bool) -> bool {
    match reader {
        Reader::Author | Reader::Student | Reader::Office => true,
        Reader::Recruiter { shared } => shared && !revoked && !hidden,
        Reader::Other => false,
    }
}

/// Whether a student may share an endorsement on a new application.
pub fn shareable(revoked: bool, hidden: bool) -> bool {
    !revoked && !hidden
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn one_skill_however_it_is_typed() {
        assert_eq!(skill_key("Python"), "python");
        assert_eq!(skill_key(" python"), "python");
        assert_eq!(skill_key("PYTHON "), "python");
        assert_eq!(skill_key("Machine \t Learning"), "machine-learning");
        assert_eq!(skill_list("Python, python ,PYTHON,, SQL , Data  analysis"), ["python", "sql", "data-analysis"]);
        assert!(skill_list(" , ,").is_empty());
        assert_eq!(skills_for_people("python,data-analysis"), "python, data analysis");
    }

    fn input(skills: &str, statement: &str, relationship: &str, course: &str) -> EndorsementInput {
        EndorsementInput {
            skills: skills.into(),
            statement: statement.into(),
            relationship: relationship.into(),
            course: course.into(),
        }
    }

    #[test]
    fn the_catalogue_says_how_many_of_a_posting_s_skills_are_endorsed() {
        let s = |l: &str| skill_list(l);
        let mine = s("python, sql, excel");
        assert_eq!(
            endorsed_signal(&s("python,sql,excel,tableau"), &mine).unwrap(),
            "3 of this posting's 4 skills are endorsed"
        );
        assert_eq!(endorsed_signal(&s("python,tableau"), &mine).unwrap(), "1 of this posting's 2 skills is endorsed");
        assert_eq!(endorsed_signal(&s("sql,excel"), &mine).unwrap(), "All 2 of this posting's skills are endorsed");
        assert_eq!(endorsed_signal(&s("sql"), &mine).unwrap(), "This posting's one skill is endorsed");
        assert_eq!(endorsed_signal(&s("tableau"), &mine), None);
        assert_eq!(endorsed_signal(&[], &mine), None);
    }

    #[test]
    fn an_endorsement_names_skills_a_statement_and_the_relationship() {
        let e = check_endorsement(&input("Python, SQL", "  Careful work.\r\n", "course", " econ  310 ")).unwrap();
        assert_eq!(e.skills, ["python", "sql"]);
        assert_eq!(e.statement, "Careful work.");
        assert_eq!(e.relationship, Relationship::Course);
        assert_eq!(e.course.as_deref(), Some("ECON 310"));
        let advising = check_endorsement(&input("writing", "Good.", "advising", "ECON 310")).unwrap();
        assert_eq!(advising.course, None, "a course code only with a course");

        let p = check_endorsement(&input(" , ", "   ", "", "")).unwrap_err();
        let fields: Vec<&str> = p.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["skills", "statement", "relationship"], "every problem at once");
        let p = check_endorsement(&input("sql", "ok", "course", "")).unwrap_err();
        assert_eq!(p.iter().map(|p| p.field.as_str()).collect::<Vec<_>>(), ["course"]);
        let p = check_endorsement(&input("sql", "ok", "course", "310")).unwrap_err();
        assert_eq!(p.iter().map(|p| p.field.as_str()).collect::<Vec<_>>(), ["course"]);
        let p = check_endorsement(&input("sql", "ok", "friend", "")).unwrap_err();
        assert_eq!(p.iter().map(|p| p.field.as_str()).collect::<Vec<_>>(), ["relationship"]);
    }

    #[test]
    fn the_statement_is_at_most_2000_characters_counting_line_breaks_once() {
        let exactly = "é".repeat(1998) + "\r\na";
        assert_eq!(check_endorsement(&input("sql", &exactly, "other", "")).unwrap().statement.chars().count(), 2000);
        let over = "a".repeat(2001);
        let p = check_endorsement(&input("sql", &over, "other", "")).unwrap_err();
        assert_eq!(p.iter().next().unwrap().problem, "is 2001 characters; at most 2000");
        let many = (0..13).map(|i| format!("skill{i}")).collect::<Vec<_>>().join(",");
        assert!(check_endorsement(&input(&many, "ok", "other", "")).is_err());
    }

    #[test]
    fn the_author_may_edit_for_24_hours() {
        let written = at("2027-02-16 14:00");
        assert!(may_edit(written, at("2027-02-17 13:59")));
        assert!(!may_edit(written, at("2027-02-17 14:00")));
    }

    #[test]
    fn open_requests_lapse_after_30_days() {
        let made = at("2027-02-01 09:00");
        assert_eq!(request_lapses_at(made), at("2027-03-03 09:00"));
        let cutoff = requests_made_before_have_lapsed(at("2027-03-03 09:00"));
        assert!(made <= cutoff);
        assert!(made > requests_made_before_have_lapsed(at("2027-03-03 08:59")));
    }

    #[test]
    fn enrolled_and_recent_graduates_are_within_reach() {
        let today = NaiveDate::from_ymd_opt(2027, 2, 16).unwrap();
        assert!(within_reach("2028-05", today), "enrolled");
        assert!(within_reach("2026-05", today), "graduated nine months ago");
        assert!(within_reach("2026-02", today), "graduated at the end of February 2026: a year ago to the month");
        assert!(!within_reach("2025-12", today), "over a year ago");
        assert!(!within_reach("soon", today));
        assert_eq!(earliest_term_within_reach(today), "2026-02");
    }

    #[test]
    fn private_students_are_found_within_the_college_or_when_they_asked() {
        use ProfileVisibility::*;
        assert!(findable(Employers, false, false));
        assert!(findable(Private, true, false));
        assert!(findable(Private, false, true));
        assert!(!findable(Private, false, false));
    }

    #[test]
    fn employers_read_only_what_is_shared_current_and_not_hidden() {
        for (revoked, hidden) in [(false, false), (true, false), (false, true)] {
            assert!(may_read(Reader::Author, revoked, hidden));
            assert!(may_read(Reader::Student, revoked, hidden));
            assert!(may_read(Reader::Office, revoked, hidden));
            assert!(!may_read(Reader::Other, revoked, hidden));
            assert!(!may_read(Reader::Recruiter { shared: false }, revoked, hidden));
        }
        assert!(may_read(Reader::Recruiter { shared: true }, false, false));
        assert!(!may_read(Reader::Recruiter { shared: true }, true, false));
        assert!(!may_read(Reader::Recruiter { shared: true }, false, true));
        assert!(shareable(false, false) && !shareable(true, false) && !shareable(false, true));
    }
}
