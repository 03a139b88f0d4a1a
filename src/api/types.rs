//! The API's request and response bodies and query parameters. The OpenAPI document is
//! generated from these very types (`utoipa`), so it cannot drift from what is served.
//! Request bodies refuse unknown fields: a misspelt field is an error, not a value lost.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime, SecondsFormat};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A time as the API gives it: RFC 3339 in UTC ("2026-11-30T17:00:00Z").
pub fn utc(at: NaiveDateTime) -> String {
    at.and_utc().to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Where a page starts and how long it is.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// The `next_cursor` of the previous page (none: the first page).
    pub cursor: Option<String>,
    /// Rows per page, 1 to 500 (default 100).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 500)]
    pub limit: Option<String>,
}

macro_rules! page {
    ($(#[$doc:meta])* $name:ident of $item:ty) => {
        $(#[$doc])*
        #[derive(Debug, Serialize, ToSchema)]
        pub struct $name {
            pub items: Vec<$item>,
            /// Pass it as `cursor` for the next page; null on the last page. Rows are in
            /// id order, so rows added while paging neither shift nor repeat any.
            pub next_cursor: Option<String>,
        }
    };
}

/// One student of a roster batch: the columns of the roster CSV.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StudentItem {
    /// The SIS's student number (the key: an existing student is updated).
    #[serde(default)]
    #[schema(example = "N100234")]
    pub student_number: String,
    #[serde(default)]
    #[schema(example = "dana.kim@northfield.edu")]
    pub email: String,
    #[serde(default)]
    #[schema(example = "Dana Kim")]
    pub name: String,
    #[serde(default)]
    #[schema(example = "Engineering")]
    pub college: String,
    #[serde(default)]
    #[schema(example = "Physics")]
    pub major: String,
    #[serde(default)]
    #[schema(example = 2027)]
    pub class_year: Option<i32>,
    /// `YYYY-MM` or e.g. "Spring 2027".
    #[serde(default)]
    #[schema(example = "2027-05")]
    pub graduation_term: String,
}

/// A roster batch: all or nothing.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StudentsBatch {
    pub students: Vec<StudentItem>,
}

/// What a batch did: records added, changed, and already as sent.
#[derive(Debug, Serialize, ToSchema)]
pub struct BatchDone {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
}

/// An employer and its current partnership.
#[derive(Debug, Serialize, ToSchema)]
pub struct Employer {
    pub id: String,
    pub name: String,
    pub industry: String,
    pub website: Option<String>,
    pub size: Option<String>,
    pub location: String,
    /// prospect, active or paused; null without a current partnership.
    pub partnership_status: Option<String>,
    /// strategic, gold, silver or standard; null without a current partnership.
    pub partnership_tier: Option<String>,
}

page!(
    /// A page of employers.
    EmployersPage of Employer
);

/// An open micro-internship of the catalogue.
#[derive(Debug, Serialize, ToSchema)]
pub struct Opportunity {
    pub id: String,
    pub title: String,
    pub description: String,
    pub skills: Vec<String>,
    #[schema(minimum = 5, maximum = 40)]
    pub hours: i32,
    /// The fixed fee in cents.
    pub fee_cents: i64,
    #[schema(example = "USD")]
    pub currency: String,
    pub remote: bool,
    pub location: Option<String>,
    #[schema(value_type = String, format = Date)]
    pub apply_by: NaiveDate,
    pub openings: i32,
    pub employer_id: String,
    pub employer_name: String,
    pub industry: String,
}

page!(
    /// A page of open micro-internships.
    OpportunitiesPage of Opportunity
);

/// The catalogue's filters (as the portal's catalogue has them).
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CatalogueParams {
    /// Words searched in title, description, skills and employer.
    pub q: Option<String>,
    /// Skills, comma-separated; every one must be named.
    pub skills: Option<String>,
    pub industry: Option<String>,
    /// `remote` or `onsite`.
    #[param(value_type = Option<String>, pattern = "^(remote|onsite)$")]
    pub remote: Option<String>,
    #[param(value_type = Option<i64>, minimum = 5, maximum = 40)]
    pub hours_min: Option<String>,
    #[param(value_type = Option<i64>, minimum = 5, maximum = 40)]
    pub hours_max: Option<String>,
    /// Whole currency units.
    #[param(value_type = Option<i64>, minimum = 0, maximum = 100000)]
    pub fee_min: Option<String>,
    #[param(value_type = Option<i64>, minimum = 0, maximum = 100000)]
    pub fee_max: Option<String>,
    /// Still open on this date.
    #[param(value_type = Option<String>, format = Date)]
    pub apply_by: Option<String>,
    /// One employer's id.
    pub employer: Option<String>,
}

