//! Virtual fairs over HTTP, with real sign-ins: a counselor plans and publishes a fair,
//! employers join, recruiters add sessions and slots (refused forms keep what was typed
//! and name the field), students register, wait, are promoted, join through the tracked
//! link in its window, and are paused after too many no-shows until a counselor clears
//! them. Another employer's recruiter reaches none of a session's controls (404).

mod browser;
mod browser_views;
mod concurrency;
mod demo;
mod feed;
mod invitations;
mod reminders;
mod series;
mod views;

use crate::fixtures::{employer, student};
use crate::helpers::{count, TestApp};
use crate::idp::{spawn_with_idp_at, Idp};
use crate::recruiters::{accept, invite, link_in, recruiter_sign_in};

pub struct World {
    pub app: TestApp,
    pub idp: Idp,
    pub counselor: reqwest::Client,
    pub recruiter_a: reqwest::Client,
    pub recruiter_b: reqwest::Client,
    pub ava: reqwest::Client,
    pub ben: reqwest::Client,
    pub fair: String,
}

async fn recruiter_of(app: &TestApp, counselor: &reqwest::Client, employer_id: &str, email: &str) -> reqwest::Client {
    let r = invite(app, counselor, employer_id, email).await;
    assert_eq!(r.status(), 201);
    let (b, r) = accept(app, &link_in(&r.text().await.unwrap()), "a long enough passphrase").await;
    assert_eq!(r.status(), 303);
    b
}

pub fn location(r: &reqwest::Response) -> String {
    r.headers().get("location").unwrap_or_else(|| panic!("{} has no Location", r.url())).to_str().unwrap().to_owned()
}

/// The id at the end of a redirect's Location.
fn id_in(r: &reqwest::Response) -> String {
    location(r).rsplit('/').next().unwrap().to_owned()
}

impl World {
    async fn post(&self, b: &reqwest::Client, action: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        self.app.post_form(b, "/fairs", action, fields).await
    }

    async fn page(&self, b: &reqwest::Client, path: &str) -> (u16, String) {
        let r = b.get(format!("{}{path}", self.app.address)).send().await.unwrap();
        (r.status().as_u16(), r.text().await.unwrap())
    }

    /// Follows a 303 and returns the page it leads to.
    async fn follow(&self, b: &reqwest::Client, r: reqwest::Response) -> String {
        assert_eq!(r.status(), 303, "{}", r.text().await.unwrap_or_default());
        self.page(b, &location(&r)).await.1
    }

    async fn add_session(
        &self,
        b: &reqwest::Client,
        title: &str,
        date: &str,
        start: &str,
        end: &str,
        seats: &str,
    ) -> reqwest::Response {
        let fields = [
            ("title", title),
            ("description", "Hear from the team."),
            ("date", date),
            ("start", start),
            ("end", end),
            ("capacity", seats),
            ("meeting_url", "https://meet.example.com/brightpath"),
        ];
        self.post(b, &format!("/fairs/{}/sessions", self.fair), &fields).await
    }

    /// A group session of recruiter `b`'s employer; returns its id.
    async fn session(
        &self,
        b: &reqwest::Client,
        title: &str,
        date: &str,
        start: &str,
        end: &str,
        seats: &str,
    ) -> String {
        let r = self.add_session(b, title, date, start, end, seats).await;
        assert_eq!(r.status(), 303, "{}", r.text().await.unwrap_or_default());
        id_in(&r)
    }

    async fn register(&self, b: &reqwest::Client, session: &str) -> reqwest::Response {
        self.post(b, &format!("/sessions/{session}/register"), &[]).await
    }

