//! Conversion offers after a completed project: their kinds and statuses, and how an
//! accepted offer counts as an outcome (the conversion and placement reports read it).

use chrono::NaiveDate;

use super::parse_money;
use crate::core::{money, Problems};

crate::core::text_enum! {
    /// Where an internship or job offer stands.
    pub enum OfferStatus: "offer status" {
        Extended => "extended", "Waiting for an answer";
        Accepted => "accepted", "Accepted";
        Declined => "declined", "Declined";
    }
}

crate::core::text_enum! {
    /// What an employer offers after a project.
    pub enum OfferKind: "kind of offer" {
        Internship => "internship", "Internship";
        FullTime => "full_time", "Full-time job";
        PartTime => "part_time", "Part-time job";
    }
}

/// An offer as the employer records it: what, when, and its terms where known (the
/// salary a year in a currency, the start date, the place of work).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferTerms {
    pub kind: OfferKind,
    pub job_title: String,
    pub offer_on: NaiveDate,
    pub annual_salary_cents: Option<i64>,
    pub currency: String,
    pub start_on: Option<NaiveDate>,
    pub location: Option<String>,
}

/// The offer form as typed (every field text, kept as it was when the form comes back).
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct OfferForm {
    pub kind: String,
    pub job_title: String,
    pub offer_on: String,
    pub salary: String,
    pub currency: String,
    pub start_on: String,
    pub location: String,
}

fn form_date(raw: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").map_err(|_| format!("`{}` is not a date YYYY-MM-DD", raw.trim()))
}

/// Checks every field of an offer at once; each problem names its field.
pub fn check_offer(f: &OfferForm) -> Result<OfferTerms, Problems> {
    let mut p = Problems::new();
    let kind = p.take(
        "kind",
        f.kind.parse::<OfferKind>().map_err(|_| "choose internship, full-time or part-time job".to_owned()),
    );
    let title = f.job_title.trim();
    if title.is_empty() {
        p.add("job_title", "is required");
    } else if title.chars().count() > 200 {
        p.add("job_title", "is longer than 200 characters");
    }
    let offer_on = p.take("offer_on", form_date(&f.offer_on));
    let salary = match f.salary.trim() {
        "" => None,
        raw => p.take(
            "salary",
            parse_money(raw)
                .filter(|c| *c > 0)
                .ok_or_else(|| format!("`{raw}` is not an amount a year like 65000 or 65,000.00")),
        ),
    };
    let currency = f.currency.trim().to_ascii_uppercase();
    let currency = match currency.as_str() {
        "" => "USD".to_owned(),
        c if money::CURRENCIES.iter().any(|(code, ..)| *code == c) => currency,
        _ => {
            p.add("currency", format!("`{}` is not one of the currencies listed", f.currency.trim()));
            "USD".to_owned()
        }
    };
    let start_on = match f.start_on.trim() {
        "" => None,
        raw => p.take("start_on", form_date(raw)),
    };
    if let (Some(start), Some(on)) = (start_on, offer_on) {
        if start < on {
            p.add("start_on", "must be on or after the date of the offer");
        }
    }
    let location = Some(f.location.trim().to_owned()).filter(|l| !l.is_empty());
    if location.as_ref().is_some_and(|l| l.chars().count() > 200) {
        p.add("location", "is longer than 200 characters");
    }
    match (kind, offer_on) {
        (Some(kind), Some(offer_on)) if p.is_empty() => Ok(OfferTerms {
            kind,
            job_title: title.to_owned(),
            offer_on,
            annual_salary_cents: salary,
            currency,
            start_on,
            location,
        }),
        _ => Err(p),
    }
}

/// Whether a student with this graduation term (`YYYY-MM`) has graduated on `today`.
/// Terms are `YYYY-MM`, so they compare as text.
pub fn graduated(term: &str, today: NaiveDate) -> bool {
    term <= today.format("%Y-%m").to_string().as_str()
}

/// The outcome an accepted offer records: its category and employment type (NACE's words).
/// A graduate's first destination; a current student's job or internship is kept as a
/// placement that does not replace a future first-destination record.
pub fn conversion_outcome(kind: OfferKind, graduated: bool) -> (&'static str, &'static str) {
    match (kind, graduated) {
        (OfferKind::FullTime, _) => ("employed_full_time", "standard"),
        (OfferKind::PartTime, _) => ("employed_part_time", "standard"),
        (OfferKind::Internship, true) => ("employed_full_time", "postgrad_internship_fellowship"),
        (OfferKind::Internship, false) => ("employed_part_time", "temporary_contract"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_accepted_offer_counts_by_kind_and_graduation() {
        let day = NaiveDate::from_ymd_opt(2027, 5, 20).unwrap();
        assert!(graduated("2027-05", day), "graduating this month");
        assert!(!graduated("2027-12", day));
        assert_eq!(conversion_outcome(OfferKind::FullTime, false), ("employed_full_time", "standard"));
        assert_eq!(conversion_outcome(OfferKind::PartTime, true), ("employed_part_time", "standard"));
        assert_eq!(
            conversion_outcome(OfferKind::Internship, true),
            ("employed_full_time", "postgrad_internship_fellowship")
        );
        assert_eq!(conversion_outcome(OfferKind::Internship, false), ("employed_part_time", "temporary_contract"));
    }

    fn offer(salary: &str, start_on: &str) -> OfferForm {
        OfferForm {
            kind: "full_time".into(),
            job_title: " Junior Analyst ".into(),
            offer_on: "2027-05-20".into(),
            salary: salary.into(),
            currency: "USD".into(),
            start_on: start_on.into(),
            location: "Boston, MA".into(),
        }
    }

    #[test]
    fn an_offer_is_checked_whole_with_its_terms_optional() {
        let t = check_offer(&offer("65,000", "2027-07-01")).unwrap();
        assert_eq!(t.annual_salary_cents, Some(6_500_000));
        assert_eq!(t.job_title, "Junior Analyst");
        assert_eq!(t.start_on, NaiveDate::from_ymd_opt(2027, 7, 1));
        let bare = check_offer(&OfferForm { location: String::new(), ..offer("", "") }).unwrap();
        assert_eq!((bare.annual_salary_cents, bare.start_on, bare.location), (None, None, None));
        let bad = OfferForm {
            kind: "gig".into(),
            job_title: "".into(),
            currency: "XYZ".into(),
            ..offer("a lot", "2027-05-01")
        };
        let p = check_offer(&bad).unwrap_err();
        assert_eq!(p.fields(), ["kind", "job_title", "salary", "currency", "start_on"], "every problem at once");
    }

    #[test]
    fn kinds_and_statuses_in_words() {
        assert_eq!("full_time".parse::<OfferKind>(), Ok(OfferKind::FullTime));
        assert_eq!(
            "freelance".parse::<OfferKind>().unwrap_err(),
            "`freelance` is not a kind of offer (internship, full_time, part_time)"
        );
        assert_eq!(OfferStatus::Extended.label(), "Waiting for an answer");
    }
}
