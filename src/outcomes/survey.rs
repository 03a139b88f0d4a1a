//! The first-destination survey as stored: a counselor invites a class's graduates who
//! have no outcome yet (one invitation each, an inbox message and mail with a link of
//! their own), reminders go at most weekly until they answer, and an answer becomes an
//! outcome with source `survey` that waits for a counselor's confirmation. Only the
//! SHA-256 digest of each link's random token is kept. Also the cohort page's figures,
//! from the same rules as the first-destination report. No HTTP here.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::{exists, not};
use diesel::prelude::*;

use super::progress::known_since;
use super::rules::{counts_until, Category, Known, OutcomeDraft};
use super::store;
use crate::auth::tokens;
use crate::core::{Actor, Error};
use crate::db::schema::{outbox, outcomes, students, survey_invitations, survey_links};
use crate::db::{self, DbConnection};
use crate::notify::{self, mail, Message};

/// Reminders go at most this often, and only to graduates who have not answered.
pub const REMIND_EVERY_DAYS: i64 = 7;

/// The graduation terms of the class of Y that have begun by `today` (July of Y−1 to June
/// of Y, and no later than this month), as `YYYY-MM` bounds: the report's rule.
fn terms(class: i32, today: NaiveDate) -> (String, String) {
    let first = format!("{:04}-07", class - 1);
    let mut last = format!("{:04}-06", class);
    let this_month = today.format("%Y-%m").to_string();
    if this_month < last {
        last = this_month;
    }
    (first, last)
}

/// A graduate to write to: student id, their portal account (if they have signed in
/// once), roster email and name.
type Recipient = (String, Option<String>, String, String);

/// The class's graduates with no outcome at all and no invitation yet.
fn uninvited(conn: &mut DbConnection, class: i32, today: NaiveDate) -> QueryResult<Vec<Recipient>> {
    let (first, last) = terms(class, today);
    students::table
        .filter(students::graduation_term.ge(first))
        .filter(students::graduation_term.le(last))
        .filter(not(exists(outcomes::table.filter(outcomes::student_id.eq(students::id)))))
        .filter(not(exists(survey_invitations::table.filter(survey_invitations::student_id.eq(students::id)))))
        .order(students::id)
        .select((students::id, students::user_id, students::email, students::name))
        .load(conn)
}

/// How many graduates of the class the survey would go to now.
pub fn uninvited_count(conn: &mut DbConnection, class: i32, today: NaiveDate) -> QueryResult<i64> {
    let (first, last) = terms(class, today);
    students::table
        .filter(students::graduation_term.ge(first))
        .filter(students::graduation_term.le(last))
        .filter(not(exists(outcomes::table.filter(outcomes::student_id.eq(students::id)))))
        .filter(not(exists(survey_invitations::table.filter(survey_invitations::student_id.eq(students::id)))))
        .count()
        .get_result(conn)
}

/// The message of an invitation (`reminder` false) or a reminder, with its link.
fn message(name: &str, class: i32, link: &str, reminder: bool) -> Message<'static> {
    let (title, opening) = if reminder {
        (
            "A reminder: tell the career office where you are now".to_owned(),
            format!("{name}, the career office has not heard from you yet about life after graduating."),
        )
    } else {
        (
            "Where are you now? The career office's first-destination survey".to_owned(),
            format!("Congratulations on graduating with the class of {class}, {name}!"),
        )
    };
    Message {
        kind: "outcome_survey",
        title,
        body: format!(
            "{opening} Tell us what you are doing now: a job, further study, service, or still looking. \
             It takes two minutes, and only the career office sees your answer. Sign in with your campus \
             account to answer; the link is yours alone."
        ),
        link: Some(link.to_owned()),
    }
}

