//! The micro-internship lifecycle at its edges: concurrent accepts never exceed the
//! openings, postings close by themselves, cancellations are asked and decided, counselors
//! post on an employer's behalf, and a revoked endorsement disappears at once.

use crate::fixtures::{endorsement, posting, sql, student, Posting};
use crate::helpers::{spawn_on, TestDb};
use crate::idp::csrf_token;

use crate::lifecycle::{act, engaged, future, n, posting_fields, text, world};

#[tokio::test]
async fn accepted_applications_never_exceed_openings_under_concurrent_accepts() {
    let w = world().await;
    let app = &w.app;
    // Students who all hold an offer for a one-opening project, and accept at once.
    let mut browsers = Vec::new();
    for (i, login) in ["student", "student-array"].iter().enumerate() {
        if i == 1 {
            student(app, "N2", "ben.lee@northfield.edu", "School of Business", "Finance", 2027).await;
        }
        browsers.push(app.signed_in(&w.idp, login).await);
    }
    for round in 0..5 {
        let title = format!("One opening {round}");
        let p = posting(app, &w.employer, Posting { title: &title, ..Default::default() }).await;
        let mut pages = Vec::new();
        for (i, b) in browsers.iter().enumerate() {
            let sid = app
                .with_db(move |c| {
                    use diesel::prelude::*;
                    use waypoint::db::schema::students;
                    students::table
                        .filter(students::student_number.eq(format!("N{}", i + 1)))
                        .select(students::id)
                        .first::<String>(c)
                        .unwrap()
                })
                .await;
            let id = uuid::Uuid::new_v4().to_string();
            sql(app, format!("INSERT INTO applications (id, opportunity_id, student_id, statement, status, created_at, updated_at) VALUES ('{id}', '{p}', '{sid}', 'Keen.', 'offered', '2026-11-01 09:00:00', '2026-11-01 09:00:00')")).await;
            let page = b.get(format!("{}/applications/{id}", app.address)).send().await.unwrap().text().await.unwrap();
            pages.push((id, csrf_token(&page).unwrap()));
        }
        let send = |i: usize| {
            let (id, token) = pages[i].clone();
            browsers[i]
                .post(format!("{}/applications/{id}/move", app.address))
                .header("Origin", &app.address)
                .form(&[("csrf_token", token), ("to", "accepted".to_owned())])
                .send()
        };
        let (a, b) = tokio::join!(send(0), send(1));
        let mut statuses = vec![a.unwrap().status().as_u16(), b.unwrap().status().as_u16()];
        statuses.sort();
        assert_eq!(statuses, [303, 409], "round {round}: one wins, one is refused");
        assert_eq!(
            n(
                app,
                &format!("SELECT COUNT(*) AS n FROM applications WHERE opportunity_id = '{p}' AND status = 'accepted'")
            )
            .await,
            1
        );
        assert_eq!(n(app, &format!("SELECT COUNT(*) AS n FROM engagements WHERE opportunity_id = '{p}'")).await, 1);
    }
}

