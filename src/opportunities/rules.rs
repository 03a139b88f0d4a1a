//! Pure rules of the micro-internship lifecycle (DESIGN §2): the posting, application
//! and engagement state machines, who may make each move, and posting validation.
//! A refused move changes nothing; the caller answers 409 (wrong state) or 422 (bad input).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::core::{Error, FieldProblem};

/// Who asks for a move: the rules differ by side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Student,
    Recruiter,
    Counselor,
    /// The server itself (the periodic auto-close).
    System,
}

/// A refused move: the thing is not in a state that allows it, or this side may not make it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Refused(pub String);

/// A refused move is a conflict with the current state: nothing changes (409).
impl From<Refused> for Error {
    fn from(r: Refused) -> Self {
        Error::Conflict(r.0)
    }
}

fn refuse(what: &str, from: &str, to: &str) -> Refused {
    Refused(format!("a {what} that is {} cannot become {}", from.replace('_', " "), to.replace('_', " ")))
}

fn posting_allowed(from: &str, to: &str, side: Side) -> bool {
    use Side::*;
    match (from, to) {
        ("draft", "pending_review") => matches!(side, Recruiter | Counselor),
        ("pending_review", "open") | ("pending_review", "draft") => side == Counselor,
        ("open", "closed") => matches!(side, System | Recruiter | Counselor),
        (f, "cancelled") if f != "cancelled" && is_posting_status(f) => matches!(side, Recruiter | Counselor),
        _ => false,
    }
}

/// Posting: `draft → pending_review → open → closed`; review returns to draft; any → cancelled.
pub fn posting_move(from: &str, to: &str, side: Side) -> Result<(), Refused> {
    if posting_allowed(from, to, side) {
        Ok(())
    } else if posting_allowed(from, to, Side::Counselor) {
        Err(Refused(format!(
            "only the career office may move a posting from {} to {}",
            from.replace('_', " "),
            to.replace('_', " ")
        )))
    } else {
        Err(refuse("posting", from, to))
    }
}

fn is_posting_status(s: &str) -> bool {
    matches!(s, "draft" | "pending_review" | "open" | "closed" | "cancelled")
}

/// Why an open posting stops taking applications (DESIGN §2: `open → closed` when its
/// apply-by date passes or all openings are accepted; also when its employer's partnership
/// is paused or ended, or by hand). Every reason goes through the one close of the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CloseReason {
    ApplyByPassed,
    OpeningsFilled,
    PartnershipPaused,
    PartnershipEnded,
    /// The employer or the office closed it on the posting's page.
    ByHand(Side),
}

impl CloseReason {
    /// Who makes the move in the state machine: the server, unless someone closed it by hand.
    pub fn side(self) -> Side {
        match self {
            CloseReason::ByHand(side) => side,
            _ => Side::System,
        }
    }

    /// The reason as the audit log records it.
    pub fn code(self) -> &'static str {
        match self {
            CloseReason::ApplyByPassed => "apply_by_passed",
            CloseReason::OpeningsFilled => "openings_filled",
            CloseReason::PartnershipPaused => "partnership_paused",
            CloseReason::PartnershipEnded => "partnership_ended",
            CloseReason::ByHand(_) => "closed_by_hand",
        }
    }
}

/// Application: `submitted → shortlisted → offered → accepted | declined`;
/// `submitted | shortlisted → rejected`; the student may withdraw before acceptance.
pub fn application_move(from: &str, to: &str, side: Side) -> Result<(), Refused> {
    use Side::*;
    let ok = match (from, to) {
        ("submitted", "shortlisted") => side == Recruiter,
        ("submitted" | "shortlisted", "rejected") => side == Recruiter,
        ("shortlisted", "offered") => side == Recruiter,
        ("offered", "accepted" | "declined") => side == Student,
        ("submitted" | "shortlisted" | "offered", "withdrawn") => side == Student,
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(refuse("application", from, to))
    }
}

