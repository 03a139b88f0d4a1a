//! What the dashboard shows: panels, each one data source drawn as one chart, with its
//! numbers in a table beside it and a link to the CSV the figures come from. Adding a
//! chart is one function here that turns its figures into a [`Panel`], and one line in
//! the page's list.

use serde::Serialize;

use super::charts::{Chart, Figure, Scale};
use super::store::{ConversionRow, Funnel, RateRow};
use crate::core::money;
use crate::fairs::figures::{self as fair_figures, SessionFigures, Totals};
use crate::reports::filters::{Filter, Filters, GroupBy};
use crate::reports::registry::ReportName;

/// A table of the chart's numbers: the first cell of each row is its row header.
#[derive(Debug, Clone, Serialize)]
pub struct Table {
    pub caption: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// A closing row (totals), shown in the table's foot.
    pub total: Option<Vec<String>>,
    /// How many columns (the "no data" cell spans them).
    pub span: usize,
    /// Few columns: the table fits beside its chart (else it goes below it).
    pub narrow: bool,
}

impl Table {
    fn new(
        caption: impl Into<String>,
        columns: Vec<String>,
        rows: Vec<Vec<String>>,
        total: Option<Vec<String>>,
    ) -> Self {
        let span = columns.len();
        Table { caption: caption.into(), columns, rows, total, span, narrow: span <= 3 }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Panel {
    pub id: String,
    pub heading: String,
    /// What the figures count, in a sentence.
    pub note: String,
    /// The chart's SVG, escaped by `charts`.
    pub svg: String,
    pub table: Table,
    pub csv_href: String,
    pub csv_label: String,
}

fn strings<const N: usize>(cells: [&str; N]) -> Vec<String> {
    cells.iter().map(|c| (*c).to_owned()).collect()
}

/// A rate as the CSV writes it (4 decimals, or empty) as a percentage with 2 decimals,
/// exactly ("0.7500" → 75.00%), and the amount to draw.
pub fn percent(cell: &str) -> Figure {
    let Some((units, decimals)) = cell.split_once('.') else { return Figure::new(None, "no rate") };
    let (Ok(units), Ok(decimals)) = (units.parse::<u64>(), decimals.parse::<u64>()) else {
        return Figure::new(None, "no rate");
    };
    let ten_thousandths = units * 10_000 + decimals;
    Figure::new(
        Some(ten_thousandths as f64 / 10_000.0),
        format!("{}.{:02}%", ten_thousandths / 100, ten_thousandths % 100),
    )
}

/// The address of a report with the filters set that it takes (it refuses any other).
pub fn csv_link(report: ReportName, f: &Filters) -> String {
    let set = [
        (Filter::Cohort, f.cohort.map(|c| c.to_string())),
        (Filter::GroupBy, f.group_by.map(|g| g.as_str().to_owned())),
        (Filter::College, f.college.clone()),
        (Filter::Employer, f.employer.clone()),
        (Filter::From, f.from.map(|d| d.to_string())),
        (Filter::To, f.to.map(|d| d.to_string())),
    ];
    let kept: Vec<(&str, String)> = set
        .into_iter()
        .filter(|(filter, _)| report.accepts().contains(filter))
        .filter_map(|(filter, v)| v.map(|v| (filter.as_str(), v)))
        .collect();
    let name = report.as_str();
    if kept.is_empty() {
        return format!("/reports/{name}.csv");
    }
    let q = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(kept).finish();
    format!("/reports/{name}.csv?{q}")
}

/// A count as the CSV writes it ("1234"), grouped as people read it ("1,234").
fn count(cell: &str) -> String {
    cell.parse::<u64>().map(money::group).unwrap_or_else(|_| cell.to_owned())
}

/// One class's knowledge and career outcomes rates by college (first-destination.csv's rows).
pub fn rates_panel(class: Option<i32>, college: Option<&str>, rows: &[RateRow]) -> Panel {
    let of_class = Filters {
        cohort: class,
        group_by: Some(GroupBy::College),
        college: college.map(str::to_owned),
        ..Filters::default()
    };
    let (id, heading) = match class {
        Some(c) => (format!("rates-{c}"), format!("Class of {c}: knowledge and career outcomes rates")),
        None => ("rates".to_owned(), "Knowledge and career outcomes rates".to_owned()),
    };
    let mut chart = Chart::new(&id, &heading, Scale::Share, &["Knowledge rate", "Career outcomes rate"])
        .marker(0.65, "NACE minimum 65%");
    for r in rows {
        chart = chart.row(&r.college, vec![percent(&r.knowledge_rate), percent(&r.career_outcomes_rate)]);
    }
    let table_rows = rows
        .iter()
        .map(|r| {
            vec![
                r.college.clone(),
                r.graduates.clone(),
                r.known.clone(),
                percent(&r.knowledge_rate).text,
                percent(&r.career_outcomes_rate).text,
            ]
        })
        .collect();
    Panel {
        id: id.clone(),
        heading: heading.clone(),
        note: "Graduates by college, each counted once by the outcome that counts for them (known by December 31 \
               of the class year). NACE asks for a knowledge rate of at least 65%. The employer and date filters \
               do not apply to these rates."
            .into(),
        svg: chart.svg(),
        table: Table::new(
            format!("{heading}, by college"),
            strings(["College", "Graduates", "Known outcomes", "Knowledge rate", "Career outcomes rate"]),
            table_rows,
            None,
        ),
        csv_href: csv_link(ReportName::FirstDestination, &of_class),
        csv_label: "first-destination.csv".into(),
    }
}

/// The micro-internship funnel.
pub fn funnel_panel(f: &Filters, n: &Funnel) -> Panel {
    let heading = "The micro-internship funnel";
    let steps = [
        ("Postings", n.postings),
        ("Applications", n.applications),
        ("Projects started", n.engagements),
        ("Projects completed", n.completed),
        ("Offers after a project", n.offers),
        ("Hires (offers accepted)", n.hires),
    ];
    let mut chart = Chart::new("funnel", heading, Scale::Count, &["Count"]);
    for (label, count) in steps {
        chart = chart.row(label, vec![Figure::count(count.max(0) as u64)]);
    }
    Panel {
        id: "funnel".into(),
        heading: heading.into(),
        note: "Postings opened in the dates (of the employer chosen), the applications to them from students of \
               the class and college chosen, the projects those became, the completed ones, and the offers made \
               after them."
            .into(),
        svg: chart.svg(),
        table: Table::new(
            "The micro-internship funnel, step by step",
            strings(["Step", "Count"]),
            steps.iter().map(|(l, c)| vec![(*l).to_owned(), money::group(c.max(&0).unsigned_abs())]).collect(),
            None,
        ),
        csv_href: csv_link(ReportName::MicroInternships, f),
        csv_label: "micro-internships.csv".into(),
    }
}

fn conversion_cells(r: &ConversionRow) -> Vec<String> {
    vec![
        r.employer.clone(),
        count(&r.engagements_completed),
        count(&r.students_completed),
        count(&r.students_offered),
        count(&r.students_hired),
        percent(&r.conversion_rate).text,
        match r.median_days_to_offer.as_str() {
            "" => "none".to_owned(),
            d => d.to_owned(),
        },
    ]
}

/// The most employers a chart and its table show: the largest (the CSV has every one). A
/// university's thousands of partners would make one bar each, a page of megabytes that
/// no one can read.
pub const EMPLOYERS_SHOWN: usize = 20;

/// The `n` largest of `rows` by `size` (on a tie, the earlier row), kept in their order.
fn largest<T>(rows: &[T], n: usize, size: impl Fn(&T) -> i64) -> Vec<&T> {
    if rows.len() <= n {
        return rows.iter().collect();
    }
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(size(&rows[i])), i));
    order.truncate(n);
    order.sort_unstable();
    order.into_iter().map(|i| &rows[i]).collect()
}

