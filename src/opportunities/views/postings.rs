//! The views of postings' pages: the form, the posting's page and the review queue.

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;

use super::{EndorsementView, Labelled};
use crate::core::{money, words, ApplicationId, EngagementId, OpportunityId, Problems};
use crate::opportunities::applications::ApplicantRow;
use crate::opportunities::postings::{KnownLists, PostingDetail, PostingRow, Submitted};
use crate::opportunities::rules::catalogue::Cursor;
use crate::opportunities::rules::{application_move, posting_move, ApplicationStatus, Category, PostingStatus, Side};
use crate::web::forms::{Choices, Field, Form, Values};

/// The posting form (new, for an employer, or a draft's edit).
#[derive(Debug, Serialize)]
pub struct PostingFormPage<'a> {
    pub action: &'a str,
    pub form: Form,
}

/// The choices of a "who may apply" list: the roster's, plus any the posting already
/// names (so editing an older posting keeps them).
fn known_plus_kept(known: impl IntoIterator<Item = String>, kept: &[String]) -> Choices {
    let mut all: Vec<String> = known.into_iter().collect();
    for k in kept {
        if !k.trim().is_empty() && !all.contains(k) {
            all.push(k.clone());
        }
    }
    Choices::same(all)
}

/// The posting form's fields, their choices from `lists` (and from `kept`, the values
/// shown); `this_year`: the first class year offered when the roster has none.
pub fn posting_form(lists: &KnownLists, kept: &Values, this_year: i32) -> Form {
    let years: Vec<String> = if lists.class_years.is_empty() {
        (this_year..=this_year + 4).map(|y| y.to_string()).collect()
    } else {
        lists.class_years.iter().map(|y| y.to_string()).collect()
    };
    let mut years =
        known_plus_kept(years, kept.all("eligible_class_years")).iter().map(|c| c.value.clone()).collect::<Vec<_>>();
    years.sort();
    Form::new([
        Field::text("title", "Title").required(),
        Field::textarea("description", "The project")
            .hint("What to deliver, how, and what the student gets from it (at least 30 characters)")
            .required()
            .rows(8),
        Field::select("category", "Kind of project", Choices::new(Category::ALL.map(|c| (c.as_str(), c.label()))))
            .required(),
        Field::text("skills", "Skills").hint("Separated by commas, e.g. excel, market research").optional(),
        Field::number("hours", "Hours of work").hint("From 5 to 40").required(),
        Field::number("fee", "Fixed fee").inputmode("decimal").hint("For the whole project, like 450.00").required(),
        Field::select("currency", "Currency", Choices::currencies()).required(),
        Field::number("openings", "Openings").hint("How many students, from 1 to 50").required(),
        Field::radios("mode", "Where", Choices::new([("remote", "Remote"), ("onsite", "On-site")])).required(),
        Field::text("location", "Location").hint("Needed for an on-site project").optional(),
        Field::date("apply_by", "Apply by").required(),
        Field::date("due_by", "Work due by").required(),
        Field::checkboxes(
            "eligible_colleges",
            "Colleges",
            known_plus_kept(lists.colleges.iter().cloned(), kept.all("eligible_colleges")),
        )
        .hint("Tick none to welcome every college")
        .optional(),
        Field::checkboxes(
            "eligible_majors",
            "Majors",
            known_plus_kept(lists.majors.iter().cloned(), kept.all("eligible_majors")),
        )
        .hint("Tick none to welcome every major")
        .optional(),
        Field::checkboxes("eligible_class_years", "Class years", Choices::same(years))
            .hint("Tick none to welcome every class")
            .optional(),
    ])
}

/// The values of a new posting's form.
pub fn blank_posting() -> Values {
    Values::new().with("category", "research").with("currency", "USD").with("mode", "remote").with("openings", "1")
}

/// A list kept as text ("a,b") as a form's several values.
fn split(list: &str) -> impl Iterator<Item = String> + '_ {
    list.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned)
}

/// A saved posting in its form again, to edit the draft.
pub fn form_of(p: &PostingRow) -> Values {
    let mut pairs: Vec<(String, String)> = vec![
        ("title".into(), p.title.clone()),
        ("description".into(), p.description.clone()),
        ("category".into(), p.category.as_str().to_owned()),
        ("skills".into(), p.skills.clone()),
        ("hours".into(), p.hours.to_string()),
        ("fee".into(), money::display(p.fee_cents)),
        ("currency".into(), p.currency.clone()),
        ("mode".into(), if p.remote { "remote".into() } else { "onsite".into() }),
        ("location".into(), p.location.clone().unwrap_or_default()),
        ("apply_by".into(), p.apply_by.to_string()),
        ("due_by".into(), p.due_by.to_string()),
        ("openings".into(), p.openings.to_string()),
    ];
    pairs.extend(split(&p.eligible_colleges).map(|v| ("eligible_colleges".to_owned(), v)));
    pairs.extend(split(&p.eligible_majors).map(|v| ("eligible_majors".to_owned(), v)));
    pairs.extend(split(&p.eligible_class_years).map(|v| ("eligible_class_years".to_owned(), v)));
    Values::from_pairs(pairs)
}

