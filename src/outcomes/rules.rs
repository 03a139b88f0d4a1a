//! The arithmetic of first destinations (DESIGN §4, issue 13): who is in the class of Y,
//! which of a graduate's outcomes counts, and the rates NACE asks for. Pure functions
//! only, so every rule is tested on hand-built cohorts whose answers are worked out in
//! the comments. The reports and the dashboard take their figures from here and nowhere else.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, NaiveDate, Utc};

use crate::students::rules::GraduationTerm;

crate::core::text_enum! {
    /// NACE's first-destination categories; no record at all is "no information".
    pub enum Category: "outcome category" {
        EmployedFullTime => "employed_full_time", "Employed full-time (30+ hours a week)";
        EmployedPartTime => "employed_part_time", "Employed part-time";
        Military => "military", "Serving in the military";
        VolunteerService => "volunteer_service", "In volunteer service";
        ContinuingEducation => "continuing_education", "Continuing their education";
        SeekingEmployment => "seeking_employment", "Still seeking employment";
        SeekingContinuingEducation => "seeking_continuing_education", "Still seeking continuing education";
        NotSeeking => "not_seeking", "Not seeking employment or education";
    }
}

crate::core::text_enum! {
    /// The kind of employment (NACE's words).
    pub enum EmploymentType: "employment type" {
        Standard => "standard", "Standard employment";
        Entrepreneur => "entrepreneur", "Entrepreneur";
        TemporaryContract => "temporary_contract", "Temporary or contract";
        Freelance => "freelance", "Freelance";
        PostgradInternshipFellowship => "postgrad_internship_fellowship", "Postgraduate internship or fellowship";
    }
}

crate::core::text_enum! {
    /// Where the office learnt the outcome.
    pub enum Source: "source" {
        Survey => "survey", "The graduate's survey answer";
        Employer => "employer", "The employer";
        Counselor => "counselor", "A counselor";
        Faculty => "faculty", "A faculty member";
        PublicProfile => "public_profile", "A public profile";
        Conversion => "conversion", "An accepted micro-internship offer";
    }
}

impl Category {
    /// Whether the category is a "career outcome" in NACE's rate: employed (full- or
    /// part-time), military, volunteer service or continuing education.
    pub fn is_career_outcome(self) -> bool {
        matches!(
            self,
            Category::EmployedFullTime
                | Category::EmployedPartTime
                | Category::Military
                | Category::VolunteerService
                | Category::ContinuingEducation
        )
    }

    /// Whether the outcome belongs in the placements report (employment or education).
    pub fn is_placement(self) -> bool {
        self.is_career_outcome()
    }
}

/// The class a graduation term belongs to: July of Y−1 to June of Y is the class of Y.
pub fn class_of(term: GraduationTerm) -> i32 {
    term.cohort()
}

/// A student is a graduate once their graduation month has begun on the campus date:
/// a term of 2026-06 is a graduate from June 1, 2026 on, and not on May 31.
pub fn has_graduated(term: GraduationTerm, campus_today: NaiveDate) -> bool {
    (term.year, term.month) <= (campus_today.year(), campus_today.month())
}

/// The class of Y's graduates among the given terms, as the reports count them on a
/// campus date: in the class, and already graduated (a later term is in no cohort yet).
pub fn in_class(term: GraduationTerm, class: i32, campus_today: NaiveDate) -> bool {
    class_of(term) == class && has_graduated(term, campus_today)
}

/// The last day on which an outcome can count for the class of Y: December 31 of Y.
pub fn counts_until(class: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(class, 12, 31).expect("December 31 exists")
}

/// What the arithmetic needs to know of one recorded outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Known {
    pub category: Category,
    pub is_primary: bool,
    pub known_on: NaiveDate,
    /// When it was recorded: breaks ties between outcomes known on the same day.
    pub recorded_at: DateTime<Utc>,
}

/// The outcome that counts for a graduate of the class of Y: among those known by
/// December 31 of Y, the primary one, else the one known latest (ties: recorded latest).
/// `None` is "no information".
pub fn counting_outcome(class: i32, outcomes: &[Known]) -> Option<&Known> {
    let last = counts_until(class);
    let in_time = outcomes.iter().filter(|o| o.known_on <= last);
    in_time.max_by_key(|o| (o.is_primary, o.known_on, o.recorded_at))
}

