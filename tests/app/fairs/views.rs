//! The fair's views: a student filters the sessions (employer, day, times, on now or
//! later today, kind; kept as typed, a page at a time), the host downloads the roster as
//! CSV (audited, not cached, another employer's is 404), and the office's overview shows
//! the same figures as the `fair-attendance` rows it is made from.

use waypoint::fairs::store::figures::{self, Filters, COLUMNS};

use super::{location, world, World};
use crate::helpers::count;
use crate::recruiters::recruiter_sign_in;

async fn one(w: &World, sql: &str) -> String {
    #[derive(diesel::QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Text)]
        id: String,
    }
    let sql = sql.to_owned();
    w.app
        .with_db(move |c| {
            use diesel::RunQueryDsl;
            diesel::sql_query(&sql).load::<Row>(c).unwrap().remove(0).id
        })
        .await
}

async fn n(w: &World, sql: &str) -> i64 {
    let sql = sql.to_owned();
    w.app.with_db(move |c| count(c, &sql)).await
}

/// The "All sessions" part of a fair's page (the on-now and next lists above it are not filtered).
fn listed(page: &str) -> &str {
    page.split("id=\"sessions-title\"").nth(1).expect("the sessions list")
}

#[tokio::test]
async fn a_student_filters_a_fair_s_sessions_by_employer_day_time_and_kind() {
    let mut w = world().await;
    w.session(&w.recruiter_a, "Analytics talk", "2027-02-17", "13:00", "14:00", "30").await;
    w.session(&w.recruiter_b, "Nursing careers", "2027-02-17", "15:00", "16:00", "30").await;
    let series = [
        ("title", "Portfolio chats"),
        ("date", "2027-02-18"),
        ("start", "09:00"),
        ("end", "09:40"),
        ("slot_minutes", "20"),
        ("gap_minutes", "0"),
        ("meeting_url", "https://meet.example.com/chat"),
    ];
    assert_eq!(w.post(&w.recruiter_a, &format!("/fairs/{}/series", w.fair), &series).await.status(), 303);
    let harbor = one(&w, "SELECT id FROM employers WHERE name = 'Harbor Health'").await;
    let fair = format!("/fairs/{}", w.fair);
    let shown = |page: &str| {
        ["Analytics talk", "Nursing careers", "Portfolio chats"]
            .into_iter()
            .filter(|t| listed(page).contains(t))
            .count()
    };

    let (status, page) = w.page(&w.ava, &fair).await;
    assert_eq!(status, 200);
    assert_eq!(shown(&page), 3);
    for label in ["for=\"field-employer\">Employer", "for=\"field-day\">Day", "for=\"field-from\">Starting from"] {
        assert!(page.contains(label), "{label}");
    }
    assert!(page.contains("for=\"field-to\">Ending by") && page.contains("for=\"field-kind\">Kind"));
    assert!(page.contains("for=\"field-when\">When"));

    let (_, page) = w.page(&w.ava, &format!("{fair}?employer={harbor}")).await;
    let list = listed(&page);
    assert!(list.contains("Nursing careers") && !list.contains("Analytics talk") && !list.contains("Portfolio chats"));
    assert!(page.contains(&format!("<option value=\"{harbor}\" selected>Harbor Health</option>")), "kept");
    assert!(list.contains("1 session matches the filters"), "{list}");

    let (_, page) = w.page(&w.ava, &format!("{fair}?kind=one_on_one")).await;
    let list = listed(&page);
    assert!(list.contains("Portfolio chats") && !list.contains("Analytics talk") && !list.contains("Nursing careers"));
    assert!(list.contains("2 sessions match the filters"), "{list}");
    let (_, page) = w.page(&w.ava, &format!("{fair}?day=2027-02-18")).await;
    assert!(listed(&page).contains("Portfolio chats") && shown(&page) == 1);
    let (_, page) = w.page(&w.ava, &format!("{fair}?from=14:00")).await;
    assert!(listed(&page).contains("Nursing careers") && shown(&page) == 1);
    let (_, page) = w.page(&w.ava, &format!("{fair}?to=14:00&kind=group")).await;
    assert!(listed(&page).contains("Analytics talk") && shown(&page) == 1);

    // A time not understood is named on its field, kept as typed; the other filters apply.
    let (status, page) = w.page(&w.ava, &format!("{fair}?from=2pm&kind=group")).await;
    assert_eq!(status, 200);
    assert!(page.contains("Starting from: is not a time HH:MM") && page.contains("value=\"2pm\""), "{page}");
    assert!(page.contains("<option value=\"group\" selected>Group sessions</option>"));
    assert_eq!(shown(&page), 2);

    // On now and later today, on the campus clock.
    w.set_campus("2027-02-17", "13:30").await;
    let (_, page) = w.page(&w.ava, &format!("{fair}?when=now")).await;
    assert!(listed(&page).contains("Analytics talk") && shown(&page) == 1);
    let (_, page) = w.page(&w.ava, &format!("{fair}?when=later_today")).await;
    assert!(listed(&page).contains("Nursing careers") && shown(&page) == 1);
    let (_, page) = w.page(&w.ava, &format!("{fair}?when=later_today&employer={harbor}&kind=one_on_one")).await;
    assert!(listed(&page).contains("No session matches these filters."));
}

