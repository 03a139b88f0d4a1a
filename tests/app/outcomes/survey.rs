//! The first-destination survey end to end: a counselor sends it to a class (asked first),
//! each graduate gets their own link (inbox and mail; only digests stored), a graduate
//! answers once (someone else's link is 404), the answer waits for a counselor, and once
//! confirmed the first-destination CSV knows exactly one graduate more. Reminders go at
//! most weekly, also with two instances at once, and stop when answered.

use super::{get, n};
use crate::fixtures::{sql, student};
use crate::helpers::TestApp;
use crate::idp::{csrf_token, spawn_with_idp_at, Idp};

/// The class of 2026 on November 30, 2026: Ava and Ben (portal accounts), Carl (none yet),
/// Dora (an outcome already: not surveyed). Answers (ava, ben, carl, counselor).
async fn class_of_2026(app: &TestApp, idp: &Idp) -> (String, String, String, reqwest::Client) {
    let ava = student(app, "S1", "ava.okafor@northfield.edu", "Engineering", "Physics", 2026).await;
    let ben = student(app, "S2", "ben.lee@northfield.edu", "Engineering", "Physics", 2026).await;
    // Carl signs in later with his student number (the provider's `roster` account).
    let carl = student(app, "N55500011", "carl.moss@northfield.edu", "Engineering", "Physics", 2026).await;
    let dora = student(app, "S4", "dora.fay@northfield.edu", "Engineering", "Physics", 2026).await;
    sql(
        app,
        format!(
            "INSERT INTO outcomes (id, student_id, category, currency, source, is_primary, known_on, created_at, updated_at) \
             VALUES ('o-dora', '{dora}', 'military', 'USD', 'counselor', TRUE, '2026-08-01', '2026-08-01 09:00:00', '2026-08-01 09:00:00')"
        ),
    )
    .await;
    let counselor = app.signed_in(idp, "counselor").await;
    (ava, ben, carl, counselor)
}

/// The Engineering row of the class of 2026's first-destination CSV, as cells.
async fn engineering_row(app: &TestApp, b: &reqwest::Client) -> Vec<String> {
    let r = b.get(format!("{}/reports/first-destination.csv?class=2026", app.address)).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let body = r.text().await.unwrap();
    let line = body.lines().find(|l| l.starts_with("2026,Engineering,")).unwrap_or_else(|| panic!("{body}"));
    line.split(',').map(str::to_owned).collect()
}

/// How many placements the placements CSV lists (its rows, past the header).
async fn placements(app: &TestApp, b: &reqwest::Client) -> usize {
    let r = b.get(format!("{}/reports/placements.csv", app.address)).send().await.unwrap();
    assert_eq!(r.status(), 200);
    r.text().await.unwrap().lines().count() - 1
}

/// Sends the class's survey: the question first (nothing sent), then with `confirm=yes`.
async fn send_survey(app: &TestApp, c: &reqwest::Client) -> String {
    let page = "/outcomes/cohorts/2026";
    let action = "/outcomes/cohorts/2026/survey";
    let r = app.post_form(c, page, action, &[]).await;
    assert_eq!(r.status(), 200, "asked first: {:?}", r.headers().get("location"));
    let question = r.text().await.unwrap();
    assert!(question.contains("Send the survey to 3 graduates of the class of 2026?"), "{question}");
    assert_eq!(n(app, "SELECT COUNT(*) AS n FROM survey_invitations").await, 0, "nothing sent before the answer");
    let r = app.post_form(c, page, action, &[("confirm", "yes")]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], page);
    let (_, html) = get(app, c, page).await;
    assert!(html.contains("<p>Survey sent to 3 graduates</p>"), "the flash counts them: {html}");
    html
}

