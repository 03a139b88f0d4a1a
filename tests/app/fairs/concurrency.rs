//! Capacity under many simultaneous requests, on the real database of the run's backend:
//! 200 students register at once for 10 seats (exactly 10 registered, 190 waiting at
//! positions 1..190); cancellations racing new registrations never leave a free seat
//! while someone waits, and the waitlist stays first come, first served.

use chrono::NaiveDateTime;
use diesel::RunQueryDsl;
use waypoint::core::{Actor, FairSessionId, StudentId};
use waypoint::fairs::calendar::Site;
use waypoint::fairs::rules::Placement;
use waypoint::fairs::store::registrations::{self, NoShowRule};

use crate::fixtures::{employer, sql};
use crate::helpers::{count, spawn_app, TestApp};

const NOW: &str = "'2026-11-01 09:00:00'";

fn now() -> NaiveDateTime {
    NaiveDateTime::parse_from_str("2026-12-01 09:00:00", "%Y-%m-%d %H:%M:%S").unwrap()
}

fn rule() -> NoShowRule {
    let t = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap();
    NoShowRule { limit: 2, term: (t("2000-01-01 00:00:00"), t("2100-01-01 00:00:00")) }
}

/// A published fair with one group session of `capacity` seats; returns the session's id.
async fn session(app: &TestApp, capacity: i32, start: &str) -> String {
    let employer = employer(app, &format!("Employer {}", uuid::Uuid::new_v4()), "Software", None, "active").await;
    let (fair, id) = (uuid::Uuid::new_v4().to_string(), uuid::Uuid::new_v4().to_string());
    sql(app, format!("INSERT INTO fairs (id, name, starts_at, ends_at, status, created_at, updated_at) VALUES ('{fair}', 'Spring Fair', '2099-02-01 00:00:00', '2099-02-28 23:00:00', 'published', {NOW}, {NOW})")).await;
    sql(
        app,
        format!(
            "INSERT INTO fair_sessions (id, fair_id, employer_id, kind, title, starts_at, ends_at, capacity, meeting_url, created_at, updated_at) \
             VALUES ('{id}', '{fair}', '{employer}', 'group', 'Meet the team', '{start}', '2099-02-01 15:45:00', {capacity}, 'https://meet.example.com/x', {NOW}, {NOW})"
        ),
    )
    .await;
    id
}

/// `n` roster students (one statement); returns their ids.
async fn students(app: &TestApp, n: usize) -> Vec<String> {
    let ids: Vec<String> = (0..n).map(|_| uuid::Uuid::new_v4().to_string()).collect();
    let rows: Vec<String> = ids
        .iter()
        .map(|id| {
            let number = &id[..18];
            format!("('{id}', 'N{number}', '{id}@northfield.edu', 'Student {id}', 'School of Business', 'Finance', 2027, '2027-05', {NOW}, {NOW})")
        })
        .collect();
    sql(
        app,
        format!(
            "INSERT INTO students (id, student_number, email, name, college, major, class_year, graduation_term, created_at, updated_at) VALUES {}",
            rows.join(", ")
        ),
    )
    .await;
    ids
}

enum Move {
    Register,
    Cancel,
}

/// Runs every move at once, each on its own pooled connection; every one must succeed.
async fn all_at_once(app: &TestApp, session: &str, moves: Vec<(Move, String)>) -> Vec<Option<Placement>> {
    let handles: Vec<_> = moves
        .into_iter()
        .map(|(m, student)| {
            let pool = app.pool.clone();
            let session = FairSessionId::from(session);
            tokio::task::spawn_blocking(move || {
                let mut c = pool.get().expect("a pooled connection");
                let student = StudentId::from(student.as_str());
                let site = Site::new(&"http://127.0.0.1:8080".parse().unwrap(), "no-reply@127.0.0.1");
                match m {
                    Move::Register => {
                        registrations::register(&mut c, &session, &student, rule(), &site, &Actor::Cli, now()).map(Some)
                    }
                    Move::Cancel => {
                        registrations::cancel(&mut c, &session, &student, &site, &Actor::Cli, now()).map(|_| None)
                    }
                }
            })
        })
        .collect();
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.expect("the task ran").expect("the move succeeded"));
    }
    out
}

/// The session's waitlist in position order: (student, position).
async fn waitlist(app: &TestApp, session: &str) -> Vec<(String, i32)> {
    #[derive(diesel::QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Text)]
        student_id: String,
        #[diesel(sql_type = diesel::sql_types::Integer)]
        waitlist_position: i32,
    }
    let q = format!(
        "SELECT student_id, waitlist_position FROM registrations WHERE session_id = '{session}' AND status = 'waitlisted' ORDER BY waitlist_position"
    );
    app.with_db(move |c| {
        let rows: Vec<Row> = diesel::sql_query(&q).load(c).unwrap();
        rows.into_iter().map(|r| (r.student_id, r.waitlist_position)).collect()
    })
    .await
}

