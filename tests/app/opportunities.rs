//! The lifecycle's pages on the portal's patterns: every change ends on the changed
//! thing's page with a message saying what was done (Post/Redirect/Get), a refused form
//! comes back with everything typed and every problem named by its label, destructive
//! moves ask first, and students answer the offers made after their project themselves.

use crate::fixtures::{application, endorsement, posting, sql, student, Posting};
use crate::idp::csrf_token;
use crate::lifecycle::{act, engaged, n, posting_fields, text, world, World};

/// The flash as the layout shows it.
fn flash(message: &str) -> String {
    format!("<div class=\"flash\" role=\"status\" aria-live=\"polite\"><p>{message}</p></div>")
}

/// Follows a 303 in `b`: the page shows `message` once, and the next visit does not.
async fn shows_once(w: &World, b: &reqwest::Client, location: &str, message: &str) -> String {
    let (status, page) = text(&w.app, b, location).await;
    assert_eq!(status, 200, "{location}");
    assert!(page.contains(&flash(message)), "{location} shows “{message}”:\n{page}");
    let (_, again) = text(&w.app, b, location).await;
    assert!(!again.contains("class=\"flash\""), "the message is shown once");
    page
}

/// A project of Ava's with Brightpath, completed today.
async fn completed(w: &World, title: &str) -> String {
    let eng = engaged(w, title).await;
    let today = w.app.clock.today().to_string();
    sql(&w.app, format!("UPDATE engagements SET status = 'completed', rating = 4, completed_on = '{today}', submitted_on = '{today}' WHERE id = '{eng}'")).await;
    eng
}

async fn offer_id(w: &World, job_title: &str) -> String {
    let t = job_title.to_owned();
    w.app
        .with_db(move |c| {
            use diesel::prelude::*;
            use waypoint::db::schema::offers;
            offers::table.filter(offers::job_title.eq(t)).select(offers::id).first::<String>(c).unwrap()
        })
        .await
}

