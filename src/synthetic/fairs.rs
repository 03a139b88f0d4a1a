//! Virtual fairs: the benchmark's fair a fortnight ahead (published, its sessions small
//! and mostly empty, so a burst of registrations has room), another upcoming one when
//! there are four fairs or more, and past fairs, closed, in earlier academic terms (so
//! their no-shows do not pause anyone's registrations this term).
//!
//! Every session falls inside one of its fair's days and is hosted by a recruiter of an
//! employer that was a partner; a one-on-one slot has one seat. A session never holds
//! more registered students than its capacity: registrations beyond it wait on the
//! waitlist in order, and a cancelled registration holds no seat. The benchmark's fair is
//! registered for only by recent graduates, so no current student has a registration
//! there that a new one could overlap.

use chrono::Duration;
use diesel::Connection;
use rand::rngs::StdRng;
use rand::Rng;

use super::people::CHUNK;
use super::plan::{self, Skew};
use super::{stream, uuid, Calendar, Report, World};
use crate::core::{Error, FairId, FairSessionId, RegistrationId};
use crate::db::DbConnection;
use crate::fairs::rules::{FairStatus, RegistrationStatus, SessionKind, SessionStatus};
use crate::fairs::store::fairs::{self as fair_store, NewFair, NewFairDay};
use crate::fairs::store::registrations::{self as registration_store, NewRegistration};
use crate::fairs::store::sessions::{self as session_store, NewSession};
use crate::partners::rules::PartnershipStatus;

/// Minutes after campus midnight a fair day opens and closes.
const DAY_OPENS: u32 = 13 * 60;
const DAY_CLOSES: u32 = 21 * 60;
const SLOT: u32 = 30;
const SESSION_MINUTES: u32 = 45;

struct Session {
    id: FairSessionId,
    fair: usize,
    kind: SessionKind,
    capacity: usize,
    starts_at: chrono::NaiveDateTime,
}

