//! Postings: drafts, review, opening, the one close, cancellation, and the reads of the
//! posting's page and the review queue.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::applicants::{applicants_page, ApplicantsPage, ApplicantsQuery};
use super::applications::waiting_applicants;
use super::rules::{posting_move, Category, CloseReason, Posting, PostingStatus};
use super::store::{
    employer_name, lock, office_users, partnership_active, record, recruiter_users, tell, Acting, Result, Scope,
};
use super::tags::{write_tags, PostingLists};
use crate::core::{Actor, EmployerId, Error, OpportunityId};
use crate::db::schema::{employers, opportunities, students};
use crate::db::{self, DbConnection};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = opportunities)]
pub struct PostingRow {
    pub id: OpportunityId,
    pub employer_id: EmployerId,
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
    pub status: PostingStatus,
    pub review_note: Option<String>,
}

/// The columns a posting's form sets, for both adding and changing a draft.
/// `treat_none_as_null`: a posting made remote loses its location.
#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = opportunities, treat_none_as_null = true)]
struct PostingFields<'a> {
    title: &'a str,
    description: &'a str,
    category: Category,
    skills: &'a str,
    hours: i32,
    fee_cents: i64,
    currency: &'a str,
    remote: bool,
    location: Option<&'a str>,
    apply_by: NaiveDate,
    due_by: NaiveDate,
    openings: i32,
    eligible_colleges: &'a str,
    eligible_majors: &'a str,
    eligible_class_years: &'a str,
}

impl<'a> From<&'a Posting> for PostingFields<'a> {
    fn from(p: &'a Posting) -> Self {
        PostingFields {
            title: &p.title,
            description: &p.description,
            category: p.category,
            skills: &p.skills,
            hours: p.hours,
            fee_cents: p.fee_cents,
            currency: &p.currency,
            remote: p.remote,
            location: p.location.as_deref(),
            apply_by: p.apply_by,
            due_by: p.due_by,
            openings: p.openings,
            eligible_colleges: &p.eligible_colleges,
            eligible_majors: &p.eligible_majors,
            eligible_class_years: &p.eligible_class_years,
        }
    }
}

fn lists_of<'a>(id: &'a OpportunityId, p: &'a Posting, at: NaiveDateTime) -> PostingLists<'a> {
    PostingLists {
        id,
        skills: &p.skills,
        colleges: &p.eligible_colleges,
        majors: &p.eligible_majors,
        class_years: &p.eligible_class_years,
        at,
    }
}

/// A posting within `scope` (another employer's: not found; students see postings in the
/// catalogue only).
pub fn posting(conn: &mut DbConnection, id: &OpportunityId, scope: &Scope) -> Result<PostingRow> {
    if scope.student().is_some() {
        return Err(Error::NotFound);
    }
    let mut q = opportunities::table.filter(opportunities::id.eq(id.clone())).into_boxed::<db::MultiBackend>();
    if let Some(e) = scope.employer() {
        q = q.filter(opportunities::employer_id.eq(e.clone()));
    }
    q.select(PostingRow::as_select()).first(conn).optional()?.ok_or(Error::NotFound)
}

