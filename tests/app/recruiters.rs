//! Recruiters' local accounts: invitations, passwords, rate limits; and CSRF refusals.

use diesel::RunQueryDsl;

use crate::helpers::{browser, count, TestApp};
use crate::idp::{csrf_token, spawn_with_idp, Idp};

/// An employer with a partnership in `status` and a vetted `domain`; returns its id.
pub async fn employer(app: &TestApp, name: &str, domain: Option<&str>, status: &str) -> String {
    let id = uuid::Uuid::new_v4().to_string();
    let (name, domain, status, id2) = (name.to_owned(), domain.map(str::to_owned), status.to_owned(), id.clone());
    app.with_db(move |c| {
        let now = "'2026-11-01 09:00:00'";
        let domain = domain.map(|d| format!("'{d}'")).unwrap_or_else(|| "NULL".into());
        diesel::sql_query(format!(
            "INSERT INTO employers (id, name, industry, email_domain, created_at, updated_at) VALUES ('{id2}', '{name}', 'Consulting', {domain}, {now}, {now})"
        ))
        .execute(c)
        .unwrap();
        diesel::sql_query(format!(
            "INSERT INTO partnerships (id, employer_id, tier, status, created_at, updated_at) VALUES ('p-{id2}', '{id2}', 'gold', '{status}', {now}, {now})"
        ))
        .execute(c)
        .unwrap();
    })
    .await;
    id
}

/// A counselor invites `email` to the employer; returns the invitation link.
pub async fn invite(app: &TestApp, counselor: &reqwest::Client, employer_id: &str, email: &str) -> reqwest::Response {
    app.post_form(
        counselor,
        "/recruiters/invite",
        "/recruiters/invite",
        &[("employer_id", employer_id), ("email", email), ("name", "Rosa Diaz"), ("title", "Campus Recruiter")],
    )
    .await
}

/// The link a page shows once (an invitation, a reset link), from its read-only field
/// (server HTML or a browser's serialised DOM alike).
pub fn link_in(page: &str) -> String {
    let at = page.find("id=\"copy-link\"").unwrap_or_else(|| panic!("the page shows the link: {page}"));
    let value = at + page[at..].find("value=\"").expect("the field has a value") + "value=\"".len();
    page[value..].split('"').next().unwrap().to_owned()
}

/// Accepts an invitation in a fresh browser with `password`.
pub async fn accept(app: &TestApp, link: &str, password: &str) -> (reqwest::Client, reqwest::Response) {
    let b = browser();
    let page = b.get(link).send().await.unwrap();
    assert_eq!(page.status(), 200, "the invitation page");
    let token = csrf_token(&page.text().await.unwrap()).unwrap();
    let r = b
        .post(link)
        .header("Origin", &app.address)
        .form(&[("csrf_token", token.as_str()), ("password", password), ("password_confirm", password)])
        .send()
        .await
        .unwrap();
    (b, r)
}

pub async fn recruiter_sign_in(app: &TestApp, b: &reqwest::Client, email: &str, password: &str) -> reqwest::Response {
    let page = b.get(format!("{}/login/recruiter", app.address)).send().await.unwrap().text().await.unwrap();
    let token = csrf_token(&page).unwrap();
    b.post(format!("{}/login/recruiter", app.address))
        .header("Origin", &app.address)
        .form(&[("csrf_token", token.as_str()), ("email", email), ("password", password), ("return_to", "/account")])
        .send()
        .await
        .unwrap()
}

/// A signed-in recruiter of a new employer (through the whole invitation flow).
pub async fn a_recruiter(app: &TestApp, idp: &Idp) -> reqwest::Client {
    let id = employer(app, "Brightpath Analytics", Some("brightpath.com"), "active").await;
    let counselor = app.signed_in(idp, "counselor").await;
    let r = invite(app, &counselor, &id, "rosa.diaz@brightpath.com").await;
    assert_eq!(r.status(), 201);
    let link = link_in(&r.text().await.unwrap());
    let (b, r) = accept(app, &link, "a long enough passphrase").await;
    assert_eq!(r.status(), 303);
    b
}