/// Fairs, their days and sessions, and registrations.
pub(crate) fn write(
    conn: &mut DbConnection,
    cal: &Calendar<'_>,
    world: &mut World,
    seed: u64,
    report: &mut Report,
) -> Result<(), Error> {
    let mut rng = stream(seed, 9);
    let counts = world.counts;
    let cat = &world.catalogue;
    let fairs = counts.fairs;
    // Fair 0 is the benchmark's; the last is upcoming too when there are four or more.
    let upcoming = |f: usize| f == 0 || (fairs >= 4 && f == fairs - 1);
    let first_day = |f: usize| match f {
        0 => cal.days_ahead(14),
        f if upcoming(f) => cal.days_ahead(60),
        f => cal.days_ago(160 + 60 * (f as i64 - 1)),
    };
    let mut fair_rows = Vec::new();
    let mut day_rows = Vec::new();
    let mut fair_ids = Vec::new();
    let organiser = world.people.counselors[0].clone();
    for f in 0..fairs {
        let id = FairId::from(uuid(&mut rng));
        let day = first_day(f);
        let days = [day, day + Duration::days(1)];
        for d in days {
            day_rows.push(NewFairDay {
                id: uuid(&mut rng),
                fair_id: id.clone(),
                starts_at: cal.planned(d, DAY_OPENS),
                ends_at: cal.planned(d, DAY_CLOSES),
                created_at: cal.at(day - Duration::days(40), 10 * 60),
                updated_at: cal.at(day - Duration::days(40), 10 * 60),
            });
        }
        let created = cal.at(day - Duration::days(40), 10 * 60);
        fair_rows.push(NewFair {
            id: id.clone(),
            name: if upcoming(f) { format!("Career Fair {}", f + 1) } else { format!("Past Career Fair {}", f + 1) },
            description: "Employer info sessions and one-on-one chats, open to all students and recent graduates."
                .to_owned(),
            starts_at: cal.planned(days[0], DAY_OPENS),
            ends_at: cal.planned(days[1], DAY_CLOSES),
            status: if upcoming(f) { FairStatus::Published } else { FairStatus::Closed },
            created_by: Some(organiser.clone()),
            requires_approval: false,
            created_at: created,
            updated_at: if upcoming(f) { created } else { cal.at(days[1] + Duration::days(1), 9 * 60) },
        });
        fair_ids.push((id, days));
    }

    // Sessions: the benchmark's fair takes at least 50, the rest share what is left.
    let total = counts.fair_sessions;
    let bench_sessions = (total / fairs).max(plan::BENCH_FAIR_SESSIONS).min(total - (fairs - 1));
    let per_fair: Vec<usize> = (0..fairs)
        .map(|f| {
            if f == 0 {
                bench_sessions
            } else {
                let rest = total - bench_sessions;
                rest / (fairs - 1) + usize::from(f - 1 < rest % (fairs - 1))
            }
        })
        .collect();
    // Capacities of the other fairs' group sessions come from the registrations they take.
    let others = total - bench_sessions;
    let bench_registrations: usize = bench_sessions * 7;
    let average = (counts.registrations.saturating_sub(bench_registrations) / others.max(1)).max(20);
    let active: Vec<usize> = (0..cat.employers.len()).filter(|&e| cat.status[e] == PartnershipStatus::Active).collect();
    let partners: Vec<usize> =
        (0..cat.employers.len()).filter(|&e| cat.status[e] != PartnershipStatus::Prospect).collect();
    let (active_skew, partner_skew) = (Skew::new(active.len(), 3.0, 1.0), Skew::new(partners.len(), 3.0, 1.0));
    let mut sessions: Vec<Session> = Vec::with_capacity(total);
    let mut session_rows: Vec<NewSession> = Vec::with_capacity(total);
    for (f, &n) in per_fair.iter().enumerate() {
        let (fair_id, days) = &fair_ids[f];
        for s in 0..n {
            let employer = if upcoming(f) {
                active[active_skew.sample(&mut rng)]
            } else {
                partners[partner_skew.sample(&mut rng)]
            };
            let host = cat.host_of[employer].map(|r| cat.recruiters[r].0.clone());
            let kind = if f != 0 && rng.random_bool(0.1) { SessionKind::OneOnOne } else { SessionKind::Group };
            let capacity = match (f, kind) {
                (0, _) => rng.random_range(20..=40),
                (_, SessionKind::OneOnOne) => 1,
                _ => rng.random_range(average * 4 / 5..=average * 7 / 5),
            };
            let slots = ((DAY_CLOSES - SESSION_MINUTES - DAY_OPENS) / SLOT + 1) as usize;
            let day = days[s % 2];
            let start = DAY_OPENS + SLOT * ((s / 2) % slots) as u32;
            let starts_at = cal.planned(day, start);
            let past = !upcoming(f);
            let id = FairSessionId::from(uuid(&mut rng));
            let created = cal.at(day - Duration::days(rng.random_range(15..35)), 11 * 60);
            session_rows.push(NewSession {
                id: id.clone(),
                fair_id: fair_id.clone(),
                employer_id: cat.employers[employer].clone(),
                host_id: host,
                kind,
                series_id: None,
                title: format!("{}: careers and upcoming projects", cat.employer_names[employer]),
                description: "A short presentation followed by open questions. Cameras optional.".to_owned(),
                starts_at,
                ends_at: cal.planned(day, start + SESSION_MINUTES),
                capacity: capacity as i32,
                meeting_url: format!("https://meet.example.com/{}", &id.as_str()[..13]),
                status: SessionStatus::Scheduled,
                sequence: 0,
                reminded_24h_at: past.then(|| starts_at - Duration::hours(24)),
                reminded_1h_at: past.then(|| starts_at - Duration::hours(1)),
                created_at: created,
                updated_at: created,
            });
            sessions.push(Session { id, fair: f, kind, capacity, starts_at });
        }
    }
    conn.transaction::<_, Error, _>(|c| {
        report.tables.push(("fairs", fair_store::insert_many(c, &fair_rows)?));
        report.tables.push(("fair_days", fair_store::insert_days(c, &day_rows)?));
        report.tables.push(("fair_sessions", session_store::insert_many(c, &session_rows)?));
        Ok(())
    })?;
    world.bench_fair = Some(fair_ids[0].0.clone());
    let written = write_registrations(conn, cal, world, &sessions, &upcoming, &mut rng)?;
    report.tables.push(("registrations", written));
    Ok(())
}

