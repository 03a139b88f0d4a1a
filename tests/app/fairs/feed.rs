//! The private calendar feed: made from `/fairs`, its address shown once in the message
//! after it; read without a cookie by a calendar app (`text/calendar`, `no-store`),
//! parsed by Python's `icalendar` and `vobject`; only the owner's upcoming sessions (a
//! student's seats, a host's sessions), never a cancelled registration nor another
//! person's; a replaced address and a revoked feed answer 404.

use super::{location, python, world, World};

/// `UID SEQUENCE SUMMARY` of each event of a feed, as Python reads it (no `METHOD`: a
/// subscription is not an invitation), after `vobject` validated it.
fn events_of(ics: &str) -> Vec<String> {
    let script = "import sys, icalendar, vobject\n\
                  data = sys.stdin.buffer.read()\n\
                  vobject.readOne(data.decode(), validate=True)\n\
                  cal = icalendar.Calendar.from_ical(data)\n\
                  assert 'METHOD' not in cal\n\
                  assert str(cal['X-WR-CALNAME']) == 'Waypoint fair sessions'\n\
                  for ev in cal.walk('VEVENT'):\n    \
                      assert ev.decoded('DTSTART') < ev.decoded('DTEND')\n    \
                      print(ev['UID'], ev['SEQUENCE'], ev['SUMMARY'])\n";
    python(script, ics).lines().map(str::to_owned).collect()
}

/// Makes (or, confirmed, replaces) the viewer's feed; its address, from the message shown
/// once on the next page.
async fn make_feed(w: &World, b: &reqwest::Client, fields: &[(&str, &str)]) -> String {
    let r = w.post(b, "/calendar/feed", fields).await;
    assert_eq!(location(&r), "/fairs");
    let page = w.follow(b, r).await;
    let lead = "it is shown only this once: ";
    let at = page.find(lead).unwrap_or_else(|| panic!("the address is shown: {page}")) + lead.len();
    let end = page[at..].find(".ics").expect("a .ics address") + 4;
    let address = page[at..at + end].to_owned();
    assert!(address.starts_with(&format!("{}/calendar/", w.app.address)), "{address}");
    let (_, again) = w.page(b, "/fairs").await;
    assert!(!again.contains(&address), "shown once only");
    address
}

/// The feed as a calendar app reads it: no cookie, no sign-in.
async fn read(address: &str) -> (u16, String) {
    let r = reqwest::Client::new().get(address).send().await.unwrap();
    let status = r.status().as_u16();
    if status == 200 {
        let h = |n: &str| r.headers().get(n).map(|v| v.to_str().unwrap().to_owned());
        assert_eq!(h("content-type").as_deref(), Some("text/calendar; charset=utf-8"));
        assert_eq!(h("cache-control").as_deref(), Some("no-store"));
        assert_eq!(h("set-cookie"), None, "a feed sets no cookie");
    }
    (status, r.text().await.unwrap())
}