/// A rate as NACE reports it: `Some(numerator, denominator)`, or `None` for a zero
/// denominator (an empty cell, never 0 or 100%).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    pub numerator: u64,
    pub denominator: u64,
}

impl Rate {
    pub fn of(numerator: u64, denominator: u64) -> Option<Rate> {
        (denominator > 0).then_some(Rate { numerator, denominator })
    }

    /// The rate as a decimal with 4 places, rounded half up, in exact integer arithmetic
    /// (2/3 = "0.6667", 1/8 = "0.1250"), so a file never differs by a float's whim.
    pub fn decimal(self) -> String {
        let scaled = (self.numerator as u128 * 20_000 + self.denominator as u128) / (2 * self.denominator as u128);
        format!("{}.{:04}", scaled / 10_000, scaled % 10_000)
    }
}

/// A rate's cell: 4 decimals, or empty when the denominator is zero.
pub fn rate_cell(rate: Option<Rate>) -> String {
    rate.map(Rate::decimal).unwrap_or_default()
}

/// One group's first-destination figures (a cohort × college or major).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    pub graduates: u64,
    /// Graduates by the category of their counting outcome, in `Category::ALL` order.
    pub by_category: [u64; 8],
}

impl Tally {
    /// Counts one graduate by their counting outcome (`None` = no information).
    pub fn add(&mut self, outcome: Option<Category>) {
        self.graduates += 1;
        if let Some(c) = outcome {
            let i = Category::ALL.iter().position(|x| *x == c).expect("every category is in ALL");
            self.by_category[i] += 1;
        }
    }

    pub fn count(&self, category: Category) -> u64 {
        let i = Category::ALL.iter().position(|x| *x == category).expect("every category is in ALL");
        self.by_category[i]
    }

    /// Graduates with a known outcome.
    pub fn known(&self) -> u64 {
        self.by_category.iter().sum()
    }

    pub fn no_information(&self) -> u64 {
        self.graduates - self.known()
    }

    /// Knowledge rate = known ÷ graduates.
    pub fn knowledge_rate(&self) -> Option<Rate> {
        Rate::of(self.known(), self.graduates)
    }

    /// Career outcomes rate = (employed full- or part-time + military + volunteer service +
    /// continuing education) ÷ (known − not seeking).
    pub fn career_outcomes_rate(&self) -> Option<Rate> {
        let career: u64 = Category::ALL.iter().filter(|c| c.is_career_outcome()).map(|c| self.count(*c)).sum();
        Rate::of(career, self.known() - self.count(Category::NotSeeking))
    }
}

/// A completed engagement, for conversion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion<'a> {
    pub student: &'a str,
    pub employer: &'a str,
    pub completed_on: NaiveDate,
}

/// An offer from an employer to a student (from the micro-internship flow, or an outcome
/// naming the employer with an `offer_on`), for conversion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferMade<'a> {
    pub student: &'a str,
    pub employer: &'a str,
    pub offer_on: NaiveDate,
    pub accepted: bool,
}

/// One employer's conversion figures.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Conversion {
    pub engagements_completed: u64,
    pub students_completed: u64,
    /// Students who received an offer after their first completed engagement with the employer.
    pub students_offered: u64,
    /// Of those, students who accepted such an offer.
    pub students_hired: u64,
    /// Days from each converted student's first completion to their first offer after it.
    pub days_to_offer: Vec<i64>,
}

impl Conversion {
    /// Conversion rate = converted students ÷ students who completed an engagement.
    pub fn rate(&self) -> Option<Rate> {
        Rate::of(self.students_offered, self.students_completed)
    }

    /// The median of the days to offer: the middle one, or the mean of the two middle ones
    /// (as a decimal with one place when it falls on a half: 4 and 7 give "5.5"); empty if none.
    pub fn median_days_to_offer(&self) -> String {
        let mut d = self.days_to_offer.clone();
        if d.is_empty() {
            return String::new();
        }
        d.sort_unstable();
        let n = d.len();
        if n % 2 == 1 {
            return d[n / 2].to_string();
        }
        let sum = d[n / 2 - 1] + d[n / 2];
        if sum % 2 == 0 {
            (sum / 2).to_string()
        } else {
            format!("{}.5", sum.div_euclid(2))
        }
    }
}