    /// Moves the campus clock; everyone signs in again (a session ends after an idle hour).
    async fn set_campus(&mut self, date: &str, time: &str) {
        let at = waypoint::core::Clock::fixed_at_campus(chrono_tz::America::New_York, date, time).now();
        self.app.clock.set(at);
        self.ava = self.app.signed_in(&self.idp, "student").await;
        self.ben = self.app.signed_in(&self.idp, "student-array").await;
        self.counselor = self.app.signed_in(&self.idp, "counselor").await;
        let b = crate::helpers::browser();
        let r = recruiter_sign_in(&self.app, &b, "rosa.diaz@brightpath.com", "a long enough passphrase").await;
        assert_eq!(r.status(), 303, "the recruiter signs in again");
        self.recruiter_a = b;
    }

    async fn notifications(&self, kind: &str) -> i64 {
        let kind = kind.to_owned();
        self.app
            .with_db(move |c| count(c, &format!("SELECT COUNT(*) AS n FROM notifications WHERE kind = '{kind}'")))
            .await
    }
}

/// Brightpath (A) and Harbor Health (B), each with a recruiter, both taking part in a
/// published two-day fair (Feb 17, 9–17, and Feb 18, 9–12, campus time); Ava and Ben are
/// students. The campus clock stands at Feb 10, 2027, 9:00.
pub async fn world() -> World {
    let (app, idp) = spawn_with_idp_at("2027-02-10", "09:00").await;
    let a = employer(&app, "Brightpath Analytics", "Software", Some("brightpath.com"), "active").await;
    let b = employer(&app, "Harbor Health", "Healthcare", Some("harborhealth.org"), "active").await;
    let counselor = app.signed_in(&idp, "counselor").await;
    let recruiter_a = recruiter_of(&app, &counselor, &a, "rosa.diaz@brightpath.com").await;
    let recruiter_b = recruiter_of(&app, &counselor, &b, "sam.lee@harborhealth.org").await;
    student(&app, "N1", "ava.okafor@northfield.edu", "School of Business", "Finance", 2027).await;
    student(&app, "N2", "ben.lee@northfield.edu", "School of Business", "Finance", 2027).await;
    let ava = app.signed_in(&idp, "student").await;
    let ben = app.signed_in(&idp, "student-array").await;
    let mut w = World { app, idp, counselor, recruiter_a, recruiter_b, ava, ben, fair: String::new() };
    let r = w
        .post(
            &w.counselor,
            "/fairs",
            &[
                ("name", "Spring Virtual Fair"),
                ("description", "Meet employers on video."),
                ("day1_date", "2027-02-17"),
                ("day1_start", "09:00"),
                ("day1_end", "17:00"),
                ("day2_date", "2027-02-18"),
                ("day2_start", "09:00"),
                ("day2_end", "12:00"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    w.fair = id_in(&r);
    let r = w.post(&w.counselor, &format!("/fairs/{}/publish", w.fair), &[]).await;
    assert_eq!(r.status(), 303);
    for b in [&w.recruiter_a, &w.recruiter_b] {
        let r = w.post(b, &format!("/fairs/{}/join", w.fair), &[]).await;
        assert_eq!(r.status(), 303);
    }
    w
}

#[tokio::test]
async fn a_counselor_plans_a_fair_and_recruiters_add_sessions_and_slots_inside_it() {
    let w = world().await;
    // The fair form refuses bad days with every problem named, keeping what was typed.
    let r = w
        .post(
            &w.counselor,
            "/fairs",
            &[("name", ""), ("day1_date", "2027-02-17"), ("day1_start", "9am"), ("day1_end", "17:00")],
        )
        .await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("Name: is required"), "{page}");
    assert!(page.contains("First day starts: is not a time HH:MM"), "{page}");
    assert!(page.contains("value=\"9am\""), "kept as typed");
    assert!(page.contains("href=\"#field-day1_start\""), "the summary links the field");

    // The students' page: what it is, when (campus time, zone named), who takes part.
    let (status, page) = w.page(&w.ava, &format!("/fairs/{}", w.fair)).await;
    assert_eq!(status, 200);
    for part in [
        "Spring Virtual Fair",
        "Meet employers on video.",
        "Feb 17, 2027, 9:00 AM EST",
        "Feb 18, 2027, 12:00 PM EST",
        "Brightpath Analytics",
        "Harbor Health",
        "America/New_York",
    ] {
        assert!(page.contains(part), "{part}");
    }

    // A session outside the fair's hours, then one inside, then one overlapping it.
    let r = w.add_session(&w.recruiter_a, "Inside Brightpath", "2027-02-17", "08:00", "09:30", "30").await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("Starts: is outside the fair&#x27;s hours")
            || page.contains("Starts: is outside the fair's hours"),
        "{page}"
    );
    assert!(page.contains("value=\"Inside Brightpath\""));
    let r = w.add_session(&w.recruiter_a, "Inside Brightpath", "2027-02-17", "13:00", "14:00", "30").await;
    let page = w.follow(&w.recruiter_a, r).await;
    assert!(page.contains("Session “Inside Brightpath” added to Spring Virtual Fair"), "{page}");
    let r = w.add_session(&w.recruiter_a, "Another talk", "2027-02-17", "13:30", "14:30", "ten").await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("Seats: must be a whole number from 1 to 1000") && page.contains("value=\"ten\""), "{page}");
    let r = w.add_session(&w.recruiter_a, "Another talk", "2027-02-17", "13:30", "14:30", "10").await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("overlaps your session “Inside Brightpath”"));

    // A one-on-one series: 9:00–10:00 in 20-minute slots 5 minutes apart is two slots.
    let series = [
        ("title", "Portfolio reviews"),
        ("description", ""),
        ("date", "2027-02-18"),
        ("start", "09:00"),
        ("end", "10:00"),
        ("slot_minutes", "20"),
        ("gap_minutes", "5"),
        ("meeting_url", "https://meet.example.com/reviews"),
    ];
    let r = w.post(&w.recruiter_a, &format!("/fairs/{}/series", w.fair), &series).await;
    let page = w.follow(&w.recruiter_a, r).await;
    assert!(page.contains("2 one-on-one slots added to Spring Virtual Fair"), "{page}");
    let slots = w
        .app
        .with_db(|c| count(c, "SELECT COUNT(*) AS n FROM fair_sessions WHERE kind = 'one_on_one' AND capacity = 1"))
        .await;
    assert_eq!(slots, 2);
    let mut bad = series;
    bad[5] = ("slot_minutes", "45");
    let r = w.post(&w.recruiter_a, &format!("/fairs/{}/series", w.fair), &bad).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("Minutes per slot: must be a whole number from 10 to 30"));

    // A draft fair is not the students' to see; the office closes a fair after asking.
    let r = w.post(&w.counselor, &format!("/fairs/{}/close", w.fair), &[]).await;
    assert_eq!(r.status(), 200, "asks first");
    assert!(r.text().await.unwrap().contains("Close the fair"));
    let r = w.post(&w.counselor, &format!("/fairs/{}/close", w.fair), &[("confirm", "yes")]).await;
    let page = w.follow(&w.counselor, r).await;
    assert!(page.contains("“Spring Virtual Fair” is closed"), "{page}");
    let r = w.post(&w.counselor, &format!("/fairs/{}/publish", w.fair), &[]).await;
    assert_eq!(r.status(), 409, "a closed fair is not published again");
}