/// What a panel of employers says when it shows only the largest of them.
fn shown_of(shown: usize, all: usize, largest_by: &str, csv: &str) -> String {
    if shown == all {
        return String::new();
    }
    format!(
        " Shown: the {} employers with the most {largest_by}, of {}; {csv} has every one.",
        money::group(shown as u64),
        money::group(all as u64)
    )
}

/// Conversion rate by employer: conversions.csv's rows (the largest
/// [`EMPLOYERS_SHOWN`] by students who completed a project), `All employers` in the
/// table's foot.
pub fn conversion_panel(f: &Filters, rows: &[ConversionRow], all: Option<&ConversionRow>) -> Panel {
    let heading = "Conversion rate by employer";
    let count_of = |cell: &str| cell.parse::<i64>().unwrap_or(0);
    let shown = largest(rows, EMPLOYERS_SHOWN, |r| count_of(&r.students_completed));
    let mut chart = Chart::new("conversions", heading, Scale::Share, &["Conversion rate"]);
    for r in &shown {
        chart = chart.row(&r.employer, vec![percent(&r.conversion_rate)]);
    }
    Panel {
        id: "conversions".into(),
        heading: heading.into(),
        note: format!(
            "Students who completed a project with the employer (in the dates) and afterwards received an offer \
             from them, out of the students who completed one; each student counted once per employer.{}",
            shown_of(shown.len(), rows.len(), "students who completed a project", "conversions.csv")
        ),
        svg: chart.svg(),
        table: Table::new(
            "Conversion by employer",
            strings([
                "Employer",
                "Projects completed",
                "Students who completed one",
                "Students offered",
                "Students hired",
                "Conversion rate",
                "Median days to offer",
            ]),
            shown.iter().map(|r| conversion_cells(r)).collect(),
            all.filter(|_| !rows.is_empty()).map(conversion_cells),
        ),
        csv_href: csv_link(ReportName::Conversions, f),
        csv_label: "conversions.csv".into(),
    }
}

