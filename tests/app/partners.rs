//! Employer partnerships: the counselors' pages, status rules and their effects (with
//! confirmation and flash messages), vetting, and imports. The catalogue and the
//! recruiter's workspace are in `partners_workspace`.

use crate::fixtures::{application, employer, posting, sql, student, Posting};
use crate::helpers::{count, stderr, stdout, waypoint_cmd, TestApp};
use crate::idp::{csrf_token, spawn_with_idp, spawn_with_idp_at};

pub async fn n(app: &TestApp, query: &str) -> i64 {
    let query = query.to_owned();
    app.with_db(move |c| count(c, &query)).await
}

pub async fn get(app: &TestApp, b: &reqwest::Client, path: &str) -> (u16, String) {
    let r = b.get(format!("{}{path}", app.address)).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

pub async fn post(app: &TestApp, b: &reqwest::Client, path: &str, fields: &[(&str, &str)]) -> (u16, String) {
    let r = app.post_form(b, "/account", path, fields).await;
    (r.status().as_u16(), r.text().await.unwrap())
}

#[tokio::test]
async fn counselors_add_edit_and_validate_employers() {
    let (app, idp) = spawn_with_idp(None).await;
    let c = app.signed_in(&idp, "counselor").await;
    let good = [
        ("name", "Brightpath Analytics"),
        ("industry", "Software"),
        ("website", "https://www.brightpath.com"),
        ("email_domain", "brightpath.com"),
        ("size", "51-200"),
        ("location", "Boston, MA"),
        ("description", "B2B analytics."),
        ("tier", "gold"),
    ];
    let r = app.post_form(&c, "/employers/new", "/employers", &good).await;
    assert_eq!(r.status(), 303);
    let page = r.headers()["location"].to_str().unwrap().to_owned();
    let (status, html) = get(&app, &c, &page).await;
    assert_eq!(status, 200);
    assert!(html.contains("<p>Brightpath Analytics added as a prospect</p>"), "PRG with a flash: {html}");
    assert!(
        html.contains("Brightpath Analytics") && html.contains("prospect") && html.contains("started as prospect"),
        "{html}"
    );
    assert!(html.contains("Cory Banks"), "the history names the counselor who acted");

    // Bad website, duplicate name (case aside), missing industry: 422, each field named, nothing added.
    let mut bad = good.to_vec();
    bad[0] = ("name", "BRIGHTPATH analytics");
    bad[2] = ("website", "brightpath dot com");
    bad[1] = ("industry", "");
    let r = app.post_form(&c, "/employers/new", "/employers", &bad).await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("href=\"#field-website\"") && html.contains("href=\"#field-industry\""), "{html}");
    let r = app
        .post_form(
            &c,
            "/employers/new",
            "/employers",
            &[("name", "brightpath ANALYTICS"), ("industry", "Software"), ("tier", "gold")],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("exists already"));
    assert_eq!(n(&app, "SELECT COUNT(*) AS n FROM employers").await, 1);

    // Edit.
    let id = page.rsplit('/').next().unwrap().to_owned();
    let mut edited = good[..7].to_vec();
    edited[5] = ("location", "Cambridge, MA");
    let r = app.post_form(&c, &format!("/employers/{id}/edit"), &format!("/employers/{id}/edit"), &edited).await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], page.as_str());
    assert!(get(&app, &c, &page).await.1.contains("<p>Brightpath Analytics&#x27;s profile saved</p>"));
    assert_eq!(n(&app, "SELECT COUNT(*) AS n FROM employers WHERE location = 'Cambridge, MA'").await, 1);
    assert_eq!(
        n(&app, "SELECT COUNT(*) AS n FROM audit_events WHERE action IN ('employer.created', 'employer.updated')")
            .await,
        2
    );

    // The list: search, filters, sort.
    employer(&app, "Harbor Health", "Healthcare", Some("harborhealth.org"), "active").await;
    employer(&app, "Cedar Works", "Manufacturing", None, "paused").await;
    let (_, html) = get(&app, &c, "/employers?q=HEALTH").await;
    assert!(html.contains("Harbor Health") && !html.contains("Cedar Works") && !html.contains(">Brightpath"));
    let (_, html) = get(&app, &c, "/employers?q=software").await;
    assert!(html.contains("Brightpath Analytics"), "industry matches too");
    let (_, html) = get(&app, &c, "/employers?status=paused").await;
    assert!(html.contains("Cedar Works") && !html.contains("Harbor Health"));
    let (_, html) = get(&app, &c, "/employers?tier=gold&sort=tier").await;
    assert!(html.contains("3 employer(s)"), "{html}");
}

