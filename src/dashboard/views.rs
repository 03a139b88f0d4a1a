//! What the dashboard shows: panels, each one data source drawn as one chart, with its
//! numbers in a table beside it and a link to the CSV the figures come from. Adding a
//! chart is one function here that turns its figures into a [`Panel`], and one line in
//! the page's list.

use serde::Serialize;

use super::charts::{Chart, Figure, Scale};
use super::store::{EmployerConversion, Filters, Funnel, RateRow};
use crate::core::money;
use crate::outcomes::rules::{rate_cell, Conversion};

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

/// The address of a report with the filters that apply to it (empty ones left out).
pub fn csv_link(report: &str, pairs: &[(&str, String)]) -> String {
    let kept: Vec<(&str, &str)> = pairs.iter().filter(|(_, v)| !v.is_empty()).map(|(k, v)| (*k, v.as_str())).collect();
    if kept.is_empty() {
        return format!("/reports/{report}.csv");
    }
    let q = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(kept).finish();
    format!("/reports/{report}.csv?{q}")
}

/// The filters as a report's query: cohort, college, employer, from, to.
pub fn filter_pairs(f: &Filters) -> Vec<(&'static str, String)> {
    vec![
        ("cohort", f.cohort.map(|c| c.to_string()).unwrap_or_default()),
        ("college", f.college.clone().unwrap_or_default()),
        ("employer", f.employer.clone().unwrap_or_default()),
        ("from", f.from.map(|d| d.to_string()).unwrap_or_default()),
        ("to", f.to.map(|d| d.to_string()).unwrap_or_default()),
    ]
}

/// One class's knowledge and career outcomes rates by college (first-destination.csv's rows).
pub fn rates_panel(class: Option<i32>, college: Option<&str>, rows: &[RateRow]) -> Panel {
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
    let cohort = class.map(|c| c.to_string()).unwrap_or_default();
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
        csv_href: csv_link(
            "first-destination",
            &[("cohort", cohort), ("group_by", "college".into()), ("college", college.unwrap_or_default().to_owned())],
        ),
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
        csv_href: csv_link("micro-internships", &filter_pairs(f)),
        csv_label: "micro-internships.csv".into(),
    }
}

fn conversion_cells(name: &str, c: &Conversion) -> Vec<String> {
    vec![
        name.to_owned(),
        money::group(c.engagements_completed),
        money::group(c.students_completed),
        money::group(c.students_offered),
        money::group(c.students_hired),
        percent(&rate_cell(c.rate())).text,
        match c.median_days_to_offer() {
            d if d.is_empty() => "none".to_owned(),
            d => d,
        },
    ]
}

/// Conversion rate by employer.
pub fn conversion_panel(f: &Filters, rows: &[EmployerConversion], all: &Conversion) -> Panel {
    let heading = "Conversion rate by employer";
    let mut chart = Chart::new("conversions", heading, Scale::Share, &["Conversion rate"]);
    for r in rows {
        chart = chart.row(&r.employer, vec![percent(&rate_cell(r.figures.rate()))]);
    }
    Panel {
        id: "conversions".into(),
        heading: heading.into(),
        note: "Students who completed a project with the employer (in the dates) and afterwards received an offer \
               from them, out of the students who completed one; each student counted once per employer."
            .into(),
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
            rows.iter().map(|r| conversion_cells(&r.employer, &r.figures)).collect(),
            (!rows.is_empty()).then(|| conversion_cells("All employers", all)),
        ),
        csv_href: csv_link("conversions", &filter_pairs(f)),
        csv_label: "conversions.csv".into(),
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
    fn report_links_keep_the_filters_that_are_set() {
        let f = Filters {
            cohort: Some(2026),
            college: Some("Arts & Letters".into()),
            from: chrono::NaiveDate::from_ymd_opt(2026, 1, 1),
            ..Default::default()
        };
        assert_eq!(
            csv_link("conversions", &filter_pairs(&f)),
            "/reports/conversions.csv?cohort=2026&college=Arts+%26+Letters&from=2026-01-01"
        );
        assert_eq!(csv_link("conversions", &filter_pairs(&Filters::default())), "/reports/conversions.csv");
    }
}
