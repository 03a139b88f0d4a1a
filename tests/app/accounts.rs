//! Recruiters' accounts after they joined: changing a password, the office's reset links
//! (single use, expiring, digest only), invitations sent again, disabling an account;
//! and the audit log's filters over what these leave.

use diesel::RunQueryDsl;

use crate::helpers::{browser, count, TestApp};
use crate::idp::{csrf_token, spawn_with_idp, spawn_with_idp_at};
use crate::recruiters::{a_recruiter, accept, employer, invite, link_in, recruiter_sign_in};

const PASSPHRASE: &str = "a long enough passphrase";

async fn n(app: &TestApp, query: &str) -> i64 {
    let query = query.to_owned();
    app.with_db(move |c| count(c, &query)).await
}

/// One text value from the app's database.
async fn one(app: &TestApp, query: &str) -> String {
    #[derive(diesel::QueryableByName)]
    struct V {
        #[diesel(sql_type = diesel::sql_types::Text)]
        v: String,
    }
    let query = query.to_owned();
    app.with_db(move |c| diesel::sql_query(&query).load::<V>(c).unwrap().remove(0).v).await
}

async fn rosa_id(app: &TestApp) -> String {
    one(app, "SELECT id AS v FROM users WHERE email = 'rosa.diaz@brightpath.com'").await
}