#[tokio::test]
async fn partnership_transitions_are_recorded_and_illegal_ones_refused() {
    let (app, idp) = spawn_with_idp(None).await;
    let c = app.signed_in(&idp, "counselor").await;
    let id = employer(&app, "Cedar Works", "Manufacturing", None, "prospect").await;
    let path = format!("/employers/{id}/status");
    let events = || n(&app, "SELECT COUNT(*) AS n FROM partnership_events");

    let (status, html) = post(&app, &c, &path, &[("to", "active")]).await;
    assert_eq!(status, 422, "no vetted domain yet");
    assert!(html.contains("vetted email domain"));
    assert_eq!(events().await, 0);
    let (status, _) = post(&app, &c, &path, &[("to", "paused")]).await;
    assert_eq!(status, 409, "a prospect cannot be paused");
    assert_eq!(events().await, 0, "a refused change changes nothing");

    sql(&app, format!("UPDATE employers SET email_domain = 'cedarworks.com' WHERE id = '{id}'")).await;
    for (to, expected) in
        [("active", 303), ("paused", 303), ("active", 303), ("active", 409), ("prospect", 409), ("ended", 303)]
    {
        let (status, html) =
            post(&app, &c, &path, &[("to", to), ("note", "quarterly review"), ("confirm", "yes")]).await;
        assert_eq!(status, expected, "to {to}: {html}");
    }
    assert_eq!(events().await, 4);
    let (status, html) = post(&app, &c, &path, &[("to", "active")]).await;
    assert_eq!(status, 409, "an ended partnership is not reactivated");
    assert!(html.contains("start a new one") || html.contains("new partnership"), "{html}");
    assert_eq!(n(&app, "SELECT COUNT(*) AS n FROM partnerships WHERE status = 'ended' AND ends_on IS NOT NULL AND starts_on IS NOT NULL").await, 1);

    // A new partnership record, then it can become active again.
    let (status, _) = post(&app, &c, &format!("/employers/{id}/partnerships"), &[("tier", "silver")]).await;
    assert_eq!(status, 303, "to the employer page");
    let (status, _) = post(&app, &c, &format!("/employers/{id}/partnerships"), &[("tier", "silver")]).await;
    assert_eq!(status, 409, "only one current partnership");
    let (status, _) = post(&app, &c, &path, &[("to", "active")]).await;
    assert_eq!(status, 303);
    assert_eq!(n(&app, "SELECT COUNT(*) AS n FROM partnerships").await, 2);
    let (_, html) = get(&app, &c, &format!("/employers/{id}")).await;
    assert!(html.contains("quarterly review") && html.contains("paused → active") && html.contains("Cory Banks"));
    // The vetted domain cannot be removed while active.
    let (status, html) = post(
        &app,
        &c,
        &format!("/employers/{id}/edit"),
        &[("name", "Cedar Works"), ("industry", "Manufacturing"), ("email_domain", "")],
    )
    .await;
    assert_eq!(status, 422, "{html}");
}