#[tokio::test]
async fn a_full_session_waitlists_and_a_cancellation_promotes_the_first_waiting() {
    let w = world().await;
    let s = w.session(&w.recruiter_a, "Small group", "2027-02-17", "13:00", "14:00", "1").await;
    let page = w.follow(&w.ava, w.register(&w.ava, &s).await).await;
    assert!(page.contains("You are registered for “Small group”"), "{page}");
    let page = w.follow(&w.ben, w.register(&w.ben, &s).await).await;
    assert!(page.contains("“Small group” is full: you are number 1 on its waitlist"), "{page}");
    let r = w.register(&w.ben, &s).await;
    assert_eq!(r.status(), 409, "not twice");

    // Ava cancels: asked first (nothing changes), then done; Ben takes the seat and is told.
    let r = w.post(&w.ava, &format!("/sessions/{s}/cancel"), &[]).await;
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("Cancel my registration"));
    assert_eq!(w.notifications("registration.promoted").await, 0);
    let r = w.post(&w.ava, &format!("/sessions/{s}/cancel"), &[("confirm", "yes")]).await;
    let page = w.follow(&w.ava, r).await;
    assert!(page.contains("Your registration for “Small group” is cancelled"), "{page}");
    assert_eq!(w.notifications("registration.promoted").await, 1, "Ben is told");
    let (_, page) = w.page(&w.ben, &format!("/sessions/{s}")).await;
    assert!(page.contains("<dd>Registered</dd>"), "{page}");
}