/// The survey link in the newest inbox item of a signed-in graduate, through the inbox.
async fn link_in_inbox(app: &TestApp, b: &reqwest::Client) -> String {
    let (status, inbox) = get(app, b, "/inbox").await;
    assert_eq!(status, 200);
    assert!(inbox.contains("first-destination survey"), "{inbox}");
    let at = inbox.find("<a href=\"/inbox/").expect("an inbox item") + "<a href=\"".len();
    let item = inbox[at..].split('"').next().unwrap().to_owned();
    let r = b.get(format!("{}{item}", app.address)).send().await.unwrap();
    assert_eq!(r.status(), 303, "the item opens its thing");
    let link = r.headers()["location"].to_str().unwrap().to_owned();
    assert!(link.starts_with("/survey/"), "{link}");
    link
}

fn answer_fields<'a>(category: &'a str, salary: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("category", category),
        ("employment_type", "standard"),
        ("organization", "Acme Labs"),
        ("job_title", "Data analyst"),
        ("start_on", "2026-09-01"),
        ("annual_salary", salary),
        ("currency", "USD"),
        ("offer_on", "2026-07-01"),
        ("accepted_on", "2026-07-03"),
    ]
}

#[tokio::test]
async fn a_graduate_answers_the_survey_once_and_a_confirmed_answer_counts_exactly_once() {
    let (app, idp) = spawn_with_idp_at("2026-11-30", "12:00").await;
    let (ava_id, _ben_id, _carl_id, c) = class_of_2026(&app, &idp).await;
    // Ava and Ben sign in (their roster records link to their accounts); Carl never has.
    let ava = app.signed_in(&idp, "student").await;
    let ben = app.signed_in(&idp, "student-array").await;
    let before = engineering_row(&app, &c).await;
    assert_eq!(&before[2..4], ["4", "1"], "4 graduates, Dora known: {before:?}");

    // The cohort page: 1 of 4 known, 25.0%, below 65%; three can be invited.
    let (status, page) = get(&app, &c, "/outcomes/cohorts/2026").await;
    assert_eq!(status, 200);
    assert!(page.contains("<strong>25.0%</strong>, below NACE's minimum of 65%"), "{page}");
    assert!(page.contains("Send the survey to 3 graduates…"), "{page}");
    send_survey(&app, &c).await;
    assert_eq!(n(&app, "SELECT COUNT(*) AS n FROM survey_invitations WHERE class_year = 2026").await, 3);
    assert_eq!(n(&app, "SELECT COUNT(*) AS n FROM survey_links").await, 3);
    // Inbox and mail for Ava and Ben; Carl, with no account yet, a mail to his roster address.
    assert_eq!(n(&app, "SELECT COUNT(*) AS n FROM notifications WHERE kind = 'outcome_survey'").await, 2);
    assert_eq!(
        n(&app, "SELECT COUNT(*) AS n FROM outbox WHERE to_email = 'carl.moss@northfield.edu' AND body LIKE '%http%/survey/%'").await,
        1
    );
    assert_eq!(
        n(&app, "SELECT COUNT(*) AS n FROM outbox WHERE to_email IN ('ava.okafor@northfield.edu', 'ben.lee@northfield.edu')").await,
        2
    );
    assert_eq!(
        n(&app, "SELECT COUNT(*) AS n FROM outbox WHERE to_email = 'dora.fay@northfield.edu'").await,
        0,
        "a graduate with an outcome is not asked"
    );
    // Sending again reaches nobody new.
    let r = app.post_form(&c, "/outcomes/cohorts/2026", "/outcomes/cohorts/2026/survey", &[("confirm", "yes")]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(n(&app, "SELECT COUNT(*) AS n FROM survey_invitations").await, 3);

    // Ava's link, from her inbox; only its digest is stored.
    let link = link_in_inbox(&app, &ava).await;
    let token = link.trim_start_matches("/survey/").to_owned();
    assert_eq!(n(&app, &format!("SELECT COUNT(*) AS n FROM survey_links WHERE token_digest = '{token}'")).await, 0);

    // Someone else's link: 404 for Ben, and his answer changes nothing; the office is refused.
    let (status, _) = get(&app, &ben, &link).await;
    assert_eq!(status, 404);
    let ben_link = link_in_inbox(&app, &ben).await;
    let r = app.post_form(&ben, &ben_link, &link, &answer_fields("military", "")).await;
    assert_eq!(r.status(), 404);
    let (status, _) = get(&app, &c, &link).await;
    assert_eq!(status, 403);
    let (status, _) = get(&app, &ava, "/survey/not-a-token").await;
    assert_eq!(status, 404);
    let (status, _) = get(&app, &crate::helpers::browser(), &link).await;
    assert_eq!(status, 303, "to the campus sign-in first");

    // Ava's answer, refused first: errors beside the fields, her values kept, nothing written.
    let (status, form) = get(&app, &ava, &link).await;
    assert_eq!(status, 200);
    assert!(form.contains("What are you doing now?") && form.contains("Annual salary"), "{form}");
    let r = app.post_form(&ava, &link, &link, &answer_fields("", "lots")).await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("href=\"#field-category\"") && html.contains("href=\"#field-annual_salary\""), "{html}");
    assert!(html.contains("value=\"lots\"") && html.contains("value=\"Acme Labs\""), "values kept: {html}");
    assert_eq!(n(&app, "SELECT COUNT(*) AS n FROM outcomes").await, 1);

    let r = app.post_form(&ava, &link, &link, &answer_fields("employed_full_time", "61,500")).await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"].to_str().unwrap(), link);
    let (status, html) = get(&app, &ava, &link).await;
    assert_eq!(status, 200);
    assert!(html.contains("Thank you: your answer reached the career office"), "{html}");
    assert!(html.contains("This survey has been answered"), "{html}");
    assert_eq!(
        n(&app, &format!(
            "SELECT COUNT(*) AS n FROM outcomes WHERE student_id = '{ava_id}' AND source = 'survey' AND awaiting_confirmation \
             AND category = 'employed_full_time' AND annual_salary_cents = 6150000 AND known_on = '2026-11-30'"
        ))
        .await,
        1
    );
    // The link cannot be used again: a clear page, 409, nothing written.
    let r = app.post_form(&ava, &link, &link, &answer_fields("military", "")).await;
    assert_eq!(r.status(), 409);
    assert!(r.text().await.unwrap().contains("This survey has been answered"));
    assert_eq!(n(&app, &format!("SELECT COUNT(*) AS n FROM outcomes WHERE student_id = '{ava_id}'")).await, 1);

    // Unconfirmed, the answer counts nowhere yet; the office sees it waiting.
    assert_eq!(engineering_row(&app, &c).await, before, "an unconfirmed answer changes no figure");
    let placed_before = placements(&app, &c).await;
    let (_, page) = get(&app, &c, "/outcomes/cohorts/2026").await;
    assert!(page.contains("<dt>Answered</dt><dd>1 graduate</dd>"), "{page}");
    assert!(page.contains("<dt>Awaiting confirmation</dt><dd>1 answer</dd>"), "{page}");
    assert!(page.contains(&format!("href=\"/students/{ava_id}/outcomes\"")), "{page}");
    let outcomes_page = format!("/students/{ava_id}/outcomes");
    let (_, html) = get(&app, &c, &outcomes_page).await;
    assert!(html.contains("Awaiting confirmation") && html.contains("Correct"), "{html}");
    let id = app
        .with_db(move |c| {
            use diesel::prelude::*;
            use waypoint::db::schema::outcomes;
            outcomes::table.filter(outcomes::source.eq("survey")).select(outcomes::id).first::<String>(c).unwrap()
        })
        .await;

    // The counselor confirms: the CSV knows exactly one graduate more (full-time), nothing else moves.
    let confirm = format!("/students/{ava_id}/outcomes/{id}/confirm");
    let r = app.post_form(&c, &outcomes_page, &confirm, &[]).await;
    assert_eq!(r.status(), 303);
    let (_, html) = get(&app, &c, &outcomes_page).await;
    assert!(html.contains("Survey answer of Student S1 confirmed"), "{html}");
    assert!(html.contains("confirmed: false → true"), "the history keeps it: {html}");
    let after = engineering_row(&app, &c).await;
    assert_eq!(&after[2..5], ["4", "2", "0.5000"], "{after:?}");
    assert_eq!(after[5], "1", "employed full-time: Ava");
    let moved: Vec<usize> = (0..after.len()).filter(|i| after[*i] != before[*i]).collect();
    assert_eq!(moved, [3, 4, 5, 13], "known, its rate, full-time, no information: {before:?} → {after:?}");
    assert_eq!(after[14], "1.0000", "career outcomes: Dora and Ava of 2 known");
    assert_eq!(after[13], "2", "no information: Ben and Carl");
    assert_eq!(placements(&app, &c).await, placed_before + 1, "the confirmed answer is a placement, and only then");
    let r = app.post_form(&c, &outcomes_page, &confirm, &[]).await;
    assert_eq!(r.status(), 409, "confirmed once");
    let (_, page) = get(&app, &c, "/outcomes/cohorts/2026").await;
    assert!(page.contains("<strong>50.0%</strong>"), "the cohort page agrees with the CSV: {page}");
    assert!(page.contains("<dt>Awaiting confirmation</dt><dd>0 answers</dd>"), "{page}");
    assert!(page.contains("<td data-label=\"Month\">November 2026</td><td data-label=\"Known\">2</td>"), "{page}");

    // Students and faculty see no cohort page; a recruiter learns nothing.
    let faculty = app.signed_in(&idp, "faculty").await;
    for (who, b, expected) in [("student", &ava, 403), ("faculty", &faculty, 403)] {
        for path in ["/outcomes/cohorts", "/outcomes/cohorts/2026", "/outcomes/import"] {
            assert_eq!(get(&app, b, path).await.0, expected, "{who} {path}");
        }
    }
    let recruiter = crate::recruiters::a_recruiter(&app, &idp).await;
    assert_eq!(get(&app, &recruiter, "/outcomes/cohorts/2026").await.0, 404);
    let token = csrf_token(&get(&app, &ava, "/inbox").await.1).unwrap();
    let r = ava
        .post(format!("{}/outcomes/cohorts/2026/survey", app.address))
        .header("Origin", &app.address)
        .form(&[("csrf_token", token.as_str()), ("confirm", "yes")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);

    // Carl, mailed before he ever signed in, finds the survey on his home and answers it
    // there, without the link; then it is gone from his home.
    let carl = app.signed_in(&idp, "roster").await;
    let (_, home) = get(&app, &carl, "/").await;
    assert!(home.contains("<a href=\"/survey\">Where are you now?"), "{home}");
    let (status, form) = get(&app, &carl, "/survey").await;
    assert_eq!(status, 200);
    assert!(form.contains("action=\"/survey\"") && form.contains("What are you doing now?"), "{form}");
    let r = app.post_form(&carl, "/survey", "/survey", &answer_fields("seeking_employment", "")).await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/survey");
    let (_, html) = get(&app, &carl, "/survey").await;
    assert!(html.contains("This survey has been answered"), "{html}");
    let (_, home) = get(&app, &carl, "/").await;
    assert!(!home.contains("href=\"/survey\""), "{home}");
    assert_eq!(get(&app, &ava, "/survey").await.0, 200, "Ava's own: answered");
    assert_eq!(get(&app, &faculty, "/survey").await.0, 403);
    assert_eq!(
        n(&app, "SELECT COUNT(*) AS n FROM outcomes WHERE source = 'survey' AND awaiting_confirmation").await,
        1
    );
}

#[tokio::test]
async fn reminders_go_at_most_weekly_once_across_instances_and_stop_when_answered() {
    let (app, idp) = spawn_with_idp_at("2026-11-30", "12:00").await;
    let (ava_id, _, _, c) = class_of_2026(&app, &idp).await;
    app.signed_in(&idp, "student").await; // links Ava's record to her account
    send_survey(&app, &c).await;
    let reminders = "SELECT COUNT(*) AS n FROM outbox WHERE subject LIKE 'A reminder%'";
    let remind = |holder: &'static str| {
        let clock = app.clock.clone();
        app.with_db(move |conn| {
            waypoint::tasks::registry(None).run_once("survey_reminders", conn, &clock, holder).unwrap()
        })
    };

    // Six days and 23 hours later: too soon.
    app.clock.advance(chrono::Duration::days(7) - chrono::Duration::hours(1));
    assert_eq!(remind("a").await, Some(0));
    assert_eq!(n(&app, reminders).await, 0);

    // A week later: each of the three once, even with two instances claiming at once
    // (the task's lease aside: the claim itself holds).
    app.clock.advance(chrono::Duration::hours(1));
    let now = app.clock.now_utc();
    let claim = || app.with_db(move |conn| waypoint::outcomes::survey::remind_due(conn, now, None).unwrap());
    let (x, y) = tokio::join!(claim(), claim());
    assert_eq!(x + y, 3, "three reminders between the two: {x} + {y}");
    assert_eq!(remind("b").await, Some(0), "and none again that week");
    assert_eq!(n(&app, reminders).await, 3);
    assert_eq!(n(&app, "SELECT COUNT(*) AS n FROM survey_invitations WHERE reminders = 1").await, 3);
    assert_eq!(n(&app, "SELECT COUNT(*) AS n FROM survey_links").await, 6, "each reminder a link of its own");

    // Ava answers (with the reminder's link: any of hers works until she answers), signed
    // in again (a week is past any session).
    let ava = app.signed_in(&idp, "student").await;
    let link = link_in_inbox(&app, &ava).await;
    let r = app.post_form(&ava, &link, &link, &answer_fields("continuing_education", "")).await;
    assert_eq!(r.status(), 303);

    // Three days later: nothing; a week after the reminders: Ben and Carl only.
    app.clock.advance(chrono::Duration::days(3));
    assert_eq!(remind("a").await, Some(0));
    app.clock.advance(chrono::Duration::days(4));
    assert_eq!(remind("b").await, Some(2));
    assert_eq!(n(&app, reminders).await, 5);
    assert_eq!(
        n(
            &app,
            &format!("SELECT COUNT(*) AS n FROM survey_invitations WHERE student_id = '{ava_id}' AND reminders = 1")
        )
        .await,
        1,
        "Ava is not reminded after answering"
    );
    // Carl gets an outcome from the office meanwhile: his reminders stop too.
    sql(
        &app,
        "INSERT INTO outcomes (id, student_id, category, currency, source, is_primary, known_on, created_at, updated_at) \
         SELECT 'o-carl', id, 'seeking_employment', 'USD', 'counselor', FALSE, '2026-12-01', '2026-12-01 09:00:00', '2026-12-01 09:00:00' \
         FROM students WHERE student_number = 'N55500011'"
            .into(),
    )
    .await;
    app.clock.advance(chrono::Duration::days(7));
    assert_eq!(remind("a").await, Some(1), "Ben only");

    // Correcting an answer (the outcome form) confirms it too.
    let c = app.signed_in(&idp, "counselor").await;
    let id = app
        .with_db(move |c| {
            use diesel::prelude::*;
            use waypoint::db::schema::outcomes;
            outcomes::table.filter(outcomes::source.eq("survey")).select(outcomes::id).first::<String>(c).unwrap()
        })
        .await;
    let edit = format!("/students/{ava_id}/outcomes/{id}/edit");
    let (status, form) = get(&app, &c, &edit).await;
    assert_eq!(status, 200);
    assert!(form.contains("value=\"continuing_education\" selected"), "the answer in the form: {form}");
    let corrected = [
        ("category", "continuing_education"),
        ("employment_type", ""),
        ("organization", "Northfield Law School"),
        ("job_title", "JD"),
        ("start_on", "2027-08-20"),
        ("annual_salary", ""),
        ("currency", "USD"),
        ("source", "survey"),
        ("primary", "true"),
        ("offer_on", ""),
        ("accepted_on", ""),
        ("known_on", "2026-12-07"),
    ];
    let r = app.post_form(&c, &edit, &format!("/students/{ava_id}/outcomes/{id}"), &corrected).await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        n(
            &app,
            &format!(
                "SELECT COUNT(*) AS n FROM outcomes WHERE id = '{id}' AND NOT awaiting_confirmation AND is_primary \
             AND organization = 'Northfield Law School'"
            )
        )
        .await,
        1
    );
}