fn attendance_cells(name: &str, t: &Totals) -> Vec<String> {
    let n = |v: i64| money::group(v.max(0).unsigned_abs());
    vec![
        name.to_owned(),
        n(t.sessions),
        n(t.registered),
        n(t.attended),
        n(t.no_shows),
        percent(&t.attendance_rate().unwrap_or_default()).text,
    ]
}

/// Fair attendance by employer: fair-attendance.csv's sessions summed per employer by
/// `fairs::figures` (the arithmetic of the counselor's fair overview).
pub fn attendance_panel(f: &Filters, sessions: &[SessionFigures]) -> Panel {
    let heading = "Fair attendance by employer";
    let every = fair_figures::by_employer(sessions);
    let by_employer = largest(&every, EMPLOYERS_SHOWN, |(_, t)| t.registered);
    let mut chart = Chart::new("fair-attendance", heading, Scale::Share, &["Attendance rate"]);
    for (employer, t) in &by_employer {
        chart = chart.row(employer, vec![percent(&t.attendance_rate().unwrap_or_default())]);
    }
    Panel {
        id: "fair-attendance".into(),
        heading: heading.into(),
        note: format!(
            "Scheduled fair sessions starting in the dates (of the employer chosen): students registered, those \
             who came and the no-shows. The attendance rate is attended ÷ registered over the sessions that have \
             ended. The class and college filters do not apply to fair sessions.{}",
            shown_of(by_employer.len(), every.len(), "students registered", "fair-attendance.csv")
        ),
        svg: chart.svg(),
        table: Table::new(
            "Fair attendance by employer",
            strings(["Employer", "Sessions", "Registered", "Attended", "No-shows", "Attendance rate"]),
            by_employer.iter().map(|(e, t)| attendance_cells(e, t)).collect(),
            (!by_employer.is_empty()).then(|| attendance_cells("All employers", &fair_figures::total(sessions))),
        ),
        csv_href: csv_link(ReportName::FairAttendance, f),
        csv_label: "fair-attendance.csv".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_become_exact_percentages() {
        assert_eq!(percent("0.7500").text, "75.00%");
        assert_eq!(percent("0.6667").text, "66.67%");
        assert_eq!(percent("1.0000").text, "100.00%");
        assert_eq!(percent("0.0001").text, "0.01%");
        assert_eq!(percent("0.7500").amount, Some(0.75));
        assert_eq!(percent(""), Figure::new(None, "no rate"));
    }

    #[test]
    fn report_links_keep_the_filters_set_that_the_report_takes() {
        let f = Filters {
            cohort: Some(2026),
            college: Some("Arts & Letters".into()),
            employer: Some("Acme Labs".into()),
            employer_id: Some("e-1".into()),
            from: chrono::NaiveDate::from_ymd_opt(2026, 1, 1),
            ..Default::default()
        };
        assert_eq!(
            csv_link(ReportName::Conversions, &f),
            "/reports/conversions.csv?cohort=2026&college=Arts+%26+Letters&employer=Acme+Labs&from=2026-01-01"
        );
        // Fair sessions belong to no class or college: those filters are left out, not refused.
        assert_eq!(
            csv_link(ReportName::FairAttendance, &f),
            "/reports/fair-attendance.csv?employer=Acme+Labs&from=2026-01-01"
        );
        assert_eq!(csv_link(ReportName::Conversions, &Filters::default()), "/reports/conversions.csv");
    }

    #[test]
    fn only_the_largest_employers_are_shown_in_their_own_order() {
        let rows = [("a", 5), ("b", 9), ("c", 1), ("d", 9), ("e", 7)];
        fn names(v: Vec<&(&'static str, i64)>) -> Vec<&'static str> {
            v.iter().map(|r| r.0).collect()
        }
        assert_eq!(names(largest(&rows, 3, |r| r.1)), ["b", "d", "e"]);
        // A tie at the edge keeps the earlier row.
        assert_eq!(names(largest(&rows, 1, |r| r.1)), ["b"]);
        assert_eq!(names(largest(&rows, 9, |r| r.1)), ["a", "b", "c", "d", "e"]);
        assert_eq!(shown_of(5, 5, "x", "y.csv"), "");
        assert_eq!(
            shown_of(20, 4812, "students registered", "fair-attendance.csv"),
            " Shown: the 20 employers with the most students registered, of 4,812; fair-attendance.csv has every one."
        );
    }

    #[test]
    fn counts_are_grouped_and_other_cells_kept() {
        assert_eq!((count("1234567"), count("12"), count("")), ("1,234,567".into(), "12".into(), String::new()));
    }
}