#[tokio::test]
async fn students_hold_no_overlapping_registrations_and_one_slot_per_employer() {
    let w = world().await;
    let a = w.session(&w.recruiter_a, "Analytics talk", "2027-02-17", "13:00", "14:00", "30").await;
    let b = w.session(&w.recruiter_b, "Nursing careers", "2027-02-17", "13:30", "14:30", "30").await;
    assert_eq!(w.register(&w.ava, &a).await.status(), 303);
    let r = w.register(&w.ava, &b).await;
    assert_eq!(r.status(), 409);
    assert!(r.text().await.unwrap().contains("it overlaps “Analytics talk”, which you are registered for"));

    let series = [
        ("title", "Chats"),
        ("date", "2027-02-18"),
        ("start", "09:00"),
        ("end", "09:40"),
        ("slot_minutes", "20"),
        ("gap_minutes", "0"),
        ("meeting_url", "https://meet.example.com/chat"),
    ];
    assert_eq!(w.post(&w.recruiter_a, &format!("/fairs/{}/series", w.fair), &series).await.status(), 303);
    let slots: Vec<String> = {
        #[derive(diesel::QueryableByName)]
        struct Row {
            #[diesel(sql_type = diesel::sql_types::Text)]
            id: String,
        }
        w.app
            .with_db(|c| {
                use diesel::RunQueryDsl;
                diesel::sql_query("SELECT id FROM fair_sessions WHERE kind = 'one_on_one' ORDER BY starts_at")
                    .load::<Row>(c)
                    .unwrap()
                    .into_iter()
                    .map(|r| r.id)
                    .collect()
            })
            .await
    };
    assert_eq!(slots.len(), 2);
    assert_eq!(w.register(&w.ava, &slots[0]).await.status(), 303);
    let r = w.register(&w.ava, &slots[1]).await;
    assert_eq!(r.status(), 409);
    assert!(r.text().await.unwrap().contains("already hold a one-on-one slot with this employer"));
    let r = w.register(&w.ben, &slots[0]).await;
    assert_eq!(r.status(), 409, "a taken slot keeps no waitlist");
    assert!(r.text().await.unwrap().contains("this slot is already taken"));
}