#[tokio::test]
async fn a_long_list_of_sessions_comes_a_page_at_a_time_keeping_the_filters() {
    let w = world().await;
    // 24 ten-minute slots from 9:00 to 13:00, and a group session.
    let series = [
        ("title", "Quick chats"),
        ("date", "2027-02-17"),
        ("start", "09:00"),
        ("end", "13:00"),
        ("slot_minutes", "10"),
        ("gap_minutes", "0"),
        ("meeting_url", "https://meet.example.com/chat"),
    ];
    let page =
        w.follow(&w.recruiter_a, w.post(&w.recruiter_a, &format!("/fairs/{}/series", w.fair), &series).await).await;
    assert!(page.contains("24 one-on-one slots added"), "{page}");
    w.session(&w.recruiter_b, "Nursing careers", "2027-02-18", "10:00", "11:00", "30").await;
    w.session(&w.recruiter_b, "Night shift Q&A", "2027-02-18", "11:00", "12:00", "30").await;
    let fair = format!("/fairs/{}", w.fair);
    let (_, page) = w.page(&w.ava, &fair).await;
    assert!(page.contains("Page 1 of 2") && listed(&page).contains("Nursing careers"), "25 a page, in time order");
    assert!(!listed(&page).contains("Night shift"));
    let (_, page) = w.page(&w.ava, &format!("{fair}?page=2")).await;
    assert!(page.contains("Page 2 of 2") && listed(&page).contains("Night shift Q&amp;A"));
    assert!(!listed(&page).contains("Nursing careers"));
    // Past the end: the last page, with the filters kept.
    let r = w.ava.get(format!("{}{fair}?kind=group&page=99", w.app.address)).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), format!("{fair}?kind=group&page=1"));
    let r = w.ava.get(format!("{}{fair}?kind=one_on_one&page=9", w.app.address)).send().await.unwrap();
    assert_eq!(location(&r), format!("{fair}?kind=one_on_one&page=1"), "24 slots fit one page");
}

/// Two sessions of Brightpath (A) on Feb 17: "Small group" 13:00–14:00 with one seat (Ava
/// holds it, Ben waits) and "Afternoon talk" 15:00–16:00 with five (both hold one); and
/// Harbor Health's (B) "Nursing careers" on Feb 18 with ten seats, no one yet. Ava joins
/// the afternoon talk; she misses the small group and Ben the afternoon talk.
async fn attended_world() -> (World, String, String) {
    let mut w = world().await;
    let small = w.session(&w.recruiter_a, "Small group", "2027-02-17", "13:00", "14:00", "1").await;
    let talk = w.session(&w.recruiter_a, "Afternoon talk", "2027-02-17", "15:00", "16:00", "5").await;
    w.session(&w.recruiter_b, "Nursing careers", "2027-02-18", "10:00", "11:00", "10").await;
    for (b, s) in [(&w.ava, &small), (&w.ben, &small), (&w.ava, &talk), (&w.ben, &talk)] {
        assert_eq!(w.register(b, s).await.status(), 303);
    }
    w.set_campus("2027-02-17", "14:55").await;
    assert_eq!(w.ava.get(format!("{}/sessions/{talk}/join", w.app.address)).send().await.unwrap().status(), 303);
    w.set_campus("2027-02-17", "16:30").await;
    // Harbor Health's recruiter signs in again too (a session ends after an idle hour).
    let b = crate::helpers::browser();
    let r = recruiter_sign_in(&w.app, &b, "sam.lee@harborhealth.org", "a long enough passphrase").await;
    assert_eq!(r.status(), 303);
    w.recruiter_b = b;
    (w, small, talk)
}