#[tokio::test]
async fn the_invitation_flow_from_counselor_to_signed_in_recruiter() {
    let (app, idp) = spawn_with_idp(None).await;
    let id = employer(&app, "Brightpath Analytics", Some("brightpath.com"), "active").await;
    let counselor = app.signed_in(&idp, "counselor").await;
    let r = invite(&app, &counselor, &id, "Rosa.Diaz@brightpath.com").await;
    assert_eq!(r.status(), 201);
    let page = r.text().await.unwrap();
    let link = link_in(&page);
    assert!(link.starts_with(&format!("{}/invitations/", app.address)), "{link}");
    let token = link.rsplit('/').next().unwrap().to_owned();
    let stored = app
        .with_db(move |c| count(c, &format!("SELECT COUNT(*) AS n FROM invitations WHERE token_hash = '{token}'")))
        .await;
    assert_eq!(stored, 0, "only the token's hash is stored");

    // Too short, then mismatched: refused with the field named, nothing made.
    let (_, r) = accept(&app, &link, "short").await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("at least 12 characters"));
    assert_eq!(app.with_db(|c| count(c, "SELECT COUNT(*) AS n FROM recruiters")).await, 0);

    let (b, r) = accept(&app, &link, "correct horse battery staple").await;
    assert_eq!(r.status(), 303);
    let account = app.account_page(&b).await.expect("signed in after accepting");
    assert!(account.contains("Brightpath Analytics") && account.contains(">recruiter<"), "{account}");
    let hash: String = app
        .with_db(|c| {
            #[derive(diesel::QueryableByName)]
            struct H {
                #[diesel(sql_type = diesel::sql_types::Text)]
                h: String,
            }
            diesel::sql_query("SELECT password_hash AS h FROM users WHERE email = 'rosa.diaz@brightpath.com'")
                .get_result::<H>(c)
                .unwrap()
                .h
        })
        .await;
    assert!(hash.starts_with("$argon2id$"), "{hash}");

    // Single use.
    let again = browser().get(&link).send().await.unwrap();
    assert_eq!(again.status(), 404);
    let (_, r) = accept_without_page(&app, &link).await;
    assert_eq!(r.status(), 403, "no form token can be had for a used link");

    // Sign out, then in with the password.
    let fresh = browser();
    let r =
        crate::recruiters::recruiter_sign_in(&app, &fresh, "rosa.diaz@brightpath.com", "correct horse battery staple")
            .await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/account");
    assert!(app.account_page(&fresh).await.is_some());
    let actions = app
        .with_db(|c| {
            count(c, "SELECT COUNT(*) AS n FROM audit_events WHERE action IN ('recruiter.invited', 'recruiter.joined')")
        })
        .await;
    assert_eq!(actions, 2);
}

async fn accept_without_page(app: &TestApp, link: &str) -> (reqwest::Client, reqwest::Response) {
    let b = browser();
    let r = b
        .post(link)
        .header("Origin", &app.address)
        .form(&[
            ("csrf_token", "guess"),
            ("password", "correct horse battery staple"),
            ("password_confirm", "correct horse battery staple"),
        ])
        .send()
        .await
        .unwrap();
    (b, r)
}

#[tokio::test]
async fn invitations_are_vetted_and_expire() {
    let (app, idp) = spawn_with_idp(None).await;
    let active = employer(&app, "Brightpath Analytics", Some("brightpath.com"), "active").await;
    let paused = employer(&app, "Harbor Health", Some("harborhealth.org"), "paused").await;
    let no_domain = employer(&app, "Cedar Works", None, "active").await;
    let counselor = app.signed_in(&idp, "counselor").await;

    let r = invite(&app, &counselor, &active, "rosa@gmail.com").await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("must be an address at brightpath.com"));
    let r = invite(&app, &counselor, &active, "rosa@brightpath.com.evil.io").await;
    assert_eq!(r.status(), 422);
    let r = invite(&app, &counselor, &paused, "sam@harborhealth.org").await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("no active partnership"));
    let r = invite(&app, &counselor, &no_domain, "kim@cedarworks.com").await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("no vetted email domain"));
    assert_eq!(app.with_db(|c| count(c, "SELECT COUNT(*) AS n FROM invitations")).await, 0);

    // A subdomain of the vetted domain is the employer's too.
    let r = invite(&app, &counselor, &active, "lee@careers.brightpath.com").await;
    assert_eq!(r.status(), 201);
    let link = link_in(&r.text().await.unwrap());
    app.with_db(|c| {
        diesel::sql_query("UPDATE invitations SET expires_at = '2020-01-01 00:00:00'").execute(c).unwrap();
    })
    .await;
    assert_eq!(browser().get(&link).send().await.unwrap().status(), 404, "an expired link");
    assert_eq!(
        browser().get(format!("{}/invitations/not-a-real-token", app.address)).send().await.unwrap().status(),
        404
    );
}

