//! The lifecycle's changes. Each runs in one transaction: it locks the row it moves
//! (an UPDATE that touches it: a row lock on PostgreSQL, the write lock on SQLite), checks
//! the rules, moves it only from the state it was read in, and records notifications and
//! an audit event. A refused move changes nothing.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use super::rules::{
    application_move, eligibility, engagement_move, posting_move, skill_tags, CloseReason, Eligibility, Posting, Side,
    StudentFacts,
};
use crate::audit;
use crate::core::{Actor, EmployerId, Error, StudentId};
use crate::db::schema::{
    application_endorsements, applications, employers, endorsements, engagements, offers, opportunities,
    opportunity_class_years, opportunity_colleges, opportunity_majors, opportunity_skills, outcomes, partnerships,
    recruiters, students, user_roles, users,
};
use crate::db::{self, DbConnection};
use crate::notify::{self, Message};

/// A store function's answer: refusals are `Error::Conflict` (409, nothing changed),
/// bad input `Error::Invalid` naming the field (422), another side's records `NotFound`.
type Result<T> = std::result::Result<T, Error>;

/// Whose records a request may touch: a student's own, an employer's own (recruiters),
/// or everything (the career office).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    Student(StudentId),
    Employer(EmployerId),
    Office,
    /// Career-office staff who are also a student: the office on everyone else's records,
    /// the student on their own (they accept their own offer as a student; the office
    /// does not decide its own staff's applications).
    OfficeAndStudent(StudentId),
}

impl Scope {
    /// The side this scope plays in the state machines (on a record of its own student,
    /// resolve it first with [`Scope::on_record_of`]).
    pub fn side(&self) -> Side {
        match self {
            Scope::Student(_) => Side::Student,
            Scope::Employer(_) => Side::Recruiter,
            Scope::Office | Scope::OfficeAndStudent(_) => Side::Counselor,
        }
    }

    /// The scope on a record of student `student_id`.
    pub fn on_record_of(&self, student_id: &str) -> Scope {
        match self {
            Scope::OfficeAndStudent(me) if me == student_id => Scope::Student(me.clone()),
            Scope::OfficeAndStudent(_) => Scope::Office,
            other => other.clone(),
        }
    }
    fn employer(&self) -> Option<&str> {
        match self {
            Scope::Employer(e) => Some(e),
            _ => None,
        }
    }
    fn student(&self) -> Option<&str> {
        match self {
            Scope::Student(s) => Some(s),
            _ => None,
        }
    }
}

/// Who makes a change and when: the scope they act in, the actor the audit log names,
/// and one reading of the campus clock (its day and its instant) for the whole change.
#[derive(Debug, Clone, Copy)]
pub struct Acting<'a> {
    pub scope: &'a Scope,
    pub actor: &'a Actor,
    pub today: NaiveDate,
    pub now: NaiveDateTime,
}

/// Takes the row's lock for the rest of the transaction.
fn lock(conn: &mut DbConnection, table: &str, id: &str) -> QueryResult<usize> {
    let sql = format!("UPDATE {table} SET updated_at = updated_at WHERE id = {}", conn.placeholder(1));
    diesel::sql_query(sql).bind::<diesel::sql_types::Text, _>(id).execute(conn)
}

fn recruiter_users(conn: &mut DbConnection, employer_id: &str) -> QueryResult<Vec<String>> {
    recruiters::table
        .inner_join(users::table)
        .filter(recruiters::employer_id.eq(employer_id))
        .filter(users::disabled.eq(false))
        .select(users::id)
        .load(conn)
}

fn office_users(conn: &mut DbConnection) -> QueryResult<Vec<String>> {
    user_roles::table
        .inner_join(users::table.on(users::id.eq(user_roles::user_id)))
        .filter(user_roles::role.eq("counselor"))
        .filter(users::disabled.eq(false))
        .select(users::id)
        .distinct()
        .load(conn)
}

fn student_user(conn: &mut DbConnection, student_id: &str) -> QueryResult<Option<String>> {
    Ok(students::table.find(student_id).select(students::user_id).first::<Option<String>>(conn).optional()?.flatten())
}

fn tell(
    conn: &mut DbConnection,
    who: &[String],
    kind: &str,
    title: String,
    body: String,
    link: String,
    now: NaiveDateTime,
) -> QueryResult<()> {
    for user in who {
        notify::send(
            conn,
            user,
            &Message { kind, title: title.clone(), body: body.clone(), link: Some(link.clone()) },
            now,
        )?;
    }
    Ok(())
}

fn record(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    actor: &Actor,
    action: &str,
    subject_type: &str,
    id: &str,
    details: serde_json::Value,
) -> QueryResult<()> {
    audit::record(conn, audit::Event { actor, action, subject_type, subject_id: Some(id), ip: None, at: now, details })
}

// ---------------------------------------------------------------- postings

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = opportunities)]
pub struct PostingRow {
    pub id: String,
    pub employer_id: String,
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
    pub status: String,
    pub review_note: Option<String>,
}

/// The columns a posting's form sets, for both adding and changing a draft.
/// `treat_none_as_null`: a posting made remote loses its location.
#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = opportunities, treat_none_as_null = true)]
struct PostingFields<'a> {
    title: &'a str,
    description: &'a str,
    category: &'a str,
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
            category: &p.category,
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

/// A posting's lists as typed (comma-separated), for [`write_tags`].
#[derive(Debug, Clone, Copy)]
pub struct PostingLists<'a> {
    pub id: &'a str,
    pub skills: &'a str,
    pub colleges: &'a str,
    pub majors: &'a str,
    pub class_years: &'a str,
    /// When the lists were written (the tag rows' timestamps).
    pub at: NaiveDateTime,
}