#[tokio::test]
async fn another_employer_s_recruiter_reaches_none_of_a_session_s_controls() {
    let w = world().await;
    let s = w.session(&w.recruiter_a, "Analytics talk", "2027-02-17", "13:00", "14:00", "30").await;
    assert_eq!(w.register(&w.ava, &s).await.status(), 303);
    let reg = w.app.with_db(|c| count(c, "SELECT COUNT(*) AS n FROM registrations")).await;
    assert_eq!(reg, 1);
    for path in [
        format!("/sessions/{s}"),
        format!("/sessions/{s}/edit"),
        format!("/sessions/{s}/roster"),
        format!("/sessions/{s}/join"),
    ] {
        let (status, _) = w.page(&w.recruiter_b, &path).await;
        assert_eq!(status, 404, "{path}");
    }
    let edit = [
        ("title", "Hijacked"),
        ("date", "2027-02-17"),
        ("start", "15:00"),
        ("end", "16:00"),
        ("capacity", "1"),
        ("meeting_url", "https://evil.example.com/"),
    ];
    assert_eq!(w.post(&w.recruiter_b, &format!("/sessions/{s}/edit"), &edit).await.status(), 404);
    assert_eq!(
        w.post(&w.recruiter_b, &format!("/sessions/{s}/withdraw"), &[("reason", "x"), ("confirm", "yes")])
            .await
            .status(),
        404
    );
    let reg_id = {
        #[derive(diesel::QueryableByName)]
        struct Row {
            #[diesel(sql_type = diesel::sql_types::Text)]
            id: String,
        }
        w.app
            .with_db(|c| {
                use diesel::RunQueryDsl;
                diesel::sql_query("SELECT id FROM registrations").load::<Row>(c).unwrap().remove(0).id
            })
            .await
    };
    assert_eq!(
        w.post(&w.recruiter_b, &format!("/sessions/{s}/attendance"), &[("registration", &reg_id), ("attended", "yes")])
            .await
            .status(),
        404
    );
    let unchanged = w
        .app
        .with_db(|c| count(c, "SELECT COUNT(*) AS n FROM fair_sessions WHERE title = 'Analytics talk' AND status = 'scheduled' AND sequence = 0 AND capacity = 30"))
        .await;
    assert_eq!(unchanged, 1, "nothing changed");
    assert_eq!(
        w.app.with_db(|c| count(c, "SELECT COUNT(*) AS n FROM registrations WHERE attended_at IS NOT NULL")).await,
        0
    );

    // Its own recruiter sees the roster (not kept by the browser, and audited).
    let r = w.recruiter_a.get(format!("{}/sessions/{s}/roster", w.app.address)).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers().get("cache-control").unwrap(), "no-store");
    assert!(r.text().await.unwrap().contains("Student N1"));
    assert_eq!(
        w.app
            .with_db(|c| count(c, "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'registrations.viewed'"))
            .await,
        1
    );
}

#[tokio::test]
async fn changing_or_cancelling_a_session_tells_its_students_and_bumps_its_sequence() {
    let w = world().await;
    let s = w.session(&w.recruiter_a, "Analytics talk", "2027-02-17", "13:00", "14:00", "30").await;
    assert_eq!(w.register(&w.ava, &s).await.status(), 303);
    let same = [
        ("title", "Analytics talk, renamed"),
        ("description", ""),
        ("date", "2027-02-17"),
        ("start", "13:00"),
        ("end", "14:00"),
        ("capacity", "30"),
        ("meeting_url", "https://meet.example.com/brightpath"),
    ];
    assert_eq!(w.post(&w.recruiter_a, &format!("/sessions/{s}/edit"), &same).await.status(), 303);
    assert_eq!(w.notifications("fair_session.changed").await, 0, "a new title alone is not a change of plans");
    let mut moved = same;
    moved[3] = ("start", "15:00");
    moved[4] = ("end", "16:00");
    let page = w.follow(&w.recruiter_a, w.post(&w.recruiter_a, &format!("/sessions/{s}/edit"), &moved).await).await;
    assert!(page.contains("saved; its students were told"), "{page}");
    assert_eq!(w.notifications("fair_session.changed").await, 1);
    assert_eq!(w.app.with_db(|c| count(c, "SELECT COUNT(*) AS n FROM fair_sessions WHERE sequence = 1")).await, 1);

    let r = w.post(&w.recruiter_a, &format!("/sessions/{s}/withdraw"), &[("reason", "Our speaker is ill")]).await;
    assert_eq!(r.status(), 200, "asks first");
    assert!(r.text().await.unwrap().contains("Our speaker is ill"));
    let r = w
        .post(
            &w.recruiter_a,
            &format!("/sessions/{s}/withdraw"),
            &[("reason", "Our speaker is ill"), ("confirm", "yes")],
        )
        .await;
    let page = w.follow(&w.recruiter_a, r).await;
    assert!(page.contains("is cancelled; 1 student told"), "{page}");
    assert_eq!(w.notifications("fair_session.cancelled").await, 1);
    assert_eq!(
        w.app.with_db(|c| count(c, "SELECT COUNT(*) AS n FROM registrations WHERE status = 'cancelled'")).await,
        1
    );
}