/// A new draft for `employer_id` (by its recruiter, or by a counselor on its behalf).
pub fn create_posting(
    conn: &mut DbConnection,
    employer_id: &EmployerId,
    p: &Posting,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<OpportunityId> {
    db::transaction(conn, |conn| {
        employer_name(conn, employer_id)?;
        let id = OpportunityId::generate();
        insert_many(conn, &[NewPosting::draft(id.clone(), employer_id.clone(), p, actor.user_id().cloned(), now)])?;
        record(
            conn,
            now,
            actor,
            "posting.created",
            "opportunity",
            &id,
            serde_json::json!({ "employer_id": employer_id, "title": p.title }),
        )?;
        Ok(id.clone())
    })
}

/// Changes a draft (submitted, open or closed postings are not edited).
pub fn update_posting(conn: &mut DbConnection, id: &OpportunityId, p: &Posting, by: &Acting<'_>) -> Result<()> {
    let Acting { scope, actor, now, .. } = *by;
    db::transaction(conn, |conn| {
        lock(conn, "opportunities", id)?;
        let current = posting(conn, id, scope)?;
        if current.status != PostingStatus::Draft {
            return Err(Error::Conflict(format!(
                "only a draft can be edited; this posting is {}",
                current.status.as_str().replace('_', " ")
            )));
        }
        let changed = diesel::update(
            opportunities::table
                .filter(opportunities::id.eq(id))
                .filter(opportunities::status.eq(PostingStatus::Draft)),
        )
        .set((PostingFields::from(p), opportunities::updated_at.eq(now)))
        .execute(conn)?;
        if changed == 1 {
            write_tags(conn, &[lists_of(id, p, now)])?;
            record(conn, now, actor, "posting.edited", "opportunity", id, serde_json::json!({}))?;
        }
        Ok(())
    })
}

/// Moves a posting; `note` is the reason of a return or a cancellation.
pub fn move_posting(
    conn: &mut DbConnection,
    id: &OpportunityId,
    to: PostingStatus,
    note: &str,
    by: &Acting<'_>,
) -> Result<()> {
    use PostingStatus::*;
    let Acting { scope, actor, today, now } = *by;
    db::transaction(conn, |conn| {
        lock(conn, "opportunities", id)?;
        let p = posting(conn, id, scope)?;
        posting_move(p.status, to, scope.side())?;
        let note = note.trim();
        match to {
            PendingReview => {
                if !partnership_active(conn, &p.employer_id)? {
                    return Err(Error::Conflict(
                        "only an employer with an active partnership can submit postings".into(),
                    ));
                }
                if p.apply_by <= today {
                    return Err(Error::invalid("apply_by", "has passed: change the dates before submitting"));
                }
            }
            Open => {
                if p.apply_by <= today {
                    return Err(Error::Conflict(
                        "its apply-by date has passed: return it to the employer for new dates".into(),
                    ));
                }
                if !partnership_active(conn, &p.employer_id)? {
                    return Err(Error::Conflict("the employer's partnership is not active".into()));
                }
            }
            Draft if note.is_empty() => return Err(Error::invalid("reason", "say what the employer should change")),
            Cancelled if note.is_empty() => return Err(Error::invalid("reason", "give a reason for cancelling")),
            Closed => {
                return match close_posting(conn, id, CloseReason::ByHand(scope.side()), actor, now)? {
                    Some(_) => Ok(()),
                    None => Err(Error::Conflict("the posting changed meanwhile; reload and try again".into())),
                }
            }
            _ => {}
        }
        let moved = diesel::update(
            opportunities::table.filter(opportunities::id.eq(id)).filter(opportunities::status.eq(p.status)),
        )
        .set((opportunities::status.eq(to), opportunities::updated_at.eq(now)))
        .execute(conn)?;
        if moved != 1 {
            return Err(Error::Conflict("the posting changed meanwhile; reload and try again".into()));
        }
        let stamp = diesel::update(opportunities::table.find(id));
        match to {
            PendingReview => stamp
                .set((opportunities::submitted_at.eq(now), opportunities::review_note.eq(None::<String>)))
                .execute(conn)?,
            Open => stamp
                .set((opportunities::opened_at.eq(now), opportunities::review_note.eq(None::<String>)))
                .execute(conn)?,
            Draft => stamp
                .set((opportunities::review_note.eq(note), opportunities::submitted_at.eq(None::<NaiveDateTime>)))
                .execute(conn)?,
            _ => 0,
        };
        let link = format!("/workspace/postings/{id}");
        match to {
            PendingReview => {
                let office = office_users(conn)?;
                tell(
                    conn,
                    &office,
                    "posting_submitted",
                    format!("“{}” awaits review", p.title),
                    "An employer submitted a micro-internship for review.".into(),
                    "/review".into(),
                    now,
                )?;
            }
            Open => {
                let r = recruiter_users(conn, &p.employer_id)?;
                tell(
                    conn,
                    &r,
                    "posting_approved",
                    format!("“{}” is open", p.title),
                    "The career office approved your posting; students can apply now.".into(),
                    link,
                    now,
                )?;
            }
            Draft => {
                let r = recruiter_users(conn, &p.employer_id)?;
                tell(
                    conn,
                    &r,
                    "posting_returned",
                    format!("“{}” was returned", p.title),
                    format!("The career office asks for changes: {note}"),
                    link,
                    now,
                )?;
            }
            Cancelled => {
                for (application_id, user) in waiting_applicants(conn, id)? {
                    tell(
                        conn,
                        &[user],
                        "posting_cancelled",
                        format!("“{}” was cancelled", p.title),
                        format!("The project was cancelled: {note}"),
                        format!("/applications/{application_id}"),
                        now,
                    )?;
                }
            }
            Closed => {}
        }
        record(
            conn,
            now,
            actor,
            &format!("posting.{to}"),
            "opportunity",
            id,
            serde_json::json!({ "from": p.status, "note": note }),
        )?;
        Ok(())
    })
}

/// Closes an open posting: the one way a posting stops taking applications, whatever the
/// reason (its apply-by date, its openings filled, its partnership paused or ended, by
/// hand). In the caller's transaction it takes the posting's row lock, applies the state
/// machine (`open → closed` by the reason's side), moves it only from the state it read,
/// tells the applicants still waiting (and, when the date passed, the employer's
/// recruiters), and records `posting.closed` with the reason. A posting that is not open
/// is left untouched (`None`); otherwise the number of applicants told.
pub fn close_posting(
    conn: &mut DbConnection,
    id: &OpportunityId,
    why: CloseReason,
    actor: &Actor,
    now: NaiveDateTime,
) -> QueryResult<Option<usize>> {
    lock(conn, "opportunities", id)?;
    let Some((status, employer_id, title)) = opportunities::table
        .find(id)
        .select((opportunities::status, opportunities::employer_id, opportunities::title))
        .first::<(PostingStatus, EmployerId, String)>(conn)
        .optional()?
    else {
        return Ok(None);
    };
    if posting_move(status, PostingStatus::Closed, why.side()).is_err() {
        return Ok(None);
    }
    let moved =
        diesel::update(opportunities::table.filter(opportunities::id.eq(id)).filter(opportunities::status.eq(status)))
            .set((
                opportunities::status.eq(PostingStatus::Closed),
                opportunities::closed_at.eq(now),
                opportunities::updated_at.eq(now),
            ))
            .execute(conn)?;
    if moved != 1 {
        return Ok(None);
    }
    let employer: String = employers::table.find(&employer_id).select(employers::name).first(conn)?;
    let (headline, body) = match why {
        CloseReason::ApplyByPassed => (
            format!("Applications to “{title}” are closed"),
            "The apply-by date passed. The employer is now choosing among the applicants.".to_owned(),
        ),
        CloseReason::OpeningsFilled => (
            format!("“{title}” is filled"),
            "All openings of this project are taken, so it no longer takes applications. Your application is kept on record.".to_owned(),
        ),
        CloseReason::PartnershipPaused | CloseReason::PartnershipEnded => (
            format!("“{title}” is closed"),
            format!(
                "{employer} {} its partnership with the career office, so this posting no longer takes applications. \
                 Your application is kept on record; the career office can suggest similar projects.",
                if why == CloseReason::PartnershipPaused { "paused" } else { "ended" }
            ),
        ),
        CloseReason::ByHand(_) => (
            format!("Applications to “{title}” are closed"),
            "The posting no longer takes applications. The employer is choosing among the applicants.".to_owned(),
        ),
    };
    let waiting = waiting_applicants(conn, id)?;
    for (application_id, user) in &waiting {
        tell(
            conn,
            std::slice::from_ref(user),
            "posting_closed",
            headline.clone(),
            body.clone(),
            format!("/applications/{application_id}"),
            now,
        )?;
    }
    if why == CloseReason::ApplyByPassed {
        let r = recruiter_users(conn, &employer_id)?;
        tell(
            conn,
            &r,
            "posting_closed",
            format!("Applications to “{title}” are closed"),
            "The apply-by date passed. Select among the applicants.".into(),
            format!("/workspace/postings/{id}"),
            now,
        )?;
    }
    record(
        conn,
        now,
        actor,
        "posting.closed",
        "opportunity",
        id,
        serde_json::json!({ "from": status, "why": why.code(), "applicants_told": waiting.len() }),
    )?;
    Ok(Some(waiting.len()))
}

/// The periodic close: open postings whose apply-by date has passed. Idempotent (a
/// closed posting is not touched again), so several instances may run it.
pub fn close_expired(conn: &mut DbConnection, today: NaiveDate, now: NaiveDateTime) -> Result<usize> {
    db::transaction(conn, |conn| {
        // In id order, as every close of several postings locks them (no deadlock).
        let due: Vec<OpportunityId> = opportunities::table
            .filter(opportunities::status.eq(PostingStatus::Open))
            .filter(opportunities::apply_by.lt(today))
            .select(opportunities::id)
            .order(opportunities::id)
            .load(conn)?;
        let mut closed = 0;
        for id in due {
            if close_posting(conn, &id, CloseReason::ApplyByPassed, &Actor::System, now)?.is_some() {
                closed += 1;
            }
        }
        Ok(closed)
    })
}

// ---------------------------------------------------------------- reads for pages

/// The posting's page: the posting, its employer, and its applicants with what they
/// shared and the projects they started.
pub struct PostingDetail {
    pub posting: PostingRow,
    pub employer: String,
    /// A page of its applicants (the query's status and place).
    pub applicants: ApplicantsPage,
}

/// The posting's page within `scope`. A recruiter's look at the applicants (student
/// records) is audited (FERPA).
pub fn posting_detail(
    conn: &mut DbConnection,
    id: &OpportunityId,
    scope: &Scope,
    reader: &Actor,
    now: NaiveDateTime,
    which: &ApplicantsQuery,
) -> Result<PostingDetail> {
    let posting = posting(conn, id, scope)?;
    let employer = employer_name(conn, &posting.employer_id)?;
    let applicants = applicants_page(conn, id, which)?;
    if matches!(scope, Scope::Employer(_)) && !applicants.rows.is_empty() {
        record(
            conn,
            now,
            reader,
            "applicants.viewed",
            "opportunity",
            id,
            serde_json::json!({ "students": applicants.rows.len() }),
        )?;
    }
    let shown: Vec<_> = applicants.rows.iter().flat_map(|a| a.shared.iter().cloned()).collect();
    super::applications::audit_endorsement_reads(conn, scope, reader, &shown, now)?;
    Ok(PostingDetail { posting, employer, applicants })
}

/// A posting waiting for review, as the queue lists it.
#[derive(Debug, Queryable)]
pub struct Submitted {
    pub id: OpportunityId,
    pub title: String,
    pub employer: String,
    pub hours: i32,
    pub fee_cents: i64,
    pub currency: String,
    pub apply_by: NaiveDate,
    pub submitted_at: Option<NaiveDateTime>,
}

/// The postings waiting for review, oldest first.
pub fn review_queue(conn: &mut DbConnection) -> QueryResult<Vec<Submitted>> {
    opportunities::table
        .inner_join(employers::table)
        .filter(opportunities::status.eq(PostingStatus::PendingReview))
        .select((
            opportunities::id,
            opportunities::title,
            employers::name,
            opportunities::hours,
            opportunities::fee_cents,
            opportunities::currency,
            opportunities::apply_by,
            opportunities::submitted_at,
        ))
        .order((opportunities::submitted_at.asc(), opportunities::id))
        .load(conn)
}

/// The lists a posting's "who may apply" is chosen from: the colleges, majors and class
/// years of the roster (read through the schema: this area does not import `students`).
#[derive(Debug, Clone, Default)]
pub struct KnownLists {
    pub colleges: Vec<String>,
    pub majors: Vec<String>,
    pub class_years: Vec<i32>,
}

pub fn known_lists(conn: &mut DbConnection) -> QueryResult<KnownLists> {
    let colleges = students::table.select(students::college).distinct().order(students::college).load(conn)?;
    let majors = students::table.select(students::major).distinct().order(students::major).load(conn)?;
    let class_years = students::table.select(students::class_year).distinct().order(students::class_year).load(conn)?;
    Ok(KnownLists { colleges, majors, class_years })
}

/// A posting as a bulk writer adds it (the synthetic data set): every column bound, its
/// status and dates as the posting's history left them.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = opportunities, treat_none_as_default_value = false)]
pub struct NewPosting {
    pub id: OpportunityId,
    pub employer_id: EmployerId,
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
    pub status: PostingStatus,
    pub review_note: Option<String>,
    pub created_by: Option<crate::core::UserId>,
    pub submitted_at: Option<NaiveDateTime>,
    pub opened_at: Option<NaiveDateTime>,
    pub closed_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl NewPosting {
    /// A new draft: the lists as typed, nothing submitted, opened or closed yet.
    pub fn draft(
        id: OpportunityId,
        employer_id: EmployerId,
        p: &Posting,
        created_by: Option<crate::core::UserId>,
        now: NaiveDateTime,
    ) -> Self {
        NewPosting {
            id,
            employer_id,
            title: p.title.clone(),
            description: p.description.clone(),
            category: p.category,
            skills: p.skills.clone(),
            hours: p.hours,
            fee_cents: p.fee_cents,
            currency: p.currency.clone(),
            remote: p.remote,
            location: p.location.clone(),
            apply_by: p.apply_by,
            due_by: p.due_by,
            openings: p.openings,
            eligible_colleges: p.eligible_colleges.clone(),
            eligible_majors: p.eligible_majors.clone(),
            eligible_class_years: p.eligible_class_years.clone(),
            status: PostingStatus::Draft,
            review_note: None,
            created_by,
            submitted_at: None,
            opened_at: None,
            closed_at: None,
            created_at: now,
            updated_at: now,
        }
    }
}

/// Adds postings, many per statement, with their tags (through the one writer of the tag
/// tables, as every path that sets a posting's lists does).
pub fn insert_many(conn: &mut DbConnection, rows: &[NewPosting]) -> QueryResult<usize> {
    let written = crate::db::batch::insert_rows!(conn, opportunities::table, rows, 25)?;
    let lists: Vec<PostingLists<'_>> = rows
        .iter()
        .map(|p| PostingLists {
            id: &p.id,
            skills: &p.skills,
            colleges: &p.eligible_colleges,
            majors: &p.eligible_majors,
            class_years: &p.eligible_class_years,
            at: p.updated_at,
        })
        .collect();
    write_tags(conn, &lists)?;
    Ok(written)
}
