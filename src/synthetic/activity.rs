//! Students at work: applications to postings and the projects (engagements) the
//! selected ones became.
//!
//! Students of the current classes apply; a few postings get most applicants (a skewed
//! choice by rank), each student applies once to a posting, and only to postings whose
//! college restriction admits them. The employer selects some applicants of each posting:
//! their applications are accepted and each became a project, in the state its dates
//! allow (projects due long ago are completed and mostly paid, or were cancelled while
//! active; recent ones are in progress or delivered). An open posting always keeps an
//! opening (a filled one would have closed); a closed one selected at most its openings.

use chrono::{Duration, NaiveDate};
use diesel::Connection;
use rand::rngs::StdRng;
use rand::Rng;

use super::catalogue::PostingFacts;
use super::people::CHUNK;
use super::plan::{self, Skew};
use super::{stream, uuid, Calendar, Report, World};
use crate::core::{ApplicationId, EngagementId, Error};
use crate::db::DbConnection;
use crate::opportunities::applications::{self, NewApplication};
use crate::opportunities::engagements::{self as engagement_store, NewEngagement};
use crate::opportunities::rules::{ApplicationStatus, EngagementStatus, PostingStatus};

/// Who applied to each posting and how many of them the employer selected.
#[derive(Debug, Default)]
pub(crate) struct Applicants {
    /// Per posting, its applicants (student indexes) in the order drawn.
    pub of: Vec<Vec<u32>>,
    /// Per posting, how many of its first applicants were selected.
    pub selected: Vec<usize>,
    /// Per posting, its openings.
    pub openings: Vec<i32>,
}

/// Decides every application and selection before a row is written (the postings'
/// openings depend on them).
pub(crate) fn plan_applicants(world: &World, seed: u64) -> Result<Applicants, Error> {
    let mut rng = stream(seed, 5);
    let postings = &world.catalogue.postings;
    let takers: Vec<usize> = (0..postings.len()).filter(|&p| postings[p].takes_applications()).collect();
    let skew = Skew::new(takers.len(), 10.0, 1.0);
    let current = world.current_students();
    let max = (takers.len() / 3).min(200);
    let total = world.counts.applications;
    if current.len() * max < total || max < plan::BENCH_STUDENT_APPLICATIONS {
        return Err(Error::Internal(format!("{total} applications do not fit the plan's postings and students")));
    }
    let per_student = plan::spread(&mut rng, current.len(), total, max, &[(0, plan::BENCH_STUDENT_APPLICATIONS)]);
    let mut of: Vec<Vec<u32>> = vec![Vec::new(); postings.len()];
    let colleges = &world.people.student_college;
    let mut chosen: Vec<usize> = Vec::with_capacity(max);
    for (k, &n) in per_student.iter().enumerate() {
        let student = current.start + k;
        chosen.clear();
        while chosen.len() < n {
            let p = takers[skew.sample(&mut rng)];
            let admits = postings[p].college.is_none_or(|c| c == colleges[student]);
            if admits && !chosen.contains(&p) {
                chosen.push(p);
            }
        }
        for &p in &chosen {
            of[p].push(student as u32);
        }
    }
    // The employer selects: at most all applicants of a closed posting (up to 25), and
    // on an open one a few, always keeping an opening; the benchmark's posting keeps
    // nearly all its applicants waiting for a decision.
    let limit: Vec<usize> = postings
        .iter()
        .enumerate()
        .map(|(p, f)| match f.status {
            PostingStatus::Open if p == 0 => of[p].len().min(2),
            PostingStatus::Open => of[p].len().saturating_sub(1).min(4),
            PostingStatus::Closed => of[p].len().min(25),
            _ => 0,
        })
        .collect();
    let engagements = world.counts.engagements;
    if limit.iter().sum::<usize>() < engagements {
        return Err(Error::Internal(format!("{engagements} projects do not fit the plan's applicants")));
    }
    let selected = plan::selections(&mut rng, &limit, engagements);
    let openings = postings
        .iter()
        .zip(&selected)
        .map(|(f, &s)| {
            let extra = match f.status {
                PostingStatus::Open => rng.random_range(1..=3),
                PostingStatus::Closed if s > 0 && rng.random_bool(0.5) => 0,
                _ => rng.random_range(1..=3),
            };
            (s + extra).max(1) as i32
        })
        .collect();
    Ok(Applicants { of, selected, openings })
}

/// A day between `from` and `to` (both included; `to` wins when they cross).
pub(crate) fn day_between(rng: &mut StdRng, from: NaiveDate, to: NaiveDate) -> NaiveDate {
    let span = (to - from).num_days();
    if span <= 0 {
        to
    } else {
        from + Duration::days(rng.random_range(0..=span))
    }
}

fn other_status(rng: &mut StdRng, posting: PostingStatus) -> ApplicationStatus {
    use ApplicationStatus::*;
    let roll = rng.random_range(0..100);
    if posting == PostingStatus::Open {
        match roll {
            0..45 => Submitted,
            45..65 => Shortlisted,
            65..68 => Offered,
            68..88 => Rejected,
            _ => Withdrawn,
        }
    } else {
        match roll {
            0..60 => Rejected,
            60..68 => Declined,
            68..80 => Withdrawn,
            80..90 => Submitted,
            _ => Shortlisted,
        }
    }
}

const STATEMENTS: &[&str] = &[
    "I have done similar work in my coursework and can start this week.",
    "This project matches what I want to learn, and I have the hours free this month.",
    "I have used these tools in a class project and would like to apply them for a real client.",
    "I am organised, reliable and available for weekly check-ins.",
];