/// Conversion per employer: a student converts with employer E when they completed an
/// engagement with E and afterwards (strictly after the completion) received an offer from
/// E; each student counts once per employer, from their first completion with E.
pub fn conversions<'a>(completions: &[Completion<'a>], offers: &[OfferMade<'a>]) -> BTreeMap<&'a str, Conversion> {
    // (employer, student) → first completion date.
    let mut first: BTreeMap<(&str, &str), NaiveDate> = BTreeMap::new();
    let mut out: BTreeMap<&str, Conversion> = BTreeMap::new();
    // Each (employer, student)'s offers, found at once: a large employer has thousands of
    // completions and offers, and scanning every offer per student was quadratic.
    let mut offers_of: BTreeMap<(&str, &str), Vec<&OfferMade>> = BTreeMap::new();
    for o in offers {
        offers_of.entry((o.employer, o.student)).or_default().push(o);
    }
    for c in completions {
        out.entry(c.employer).or_default().engagements_completed += 1;
        first.entry((c.employer, c.student)).and_modify(|d| *d = (*d).min(c.completed_on)).or_insert(c.completed_on);
    }
    for ((employer, student), completed_on) in &first {
        let e = out.get_mut(employer).expect("every completion's employer has an entry");
        e.students_completed += 1;
        let after: Vec<&OfferMade> = offers_of
            .get(&(*employer, *student))
            .into_iter()
            .flatten()
            .copied()
            .filter(|o| o.offer_on > *completed_on)
            .collect();
        if let Some(first_offer) = after.iter().map(|o| o.offer_on).min() {
            e.students_offered += 1;
            e.days_to_offer.push((first_offer - *completed_on).num_days());
            if after.iter().any(|o| o.accepted) {
                e.students_hired += 1;
            }
        }
    }
    out
}

/// Every employer's conversion figures together (the `All employers` row): the counts add
/// up, and the median is over every converted student's days.
pub fn all_employers<'a>(per_employer: impl IntoIterator<Item = &'a Conversion>) -> Conversion {
    let mut all = Conversion::default();
    for c in per_employer {
        all.engagements_completed += c.engagements_completed;
        all.students_completed += c.students_completed;
        all.students_offered += c.students_offered;
        all.students_hired += c.students_hired;
        all.days_to_offer.extend(&c.days_to_offer);
    }
    all
}

/// An outcome as typed in the form or read from an import row: text, checked by [`check`].
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct OutcomeInput {
    pub category: String,
    pub employment_type: String,
    pub organization: String,
    pub job_title: String,
    pub start_on: String,
    pub annual_salary: String,
    pub currency: String,
    pub source: String,
    pub primary: String,
    pub offer_on: String,
    pub accepted_on: String,
    pub known_on: String,
}

/// A checked outcome, ready to be written (the organisation is linked to the catalogue's
/// employer of that name by the store).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct OutcomeDraft {
    pub category: Category,
    pub employment_type: Option<EmploymentType>,
    pub organization: Option<String>,
    pub job_title: Option<String>,
    pub start_on: Option<NaiveDate>,
    pub annual_salary_cents: Option<i64>,
    pub currency: String,
    pub source: Source,
    pub is_primary: bool,
    pub offer_on: Option<NaiveDate>,
    pub accepted_on: Option<NaiveDate>,
    pub known_on: NaiveDate,
}