/// Engagement: `active → submitted → completed`, `submitted → revision_requested → submitted`,
/// `active → cancelled` (by a counselor, with a reason).
pub fn engagement_move(from: &str, to: &str, side: Side) -> Result<(), Refused> {
    use Side::*;
    let ok = match (from, to) {
        ("active" | "revision_requested", "submitted") => side == Student,
        ("submitted", "completed" | "revision_requested") => side == Recruiter,
        ("active", "cancelled") => side == Counselor,
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(refuse("project", from, to))
    }
}

/// The next step of an application or engagement, in the student's words
/// (`rated`: the student has rated a completed project).
pub fn student_next_step(application: &str, engagement: Option<&str>, rated: bool) -> &'static str {
    match (application, engagement) {
        (_, Some("completed")) if rated => "Completed and rated. Well done.",
        (_, Some("active")) => "Do the work and submit your deliverable by the due date.",
        (_, Some("revision_requested")) => "The employer asked for a revision: update and resubmit your deliverable.",
        (_, Some("submitted")) => "Waiting for the employer to review your deliverable.",
        (_, Some("completed")) => "Completed: rate the experience.",
        (_, Some("cancelled")) => "Cancelled by the career office.",
        ("submitted", _) => "Waiting for the employer to review applications.",
        ("shortlisted", _) => "Shortlisted: the employer may make an offer.",
        ("offered", _) => "You have an offer: accept or decline it.",
        ("rejected", _) => "Not selected this time.",
        ("declined", _) => "You declined the offer.",
        ("withdrawn", _) => "You withdrew this application.",
        _ => "",
    }
}

pub const CATEGORIES: [(&str, &str); 8] = [
    ("research", "Research (market trends, competitors)"),
    ("data", "Data entry and analysis"),
    ("content", "Content and social media"),
    ("sales", "Sales and lead generation"),
    ("hr", "HR support"),
    ("software", "Software"),
    ("design", "Design"),
    ("operations", "Operations"),
];

/// A posting as typed into the form (all text; missing fields are empty and reported
/// by validation, field by field).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct PostingForm {
    pub title: String,
    pub description: String,
    pub category: String,
    #[serde(default)]
    pub skills: String,
    pub hours: String,
    /// In major units, e.g. "450" or "450.00".
    pub fee: String,
    #[serde(default)]
    pub currency: String,
    /// "remote" or "onsite".
    #[serde(default)]
    pub mode: String,
    #[serde(default)]
    pub location: String,
    pub apply_by: String,
    pub due_by: String,
    pub openings: String,
    #[serde(default)]
    pub eligible_colleges: String,
    #[serde(default)]
    pub eligible_majors: String,
    #[serde(default)]
    pub eligible_class_years: String,
}

/// A posting that passed validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Posting {
    pub title: String,
    pub description: String,
    pub category: String,
    pub skills: String,
    pub hours: i32,
    pub fee_cents: i64,
    pub currency: String,
    pub remote: bool,
    pub location: Option<String>,
    pub apply_by: NaiveDate,
    pub due_by: NaiveDate,
    pub openings: i32,
    pub eligible_colleges: String,
    pub eligible_majors: String,
    pub eligible_class_years: String,
}

fn p(field: &str, text: impl Into<String>) -> FieldProblem {
    FieldProblem { field: field.into(), problem: text.into() }
}

/// Money typed in major units ("450", "450.5", "450.50", "1,200") to cents.
pub fn parse_money(raw: &str) -> Option<i64> {
    let t = raw.trim().replace(',', "");
    let t = t.strip_prefix('$').unwrap_or(&t);
    let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
    if whole.is_empty()
        || !whole.chars().all(|c| c.is_ascii_digit())
        || frac.len() > 2
        || !frac.chars().all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let cents = match frac.len() {
        0 => 0,
        1 => frac.parse::<i64>().ok()? * 10,
        _ => frac.parse::<i64>().ok()?,
    };
    whole.parse::<i64>().ok()?.checked_mul(100)?.checked_add(cents)
}