/// A graduate's outcome (first destination).
#[derive(Debug, Serialize, ToSchema)]
pub struct Outcome {
    pub id: String,
    pub student_number: String,
    #[schema(example = "employed_full_time")]
    pub category: String,
    pub employment_type: Option<String>,
    pub organization: Option<String>,
    pub job_title: Option<String>,
    #[schema(value_type = Option<String>, format = Date)]
    pub start_on: Option<NaiveDate>,
    /// A year, in cents of `currency`.
    pub annual_salary_cents: Option<i64>,
    pub currency: String,
    pub source: String,
    pub primary: bool,
    #[schema(value_type = Option<String>, format = Date)]
    pub offer_on: Option<NaiveDate>,
    #[schema(value_type = Option<String>, format = Date)]
    pub accepted_on: Option<NaiveDate>,
    /// When the office learnt it.
    #[schema(value_type = String, format = Date)]
    pub known_on: NaiveDate,
    #[schema(format = DateTime)]
    pub updated_at: String,
}

page!(
    /// A page of outcomes.
    OutcomesPage of Outcome
);

/// Which outcomes to read.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OutcomeParams {
    /// Only outcomes the office learnt on or after this date (e.g. last month's).
    #[param(value_type = Option<String>, format = Date)]
    pub known_from: Option<String>,
    /// Only outcomes the office learnt on or before this date.
    #[param(value_type = Option<String>, format = Date)]
    pub known_until: Option<String>,
}

/// One outcome of a batch: the columns of the outcomes CSV.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OutcomeItem {
    #[serde(default)]
    pub student_number: String,
    /// employed_full_time, employed_part_time, military, volunteer_service,
    /// continuing_education, seeking_employment, seeking_continuing_education, not_seeking
    #[serde(default)]
    #[schema(example = "employed_full_time")]
    pub category: String,
    /// Where the office learnt it (e.g. survey, counselor, linkedin).
    #[serde(default)]
    #[schema(example = "survey")]
    pub source: String,
    #[serde(default)]
    #[schema(example = "2026-10-01")]
    pub known_on: String,
    pub employment_type: Option<String>,
    pub organization: Option<String>,
    pub job_title: Option<String>,
    pub start_on: Option<String>,
    /// A year, in major units as text ("61500.00").
    pub annual_salary: Option<String>,
    pub currency: Option<String>,
    pub primary: Option<bool>,
    pub offer_on: Option<String>,
    pub accepted_on: Option<String>,
}

/// An outcomes batch: all or nothing; re-sending it changes nothing.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OutcomesBatch {
    pub outcomes: Vec<OutcomeItem>,
}

/// A report's filters: the same names, and the same checks, as the portal's
/// `/reports/{name}.csv` and `waypoint report`. A filter the report does not take is refused.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportParams {
    /// The cohort (class year); the first-destination report needs one.
    #[param(value_type = Option<i32>, minimum = 1900, maximum = 9999, example = 2026)]
    pub cohort: Option<String>,
    /// The older name of `cohort`, still accepted.
    #[param(value_type = Option<i32>, minimum = 1900, maximum = 9999)]
    pub class: Option<String>,
    /// `college` (default) or `major` (first-destination only).
    #[param(value_type = Option<String>, pattern = "^(college|major)$")]
    pub group_by: Option<String>,
    /// A college, by its name.
    pub college: Option<String>,
    /// A catalogue employer, by its name.
    pub employer: Option<String>,
    /// The first campus date (YYYY-MM-DD).
    #[param(value_type = Option<String>, format = Date)]
    pub from: Option<String>,
    /// The last campus date (YYYY-MM-DD).
    #[param(value_type = Option<String>, format = Date)]
    pub to: Option<String>,
    /// Placements only, which come a page at a time when asked: the `next_cursor` of the
    /// previous page.
    pub cursor: Option<String>,
    /// Placements only: rows per page, 1 to 500 (default 100 when paging).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 500)]
    pub limit: Option<String>,
}

/// A report as JSON: its columns in order, and each row's cells by column, exactly the
/// CSV's text.
#[derive(Debug, Serialize, ToSchema)]
pub struct Report {
    #[schema(example = "first-destination")]
    pub report: String,
    /// The filters the report was made with (e.g. class and group_by).
    pub filters: BTreeMap<String, String>,
    pub columns: Vec<String>,
    pub rows: Vec<BTreeMap<String, String>>,
    /// When paging (placements with `cursor` or `limit`): pass it as `cursor` for the next
    /// page; null on the last page, and for a report that comes whole.
    pub next_cursor: Option<String>,
}

/// A fair session and how many students hold a seat or wait for one.
#[derive(Debug, Serialize, ToSchema)]
pub struct FairSession {
    pub id: String,
    pub fair_id: String,
    pub fair_name: String,
    pub employer_id: String,
    pub employer_name: String,
    /// group or one_on_one
    pub kind: String,
    pub title: String,
    #[schema(format = DateTime)]
    pub starts_at: String,
    #[schema(format = DateTime)]
    pub ends_at: String,
    pub capacity: i32,
    /// scheduled or cancelled
    pub status: String,
    pub registered: i64,
    pub waitlisted: i64,
}

page!(
    /// A page of fair sessions.
    FairSessionsPage of FairSession
);

/// Which sessions to read.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SessionParams {
    /// One fair's sessions.
    pub fair: Option<String>,
}