#[tokio::test]
async fn postings_past_their_apply_by_date_close_by_themselves() {
    // The world exists before the server starts; its periodic task closes what is due.
    let db = TestDb::new();
    {
        use diesel::RunQueryDsl;
        let mut c = db.connect();
        let now = "'2026-11-01 09:00:00'";
        for stmt in [
            format!("INSERT INTO employers (id, name, industry, email_domain, created_at, updated_at) VALUES ('e1', 'Brightpath Analytics', 'Software', 'brightpath.com', {now}, {now})"),
            format!("INSERT INTO partnerships (id, employer_id, tier, status, created_at, updated_at) VALUES ('p1', 'e1', 'gold', 'active', {now}, {now})"),
            format!("INSERT INTO opportunities (id, employer_id, title, description, category, hours, fee_cents, apply_by, due_by, status, opened_at, created_at, updated_at) VALUES ('expired', 'e1', 'Expired', 'An old project of ours.', 'research', 10, 40000, '2020-01-01', '2020-02-01', 'open', {now}, {now}, {now})"),
            format!("INSERT INTO opportunities (id, employer_id, title, description, category, hours, fee_cents, apply_by, due_by, status, opened_at, created_at, updated_at) VALUES ('current', 'e1', 'Current', 'A current project of ours.', 'research', 10, 40000, '2099-01-01', '2099-02-01', 'open', {now}, {now}, {now})"),
        ] {
            diesel::sql_query(stmt).execute(&mut c).unwrap();
        }
    }
    let app = spawn_on(std::net::TcpListener::bind("127.0.0.1:0").unwrap(), db, &[]).await;
    let mut closed = 0;
    for _ in 0..50 {
        closed = n(&app, "SELECT COUNT(*) AS n FROM opportunities WHERE id = 'expired' AND status = 'closed' AND closed_at IS NOT NULL").await;
        if closed == 1 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(closed, 1, "closed by the periodic task");
    assert_eq!(n(&app, "SELECT COUNT(*) AS n FROM opportunities WHERE id = 'current' AND status = 'open'").await, 1);
    // Idempotent: running it again changes nothing.
    let again = app
        .with_db({
            let clock = app.clock.clone();
            move |c| waypoint::tasks::close_due_postings(c, &clock).unwrap()
        })
        .await;
    assert_eq!(again, 0);
    assert_eq!(n(&app, "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'posting.closed'").await, 1);
}

/// An accepted application's engagement for Ava on a fresh posting; returns its id.
#[tokio::test]
async fn cancellation_is_asked_by_either_side_and_decided_by_a_counselor() {
    let w = world().await;
    let (app, rec) = (&w.app, &w.recruiter);
    let ava = app.signed_in(&w.idp, "student").await;
    let counselor = app.signed_in(&w.idp, "counselor").await;
    let eng = engaged(&w, "Cancelled one").await;
    let page = format!("/engagements/{eng}");
    let mv = format!("{page}/move");
    assert_eq!(
        act(app, rec, &page, &mv, &[("step", "cancel"), ("reason", "We changed plans.")]).await.0,
        409,
        "a recruiter asks, a counselor cancels"
    );
    assert_eq!(
        act(app, &ava, &page, &mv, &[("step", "deliver"), ("deliverable_url", "https://x.northfield.edu/a")]).await.0,
        303,
        "the student delivers"
    );
    assert_eq!(
        act(app, rec, &page, &format!("{page}/cancel-request"), &[("reason", "Too late.")]).await.0,
        409,
        "only an active project can be cancelled"
    );
    assert_eq!(
        act(app, &counselor, &page, &mv, &[("step", "cancel"), ("reason", "x")]).await.0,
        409,
        "not from submitted"
    );
    assert_eq!(
        act(app, &ava, &page, &mv, &[("step", "complete"), ("rating", "5"), ("feedback", "self-praise")]).await.0,
        409,
        "the student cannot complete their own work"
    );

    let other = engaged(&w, "To cancel").await;
    let page = format!("/engagements/{other}");
    assert_eq!(act(app, rec, &page, &format!("{page}/cancel-request"), &[("reason", "")]).await.0, 422);
    assert_eq!(
        act(app, rec, &page, &format!("{page}/cancel-request"), &[("reason", "The team was reorganised.")]).await.0,
        303
    );
    let (_, inbox) = text(app, &counselor, "/inbox").await;
    assert!(inbox.contains("The team was reorganised."));
    assert_eq!(
        act(app, &counselor, &page, &format!("{page}/move"), &[("step", "cancel"), ("reason", "")]).await.0,
        422
    );
    assert_eq!(
        act(
            app,
            &counselor,
            &page,
            &format!("{page}/move"),
            &[("step", "cancel"), ("reason", "Employer reorganised; student paid a kill fee.")]
        )
        .await
        .0,
        200,
        "the counselor is asked first"
    );
    assert_eq!(
        n(app, &format!("SELECT COUNT(*) AS n FROM engagements WHERE id = '{other}' AND status = 'active'")).await,
        1,
        "nothing changes before the confirmation"
    );
    assert_eq!(
        act(
            app,
            &counselor,
            &page,
            &format!("{page}/move"),
            &[("step", "cancel"), ("reason", "Employer reorganised; student paid a kill fee."), ("confirm", "yes")]
        )
        .await
        .0,
        303
    );
    assert_eq!(
        n(app, &format!("SELECT COUNT(*) AS n FROM engagements WHERE id = '{other}' AND status = 'cancelled'")).await,
        1
    );
    let (_, inbox) = text(app, &ava, "/inbox").await;
    assert!(inbox.contains("was cancelled"));
    assert_eq!(
        act(
            app,
            &ava,
            &page,
            &format!("{page}/move"),
            &[("step", "deliver"), ("deliverable_url", "https://x.northfield.edu/b")]
        )
        .await
        .0,
        409,
        "nothing moves after cancellation"
    );
}

#[tokio::test]
async fn counselors_post_on_behalf_and_declined_offers_make_no_outcome() {
    let w = world().await;
    let app = &w.app;
    let counselor = app.signed_in(&w.idp, "counselor").await;
    let fields = posting_fields(&future(app, 10), &future(app, 40), "2");
    let mut f: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    f.push(("intent", "submit"));
    let new_page = format!("/employers/{}/postings/new", w.employer);
    let (status, loc) = act(app, &counselor, &new_page, &format!("/employers/{}/postings", w.employer), &f).await;
    assert_eq!(status, 303);
    let id = loc.trim_start_matches("/postings/").to_owned();
    // An on-site draft made remote loses its location.
    let mut onsite = f.clone();
    onsite.retain(|(k, _)| *k != "intent" && *k != "mode");
    let mut as_draft = onsite.clone();
    as_draft.extend([("mode", "onsite"), ("location", "Boston, MA")]);
    let draft = act(app, &counselor, &new_page, &format!("/employers/{}/postings", w.employer), &as_draft).await.1;
    let draft_id = draft.trim_start_matches("/postings/").to_owned();
    assert_eq!(n(app, &format!("SELECT COUNT(*) AS n FROM opportunities WHERE id = '{draft_id}' AND location = 'Boston, MA' AND remote = FALSE")).await, 1);
    onsite.push(("mode", "remote"));
    assert_eq!(act(app, &counselor, &format!("{draft}/edit"), &format!("{draft}/edit"), &onsite).await.0, 303);
    assert_eq!(n(app, &format!("SELECT COUNT(*) AS n FROM opportunities WHERE id = '{draft_id}' AND location IS NULL AND remote = TRUE")).await, 1);
    assert_eq!(act(app, &counselor, &loc, &format!("{loc}/move"), &[("to", "open")]).await.0, 303);
    assert_eq!(
        n(
            app,
            &format!(
                "SELECT COUNT(*) AS n FROM opportunities WHERE id = '{id}' AND status = 'open' AND employer_id = '{}'",
                w.employer
            )
        )
        .await,
        1
    );
    let (_, ws) = text(app, &w.recruiter, "/workspace").await;
    assert!(ws.contains("Competitor pricing scan"), "the employer sees the posting made on its behalf");

    // A completed project's offer, declined: recorded, no outcome.
    let eng = engaged(&w, "Offer declined").await;
    let today = app.clock.today().to_string();
    sql(app, format!("UPDATE engagements SET status = 'completed', rating = 4, completed_on = '{today}', submitted_on = '{today}' WHERE id = '{eng}'")).await;
    let page = format!("/engagements/{eng}");
    assert_eq!(
        act(
            app,
            &w.recruiter,
            &page,
            &format!("{page}/offers"),
            &[("kind", "internship"), ("job_title", ""), ("offer_on", &today)]
        )
        .await
        .0,
        422
    );
    assert_eq!(
        act(
            app,
            &w.recruiter,
            &page,
            &format!("{page}/offers"),
            &[("kind", "internship"), ("job_title", "Summer Analyst Intern"), ("offer_on", &today)]
        )
        .await
        .0,
        303
    );
    let offer = app
        .with_db(|c| {
            use diesel::prelude::*;
            use waypoint::db::schema::offers;
            offers::table.select(offers::id).first::<String>(c).unwrap()
        })
        .await;
    assert_eq!(
        act(
            app,
            &w.recruiter,
            &page,
            &format!("/offers/{offer}/decision"),
            &[("decision", "declined"), ("decided_on", &today)]
        )
        .await
        .0,
        303
    );
    assert_eq!(
        act(
            app,
            &w.recruiter,
            &page,
            &format!("/offers/{offer}/decision"),
            &[("decision", "accepted"), ("decided_on", &today)]
        )
        .await
        .0,
        409,
        "decided once"
    );
    assert_eq!(n(app, "SELECT COUNT(*) AS n FROM outcomes").await, 0);
}

/// A revoked endorsement is gone, at once, from every page an employer can reach — and
/// from the office's and the student's views of the application too.
#[tokio::test]
async fn a_revoked_endorsement_disappears_from_every_page_at_once() {
    let w = world().await;
    let (app, idp, rec) = (&w.app, &w.idp, &w.recruiter);
    let statement = "REVOKE-ME: Ava's market sizing was excellent.";
    let kept = "KEEP-ME: Ava writes clear memos.";
    let revoked = endorsement(app, &w.ava, "Maya Chen", statement).await;
    let other = endorsement(app, &w.ava, "Omar Reyes", kept).await;
    let posting_id = posting(app, &w.employer, Posting { title: "Market sizing memo", ..Default::default() }).await;
    let ava = app.signed_in(idp, "student").await;
    let (_, page) = text(app, &ava, &format!("/opportunities/{posting_id}")).await;
    let token = csrf_token(&page).unwrap();
    let r = ava
        .post(format!("{}/opportunities/{posting_id}/apply", app.address))
        .header("Origin", &app.address)
        .form(&[
            ("csrf_token", token.as_str()),
            ("statement", "I sized a market in ECON 310."),
            ("share", revoked.as_str()),
            ("share", other.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let application = r.headers()["location"].to_str().unwrap().to_owned();
    let counselor = app.signed_in(idp, "counselor").await;
    let pages = [
        (rec, application.clone()),
        (rec, format!("/workspace/postings/{posting_id}")),
        (rec, format!("/postings/{posting_id}")),
        (&counselor, application.clone()),
        (&counselor, format!("/postings/{posting_id}")),
        (&ava, application.clone()),
    ];
    for (who, path) in &pages {
        let (status, html) = text(app, who, path).await;
        assert_eq!(status, 200, "{path}");
        assert!(html.contains("REVOKE-ME") && html.contains("KEEP-ME"), "shared, so shown on {path}");
    }
    // The faculty member revokes it.
    sql(app, format!("UPDATE endorsements SET revoked_at = '2026-11-02 09:00:00' WHERE id = '{revoked}'")).await;
    for (who, path) in &pages {
        let (status, html) = text(app, who, path).await;
        assert_eq!(status, 200, "{path}");
        assert!(!html.contains("REVOKE-ME"), "a revoked endorsement is still shown on {path}");
        assert!(html.contains("KEEP-ME"), "the other one stays on {path}");
    }
    // The application keeps its record of what was shared (nothing is deleted).
    assert_eq!(
        n(app, &format!("SELECT COUNT(*) AS n FROM application_endorsements WHERE endorsement_id = '{revoked}'")).await,
        1
    );
}