fn optional_text(raw: &str) -> Option<String> {
    let t = raw.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

fn optional_date(raw: &str) -> Result<Option<NaiveDate>, String> {
    let t = raw.trim();
    if t.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(t, "%Y-%m-%d").map(Some).map_err(|_| format!("`{t}` is not a date (YYYY-MM-DD)"))
}

fn choice<T: std::str::FromStr + Copy>(raw: &str, all: &[T], text: impl Fn(T) -> &'static str) -> Result<T, String> {
    let t = raw.trim();
    t.parse::<T>().map_err(|_| {
        let names: Vec<&str> = all.iter().map(|x| text(*x)).collect();
        format!("`{t}` is not one of {}", names.join(", "))
    })
}

/// Checks every field at once; problems are keyed by the field's name (the form turns
/// them into "Label: problem", the import into `FILE:LINE: column: problem`). `today` is
/// the campus date: the office cannot have learnt an outcome in the future.
pub fn check(input: &OutcomeInput, today: NaiveDate) -> Result<OutcomeDraft, crate::core::Error> {
    let mut problems = crate::core::Problems::new();
    let category = if input.category.trim().is_empty() {
        problems.add("category", "is required");
        None
    } else {
        problems.take("category", choice(&input.category, &Category::ALL, Category::as_str))
    };
    let employment_type = if input.employment_type.trim().is_empty() {
        None
    } else {
        problems.take("employment_type", choice(&input.employment_type, &EmploymentType::ALL, EmploymentType::as_str))
    };
    let source = if input.source.trim().is_empty() {
        problems.add("source", "is required");
        None
    } else {
        problems.take("source", choice(&input.source, &Source::ALL, Source::as_str))
    };
    let start_on = problems.take("start_on", optional_date(&input.start_on)).flatten();
    let offer_on = problems.take("offer_on", optional_date(&input.offer_on)).flatten();
    let accepted_on = problems.take("accepted_on", optional_date(&input.accepted_on)).flatten();
    let known_on = match problems.take("known_on", optional_date(&input.known_on)) {
        Some(None) => {
            problems.add("known_on", "is required");
            None
        }
        Some(Some(d)) if d > today => {
            problems.add("known_on", "cannot be in the future");
            None
        }
        Some(d) => d,
        None => None,
    };
    let annual_salary_cents = match input.annual_salary.trim() {
        "" => None,
        raw => match crate::opportunities::rules::parse_money(raw) {
            Some(c) => Some(c),
            None => {
                problems.add("annual_salary", format!("`{raw}` is not an amount (e.g. 52000 or 52000.50)"));
                None
            }
        },
    };
    let currency = match input.currency.trim() {
        "" => "USD".to_owned(),
        c if c.len() == 3 && c.chars().all(|x| x.is_ascii_alphabetic()) => c.to_ascii_uppercase(),
        c => {
            problems.add("currency", format!("`{c}` is not a three-letter currency code (e.g. USD)"));
            String::new()
        }
    };
    let is_primary = match input.primary.trim().to_ascii_lowercase().as_str() {
        "" | "false" => false,
        "true" | "on" | "yes" => true,
        other => {
            problems.add("primary", format!("`{other}` is not true or false"));
            false
        }
    };
    if let (Some(o), Some(a)) = (offer_on, accepted_on) {
        if a < o {
            problems.add("accepted_on", "cannot be before the offer date");
        }
    }
    problems.check()?;
    Ok(OutcomeDraft {
        category: category.expect("checked"),
        employment_type,
        organization: optional_text(&input.organization),
        job_title: optional_text(&input.job_title),
        start_on,
        annual_salary_cents,
        currency,
        source: source.expect("checked"),
        is_primary,
        offer_on,
        accepted_on,
        known_on: known_on.expect("checked"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn term(y: i32, m: u32) -> GraduationTerm {
        GraduationTerm { year: y, month: m }
    }

    fn known(category: Category, primary: bool, on: NaiveDate, recorded_hour: u32) -> Known {
        Known {
            category,
            is_primary: primary,
            known_on: on,
            recorded_at: Utc.with_ymd_and_hms(2026, 1, 1, recorded_hour, 0, 0).unwrap(),
        }
    }

    #[test]
    fn the_class_runs_from_july_to_june() {
        // June 2026 is the last month of the class of 2026; July 2026 the first of 2027.
        assert_eq!(class_of(term(2026, 6)), 2026);
        assert_eq!(class_of(term(2026, 7)), 2027);
        assert_eq!(class_of(term(2025, 7)), 2026);
        assert_eq!(class_of(term(2026, 1)), 2026);
    }

    #[test]
    fn a_graduate_once_the_graduation_month_has_begun() {
        assert!(!has_graduated(term(2026, 6), day(2026, 5, 31)));
        assert!(has_graduated(term(2026, 6), day(2026, 6, 1)));
        assert!(has_graduated(term(2025, 12), day(2026, 6, 1)));
        // A future term is in no cohort yet, even its own.
        assert!(!in_class(term(2026, 6), 2026, day(2026, 5, 31)));
        assert!(in_class(term(2026, 6), 2026, day(2026, 6, 1)));
        assert!(!in_class(term(2026, 7), 2026, day(2026, 8, 1)));
    }

    #[test]
    fn only_outcomes_known_by_december_31_count() {
        let dec31 = known(Category::SeekingEmployment, false, day(2026, 12, 31), 1);
        let jan1 = known(Category::EmployedFullTime, false, day(2027, 1, 1), 2);
        // Class of 2026: the December 31 record counts, the January 1 one is too late.
        assert_eq!(counting_outcome(2026, &[dec31.clone(), jan1.clone()]), Some(&dec31));
        // Class of 2027: both count, the later one wins.
        assert_eq!(counting_outcome(2027, &[dec31, jan1.clone()]), Some(&jan1));
        // Only a late record: no information.
        assert_eq!(counting_outcome(2026, &[jan1]), None);
        assert_eq!(counting_outcome(2026, &[]), None);
    }

    #[test]
    fn the_primary_outcome_beats_a_later_one() {
        let primary = known(Category::ContinuingEducation, true, day(2026, 8, 1), 1);
        let later = known(Category::EmployedFullTime, false, day(2026, 11, 1), 2);
        assert_eq!(counting_outcome(2026, &[later.clone(), primary.clone()]), Some(&primary));
        // A primary known too late does not count; then the latest in time does.
        let late_primary = known(Category::ContinuingEducation, true, day(2027, 2, 1), 3);
        assert_eq!(counting_outcome(2026, &[late_primary, later.clone()]), Some(&later));
    }

    #[test]
    fn ties_on_known_on_go_to_the_latest_recorded() {
        let first = known(Category::SeekingEmployment, false, day(2026, 9, 1), 1);
        let second = known(Category::EmployedPartTime, false, day(2026, 9, 1), 5);
        assert_eq!(counting_outcome(2026, &[second.clone(), first.clone()]), Some(&second));
        assert_eq!(counting_outcome(2026, &[first, second.clone()]), Some(&second));
    }

    #[test]
    fn the_rates_of_a_hand_built_cohort() {
        // Ten graduates: 3 full-time, 1 part-time, 1 military, 1 continuing education,
        // 1 seeking employment, 1 not seeking, 2 with no information.
        // known = 8; knowledge rate = 8/10 = 0.8000;
        // career = 3 + 1 + 1 + 1 = 6; denominator = 8 − 1 not seeking = 7; 6/7 = 0.857142… → 0.8571.
        let mut t = Tally::default();
        for c in [
            Some(Category::EmployedFullTime),
            Some(Category::EmployedFullTime),
            Some(Category::EmployedFullTime),
            Some(Category::EmployedPartTime),
            Some(Category::Military),
            Some(Category::ContinuingEducation),
            Some(Category::SeekingEmployment),
            Some(Category::NotSeeking),
            None,
            None,
        ] {
            t.add(c);
        }
        assert_eq!((t.graduates, t.known(), t.no_information()), (10, 8, 2));
        assert_eq!(t.count(Category::EmployedFullTime), 3);
        assert_eq!(rate_cell(t.knowledge_rate()), "0.8000");
        assert_eq!(rate_cell(t.career_outcomes_rate()), "0.8571");
    }

    #[test]
    fn zero_denominators_give_empty_cells() {
        // No graduates: both rates empty.
        let t = Tally::default();
        assert_eq!(rate_cell(t.knowledge_rate()), "");
        assert_eq!(rate_cell(t.career_outcomes_rate()), "");
        // Two graduates, one not seeking, one no information: knowledge 1/2 = 0.5000,
        // career outcomes denominator 1 − 1 = 0: empty.
        let mut t = Tally::default();
        t.add(Some(Category::NotSeeking));
        t.add(None);
        assert_eq!(rate_cell(t.knowledge_rate()), "0.5000");
        assert_eq!(rate_cell(t.career_outcomes_rate()), "");
    }

    #[test]
    fn rates_round_half_up_to_four_places() {
        assert_eq!(Rate::of(2, 3).unwrap().decimal(), "0.6667");
        assert_eq!(Rate::of(1, 3).unwrap().decimal(), "0.3333");
        assert_eq!(Rate::of(1, 8).unwrap().decimal(), "0.1250");
        // 1/20000 = 0.00005 → half up → 0.0001.
        assert_eq!(Rate::of(1, 20_000).unwrap().decimal(), "0.0001");
        assert_eq!(Rate::of(5, 5).unwrap().decimal(), "1.0000");
        assert_eq!(Rate::of(0, 5).unwrap().decimal(), "0.0000");
        assert_eq!(Rate::of(1, 0), None);
    }

    #[test]
    fn conversion_counts_each_student_once_per_employer() {
        // Acme: ann completed twice (May 1 and June 1), offered June 11 and accepted; bob
        // completed May 10, offered May 10 (same day: not after) and never again;
        // cy completed May 1, offered May 5 (4 days) and May 20.
        // Acme: 4 engagements, 3 students, 2 offered (ann, cy), 1 hired (ann);
        // ann's days from her FIRST completion (May 1) to her first offer after it (June 11) = 41;
        // cy's = 4; median of [4, 41] = 22.5. Rate 2/3 = 0.6667.
        // Birch: dee completed June 1, offered by Acme only: 1 student, none converted, rate 0.
        let completions = [
            Completion { student: "ann", employer: "acme", completed_on: day(2026, 5, 1) },
            Completion { student: "ann", employer: "acme", completed_on: day(2026, 6, 1) },
            Completion { student: "bob", employer: "acme", completed_on: day(2026, 5, 10) },
            Completion { student: "cy", employer: "acme", completed_on: day(2026, 5, 1) },
            Completion { student: "dee", employer: "birch", completed_on: day(2026, 6, 1) },
        ];
        let offers = [
            OfferMade { student: "ann", employer: "acme", offer_on: day(2026, 6, 11), accepted: true },
            OfferMade { student: "bob", employer: "acme", offer_on: day(2026, 5, 10), accepted: true },
            OfferMade { student: "cy", employer: "acme", offer_on: day(2026, 5, 5), accepted: false },
            OfferMade { student: "cy", employer: "acme", offer_on: day(2026, 5, 20), accepted: false },
            OfferMade { student: "dee", employer: "acme", offer_on: day(2026, 7, 1), accepted: true },
        ];
        let by = conversions(&completions, &offers);
        let acme = &by["acme"];
        assert_eq!(
            (acme.engagements_completed, acme.students_completed, acme.students_offered, acme.students_hired),
            (4, 3, 2, 1)
        );
        assert_eq!(rate_cell(acme.rate()), "0.6667");
        assert_eq!(acme.median_days_to_offer(), "22.5");
        let birch = &by["birch"];
        assert_eq!((birch.students_completed, birch.students_offered), (1, 0));
        assert_eq!(rate_cell(birch.rate()), "0.0000");
        assert_eq!(birch.median_days_to_offer(), "");
        // All employers: 5 engagements, 4 students, 2 offered, 1 hired; 2/4 = 0.5000; median 22.5.
        let all = all_employers(by.values());
        assert_eq!((all.engagements_completed, all.students_completed, all.students_offered), (5, 4, 2));
        assert_eq!(rate_cell(all.rate()), "0.5000");
        assert_eq!(all.median_days_to_offer(), "22.5");
    }

    #[test]
    fn an_outcome_is_checked_field_by_field() {
        let today = day(2026, 11, 30);
        let good = OutcomeInput {
            category: "employed_full_time".into(),
            source: "counselor".into(),
            known_on: "2026-11-30".into(),
            annual_salary: "52,000.50".into(),
            primary: "true".into(),
            ..Default::default()
        };
        let d = check(&good, today).unwrap();
        assert_eq!(
            (d.category, d.annual_salary_cents, d.is_primary, d.currency.as_str()),
            (Category::EmployedFullTime, Some(5_200_050), true, "USD")
        );
        let bad = OutcomeInput {
            category: "hired".into(),
            known_on: "2026-12-01".into(),
            annual_salary: "lots".into(),
            primary: "maybe".into(),
            offer_on: "2026-05-02".into(),
            accepted_on: "2026-05-01".into(),
            ..Default::default()
        };
        let crate::core::Error::Invalid(p) = check(&bad, today).unwrap_err() else { panic!("invalid") };
        assert_eq!(p.fields(), ["category", "source", "known_on", "annual_salary", "primary", "accepted_on"]);
    }

    #[test]
    fn the_median_of_an_odd_count_is_the_middle_one() {
        let c = Conversion { days_to_offer: vec![30, 2, 9], ..Default::default() };
        assert_eq!(c.median_days_to_offer(), "9");
        let c = Conversion { days_to_offer: vec![4, 8], ..Default::default() };
        assert_eq!(c.median_days_to_offer(), "6");
    }
}
