//! Postings: the state machine `draft → pending_review → open → closed` (review returns
//! to draft; any → cancelled), why an open posting closes, the kinds of project, and the
//! validation of a posting's form.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::eligibility::{class_year, skill_tags};
use super::{refuse, Refused, Side};
use crate::core::FieldProblem;

crate::core::text_enum! {
    /// Where a posting stands.
    pub enum PostingStatus: "posting status" {
        Draft => "draft", "Draft";
        PendingReview => "pending_review", "Waiting for review";
        Open => "open", "Open";
        Closed => "closed", "Closed to applications";
        Cancelled => "cancelled", "Cancelled";
    }
}

crate::core::text_enum! {
    /// The kind of project a posting offers (the catalogue's and the reports' categories).
    pub enum Category: "kind of project" {
        Research => "research", "Research (market trends, competitors)";
        Data => "data", "Data entry and analysis";
        Content => "content", "Content and social media";
        Sales => "sales", "Sales and lead generation";
        Hr => "hr", "HR support";
        Software => "software", "Software";
        Design => "design", "Design";
        Operations => "operations", "Operations";
    }
}

fn posting_allowed(from: PostingStatus, to: PostingStatus, side: Side) -> bool {
    use PostingStatus::*;
    use Side::{Counselor, Recruiter, System};
    match (from, to) {
        (Draft, PendingReview) => matches!(side, Recruiter | Counselor),
        (PendingReview, Open) | (PendingReview, Draft) => side == Counselor,
        (Open, Closed) => matches!(side, System | Recruiter | Counselor),
        (f, Cancelled) if f != Cancelled => matches!(side, Recruiter | Counselor),
        _ => false,
    }
}

/// Posting: `draft → pending_review → open → closed`; review returns to draft; any → cancelled.
pub fn posting_move(from: PostingStatus, to: PostingStatus, side: Side) -> Result<(), Refused> {
    if posting_allowed(from, to, side) {
        Ok(())
    } else if posting_allowed(from, to, Side::Counselor) {
        Err(Refused(format!(
            "only the career office may move a posting from {} to {}",
            from.as_str().replace('_', " "),
            to.as_str().replace('_', " ")
        )))
    } else {
        Err(refuse("posting", from.as_str(), to.as_str()))
    }
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

impl PostingForm {
    /// A new posting's form: the usual values filled in.
    pub fn blank() -> PostingForm {
        PostingForm {
            hours: "10".into(),
            openings: "1".into(),
            currency: "USD".into(),
            mode: "remote".into(),
            category: Category::Research.as_str().into(),
            ..Default::default()
        }
    }
}

/// A posting that passed validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Posting {
    pub title: String,
    pub description: String,
    pub category: Category,
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
    let category = Category::from_stored(&f.category);
    if category.is_none() {
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
    match (category, hours, fee_cents, apply_by, due_by, openings) {
        (Some(category), Some(hours), Some(fee_cents), Some(apply_by), Some(due_by), Some(openings))
            if problems.is_empty() =>
        {
            Ok(Posting {
                title,
                description,
                category,
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

#[cfg(test)]
mod tests {
    use super::PostingStatus::*;
    use super::Side::*;
    use super::*;

    #[test]
    fn posting_machine() {
        assert!(posting_move(Draft, PendingReview, Recruiter).is_ok());
        assert!(posting_move(PendingReview, Open, Counselor).is_ok());
        assert!(posting_move(PendingReview, Draft, Counselor).is_ok());
        assert!(posting_move(Open, Closed, System).is_ok());
        for from in [Draft, PendingReview, Open, Closed] {
            assert!(posting_move(from, Cancelled, Recruiter).is_ok(), "{from}");
        }
        assert!(posting_move(Cancelled, Cancelled, Counselor).is_err());
        assert!(posting_move(PendingReview, Open, Recruiter).unwrap_err().0.contains("only the career office"));
        assert!(posting_move(Draft, Open, Counselor).is_err(), "review cannot be skipped");
        assert!(posting_move(Closed, Open, Counselor).is_err());
        assert_eq!(
            posting_move(Cancelled, Draft, Counselor).unwrap_err().0,
            "a posting that is cancelled cannot become draft"
        );
        assert_eq!(
            posting_move(Open, PendingReview, Recruiter).unwrap_err().0,
            "a posting that is open cannot become pending review",
            "the values in words"
        );
    }

    #[test]
    fn statuses_and_kinds_read_as_stored_and_show_in_words() {
        assert_eq!(PostingStatus::from_stored("pending_review"), Some(PendingReview));
        assert_eq!(PostingStatus::from_stored("ended"), None, "an unknown value is no status");
        assert_eq!(PendingReview.label(), "Waiting for review");
        assert_eq!(Category::ALL.len(), 8);
        assert_eq!(Category::Hr.label(), "HR support");
        assert_eq!(
            "astrology".parse::<Category>().unwrap_err().split(" (").next(),
            Some("`astrology` is not a kind of project")
        );
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
        assert_eq!(v.category, Category::Research);
        assert_eq!(v.skills, "excel,market-research");
        assert_eq!(v.eligible_majors, "Finance,Economics");
        assert_eq!(v.eligible_class_years, "2026,2027");
        assert!(v.remote && v.location.is_none());
        assert!(validate_posting(&PostingForm::blank(), today(), 2000).is_err(), "a blank form needs filling in");
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
        assert_eq!(fields(PostingForm { category: "Research".into(), ..form() }), ["category"], "the value as sent");
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
    fn money_typed_in_major_units() {
        assert_eq!(parse_money("450"), Some(45_000));
        assert_eq!(parse_money("$1,200.5"), Some(120_050));
        assert_eq!(parse_money("12.345"), None);
        assert_eq!(parse_money("-5"), None);
        assert_eq!(parse_money("ten"), None);
    }
}
