//! One-on-one series after they are made: the host shortens a series (free slots after
//! the new end are removed, booked ones are kept and named; asked first; nothing refused
//! that should not be, nothing removed that is booked), and cancels a booked slot only
//! on its own, with a reason the student receives (inbox, and a cancelled `.ics`).
//! Another employer's recruiter reaches none of it.

use super::{location, world, World};
use crate::helpers::count;

async fn ids(w: &World, sql: &str) -> Vec<String> {
    #[derive(diesel::QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Text)]
        id: String,
    }
    let sql = sql.to_owned();
    w.app
        .with_db(move |c| {
            use diesel::RunQueryDsl;
            diesel::sql_query(&sql).load::<Row>(c).unwrap().into_iter().map(|r| r.id).collect()
        })
        .await
}

async fn n(w: &World, sql: &str) -> i64 {
    let sql = sql.to_owned();
    w.app.with_db(move |c| count(c, &sql)).await
}

fn series_form<'a>(date: &'a str, start: &'a str, end: &'a str, slot: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("title", "Chats"),
        ("date", date),
        ("start", start),
        ("end", end),
        ("slot_minutes", slot),
        ("gap_minutes", "0"),
        ("meeting_url", "https://meet.example.com/chat"),
    ]
}

/// Adds a series for recruiter A; answers its page's path (where the redirect leads).
async fn add_series(w: &World, date: &str, start: &str, end: &str, slot: &str) -> (String, String) {
    let r = w.post(&w.recruiter_a, &format!("/fairs/{}/series", w.fair), &series_form(date, start, end, slot)).await;
    assert_eq!(r.status(), 303);
    let path = location(&r);
    assert!(path.starts_with("/series/"), "{path}");
    let page = w.follow(&w.recruiter_a, r).await;
    (path, page)
}

#[tokio::test]
async fn shortening_a_series_removes_free_slots_after_the_new_end_and_keeps_booked_ones() {
    let w = world().await;
    // One slot: the count in words, on the series' own page.
    let (_, page) = add_series(&w, "2027-02-17", "10:00", "10:20", "20").await;
    assert!(page.contains("1 one-on-one slot added to Spring Virtual Fair"), "{page}");
    // Three slots, 9:00, 9:20 and 9:40 on Feb 18; Ava books the middle one.
    let (series, page) = add_series(&w, "2027-02-18", "09:00", "10:00", "20").await;
    assert!(page.contains("3 one-on-one slots added to Spring Virtual Fair"), "{page}");
    let slots = ids(
        &w,
        "SELECT id FROM fair_sessions WHERE kind = 'one_on_one' AND starts_at >= '2027-02-18' ORDER BY starts_at",
    )
    .await;
    assert_eq!(slots.len(), 3);
    assert_eq!(w.register(&w.ava, &slots[1]).await.status(), 303);
    let (_, page) = w.page(&w.recruiter_a, &series).await;
    assert!(page.contains("Student N1") && page.contains("1 booked slot") && page.contains("2 free slots"), "{page}");
    let scheduled = "SELECT COUNT(*) AS n FROM fair_sessions WHERE kind = 'one_on_one' AND status = 'scheduled'";
    assert_eq!(n(&w, scheduled).await, 4);

    // Refused in place, with what was typed and the field named; nothing changes.
    let r = w.post(&w.recruiter_a, &format!("{series}/shorten"), &[("end", "9.20"), ("confirm", "yes")]).await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("New end time: is not a time HH:MM") && page.contains("value=\"9.20\""), "{page}");
    let r = w.post(&w.recruiter_a, &format!("{series}/shorten"), &[("end", "10:00"), ("confirm", "yes")]).await;
    assert_eq!(r.status(), 422, "nothing ends after the series' own end");
    assert!(r.text().await.unwrap().contains("New end time: no free slot ends after this time"));

    // Asked first: which free slots go, which booked one stays.
    let r = w.post(&w.recruiter_a, &format!("{series}/shorten"), &[("end", "09:20")]).await;
    assert_eq!(r.status(), 200);
    let page = r.text().await.unwrap();
    assert!(page.contains("Remove 1 free slot after 9:20 AM EST?"), "{page}");
    assert!(page.contains("1 booked slot: 9:20 AM EST, Student N1"), "{page}");
    assert_eq!(n(&w, scheduled).await, 4, "asking changes nothing");

    // Another employer's recruiter finds no such series.
    assert_eq!(w.page(&w.recruiter_b, &series).await.0, 404);
    let r = w.post(&w.recruiter_b, &format!("{series}/shorten"), &[("end", "09:20"), ("confirm", "yes")]).await;
    assert_eq!(r.status(), 404);
    assert_eq!(n(&w, scheduled).await, 4);

    let r = w.post(&w.recruiter_a, &format!("{series}/shorten"), &[("end", "09:20"), ("confirm", "yes")]).await;
    let page = w.follow(&w.recruiter_a, r).await;
    assert!(
        page.contains(
            "1 free slot after 9:20 AM EST removed from “Chats”; 1 booked slot kept (9:20 AM EST, Student N1)"
        ),
        "{page}"
    );
    assert_eq!(n(&w, scheduled).await, 3, "only the free 9:40 slot went");
    assert_eq!(
        n(&w, &format!("SELECT COUNT(*) AS n FROM fair_sessions WHERE id = '{}' AND status = 'cancelled'", slots[2]))
            .await,
        1
    );
    assert_eq!(
        n(&w, "SELECT COUNT(*) AS n FROM registrations WHERE status = 'registered'").await,
        1,
        "Ava keeps her slot"
    );
    assert_eq!(n(&w, "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'fair_series.shortened'").await, 1);
    // Students no longer see the removed slot.
    let (_, page) = w.page(&w.ben, &format!("/fairs/{}", w.fair)).await;
    assert!(!page.contains(&slots[2]) && page.contains(&slots[0]), "{page}");
    // Shortening to before the booked slot again: the free 9:00 slot ends before 9:20, so
    // only the booked slot lies after it, and that is not the shortening's to remove.
    let r = w.post(&w.recruiter_a, &format!("{series}/shorten"), &[("end", "09:20"), ("confirm", "yes")]).await;
    assert_eq!(r.status(), 422);
    assert_eq!(n(&w, scheduled).await, 3);
    // Shortening to 9:00 removes the free 9:00 slot: a booked slot never stops it.
    let r = w.post(&w.recruiter_a, &format!("{series}/shorten"), &[("end", "09:00"), ("confirm", "yes")]).await;
    let page = w.follow(&w.recruiter_a, r).await;
    assert!(page.contains("1 free slot after 9:00 AM EST removed from “Chats”; 1 booked slot kept"), "{page}");
    assert_eq!(n(&w, scheduled).await, 2);
}