#[tokio::test]
async fn pausing_closes_postings_tells_applicants_and_hides_the_employer_without_deleting() {
    let (app, idp) = spawn_with_idp(None).await;
    let id = employer(&app, "Brightpath Analytics", "Software", Some("brightpath.com"), "active").await;
    let open = posting(&app, &id, Posting { title: "Churn analysis of trial accounts", ..Default::default() }).await;
    let draft = posting(&app, &id, Posting { title: "Draft idea", status: "draft", ..Default::default() }).await;
    let s = student(&app, "N1", "ava.okafor@northfield.edu", "School of Business", "Finance", 2027).await;
    let ava = app.signed_in(&idp, "student").await;
    let appl = application(&app, &open, &s, "submitted").await;

    let (status, html) = get(&app, &ava, "/opportunities").await;
    assert_eq!(status, 200);
    assert!(html.contains("Churn analysis of trial accounts"));
    assert_eq!(get(&app, &ava, &format!("/partners/{id}")).await.0, 200);
    assert_eq!(get(&app, &ava, &format!("/opportunities/{open}")).await.0, 200);
    assert_eq!(get(&app, &ava, &format!("/opportunities/{draft}")).await.0, 404, "drafts are not in the catalogue");

    let c = app.signed_in(&idp, "counselor").await;
    // Closing by hand is the same close too; a second close is refused and changes nothing.
    let by_hand = posting(&app, &id, Posting { title: "Closed by hand", ..Default::default() }).await;
    let (status, _) = post(&app, &c, &format!("/postings/{by_hand}/move"), &[("to", "closed")]).await;
    assert_eq!(status, 303);
    let (status, _) = post(&app, &c, &format!("/postings/{by_hand}/move"), &[("to", "closed")]).await;
    assert_eq!(status, 409);
    let (status, _) = post(&app, &c, &format!("/employers/{id}/status"), &[("to", "paused"), ("confirm", "yes")]).await;
    assert_eq!(status, 303);
    let (_, html) = get(&app, &c, &format!("/employers/{id}")).await;
    assert!(
        html.contains("Partnership with Brightpath Analytics paused; 1 open posting closed, 1 applicant told"),
        "{html}"
    );

    let (_, html) = get(&app, &ava, "/opportunities").await;
    assert!(!html.contains("Churn analysis"), "hidden from students");
    assert_eq!(get(&app, &ava, &format!("/partners/{id}")).await.0, 404);
    assert_eq!(get(&app, &ava, &format!("/opportunities/{open}")).await.0, 404);
    let (_, html) = get(&app, &ava, "/partners").await;
    assert!(!html.contains("Brightpath"));
    assert!(get(&app, &ava, "/").await.1.contains("<span class=\"count\">1<"), "one unread message shows");
    let (_, inbox) = get(&app, &ava, "/inbox").await;
    assert!(inbox.contains("is closed") && inbox.contains("paused its partnership"), "{inbox}");
    assert!(get(&app, &ava, "/").await.1.contains("<span class=\"count\">1<"), "listing the inbox reads nothing");
    assert_eq!(post(&app, &ava, "/inbox/read", &[]).await.0, 303);
    assert!(!get(&app, &ava, "/").await.1.contains("<span class=\"count\">"), "marked read");
    // Nothing deleted: the posting is closed, the application and draft are kept.
    assert_eq!(n(&app, &format!("SELECT COUNT(*) AS n FROM opportunities WHERE id = '{open}' AND status = 'closed' AND closed_at IS NOT NULL")).await, 1);
    assert_eq!(
        n(&app, &format!("SELECT COUNT(*) AS n FROM applications WHERE id = '{appl}' AND status = 'submitted'")).await,
        1
    );
    assert_eq!(
        n(&app, &format!("SELECT COUNT(*) AS n FROM opportunities WHERE id = '{draft}' AND status = 'draft'")).await,
        1
    );
}