#[tokio::test]
async fn a_feed_lists_only_my_upcoming_sessions_and_stops_when_replaced_or_revoked() {
    let w = world().await;
    let talk = w.session(&w.recruiter_a, "Analytics talk", "2027-02-17", "13:00", "14:00", "30").await;
    let clinic = w.session(&w.recruiter_a, "Data clinic", "2027-02-18", "10:00", "11:00", "30").await;
    let nursing = w.session(&w.recruiter_b, "Nursing careers", "2027-02-17", "15:00", "16:00", "30").await;
    for s in [&talk, &clinic] {
        assert_eq!(w.register(&w.ava, s).await.status(), 303);
    }
    assert_eq!(w.register(&w.ben, &nursing).await.status(), 303);
    let r = w.post(&w.ava, &format!("/sessions/{clinic}/cancel"), &[("confirm", "yes")]).await;
    assert_eq!(r.status(), 303, "Ava cancels the clinic");

    let (_, page) = w.page(&w.ava, "/fairs").await;
    assert!(page.contains("<h2 id=\"calendar-feed\">Calendar feed</h2>") && page.contains("Make my calendar feed"));
    let (_, office) = w.page(&w.counselor, "/fairs").await;
    assert!(!office.contains("Calendar feed"), "the office has no sessions of its own");
    assert_eq!(w.post(&w.counselor, "/calendar/feed", &[]).await.status(), 404);

    let ava = make_feed(&w, &w.ava, &[]).await;
    let (status, ics) = read(&ava).await;
    assert_eq!(status, 200);
    assert!(ics.split_inclusive('\n').all(|l| l.ends_with("\r\n")), "CRLF line ends");
    let uid = |s: &str| format!("fair-session-{s}@127.0.0.1");
    assert_eq!(
        events_of(&ics),
        [format!("{} 0 Analytics talk", uid(&talk))],
        "her seat only: not the cancelled clinic, not Ben's session"
    );
    let (_, page) = w.page(&w.ava, "/fairs").await;
    assert!(page.contains("Your private calendar feed has been on since"), "{page}");

    let host = make_feed(&w, &w.recruiter_a, &[]).await;
    let hosted = events_of(&read(&host).await.1);
    assert_eq!(
        hosted,
        [format!("{} 0 Analytics talk", uid(&talk)), format!("{} 0 Data clinic", uid(&clinic))],
        "the host's own sessions, not Harbor Health's"
    );
    let ben = make_feed(&w, &w.ben, &[]).await;
    assert_eq!(events_of(&read(&ben).await.1), [format!("{} 0 Nursing careers", uid(&nursing))]);

    // Replacing asks first; then the old address is gone and the new one works.
    let r = w.post(&w.ava, "/calendar/feed", &[]).await;
    assert_eq!(r.status(), 200, "asks first");
    assert!(r.text().await.unwrap().contains("Replace your calendar feed"));
    assert_eq!(read(&ava).await.0, 200, "nothing changed before confirming");
    let replaced = make_feed(&w, &w.ava, &[("confirm", "yes")]).await;
    assert_ne!(replaced, ava);
    assert_eq!(read(&ava).await.0, 404, "the replaced address");
    assert_eq!(read(&replaced).await.0, 200);

    // Revoking asks first; then the address is 404 and the section offers a new feed.
    let r = w.post(&w.ava, "/calendar/feed/revoke", &[]).await;
    assert_eq!(r.status(), 200, "asks first");
    assert_eq!(read(&replaced).await.0, 200, "nothing changed before confirming");
    let r = w.post(&w.ava, "/calendar/feed/revoke", &[("confirm", "yes")]).await;
    let page = w.follow(&w.ava, r).await;
    assert!(page.contains("Your calendar feed is revoked: its address no longer works"), "{page}");
    assert!(page.contains("Make my calendar feed"));
    assert_eq!(read(&replaced).await.0, 404, "revoked");
    assert_eq!(read(&format!("{}/calendar/not-a-token.ics", w.app.address)).await.0, 404, "unknown");
    assert_eq!(read(&host).await.0, 200, "another person's feed is untouched");
    let tokens: Vec<String> = [&host, &ben].iter().map(|a| a.rsplit('/').next().unwrap().replace(".ics", "")).collect();
    for t in tokens {
        let n = w
            .app
            .with_db(move |c| {
                crate::helpers::count(c, &format!("SELECT COUNT(*) AS n FROM calendar_feeds WHERE token_hash = '{t}'"))
            })
            .await;
        assert_eq!(n, 0, "only the token's digest is stored");
    }
}

/// The section in a real browser (demo mode), checked by axe-core at phone and desktop
/// width: made, the address shown once, then revoked after the question.
#[tokio::test]
async fn the_calendar_feed_section_in_the_browser() {
    use crate::browser::harness::Chromium;
    use crate::helpers::{spawn_app_with, TestDb};
    let app = spawn_app_with(TestDb::new(), &[("WAYPOINT_DEMO", "true")]).await;
    let student = app
        .with_db(|c| {
            use diesel::prelude::*;
            use waypoint::db::schema::students;
            // The demo provider lists the newest class first, by name.
            students::table
                .order((students::class_year.desc(), students::name))
                .select(students::id)
                .first::<String>(c)
                .unwrap()
        })
        .await;
    let b = Chromium::start(&app.address).await;
    b.goto("/auth/login?return_to=/fairs").await;
    b.wait_for_text("Career counselors").await;
    b.click(&format!("form:has(input[name='person'][value='student:{student}']) button")).await;
    b.wait_for_text("Sign out").await;
    b.visit_checked("/fairs", "fairs-calendar-feed").await;
    b.click("form[action='/calendar/feed'] button").await;
    let made = b.wait_for_text("Your calendar feed is ready").await;
    assert!(made.contains(&format!("{}/calendar/", app.address)) && made.contains("Revoke the feed"));
    let problems = b.check_both_here("fairs-calendar-feed-made").await;
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    b.click("form[action='/calendar/feed/revoke'] button").await;
    b.wait_for_text("Revoke your calendar feed?").await;
    let problems = b.check_both_here("calendar-feed-revoke-question").await;
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    b.click("form.confirm-actions button.button-danger").await;
    let revoked = b.wait_for_text("Your calendar feed is revoked").await;
    assert!(revoked.contains("Make my calendar feed"));
}
