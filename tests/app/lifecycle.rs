//! The micro-internship lifecycle: posting, review, applying, selection, delivery,
//! rating, payment, conversion; refusals; privacy (the edges are in `lifecycle_edges`).

use crate::fixtures::{employer, endorsement, posting, sql, student, Posting};
use crate::helpers::{count, TestApp};
use crate::idp::{csrf_token, spawn_with_idp, Idp};
use crate::recruiters::{accept, invite, link_in};

pub(crate) async fn n(app: &TestApp, query: &str) -> i64 {
    let query = query.to_owned();
    app.with_db(move |c| count(c, &query)).await
}

pub(crate) async fn text(app: &TestApp, b: &reqwest::Client, path: &str) -> (u16, String) {
    let r = b.get(format!("{}{path}", app.address)).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

/// Posts a form with the token of `page` and returns (status, Location or body).
pub(crate) async fn act(
    app: &TestApp,
    b: &reqwest::Client,
    page: &str,
    action: &str,
    fields: &[(&str, &str)],
) -> (u16, String) {
    let r = app.post_form(b, page, action, fields).await;
    let status = r.status().as_u16();
    let loc = r.headers().get("location").map(|l| l.to_str().unwrap().to_owned());
    (status, loc.unwrap_or(r.text().await.unwrap()))
}

/// A campus date `days` from today on the app's clock (dates in forms are campus dates).
pub(crate) fn future(app: &TestApp, days: i64) -> String {
    (app.clock.today() + chrono::Duration::days(days)).to_string()
}

pub(crate) struct World {
    pub(crate) app: TestApp,
    pub(crate) idp: Idp,
    pub(crate) recruiter: reqwest::Client,
    pub(crate) employer: String,
    pub(crate) ava: String,
}

/// An active employer with a signed-in recruiter, and Ava (a Finance student) on the roster.
pub(crate) async fn world() -> World {
    let (app, idp) = spawn_with_idp(None).await;
    let employer_id = employer(&app, "Brightpath Analytics", "Software", Some("brightpath.com"), "active").await;
    let counselor = app.signed_in(&idp, "counselor").await;
    let r = invite(&app, &counselor, &employer_id, "rosa.diaz@brightpath.com").await;
    let (recruiter, _) = accept(&app, &link_in(&r.text().await.unwrap()), "a long enough passphrase").await;
    let ava = student(&app, "N1", "ava.okafor@northfield.edu", "School of Business", "Finance", 2027).await;
    World { app, idp, recruiter, employer: employer_id, ava }
}

pub(crate) fn posting_fields(apply_by: &str, due_by: &str, openings: &str) -> Vec<(&'static str, String)> {
    vec![
        ("title", "Competitor pricing scan".into()),
        (
            "description",
            "Collect the list prices of ten competitors into a spreadsheet, with sources and a one-page summary."
                .into(),
        ),
        ("category", "research".into()),
        ("skills", "excel, market research".into()),
        ("hours", "10".into()),
        ("fee", "400".into()),
        ("currency", "USD".into()),
        ("mode", "remote".into()),
        ("apply_by", apply_by.into()),
        ("due_by", due_by.into()),
        ("openings", openings.into()),
    ]
}

#[tokio::test]
async fn the_whole_story_from_posting_to_conversion() {
    let w = world().await;
    let (app, idp, rec) = (&w.app, &w.idp, &w.recruiter);
    let shared = endorsement(app, &w.ava, "Maya Chen", "Ava led our market sizing project with rigour.").await;
    let unshared = endorsement(app, &w.ava, "Omar Reyes", "PRIVATE-NOT-SHARED statement.").await;

    // The recruiter drafts and submits; validation first.
    let mut bad: Vec<(&str, String)> = posting_fields(&future(app, 20), &future(app, 50), "1");
    bad[5] = ("fee", "150".into());
    bad[4] = ("hours", "10".into());
    let bad_refs: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, html) = act(app, rec, "/workspace/postings/new", "/workspace/postings", &bad_refs).await;
    assert_eq!(status, 422);
    assert!(html.contains("href=\"#field-fee\"") && html.contains("minimum of 20.00 an hour"), "{html}");
    let good = posting_fields(&future(app, 20), &future(app, 50), "1");
    let mut fields: Vec<(&str, &str)> = good.iter().map(|(k, v)| (*k, v.as_str())).collect();
    fields.push(("intent", "submit"));
    let (status, loc) = act(app, rec, "/workspace/postings/new", "/workspace/postings", &fields).await;
    assert_eq!(status, 303);
    let posting_id = loc.trim_start_matches("/postings/").to_owned();
    assert_eq!(
        n(
            app,
            &format!("SELECT COUNT(*) AS n FROM opportunities WHERE id = '{posting_id}' AND status = 'pending_review'")
        )
        .await,
        1
    );

    // A recruiter cannot approve their own posting; a counselor approves from the queue.
    let (status, _) =
        act(app, rec, &format!("/postings/{posting_id}"), &format!("/postings/{posting_id}/move"), &[("to", "open")])
            .await;
    assert_eq!(status, 409);
    let counselor = app.signed_in(idp, "counselor").await;
    let (_, queue) = text(app, &counselor, "/review").await;
    assert!(queue.contains("Competitor pricing scan"));
    let (_, inbox) = text(app, &counselor, "/inbox").await;
    assert!(inbox.contains("awaits review"), "the office is told");
    let (status, _) = act(
        app,
        &counselor,
        &format!("/postings/{posting_id}"),
        &format!("/postings/{posting_id}/move"),
        &[("to", "open")],
    )
    .await;
    assert_eq!(status, 303);

    // Ava applies, sharing one endorsement of two.
    let ava = app.signed_in(idp, "student").await;
    let (status, page) = text(app, &ava, &format!("/opportunities/{posting_id}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("Send my application") && page.contains("Maya Chen") && page.contains("Omar Reyes"));
    let token = csrf_token(&page).unwrap();
    let r = ava
        .post(format!("{}/opportunities/{posting_id}/apply", app.address))
        .header("Origin", &app.address)
        .form(&[
            ("csrf_token", token.as_str()),
            ("statement", "I did a pricing study in ECON 310."),
            ("share", shared.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let application = r.headers()["location"].to_str().unwrap().trim_start_matches("/applications/").to_owned();
    let again = ava
        .post(format!("{}/opportunities/{posting_id}/apply", app.address))
        .header("Origin", &app.address)
        .form(&[("csrf_token", token.as_str()), ("statement", "Again.")])
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 409, "one application per posting");

    // The recruiter sees the shared endorsement only.
    let (_, manage) = text(app, rec, &format!("/workspace/postings/{posting_id}")).await;
    assert!(manage.contains("Ava led our market sizing project"));
    assert!(!manage.contains("PRIVATE-NOT-SHARED"), "an unshared endorsement never reaches the employer");
    assert_eq!(
        n(app, &format!("SELECT COUNT(*) AS n FROM application_endorsements WHERE endorsement_id = '{unshared}'"))
            .await,
        0
    );
    let (_, app_page) = text(app, rec, &format!("/applications/{application}")).await;
    assert!(!app_page.contains("PRIVATE-NOT-SHARED"));
    assert_eq!(
        n(app, &format!("SELECT COUNT(*) AS n FROM audit_events WHERE action = 'student_record.viewed' AND subject_id = '{application}' AND actor_label = 'rosa.diaz@brightpath.com'")).await,
        1,
        "a recruiter's read of an application is audited"
    );
    assert!(n(app, "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'applicants.viewed'").await >= 1);

    // Selection: offer needs a shortlist first; then the student accepts.
    let mv = |to: &'static str| [("to", to)];
    let p = format!("/workspace/postings/{posting_id}");
    let a = format!("/applications/{application}/move");
    assert_eq!(act(app, rec, &p, &a, &mv("offered")).await.0, 409);
    assert_eq!(
        act(app, &ava, &format!("/applications/{application}"), &a, &mv("accepted")).await.0,
        409,
        "nothing to accept yet"
    );
    assert_eq!(act(app, rec, &p, &a, &mv("shortlisted")).await.0, 303);
    assert_eq!(act(app, rec, &p, &a, &mv("offered")).await.0, 303);
    assert_eq!(act(app, rec, &p, &a, &mv("accepted")).await.0, 409, "only the student accepts");
    let (status, _) = act(app, &ava, &format!("/applications/{application}"), &a, &mv("accepted")).await;
    assert_eq!(status, 303);
    let engagement = app
        .with_db(move |c| {
            use diesel::prelude::*;
            use waypoint::db::schema::engagements;
            engagements::table
                .filter(engagements::application_id.eq(&application))
                .select(engagements::id)
                .first::<String>(c)
                .unwrap()
        })
        .await;
    assert_eq!(
        n(app, &format!("SELECT COUNT(*) AS n FROM opportunities WHERE id = '{posting_id}' AND status = 'closed'"))
            .await,
        1,
        "its one opening is filled"
    );
    assert_eq!(
        n(app, &format!("SELECT COUNT(*) AS n FROM audit_events WHERE action = 'posting.closed' AND subject_id = '{posting_id}' AND details LIKE '%openings_filled%'")).await,
        1,
        "closed by the posting's one close, with its reason"
    );
    let (_, dash) = text(app, &ava, "/dashboard").await;
    assert!(dash.contains("Competitor pricing scan") && dash.contains("submit your deliverable"));

    // Delivery, revision, completion, ratings, payment.
    let e = format!("/engagements/{engagement}");
    let em = format!("/engagements/{engagement}/move");
    assert_eq!(
        act(app, rec, &e, &em, &[("step", "complete"), ("rating", "5"), ("feedback", "Great")]).await.0,
        409,
        "nothing delivered yet"
    );
    assert_eq!(act(app, &ava, &e, &em, &[("step", "deliver"), ("deliverable_url", "not a link")]).await.0, 422);
    assert_eq!(
        act(
            app,
            &ava,
            &e,
            &em,
            &[
                ("step", "deliver"),
                ("deliverable_url", "https://drive.northfield.edu/ava/pricing.xlsx"),
                ("deliverable_note", "All ten vendors.")
            ]
        )
        .await
        .0,
        303
    );
    assert_eq!(act(app, rec, &e, &em, &[("step", "revision"), ("feedback", "Add the enterprise tiers.")]).await.0, 303);
    assert_eq!(
        act(
            app,
            &ava,
            &e,
            &em,
            &[("step", "deliver"), ("deliverable_url", "https://drive.northfield.edu/ava/pricing-v2.xlsx")]
        )
        .await
        .0,
        303
    );
    assert_eq!(act(app, rec, &e, &em, &[("step", "complete"), ("rating", "9"), ("feedback", "x")]).await.0, 422);
    assert_eq!(
        act(app, rec, &e, &em, &[("step", "complete"), ("rating", "5"), ("feedback", "Thorough and on time.")]).await.0,
        303
    );
    assert_eq!(
        act(app, &ava, &e, &format!("{e}/rating"), &[("rating", "5"), ("feedback", "Great brief.")]).await.0,
        303
    );
    assert_eq!(act(app, &ava, &e, &format!("{e}/rating"), &[("rating", "4")]).await.0, 409, "rated once");
    let today = app.clock.today().to_string();
    assert_eq!(
        act(app, &ava, &e, &format!("{e}/payment"), &[("amount", "400"), ("paid_on", &today)]).await.0,
        403,
        "a student records no payment"
    );
    assert_eq!(act(app, rec, &e, &format!("{e}/payment"), &[("amount", "400.00"), ("paid_on", &today)]).await.0, 303);
    assert_eq!(
        act(app, rec, &e, &format!("{e}/payment"), &[("amount", "400.00"), ("paid_on", &today)]).await.0,
        409,
        "paid once"
    );

    // Conversion: an offer of a job, accepted, becomes an outcome linked to the engagement.
    assert_eq!(
        act(
            app,
            rec,
            &e,
            &format!("{e}/offers"),
            &[("kind", "full_time"), ("job_title", "Junior Analyst"), ("offer_on", &today)]
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
        act(app, rec, &e, &format!("/offers/{offer}/decision"), &[("decision", "accepted"), ("decided_on", &today)])
            .await
            .0,
        303
    );
    assert_eq!(
        n(app, &format!("SELECT COUNT(*) AS n FROM outcomes WHERE source = 'conversion' AND engagement_id = '{engagement}' AND category = 'employed_full_time' AND organization = 'Brightpath Analytics'")).await,
        1
    );
    assert_eq!(n(app, &format!("SELECT COUNT(*) AS n FROM engagements WHERE id = '{engagement}' AND status = 'completed' AND rating = 5 AND student_rating = 5 AND amount_paid_cents = 40000")).await, 1);
    let (_, inbox) = text(app, &ava, "/inbox").await;
    for told in
        ["Shortlisted", "An offer for", "A revision for", "is complete", "Payment recorded", "An offer: Junior Analyst"]
    {
        assert!(inbox.contains(told), "the student is told: {told}");
    }
    for action in [
        "posting.pending_review",
        "posting.open",
        "application.accepted",
        "engagement.completed",
        "engagement.paid",
        "offer.accepted",
    ] {
        assert!(
            n(app, &format!("SELECT COUNT(*) AS n FROM audit_events WHERE action = '{action}'")).await >= 1,
            "{action} is audited"
        );
    }
}

#[tokio::test]
async fn eligibility_returns_and_withdrawals() {
    let w = world().await;
    let (app, idp, rec) = (&w.app, &w.idp, &w.recruiter);
    let engineers_only = posting(
        app,
        &w.employer,
        Posting { title: "Engineers only", colleges: "College of Engineering", ..Default::default() },
    )
    .await;
    let ava = app.signed_in(idp, "student").await;
    let (_, page) = text(app, &ava, &format!("/opportunities/{engineers_only}")).await;
    assert!(page.contains("You cannot apply") && page.contains("College of Engineering"));
    let token = csrf_token(&page).unwrap();
    let r = ava
        .post(format!("{}/opportunities/{engineers_only}/apply", app.address))
        .header("Origin", &app.address)
        .form(&[("csrf_token", token.as_str()), ("statement", "Please.")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422, "not eligible");
    assert_eq!(n(app, "SELECT COUNT(*) AS n FROM applications").await, 0);

    // A counselor returns a submitted posting with a reason; the recruiter sees it.
    let draft =
        posting(app, &w.employer, Posting { title: "Needs work", status: "pending_review", ..Default::default() })
            .await;
    let counselor = app.signed_in(idp, "counselor").await;
    let page = format!("/postings/{draft}");
    let mv = format!("/postings/{draft}/move");
    assert_eq!(act(app, &counselor, &page, &mv, &[("to", "draft")]).await.0, 422, "a return needs a reason");
    assert_eq!(
        act(app, &counselor, &page, &mv, &[("to", "draft"), ("reason", "State the deliverable precisely.")]).await.0,
        303
    );
    let (_, ws) = text(app, rec, "/workspace").await;
    assert!(ws.contains("State the deliverable precisely."));
    assert_eq!(
        act(app, &counselor, &page, &mv, &[("to", "open")]).await.0,
        409,
        "a draft is not approved without review"
    );

    // Withdrawing before acceptance; not after.
    let open = posting(app, &w.employer, Posting { title: "Open project", ..Default::default() }).await;
    let (_, page) = text(app, &ava, &format!("/opportunities/{open}")).await;
    let token = csrf_token(&page).unwrap();
    let r = ava
        .post(format!("{}/opportunities/{open}/apply", app.address))
        .header("Origin", &app.address)
        .form(&[("csrf_token", token.as_str()), ("statement", "Keen.")])
        .send()
        .await
        .unwrap();
    let application = r.headers()["location"].to_str().unwrap().to_owned();
    // Withdrawing asks first: without the confirmation nothing changes.
    let (status, question) = act(app, &ava, &application, &format!("{application}/move"), &[("to", "withdrawn")]).await;
    assert_eq!(status, 200);
    assert!(question.contains("Withdraw your application to Open project?"), "{question}");
    assert!(question.contains(r#"<input type="hidden" name="confirm" value="yes">"#));
    assert_eq!(n(app, "SELECT COUNT(*) AS n FROM applications WHERE status = 'withdrawn'").await, 0);
    let (status, to) =
        act(app, &ava, &application, &format!("{application}/move"), &[("to", "withdrawn"), ("confirm", "yes")]).await;
    assert_eq!((status, to.as_str()), (303, application.as_str()));
    let (_, page) = text(app, &ava, &application).await;
    assert!(page.contains("Your application to Open project was withdrawn"), "the flash says what was done");
    assert_eq!(
        act(app, &ava, &application, &format!("{application}/move"), &[("to", "withdrawn")]).await.0,
        409,
        "already withdrawn"
    );
    // Another student's application is not Ava's business.
    student(app, "N2", "ben.lee@northfield.edu", "School of Business", "Finance", 2027).await;
    let ben = app.signed_in(idp, "student-array").await;
    assert_eq!(text(app, &ben, &application).await.0, 404);
    // Ben applies and waits; Ava has withdrawn.
    let (_, page) = text(app, &ben, &format!("/opportunities/{open}")).await;
    let r = ben
        .post(format!("{}/opportunities/{open}/apply", app.address))
        .header("Origin", &app.address)
        .form(&[("csrf_token", csrf_token(&page).unwrap().as_str()), ("statement", "Spreadsheets are my thing.")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "Ben applies");
    // Cancelling a posting needs a reason and tells nobody falsely.
    assert_eq!(
        act(app, rec, &format!("/postings/{open}"), &format!("/postings/{open}/move"), &[("to", "cancelled")]).await.0,
        422
    );
    assert_eq!(
        n(app, &format!("SELECT COUNT(*) AS n FROM opportunities WHERE id = '{open}' AND status = 'open'")).await,
        1,
        "a cancellation without a reason changes nothing"
    );
    assert_eq!(n(app, "SELECT COUNT(*) AS n FROM notifications WHERE kind = 'posting_cancelled'").await, 0);
    let (status, question) = act(
        app,
        rec,
        &format!("/postings/{open}"),
        &format!("/postings/{open}/move"),
        &[("to", "cancelled"), ("reason", "Budget frozen.")],
    )
    .await;
    assert_eq!(status, 200, "a cancellation asks first");
    assert!(question.contains("Cancel the posting “Open project”?") && question.contains("Budget frozen."));
    assert!(question.contains(r#"class="button-danger">Cancel the posting</button>"#), "{question}");
    assert_eq!(
        n(app, &format!("SELECT COUNT(*) AS n FROM opportunities WHERE id = '{open}' AND status = 'open'")).await,
        1,
        "nothing changes before the confirmation"
    );
    assert_eq!(
        act(
            app,
            rec,
            &format!("/postings/{open}"),
            &format!("/postings/{open}/move"),
            &[("to", "cancelled"), ("reason", "Budget frozen."), ("confirm", "yes")]
        )
        .await
        .0,
        303
    );
    let told = |email: &str| {
        format!(
            "SELECT COUNT(*) AS n FROM notifications x JOIN users u ON u.id = x.user_id \
             WHERE x.kind = 'posting_cancelled' AND u.email = '{email}' AND x.body LIKE '%Budget frozen.%'"
        )
    };
    assert_eq!(n(app, &told("ben.lee@northfield.edu")).await, 1, "the waiting applicant is told, with the reason");
    assert_eq!(n(app, &told("ava.okafor@northfield.edu")).await, 0, "who withdrew is not");
    assert_eq!(n(app, "SELECT COUNT(*) AS n FROM notifications WHERE kind = 'posting_cancelled'").await, 1);
}

pub(crate) async fn engaged(w: &World, title: &str) -> String {
    let p = posting(&w.app, &w.employer, Posting { title, ..Default::default() }).await;
    let (app_id, eng_id) = (uuid::Uuid::new_v4().to_string(), uuid::Uuid::new_v4().to_string());
    let now = "'2026-11-01 09:00:00'";
    sql(&w.app, format!("INSERT INTO applications (id, opportunity_id, student_id, statement, status, created_at, updated_at) VALUES ('{app_id}', '{p}', '{}', 'Keen.', 'accepted', {now}, {now})", w.ava)).await;
    sql(
        &w.app,
        format!(
            "INSERT INTO engagements (id, application_id, opportunity_id, student_id, employer_id, status, started_on, due_on, created_at, updated_at) \
             VALUES ('{eng_id}', '{app_id}', '{p}', '{}', '{}', 'active', '2026-11-01', '2099-01-01', {now}, {now})",
            w.ava, w.employer
        ),
    )
    .await;
    eng_id
}