#[tokio::test]
async fn the_host_downloads_the_roster_as_csv_audited_and_another_employer_cannot() {
    let (w, small, talk) = attended_world().await;
    // A major a spreadsheet would take for a formula.
    let fixed = w
        .app
        .with_db(|c| {
            use diesel::RunQueryDsl;
            diesel::sql_query("UPDATE students SET major = '=1+2' WHERE student_number = 'N1'").execute(c).unwrap()
        })
        .await;
    assert_eq!(fixed, 1);
    let csv = |b: &reqwest::Client, s: &str| b.get(format!("{}/sessions/{s}/roster.csv", w.app.address)).send();

    let r = csv(&w.recruiter_a, &small).await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "text/csv; charset=utf-8");
    assert_eq!(r.headers()["cache-control"], "no-store");
    assert_eq!(
        r.headers()["content-disposition"],
        "attachment; filename=\"roster_spring-virtual-fair_small-group_2027-02-17.csv\""
    );
    let body = r.text().await.unwrap();
    assert_eq!(
        body,
        "\u{feff}student,email,major,class_year,status,waitlist_position,attended_at,attendance\r\n\
         Student N1,ava.okafor@northfield.edu,'=1+2,2027,registered,,,no_show\r\n\
         Student N2,ben.lee@northfield.edu,Finance,2027,waitlisted,1,,\r\n"
    );
    let body = csv(&w.counselor, &talk).await.unwrap().text().await.unwrap();
    assert_eq!(
        body,
        "\u{feff}student,email,major,class_year,status,waitlist_position,attended_at,attendance\r\n\
         Student N1,ava.okafor@northfield.edu,'=1+2,2027,registered,,2027-02-17T19:55:00Z,attended\r\n\
         Student N2,ben.lee@northfield.edu,Finance,2027,registered,,,no_show\r\n",
        "the office may download it too"
    );
    assert_eq!(n(&w, "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'registrations.exported'").await, 2);

    // Another employer's recruiter, a student, and an unknown session: not found, not audited.
    assert_eq!(csv(&w.recruiter_b, &small).await.unwrap().status(), 404);
    assert_eq!(csv(&w.ava, &small).await.unwrap().status(), 404);
    assert_eq!(csv(&w.recruiter_a, "00000000-0000-4000-8000-000000000000").await.unwrap().status(), 404);
    assert_eq!(n(&w, "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'registrations.exported'").await, 2);
    // The roster page links the file.
    let (_, page) = w.page(&w.recruiter_a, &format!("/sessions/{small}/roster")).await;
    assert!(page.contains(&format!("href=\"/sessions/{small}/roster.csv\"")), "{page}");
}