/// The form a posting's moves are made with: the reason a return or a cancellation needs.
pub fn move_form() -> Form {
    Form::new([Field::textarea("reason", "Reason")
        .hint("Needed to return the posting or to cancel it; the employer and any applicants read it")
        .optional()
        .rows(2)])
}

#[derive(Debug, Serialize)]
pub struct PostingView {
    pub id: OpportunityId,
    pub title: String,
    pub description: String,
    pub category: Labelled,
    pub status: Labelled,
    pub hours: i32,
    pub fee: String,
    pub currency: String,
    pub remote: bool,
    pub location: Option<String>,
    pub apply_by: NaiveDate,
    pub due_by: NaiveDate,
    pub openings: i32,
    /// "1 opening", "3 openings".
    pub openings_text: String,
    pub review_note: Option<String>,
}

impl From<PostingRow> for PostingView {
    fn from(p: PostingRow) -> Self {
        PostingView {
            fee: money::format(p.fee_cents, &p.currency),
            openings_text: words::plural(i64::from(p.openings), "opening", None),
            category: p.category.into(),
            status: p.status.into(),
            id: p.id,
            title: p.title,
            description: p.description,
            hours: p.hours,
            currency: p.currency,
            remote: p.remote,
            location: p.location,
            apply_by: p.apply_by,
            due_by: p.due_by,
            openings: p.openings,
            review_note: p.review_note,
        }
    }
}

/// A project as a link with its status.
#[derive(Debug, Serialize)]
pub struct ProjectLink {
    pub id: EngagementId,
    pub status: Labelled,
}

/// An applicant on the posting's page, with the employer's choices.
#[derive(Debug, Serialize)]
pub struct ApplicantView {
    pub id: ApplicationId,
    pub name: String,
    pub college: String,
    pub major: String,
    pub class_year: i32,
    pub status: Labelled,
    pub statement: String,
    pub message: Option<String>,
    pub endorsements: Vec<EndorsementView>,
    pub engagement: Option<ProjectLink>,
    pub can_shortlist: bool,
    pub can_reject: bool,
    pub can_offer: bool,
}

impl From<ApplicantRow> for ApplicantView {
    fn from(r: ApplicantRow) -> Self {
        let a = r.applicant;
        let can = |to| application_move(a.status, to, Side::Recruiter).is_ok();
        ApplicantView {
            can_shortlist: can(ApplicationStatus::Shortlisted),
            can_reject: can(ApplicationStatus::Rejected),
            can_offer: can(ApplicationStatus::Offered),
            status: a.status.into(),
            id: a.id,
            name: a.name,
            college: a.college,
            major: a.major,
            class_year: a.class_year,
            statement: a.statement,
            message: a.message,
            endorsements: r.shared.into_iter().map(EndorsementView::from).collect(),
            engagement: r.engagement.map(|(id, status)| ProjectLink { id, status: status.into() }),
        }
    }
}

/// A move the viewer may make on the posting's page.
#[derive(Debug, Serialize)]
pub struct MoveView {
    pub to: &'static str,
    pub label: &'static str,
    pub needs_reason: bool,
    /// Cancelling: the danger button, and a confirmation first.
    pub danger: bool,
}

/// The moves of a posting that `side` may make, as buttons.
fn posting_moves(status: PostingStatus, side: Side) -> Vec<MoveView> {
    use PostingStatus::*;
    [(PendingReview, "Submit for review"), (Open, "Approve and open"), (Draft, "Return to the employer")]
        .into_iter()
        .chain([(Closed, "Close applications"), (Cancelled, "Cancel the posting…")])
        .filter(|(to, _)| posting_move(status, *to, side).is_ok())
        .map(|(to, label)| MoveView {
            to: to.as_str(),
            label,
            needs_reason: matches!(to, Draft | Cancelled),
            danger: to == Cancelled,
        })
        .collect()
}

/// The posting's page (`/postings/{id}`): the employer's and the office's desk.
#[derive(Debug, Serialize)]
pub struct PostingPage {
    pub posting: PostingView,
    pub employer: String,
    /// How many applicants (of the status chosen), in figures ("2,000").
    pub count: String,
    pub applicants: Vec<ApplicantView>,
    /// The applicants' status filter: every status, the chosen one selected.
    pub statuses: Vec<StatusChoice>,
    /// The applicant list's previous and next pages (keeping the status chosen).
    pub prev: Option<String>,
    pub next: Option<String>,
    pub moves: Vec<MoveView>,
    pub editable: bool,
    pub recruiter: bool,
    pub notice: Option<String>,
    /// The moves' form (the reason), with what was typed and its problems.
    pub move_form: Form,
}