/// Registrations: each session's registrants drawn without repeats (graduates of the
/// latest class for the benchmark's fair, current students for the other upcoming one,
/// anyone for past fairs); a few cancelled; seats first, then the waitlist.
fn write_registrations(
    conn: &mut DbConnection,
    cal: &Calendar<'_>,
    world: &World,
    sessions: &[Session],
    upcoming: &dyn Fn(usize) -> bool,
    rng: &mut StdRng,
) -> Result<usize, Error> {
    let latest_class = world.cohorts.iter().rfind(|c| c.graduated).map(|c| c.range()).unwrap_or(0..0);
    let current = world.current_students();
    let everyone = 0..world.people.students.len();
    let limits: Vec<usize> = sessions
        .iter()
        .map(|s| match (s.fair, s.kind) {
            (0, _) => (s.capacity / 4).min(latest_class.len()),
            (_, SessionKind::OneOnOne) => 1,
            (f, _) if upcoming(f) => (s.capacity + s.capacity / 5).min(current.len()),
            _ => (s.capacity + s.capacity / 10).min(everyone.len()),
        })
        .collect();
    let total = world.counts.registrations;
    if limits.iter().sum::<usize>() < total {
        return Err(Error::Internal(format!("{total} registrations do not fit the plan's sessions")));
    }
    let per_session = plan::selections(rng, &limits, total);
    // One pool of students per kind of fair; a partial shuffle of a shuffled pool is
    // still a fair draw, so each is built once.
    let mut pools: [Vec<u32>; 3] = [
        latest_class.clone().map(|i| i as u32).collect(),
        current.clone().map(|i| i as u32).collect(),
        everyone.clone().map(|i| i as u32).collect(),
    ];
    let mut written = 0;
    let students = &world.people.students;
    conn.transaction::<_, Error, _>(|c| {
        let mut rows: Vec<NewRegistration> = Vec::with_capacity(CHUNK);
        for (s, &n) in sessions.iter().zip(&per_session) {
            let pool = match s.fair {
                0 => &mut pools[0],
                f if upcoming(f) => &mut pools[1],
                _ => &mut pools[2],
            };
            // The first n of a partial shuffle: n distinct registrants.
            for i in 0..n {
                let j = rng.random_range(i..pool.len());
                pool.swap(i, j);
            }
            let past = s.starts_at < cal.now;
            let (mut seated, mut waiting) = (0usize, 0i32);
            for &student in &pool[..n] {
                let day = (s.starts_at - Duration::days(rng.random_range(1..30))).date().min(cal.days_ago(1));
                let created = cal.during(rng, day);
                let (status, position, cancelled_at, attended_at) = if rng.random_bool(0.06) {
                    let when = cal.during(rng, day + Duration::days(1)).max(created);
                    (RegistrationStatus::Cancelled, None, Some(when), None)
                } else if seated < s.capacity {
                    seated += 1;
                    let attended = (past && rng.random_bool(0.8))
                        .then(|| s.starts_at + Duration::minutes(rng.random_range(0..10)));
                    (RegistrationStatus::Registered, None, None, attended)
                } else {
                    waiting += 1;
                    (RegistrationStatus::Waitlisted, Some(waiting), None, None)
                };
                let updated = attended_at.or(cancelled_at).unwrap_or(created);
                rows.push(NewRegistration {
                    id: RegistrationId::from(uuid(rng)),
                    session_id: s.id.clone(),
                    student_id: students[student as usize].clone(),
                    status,
                    waitlist_position: position,
                    attended_at,
                    cancelled_at,
                    sequence: 0,
                    no_show_cleared_at: None,
                    reminded_24h_at: (past && status == RegistrationStatus::Registered)
                        .then(|| s.starts_at - Duration::hours(24)),
                    reminded_1h_at: (past && status == RegistrationStatus::Registered)
                        .then(|| s.starts_at - Duration::hours(1)),
                    created_at: created,
                    updated_at: updated,
                });
                if rows.len() == CHUNK {
                    written += registration_store::insert_many(c, &rows)?;
                    rows.clear();
                }
            }
        }
        written += registration_store::insert_many(c, &rows)?;
        Ok(())
    })?;
    Ok(written)
}
