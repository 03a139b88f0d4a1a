//! Faculty endorsements: who sees which endorsement on which page (one table), writing
//! with normalised skills, the 24-hour edit window on a fixed clock, requests (one open
//! per student and faculty member, also when two arrive at once; the 30-day lapse run
//! through the task registry), and revocation after sharing with its audit trail.

use crate::fixtures::{employer, posting, sql, student, Posting};
use crate::helpers::{count, TestApp};
use crate::idp::{csrf_token, spawn_with_idp_at, Idp};
use crate::recruiters::{accept, invite, link_in};

async fn text(app: &TestApp, b: &reqwest::Client, path: &str) -> (u16, String) {
    let r = b.get(format!("{}{path}", app.address)).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

fn location(r: &reqwest::Response) -> String {
    r.headers()["location"].to_str().unwrap().to_owned()
}

async fn recruiter_of(app: &TestApp, counselor: &reqwest::Client, employer_id: &str, email: &str) -> reqwest::Client {
    let r = invite(app, counselor, employer_id, email).await;
    assert_eq!(r.status(), 201);
    let (b, r) = accept(app, &link_in(&r.text().await.unwrap()), "a long enough passphrase").await;
    assert_eq!(r.status(), 303);
    b
}

async fn n(app: &TestApp, query: &str) -> i64 {
    let q = query.to_owned();
    app.with_db(move |c| count(c, &q)).await
}

/// Ines (faculty) writes an endorsement of the student `student_id` through the portal;
/// returns the answer (303 to the endorsement on success).
async fn write(app: &TestApp, ines: &reqwest::Client, student_id: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    let mut all = vec![("student", student_id)];
    all.extend_from_slice(fields);
    app.post_form(ines, &format!("/endorsements/new?student={student_id}"), "/endorsements", &all).await
}

struct World {
    app: TestApp,
    idp: Idp,
    ines: reqwest::Client,
    ava_id: String,
}

/// Campus time Nov 30, 2026, 10:00; Ava (class of 2027, profile visible to employers)
/// and Ben (private) on the roster; Ines Garcia (faculty) signed in.
async fn world() -> World {
    let (app, idp) = spawn_with_idp_at("2026-11-30", "10:00").await;
    let ava_id = student(&app, "N1", "ava.okafor@northfield.edu", "School of Business", "Finance", 2027).await;
    student(&app, "N2", "ben.lee@northfield.edu", "School of Business", "Finance", 2027).await;
    sql(
        &app,
        format!("UPDATE students SET name = 'Ava Okafor', profile_visibility = 'employers' WHERE id = '{ava_id}'"),
    )
    .await;
    sql(&app, "UPDATE students SET name = 'Ben Lee' WHERE student_number = 'N2'".into()).await;
    let ines = app.signed_in(&idp, "faculty").await;
    World { app, idp, ines, ava_id }
}

/// The visibility matrix: seven viewers × four states of an endorsement × every page that
/// shows endorsements, each cell exact. States: shared on Ava's application to
/// Brightpath, not shared, shared then revoked by its author, shared then hidden by Ava.
#[tokio::test]
async fn who_sees_which_endorsement_on_which_page() {
    let World { app, idp, ines, ava_id } = world().await;
    let app = &app;
    let brightpath = employer(app, "Brightpath Analytics", "Software", Some("brightpath.com"), "active").await;
    let harbor = employer(app, "Harbor Health", "Healthcare", Some("harborhealth.org"), "active").await;
    let counselor = app.signed_in(&idp, "counselor").await;
    let recruiter_a = recruiter_of(app, &counselor, &brightpath, "rosa.diaz@brightpath.com").await;
    let recruiter_b = recruiter_of(app, &counselor, &harbor, "sam.lee@harborhealth.org").await;
    let ava = app.signed_in(&idp, "student").await;
    let ben = app.signed_in(&idp, "student-array").await;
    let other_faculty = app.signed_in(&idp, "faculty-2").await;

    // One endorsement per state, each with a marker word in its skills and statement.
    let markers = ["markeralpha", "markerbravo", "markercharlie", "markerdelta"];
    let mut ids = Vec::new();
    for m in markers {
        let statement = format!("Ava's work in ECON 310 was careful ({m}).");
        let r = write(
            app,
            &ines,
            &ava_id,
            &[
                ("skills", &format!("Analysis, {m}")),
                ("statement", &statement),
                ("relationship", "course"),
                ("course", "econ 310"),
            ],
        )
        .await;
        assert_eq!(r.status(), 303, "written");
        ids.push(location(&r).trim_start_matches("/endorsements/").to_owned());
    }
    let (shared, not_shared, revoked, hidden) = (&ids[0], &ids[1], &ids[2], &ids[3]);
    let posting_id = posting(app, &brightpath, Posting { title: "Market sizing memo", ..Default::default() }).await;
    let (_, page) = text(app, &ava, &format!("/opportunities/{posting_id}")).await;
    let token = csrf_token(&page).unwrap();
    let r = ava
        .post(format!("{}/opportunities/{posting_id}/apply", app.address))
        .header("Origin", &app.address)
        .form(&[
            ("csrf_token", token.as_str()),
            ("statement", "I sized a market in ECON 310."),
            ("share", shared.as_str()),
            ("share", revoked.as_str()),
            ("share", hidden.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "applied");
    let application = location(&r);
    // The author revokes one; Ava hides another.
    let page = format!("/endorsements/{revoked}");
    let asked = app.post_form(&ines, &page, &format!("{page}/revoke"), &[]).await;
    assert_eq!(asked.status(), 200, "revoking asks first");
    assert!(asked.text().await.unwrap().contains("button-danger"));
    assert_eq!(
        n(app, &format!("SELECT COUNT(*) AS n FROM endorsements WHERE id = '{revoked}' AND revoked_at IS NULL")).await,
        1
    );
    let r = app.post_form(&ines, &page, &format!("{page}/revoke"), &[("confirm", "yes")]).await;
    assert_eq!((r.status().as_u16(), location(&r)), (303, page.clone()));
    let (_, shown) = text(app, &ines, &page).await;
    assert!(shown.contains("Endorsement for Ava Okafor revoked; employers no longer see it"), "flash");
    let r = app.post_form(&ines, &page, &format!("{page}/revoke"), &[("confirm", "yes")]).await;
    assert_eq!(r.status(), 409, "revoked once");
    let page = format!("/endorsements/{hidden}");
    let r = app.post_form(&ava, &page, &format!("{page}/hide"), &[]).await;
    assert_eq!(r.status(), 303);
    // Nobody else may revoke or hide them (their ids answer as if they did not exist).
    let not_theirs = format!("/endorsements/{shared}");
    let r =
        app.post_form(&other_faculty, "/endorsements", &format!("{not_theirs}/revoke"), &[("confirm", "yes")]).await;
    assert_eq!(r.status(), 404, "another faculty member");
    let r = app.post_form(&ben, "/endorsements", &format!("{not_theirs}/hide"), &[]).await;
    assert_eq!(r.status(), 404, "another student");
    assert_eq!(n(app, &format!("SELECT COUNT(*) AS n FROM endorsements WHERE id = '{shared}' AND revoked_at IS NULL AND hidden_at IS NULL")).await, 1);

    let viewers: [(&str, &reqwest::Client); 7] = [
        ("author", &ines),
        ("other faculty", &other_faculty),
        ("student", &ava),
        ("other student", &ben),
        ("counselor", &counselor),
        ("recruiter of Brightpath", &recruiter_a),
        ("recruiter of Harbor", &recruiter_b),
    ];
    // Each cell: the page's status, and for 200 whether the marker is on it ("S" shown,
    // "-" not shown), for the states [shared, not shared, revoked, hidden].
    type Row = [&'static str; 4];
    let pages: [(&str, String, [Row; 7]); 5] = [
        (
            "the endorsement's page",
            "/endorsements/{id}".into(),
            [
                ["S", "S", "S", "S"],
                ["404", "404", "404", "404"],
                ["S", "S", "S", "S"],
                ["404", "404", "404", "404"],
                ["S", "S", "S", "S"],
                ["S", "404", "404", "404"],
                ["404", "404", "404", "404"],
            ],
        ),
        (
            "the application",
            application.clone(),
            [
                ["403", "403", "403", "403"],
                ["403", "403", "403", "403"],
                ["S", "-", "-", "-"],
                ["404", "404", "404", "404"],
                ["S", "-", "-", "-"],
                ["S", "-", "-", "-"],
                ["404", "404", "404", "404"],
            ],
        ),
        (
            "the workspace posting with its applicants",
            format!("/workspace/postings/{posting_id}"),
            [
                ["403", "403", "403", "403"],
                ["403", "403", "403", "403"],
                ["403", "403", "403", "403"],
                ["403", "403", "403", "403"],
                ["S", "-", "-", "-"],
                ["S", "-", "-", "-"],
                ["404", "404", "404", "404"],
            ],
        ),
        (
            "the posting with its applicants",
            format!("/postings/{posting_id}"),
            [
                ["403", "403", "403", "403"],
                ["403", "403", "403", "403"],
                ["403", "403", "403", "403"],
                ["403", "403", "403", "403"],
                ["S", "-", "-", "-"],
                ["S", "-", "-", "-"],
                ["404", "404", "404", "404"],
            ],
        ),
        (
            "the endorsements list",
            "/endorsements".into(),
            [
                ["S", "S", "S", "S"],
                ["-", "-", "-", "-"],
                ["S", "S", "S", "S"],
                ["-", "-", "-", "-"],
                ["S", "S", "S", "S"],
                ["404", "404", "404", "404"],
                ["404", "404", "404", "404"],
            ],
        ),
    ];
    let states = [shared, not_shared, revoked, hidden];
    let mut wrong = Vec::new();
    for (page_name, path, rows) in &pages {
        for ((viewer, client), row) in viewers.iter().zip(rows) {
            for (i, expected) in row.iter().enumerate() {
                let path = path.replace("{id}", states[i]);
                let (status, html) = text(app, client, &path).await;
                let got = match status {
                    200 if html.contains(markers[i]) => "S".to_owned(),
                    200 => "-".to_owned(),
                    other => other.to_string(),
                };
                if got != *expected {
                    wrong.push(format!("{viewer} on {page_name} ({path}), state {i}: expected {expected}, got {got}"));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "cells that differ:\n{}", wrong.join("\n"));
    // The recruiter sees who wrote it: name, title and department.
    for path in [application.clone(), format!("/workspace/postings/{posting_id}")] {
        let (_, html) = text(app, &recruiter_a, &path).await;
        assert!(html.contains("<strong>Ines Garcia</strong>, Faculty, Economics"), "{path}");
    }

    // The audit log: the recruiter's reads of the shared endorsement (never of the
    // others), and the revocation.
    let reads = n(app, &format!("SELECT COUNT(*) AS n FROM audit_events WHERE action = 'endorsement.viewed' AND subject_id = '{shared}' AND actor_label = 'rosa.diaz@brightpath.com'")).await;
    // Brightpath's recruiter read it once on its own page (the 404s of the other states
    // read nothing) and four times (once per column) on each of the application, the
    // workspace posting and the posting page; and twice more for the author's title.
    assert_eq!(reads, 1 + 3 * 4 + 2);
    let others = n(app, &format!("SELECT COUNT(*) AS n FROM audit_events WHERE action = 'endorsement.viewed' AND subject_id IN ('{not_shared}', '{revoked}', '{hidden}')")).await;
    assert_eq!(others, 0);
    assert_eq!(n(app, &format!("SELECT COUNT(*) AS n FROM audit_events WHERE action = 'endorsement.revoked' AND subject_id = '{revoked}'")).await, 1);
    // The application keeps its record of what was shared: nothing is deleted.
    assert_eq!(
        n(app, &format!("SELECT COUNT(*) AS n FROM application_endorsements WHERE endorsement_id = '{revoked}'")).await,
        1
    );
    // A revoked or hidden endorsement is not offered for sharing again.
    let (_, listing) = text(app, &ava, &format!("/opportunities/{posting_id}")).await;
    assert!(!listing.contains(revoked.as_str()) && !listing.contains(hidden.as_str()));
}

#[tokio::test]
async fn writing_normalises_skills_keeps_what_was_typed_and_tells_the_student() {
    let World { app, idp, ines, ava_id } = world().await;
    let app = &app;
    let ava = app.signed_in(&idp, "student").await;
    // Finding the student: by name, email or number; Ben's profile is private and
    // outside Ines's college, so he is not found until he asks her.
    for q in ["ava", "AVA.OKAFOR@northfield.edu", "n1"] {
        let (status, html) = text(app, &ines, &format!("/endorsements/new?q={}", crate::idp::urlencode(q))).await;
        assert_eq!(status, 200);
        assert!(html.contains(&format!("/endorsements/new?student={ava_id}")), "found by {q}");
    }
    let (_, html) = text(app, &ines, "/endorsements/new?q=ben").await;
    assert!(!html.contains("Ben Lee"), "a private profile outside the college is not found");

    // A refused form comes back with every problem and what was typed.
    let r = write(
        app,
        &ines,
        &ava_id,
        &[("skills", " , "), ("statement", "Kept <words>"), ("relationship", "course"), ("course", "")],
    )
    .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("Skills: name at least one skill"));
    assert!(html.contains("Course code: give the course code"));
    assert!(html.contains("Kept &lt;words&gt;</textarea>"), "the statement is kept");
    assert!(html.contains("href=\"#field-skills\""));
    let long = "x".repeat(2001);
    let r = write(app, &ines, &ava_id, &[("skills", "sql"), ("statement", &long), ("relationship", "other")]).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("Statement: is 2001 characters; at most 2000"));

    let r = write(
        app,
        &ines,
        &ava_id,
        &[
            ("skills", "Python,  python , PYTHON, Data  Analysis"),
            ("statement", "Ava automated our lab's data cleaning."),
            ("relationship", "research"),
        ],
    )
    .await;
    assert_eq!(r.status(), 303);
    let at = location(&r);
    let (_, page) = text(app, &ines, &at).await;
    assert!(page.contains("<p>Endorsement for Ava Okafor saved</p>"), "the flash names the student");
    assert!(page.contains("python, data analysis"));
    assert_eq!(n(app, "SELECT COUNT(*) AS n FROM endorsements WHERE skills = 'python,data-analysis'").await, 1);
    // Ava is told, and sees it.
    let (_, inbox) = text(app, &ava, "/inbox").await;
    assert!(inbox.contains("Ines Garcia endorsed you"));
    let (_, mine) = text(app, &ava, "/endorsements").await;
    assert!(mine.contains("python, data analysis"));
    // A counselor looks students up by endorsed skill (one whole skill, any case).
    let counselor = app.signed_in(&idp, "counselor").await;
    let (_, found) = text(app, &counselor, "/endorsements?skill=Data+ANALYSIS").await;
    assert!(found.contains("1 endorsement") && found.contains("Ava Okafor"));
    let (_, none) = text(app, &counselor, "/endorsements?skill=pyth").await;
    assert!(none.contains("0 endorsements") && !none.contains("Ava Okafor"));
    // The form page loads the live count from a same-origin file (no inline script).
    let (_, form) = text(app, &ines, &format!("/endorsements/new?student={ava_id}")).await;
    assert!(form.contains("<script src=\"/assets/endorsements.js\" defer></script>"));
    assert!(form.contains("list=\"skill-vocabulary\""));
    let (status, _) = text(app, &ines, "/assets/endorsements.js").await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn the_author_may_change_an_endorsement_for_24_hours_then_only_revoke_it() {
    let World { app, idp, ines, ava_id } = world().await;
    let app = &app;
    let r =
        write(app, &ines, &ava_id, &[("skills", "sql"), ("statement", "First words."), ("relationship", "advising")])
            .await;
    let at = location(&r);
    let edit = format!("{at}/edit");
    app.clock.advance(chrono::Duration::hours(23) + chrono::Duration::minutes(59));
    // (A session lasts at most 12 hours: Ines signs in again.)
    let ines = app.signed_in(&idp, "faculty").await;
    let r = app
        .post_form(
            &ines,
            &edit,
            &edit,
            &[("skills", "sql, excel"), ("statement", "Better words."), ("relationship", "advising"), ("course", "")],
        )
        .await;
    assert_eq!((r.status().as_u16(), location(&r)), (303, at.clone()));
    let (_, page) = text(app, &ines, &at).await;
    assert!(page.contains("Endorsement for Ava Okafor changed") && page.contains("Better words."));
    app.clock.advance(chrono::Duration::minutes(1));
    let (status, _) = text(app, &ines, &edit).await;
    assert_eq!(status, 409, "24 hours after writing it");
    let (_, page) = text(app, &ines, &at).await;
    assert!(!page.contains(&format!("href=\"{edit}\"")), "no link to change it");
    let token = csrf_token(&page).unwrap();
    let r = ines
        .post(format!("{}{edit}", app.address))
        .header("Origin", &app.address)
        .form(&[
            ("csrf_token", token.as_str()),
            ("skills", "sql"),
            ("statement", "Late words."),
            ("relationship", "advising"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409);
    assert_eq!(
        n(app, "SELECT COUNT(*) AS n FROM endorsements WHERE statement = 'Better words.'").await,
        1,
        "unchanged"
    );
    assert!(page.contains("Revoke the endorsement"), "revoking stays possible");
}

async fn ines_faculty_id(app: &TestApp) -> String {
    app.with_db(|c| {
        use diesel::prelude::*;
        use waypoint::db::schema::{faculty, users};
        faculty::table
            .inner_join(users::table)
            .filter(users::email.eq("prof.ines.garcia@northfield.edu"))
            .select(faculty::id)
            .first::<String>(c)
            .unwrap()
    })
    .await
}

#[tokio::test]
async fn a_request_is_answered_with_an_endorsement_or_declined_and_one_is_open_per_pair() {
    let World { app, idp, ines, .. } = world().await;
    let app = &app;
    let ben = app.signed_in(&idp, "student-array").await;
    let ines_id = ines_faculty_id(app).await;
    let ask = |b: &reqwest::Client, message: &'static str| {
        let (b, f) = (b.clone(), ines_id.clone());
        async move {
            app.post_form(
                &b,
                "/endorsements/requests/new",
                "/endorsements/requests",
                &[("faculty", f.as_str()), ("posting", ""), ("skills", "SQL, Excel"), ("message", message)],
            )
            .await
        }
    };
    let r = ask(&ben, "Could you endorse my SQL work?").await;
    assert_eq!((r.status().as_u16(), location(&r)), (303, "/endorsements".to_owned()));
    let (_, page) = text(app, &ben, "/endorsements").await;
    assert!(page.contains("Request sent to Ines Garcia"));
    let again = ask(&ben, "Again?").await;
    assert_eq!(again.status(), 409, "one open request per student and faculty member");
    assert_eq!(n(app, "SELECT COUNT(*) AS n FROM endorsement_requests").await, 1);

    // Ines sees it with Ben's context, and may now find Ben (private profile) to endorse.
    let (_, home) = text(app, &ines, "/endorsements").await;
    assert!(home.contains("Ben Lee") && home.contains("Finance") && home.contains("2027"));
    let request_id: String = app
        .with_db(|c| {
            use diesel::prelude::*;
            waypoint::db::schema::endorsement_requests::table
                .select(waypoint::db::schema::endorsement_requests::id)
                .first::<String>(c)
                .unwrap()
        })
        .await;
    let (status, page) = text(app, &ines, &format!("/endorsements/requests/{request_id}")).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("Could you endorse my SQL work?")
            && page.contains(&format!("/endorsements/new?request={request_id}"))
    );
    let (status, own) = text(app, &ben, &format!("/endorsements/requests/{request_id}")).await;
    assert_eq!(status, 200);
    assert!(own.contains("Your request to Ines Garcia") && !own.contains("Decline the request"));
    let (_, form) = text(app, &ines, &format!("/endorsements/new?request={request_id}")).await;
    assert!(form.contains("value=\"sql, excel\""), "prefilled from the request");
    let r = app
        .post_form(
            &ines,
            &format!("/endorsements/new?request={request_id}"),
            "/endorsements",
            &[
                ("request", request_id.as_str()),
                ("skills", "sql, excel"),
                ("statement", "Ben writes clean SQL."),
                ("relationship", "course"),
                ("course", "IS 210"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        n(
            app,
            "SELECT COUNT(*) AS n FROM endorsement_requests WHERE status = 'fulfilled' AND endorsement_id IS NOT NULL"
        )
        .await,
        1
    );
    let (_, inbox) = text(app, &ben, "/inbox").await;
    assert!(inbox.contains("Ines Garcia endorsed you"));

    // Asking again is possible now; declining it with a note tells Ben.
    let r = ask(&ben, "One more, for Excel?").await;
    assert_eq!(r.status(), 303);
    let open: String = app
        .with_db(|c| {
            use diesel::prelude::*;
            use waypoint::db::schema::endorsement_requests as r;
            r::table.filter(r::status.eq("pending")).select(r::id).first::<String>(c).unwrap()
        })
        .await;
    let page = format!("/endorsements/requests/{open}");
    let r = app.post_form(&ines, &page, &format!("{page}/decline"), &[("note", "I only saw your SQL work.")]).await;
    assert_eq!(r.status(), 303);
    let (_, mine) = text(app, &ines, "/endorsements").await;
    assert!(mine.contains("Request from Ben Lee declined; they were told"));
    let (_, inbox) = text(app, &ben, "/inbox").await;
    assert!(inbox.contains("Ines Garcia declined your request"));
    let r = app.post_form(&ines, &page, &format!("{page}/decline"), &[("note", "")]).await;
    assert_eq!(r.status(), 409, "declined once");
}

#[tokio::test]
async fn two_requests_at_once_make_one_open_request() {
    let World { app, idp, .. } = world().await;
    let app = &app;
    let ben = app.signed_in(&idp, "student-array").await;
    let ines_id = ines_faculty_id(app).await;
    let (_, page) = text(app, &ben, "/endorsements/requests/new").await;
    let token = csrf_token(&page).unwrap();
    let send = || {
        let (b, token, f, address) = (ben.clone(), token.clone(), ines_id.clone(), app.address.clone());
        tokio::spawn(async move {
            b.post(format!("{address}/endorsements/requests"))
                .header("Origin", &address)
                .form(&[("csrf_token", token.as_str()), ("faculty", f.as_str()), ("message", "Please?")])
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        })
    };
    let runs: Vec<_> = (0..6).map(|_| send()).collect();
    let mut statuses = Vec::new();
    for r in runs {
        statuses.push(r.await.unwrap());
    }
    statuses.sort();
    assert_eq!(statuses, [303, 409, 409, 409, 409, 409], "one gets in, the others are told");
    assert_eq!(n(app, "SELECT COUNT(*) AS n FROM endorsement_requests WHERE status = 'pending'").await, 1);
    // The database itself refuses a second open request for the pair (the partial unique
    // index), while closed ones may pile up.
    let second = String::from(
        "INSERT INTO endorsement_requests (id, student_id, faculty_id, status, created_at, updated_at) \
         SELECT 'again', student_id, faculty_id, 'pending', created_at, updated_at FROM endorsement_requests",
    );
    let refused = app.with_db(move |c| diesel::RunQueryDsl::execute(diesel::sql_query(&second), c).is_err()).await;
    assert!(refused, "a second open request for the same pair is refused by the index");
    sql(
        app,
        "INSERT INTO endorsement_requests (id, student_id, faculty_id, status, created_at, updated_at) \
              SELECT 'closed', student_id, faculty_id, 'declined', created_at, updated_at FROM endorsement_requests"
            .into(),
    )
    .await;
}

#[tokio::test]
async fn open_requests_lapse_after_30_days_through_the_task_registry() {
    let World { app, idp, .. } = world().await;
    let app = &app;
    let ben = app.signed_in(&idp, "student-array").await;
    let ines_id = ines_faculty_id(app).await;
    let r = app
        .post_form(
            &ben,
            "/endorsements/requests/new",
            "/endorsements/requests",
            &[("faculty", ines_id.as_str()), ("message", "Please?")],
        )
        .await;
    assert_eq!(r.status(), 303);
    async fn run(app: &TestApp) -> Option<usize> {
        let clock = app.clock.clone();
        app.with_db(move |c| {
            waypoint::tasks::registry(None).run_once("expire_endorsement_requests", c, &clock, "test-instance").unwrap()
        })
        .await
    }
    app.clock.advance(chrono::Duration::days(30) - chrono::Duration::minutes(1));
    assert_eq!(run(app).await, Some(0), "still open a minute before");
    app.clock.advance(chrono::Duration::minutes(10));
    assert_eq!(run(app).await, Some(1));
    assert_eq!(n(app, "SELECT COUNT(*) AS n FROM endorsement_requests WHERE status = 'expired'").await, 1);
    // (Sessions do not last 30 days: both sign in again.)
    let (ben, ines) = (app.signed_in(&idp, "student-array").await, app.signed_in(&idp, "faculty").await);
    let (_, inbox) = text(app, &ben, "/inbox").await;
    assert!(inbox.contains("Your request to Ines Garcia lapsed"));
    let (_, home) = text(app, &ines, "/endorsements").await;
    assert!(home.contains("No open requests."));
    app.clock.advance(chrono::Duration::minutes(10));
    assert_eq!(run(app).await, Some(0), "idempotent");
    // Ben may ask again.
    let r = app
        .post_form(
            &ben,
            "/endorsements/requests/new",
            "/endorsements/requests",
            &[("faculty", ines_id.as_str()), ("message", "Again?")],
        )
        .await;
    assert_eq!(r.status(), 303);
}

/// The catalogue tells a student how many of each posting's skills their endorsements
/// name, and filters to the postings that match them; a revoked or hidden endorsement
/// counts for nothing.
#[tokio::test]
async fn the_catalogue_signals_and_filters_by_endorsed_skills() {
    let World { app, idp, ines, ava_id } = world().await;
    let app = &app;
    let brightpath = employer(app, "Brightpath Analytics", "Software", Some("brightpath.com"), "active").await;
    let pricing = posting(
        app,
        &brightpath,
        Posting { title: "Pricing scan", skills: "excel,market-research", ..Default::default() },
    )
    .await;
    posting(app, &brightpath, Posting { title: "Clinic survey", skills: "interviewing", ..Default::default() }).await;
    let ava = app.signed_in(&idp, "student").await;
    let (_, page) = text(app, &ava, "/opportunities").await;
    assert!(!page.contains("skills are endorsed") && !page.contains("skills is endorsed"));
    // From a posting, a student may ask for an endorsement about it.
    let (_, listing) = text(app, &ava, &format!("/opportunities/{pricing}")).await;
    assert!(listing.contains(&format!("href=\"/endorsements/requests/new?posting={pricing}\"")));
    let (_, ask) = text(app, &ava, &format!("/endorsements/requests/new?posting={pricing}")).await;
    assert!(ask.contains(&format!("<option value=\"{pricing}\" selected>Pricing scan (Brightpath Analytics)</option>")));
    let (_, none) = text(app, &ava, "/opportunities?endorsed=on").await;
    assert!(none.contains("0 projects found."), "no endorsed skill yet: nothing matches");

    let r = write(
        app,
        &ines,
        &ava_id,
        &[("skills", "Excel, SQL"), ("statement", "Ava builds tidy spreadsheets."), ("relationship", "other")],
    )
    .await;
    assert_eq!(r.status(), 303);
    let endorsement = location(&r);
    let (_, page) = text(app, &ava, "/opportunities").await;
    // (The page escapes the apostrophe.)
    assert!(page.contains("<p class=\"endorsed-signal\">1 of this posting&#x27;s 2 skills is endorsed</p>"), "{page}");
    let (_, matched) = text(app, &ava, "/opportunities?endorsed=on").await;
    assert!(
        matched.contains("1 project found.") && matched.contains("Pricing scan") && !matched.contains("Clinic survey")
    );

    let r = app.post_form(&ava, &endorsement, &format!("{endorsement}/hide"), &[]).await;
    assert_eq!(r.status(), 303);
    let (_, page) = text(app, &ava, &endorsement).await;
    assert!(page.contains("<p>Endorsement from Ines Garcia hidden: employers no longer see it</p>"));
    let (_, page) = text(app, &ava, "/opportunities").await;
    assert!(!page.contains("endorsed-signal"), "a hidden endorsement is not a signal to use");
}
