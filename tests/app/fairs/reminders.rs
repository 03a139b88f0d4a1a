//! Reminders a day and an hour before a session, from the periodic task: each exactly
//! once, also when the task runs again and when several instances run it at the same
//! moment against one database (each reminder is claimed by a conditional update); to the
//! students holding a seat and to the host, never for a cancelled registration or a
//! cancelled session; in the inbox and the mail outbox.

use waypoint::core::Clock;

use super::world;
use crate::helpers::{count, TestApp};

/// Runs the reminders' task once on each of `instances` connections at the same moment
/// (as several servers would, without the lease); how many reminders they sent in all.
async fn run_at_once(app: &TestApp, instances: usize) -> usize {
    let handles: Vec<_> = (0..instances)
        .map(|_| {
            let (pool, clock) = (app.pool.clone(), app.clock.clone());
            tokio::task::spawn_blocking(move || {
                let mut c = pool.get().expect("a pooled connection");
                waypoint::tasks::send_fair_reminders(&mut c, &clock).expect("the task ran")
            })
        })
        .collect();
    let mut sent = 0;
    for h in handles {
        sent += h.await.unwrap();
    }
    sent
}

fn set(app: &TestApp, date: &str, time: &str) {
    app.clock.set(Clock::fixed_at_campus(chrono_tz::America::New_York, date, time).now());
}

/// How many reminders were made in all.
async fn reminded(app: &TestApp) -> i64 {
    app.with_db(|c| count(c, "SELECT COUNT(*) AS n FROM notifications WHERE kind = 'fair_session.reminder'")).await
}

/// Reminders received by the user with `email`, as their titles, oldest first.
async fn reminders_of(app: &TestApp, email: &str) -> Vec<String> {
    let email = email.to_owned();
    app.with_db(move |c| {
        use diesel::prelude::*;
        use waypoint::db::schema::{notifications, users};
        notifications::table
            .inner_join(users::table)
            .filter(users::email.eq(email))
            .filter(notifications::kind.eq("fair_session.reminder"))
            .order((notifications::created_at, notifications::title))
            .select(notifications::title)
            .load::<String>(c)
            .unwrap()
    })
    .await
}

#[tokio::test]
async fn reminders_go_out_once_a_day_and_an_hour_before_also_from_several_instances() {
    let w = world().await;
    let talk = w.session(&w.recruiter_a, "Analytics talk", "2027-02-17", "13:00", "14:00", "30").await;
    let clinic = w.session(&w.recruiter_a, "Data clinic", "2027-02-17", "15:00", "16:00", "30").await;
    let _empty = w.session(&w.recruiter_a, "Quiet hour", "2027-02-17", "10:00", "11:00", "30").await;
    for s in [&talk, &clinic] {
        assert_eq!(w.register(&w.ava, s).await.status(), 303);
    }
    assert_eq!(w.register(&w.ben, &talk).await.status(), 303);
    assert_eq!(w.post(&w.ben, &format!("/sessions/{talk}/cancel"), &[("confirm", "yes")]).await.status(), 303);
    let r = w
        .post(&w.recruiter_a, &format!("/sessions/{clinic}/withdraw"), &[("reason", "Room lost"), ("confirm", "yes")])
        .await;
    assert_eq!(r.status(), 303, "the clinic is cancelled");

    assert_eq!(run_at_once(&w.app, 1).await, 0, "a week ahead: nothing yet");
    // 23 1/2 hours before the talk (1 pm on Feb 17, campus time).
    set(&w.app, "2027-02-16", "13:30");
    // (The server's own task may run meanwhile too: it claims the same way, so the counts
    // in the database are what must hold.)
    assert!(run_at_once(&w.app, 4).await <= 2);
    assert_eq!(reminded(&w.app).await, 2, "Ava and the host, once, from four instances at once");
    assert_eq!(run_at_once(&w.app, 4).await, 0, "never twice");
    set(&w.app, "2027-02-17", "11:00");
    assert_eq!(run_at_once(&w.app, 1).await, 0, "two hours before: the day's reminder was sent already");
    // Half an hour before.
    set(&w.app, "2027-02-17", "12:30");
    assert!(run_at_once(&w.app, 4).await <= 2);
    assert_eq!(reminded(&w.app).await, 4, "the hour's reminder, once each");
    assert_eq!(run_at_once(&w.app, 1).await, 0);
    set(&w.app, "2027-02-17", "13:30");
    assert_eq!(run_at_once(&w.app, 1).await, 0, "started: no more");

    let ava = reminders_of(&w.app, "ava.okafor@northfield.edu").await;
    assert_eq!(ava.len(), 2, "{ava:?}");
    assert!(ava[0].starts_with("Reminder: “Analytics talk” is on Feb 17, 2027, 1:00"), "{ava:?}");
    assert!(ava[1].starts_with("Starting soon: “Analytics talk” at"), "{ava:?}");
    assert_eq!(reminders_of(&w.app, "rosa.diaz@brightpath.com").await.len(), 2, "the host's, of the talk only");
    assert!(reminders_of(&w.app, "ben.lee@northfield.edu").await.is_empty(), "Ben cancelled");
    let clinic_or_empty = w
        .app
        .with_db(|c| {
            count(
                c,
                "SELECT COUNT(*) AS n FROM notifications WHERE kind = 'fair_session.reminder' \
                 AND (title LIKE '%Data clinic%' OR title LIKE '%Quiet hour%')",
            )
        })
        .await;
    assert_eq!(clinic_or_empty, 0, "none for a cancelled session, nor for the host of an empty one");
    let mailed = w
        .app
        .with_db(|c| {
            count(
                c,
                "SELECT COUNT(*) AS n FROM outbox o JOIN notifications n ON n.id = o.notification_id \
                 WHERE n.kind = 'fair_session.reminder'",
            )
        })
        .await;
    assert_eq!(mailed, 4, "each reminder is mailed too");
}