async fn registered(app: &TestApp, session: &str) -> Vec<String> {
    #[derive(diesel::QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Text)]
        student_id: String,
    }
    let q = format!("SELECT student_id FROM registrations WHERE session_id = '{session}' AND status = 'registered'");
    app.with_db(move |c| diesel::sql_query(&q).load::<Row>(c).unwrap().into_iter().map(|r| r.student_id).collect())
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_registrations_at_once_fill_ten_seats_and_a_gapless_waitlist() {
    let app = spawn_app().await;
    let session = session(&app, 10, "2099-02-01 15:00:00").await;
    let people = students(&app, 225).await;
    let (first, later) = people.split_at(200);

    let placed = all_at_once(&app, &session, first.iter().map(|s| (Move::Register, s.clone())).collect()).await;
    assert_eq!(placed.iter().filter(|p| **p == Some(Placement::Seat)).count(), 10, "ten were told they have a seat");
    let mut told: Vec<i32> =
        placed.iter().filter_map(|p| if let Some(Placement::Waitlist(n)) = p { Some(*n) } else { None }).collect();
    told.sort();
    assert_eq!(told, (1..=190).collect::<Vec<_>>(), "each waiting student was told a distinct position");
    assert_eq!(registered(&app, &session).await.len(), 10, "capacity is never exceeded");
    let queue = waitlist(&app, &session).await;
    assert_eq!(queue.iter().map(|q| q.1).collect::<Vec<_>>(), (1..=190).collect::<Vec<_>>(), "positions 1..190");

    // Five seat holders cancel, five waiting far back leave, and 25 newcomers register,
    // all at once.
    let seated = registered(&app, &session).await;
    let leavers: Vec<String> = [50, 80, 100, 150, 190].iter().map(|p| queue[p - 1].0.clone()).collect();
    let mut moves: Vec<(Move, String)> = seated.iter().take(5).map(|s| (Move::Cancel, s.clone())).collect();
    moves.extend(leavers.iter().map(|s| (Move::Cancel, s.clone())));
    moves.extend(later.iter().map(|s| (Move::Register, s.clone())));
    all_at_once(&app, &session, moves).await;

    let now_seated = registered(&app, &session).await;
    assert_eq!(now_seated.len(), 10, "no seat is left free while students wait");
    let promoted: Vec<&String> = queue.iter().take(5).map(|q| &q.0).collect();
    for p in &promoted {
        assert!(now_seated.contains(p), "the first five waiting took the freed seats (first come, first served)");
    }
    let after = waitlist(&app, &session).await;
    assert_eq!(
        after.iter().map(|q| q.1).collect::<Vec<_>>(),
        (1..=190 - 10 + later.len() as i32).collect::<Vec<_>>(),
        "still gapless"
    );
    let expected: Vec<&String> = queue.iter().skip(5).map(|q| &q.0).filter(|s| !leavers.contains(s)).collect();
    let kept: Vec<&String> = after.iter().take(expected.len()).map(|q| &q.0).collect();
    assert_eq!(kept, expected, "those already waiting keep their order, ahead of the newcomers");
    let newcomers: std::collections::BTreeSet<&String> = after.iter().skip(expected.len()).map(|q| &q.0).collect();
    assert_eq!(newcomers, later.iter().collect(), "the newcomers wait at the end");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_cancellation_racing_a_registration_never_leaves_a_seat_free_while_someone_waits() {
    let app = spawn_app().await;
    for round in 0..8 {
        let session = session(&app, 2, "2099-02-01 15:00:00").await;
        let people = students(&app, 4).await;
        all_at_once(&app, &session, people[..2].iter().map(|s| (Move::Register, s.clone())).collect()).await;
        // One seat holder cancels while two newcomers register.
        let moves = vec![
            (Move::Register, people[2].clone()),
            (Move::Cancel, people[0].clone()),
            (Move::Register, people[3].clone()),
        ];
        all_at_once(&app, &session, moves).await;
        let seated = registered(&app, &session).await;
        let waiting = waitlist(&app, &session).await;
        assert_eq!(seated.len(), 2, "round {round}: both seats are taken");
        assert_eq!(waiting.iter().map(|w| w.1).collect::<Vec<_>>(), vec![1], "round {round}: one waits, at 1");
        let s = session.clone();
        let total = app
            .with_db(move |c| {
                count(
                    c,
                    &format!(
                        "SELECT COUNT(*) AS n FROM registrations WHERE session_id = '{s}' AND status <> 'cancelled'"
                    ),
                )
            })
            .await;
        assert_eq!(total, 3, "round {round}");
    }
}
