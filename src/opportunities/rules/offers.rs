//! Conversion offers after a completed project: their kinds and statuses, and how an
//! accepted offer counts as an outcome (the conversion and placement reports read it).

use chrono::NaiveDate;

crate::core::text_enum! {
    /// Where an internship or job offer stands.
    pub enum OfferStatus: "offer status" {
        Extended => "extended", "Awaiting an answer";
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

    #[test]
    fn kinds_and_statuses_in_words() {
        assert_eq!("full_time".parse::<OfferKind>(), Ok(OfferKind::FullTime));
        assert_eq!(
            "freelance".parse::<OfferKind>().unwrap_err(),
            "`freelance` is not a kind of offer (internship, full_time, part_time)"
        );
        assert_eq!(OfferStatus::Extended.label(), "Awaiting an answer");
    }
}