fn list(raw: &str) -> String {
    raw.split(',').map(str::trim).filter(|s| !s.is_empty()).collect::<Vec<_>>().join(",")
}

/// Validates a posting on `today`; the fee must be at least `min_hourly_cents` × hours.
pub fn validate_posting(
    f: &PostingForm,
    today: NaiveDate,
    min_hourly_cents: i64,
) -> Result<Posting, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let title = f.title.trim().to_owned();
    if title.is_empty() {
        problems.push(p("title", "is required"));
    } else if title.chars().count() > 200 {
        problems.push(p("title", "is longer than 200 characters"));
    }
    let description = f.description.trim().to_owned();
    if description.chars().count() < 30 {
        problems.push(p("description", "needs at least 30 characters: say what the student will deliver and how"));
    } else if description.chars().count() > 10_000 {
        problems.push(p("description", "is longer than 10000 characters"));
    }
    if !CATEGORIES.iter().any(|(c, _)| *c == f.category) {
        problems.push(p("category", "choose a kind of project"));
    }
    let skills = skill_tags(&f.skills);
    if skills.len() > 12 || skills.iter().any(|s| s.len() > 40 || s.contains(char::is_control)) {
        problems.push(p("skills", "at most 12 tags of up to 40 characters, separated by commas"));
    }
    let hours = match f.hours.trim().parse::<i32>() {
        Ok(h) if (5..=40).contains(&h) => Some(h),
        _ => {
            problems.push(p("hours", "must be a whole number from 5 to 40 (micro-internships are short)"));
            None
        }
    };
    let fee_cents = match parse_money(&f.fee) {
        Some(c) if c > 0 => Some(c),
        _ => {
            problems.push(p("fee", format!("`{}` is not an amount like 450 or 450.00", f.fee.trim())));
            None
        }
    };
    if let (Some(h), Some(fee)) = (hours, fee_cents) {
        let floor = min_hourly_cents * i64::from(h);
        if fee < floor {
            problems.push(p(
                "fee",
                format!(
                    "must be at least {}.{:02} for {h} hours (the office's minimum of {}.{:02} an hour)",
                    floor / 100,
                    floor % 100,
                    min_hourly_cents / 100,
                    min_hourly_cents % 100
                ),
            ));
        }
    }
    let currency = match f.currency.trim().to_uppercase() {
        c if c.is_empty() => "USD".to_owned(),
        c if c.len() == 3 && c.chars().all(|ch| ch.is_ascii_uppercase()) => c,
        c => {
            problems.push(p("currency", format!("`{c}` is not a currency code like USD")));
            "USD".to_owned()
        }
    };
    let remote = f.mode.trim() != "onsite";
    let location = Some(f.location.trim().to_owned()).filter(|l| !l.is_empty());
    if !remote && location.is_none() {
        problems.push(p("location", "is required for an on-site project"));
    }
    let date = |field: &str, raw: &str, problems: &mut Vec<FieldProblem>| match NaiveDate::parse_from_str(
        raw.trim(),
        "%Y-%m-%d",
    ) {
        Ok(d) => Some(d),
        Err(_) => {
            problems.push(p(field, format!("`{}` is not a date YYYY-MM-DD", raw.trim())));
            None
        }
    };
    let apply_by = date("apply_by", &f.apply_by, &mut problems);
    let due_by = date("due_by", &f.due_by, &mut problems);
    if let Some(a) = apply_by {
        if a <= today {
            problems.push(p("apply_by", "must be in the future"));
        }
    }
    if let (Some(a), Some(d)) = (apply_by, due_by) {
        if d <= a {
            problems.push(p("due_by", "must be after the apply-by date"));
        }
    }
    let openings = match f.openings.trim().parse::<i32>() {
        Ok(o) if (1..=50).contains(&o) => Some(o),
        _ => {
            problems.push(p("openings", "must be a whole number from 1 to 50"));
            None
        }
    };
    let class_years = list(&f.eligible_class_years);
    if class_years.split(',').filter(|y| !y.is_empty()).any(|y| class_year(y).is_none()) {
        problems.push(p("eligible_class_years", "list years like 2026,2027"));
    }
    match (hours, fee_cents, apply_by, due_by, openings) {
        (Some(hours), Some(fee_cents), Some(apply_by), Some(due_by), Some(openings)) if problems.is_empty() => {
            Ok(Posting {
                title,
                description,
                category: f.category.clone(),
                skills: skills.join(","),
                hours,
                fee_cents,
                currency,
                remote,
                location: if remote { None } else { location },
                apply_by,
                due_by,
                openings,
                eligible_colleges: list(&f.eligible_colleges),
                eligible_majors: list(&f.eligible_majors),
                eligible_class_years: class_years,
            })
        }
        _ => Err(problems),
    }
}