impl<'a> PostingLists<'a> {
    fn of(id: &'a str, p: &'a Posting, at: NaiveDateTime) -> Self {
        PostingLists {
            id,
            skills: &p.skills,
            colleges: &p.eligible_colleges,
            majors: &p.eligible_majors,
            class_years: &p.eligible_class_years,
            at,
        }
    }
}

/// Rows per INSERT when tags are written in bulk (well inside both backends' bind limits).
const TAG_ROWS_PER_INSERT: usize = 200;

/// Writes postings' tags (skills, and the colleges, majors and class years each is open
/// to) in the normal form of the rules, replacing what was there. The one writer of the
/// tag tables that the catalogue matches exactly: every store function that sets a
/// posting's lists calls it in the same transaction, and the demo seed after loading.
pub fn write_tags(conn: &mut DbConnection, postings: &[PostingLists<'_>]) -> QueryResult<()> {
    for chunk in postings.chunks(TAG_ROWS_PER_INSERT) {
        let ids: Vec<&str> = chunk.iter().map(|p| p.id).collect();
        diesel::delete(opportunity_skills::table.filter(opportunity_skills::opportunity_id.eq_any(&ids)))
            .execute(conn)?;
        diesel::delete(opportunity_colleges::table.filter(opportunity_colleges::opportunity_id.eq_any(&ids)))
            .execute(conn)?;
        diesel::delete(opportunity_majors::table.filter(opportunity_majors::opportunity_id.eq_any(&ids)))
            .execute(conn)?;
        diesel::delete(opportunity_class_years::table.filter(opportunity_class_years::opportunity_id.eq_any(&ids)))
            .execute(conn)?;
    }
    let (mut skills, mut colleges, mut majors, mut years) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for p in postings {
        skills.extend(skill_tags(p.skills).into_iter().map(|t| (p, TagValue::Text(t))));
        let e = Eligibility::of_lists(p.colleges, p.majors, p.class_years);
        colleges.extend(e.colleges.into_iter().map(|t| (p, TagValue::Text(t))));
        majors.extend(e.majors.into_iter().map(|t| (p, TagValue::Text(t))));
        years.extend(e.class_years.into_iter().map(|y| (p, TagValue::Year(y))));
    }
    insert_tags(conn, "opportunity_skills", "skill", &skills)?;
    insert_tags(conn, "opportunity_colleges", "college", &colleges)?;
    insert_tags(conn, "opportunity_majors", "major", &majors)?;
    insert_tags(conn, "opportunity_class_years", "class_year", &years)?;
    Ok(())
}

enum TagValue {
    Text(String),
    Year(i32),
}

/// Inserts tag rows, many per statement (diesel's batch insert does not reach both
/// backends through one connection type, so the statement is written here).
fn insert_tags(
    conn: &mut DbConnection,
    table: &str,
    column: &str,
    rows: &[(&PostingLists<'_>, TagValue)],
) -> QueryResult<()> {
    use diesel::sql_types::{Integer, Text, Timestamp};
    for chunk in rows.chunks(TAG_ROWS_PER_INSERT) {
        let values: Vec<String> = (0..chunk.len())
            .map(|i| {
                let n = |k: usize| conn.placeholder(i * 4 + k);
                format!("({}, {}, {}, {}, {})", n(1), n(2), n(3), n(4), n(4))
            })
            .collect();
        let statement = format!(
            "INSERT INTO {table} (id, opportunity_id, {column}, created_at, updated_at) VALUES {}",
            values.join(", ")
        );
        let mut query = diesel::sql_query(statement).into_boxed::<db::MultiBackend>();
        for (posting, value) in chunk {
            query = query.bind::<Text, _>(uuid::Uuid::new_v4().to_string()).bind::<Text, _>(posting.id.to_owned());
            query = match value {
                TagValue::Text(t) => query.bind::<Text, _>(t.clone()),
                TagValue::Year(y) => query.bind::<Integer, _>(*y),
            };
            query = query.bind::<Timestamp, _>(posting.at);
        }
        query.execute(conn)?;
    }
    Ok(())
}

/// Writes the tags of postings that have none yet (postings loaded as rows, e.g. by the
/// demo seed), stamped with the posting's last change. Postings with tags are left alone,
/// so running it twice changes nothing.
pub fn write_missing_tags(conn: &mut DbConnection) -> QueryResult<usize> {
    use diesel::dsl::{exists, not};
    let rows: Vec<(String, String, String, String, String, NaiveDateTime)> = opportunities::table
        .filter(not(exists(opportunity_skills::table.filter(opportunity_skills::opportunity_id.eq(opportunities::id)))))
        .filter(not(exists(
            opportunity_colleges::table.filter(opportunity_colleges::opportunity_id.eq(opportunities::id)),
        )))
        .filter(not(exists(opportunity_majors::table.filter(opportunity_majors::opportunity_id.eq(opportunities::id)))))
        .filter(not(exists(
            opportunity_class_years::table.filter(opportunity_class_years::opportunity_id.eq(opportunities::id)),
        )))
        .select((
            opportunities::id,
            opportunities::skills,
            opportunities::eligible_colleges,
            opportunities::eligible_majors,
            opportunities::eligible_class_years,
            opportunities::updated_at,
        ))
        .load(conn)?;
    let lists: Vec<PostingLists<'_>> = rows
        .iter()
        .map(|(id, skills, colleges, majors, class_years, at)| PostingLists {
            id,
            skills,
            colleges,
            majors,
            class_years,
            at: *at,
        })
        .collect();
    write_tags(conn, &lists)?;
    Ok(lists.len())
}

/// A posting within `scope` (another employer's: not found).
pub fn posting(conn: &mut DbConnection, id: &str, scope: &Scope) -> Result<PostingRow> {
    let mut q = opportunities::table.filter(opportunities::id.eq(id.to_owned())).into_boxed::<db::MultiBackend>();
    if let Some(e) = scope.employer() {
        q = q.filter(opportunities::employer_id.eq(e.to_owned()));
    }
    if scope.student().is_some() {
        return Err(Error::NotFound);
    }
    q.select(PostingRow::as_select()).first(conn).optional()?.ok_or(Error::NotFound)
}

fn partnership_active(conn: &mut DbConnection, employer_id: &str) -> QueryResult<bool> {
    let n: i64 = partnerships::table
        .filter(partnerships::employer_id.eq(employer_id))
        .filter(partnerships::status.eq("active"))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// A new draft for `employer_id` (by its recruiter, or by a counselor on its behalf).
pub fn create_posting(
    conn: &mut DbConnection,
    employer_id: &str,
    p: &Posting,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<String> {
    db::transaction(conn, |conn| {
        employers::table
            .find(employer_id)
            .select(employers::id)
            .first::<String>(conn)
            .optional()?
            .ok_or(Error::NotFound)?;
        let id = uuid::Uuid::new_v4().to_string();
        diesel::insert_into(opportunities::table)
            .values((
                opportunities::id.eq(&id),
                opportunities::employer_id.eq(employer_id),
                PostingFields::from(p),
                opportunities::status.eq("draft"),
                opportunities::created_by.eq(match actor {
                    Actor::User { id, .. } => Some(id.clone()),
                    _ => None,
                }),
                opportunities::created_at.eq(now),
                opportunities::updated_at.eq(now),
            ))
            .execute(conn)?;
        write_tags(conn, &[PostingLists::of(&id, p, now)])?;
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
pub fn update_posting(conn: &mut DbConnection, id: &str, p: &Posting, by: &Acting<'_>) -> Result<()> {
    let Acting { scope, actor, now, .. } = *by;
    db::transaction(conn, |conn| {
        lock(conn, "opportunities", id)?;
        let current = posting(conn, id, scope)?;
        if current.status != "draft" {
            return Err(Error::Conflict(format!(
                "only a draft can be edited; this posting is {}",
                current.status.replace('_', " ")
            )));
        }
        let changed = diesel::update(
            opportunities::table.filter(opportunities::id.eq(id)).filter(opportunities::status.eq("draft")),
        )
        .set((PostingFields::from(p), opportunities::updated_at.eq(now)))
        .execute(conn)?;
        if changed == 1 {
            write_tags(conn, &[PostingLists::of(id, p, now)])?;
            record(conn, now, actor, "posting.edited", "opportunity", id, serde_json::json!({}))?;
        }
        Ok(())
    })
}

/// Moves a posting; `note` is the reason of a return or a cancellation.
pub fn move_posting(conn: &mut DbConnection, id: &str, to: &str, note: &str, by: &Acting<'_>) -> Result<()> {
    let Acting { scope, actor, today, now } = *by;
    db::transaction(conn, |conn| {
        lock(conn, "opportunities", id)?;
        let p = posting(conn, id, scope)?;
        posting_move(&p.status, to, scope.side())?;
        let note = note.trim();
        match to {
            "pending_review" => {
                if !partnership_active(conn, &p.employer_id)? {
                    return Err(Error::Conflict(
                        "only an employer with an active partnership can submit postings".into(),
                    ));
                }
                if p.apply_by <= today {
                    return Err(Error::invalid("apply_by", "has passed: change the dates before submitting"));
                }
            }
            "open" => {
                if p.apply_by <= today {
                    return Err(Error::Conflict(
                        "its apply-by date has passed: return it to the employer for new dates".into(),
                    ));
                }
                if !partnership_active(conn, &p.employer_id)? {
                    return Err(Error::Conflict("the employer's partnership is not active".into()));
                }
            }
            "draft" if note.is_empty() => return Err(Error::invalid("reason", "say what the employer should change")),
            "cancelled" if note.is_empty() => return Err(Error::invalid("reason", "give a reason for cancelling")),
            "closed" => {
                return match close_posting(conn, id, CloseReason::ByHand(scope.side()), actor, now)? {
                    Some(_) => Ok(()),
                    None => Err(Error::Conflict("the posting changed meanwhile; reload and try again".into())),
                }
            }
            _ => {}
        }
        let moved = diesel::update(
            opportunities::table.filter(opportunities::id.eq(id)).filter(opportunities::status.eq(&p.status)),
        )
        .set((opportunities::status.eq(to), opportunities::updated_at.eq(now)))
        .execute(conn)?;
        if moved != 1 {
            return Err(Error::Conflict("the posting changed meanwhile; reload and try again".into()));
        }
        let stamp = diesel::update(opportunities::table.find(id));
        match to {
            "pending_review" => stamp
                .set((opportunities::submitted_at.eq(now), opportunities::review_note.eq(None::<String>)))
                .execute(conn)?,
            "open" => stamp
                .set((opportunities::opened_at.eq(now), opportunities::review_note.eq(None::<String>)))
                .execute(conn)?,
            "draft" => stamp
                .set((opportunities::review_note.eq(note), opportunities::submitted_at.eq(None::<NaiveDateTime>)))
                .execute(conn)?,
            _ => 0,
        };
        let link = format!("/workspace/postings/{id}");
        match to {
            "pending_review" => {
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
            "open" => {
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
            "draft" => {
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
            "cancelled" => {
                let waiting = waiting_applicants(conn, id)?;
                for (application_id, user) in waiting {
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
            _ => {}
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

fn waiting_applicants(conn: &mut DbConnection, posting_id: &str) -> QueryResult<Vec<(String, String)>> {
    applications::table
        .inner_join(students::table)
        .filter(applications::opportunity_id.eq(posting_id))
        .filter(applications::status.eq_any(["submitted", "shortlisted", "offered"]))
        .filter(students::user_id.is_not_null())
        .select((applications::id, students::user_id.assume_not_null()))
        .load(conn)
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
    id: &str,
    why: CloseReason,
    actor: &Actor,
    now: NaiveDateTime,
) -> QueryResult<Option<usize>> {
    lock(conn, "opportunities", id)?;
    let Some((status, employer_id, title)) = opportunities::table
        .find(id)
        .select((opportunities::status, opportunities::employer_id, opportunities::title))
        .first::<(String, String, String)>(conn)
        .optional()?
    else {
        return Ok(None);
    };
    if posting_move(&status, "closed", why.side()).is_err() {
        return Ok(None);
    }
    let moved =
        diesel::update(opportunities::table.filter(opportunities::id.eq(id)).filter(opportunities::status.eq(&status)))
            .set((
                opportunities::status.eq("closed"),
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
        let due: Vec<String> = opportunities::table
            .filter(opportunities::status.eq("open"))
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

// ---------------------------------------------------------------- applications

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = applications)]
pub struct ApplicationRow {
    pub id: String,
    pub opportunity_id: String,
    pub student_id: String,
    pub statement: String,
    pub status: String,
    pub decision_message: Option<String>,
}

/// An application within `scope`: the student's own, or one to the employer's posting.
pub fn application(conn: &mut DbConnection, id: &str, scope: &Scope) -> Result<(ApplicationRow, PostingRow)> {
    let row: ApplicationRow = applications::table
        .find(id)
        .select(ApplicationRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(Error::NotFound)?;
    let p: PostingRow = opportunities::table.find(&row.opportunity_id).select(PostingRow::as_select()).first(conn)?;
    let visible = match scope {
        Scope::Student(s) => *s == row.student_id,
        Scope::Employer(e) => *e == p.employer_id,
        Scope::Office | Scope::OfficeAndStudent(_) => true,
    };
    if visible {
        Ok((row, p))
    } else {
        Err(Error::NotFound)
    }
}

/// An endorsement as the employer sees it on an application.
#[derive(Debug, Clone, Serialize, Queryable)]
pub struct SharedEndorsement {
    pub application_id: String,
    pub faculty: String,
    pub title: String,
    pub relationship: String,
    pub skills: String,
    pub statement: String,
}

/// The endorsements shared with the employer on these applications: only those the
/// student ticked when applying, and none that its author has revoked. Every page that
/// shows endorsements to an employer reads them here, so a revocation hides one at once,
/// everywhere.
pub fn shared_endorsements(conn: &mut DbConnection, application_ids: &[String]) -> QueryResult<Vec<SharedEndorsement>> {
    use crate::db::schema::faculty;
    application_endorsements::table
        .inner_join(endorsements::table.inner_join(faculty::table.inner_join(users::table)))
        .filter(application_endorsements::application_id.eq_any(application_ids))
        .filter(endorsements::revoked_at.is_null())
        .select((
            application_endorsements::application_id,
            users::display_name,
            faculty::title,
            endorsements::relationship,
            endorsements::skills,
            endorsements::statement,
        ))
        .order((application_endorsements::application_id, endorsements::created_at, endorsements::id))
        .load(conn)
}

/// Who applies: their roster record, and the signed-in person acting (with their
/// client address, for the audit log).
pub struct Applicant<'a> {
    pub student_id: &'a str,
    pub actor: &'a Actor,
}

/// A student applies, sharing the endorsements they chose with this employer.
pub fn apply(
    conn: &mut DbConnection,
    posting_id: &str,
    applicant: Applicant<'_>,
    statement: &str,
    shared: &[String],
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<String> {
    let Applicant { student_id, actor } = applicant;
    let statement = statement.trim();
    if statement.is_empty() {
        return Err(Error::invalid("statement", "say in a few sentences why you fit this project"));
    }
    if statement.chars().count() > 3000 {
        return Err(Error::invalid("statement", "is longer than 3000 characters"));
    }
    db::transaction(conn, |conn| {
        lock(conn, "opportunities", posting_id)?;
        let p: PostingRow = opportunities::table
            .find(posting_id)
            .select(PostingRow::as_select())
            .first(conn)
            .optional()?
            .ok_or(Error::NotFound)?;
        if p.status != "open" || p.apply_by < today || !partnership_active(conn, &p.employer_id)? {
            return Err(Error::Conflict("this project no longer takes applications".into()));
        }
        let (college, major, class_year): (String, String, i32) = students::table
            .find(student_id)
            .select((students::college, students::major, students::class_year))
            .first(conn)?;
        let me = StudentFacts { college, major, class_year };
        eligibility(&p.eligible_colleges, &p.eligible_majors, &p.eligible_class_years, &me)
            .map_err(|why| Error::invalid("eligibility", why))?;
        let already: i64 = applications::table
            .filter(applications::opportunity_id.eq(posting_id))
            .filter(applications::student_id.eq(student_id))
            .count()
            .get_result(conn)?;
        if already > 0 {
            return Err(Error::Conflict("you have already applied to this project".into()));
        }
        let mine: Vec<String> = endorsements::table
            .filter(endorsements::student_id.eq(student_id))
            .filter(endorsements::revoked_at.is_null())
            .filter(endorsements::id.eq_any(shared))
            .select(endorsements::id)
            .load(conn)?;
        if mine.len() != shared.len() {
            return Err(Error::invalid("endorsements", "share only your own, current endorsements"));
        }
        let id = uuid::Uuid::new_v4().to_string();
        diesel::insert_into(applications::table)
            .values((
                applications::id.eq(&id),
                applications::opportunity_id.eq(posting_id),
                applications::student_id.eq(student_id),
                applications::statement.eq(statement),
                applications::status.eq("submitted"),
                applications::created_at.eq(now),
                applications::updated_at.eq(now),
            ))
            .execute(conn)?;
        for e in &mine {
            diesel::insert_into(application_endorsements::table)
                .values((
                    application_endorsements::id.eq(uuid::Uuid::new_v4().to_string()),
                    application_endorsements::application_id.eq(&id),
                    application_endorsements::endorsement_id.eq(e),
                    application_endorsements::created_at.eq(now),
                    application_endorsements::updated_at.eq(now),
                ))
                .execute(conn)?;
        }
        let r = recruiter_users(conn, &p.employer_id)?;
        tell(
            conn,
            &r,
            "application_received",
            format!("A new application to “{}”", p.title),
            "A student applied. Review the applicants.".into(),
            format!("/workspace/postings/{posting_id}"),
            now,
        )?;
        record(
            conn,
            now,
            actor,
            "application.submitted",
            "application",
            &id,
            serde_json::json!({ "opportunity_id": posting_id, "shared_endorsements": mine.len() }),
        )?;
        Ok(id.clone())
    })
}

/// Moves an application. Accepting takes a free opening (refused when none is left),
/// starts the engagement, and closes the posting when its openings are filled.
pub fn move_application(
    conn: &mut DbConnection,
    id: &str,
    to: &str,
    message: &str,
    by: &Acting<'_>,
) -> Result<Option<String>> {
    let Acting { scope, actor, today, now } = *by;
    db::transaction(conn, |conn| {
        let (row, p) = application(conn, id, scope)?;
        let scope = &scope.on_record_of(&row.student_id);
        application_move(&row.status, to, scope.side())?;
        // Accepting competes for openings: lock the posting first, then count.
        lock(conn, "opportunities", &p.id)?;
        lock(conn, "applications", id)?;
        if to == "accepted" {
            let taken: i64 = applications::table
                .filter(applications::opportunity_id.eq(&p.id))
                .filter(applications::status.eq("accepted"))
                .count()
                .get_result(conn)?;
            if taken >= i64::from(p.openings) {
                return Err(Error::Conflict("all openings of this project are filled".into()));
            }
        }
        let message = Some(message.trim().to_owned()).filter(|m| !m.is_empty());
        let moved = diesel::update(
            applications::table.filter(applications::id.eq(id)).filter(applications::status.eq(&row.status)),
        )
        .set((
            applications::status.eq(to),
            applications::decision_message.eq(&message),
            applications::decided_at.eq(now),
            applications::updated_at.eq(now),
        ))
        .execute(conn)?;
        if moved != 1 {
            return Err(Error::Conflict("the application changed meanwhile; reload and try again".into()));
        }
        let mut engagement = None;
        let student = student_user(conn, &row.student_id)?;
        let recruiters_of = recruiter_users(conn, &p.employer_id)?;
        let link = format!("/applications/{id}");
        match to {
            "shortlisted" => tell(
                conn,
                &student.into_iter().collect::<Vec<_>>(),
                "application_shortlisted",
                format!("Shortlisted for “{}”", p.title),
                "The employer shortlisted your application.".into(),
                link,
                now,
            )?,
            "rejected" => tell(
                conn,
                &student.into_iter().collect::<Vec<_>>(),
                "application_rejected",
                format!("Not selected for “{}”", p.title),
                message.clone().unwrap_or_else(|| "The employer chose other applicants this time.".into()),
                link,
                now,
            )?,
            "offered" => tell(
                conn,
                &student.into_iter().collect::<Vec<_>>(),
                "application_offered",
                format!("An offer for “{}”", p.title),
                "The employer offers you the project: accept or decline it.".into(),
                link,
                now,
            )?,
            "accepted" => {
                let eid = uuid::Uuid::new_v4().to_string();
                diesel::insert_into(engagements::table)
                    .values((
                        engagements::id.eq(&eid),
                        engagements::application_id.eq(id),
                        engagements::opportunity_id.eq(&p.id),
                        engagements::student_id.eq(&row.student_id),
                        engagements::employer_id.eq(&p.employer_id),
                        engagements::status.eq("active"),
                        engagements::started_on.eq(today),
                        engagements::due_on.eq(p.due_by.max(today + chrono::Duration::days(1))),
                        engagements::created_at.eq(now),
                        engagements::updated_at.eq(now),
                    ))
                    .execute(conn)?;
                let taken: i64 = applications::table
                    .filter(applications::opportunity_id.eq(&p.id))
                    .filter(applications::status.eq("accepted"))
                    .count()
                    .get_result(conn)?;
                if taken >= i64::from(p.openings) {
                    close_posting(conn, &p.id, CloseReason::OpeningsFilled, actor, now)?;
                }
                tell(
                    conn,
                    &recruiters_of,
                    "offer_accepted",
                    format!("Offer accepted for “{}”", p.title),
                    "The student accepted: the project has started.".into(),
                    format!("/engagements/{eid}"),
                    now,
                )?;
                engagement = Some(eid);
            }
            "declined" => tell(
                conn,
                &recruiters_of,
                "offer_declined",
                format!("Offer declined for “{}”", p.title),
                "The student declined your offer.".into(),
                format!("/workspace/postings/{}", p.id),
                now,
            )?,
            "withdrawn" => tell(
                conn,
                &recruiters_of,
                "application_withdrawn",
                format!("An application to “{}” was withdrawn", p.title),
                "The student withdrew.".into(),
                format!("/workspace/postings/{}", p.id),
                now,
            )?,
            _ => {}
        }
        record(
            conn,
            now,
            actor,
            &format!("application.{to}"),
            "application",
            id,
            serde_json::json!({ "from": row.status, "opportunity_id": p.id }),
        )?;
        Ok(engagement)
    })
}

// ---------------------------------------------------------------- engagements

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = engagements)]
pub struct EngagementRow {
    pub id: String,
    pub application_id: String,
    pub opportunity_id: String,
    pub student_id: String,
    pub employer_id: String,
    pub status: String,
    pub started_on: NaiveDate,
    pub due_on: NaiveDate,
    pub deliverable_url: Option<String>,
    pub deliverable_note: Option<String>,
    pub submitted_on: Option<NaiveDate>,
    pub completed_on: Option<NaiveDate>,
    pub rating: Option<i32>,
    pub feedback: Option<String>,
    pub student_rating: Option<i32>,
    pub student_feedback: Option<String>,
    pub amount_paid_cents: Option<i64>,
    pub paid_on: Option<NaiveDate>,
    pub cancel_requested_by: Option<String>,
    pub cancel_reason: Option<String>,
}

pub fn engagement(conn: &mut DbConnection, id: &str, scope: &Scope) -> Result<EngagementRow> {
    let e: EngagementRow = engagements::table
        .find(id)
        .select(EngagementRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(Error::NotFound)?;
    let visible = match scope {
        Scope::Student(s) => *s == e.student_id,
        Scope::Employer(emp) => *emp == e.employer_id,
        Scope::Office | Scope::OfficeAndStudent(_) => true,
    };
    if visible {
        Ok(e)
    } else {
        Err(Error::NotFound)
    }
}

/// What a move of an engagement carries.
pub enum Step<'a> {
    Deliver { url: &'a str, note: &'a str },
    Complete { rating: i32, feedback: &'a str },
    AskRevision { request: &'a str },
    Cancel { reason: &'a str },
}

pub fn move_engagement(conn: &mut DbConnection, id: &str, step: Step<'_>, by: &Acting<'_>) -> Result<()> {
    let Acting { scope, actor, today, now } = *by;
    let to = match step {
        Step::Deliver { .. } => "submitted",
        Step::Complete { .. } => "completed",
        Step::AskRevision { .. } => "revision_requested",
        Step::Cancel { .. } => "cancelled",
    };
    db::transaction(conn, |conn| {
        lock(conn, "engagements", id)?;
        let e = engagement(conn, id, scope)?;
        let scope = &scope.on_record_of(&e.student_id);
        engagement_move(&e.status, to, scope.side())?;
        let title: String = opportunities::table.find(&e.opportunity_id).select(opportunities::title).first(conn)?;
        let q =
            diesel::update(engagements::table.filter(engagements::id.eq(id)).filter(engagements::status.eq(&e.status)));
        let moved = match &step {
            Step::Deliver { url, note } => {
                let parsed = url::Url::parse(url.trim())
                    .ok()
                    .filter(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some());
                if parsed.is_none() {
                    return Err(Error::invalid(
                        "deliverable_url",
                        "give a link to the work, like https://drive.example.edu/…",
                    ));
                }
                if note.chars().count() > 2000 {
                    return Err(Error::invalid("deliverable_note", "is longer than 2000 characters"));
                }
                q.set((
                    engagements::status.eq(to),
                    engagements::deliverable_url.eq(url.trim()),
                    engagements::deliverable_note.eq(note.trim()),
                    engagements::submitted_on.eq(today),
                    engagements::updated_at.eq(now),
                ))
                .execute(conn)?
            }
            Step::Complete { rating, feedback } => {
                if !(1..=5).contains(rating) {
                    return Err(Error::invalid("rating", "choose from 1 to 5"));
                }
                if feedback.trim().is_empty() {
                    return Err(Error::invalid("feedback", "write a few words of feedback for the student"));
                }
                q.set((
                    engagements::status.eq(to),
                    engagements::rating.eq(rating),
                    engagements::feedback.eq(feedback.trim()),
                    engagements::completed_on.eq(today),
                    engagements::updated_at.eq(now),
                ))
                .execute(conn)?
            }
            Step::AskRevision { request } => {
                if request.trim().is_empty() {
                    return Err(Error::invalid("feedback", "say what should change"));
                }
                q.set((
                    engagements::status.eq(to),
                    engagements::feedback.eq(request.trim()),
                    engagements::updated_at.eq(now),
                ))
                .execute(conn)?
            }
            Step::Cancel { reason } => {
                if reason.trim().is_empty() {
                    return Err(Error::invalid("reason", "give a reason for cancelling"));
                }
                q.set((
                    engagements::status.eq(to),
                    engagements::cancel_reason.eq(reason.trim()),
                    engagements::updated_at.eq(now),
                ))
                .execute(conn)?
            }
        };
        if moved != 1 {
            return Err(Error::Conflict("the project changed meanwhile; reload and try again".into()));
        }
        let link = format!("/engagements/{id}");
        let student: Vec<String> = student_user(conn, &e.student_id)?.into_iter().collect();
        let employer = recruiter_users(conn, &e.employer_id)?;
        match &step {
            Step::Deliver { .. } => tell(
                conn,
                &employer,
                "deliverable_submitted",
                format!("Deliverable for “{title}”"),
                "The student submitted the work: complete it with a rating, or ask for a revision.".into(),
                link,
                now,
            )?,
            Step::Complete { rating, .. } => tell(
                conn,
                &student,
                "engagement_completed",
                format!("“{title}” is complete"),
                format!("The employer rated your work {rating} of 5. Rate the experience too."),
                link,
                now,
            )?,
            Step::AskRevision { request } => tell(
                conn,
                &student,
                "revision_requested",
                format!("A revision for “{title}”"),
                format!("The employer asks: {}", request.trim()),
                link,
                now,
            )?,
            Step::Cancel { reason } => {
                let all: Vec<String> = student.iter().chain(employer.iter()).cloned().collect();
                tell(
                    conn,
                    &all,
                    "engagement_cancelled",
                    format!("“{title}” was cancelled"),
                    format!("The career office cancelled the project: {}", reason.trim()),
                    link,
                    now,
                )?
            }
        }
        record(
            conn,
            now,
            actor,
            &format!("engagement.{to}"),
            "engagement",
            id,
            serde_json::json!({ "from": e.status }),
        )?;
        Ok(())
    })
}

/// Either side asks the office to cancel an active project.
pub fn request_cancel(conn: &mut DbConnection, id: &str, reason: &str, by: &Acting<'_>) -> Result<()> {
    let Acting { scope, actor, now, .. } = *by;
    if reason.trim().is_empty() {
        return Err(Error::invalid("reason", "say why the project should be cancelled"));
    }
    db::transaction(conn, |conn| {
        lock(conn, "engagements", id)?;
        let e = engagement(conn, id, scope)?;
        if e.status != "active" {
            return Err(Error::Conflict("only an active project can be cancelled".into()));
        }
        let who = match actor {
            Actor::User { id, .. } => Some(id.clone()),
            _ => None,
        };
        diesel::update(engagements::table.find(id))
            .set((
                engagements::cancel_requested_by.eq(who),
                engagements::cancel_reason.eq(reason.trim()),
                engagements::updated_at.eq(now),
            ))
            .execute(conn)?;
        let office = office_users(conn)?;
        tell(
            conn,
            &office,
            "cancel_requested",
            "A project cancellation is requested".into(),
            reason.trim().to_owned(),
            format!("/engagements/{id}"),
            now,
        )?;
        record(
            conn,
            now,
            actor,
            "engagement.cancel_requested",
            "engagement",
            id,
            serde_json::json!({ "reason": reason.trim() }),
        )?;
        Ok(())
    })
}

/// The student's rating of the experience, once, after completion.
pub fn rate_experience(conn: &mut DbConnection, id: &str, rating: i32, feedback: &str, by: &Acting<'_>) -> Result<()> {
    let Acting { scope, actor, now, .. } = *by;
    db::transaction(conn, |conn| {
        lock(conn, "engagements", id)?;
        let e = engagement(conn, id, scope)?;
        let scope = &scope.on_record_of(&e.student_id);
        if scope.student().is_none() {
            return Err(Error::NotFound);
        }
        if e.status != "completed" {
            return Err(Error::Conflict("rate the experience once the project is completed".into()));
        }
        if e.student_rating.is_some() {
            return Err(Error::Conflict("you already rated this project".into()));
        }
        if !(1..=5).contains(&rating) {
            return Err(Error::invalid("rating", "choose from 1 to 5"));
        }
        diesel::update(engagements::table.filter(engagements::id.eq(id)).filter(engagements::student_rating.is_null()))
            .set((
                engagements::student_rating.eq(rating),
                engagements::student_feedback.eq(feedback.trim()),
                engagements::updated_at.eq(now),
            ))
            .execute(conn)?;
        record(
            conn,
            now,
            actor,
            "engagement.rated_by_student",
            "engagement",
            id,
            serde_json::json!({ "rating": rating }),
        )?;
        Ok(())
    })
}

/// The payment of a completed project, recorded once by its employer or the office.
pub fn record_payment(
    conn: &mut DbConnection,
    id: &str,
    amount_cents: i64,
    paid_on: NaiveDate,
    by: &Acting<'_>,
) -> Result<()> {
    let Acting { scope, actor, today, now } = *by;
    db::transaction(conn, |conn| {
        lock(conn, "engagements", id)?;
        let e = engagement(conn, id, scope)?;
        let scope = &scope.on_record_of(&e.student_id);
        if scope.student().is_some() {
            return Err(Error::NotFound);
        }
        if e.status != "completed" {
            return Err(Error::Conflict("payment is recorded for completed projects".into()));
        }
        if e.paid_on.is_some() {
            return Err(Error::Conflict("the payment is already recorded".into()));
        }
        if amount_cents <= 0 {
            return Err(Error::invalid("amount", "must be more than zero"));
        }
        if paid_on > today || Some(paid_on) < e.completed_on.map(|d| d - chrono::Duration::days(60)) {
            return Err(Error::invalid("paid_on", "must be a date of payment, not in the future"));
        }
        diesel::update(engagements::table.filter(engagements::id.eq(id)).filter(engagements::paid_on.is_null()))
            .set((
                engagements::amount_paid_cents.eq(amount_cents),
                engagements::paid_on.eq(paid_on),
                engagements::updated_at.eq(now),
            ))
            .execute(conn)?;
        let student: Vec<String> = student_user(conn, &e.student_id)?.into_iter().collect();
        tell(
            conn,
            &student,
            "payment_recorded",
            "Payment recorded".into(),
            format!(
                "The employer recorded a payment of {} on {}.",
                crate::core::money::display(amount_cents),
                crate::core::clock::format_date(paid_on)
            ),
            format!("/engagements/{id}"),
            now,
        )?;
        record(
            conn,
            now,
            actor,
            "engagement.paid",
            "engagement",
            id,
            serde_json::json!({ "amount_cents": amount_cents, "paid_on": paid_on }),
        )?;
        Ok(())
    })
}

// ---------------------------------------------------------------- offers (conversion)

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = offers)]
pub struct OfferRow {
    pub id: String,
    pub engagement_id: String,
    pub employer_id: String,
    pub student_id: String,
    pub kind: String,
    pub job_title: String,
    pub offer_on: NaiveDate,
    pub status: String,
    pub decided_on: Option<NaiveDate>,
    pub outcome_id: Option<String>,
}

pub fn make_offer(
    conn: &mut DbConnection,
    engagement_id: &str,
    kind: &str,
    job_title: &str,
    offer_on: NaiveDate,
    by: &Acting<'_>,
) -> Result<String> {
    let Acting { scope, actor, today, now } = *by;
    if !matches!(kind, "internship" | "full_time" | "part_time") {
        return Err(Error::invalid("kind", "choose internship, full-time or part-time"));
    }
    if job_title.trim().is_empty() || job_title.chars().count() > 200 {
        return Err(Error::invalid("job_title", "is required (up to 200 characters)"));
    }
    db::transaction(conn, |conn| {
        lock(conn, "engagements", engagement_id)?;
        let e = engagement(conn, engagement_id, scope)?;
        let scope = &scope.on_record_of(&e.student_id);
        if scope.student().is_some() {
            return Err(Error::NotFound);
        }
        if e.status != "completed" {
            return Err(Error::Conflict("an offer is recorded from a completed project".into()));
        }
        if offer_on > today || e.completed_on.is_some_and(|c| offer_on < c) {
            return Err(Error::invalid("offer_on", "must be on or after the completion date, and not in the future"));
        }
        let id = uuid::Uuid::new_v4().to_string();
        diesel::insert_into(offers::table)
            .values((
                offers::id.eq(&id),
                offers::engagement_id.eq(engagement_id),
                offers::employer_id.eq(&e.employer_id),
                offers::student_id.eq(&e.student_id),
                offers::kind.eq(kind),
                offers::job_title.eq(job_title.trim()),
                offers::offer_on.eq(offer_on),
                offers::status.eq("extended"),
                offers::created_at.eq(now),
                offers::updated_at.eq(now),
            ))
            .execute(conn)?;
        let student: Vec<String> = student_user(conn, &e.student_id)?.into_iter().collect();
        tell(
            conn,
            &student,
            "job_offer",
            format!("An offer: {}", job_title.trim()),
            "After your project, the employer made you an offer.".into(),
            format!("/engagements/{engagement_id}"),
            now,
        )?;
        record(
            conn,
            now,
            actor,
            "offer.extended",
            "offer",
            &id,
            serde_json::json!({ "engagement_id": engagement_id, "kind": kind }),
        )?;
        Ok(id.clone())
    })
}

/// The offer's answer. An accepted offer becomes an outcome (source `conversion`) linked
/// to the engagement: it counts in the conversion and placement reports.
pub fn decide_offer(
    conn: &mut DbConnection,
    offer_id: &str,
    accepted: bool,
    decided_on: NaiveDate,
    by: &Acting<'_>,
) -> Result<()> {
    let Acting { scope, actor, today, now } = *by;
    db::transaction(conn, |conn| {
        lock(conn, "offers", offer_id)?;
        let o: OfferRow = offers::table
            .find(offer_id)
            .select(OfferRow::as_select())
            .first(conn)
            .optional()?
            .ok_or(Error::NotFound)?;
        let visible = match scope {
            Scope::Student(s) => *s == o.student_id,
            Scope::Employer(e) => *e == o.employer_id,
            Scope::Office | Scope::OfficeAndStudent(_) => true,
        };
        if !visible {
            return Err(Error::NotFound);
        }
        if o.status != "extended" {
            return Err(Error::Conflict(format!("the offer is already {}", o.status)));
        }
        if decided_on > today || decided_on < o.offer_on {
            return Err(Error::invalid("decided_on", "must be between the offer date and today"));
        }
        let to = if accepted { "accepted" } else { "declined" };
        let moved = diesel::update(offers::table.filter(offers::id.eq(offer_id)).filter(offers::status.eq("extended")))
            .set((offers::status.eq(to), offers::decided_on.eq(decided_on), offers::updated_at.eq(now)))
            .execute(conn)?;
        if moved != 1 {
            return Err(Error::Conflict("the offer changed meanwhile".into()));
        }
        if accepted {
            let employer_name: String = employers::table.find(&o.employer_id).select(employers::name).first(conn)?;
            let term: String = students::table.find(&o.student_id).select(students::graduation_term).first(conn)?;
            // A graduate's first destination; a current student's job or internship is kept
            // as a placement that does not replace a future first-destination record.
            // Terms are `YYYY-MM`, so they compare as text.
            let graduated = term.as_str() <= today.format("%Y-%m").to_string().as_str();
            let (category, employment_type) = match (o.kind.as_str(), graduated) {
                ("full_time", _) => ("employed_full_time", "standard"),
                ("part_time", _) => ("employed_part_time", "standard"),
                (_, true) => ("employed_full_time", "postgrad_internship_fellowship"),
                (_, false) => ("employed_part_time", "temporary_contract"),
            };
            let has_primary: i64 = outcomes::table
                .filter(outcomes::student_id.eq(&o.student_id))
                .filter(outcomes::is_primary.eq(true))
                .count()
                .get_result(conn)?;
            let outcome_id = uuid::Uuid::new_v4().to_string();
            diesel::insert_into(outcomes::table)
                .values((
                    outcomes::id.eq(&outcome_id),
                    outcomes::student_id.eq(&o.student_id),
                    outcomes::category.eq(category),
                    outcomes::employer_id.eq(&o.employer_id),
                    outcomes::organization.eq(&employer_name),
                    outcomes::job_title.eq(&o.job_title),
                    outcomes::employment_type.eq(employment_type),
                    outcomes::source.eq("conversion"),
                    outcomes::is_primary.eq(graduated && has_primary == 0),
                    outcomes::offer_on.eq(o.offer_on),
                    outcomes::accepted_on.eq(decided_on),
                    outcomes::known_on.eq(decided_on),
                    outcomes::engagement_id.eq(&o.engagement_id),
                    outcomes::recorded_by.eq(match actor {
                        Actor::User { id, .. } => Some(id.clone()),
                        _ => None,
                    }),
                    outcomes::created_at.eq(now),
                    outcomes::updated_at.eq(now),
                ))
                .execute(conn)?;
            diesel::update(offers::table.find(offer_id)).set(offers::outcome_id.eq(&outcome_id)).execute(conn)?;
        }
        record(
            conn,
            now,
            actor,
            &format!("offer.{to}"),
            "offer",
            offer_id,
            serde_json::json!({ "engagement_id": o.engagement_id }),
        )?;
        Ok(())
    })
}