#[tokio::test]
async fn free_mail_and_disposable_domains_are_refused_beside_the_field_keeping_what_was_typed() {
    let (app, idp) = spawn_with_idp(None).await;
    let c = app.signed_in(&idp, "counselor").await;
    for (domain, why) in [("gmail.com", "is a free mail service"), ("mailinator.com", "is a disposable")] {
        let fields =
            [("name", "Brightpath Analytics"), ("industry", "Software"), ("email_domain", domain), ("tier", "gold")];
        let r = app.post_form(&c, "/employers/new", "/employers", &fields).await;
        assert_eq!(r.status(), 422, "{domain}");
        let html = r.text().await.unwrap();
        assert!(html.contains("href=\"#field-email_domain\""), "the summary links the field");
        assert!(html.contains(&format!("Vetted email domain: &#x60;{domain}&#x60; {why}")), "{html}");
        assert!(html.contains("value=\"Brightpath Analytics\""), "what was typed is kept");
        assert!(html.contains("<option value=\"gold\" selected>"), "the tier chosen is kept");
    }
    assert_eq!(n(&app, "SELECT COUNT(*) AS n FROM employers").await, 0);
    // Editing to a free-mail domain is refused the same way, and changes nothing.
    let id = employer(&app, "Ledgerwise", "Financial Technology", Some("ledgerwise.io"), "active").await;
    let edit = format!("/employers/{id}/edit");
    let r = app
        .post_form(
            &c,
            &edit,
            &edit,
            &[("name", "Ledgerwise"), ("industry", "Fintech"), ("email_domain", "yahoo.co.uk")],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("Vetted email domain: &#x60;yahoo.co.uk&#x60; is a free mail service"));
    assert_eq!(n(&app, "SELECT COUNT(*) AS n FROM employers WHERE email_domain = 'ledgerwise.io' AND industry = 'Financial Technology'").await, 1);
    // A good edit answers with the employer page and says what was done, once.
    let r = app
        .post_form(
            &c,
            &edit,
            &edit,
            &[("name", "Ledgerwise"), ("industry", "Fintech"), ("email_domain", "ledgerwise.io")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, html) = get(&app, &c, &format!("/employers/{id}")).await;
    assert!(
        html.contains(
            "<div class=\"flash\" role=\"status\" aria-live=\"polite\"><p>Ledgerwise&#x27;s profile saved</p></div>"
        ),
        "{html}"
    );
    assert!(!get(&app, &c, &format!("/employers/{id}")).await.1.contains("profile saved"), "shown once");
}

#[tokio::test]
async fn the_vetting_checklist_is_recorded_with_who_and_when() {
    let (app, idp) = spawn_with_idp_at("2027-02-16", "10:30").await;
    let c = app.signed_in(&idp, "counselor").await;
    let id = employer(&app, "Ledgerwise", "Financial Technology", Some("ledgerwise.io"), "prospect").await;
    let page = format!("/employers/{id}");
    let vetting = format!("/employers/{id}/vetting");
    assert!(get(&app, &c, &page).await.1.contains("Not vetted yet."));
    // No website on the profile: it cannot be checked; nothing is recorded.
    let r = app.post_form(&c, &page, &vetting, &[("domain_verified", "yes"), ("website_verified", "yes")]).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("Website: cannot be checked: the profile has no website yet"));
    assert_eq!(n(&app, "SELECT COUNT(*) AS n FROM employer_vettings").await, 0);

    let fields = [("domain_verified", "yes"), ("contact_verified", "yes"), ("vetting_note", "Called HR")];
    let r = app.post_form(&c, &page, &vetting, &fields).await;
    assert_eq!(r.status(), 303);
    let (_, html) = get(&app, &c, &page).await;
    assert!(html.contains("<p>Vetting checklist for Ledgerwise saved</p>"), "{html}");
    assert!(
        html.contains("Last vetted by Cory Banks on")
            && html.contains("Feb 16, 2027, 10:30 AM EST")
            && html.contains("Called HR"),
        "{html}"
    );
    assert!(html.contains("<li class=\"done\">Email domain (ledgerwise.io): verified</li>"), "{html}");
    assert!(html.contains("<li>Website: not verified</li>"));
    assert_eq!(
        n(&app, &format!("SELECT COUNT(*) AS n FROM audit_events WHERE action = 'employer.vetted' AND subject_id = '{id}' AND actor_label = 'cory.banks@northfield.edu'")).await,
        1
    );
    assert_eq!(n(&app, "SELECT COUNT(*) AS n FROM employer_vettings WHERE domain_verified AND contact_verified AND NOT website_verified").await, 1);
}

