//! Faculty endorsements and students' requests for them, and graduates' outcomes.
//!
//! A few faculty members write most endorsements; a handful are revoked or hidden. A
//! fulfilled request names the endorsement that answered it (same student and faculty
//! member, written after the request); a pending one is recent (requests expire after 30
//! days) and a student has at most one pending request with a faculty member.
//!
//! Outcomes belong to graduates only (the four graduated classes), each known between
//! the graduate's term and the end of their class's counting window (December 31 of the
//! class year) and never after today; a graduate's latest outcome is their primary one,
//! earlier ones (still seeking, a part-time job) stay as history.

use chrono::{Duration, NaiveDate};
use diesel::Connection;
use rand::rngs::StdRng;
use rand::Rng;

use super::activity::day_between;
use super::people::CHUNK;
use super::plan::{self, Skew};
use super::words::{self, pick};
use super::{stream, uuid, Calendar, Report, World};
use crate::core::{EndorsementId, Error};
use crate::db::DbConnection;
use crate::endorsements::requests::{self, NewRequest};
use crate::endorsements::rules::{Relationship, RequestStatus};
use crate::endorsements::store::{self as endorsement_store, NewEndorsement};
use crate::outcomes::rules::{Category, EmploymentType, Source};
use crate::outcomes::store::{self as outcome_store, NewOutcome};

const STATEMENTS: &[&str] = &[
    "One of the most careful analysts in my course this year; their final project was client-ready.",
    "Dependable, curious and clear in writing. I recommend them without reservation.",
    "Led their team's research project and presented the results to the department.",
    "Quick to learn new tools and generous in helping classmates.",
];

/// Endorsements, then requests (fulfilled ones answered by the first endorsements).
pub(crate) fn write_endorsements(
    conn: &mut DbConnection,
    cal: &Calendar<'_>,
    world: &World,
    seed: u64,
    report: &mut Report,
) -> Result<(), Error> {
    let mut rng = stream(seed, 7);
    let people = &world.people;
    let faculty_skew = Skew::new(people.faculty.len(), 5.0, 1.0);
    let students = people.students.len();
    let total_requests = world.counts.endorsement_requests;
    let fulfilled = (total_requests * 45 / 100).min(world.counts.endorsements);
    let mut answered: Vec<(usize, usize, NaiveDate, EndorsementId)> = Vec::with_capacity(fulfilled);
    let mut written = 0;
    let relationships = [Relationship::Course, Relationship::Research, Relationship::Advising, Relationship::Other];
    conn.transaction::<_, Error, _>(|c| {
        let mut rows: Vec<NewEndorsement> = Vec::with_capacity(CHUNK);
        for e in 0..world.counts.endorsements {
            let faculty = faculty_skew.sample(&mut rng);
            let student = rng.random_range(0..students);
            let day = cal.days_ago(rng.random_range(1..1_000));
            let at = cal.during(&mut rng, day);
            let id = EndorsementId::from(uuid(&mut rng));
            let relationship = relationships[rng.random_range(0..relationships.len())];
            let revoked_at = rng.random_bool(0.02).then(|| cal.during(&mut rng, day + Duration::days(30)).max(at));
            let hidden_at = rng.random_bool(0.01).then(|| cal.during(&mut rng, day + Duration::days(10)).max(at));
            if e < fulfilled {
                answered.push((student, faculty, day, id.clone()));
            }
            rows.push(NewEndorsement {
                id,
                faculty_id: people.faculty[faculty].clone(),
                student_id: people.students[student].clone(),
                skills: words::skills(&mut rng),
                statement: STATEMENTS[rng.random_range(0..STATEMENTS.len())].to_owned(),
                relationship,
                course: (relationship == Relationship::Course)
                    .then(|| format!("{} {}", &pick(&mut rng, words::DEPARTMENTS)[..3], rng.random_range(100..499))),
                revoked_at,
                hidden_at,
                created_at: at,
                updated_at: revoked_at.or(hidden_at).unwrap_or(at),
            });
            if rows.len() == CHUNK {
                written += endorsement_store::insert_many(c, &rows)?;
                rows.clear();
            }
        }
        written += endorsement_store::insert_many(c, &rows)?;
        Ok(())
    })?;
    report.tables.push(("endorsements", written));

    // Requests: the fulfilled ones, then pending ones (each of a different current
    // student, so never two pending with the same faculty member), then the rest.
    let current = world.current_students();
    let pending = (total_requests * 20 / 100).min(current.len());
    let mut rows: Vec<NewRequest> = Vec::with_capacity(total_requests);
    for r in 0..total_requests {
        let skills = words::skills(&mut rng);
        let message = "Could you endorse my work from your course? It would help my applications.".to_owned();
        let (student, faculty, status, endorsement, created, responded) = if r < answered.len() {
            let (s, f, day, id) = &answered[r];
            let asked = *day - Duration::days(rng.random_range(1..14));
            (*s, *f, RequestStatus::Fulfilled, Some(id.clone()), asked, Some(*day))
        } else if r < answered.len() + pending {
            let s = current.start + (r - answered.len());
            (
                s,
                faculty_skew.sample(&mut rng),
                RequestStatus::Pending,
                None,
                cal.days_ago(rng.random_range(0..25)),
                None,
            )
        } else {
            let asked = cal.days_ago(rng.random_range(40..700));
            let status =
                [RequestStatus::Declined, RequestStatus::Cancelled, RequestStatus::Expired][rng.random_range(0..3)];
            let responded = match status {
                RequestStatus::Declined => Some(asked + Duration::days(rng.random_range(1..20))),
                RequestStatus::Expired => Some(asked + Duration::days(30)),
                _ => None,
            };
            (rng.random_range(0..students), faculty_skew.sample(&mut rng), status, None, asked, responded)
        };
        let created_at = cal.during(&mut rng, created);
        let responded_at = responded.map(|d| cal.during(&mut rng, d).max(created_at));
        rows.push(NewRequest {
            id: uuid(&mut rng),
            student_id: people.students[student].clone(),
            faculty_id: people.faculty[faculty].clone(),
            message,
            status,
            endorsement_id: endorsement,
            responded_at,
            opportunity_id: None,
            skills,
            response_note: (status == RequestStatus::Declined)
                .then(|| "I do not know your work well enough to endorse it.".to_owned()),
            created_at,
            updated_at: responded_at.unwrap_or(created_at),
        });
    }
    let n = conn.transaction::<_, Error, _>(|c| Ok(requests::insert_many(c, &rows)?))?;
    report.tables.push(("endorsement_requests", n));
    Ok(())
}