#[tokio::test]
async fn the_office_s_overview_shows_the_figures_of_the_fair_attendance_rows() {
    let (w, _, _) = attended_world().await;
    let fair = w.fair.clone();
    let now = w.app.clock.now().naive_utc();
    let rows = w
        .app
        .with_db(move |c| {
            let mut rows = Vec::new();
            let filters = Filters::of_fair(&fair.as_str().into());
            figures::rows(c, &filters, now, &mut |r| {
                rows.push(r);
                true
            })
            .unwrap();
            rows
        })
        .await;
    assert_eq!(COLUMNS.len(), 11);
    let row = |session: &str| rows.iter().find(|r| r[2] == session).unwrap().clone();
    // Hand-computed: the small group had 1 seat, Ava held it and missed it, Ben waited.
    assert_eq!(
        row("Small group"),
        [
            "Spring Virtual Fair",
            "Brightpath Analytics",
            "Small group",
            "group",
            "2027-02-17T18:00:00Z",
            "1",
            "1",
            "1",
            "0",
            "1",
            "0.0000"
        ]
    );
    assert_eq!(
        row("Afternoon talk")[5..],
        ["5", "2", "0", "1", "1", "0.5000"],
        "two registered, Ava came, Ben did not"
    );
    assert_eq!(row("Nursing careers")[5..], ["10", "0", "0", "0", "0", ""], "not over yet: no rate");
    assert_eq!(rows.len(), 3);
    // The report's other filters: one employer, and campus dates (Feb 18 on).
    let harbor = one(&w, "SELECT id FROM employers WHERE name = 'Harbor Health'").await;
    let (fair, clock) = (w.fair.clone(), w.app.clock.clone());
    let sessions = w
        .app
        .with_db(move |c| {
            let by_employer = Filters { employer: Some(harbor.as_str().into()), ..Filters::default() };
            let day = chrono::NaiveDate::from_ymd_opt(2027, 2, 18);
            let from_18th = Filters::of_fair(&fair.as_str().into()).between(&clock, day, None);
            let until_17th = Filters::default().between(&clock, None, day.and_then(|d| d.pred_opt()));
            [by_employer, from_18th, until_17th]
                .map(|f| figures::sessions(c, &f, now).unwrap().into_iter().map(|s| s.session).collect::<Vec<_>>())
        })
        .await;
    assert_eq!(sessions[0], ["Nursing careers"]);
    assert_eq!(sessions[1], ["Nursing careers"]);
    assert_eq!(sessions[2], ["Small group", "Afternoon talk"]);

    // The overview sums the same rows: Brightpath has 2 sessions, 6 seats, 3 registered
    // (fill 3/6 = 50%), 1 waiting, 1 attended of 3 registered at ended sessions (33.33%),
    // 2 no-shows.
    let sum = |employer: &str, col: usize| -> i64 {
        rows.iter().filter(|r| r[1] == employer).map(|r| r[col].parse::<i64>().unwrap()).sum()
    };
    let (seats, registered, waiting, attended, no_shows) = (
        sum("Brightpath Analytics", 5),
        sum("Brightpath Analytics", 6),
        sum("Brightpath Analytics", 7),
        sum("Brightpath Analytics", 8),
        sum("Brightpath Analytics", 9),
    );
    assert_eq!((seats, registered, waiting, attended, no_shows), (6, 3, 1, 1, 2));
    let (status, page) = w.page(&w.counselor, &format!("/fairs/{}", w.fair)).await;
    assert_eq!(status, 200);
    let brightpath = format!(
        "<th scope=\"row\" data-label=\"Employer\">Brightpath Analytics</th><td data-label=\"Sessions\">2</td>\
         <td data-label=\"Seats\">{seats}</td><td data-label=\"Registered\">{registered}</td>\
         <td data-label=\"Fill rate\">50%</td><td data-label=\"Waitlisted\">{waiting}</td>\
         <td data-label=\"Attended\">{attended}</td><td data-label=\"Attendance rate\">33.33%</td>\
         <td data-label=\"No-shows\">{no_shows}</td>"
    );
    assert!(page.contains(&brightpath), "{page}");
    assert!(page.contains(
        "<th scope=\"row\" data-label=\"Employer\">Harbor Health</th><td data-label=\"Sessions\">1</td>\
         <td data-label=\"Seats\">10</td><td data-label=\"Registered\">0</td><td data-label=\"Fill rate\">0%</td>\
         <td data-label=\"Waitlisted\">0</td><td data-label=\"Attended\">0</td>\
         <td data-label=\"Attendance rate\">—</td><td data-label=\"No-shows\">0</td>"
    ));
    // All employers: 16 seats, 3 registered (18.75%), 1 of 3 came.
    assert!(page.contains("<td data-label=\"Fill rate\">18.75%</td>"), "{page}");
    // Students and recruiters do not see the office's figures.
    let (_, page) = w.page(&w.ava, &format!("/fairs/{}", w.fair)).await;
    assert!(!page.contains("overview-title"));
    let (_, page) = w.page(&w.recruiter_a, &format!("/fairs/{}", w.fair)).await;
    assert!(!page.contains("overview-title"));
}