#[tokio::test]
async fn ending_a_partnership_asks_first_and_nothing_changes_without_the_answer() {
    let (app, idp) = spawn_with_idp(None).await;
    let c = app.signed_in(&idp, "counselor").await;
    let id = employer(&app, "Ledgerwise", "Financial Technology", Some("ledgerwise.io"), "active").await;
    let status = format!("/employers/{id}/status");
    let page = format!("/employers/{id}");
    let (_, html) = get(&app, &c, &page).await;
    assert!(
        html.contains("<option value=\"paused\">Pause the partnership</option>"),
        "a select of the moves allowed: {html}"
    );
    for to in ["paused", "ended"] {
        let (code, html) = post(&app, &c, &status, &[("to", to), ("note", "budget freeze")]).await;
        assert_eq!(code, 200, "{to}");
        assert!(
            html.contains("the partnership with Ledgerwise?") && html.contains("class=\"button-danger\""),
            "{html}"
        );
        assert!(html.contains("name=\"confirm\" value=\"yes\"") && html.contains("budget freeze"), "{html}");
        assert!(html.contains(&format!("href=\"{page}\"")), "Cancel goes back to the employer");
    }
    assert_eq!(n(&app, "SELECT COUNT(*) AS n FROM partnerships WHERE status = 'active'").await, 1, "nothing changed");
    assert_eq!(n(&app, "SELECT COUNT(*) AS n FROM partnership_events").await, 0);
    // An unknown move is refused beside the field, with the note kept.
    let (code, html) = post(&app, &c, &status, &[("to", "archived"), ("note", "typo")]).await;
    assert_eq!(code, 422);
    assert!(html.contains("Change: choose one of the listed changes") && html.contains("value=\"typo\""), "{html}");
    // Confirmed: done, and said on the employer page once.
    let (code, _) = post(&app, &c, &status, &[("to", "paused"), ("note", "budget freeze"), ("confirm", "yes")]).await;
    assert_eq!(code, 303);
    let (_, html) = get(&app, &c, &page).await;
    assert!(html.contains("<p>Partnership with Ledgerwise paused</p>"), "{html}");
    assert!(!get(&app, &c, &page).await.1.contains("<p>Partnership with Ledgerwise paused</p>"));
    // The terms: PRG with what was done; a bad tier comes back in place.
    let terms = format!("/employers/{id}/terms");
    let (code, html) = post(&app, &c, &terms, &[("tier", "platinum"), ("notes", "keep me")]).await;
    assert_eq!(code, 422);
    assert!(html.contains("Tier: &#x60;platinum&#x60; is not a tier") && html.contains("value=\"keep me\""), "{html}");
    let (code, _) = post(&app, &c, &terms, &[("tier", "gold"), ("notes", "renewal in May")]).await;
    assert_eq!(code, 303);
    assert!(get(&app, &c, &page).await.1.contains("<p>Terms of the partnership with Ledgerwise saved</p>"));
    // Both changes stand: the pause and the new terms.
    assert_eq!(n(&app, "SELECT COUNT(*) AS n FROM partnerships WHERE status = 'paused' AND tier = 'gold'").await, 1);
}

type PostingState = (String, String, Option<chrono::NaiveDateTime>, chrono::NaiveDateTime);

/// Every posting's id, status, closed_at and updated_at, in id order.
async fn posting_rows(app: &TestApp) -> Vec<PostingState> {
    app.with_db(|c| {
        use diesel::prelude::*;
        use waypoint::db::schema::opportunities as o;
        o::table.select((o::id, o::status, o::closed_at, o::updated_at)).order(o::id).load::<PostingState>(c).unwrap()
    })
    .await
}