#[tokio::test]
async fn students_answer_their_own_offers_and_the_terms_are_kept() {
    let w = world().await;
    let app = &w.app;
    let ava = app.signed_in(&w.idp, "student").await;
    let eng = completed(&w, "Pricing study").await;
    let page = format!("/engagements/{eng}");
    let today = app.clock.today().to_string();
    let start = crate::lifecycle::future(app, 60);

    // The recruiter records an offer with its terms.
    let (status, to) = act(
        app,
        &w.recruiter,
        &page,
        &format!("{page}/offers"),
        &[
            ("kind", "full_time"),
            ("job_title", "Junior Analyst"),
            ("offer_on", &today),
            ("salary", "65,000"),
            ("currency", "USD"),
            ("start_on", &start),
            ("location", "Boston, MA"),
        ],
    )
    .await;
    assert_eq!((status, to.as_str()), (303, page.as_str()));
    shows_once(&w, &w.recruiter, &page, "Offer sent to Student N1").await;
    assert_eq!(
        n(app, &format!("SELECT COUNT(*) AS n FROM offers WHERE job_title = 'Junior Analyst' AND annual_salary_cents = 6500000 AND currency = 'USD' AND start_on = '{start}' AND location = 'Boston, MA' AND status = 'extended'")).await,
        1
    );
    let offer = offer_id(&w, "Junior Analyst").await;

    // Ava sees it, with its terms, on her project and her dashboard.
    let (_, project) = text(app, &ava, &page).await;
    assert!(project.contains("Salary: $65,000.00 a year") && project.contains("Location: Boston, MA"), "{project}");
    assert!(project.contains("Waiting for an answer"));
    assert!(project.contains(&format!("action=\"/offers/{offer}/answer\"")));
    let (_, dashboard) = text(app, &ava, "/dashboard").await;
    assert!(
        dashboard.contains("Offers waiting for your answer") && dashboard.contains("Junior Analyst"),
        "{dashboard}"
    );

    // Nobody else answers it: another student does not find it, a recruiter may not.
    student(app, "N2", "ben.lee@northfield.edu", "School of Business", "Finance", 2027).await;
    let ben = app.signed_in(&w.idp, "student-array").await;
    let answer = format!("/offers/{offer}/answer");
    assert_eq!(act(app, &ben, "/dashboard", &answer, &[("answer", "accept")]).await.0, 404);
    assert_eq!(act(app, &w.recruiter, &page, &answer, &[("answer", "accept")]).await.0, 403);
    assert_eq!(n(app, "SELECT COUNT(*) AS n FROM offers WHERE status = 'extended'").await, 1, "nothing changed");

    // Ava accepts from her dashboard: the project's page says so, and the outcome is made.
    let (status, to) = act(app, &ava, "/dashboard", &answer, &[("answer", "accept")]).await;
    assert_eq!((status, to.as_str()), (303, page.as_str()));
    shows_once(&w, &ava, &page, "You accepted the offer: Junior Analyst at Brightpath Analytics").await;
    assert_eq!(
        n(app, &format!("SELECT COUNT(*) AS n FROM outcomes WHERE source = 'conversion' AND engagement_id = '{eng}' AND annual_salary_cents = 6500000 AND start_on = '{start}' AND job_title = 'Junior Analyst'")).await,
        1,
        "the accepted offer is an outcome with its terms"
    );
    assert_eq!(n(app, &format!("SELECT COUNT(*) AS n FROM offers WHERE id = '{offer}' AND status = 'accepted' AND outcome_id IS NOT NULL AND decided_on = '{today}'")).await, 1);
    let (_, inbox) = text(app, &w.recruiter, "/inbox").await;
    assert!(inbox.contains("Student N1 accepted your offer: Junior Analyst"), "the employer is told");

    // An answered offer is answered: a second answer is refused and changes nothing.
    let (status, _) = act(app, &ava, &page, &answer, &[("answer", "decline"), ("confirm", "yes")]).await;
    assert_eq!(status, 409);
    assert_eq!(n(app, "SELECT COUNT(*) AS n FROM outcomes").await, 1);
    assert_eq!(
        n(app, &format!("SELECT COUNT(*) AS n FROM offers WHERE id = '{offer}' AND status = 'accepted'")).await,
        1
    );

    // Declining asks first; then it is recorded and makes no outcome.
    let (status, _) = act(
        app,
        &w.recruiter,
        &page,
        &format!("{page}/offers"),
        &[("kind", "internship"), ("job_title", "Summer Analyst"), ("offer_on", &today), ("currency", "USD")],
    )
    .await;
    assert_eq!(status, 303);
    let second = offer_id(&w, "Summer Analyst").await;
    let answer = format!("/offers/{second}/answer");
    let (status, question) = act(app, &ava, &page, &answer, &[("answer", "decline")]).await;
    assert_eq!(status, 200);
    assert!(question.contains("Decline the offer “Summer Analyst”?"), "{question}");
    assert!(question.contains(r#"<button type="submit" class="button-danger">Decline the offer</button>"#));
    assert_eq!(
        n(app, &format!("SELECT COUNT(*) AS n FROM offers WHERE id = '{second}' AND status = 'extended'")).await,
        1
    );
    let (status, to) = act(app, &ava, &page, &answer, &[("answer", "decline"), ("confirm", "yes")]).await;
    assert_eq!((status, to.as_str()), (303, page.as_str()));
    shows_once(&w, &ava, &page, "You declined the offer: Summer Analyst at Brightpath Analytics").await;
    assert_eq!(
        n(app, &format!("SELECT COUNT(*) AS n FROM offers WHERE id = '{second}' AND status = 'declined'")).await,
        1
    );
    assert_eq!(n(app, "SELECT COUNT(*) AS n FROM outcomes").await, 1, "a declined offer makes no outcome");
    let (_, dashboard) = text(app, &ava, "/dashboard").await;
    assert!(!dashboard.contains("Offers waiting for your answer"), "nothing waits any more");
}

#[tokio::test]
async fn refused_forms_come_back_with_what_was_typed_and_every_problem_by_its_label() {
    let w = world().await;
    let app = &w.app;
    let ava = app.signed_in(&w.idp, "student").await;

    // Written feedback is kept when the rating is missing.
    let eng = engaged(&w, "Feedback kept").await;
    sql(app, format!("UPDATE engagements SET status = 'submitted', deliverable_url = 'https://x.northfield.edu/a', submitted_on = '2026-11-02' WHERE id = '{eng}'")).await;
    let page = format!("/engagements/{eng}");
    let feedback = "Thorough work on <ten> vendors.\nAdd sources next time.";
    let (status, html) = act(
        app,
        &w.recruiter,
        &page,
        &format!("{page}/move"),
        &[("step", "complete"), ("rating", ""), ("feedback", feedback)],
    )
    .await;
    assert_eq!(status, 422);
    assert!(html.contains("Thorough work on &lt;ten&gt; vendors.\nAdd sources next time.</textarea>"), "{html}");
    assert!(html.contains(r##"<a href="#field-rating">Rating: choose from 1 to 5</a>"##), "{html}");
    assert!(html.contains("aria-invalid=\"true\" aria-describedby=\"field-rating-hint field-rating-error\""));
    assert_eq!(
        n(app, &format!("SELECT COUNT(*) AS n FROM engagements WHERE id = '{eng}' AND status = 'submitted'")).await,
        1
    );
    // Both missing: both said at once.
    let (status, html) = act(
        app,
        &w.recruiter,
        &page,
        &format!("{page}/move"),
        &[("step", "complete"), ("rating", ""), ("feedback", "")],
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        html.contains("Rating: choose from 1 to 5") && html.contains("Feedback for the student: write a few words")
    );

    // The offer form: every problem at once, under its label, with what was typed.
    let done = completed(&w, "Offer refused").await;
    let page = format!("/engagements/{done}");
    let (status, html) = act(
        app,
        &w.recruiter,
        &page,
        &format!("{page}/offers"),
        &[
            ("kind", "full_time"),
            ("job_title", ""),
            ("offer_on", "yesterday"),
            ("salary", "lots"),
            ("currency", "USD"),
            ("location", "Remote"),
        ],
    )
    .await;
    assert_eq!(status, 422);
    for message in [
        "Job title: is required",
        "Offered on: &#x60;yesterday&#x60; is not a date",
        "Salary: &#x60;lots&#x60; is not an amount",
    ] {
        assert!(html.contains(message), "{message}\n{html}");
    }
    assert!(html.contains(r#"value="lots""#) && html.contains(r#"value="Remote""#), "kept");
    assert!(html.contains(r#"<option value="full_time" selected>"#));
    assert_eq!(n(app, "SELECT COUNT(*) AS n FROM offers").await, 0);

    // The posting form: every field's problem at once, with what was typed; the choices
    // (currency, colleges, majors, class years) are lists.
    let mut fields = posting_fields("not a date", "2099-02-01", "none");
    fields.retain(|(k, _)| *k != "title" && *k != "hours");
    fields.extend([("title", String::new()), ("hours", "twelve".into()), ("eligible_majors", "Finance".into())]);
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, html) = act(app, &w.recruiter, "/workspace/postings/new", "/workspace/postings", &refs).await;
    assert_eq!(status, 422);
    for message in [
        "Title: is required",
        "Hours of work: must be a whole number from 5 to 40",
        "Apply by: &#x60;not a date&#x60; is not a date",
        "Openings: must be a whole number from 1 to 50",
    ] {
        assert!(html.contains(message), "{message}\n{html}");
    }
    assert!(html.contains(r##"href="#field-hours""##) && html.contains(r#"value="twelve""#));
    assert!(html.contains(r#"<option value="USD" selected>US dollars (USD)</option>"#), "currency is a list");
    assert!(
        html.contains(r#"type="checkbox" id="field-eligible_majors" name="eligible_majors" value="Finance" checked"#),
        "{html}"
    );
    assert!(html.contains(r#"name="eligible_class_years" value="2027""#), "class years from the roster");
    assert_eq!(n(app, "SELECT COUNT(*) AS n FROM opportunities WHERE title = 'Competitor pricing scan'").await, 0);

    // A choice no list has is refused; one the draft already names is kept on editing.
    let mut fields = posting_fields(&crate::lifecycle::future(app, 20), &crate::lifecycle::future(app, 50), "1");
    fields.push(("eligible_majors", "Basket Weaving".into()));
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, html) = act(app, &w.recruiter, "/workspace/postings/new", "/workspace/postings", &refs).await;
    assert_eq!(status, 422);
    assert!(html.contains("Majors: &#x60;Basket Weaving&#x60; is not one of the majors listed"), "{html}");
    let draft = posting(
        app,
        &w.employer,
        Posting { title: "Old draft", status: "draft", majors: "Astrophysics", ..Default::default() },
    )
    .await;
    let (_, edit) = text(app, &w.recruiter, &format!("/postings/{draft}/edit")).await;
    assert!(edit.contains(r#"name="eligible_majors" value="Astrophysics" checked"#), "{edit}");
    let mut fields = posting_fields(&crate::lifecycle::future(app, 20), &crate::lifecycle::future(app, 50), "1");
    fields.push(("eligible_majors", "Astrophysics".into()));
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let edit = format!("/postings/{draft}/edit");
    let (status, to) = act(app, &w.recruiter, &edit, &edit, &refs).await;
    assert_eq!((status, to.as_str()), (303, format!("/postings/{draft}").as_str()));
    assert_eq!(
        n(
            app,
            &format!(
                "SELECT COUNT(*) AS n FROM opportunities WHERE id = '{draft}' AND eligible_majors = 'Astrophysics'"
            )
        )
        .await,
        1
    );

    // Applying: an empty statement comes back with the endorsements still ticked.
    let maya = endorsement(app, &w.ava, "Maya Chen", "Ava is rigorous.").await;
    let open = posting(app, &w.employer, Posting { title: "Apply kept", ..Default::default() }).await;
    let (_, listing) = text(app, &ava, &format!("/opportunities/{open}")).await;
    let r = ava
        .post(format!("{}/opportunities/{open}/apply", app.address))
        .header("Origin", &app.address)
        .form(&[("csrf_token", csrf_token(&listing).unwrap().as_str()), ("statement", " "), ("share", maya.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(
        html.contains(r##"<a href="#field-statement">Why you fit this project: say in a few sentences"##),
        "{html}"
    );
    assert!(html.contains(&format!(r#"name="share" value="{maya}" checked"#)), "{html}");
    assert_eq!(n(app, &format!("SELECT COUNT(*) AS n FROM applications WHERE opportunity_id = '{open}'")).await, 0);
}

#[tokio::test]
async fn each_change_ends_on_the_changed_thing_with_what_was_done() {
    let w = world().await;
    let app = &w.app;
    let counselor = app.signed_in(&w.idp, "counselor").await;

    // A counselor returns a posting: the posting's page says to whom, with the reason.
    let draft =
        posting(app, &w.employer, Posting { title: "Needs work", status: "pending_review", ..Default::default() })
            .await;
    let page = format!("/postings/{draft}");
    let (status, to) =
        act(app, &counselor, &page, &format!("{page}/move"), &[("to", "draft"), ("reason", "Say what to deliver.")])
            .await;
    assert_eq!((status, to.as_str()), (303, page.as_str()), "never a page left on /move");
    shows_once(&w, &counselor, &page, "Posting returned to Brightpath Analytics with your reason").await;

    // The recruiter saves and submits a posting: its page says so.
    let good = posting_fields(&crate::lifecycle::future(app, 20), &crate::lifecycle::future(app, 50), "2");
    let mut fields: Vec<(&str, &str)> = good.iter().map(|(k, v)| (*k, v.as_str())).collect();
    fields.push(("intent", "submit"));
    let (status, to) = act(app, &w.recruiter, "/workspace/postings/new", "/workspace/postings", &fields).await;
    assert_eq!(status, 303);
    let page = shows_once(
        &w,
        &w.recruiter,
        &to,
        "“Competitor pricing scan” was submitted for review: the career office approves it or returns it with a reason",
    )
    .await;
    assert!(page.contains("Waiting for review") && page.contains("$400.00") && page.contains("2 openings"), "{page}");

    // The office's queue says how long it has waited.
    let three_days_ago = (app.clock.now_utc() - chrono::Duration::hours(73)).format("%Y-%m-%d %H:%M:%S");
    sql(
        app,
        format!("UPDATE opportunities SET submitted_at = '{three_days_ago}' WHERE title = 'Competitor pricing scan'"),
    )
    .await;
    let (_, queue) = text(app, &counselor, "/review").await;
    assert!(queue.contains(r#"<td data-label="Waiting">3 days</td>"#), "{queue}");

    // Selecting: an offer names the student; a rejection asks first, then says who was told.
    let open = posting(app, &w.employer, Posting { title: "Selection", ..Default::default() }).await;
    let applied = application(app, &open, &w.ava, "shortlisted").await;
    let page = format!("/postings/{open}");
    let mv = format!("/applications/{applied}/move");
    let (status, question) = act(app, &w.recruiter, &page, &mv, &[("to", "rejected"), ("message", "Thank you.")]).await;
    assert_eq!(status, 200);
    assert!(question.contains("Reject Student N1?") && question.contains("Keep the applicant"), "{question}");
    assert_eq!(
        n(app, &format!("SELECT COUNT(*) AS n FROM applications WHERE id = '{applied}' AND status = 'shortlisted'"))
            .await,
        1
    );
    let (status, to) = act(app, &w.recruiter, &page, &mv, &[("to", "offered")]).await;
    assert_eq!((status, to.as_str()), (303, page.as_str()));
    shows_once(&w, &w.recruiter, &page, "Offer sent to Student N1").await;

    // The student's answer goes back to their application.
    let ava = app.signed_in(&w.idp, "student").await;
    let mine = format!("/applications/{applied}");
    let (status, to) = act(app, &ava, &mine, &mv, &[("to", "accepted")]).await;
    assert_eq!((status, to.as_str()), (303, mine.as_str()));
    shows_once(&w, &ava, &mine, "You accepted Selection: the project has started").await;

    // The project: a delivery and a payment say what was done, with money in words.
    let eng = engaged(&w, "Paid one").await;
    let page = format!("/engagements/{eng}");
    let (status, to) = act(
        app,
        &ava,
        &page,
        &format!("{page}/move"),
        &[("step", "deliver"), ("deliverable_url", "https://drive.northfield.edu/ava/x.xlsx")],
    )
    .await;
    assert_eq!((status, to.as_str()), (303, page.as_str()));
    shows_once(&w, &ava, &page, "Deliverable sent to Brightpath Analytics").await;
    let (status, _) = act(
        app,
        &w.recruiter,
        &page,
        &format!("{page}/move"),
        &[("step", "complete"), ("rating", "5"), ("feedback", "Great.")],
    )
    .await;
    assert_eq!(status, 303);
    let today = app.clock.today().to_string();
    let (status, _) =
        act(app, &w.recruiter, &page, &format!("{page}/payment"), &[("amount", "400"), ("paid_on", &today)]).await;
    assert_eq!(status, 303);
    let html = shows_once(&w, &w.recruiter, &page, "Payment of $400.00 to Student N1 recorded").await;
    assert!(html.contains("<dt>Fee</dt><dd>$400.00</dd>"), "{html}");
}

#[tokio::test]
async fn the_catalogue_counts_in_words_and_clamps_its_pages() {
    let w = world().await;
    let app = &w.app;
    let ava = app.signed_in(&w.idp, "student").await;
    posting(app, &w.employer, Posting { title: "Only one", skills: "excel", ..Default::default() }).await;
    let (status, html) = text(app, &ava, "/opportunities?skills=excel").await;
    assert_eq!(status, 200);
    assert!(html.contains("1 project found."), "{html}");
    assert!(html.contains("<strong>$400.00</strong>"), "money as its currency writes it");
    let r = ava.get(format!("{}/opportunities?skills=excel&page=99", app.address)).send().await.unwrap();
    assert_eq!(r.status(), 303, "page 99 of 1 is not shown as such");
    let to = r.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(to, "/opportunities?skills=excel", "an old page link past the end goes to the first page");
    let (status, html) = text(app, &ava, &to).await;
    assert_eq!(status, 200);
    assert!(html.contains("Only one"));
    // A filter that cannot be read is told with its label, linked to its input.
    let (status, html) = text(app, &ava, "/opportunities?hours_min=lots&skills=excel").await;
    assert_eq!(status, 422);
    assert!(
        html.contains(
            r##"<a href="#field-hours_min">Hours from: &#x60;lots&#x60; must be a whole number from 5 to 40</a>"##
        ),
        "{html}"
    );
    assert!(
        html.contains(r#"id="field-hours_min" name="hours_min""#)
            && html.contains(r#"value="lots" aria-invalid="true""#)
    );
    assert!(!html.contains(">hours_min<"), "no internal name");
    let (_, none) = text(app, &ava, "/opportunities?q=nothing-matches-this").await;
    assert!(none.contains("0 projects found."), "{none}");
    // A NUL character (PostgreSQL refuses one in text; `skills` was a 500 there) is a 400
    // that names the parameter, on every page.
    for (nul, name) in [
        ("/opportunities?q=a%00b", "q"),
        ("/opportunities?skills=%00", "skills"),
        ("/opportunities?industry=x%00", "industry"),
        ("/students?q=%00", "q"),
    ] {
        let (status, html) = text(app, &ava, nul).await;
        assert_eq!(status, 400, "{nul}: {html}");
        assert!(
            html.contains(&format!("`{name}` holds a NUL character"))
                || html.contains(&format!("&#x60;{name}&#x60; holds a NUL character")),
            "{nul}: {html}"
        );
    }
}