#[tokio::test]
async fn the_join_link_opens_ten_minutes_before_records_attendance_and_closes_at_the_end() {
    let mut w = world().await;
    let s = w.session(&w.recruiter_a, "Analytics talk", "2027-02-17", "13:00", "14:00", "30").await;
    assert_eq!(w.register(&w.ava, &s).await.status(), 303);
    let (status, page) = w.page(&w.ava, &format!("/sessions/{s}/join")).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("opens at <time datetime=\"2027-02-17T17:50:00Z\">Feb 17, 2027, 12:50 PM EST</time>"),
        "{page}"
    );
    assert!(!page.contains("meet.example.com"), "the link is not shown before");
    let r = w.ben.get(format!("{}/sessions/{s}/join", w.app.address)).send().await.unwrap();
    assert_eq!(r.status(), 409, "not registered");

    w.set_campus("2027-02-17", "12:51").await;
    let r = w.ava.get(format!("{}/sessions/{s}/join", w.app.address)).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "https://meet.example.com/brightpath");
    assert_eq!(
        w.app.with_db(|c| count(c, "SELECT COUNT(*) AS n FROM registrations WHERE attended_at IS NOT NULL")).await,
        1
    );
    let r = w.recruiter_a.get(format!("{}/sessions/{s}/join", w.app.address)).send().await.unwrap();
    assert_eq!(r.status(), 303, "the host joins too");

    // The host marks attendance by hand.
    assert_eq!(w.register(&w.ben, &s).await.status(), 303);
    let reg = {
        #[derive(diesel::QueryableByName)]
        struct Row {
            #[diesel(sql_type = diesel::sql_types::Text)]
            id: String,
        }
        w.app
            .with_db(|c| {
                use diesel::RunQueryDsl;
                diesel::sql_query("SELECT id FROM registrations WHERE attended_at IS NULL")
                    .load::<Row>(c)
                    .unwrap()
                    .remove(0)
                    .id
            })
            .await
    };
    let r = w
        .post(&w.recruiter_a, &format!("/sessions/{s}/attendance"), &[("registration", &reg), ("attended", "yes")])
        .await;
    let page = w.follow(&w.recruiter_a, r).await;
    assert!(page.contains("Student N2 marked as attended"), "{page}");

    w.set_campus("2027-02-17", "14:00").await;
    let (status, page) = w.page(&w.ava, &format!("/sessions/{s}/join")).await;
    assert_eq!(status, 200);
    assert!(page.contains("The session has ended"), "{page}");
}

#[tokio::test]
async fn two_no_shows_in_a_term_pause_registration_until_a_counselor_clears_them() {
    let mut w = world().await;
    let first = w.session(&w.recruiter_a, "Morning talk", "2027-02-17", "10:00", "11:00", "30").await;
    let second = w.session(&w.recruiter_b, "Noon talk", "2027-02-17", "12:00", "13:00", "30").await;
    let third = w.session(&w.recruiter_a, "Second day talk", "2027-02-18", "10:00", "11:00", "30").await;
    assert_eq!(w.register(&w.ava, &first).await.status(), 303);
    assert_eq!(w.register(&w.ava, &second).await.status(), 303);

    w.set_campus("2027-02-18", "08:00").await;
    let r = w.register(&w.ava, &third).await;
    assert_eq!(r.status(), 409);
    let page = r.text().await.unwrap();
    assert!(page.contains("you missed 2 sessions you had registered for this term (the limit is 2)"), "{page}");
    assert!(page.contains("contact the career office"));

    let (status, page) = w.page(&w.counselor, "/fairs/no-shows").await;
    assert_eq!(status, 200);
    assert!(page.contains("Student N1") && page.contains("Spring 2027"), "{page}");
    let student = w
        .app
        .with_db(|c| {
            #[derive(diesel::QueryableByName)]
            struct Row {
                #[diesel(sql_type = diesel::sql_types::Text)]
                id: String,
            }
            use diesel::RunQueryDsl;
            diesel::sql_query("SELECT id FROM students WHERE student_number = 'N1'")
                .load::<Row>(c)
                .unwrap()
                .remove(0)
                .id
        })
        .await;
    let page =
        w.follow(&w.counselor, w.post(&w.counselor, &format!("/fairs/no-shows/{student}/clear"), &[]).await).await;
    assert!(page.contains("2 missed sessions of Student N1 cleared: they can register again"), "{page}");
    assert!(page.contains("No student is paused this term."));
    let page = w.follow(&w.ava, w.register(&w.ava, &third).await).await;
    assert!(page.contains("You are registered for “Second day talk”"), "{page}");
}