/// Pausing a partnership closes the employer's open postings through the posting's own
/// close (row lock, state machine, applicants told, the same audit event as every other
/// close); postings that are not open are left as they are.
#[tokio::test]
async fn pausing_closes_postings_by_the_one_close_and_leaves_the_rest_untouched() {
    let (app, idp) = spawn_with_idp(None).await;
    let id = employer(&app, "Brightpath Analytics", "Software", Some("brightpath.com"), "active").await;
    let open = posting(&app, &id, Posting { title: "Open one", ..Default::default() }).await;
    let expired =
        posting(&app, &id, Posting { title: "Past its date", apply_by: "2020-01-01", ..Default::default() }).await;
    let closed = posting(&app, &id, Posting { title: "Closed long ago", status: "closed", ..Default::default() }).await;
    sql(&app, format!("UPDATE opportunities SET closed_at = '2026-10-01 09:00:00' WHERE id = '{closed}'")).await;
    let draft = posting(&app, &id, Posting { title: "Draft idea", status: "draft", ..Default::default() }).await;
    let pending =
        posting(&app, &id, Posting { title: "In review", status: "pending_review", ..Default::default() }).await;
    let s = student(&app, "N1", "ava.okafor@northfield.edu", "School of Business", "Finance", 2027).await;
    app.signed_in(&idp, "student").await;
    application(&app, &open, &s, "shortlisted").await;
    let before = posting_rows(&app).await;

    // The periodic close first (the apply-by date; the app's own task may have run it).
    app.with_db(|c| {
        let now = chrono::Utc::now().naive_utc();
        waypoint::opportunities::postings::close_expired(c, now.date(), now).unwrap()
    })
    .await;
    let c = app.signed_in(&idp, "counselor").await;
    // Closing by hand is the same close too; a second close is refused and changes nothing.
    let by_hand = posting(&app, &id, Posting { title: "Closed by hand", ..Default::default() }).await;
    let (status, _) = post(&app, &c, &format!("/postings/{by_hand}/move"), &[("to", "closed")]).await;
    assert_eq!(status, 303);
    let (status, _) = post(&app, &c, &format!("/postings/{by_hand}/move"), &[("to", "closed")]).await;
    assert_eq!(status, 409);
    let (status, _) = post(&app, &c, &format!("/employers/{id}/status"), &[("to", "paused"), ("confirm", "yes")]).await;
    assert_eq!(status, 303);
    let (_, html) = get(&app, &c, &format!("/employers/{id}")).await;
    assert!(
        html.contains("Partnership with Brightpath Analytics paused; 1 open posting closed, 1 applicant told"),
        "{html}"
    );

    let closes = |subject: &str| {
        format!("SELECT COUNT(*) AS n FROM audit_events WHERE action = 'posting.closed' AND subject_id = '{subject}'")
    };
    assert_eq!(n(&app, &closes(&expired)).await, 1);
    assert_eq!(n(&app, &closes(&open)).await, 1, "the pause closed it by the same path");
    assert_eq!(
        n(&app, &format!("SELECT COUNT(*) AS n FROM audit_events WHERE action = 'posting.closed' AND subject_id = '{open}' AND details LIKE '%partnership_paused%' AND actor_label <> 'system'")).await,
        1,
        "with the reason and the counselor who paused"
    );
    assert_eq!(
        n(&app, &format!("SELECT COUNT(*) AS n FROM audit_events WHERE action = 'posting.closed' AND subject_id = '{expired}' AND details LIKE '%apply_by_passed%'")).await,
        1
    );
    assert_eq!(
        n(&app, &format!("SELECT COUNT(*) AS n FROM audit_events WHERE action = 'posting.closed' AND subject_id = '{by_hand}' AND details LIKE '%closed_by_hand%'")).await,
        1
    );
    for untouched in [&closed, &draft, &pending] {
        assert_eq!(n(&app, &closes(untouched)).await, 0);
    }
    let after = posting_rows(&app).await;
    for b in &before {
        let a = after.iter().find(|a| a.0 == b.0).unwrap();
        if b.0 == open || b.0 == expired {
            assert_eq!(a.1, "closed");
            assert!(a.2.is_some());
        } else {
            assert_eq!(a, b, "a posting that was not open is left as it was");
        }
    }
    assert_eq!(
        n(&app, "SELECT COUNT(*) AS n FROM notifications WHERE kind = 'posting_closed' AND body LIKE '%paused its partnership%'").await,
        1,
        "the applicant is told why"
    );
}