async fn page(app: &TestApp, b: &reqwest::Client, path: &str) -> (u16, String) {
    let r = b.get(format!("{}{path}", app.address)).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

/// A form post to `link` (a full address) in `b`, with the page's own form token.
async fn post_at(app: &TestApp, b: &reqwest::Client, link: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    let html = b.get(link).send().await.unwrap().text().await.unwrap();
    let token = csrf_token(&html).unwrap_or_else(|| panic!("no form at {link}: {html}"));
    let mut all = vec![("csrf_token", token.as_str())];
    all.extend_from_slice(fields);
    b.post(link).header("Origin", &app.address).form(&all).send().await.unwrap()
}

#[tokio::test]
async fn a_recruiter_changes_their_password_with_every_problem_told_at_once() {
    let (app, idp) = spawn_with_idp(None).await;
    let rosa = a_recruiter(&app, &idp).await;
    let (_, account) = page(&app, &rosa, "/account").await;
    assert!(account.contains("href=\"/account/password\""), "{account}");
    let r = app
        .post_form(
            &rosa,
            "/account/password",
            "/account/password",
            &[("current_password", "not my password"), ("password", "short"), ("password_confirm", "other")],
        )
        .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    for message in [
        "Current password: is not your current password",
        "New password: must be at least 12 characters",
        "New password again: does not match the password",
    ] {
        assert!(html.contains(message), "{message}: {html}");
    }
    assert!(!html.contains("not my password"), "a password is never shown back");
    let new = "an even longer passphrase";
    let r = app
        .post_form(
            &rosa,
            "/account/password",
            "/account/password",
            &[("current_password", PASSPHRASE), ("password", new), ("password_confirm", new)],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/account");
    let (_, account) = page(&app, &rosa, "/account").await;
    assert!(account.contains("<p>Your password was changed</p>"), "{account}");
    let (_, again) = page(&app, &rosa, "/account").await;
    assert!(!again.contains("Your password was changed"), "a flash shows once");
    assert_eq!(recruiter_sign_in(&app, &browser(), "rosa.diaz@brightpath.com", PASSPHRASE).await.status(), 401);
    assert_eq!(recruiter_sign_in(&app, &browser(), "rosa.diaz@brightpath.com", new).await.status(), 303);
    assert_eq!(n(&app, "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'recruiter.password_changed'").await, 1);
    // Campus accounts have no password here.
    let counselor = app.signed_in(&idp, "counselor").await;
    assert_eq!(page(&app, &counselor, "/account/password").await.0, 403);
}

#[tokio::test]
async fn reset_links_are_single_use_expire_and_only_their_digest_is_stored() {
    let (app, idp) = spawn_with_idp_at("2027-02-16", "09:00").await;
    let rosa = a_recruiter(&app, &idp).await;
    let id = rosa_id(&app).await;
    let employer_id = one(&app, "SELECT employer_id AS v FROM recruiters").await;
    let counselor = app.signed_in(&idp, "counselor").await;
    let employer_page = format!("/employers/{employer_id}");
    let (_, html) = page(&app, &counselor, &employer_page).await;
    assert!(html.contains(&format!("action=\"/recruiters/{id}/reset\"")), "{html}");

    let reset = format!("/recruiters/{id}/reset");
    let issue = || app.post_form(&counselor, &employer_page, &reset, &[]);
    let r = issue().await;
    assert_eq!(r.status(), 201);
    let first = link_in(&r.text().await.unwrap());
    assert!(first.starts_with(&format!("{}/password-reset/", app.address)), "{first}");
    let token = first.rsplit('/').next().unwrap().to_owned();
    assert_eq!(n(&app, &format!("SELECT COUNT(*) AS n FROM password_resets WHERE token_hash = '{token}'")).await, 0);
    assert_eq!(n(&app, "SELECT COUNT(*) AS n FROM password_resets WHERE LENGTH(token_hash) = 64").await, 1, "a digest");

    // A newer link replaces it.
    let second = link_in(&issue().await.text().await.unwrap());
    assert_eq!(browser().get(&first).send().await.unwrap().status(), 404, "the older link stops working");

    // A refused new password keeps the link open; a good one uses it and ends every session.
    let b = browser();
    let r = post_at(&app, &b, &second, &[("password", "short"), ("password_confirm", "short")]).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("New password: must be at least 12 characters"));
    let new = "a brand new passphrase";
    let r = post_at(&app, &b, &second, &[("password", new), ("password_confirm", new)]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/login/recruiter");
    assert!(page(&app, &b, "/login/recruiter").await.1.contains("Your new password is set: sign in with it"));
    assert_eq!(page(&app, &rosa, "/workspace").await.0, 303, "the old session ended");
    assert_eq!(b.get(&second).send().await.unwrap().status(), 404, "single use");
    assert_eq!(recruiter_sign_in(&app, &browser(), "rosa.diaz@brightpath.com", new).await.status(), 303);

    // A link expires after 24 hours on the campus clock.
    let third = link_in(&issue().await.text().await.unwrap());
    app.clock.advance(chrono::Duration::hours(23));
    assert_eq!(browser().get(&third).send().await.unwrap().status(), 200);
    app.clock.advance(chrono::Duration::hours(1));
    assert_eq!(browser().get(&third).send().await.unwrap().status(), 404, "expired");
    assert_eq!(n(&app, "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'recruiter.reset_issued'").await, 3);
    assert_eq!(n(&app, "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'recruiter.password_reset'").await, 1);
}

#[tokio::test]
async fn an_invitation_sent_again_replaces_the_old_link_and_is_mailed() {
    let (app, idp) = spawn_with_idp(None).await;
    let id = employer(&app, "Brightpath Analytics", Some("brightpath.com"), "active").await;
    let counselor = app.signed_in(&idp, "counselor").await;
    let r = invite(&app, &counselor, &id, "rosa.diaz@brightpath.com").await;
    let html = r.text().await.unwrap();
    assert!(html.contains("class=\"copy\" type=\"text\" readonly") && html.contains("data-copy=\"copy-link\""));
    let old = link_in(&html);
    let invitation = one(&app, "SELECT id AS v FROM invitations").await;
    let (_, employer_page) = page(&app, &counselor, &format!("/employers/{id}")).await;
    assert!(employer_page.contains("Send Rosa Diaz a new link"), "{employer_page}");
    let r = app
        .post_form(
            &counselor,
            &format!("/employers/{id}"),
            &format!("/recruiters/invitations/{invitation}/resend"),
            &[],
        )
        .await;
    assert_eq!(r.status(), 201);
    let new = link_in(&r.text().await.unwrap());
    assert_ne!(new, old);
    assert_eq!(browser().get(&old).send().await.unwrap().status(), 404, "the old link stops working");
    let mailed = n(
        &app,
        &format!(
            "SELECT COUNT(*) AS n FROM outbox WHERE to_email = 'rosa.diaz@brightpath.com' AND body LIKE '%{new}%'"
        ),
    )
    .await;
    assert_eq!(mailed, 1, "the new link is mailed");
    let (_, r) = accept(&app, &new, PASSPHRASE).await;
    assert_eq!(r.status(), 303);
    // Accepted: it cannot be sent again.
    let r = app
        .post_form(
            &counselor,
            &format!("/employers/{id}"),
            &format!("/recruiters/invitations/{invitation}/resend"),
            &[],
        )
        .await;
    assert_eq!(r.status(), 409);
    assert_eq!(n(&app, "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'recruiter.invitation_resent'").await, 1);
}

#[tokio::test]
async fn a_disabled_recruiter_cannot_sign_in_their_session_ends_and_their_records_stay() {
    let (app, idp) = spawn_with_idp(None).await;
    let rosa = a_recruiter(&app, &idp).await;
    let id = rosa_id(&app).await;
    let employer_id = one(&app, "SELECT employer_id AS v FROM recruiters").await;
    let employer_page = format!("/employers/{employer_id}");
    let counselor = app.signed_in(&idp, "counselor").await;
    let disable = format!("/recruiters/{id}/disable");

    // Without the answer: the question, and nothing changes.
    let r = app.post_form(&counselor, &employer_page, &disable, &[]).await;
    assert_eq!(r.status(), 200);
    let question = r.text().await.unwrap();
    assert!(question.contains("Disable Rosa Diaz&#x27;s account?") && question.contains("button-danger"), "{question}");
    assert_eq!(page(&app, &rosa, "/workspace").await.0, 200, "still signed in");

    let r = app.post_form(&counselor, &employer_page, &disable, &[("confirm", "yes")]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], employer_page.as_str());
    let (_, html) = page(&app, &counselor, &employer_page).await;
    assert!(html.contains("Rosa Diaz&#x27;s account disabled: they can no longer sign in"), "{html}");
    assert!(html.contains("<td data-label=\"Account\">Disabled</td>"));
    assert_eq!(page(&app, &rosa, "/workspace").await.0, 303, "the open session ended");
    assert_eq!(recruiter_sign_in(&app, &browser(), "rosa.diaz@brightpath.com", PASSPHRASE).await.status(), 401);
    assert_eq!(n(&app, "SELECT COUNT(*) AS n FROM recruiters").await, 1, "their records stay");
    assert_eq!(app.post_form(&counselor, &employer_page, &disable, &[("confirm", "yes")]).await.status(), 409);

    // Enabled again, they sign in again.
    let r = app.post_form(&counselor, &employer_page, &format!("/recruiters/{id}/enable"), &[]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(recruiter_sign_in(&app, &browser(), "rosa.diaz@brightpath.com", PASSPHRASE).await.status(), 303);
    assert_eq!(
        n(&app, "SELECT COUNT(*) AS n FROM audit_events WHERE action IN ('recruiter.disabled', 'recruiter.enabled')")
            .await,
        2
    );
}

#[tokio::test]
async fn only_the_office_acts_on_recruiter_accounts_and_only_on_recruiters() {
    let (app, idp) = spawn_with_idp(None).await;
    let rosa = a_recruiter(&app, &idp).await;
    let rosa_id = rosa_id(&app).await;
    // A second employer's recruiter, with a real id.
    let other = employer(&app, "Harbor Health", Some("harborhealth.org"), "active").await;
    let counselor = app.signed_in(&idp, "counselor").await;
    let r = invite(&app, &counselor, &other, "sam.ortiz@harborhealth.org").await;
    let (sam, _) = accept(&app, &link_in(&r.text().await.unwrap()), PASSPHRASE).await;
    let sam_id = one(&app, "SELECT id AS v FROM users WHERE email = 'sam.ortiz@harborhealth.org'").await;
    let invitation = one(&app, "SELECT id AS v FROM invitations WHERE email = 'sam.ortiz@harborhealth.org'").await;
    for (who, b, target) in [("Rosa", &rosa, &sam_id), ("Sam", &sam, &rosa_id), ("Rosa", &rosa, &rosa_id)] {
        for action in ["reset", "disable", "enable"] {
            let r =
                app.post_form(b, "/account", &format!("/recruiters/{target}/{action}"), &[("confirm", "yes")]).await;
            assert_eq!(r.status(), 403, "{who} {action}");
        }
        let r = app.post_form(b, "/account", &format!("/recruiters/invitations/{invitation}/resend"), &[]).await;
        assert_eq!(r.status(), 403, "{who} resend");
    }
    assert_eq!(n(&app, "SELECT COUNT(*) AS n FROM users WHERE disabled").await, 0);
    assert_eq!(n(&app, "SELECT COUNT(*) AS n FROM password_resets").await, 0);
    // A campus account is no recruiter: no reset link, no disabling here.
    let admin = app.signed_in(&idp, "admin").await;
    let admin_id = one(&app, "SELECT id AS v FROM users WHERE email = 'erin.admin@northfield.edu'").await;
    for action in ["reset", "disable"] {
        let r = app
            .post_form(&counselor, "/account", &format!("/recruiters/{admin_id}/{action}"), &[("confirm", "yes")])
            .await;
        assert_eq!(r.status(), 404, "{action}");
    }
    assert_eq!(page(&app, &admin, "/account").await.0, 200, "the admin is untouched");
}

#[tokio::test]
async fn the_audit_log_filters_by_who_what_subject_and_campus_dates() {
    let (app, idp) = spawn_with_idp_at("2027-02-16", "09:00").await;
    let _rosa = a_recruiter(&app, &idp).await;
    let id = rosa_id(&app).await;
    app.clock.advance(chrono::Duration::days(2));
    let counselor = app.signed_in(&idp, "counselor").await;
    let employer_id = one(&app, "SELECT employer_id AS v FROM recruiters").await;
    let r = app
        .post_form(
            &counselor,
            &format!("/employers/{employer_id}"),
            &format!("/recruiters/{id}/disable"),
            &[("confirm", "yes")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let admin = app.signed_in(&idp, "admin").await;
    let rows = |html: &str| html.matches("<tr><td>").count();

    let (status, html) = page(&app, &admin, "/admin/audit?action=recruiter.disabled").await;
    assert_eq!(status, 200);
    assert_eq!(rows(&html), 1, "{html}");
    assert!(html.contains("Recruiter: disabled") && html.contains("Rosa Diaz (rosa.diaz@brightpath.com)"), "{html}");
    assert!(html.contains("<option value=\"recruiter.disabled\" selected>"), "the filter is kept");

    let (_, html) = page(&app, &admin, "/admin/audit?subject=rosa").await;
    assert_eq!(rows(&html), 3, "invited, joined, disabled: {html}");
    assert!(html.contains("Invitation of Rosa Diaz (rosa.diaz@brightpath.com) to Brightpath Analytics"));
    assert!(!html.contains("Erin Shaw (erin.admin"), "only Rosa's events");
    let (_, html) = page(&app, &admin, "/admin/audit?actor=cory.banks").await;
    assert!(html.contains("<td>Recruiter: invited</td>") && !html.contains("<td>Recruiter: joined</td>"), "{html}");

    // Campus dates: the invitation was on Feb 16, the disabling on Feb 18.
    let (_, html) = page(&app, &admin, "/admin/audit?from=2027-02-17&to=2027-02-18").await;
    assert!(html.contains("<td>Recruiter: disabled</td>") && !html.contains("<td>Recruiter: invited</td>"), "{html}");
    let (_, html) = page(&app, &admin, "/admin/audit?from=2027-02-16&to=2027-02-16").await;
    assert!(!html.contains("<td>Recruiter: disabled</td>") && html.contains("<td>Recruiter: invited</td>"), "{html}");

    let (status, html) = page(&app, &admin, "/admin/audit?from=yesterday&to=2027-02-01").await;
    assert_eq!(status, 422);
    assert!(html.contains("From: &#x60;yesterday&#x60; is not a date like 2027-02-16"), "{html}");
    let r = admin.get(format!("{}/admin/audit?actor=cory&page=99", app.address)).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/admin/audit?actor=cory&page=1", "clamped, the filter kept");
}