/// Writes one graduate's message: in their inbox with its mail when they have a portal
/// account, else a mail to their roster address (its link a full address under
/// `public_url` when known: with no notification, the mail sender cannot make it one).
fn tell(
    conn: &mut DbConnection,
    to: &Recipient,
    m: &Message<'_>,
    public_url: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let (_, user, email, _) = to;
    match user {
        Some(user) => notify::send(conn, user, m, now),
        None => {
            let path = m.link.as_deref().unwrap_or("/");
            let link = match public_url {
                Some(base) => format!("{}{path}", base.trim_end_matches('/')),
                None => path.to_owned(),
            };
            diesel::insert_into(outbox::table)
                .values((
                    outbox::id.eq(uuid::Uuid::new_v4().to_string()),
                    outbox::to_email.eq(email),
                    outbox::subject.eq(&m.title),
                    outbox::body.eq(mail::text(&m.body, Some(&link))),
                    outbox::next_attempt_at.eq(now),
                    outbox::created_at.eq(now),
                    outbox::updated_at.eq(now),
                ))
                .execute(conn)?;
            Ok(())
        }
    }
}

/// A new link to the invitation: the token goes in the message, its digest in the table.
fn new_link(conn: &mut DbConnection, invitation: &str, now: NaiveDateTime) -> QueryResult<String> {
    let token = tokens::random_token();
    diesel::insert_into(survey_links::table)
        .values((
            survey_links::id.eq(uuid::Uuid::new_v4().to_string()),
            survey_links::token_digest.eq(tokens::digest(&token)),
            survey_links::invitation_id.eq(invitation),
            survey_links::created_at.eq(now),
            survey_links::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(format!("/survey/{token}"))
}

/// Sends the survey to every graduate of the class who has no outcome and no invitation
/// yet, in one transaction (each invitation with its message and mail). Answers how many.
pub fn invite(
    conn: &mut DbConnection,
    actor: &Actor,
    class: i32,
    today: NaiveDate,
    now: NaiveDateTime,
    public_url: Option<&str>,
) -> Result<usize, Error> {
    db::transaction(conn, |c| {
        let recipients = uninvited(c, class, today)?;
        for to in &recipients {
            let id = uuid::Uuid::new_v4().to_string();
            diesel::insert_into(survey_invitations::table)
                .values((
                    survey_invitations::id.eq(&id),
                    survey_invitations::student_id.eq(&to.0),
                    survey_invitations::class_year.eq(class),
                    survey_invitations::invited_by.eq(actor.user_id()),
                    survey_invitations::invited_at.eq(now),
                    survey_invitations::last_sent_at.eq(now),
                    survey_invitations::created_at.eq(now),
                    survey_invitations::updated_at.eq(now),
                ))
                .execute(c)?;
            let link = new_link(c, &id, now)?;
            tell(c, to, &message(&to.3, class, &link, false), public_url, now)?;
        }
        if !recipients.is_empty() {
            crate::audit::record(
                c,
                crate::audit::Event {
                    actor,
                    action: "outcomes.survey_sent",
                    subject_type: "cohort",
                    subject_id: Some(&class.to_string()),
                    at: now,
                    ip: None,
                    details: serde_json::json!({ "class": class, "graduates": recipients.len() }),
                },
            )?;
        }
        Ok(recipients.len())
    })
}

/// Reminds the graduates whose last mail went a week ago or more and who have neither
/// answered nor an outcome since. Each reminder is claimed first by a conditional update
/// (`last_sent_at` still a week old, still unanswered), in the reminder's own transaction,
/// so two instances running at once never remind anyone twice in a week. A few hundred a
/// run; the periodic task takes the rest at its next run. Answers how many were sent.
pub fn remind_due(conn: &mut DbConnection, now: NaiveDateTime, public_url: Option<&str>) -> Result<usize, Error> {
    let cutoff = now - chrono::Duration::days(REMIND_EVERY_DAYS);
    let due: Vec<(String, i32, String, Option<String>, String, String)> = survey_invitations::table
        .inner_join(students::table)
        .filter(survey_invitations::answered_at.is_null())
        .filter(survey_invitations::last_sent_at.le(cutoff))
        .filter(not(exists(outcomes::table.filter(outcomes::student_id.eq(survey_invitations::student_id)))))
        .order(survey_invitations::last_sent_at)
        .limit(500)
        .select((
            survey_invitations::id,
            survey_invitations::class_year,
            students::id,
            students::user_id,
            students::email,
            students::name,
        ))
        .load(conn)?;
    let mut sent = 0;
    for (id, class, student, user, email, name) in due {
        let to: Recipient = (student, user, email, name);
        let done = db::transaction(conn, |c| -> Result<bool, Error> {
            let claimed = diesel::update(
                survey_invitations::table
                    .filter(survey_invitations::id.eq(&id))
                    .filter(survey_invitations::answered_at.is_null())
                    .filter(survey_invitations::last_sent_at.le(cutoff)),
            )
            .set((
                survey_invitations::last_sent_at.eq(now),
                survey_invitations::reminders.eq(survey_invitations::reminders + 1),
                survey_invitations::updated_at.eq(now),
            ))
            .execute(c)?;
            if claimed == 0 {
                return Ok(false);
            }
            let link = new_link(c, &id, now)?;
            tell(c, &to, &message(&to.3, class, &link, true), public_url, now)?;
            Ok(true)
        })?;
        sent += usize::from(done);
    }
    Ok(sent)
}

/// The invitation a link opens.
#[derive(Debug, Clone, Queryable)]
pub struct Invitation {
    pub id: String,
    pub student_id: String,
    pub class_year: i32,
    pub answered_at: Option<NaiveDateTime>,
}

/// The invitation of a link's token, if the token is one.
pub fn by_token(conn: &mut DbConnection, token: &str) -> QueryResult<Option<Invitation>> {
    survey_links::table
        .inner_join(survey_invitations::table)
        .filter(survey_links::token_digest.eq(tokens::digest(token)))
        .select((
            survey_invitations::id,
            survey_invitations::student_id,
            survey_invitations::class_year,
            survey_invitations::answered_at,
        ))
        .first(conn)
        .optional()
}

/// The invitation of a graduate, if they were invited.
pub fn of_student(conn: &mut DbConnection, student: &str) -> QueryResult<Option<Invitation>> {
    survey_invitations::table
        .filter(survey_invitations::student_id.eq(student))
        .select((
            survey_invitations::id,
            survey_invitations::student_id,
            survey_invitations::class_year,
            survey_invitations::answered_at,
        ))
        .first(conn)
        .optional()
}

/// Whether a survey waits for the graduate's answer (for their home).
pub fn waiting_for(conn: &mut DbConnection, student: &str) -> QueryResult<bool> {
    Ok(of_student(conn, student)?.is_some_and(|i| i.answered_at.is_none()))
}

/// The graduate `student` answers their survey (`invitation`, found by their link or as
/// theirs): the answer is claimed (only an unanswered invitation takes one), then written
/// as an outcome with source `survey` awaiting confirmation, in one transaction. Someone
/// else's invitation is `NotFound`; an answered one a conflict, and nothing changes.
pub fn answer(
    conn: &mut DbConnection,
    actor: &Actor,
    invitation: &str,
    student: &str,
    d: &OutcomeDraft,
    now: NaiveDateTime,
) -> Result<(), Error> {
    db::transaction(conn, |c| {
        let inv = of_student(c, student)?.filter(|i| i.id == invitation).ok_or(Error::NotFound)?;
        let claimed = diesel::update(
            survey_invitations::table
                .filter(survey_invitations::id.eq(&inv.id))
                .filter(survey_invitations::answered_at.is_null()),
        )
        .set((survey_invitations::answered_at.eq(now), survey_invitations::updated_at.eq(now)))
        .execute(c)?;
        if claimed == 0 {
            return Err(Error::Conflict("This survey has already been answered.".into()));
        }
        let outcome = store::record_survey_answer(c, actor, student, d, now)?;
        diesel::update(survey_invitations::table.filter(survey_invitations::id.eq(&inv.id)))
            .set(survey_invitations::outcome_id.eq(&outcome.id))
            .execute(c)?;
        Ok(())
    })
}

/// A survey answer waiting for a counselor, for the cohort page.
#[derive(Debug, Clone, Queryable, serde::Serialize)]
pub struct Awaiting {
    pub student_id: String,
    pub name: String,
    pub category: String,
    pub answered_at: Option<NaiveDateTime>,
}

/// The survey's progress for a class.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct SurveyStatus {
    pub invited: i64,
    pub answered: i64,
    pub awaiting_confirmation: i64,
    /// Graduates with no outcome and no invitation: whom "Send the survey" would reach.
    pub can_invite: i64,
    /// The first answers waiting for confirmation, oldest first.
    pub awaiting: Vec<Awaiting>,
}

/// How many answers waiting for confirmation the cohort page lists.
const AWAITING_SHOWN: i64 = 50;

pub fn status(conn: &mut DbConnection, class: i32, today: NaiveDate) -> QueryResult<SurveyStatus> {
    let of_class = || survey_invitations::table.filter(survey_invitations::class_year.eq(class));
    let invited = of_class().count().get_result(conn)?;
    let answered = of_class().filter(survey_invitations::answered_at.is_not_null()).count().get_result(conn)?;
    let waiting = || {
        survey_invitations::table
            .inner_join(outcomes::table)
            .filter(survey_invitations::class_year.eq(class))
            .filter(outcomes::awaiting_confirmation.eq(true))
    };
    let awaiting_confirmation = waiting().count().get_result(conn)?;
    let awaiting = waiting()
        .inner_join(students::table.on(students::id.eq(survey_invitations::student_id)))
        .order((survey_invitations::answered_at, survey_invitations::id))
        .limit(AWAITING_SHOWN)
        .select((students::id, students::name, outcomes::category, survey_invitations::answered_at))
        .load::<Awaiting>(conn)?
        .into_iter()
        .map(|mut a| {
            a.category = a.category.parse::<Category>().map(|c| c.label().to_owned()).unwrap_or(a.category);
            a
        })
        .collect();
    let can_invite = uninvited_count(conn, class, today)?;
    Ok(SurveyStatus { invited, answered, awaiting_confirmation, can_invite, awaiting })
}

/// The class's figures as the report counts them: its graduates today, and the day each
/// known graduate became known (confirmed outcomes only). Read a page of students at a
/// time, each page's outcomes in one query.
pub fn known_days(conn: &mut DbConnection, class: i32, today: NaiveDate) -> QueryResult<(u64, Vec<NaiveDate>)> {
    const PAGE: i64 = 1000;
    let (first, last) = terms(class, today);
    let until = counts_until(class);
    let mut after = String::new();
    let (mut graduates, mut days) = (0u64, Vec::new());
    loop {
        let ids: Vec<String> = students::table
            .filter(students::graduation_term.ge(&first))
            .filter(students::graduation_term.le(&last))
            .filter(students::id.gt(&after))
            .order(students::id)
            .limit(PAGE)
            .select(students::id)
            .load(conn)?;
        let Some(last_id) = ids.last().cloned() else { break };
        let found: Vec<(String, String, bool, NaiveDate, NaiveDateTime)> = outcomes::table
            .filter(outcomes::student_id.eq_any(&ids))
            .filter(outcomes::known_on.le(until))
            .filter(outcomes::awaiting_confirmation.eq(false))
            .select((
                outcomes::student_id,
                outcomes::category,
                outcomes::is_primary,
                outcomes::known_on,
                outcomes::created_at,
            ))
            .load(conn)?;
        let mut by_student: HashMap<String, Vec<Known>> = HashMap::new();
        for (student, category, is_primary, known_on, created_at) in found {
            let Some(category) = Category::from_stored(&category) else { continue };
            by_student.entry(student).or_default().push(Known {
                category,
                is_primary,
                known_on,
                recorded_at: created_at.and_utc(),
            });
        }
        graduates += ids.len() as u64;
        days.extend(by_student.values().filter_map(|o| known_since(class, o)));
        after = last_id;
    }
    Ok((graduates, days))
}