const EMPLOYERS_HEADER: &str = "name,industry,website,email_domain,size,location,description,tier,status\n";

#[tokio::test]
async fn employers_import_is_all_or_nothing_with_lines() {
    let (app, idp) = spawn_with_idp(None).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("employers.csv");
    std::fs::write(
        &file,
        format!(
            "{EMPLOYERS_HEADER}Brightpath Analytics,Software,https://brightpath.com,brightpath.com,51-200,\"Boston, MA\",B2B analytics.,gold,active\n\
             Harbor Health,Healthcare,,harborhealth.org,1001-5000,\"Providence, RI\",\"Hospitals, clinics.\",strategic,\n"
        ),
    )
    .unwrap();
    let f = file.to_str().unwrap();
    let out = waypoint_cmd(&app.db.url, &["import", "employers", f], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("2 created, 0 updated, 0 unchanged"), "{}", stdout(&out));
    assert_eq!(n(&app, "SELECT COUNT(*) AS n FROM partnerships WHERE status = 'active' AND tier = 'gold'").await, 1);
    assert_eq!(
        n(&app, "SELECT COUNT(*) AS n FROM partnerships WHERE status = 'prospect' AND tier = 'strategic'").await,
        1
    );
    let again = waypoint_cmd(&app.db.url, &["import", "employers", f], &[]);
    assert!(stdout(&again).contains("0 created, 0 updated, 2 unchanged"), "{}", stdout(&again));

    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        format!(
            "{EMPLOYERS_HEADER}New Co,Retail,https://newco.com,newco.com,11-50,,,silver,\n\
             Bad Site,Retail,not a url,badsite.com,,,,,\n\
             Harbor Health,Healthcare,,harborhealth.org,1001-5000,,,platinum,\n\
             Brightpath Analytics,Software,https://brightpath.com,brightpath.com,51-200,,,gold,prospect\n\
             new co,Retail,,,,,,,\n"
        ),
    )
    .unwrap();
    let b = bad.to_str().unwrap();
    let out = waypoint_cmd(&app.db.url, &["import", "employers", b], &[]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains(&format!("{b}:3: website:")), "{err}");
    assert!(err.contains(&format!("{b}:4: tier:")), "{err}");
    assert!(err.contains(&format!("{b}:6: name: new co appears again (first on line 2)")), "{err}");
    assert_eq!(n(&app, "SELECT COUNT(*) AS n FROM employers").await, 2, "nothing written");

    // A refused status change (active → prospect) is reported with its line, nothing written.
    let refused = dir.path().join("refused.csv");
    std::fs::write(&refused, format!("{EMPLOYERS_HEADER}New Co,Retail,,,,,,,\nBrightpath Analytics,Software,https://brightpath.com,brightpath.com,51-200,,,gold,prospect\n")).unwrap();
    let r = refused.to_str().unwrap();
    let out = waypoint_cmd(&app.db.url, &["import", "employers", r], &[]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains(&format!("{r}:3: status: a partnership cannot go from active to prospect")),
        "{}",
        stderr(&out)
    );
    assert_eq!(n(&app, "SELECT COUNT(*) AS n FROM employers").await, 2);
    assert_eq!(n(&app, "SELECT COUNT(*) AS n FROM partnership_events").await, 2);

    // The same through the portal's upload.
    let c = app.signed_in(&idp, "counselor").await;
    let page = c.get(format!("{}/employers/import", app.address)).send().await.unwrap().text().await.unwrap();
    let token = csrf_token(&page).unwrap();
    let upload = |body: String, token: String| {
        let form = reqwest::multipart::Form::new().text("csrf_token", token).part(
            "file",
            reqwest::multipart::Part::bytes(body.into_bytes()).file_name("partners.csv").mime_str("text/csv").unwrap(),
        );
        c.post(format!("{}/employers/import", app.address)).header("Origin", &app.address).multipart(form).send()
    };
    let r = upload(format!("{EMPLOYERS_HEADER}Pine Labs,Biotech,,,,,,,\nBad,,,,,,,,\n"), token.clone()).await.unwrap();
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("partners.csv:3: industry: is required"), "{html}");
    let r = upload(format!("{EMPLOYERS_HEADER}Pine Labs,Biotech,,,,,,,\n"), token.clone()).await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("1 created, 0 updated, 0 unchanged"));
    let r = upload(format!("{EMPLOYERS_HEADER}Other,Biotech,,,,,,,\n"), "forged".into()).await.unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(n(&app, "SELECT COUNT(*) AS n FROM employers").await, 3);
}