#[tokio::test]
async fn password_sign_in_is_rate_limited_and_answers_alike_for_unknown_accounts() {
    let (app, idp) = spawn_with_idp(None).await;
    a_recruiter(&app, &idp).await;
    let b = browser();
    let wrong = recruiter_sign_in(&app, &b, "rosa.diaz@brightpath.com", "not the password at all").await;
    assert_eq!(wrong.status(), 401);
    let wrong_body = wrong.text().await.unwrap();
    let unknown = recruiter_sign_in(&app, &b, "nobody@brightpath.com", "not the password at all").await;
    assert_eq!(unknown.status(), 401);
    let unknown_body = unknown.text().await.unwrap();
    let strip = |s: &str| s.replace("rosa.diaz@brightpath.com", "EMAIL").replace("nobody@brightpath.com", "EMAIL");
    let tokenless = |s: &str| s.lines().filter(|l| !l.contains("csrf_token")).collect::<Vec<_>>().join("\n");
    assert_eq!(
        tokenless(&strip(&wrong_body)),
        tokenless(&strip(&unknown_body)),
        "the same answer whether the account exists or not"
    );

    for _ in 0..4 {
        recruiter_sign_in(&app, &b, "rosa.diaz@brightpath.com", "still not the password").await;
    }
    let right_but_locked = recruiter_sign_in(&app, &b, "rosa.diaz@brightpath.com", "a long enough passphrase").await;
    assert_eq!(right_but_locked.status(), 401, "after five failures the account is locked for a while");
    assert!(app.account_page(&b).await.is_none());
    app.with_db(|c| {
        diesel::sql_query("UPDATE login_throttles SET locked_until = '2020-01-01 00:00:00', failures = 0")
            .execute(c)
            .unwrap();
    })
    .await;
    let after = recruiter_sign_in(&app, &b, "rosa.diaz@brightpath.com", "a long enough passphrase").await;
    assert_eq!(after.status(), 303, "the lock ends");
    let failed =
        app.with_db(|c| count(c, "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'auth.sign_in_failed'")).await;
    assert!(failed >= 6);
}

#[tokio::test]
async fn many_failures_from_one_address_lock_that_address() {
    let (app, idp) = spawn_with_idp(None).await;
    a_recruiter(&app, &idp).await;
    let b = browser();
    for i in 0..20 {
        recruiter_sign_in(&app, &b, &format!("guess{i}@brightpath.com"), "password spraying").await;
    }
    let r = recruiter_sign_in(&app, &b, "rosa.diaz@brightpath.com", "a long enough passphrase").await;
    assert_eq!(r.status(), 401, "the address is locked even for a right password");
}