#[tokio::test]
async fn where_a_fair_asks_for_approval_an_employer_waits_until_a_counselor_approves() {
    let w = world().await;
    let r = w
        .post(
            &w.counselor,
            "/fairs",
            &[
                ("name", "Health Careers Day"),
                ("requires_approval", "yes"),
                ("day1_date", "2027-03-03"),
                ("day1_start", "10:00"),
                ("day1_end", "15:00"),
            ],
        )
        .await;
    let fair = id_in(&r);
    let (status, _) = w.page(&w.ava, &format!("/fairs/{fair}")).await;
    assert_eq!(status, 404, "a draft is the office's only");
    assert_eq!(w.post(&w.counselor, &format!("/fairs/{fair}/publish"), &[]).await.status(), 303);
    let page = w.follow(&w.recruiter_b, w.post(&w.recruiter_b, &format!("/fairs/{fair}/join"), &[]).await).await;
    assert!(page.contains("Your request to take part was sent"), "{page}");
    assert!(page.contains("Waiting for approval"));
    assert_eq!(w.notifications("fair.join_requested").await, 1, "the office is told");
    let fields = [
        ("title", "Nursing careers"),
        ("date", "2027-03-03"),
        ("start", "11:00"),
        ("end", "12:00"),
        ("capacity", "20"),
        ("meeting_url", "https://meet.example.com/h"),
    ];
    let r = w.post(&w.recruiter_b, &format!("/fairs/{fair}/sessions"), &fields).await;
    assert_eq!(r.status(), 409, "no session before approval");
    let (_, page) = w.page(&w.ava, &format!("/fairs/{fair}")).await;
    assert!(!page.contains("Harbor Health"), "students see only employers taking part");

    let employer = w
        .app
        .with_db(|c| {
            #[derive(diesel::QueryableByName)]
            struct Row {
                #[diesel(sql_type = diesel::sql_types::Text)]
                id: String,
            }
            use diesel::RunQueryDsl;
            diesel::sql_query("SELECT id FROM employers WHERE name = 'Harbor Health'")
                .load::<Row>(c)
                .unwrap()
                .remove(0)
                .id
        })
        .await;
    let r =
        w.post(&w.counselor, &format!("/fairs/{fair}/employers/{employer}/decide"), &[("decision", "approve")]).await;
    let page = w.follow(&w.counselor, r).await;
    assert!(page.contains("Harbor Health takes part in the fair"), "{page}");
    assert_eq!(w.notifications("fair.participation_decided").await, 1, "its recruiters are told");
    assert_eq!(w.post(&w.recruiter_b, &format!("/fairs/{fair}/sessions"), &fields).await.status(), 303);
    let (_, page) = w.page(&w.ava, &format!("/fairs/{fair}")).await;
    assert!(page.contains("Harbor Health") && page.contains("Nursing careers"), "{page}");
}