/// A counselor's own file has the columns they keep: it imports; the optional columns it
/// leaves out change nothing of a known employer; an unknown column and a missing
/// required one are named with their file and line, and nothing is written.
#[test]
fn employers_import_takes_a_file_with_only_the_columns_the_data_needs() {
    let db = crate::helpers::TestDb::new();
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, body: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, body).unwrap();
        path.to_str().unwrap().to_owned()
    };
    let full = write(
        "full.csv",
        &format!("{EMPLOYERS_HEADER}Harbor Health,Healthcare,,harborhealth.org,1001-5000,\"Providence, RI\",Hospitals.,gold,\n"),
    );
    let out = waypoint_cmd(&db.url, &["import", "employers", &full], &[]);
    assert!(out.status.success(), "{}", stderr(&out));

    let four = write(
        "counselor.csv",
        "name,industry,website,email_domain\n\
         Brightpath Analytics,Software,https://brightpath.com,brightpath.com\n\
         Harbor Health,Healthcare,https://harborhealth.org,harborhealth.org\n",
    );
    let out = waypoint_cmd(&db.url, &["import", "employers", &four], &[]);
    assert!(out.status.success(), "a four-column file imports: {}", stderr(&out));
    assert!(stdout(&out).contains("1 created, 1 updated, 0 unchanged"), "{}", stdout(&out));
    let mut c = db.connect();
    assert_eq!(
        count(
            &mut c,
            "SELECT COUNT(*) AS n FROM employers e JOIN partnerships p ON p.employer_id = e.id \
             WHERE e.name = 'Brightpath Analytics' AND e.email_domain = 'brightpath.com' AND e.size IS NULL \
             AND e.location = '' AND p.tier = 'standard' AND p.status = 'prospect'"
        ),
        1,
        "a new employer gets blanks, the standard tier and a prospect partnership"
    );
    assert_eq!(
        count(
            &mut c,
            "SELECT COUNT(*) AS n FROM employers e JOIN partnerships p ON p.employer_id = e.id \
             WHERE e.name = 'Harbor Health' AND e.website = 'https://harborhealth.org' AND e.size = '1001-5000' \
             AND e.location = 'Providence, RI' AND e.description = 'Hospitals.' AND p.tier = 'gold'"
        ),
        1,
        "the columns left out keep what the known employer had"
    );

    let misspelt = write("misspelt.csv", "name,industry,locaton\nPine Labs,Biotech,Remote\n");
    let out = waypoint_cmd(&db.url, &["import", "employers", &misspelt], &[]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains(&format!("{misspelt}:1: header: unknown column `locaton`")), "{}", stderr(&out));

    let no_industry = write("no-industry.csv", "name,website\nPine Labs,https://pinelabs.com\n");
    let out = waypoint_cmd(&db.url, &["import", "employers", &no_industry], &[]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains(&format!("{no_industry}:1: header: missing column `industry`")), "{}", stderr(&out));
    assert_eq!(count(&mut c, "SELECT COUNT(*) AS n FROM employers"), 2, "nothing written by the refused files");
}