#[tokio::test]
async fn a_booked_slot_is_cancelled_on_its_own_with_a_reason_the_student_receives() {
    let w = world().await;
    let (series, _) = add_series(&w, "2027-02-18", "09:00", "09:40", "20").await;
    let slots = ids(&w, "SELECT id FROM fair_sessions WHERE kind = 'one_on_one' ORDER BY starts_at").await;
    assert_eq!(w.register(&w.ava, &slots[0]).await.status(), 303);
    let cancel = format!("{series}/slots/{}/cancel", slots[0]);

    let r = w.post(&w.recruiter_a, &cancel, &[("reason", "  "), ("confirm", "yes")]).await;
    assert_eq!(r.status(), 422, "a reason is required");
    let r = w.post(&w.recruiter_a, &cancel, &[("reason", "Our reviewer is ill")]).await;
    assert_eq!(r.status(), 200, "asks first");
    let page = r.text().await.unwrap();
    assert!(page.contains("Cancel the slot at 9:00 AM EST booked by Student N1?"), "{page}");
    assert!(page.contains("Our reviewer is ill"));
    assert_eq!(w.notifications("fair_session.cancelled").await, 0);
    let other = w.post(&w.recruiter_b, &cancel, &[("reason", "x"), ("confirm", "yes")]).await;
    assert_eq!(other.status(), 404, "not another employer's to cancel");

    let r = w.post(&w.recruiter_a, &cancel, &[("reason", "Our reviewer is ill"), ("confirm", "yes")]).await;
    assert_eq!(location(&r), series);
    let page = w.follow(&w.recruiter_a, r).await;
    assert!(page.contains("The slot at 9:00 AM EST is cancelled; Student N1 was told your reason"), "{page}");
    assert_eq!(
        n(
            &w,
            "SELECT COUNT(*) AS n FROM notifications WHERE kind = 'fair_session.cancelled' \
             AND body LIKE '%Our reviewer is ill%'"
        )
        .await,
        1,
        "Ava is told, with the reason"
    );
    let (_, inbox) = w.page(&w.ava, "/inbox").await;
    assert!(inbox.contains("“Chats” is cancelled"), "{inbox}");
    // Her calendar entry becomes a cancellation with a higher sequence.
    let r = w.ava.get(format!("{}/sessions/{}/calendar.ics", w.app.address, slots[0])).send().await.unwrap();
    assert_eq!(r.headers()["content-type"], "text/calendar; charset=utf-8; method=CANCEL");
    let ics = r.text().await.unwrap();
    assert!(ics.contains("METHOD:CANCEL") && ics.contains("SEQUENCE:2"), "{ics}");
    // The other slot is untouched, and the cancelled one is off the series.
    assert_eq!(
        n(&w, "SELECT COUNT(*) AS n FROM fair_sessions WHERE kind = 'one_on_one' AND status = 'scheduled'").await,
        1
    );
    let r = w.post(&w.recruiter_a, &cancel, &[("reason", "again"), ("confirm", "yes")]).await;
    assert_eq!(r.status(), 404, "no longer a slot of the series");
}