/// `METHOD UID SEQUENCE` of an `.ics`, as Python's `icalendar` reads it, after `vobject`
/// read it with validation (both independent of the crate that wrote it).
fn parsed_by_python(ics: &str) -> String {
    let script = "import sys, icalendar, vobject\n\
                  data = sys.stdin.buffer.read()\n\
                  v = vobject.readOne(data.decode(), validate=True)\n\
                  cal = icalendar.Calendar.from_ical(data)\n\
                  ev = cal.walk('VEVENT')[0]\n\
                  assert v.vevent.uid.value == str(ev['UID'])\n\
                  assert ev.decoded('DTSTART') < ev.decoded('DTEND')\n\
                  print(cal['METHOD'], ev['UID'], ev['SEQUENCE'], ev.decoded('DTSTART').isoformat())\n";
    python(script, ics)
}

/// What a Python `script` prints reading `input` on its standard input (it must succeed).
fn python(script: &str, input: &str) -> String {
    use std::io::Write;
    let mut child = std::process::Command::new("python3")
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("python3 (with icalendar and vobject from PyPI)");
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "the parsers refused it: {}\n{input}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

#[tokio::test]
async fn a_registration_downloads_as_an_invitation_updated_and_cancelled_with_a_higher_sequence() {
    let w = world().await;
    let s = w.session(&w.recruiter_a, "Analytics talk", "2027-02-17", "13:00", "14:00", "30").await;
    let ics = |b: &reqwest::Client| {
        let url = format!("{}/sessions/{s}/calendar.ics", w.app.address);
        let b = b.clone();
        async move {
            let r = b.get(url).send().await.unwrap();
            (
                r.status().as_u16(),
                r.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned()),
                r.text().await.unwrap(),
            )
        }
    };
    assert_eq!(ics(&w.ava).await.0, 404, "not registered: no invitation");
    assert_eq!(ics(&w.recruiter_b).await.0, 404, "another employer's session");
    assert_eq!(w.register(&w.ava, &s).await.status(), 303);
    let (status, kind, text) = ics(&w.ava).await;
    assert_eq!(status, 200);
    assert_eq!(kind.as_deref(), Some("text/calendar; charset=utf-8; method=REQUEST"));
    assert!(text.split_inclusive('\n').all(|l| l.ends_with("\r\n")), "CRLF line ends");
    assert!(text.split("\r\n").all(|l| l.len() <= 75), "folded at 75 octets");
    assert!(text.contains("ORGANIZER;CN=Career office:mailto:") && text.contains("DTSTAMP:"), "{text}");
    let uid = format!("fair-session-{s}@127.0.0.1");
    assert_eq!(parsed_by_python(&text), format!("REQUEST {uid} 0 2027-02-17T18:00:00+00:00"));

    let moved = [
        ("title", "Analytics talk"),
        ("date", "2027-02-17"),
        ("start", "15:00"),
        ("end", "16:00"),
        ("capacity", "30"),
        ("meeting_url", "https://meet.example.com/brightpath"),
    ];
    assert_eq!(w.post(&w.recruiter_a, &format!("/sessions/{s}/edit"), &moved).await.status(), 303);
    assert_eq!(
        parsed_by_python(&ics(&w.ava).await.2),
        format!("REQUEST {uid} 1 2027-02-17T20:00:00+00:00"),
        "an update"
    );
    assert_eq!(w.post(&w.ava, &format!("/sessions/{s}/cancel"), &[("confirm", "yes")]).await.status(), 303);
    let (_, kind, text) = ics(&w.ava).await;
    assert_eq!(kind.as_deref(), Some("text/calendar; charset=utf-8; method=CANCEL"));
    assert_eq!(
        parsed_by_python(&text),
        format!("CANCEL {uid} 2 2027-02-17T20:00:00+00:00"),
        "the same event, cancelled"
    );
    assert_eq!(ics(&w.recruiter_a).await.0, 200, "the host has it too");
}