fn primary_category(rng: &mut StdRng) -> Category {
    use Category::*;
    match rng.random_range(0..100) {
        0..55 => EmployedFullTime,
        55..63 => EmployedPartTime,
        63..78 => ContinuingEducation,
        78..90 => SeekingEmployment,
        90..92 => Military,
        92..94 => VolunteerService,
        94..96 => SeekingContinuingEducation,
        _ => NotSeeking,
    }
}

fn earlier_category(rng: &mut StdRng) -> Category {
    match rng.random_range(0..100) {
        0..60 => Category::SeekingEmployment,
        60..85 => Category::EmployedPartTime,
        _ => Category::ContinuingEducation,
    }
}

/// Graduates' outcomes: a skewed number each (some none: no information), the latest
/// primary.
pub(crate) fn write_outcomes(
    conn: &mut DbConnection,
    cal: &Calendar<'_>,
    world: &World,
    seed: u64,
    report: &mut Report,
) -> Result<(), Error> {
    let mut rng = stream(seed, 8);
    let graduates = world.graduated_students();
    let cat = &world.catalogue;
    let hiring = Skew::new(cat.employers.len(), 3.0, 1.0);
    let per_graduate = plan::spread(&mut rng, graduates.len(), world.counts.outcomes, 8, &[]);
    let people = &world.people;
    let mut written = 0;
    let yesterday = cal.days_ago(1);
    conn.transaction::<_, Error, _>(|c| {
        let mut rows: Vec<NewOutcome> = Vec::with_capacity(CHUNK);
        let mut days: Vec<NaiveDate> = Vec::new();
        for (k, &n) in per_graduate.iter().enumerate() {
            let student = graduates.start + k;
            let (year, month) = people.student_term[student];
            let class = world.cohort_of(student).class_year;
            let graduated = NaiveDate::from_ymd_opt(year, month, 1).unwrap_or(cal.today).min(yesterday);
            let window_end = NaiveDate::from_ymd_opt(class, 12, 31).unwrap_or(cal.today).min(yesterday);
            days.clear();
            days.extend((0..n).map(|_| day_between(&mut rng, graduated - Duration::days(60), window_end)));
            days.sort();
            if let Some(last) = days.last_mut() {
                *last = (*last).max(graduated);
            }
            for (i, &known_on) in days.iter().enumerate() {
                let primary = i + 1 == n;
                let category = if primary { primary_category(&mut rng) } else { earlier_category(&mut rng) };
                let employed = matches!(category, Category::EmployedFullTime | Category::EmployedPartTime);
                let employer = employed.then(|| hiring.sample(&mut rng));
                let source =
                    [Source::Survey, Source::Survey, Source::Counselor, Source::Employer, Source::PublicProfile]
                        [rng.random_range(0..5)];
                let at = cal.during(&mut rng, known_on);
                let counselor = &people.counselors[rng.random_range(0..people.counselors.len())];
                rows.push(NewOutcome {
                    id: uuid(&mut rng),
                    student_id: people.students[student].clone(),
                    category,
                    employer_id: employer.map(|e| cat.employers[e].clone()),
                    organization: employer.map(|e| cat.employer_names[e].clone()),
                    job_title: employed.then(|| pick(&mut rng, words::JOB_TITLES).to_owned()),
                    employment_type: employed.then_some(EmploymentType::Standard),
                    start_on: employed.then(|| known_on + Duration::days(rng.random_range(14..90))),
                    annual_salary_cents: (category == Category::EmployedFullTime)
                        .then(|| rng.random_range(38_000..120_000) * 100),
                    currency: "USD".to_owned(),
                    source,
                    is_primary: primary,
                    offer_on: employed.then(|| known_on - Duration::days(rng.random_range(3..20))),
                    accepted_on: employed.then_some(known_on),
                    known_on,
                    engagement_id: None,
                    recorded_by: (source == Source::Counselor).then(|| counselor.clone()),
                    awaiting_confirmation: false,
                    created_at: at,
                    updated_at: at,
                });
                if rows.len() == CHUNK {
                    written += outcome_store::insert_many(c, &rows)?;
                    rows.clear();
                }
            }
        }
        written += outcome_store::insert_many(c, &rows)?;
        Ok(())
    })?;
    report.tables.push(("outcomes", written));
    Ok(())
}