/// A status of the applicant list's filter.
#[derive(Debug, Serialize)]
pub struct StatusChoice {
    pub value: &'static str,
    pub label: &'static str,
    pub selected: bool,
}

impl PostingPage {
    /// `side`: the viewer's side, which decides the moves offered; `kept`: the move form
    /// as it was sent, when it came back with `problems`; `status`: the applicants shown.
    pub fn new(
        d: PostingDetail,
        side: Side,
        notice: Option<String>,
        problems: Problems,
        kept: Values,
        status: Option<ApplicationStatus>,
    ) -> Self {
        let id = d.posting.id.clone();
        let base = match status {
            Some(s) => format!("/postings/{id}?status={}&", s.as_str()),
            None => format!("/postings/{id}?"),
        };
        let link = |c: &Cursor| {
            let place: String = url::form_urlencoded::byte_serialize(c.param().as_bytes()).collect();
            format!("{base}{}={place}#applicants", if c.backward { "before" } else { "after" })
        };
        let list = d.applicants;
        PostingPage {
            move_form: move_form().with_values(kept).with_problems(problems),
            moves: posting_moves(d.posting.status, side),
            editable: d.posting.status == PostingStatus::Draft,
            recruiter: side == Side::Recruiter,
            count: money::group(list.total.unsigned_abs()),
            prev: list.prev.as_ref().map(link),
            next: list.next.as_ref().map(link),
            statuses: ApplicationStatus::ALL
                .iter()
                .map(|s| StatusChoice { value: s.as_str(), label: s.label(), selected: Some(*s) == status })
                .collect(),
            applicants: list.rows.into_iter().map(ApplicantView::from).collect(),
            employer: d.employer,
            posting: d.posting.into(),
            notice,
        }
    }
}

/// A posting in the review queue.
#[derive(Debug, Serialize)]
pub struct SubmittedView {
    pub id: OpportunityId,
    pub title: String,
    pub employer: String,
    pub hours: i32,
    pub fee: String,
    pub apply_by: NaiveDate,
    pub submitted_at: Option<NaiveDateTime>,
    /// How long it has waited for review: "Under a day", "3 days".
    pub waited: String,
}

/// How long something submitted at `at` has waited by `now`, in days.
pub fn waited(at: Option<NaiveDateTime>, now: NaiveDateTime) -> String {
    match at.map(|at| (now - at).num_days()) {
        Some(days) if days >= 1 => words::plural(days, "day", None),
        _ => "Under a day".to_owned(),
    }
}

/// The review queue (`/review`).
#[derive(Debug, Serialize)]
pub struct ReviewPage {
    pub rows: Vec<SubmittedView>,
}

impl ReviewPage {
    /// `now`: the instant the queue is read, for how long each posting has waited.
    pub fn new(rows: Vec<Submitted>, now: NaiveDateTime) -> Self {
        let rows = rows
            .into_iter()
            .map(|r| SubmittedView {
                waited: waited(r.submitted_at, now),
                fee: money::format(r.fee_cents, &r.currency),
                id: r.id,
                title: r.title,
                employer: r.employer,
                hours: r.hours,
                apply_by: r.apply_by,
                submitted_at: r.submitted_at,
            })
            .collect();
        ReviewPage { rows }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_is_told_in_days() {
        let at = NaiveDate::from_ymd_opt(2027, 2, 1).unwrap().and_hms_opt(9, 0, 0).unwrap();
        assert_eq!(waited(Some(at), at + chrono::Duration::hours(23)), "Under a day");
        assert_eq!(waited(Some(at), at + chrono::Duration::hours(25)), "1 day");
        assert_eq!(waited(Some(at), at + chrono::Duration::days(12)), "12 days");
        assert_eq!(waited(None, at), "Under a day");
    }

    #[test]
    fn a_saved_posting_comes_back_in_its_form_with_its_lists_ticked() {
        let lists = KnownLists {
            colleges: vec!["School of Business".into()],
            majors: vec!["Finance".into()],
            class_years: vec![2027, 2028],
        };
        let kept = Values::from_pairs([("eligible_majors", "Public Health"), ("eligible_class_years", "2028")]);
        let form = posting_form(&lists, &kept, 2026).with_values(kept);
        let v = serde_json::to_value(&form).unwrap();
        let majors: Vec<(&str, bool)> = v["fields"]["eligible_majors"]["choices"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| (c["value"].as_str().unwrap(), c["selected"].as_bool().unwrap()))
            .collect();
        assert_eq!(majors, [("Finance", false), ("Public Health", true)], "a listed major the roster lacks is kept");
        assert_eq!(v["fields"]["eligible_class_years"]["choices"][1]["selected"], true);
        assert_eq!(v["fields"]["currency"]["kind"], "select");
    }
}