/// A project in the state its dates allow: `started` on the day the student accepted.
fn project(
    rng: &mut StdRng,
    cal: &Calendar<'_>,
    facts: &PostingFacts,
    started: NaiveDate,
    mut row: NewEngagement,
) -> NewEngagement {
    let due = row.due_on;
    let status = if facts.status == PostingStatus::Open {
        if rng.random_bool(0.7) {
            EngagementStatus::Active
        } else {
            EngagementStatus::Submitted
        }
    } else if due < cal.days_ago(14) {
        if rng.random_bool(0.88) {
            EngagementStatus::Completed
        } else {
            EngagementStatus::Cancelled
        }
    } else {
        [EngagementStatus::Active, EngagementStatus::Submitted, EngagementStatus::RevisionRequested]
            [rng.random_range(0..3)]
    };
    row.status = status;
    let latest = due.min(cal.today);
    match status {
        EngagementStatus::Active => {}
        EngagementStatus::Cancelled => {
            row.cancel_reason = Some("The student could not continue this term.".to_owned());
        }
        _ => {
            let submitted = day_between(rng, started, latest);
            row.deliverable_url = Some(format!("https://drive.example.com/d/{}", &row.id.as_str()[..8]));
            row.deliverable_note = Some("Final files and a short summary.".to_owned());
            row.submitted_on = Some(submitted);
            if status == EngagementStatus::RevisionRequested {
                row.feedback = Some("Please add the sources for the figures.".to_owned());
            }
            if status == EngagementStatus::Completed {
                let completed = (submitted + Duration::days(rng.random_range(0..5))).min(cal.today);
                row.completed_on = Some(completed);
                row.rating = Some([3, 4, 4, 5, 5][rng.random_range(0..5)]);
                row.feedback = Some("Clear, on-time work.".to_owned());
                if rng.random_bool(0.7) {
                    row.student_rating = Some([3, 4, 5, 5][rng.random_range(0..4)]);
                    row.student_feedback = Some("Good brief and quick answers.".to_owned());
                }
                if rng.random_bool(0.9) {
                    row.amount_paid_cents = Some(facts.fee_cents);
                    row.paid_on = Some((completed + Duration::days(rng.random_range(0..10))).min(cal.today));
                }
            }
        }
    }
    let last = row.paid_on.or(row.completed_on).or(row.submitted_on).unwrap_or(started);
    row.updated_at = cal.during(rng, last).max(row.created_at);
    row
}

/// Writes the postings (now that their openings are known), then every application and
/// the projects of the selected ones.
pub(crate) fn write_applications(
    conn: &mut DbConnection,
    cal: &Calendar<'_>,
    world: &mut World,
    seed: u64,
    report: &mut Report,
) -> Result<(), Error> {
    let plan = plan_applicants(world, seed)?;
    let bench_applicants = plan.of[0].len();
    let needed = world.counts.students / 50;
    if bench_applicants < needed {
        return Err(Error::Internal(format!(
            "the benchmark's posting has {bench_applicants} applicants, fewer than {needed}"
        )));
    }
    world.bench_posting = Some(world.catalogue.postings[0].id.clone());
    super::catalogue::write_postings(conn, cal, world, &plan.openings, seed, report)?;
    let mut rng = stream(seed, 6);
    let cat = &world.catalogue;
    let students = &world.people.students;
    let (mut apps_written, mut projects_written) = (0, 0);
    conn.transaction::<_, Error, _>(|c| {
        let mut apps: Vec<NewApplication> = Vec::with_capacity(CHUNK);
        let mut projects: Vec<NewEngagement> = Vec::with_capacity(CHUNK / 4);
        for (p, applicants) in plan.of.iter().enumerate() {
            let facts = &cat.postings[p];
            let window_end = facts.apply_by.min(cal.today);
            for (j, &student) in applicants.iter().enumerate() {
                let applied = day_between(&mut rng, facts.opened_on, window_end);
                let created = cal.during(&mut rng, applied);
                let id = ApplicationId::from(uuid(&mut rng));
                let status = if j < plan.selected[p] {
                    ApplicationStatus::Accepted
                } else {
                    other_status(&mut rng, facts.status)
                };
                let decided_on = (applied + Duration::days(rng.random_range(1..8))).min(cal.today);
                let decided_at =
                    (status != ApplicationStatus::Submitted).then(|| cal.during(&mut rng, decided_on).max(created));
                if status == ApplicationStatus::Accepted {
                    let started = decided_on;
                    let base = NewEngagement::started(
                        EngagementId::from(uuid(&mut rng)),
                        id.clone(),
                        facts.id.clone(),
                        students[student as usize].clone(),
                        cat.employers[facts.employer].clone(),
                        started,
                        facts.due_by.max(started + Duration::days(1)),
                        decided_at.unwrap_or(created),
                    );
                    projects.push(project(&mut rng, cal, facts, started, base));
                }
                apps.push(NewApplication {
                    id,
                    opportunity_id: facts.id.clone(),
                    student_id: students[student as usize].clone(),
                    statement: STATEMENTS[rng.random_range(0..STATEMENTS.len())].to_owned(),
                    status,
                    decision_message: None,
                    decided_at,
                    created_at: created,
                    updated_at: decided_at.unwrap_or(created),
                });
                if apps.len() == CHUNK {
                    apps_written += applications::insert_many(c, &apps)?;
                    projects_written += engagement_store::insert_many(c, &projects)?;
                    apps.clear();
                    projects.clear();
                }
            }
        }
        apps_written += applications::insert_many(c, &apps)?;
        projects_written += engagement_store::insert_many(c, &projects)?;
        Ok(())
    })?;
    report.tables.push(("applications", apps_written));
    report.tables.push(("engagements", projects_written));
    Ok(())
}