// ---------------------------------------------------------------- matching

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
fn class_year(raw: &str) -> Option<i32> {
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

/// A 1–5 rating typed into a form.
pub fn rating(raw: &str) -> Result<i32, FieldProblem> {
    raw.trim().parse::<i32>().ok().filter(|r| (1..=5).contains(r)).ok_or_else(|| p("rating", "choose from 1 to 5"))
}

#[cfg(test)]
mod tests {
    use super::Side::*;
    use super::*;

    #[test]
    fn posting_machine() {
        assert!(posting_move("draft", "pending_review", Recruiter).is_ok());
        assert!(posting_move("pending_review", "open", Counselor).is_ok());
        assert!(posting_move("pending_review", "draft", Counselor).is_ok());
        assert!(posting_move("open", "closed", System).is_ok());
        for from in ["draft", "pending_review", "open", "closed"] {
            assert!(posting_move(from, "cancelled", Recruiter).is_ok(), "{from}");
        }
        assert!(posting_move("cancelled", "cancelled", Counselor).is_err());
        assert!(posting_move("pending_review", "open", Recruiter).unwrap_err().0.contains("only the career office"));
        assert!(posting_move("draft", "open", Counselor).is_err(), "review cannot be skipped");
        assert!(posting_move("closed", "open", Counselor).is_err());
        assert!(posting_move("cancelled", "draft", Counselor).is_err());
    }

    #[test]
    fn application_machine() {
        assert!(application_move("submitted", "shortlisted", Recruiter).is_ok());
        assert!(application_move("shortlisted", "offered", Recruiter).is_ok());
        assert!(application_move("offered", "accepted", Student).is_ok());
        assert!(application_move("offered", "declined", Student).is_ok());
        assert!(application_move("submitted", "rejected", Recruiter).is_ok());
        assert!(application_move("shortlisted", "rejected", Recruiter).is_ok());
        for from in ["submitted", "shortlisted", "offered"] {
            assert!(application_move(from, "withdrawn", Student).is_ok());
        }
        assert!(application_move("accepted", "withdrawn", Student).is_err(), "not after acceptance");
        assert!(application_move("offered", "rejected", Recruiter).is_err());
        assert!(application_move("offered", "accepted", Recruiter).is_err(), "only the student accepts");
        assert!(application_move("submitted", "offered", Recruiter).is_err(), "shortlist first");
        assert!(application_move("rejected", "shortlisted", Recruiter).is_err());
        assert!(application_move("submitted", "shortlisted", Student).is_err());
    }

    #[test]
    fn engagement_machine() {
        assert!(engagement_move("active", "submitted", Student).is_ok());
        assert!(engagement_move("submitted", "completed", Recruiter).is_ok());
        assert!(engagement_move("submitted", "revision_requested", Recruiter).is_ok());
        assert!(engagement_move("revision_requested", "submitted", Student).is_ok());
        assert!(engagement_move("active", "cancelled", Counselor).is_ok());
        assert!(engagement_move("active", "completed", Recruiter).is_err(), "nothing delivered yet");
        assert!(engagement_move("completed", "submitted", Student).is_err());
        assert!(engagement_move("active", "cancelled", Recruiter).is_err(), "a counselor cancels");
        assert!(engagement_move("submitted", "cancelled", Counselor).is_err());
    }

    #[test]
    fn next_steps_follow_the_state() {
        assert!(student_next_step("offered", None, false).contains("accept or decline"));
        assert!(student_next_step("accepted", Some("revision_requested"), false).contains("revision"));
        assert_eq!(student_next_step("accepted", Some("completed"), false), "Completed: rate the experience.");
        assert!(student_next_step("accepted", Some("completed"), true).contains("rated"));
    }

    fn form() -> PostingForm {
        PostingForm {
            title: "Competitor pricing scan".into(),
            description: "Collect the list prices of ten competitors into a spreadsheet with sources.".into(),
            category: "research".into(),
            skills: "Excel, Market research".into(),
            hours: "10".into(),
            fee: "400".into(),
            currency: "".into(),
            mode: "remote".into(),
            location: "".into(),
            apply_by: "2026-12-15".into(),
            due_by: "2027-01-15".into(),
            openings: "2".into(),
            eligible_colleges: "".into(),
            eligible_majors: " Finance , Economics ".into(),
            eligible_class_years: "2026, 2027".into(),
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
    }

    #[test]
    fn a_good_posting_is_normalised() {
        let v = validate_posting(&form(), today(), 2000).unwrap();
        assert_eq!(v.fee_cents, 40_000);
        assert_eq!(v.currency, "USD");
        assert_eq!(v.skills, "excel,market-research");
        assert_eq!(v.eligible_majors, "Finance,Economics");
        assert_eq!(v.eligible_class_years, "2026,2027");
        assert!(v.remote && v.location.is_none());
    }

    #[test]
    fn posting_validation_names_each_field() {
        let fields = |f: PostingForm| {
            validate_posting(&f, today(), 2000).unwrap_err().into_iter().map(|p| p.field).collect::<Vec<_>>()
        };
        assert_eq!(fields(PostingForm { hours: "4".into(), ..form() }), ["hours"]);
        assert_eq!(fields(PostingForm { hours: "41".into(), ..form() }), ["hours"]);
        assert_eq!(fields(PostingForm { fee: "199.99".into(), ..form() }), ["fee"], "below $20 × 10 hours");
        assert_eq!(
            fields(PostingForm { apply_by: "2026-11-22".into(), ..form() }),
            ["apply_by"],
            "today is not the future"
        );
        assert_eq!(fields(PostingForm { due_by: "2026-12-15".into(), ..form() }), ["due_by"]);
        assert_eq!(fields(PostingForm { openings: "0".into(), ..form() }), ["openings"]);
        assert_eq!(fields(PostingForm { mode: "onsite".into(), ..form() }), ["location"]);
        assert_eq!(fields(PostingForm { category: "astrology".into(), ..form() }), ["category"]);
        assert!(
            validate_posting(&PostingForm { fee: "200".into(), ..form() }, today(), 2000).is_ok(),
            "exactly the floor"
        );
        assert!(
            validate_posting(&PostingForm { fee: "200".into(), ..form() }, today(), 2500).is_err(),
            "the floor is configured"
        );
    }

    #[test]
    fn money_and_eligibility() {
        assert_eq!(parse_money("450"), Some(45_000));
        assert_eq!(parse_money("$1,200.5"), Some(120_050));
        assert_eq!(parse_money("12.345"), None);
        assert_eq!(parse_money("-5"), None);
        assert_eq!(parse_money("ten"), None);
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