#[tokio::test]
async fn state_changing_requests_need_our_origin_and_the_session_token() {
    let (app, idp) = spawn_with_idp(None).await;
    let id = employer(&app, "Brightpath Analytics", Some("brightpath.com"), "active").await;
    let counselor = app.signed_in(&idp, "counselor").await;
    let page = counselor.get(format!("{}/recruiters/invite", app.address)).send().await.unwrap().text().await.unwrap();
    let token = csrf_token(&page).unwrap();
    let fields = |t: &str| {
        vec![
            ("csrf_token", t.to_owned()),
            ("employer_id", id.clone()),
            ("email", "rosa@brightpath.com".into()),
            ("name", "Rosa".into()),
        ]
    };
    let url = format!("{}/recruiters/invite", app.address);

    let no_origin = counselor.post(&url).form(&fields(&token)).send().await.unwrap();
    assert_eq!(no_origin.status(), 403, "no Origin or Referer");
    let other_origin =
        counselor.post(&url).header("Origin", "https://evil.example").form(&fields(&token)).send().await.unwrap();
    assert_eq!(other_origin.status(), 403);
    assert!(other_origin.text().await.unwrap().contains("sent from another site"), "the 403 page says why");
    let bad_token = counselor.post(&url).header("Origin", &app.address).form(&fields("forged")).send().await.unwrap();
    assert_eq!(bad_token.status(), 403);
    let no_token =
        counselor.post(&url).header("Origin", &app.address).form(&[("employer_id", id.as_str())]).send().await.unwrap();
    assert!(no_token.status().is_client_error());
    // Another person's token does not work for this session.
    let other = app.signed_in(&idp, "admin").await;
    let other_page =
        other.get(format!("{}/recruiters/invite", app.address)).send().await.unwrap().text().await.unwrap();
    let other_token = csrf_token(&other_page).unwrap();
    assert_ne!(other_token, token);
    let swapped = counselor.post(&url).header("Origin", &app.address).form(&fields(&other_token)).send().await.unwrap();
    assert_eq!(swapped.status(), 403);
    assert_eq!(app.with_db(|c| count(c, "SELECT COUNT(*) AS n FROM invitations")).await, 0, "nothing was made");

    // With a same-origin Referer instead of Origin, and the right token: accepted.
    let ok = counselor
        .post(&url)
        .header("Referer", format!("{}/recruiters/invite", app.address))
        .form(&fields(&token))
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 201);
    // Sign-out is a form too.
    let logout = counselor
        .post(format!("{}/auth/logout", app.address))
        .header("Origin", &app.address)
        .form(&[("csrf_token", "forged")])
        .send()
        .await
        .unwrap();
    assert_eq!(logout.status(), 403);
    assert!(app.account_page(&counselor).await.is_some(), "still signed in");
}

#[tokio::test]
async fn fifty_concurrent_wrong_passwords_get_no_further_than_the_limit() {
    let (app, idp) = spawn_with_idp(None).await;
    a_recruiter(&app, &idp).await;
    let b = browser();
    let page = b.get(format!("{}/login/recruiter", app.address)).send().await.unwrap().text().await.unwrap();
    let token = csrf_token(&page).unwrap();
    let guesses = (0..50).map(|i| {
        let password = format!("guess number {i}");
        let request = b.post(format!("{}/login/recruiter", app.address)).header("Origin", &app.address).form(&[
            ("csrf_token", token.as_str()),
            ("email", "rosa.diaz@brightpath.com"),
            ("password", &password),
        ]);
        async move { request.send().await.unwrap().status().as_u16() }
    });
    let statuses = futures_util::future::join_all(guesses).await;
    assert!(statuses.iter().all(|s| *s == 401), "every guess is refused alike, none fails: {statuses:?}");
    // Each guess was counted, and no more than the limit had its password checked.
    let counted = app
        .with_db(|c| {
            count(c, "SELECT COUNT(*) AS n FROM login_throttles WHERE scope = 'account' AND key = 'rosa.diaz@brightpath.com' AND failures = 50 AND locked_until IS NOT NULL")
        })
        .await;
    assert_eq!(counted, 1, "50 failures counted on the account, which is locked");
    let checked = app
        .with_db(|c| {
            count(c, "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'auth.sign_in_failed' AND details LIKE '%\"locked\":false%'")
        })
        .await;
    let refused = app
        .with_db(|c| {
            count(c, "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'auth.sign_in_failed' AND details LIKE '%\"locked\":true%'")
        })
        .await;
    assert!((1..=5).contains(&checked), "at most 5 guesses were tried against the password ({checked})");
    assert_eq!(checked + refused, 50, "every guess is in the audit log");
    let right = recruiter_sign_in(&app, &b, "rosa.diaz@brightpath.com", "a long enough passphrase").await;
    assert_eq!(right.status(), 401, "the limit holds: locked even for the right password");
}
