//! Campus sign-in against a real OpenID provider: roles, refusals, sessions, sign-out.

use crate::helpers::{browser, count, waypoint_cmd, TestApp};
use crate::idp::{accounts, spawn_with_idp};

async fn roles_shown(app: &TestApp, b: &reqwest::Client) -> Vec<String> {
    let page = app.account_page(b).await.expect("signed in");
    let roles_line = page.split("<dt>Roles</dt>").nth(1).unwrap().split("</dd>").next().unwrap().to_owned();
    roles_line.split("role-badge\">").skip(1).map(|s| s.split('<').next().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn each_role_signs_in_and_lands_with_its_roles() {
    let (app, idp) = spawn_with_idp(None).await;
    for (login, expected) in [
        ("student", vec!["student"]),
        ("student-array", vec!["student"]),
        ("faculty", vec!["faculty"]),
        ("counselor", vec!["counselor"]),
        ("counselor-string", vec!["counselor"]),
        ("admin", vec!["counselor", "admin"]),
        ("staff", vec![]),
    ] {
        let b = browser();
        let s = app.sign_in_as(&b, &idp, login, "/account").await;
        assert_eq!(s.response.status(), 303, "{login}");
        assert_eq!(s.response.headers()["location"], "/account", "{login} returns where they were going");
        assert_eq!(roles_shown(&app, &b).await, expected, "{login}");
    }
    // Role-specific navigation: a counselor sees the invitation page, a student does not.
    let counselor = app.signed_in(&idp, "counselor").await;
    let home = counselor.get(format!("{}/", app.address)).send().await.unwrap().text().await.unwrap();
    assert!(home.contains("href=\"/recruiters/invite\"") && !home.contains("href=\"/admin/roles\""));
    let admin = app.signed_in(&idp, "admin").await;
    let home = admin.get(format!("{}/", app.address)).send().await.unwrap().text().await.unwrap();
    assert!(home.contains("href=\"/admin/roles\"") && home.contains("href=\"/admin/audit\""));
    let student = app.signed_in(&idp, "student").await;
    let home = student.get(format!("{}/", app.address)).send().await.unwrap().text().await.unwrap();
    assert!(!home.contains("href=\"/recruiters/invite\"") && home.contains("Sign out"));

    let audits =
        app.with_db(|c| count(c, "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'auth.signed_in'")).await;
    assert!(audits >= 10, "every sign-in is audited ({audits})");
    let faculty = app.with_db(|c| count(c, "SELECT COUNT(*) AS n FROM faculty f JOIN users u ON u.id = f.user_id WHERE u.email = 'prof.ines.garcia@northfield.edu' AND f.department = 'Economics'")).await;
    assert_eq!(faculty, 1, "a faculty member's record is made at first sign-in");
}

#[tokio::test]
async fn session_cookie_flags_and_a_fresh_id_at_every_sign_in() {
    let (app, idp) = spawn_with_idp(None).await;
    // A session id planted in the browser before sign-in (fixation) is not the one given after.
    let planted = "planted-by-an-attacker";
    let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
    jar.add_cookie_str(&format!("waypoint_session={planted}; Path=/"), &app.address.parse().unwrap());
    let b =
        reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).cookie_provider(jar).build().unwrap();
    let s = app.sign_in_as(&b, &idp, "student", "/account").await.response;
    assert_eq!(s.status(), 303);
    let set: Vec<String> = s.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_owned()).collect();
    let session = set.iter().find(|c| c.starts_with("waypoint_session=")).expect("a session cookie");
    assert!(session.contains("HttpOnly"), "{session}");
    assert!(session.contains("SameSite=Lax"), "{session}");
    assert!(session.contains("Path=/"), "{session}");
    assert!(!session.contains("Secure"), "plain http public URL: no Secure flag ({session})");
    let value = session.split(';').next().unwrap().trim_start_matches("waypoint_session=").to_owned();
    assert_ne!(value, planted);
    assert!(value.len() >= 43, "256 random bits");
    let stored =
        app.with_db(move |c| count(c, &format!("SELECT COUNT(*) AS n FROM sessions WHERE id = '{value}'"))).await;
    assert_eq!(stored, 0, "the cookie value itself is never stored");

    let first = session.clone();
    let again = app.sign_in_as(&browser(), &idp, "student", "/").await;
    let second = again
        .response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("waypoint_session="))
        .unwrap();
    assert_ne!(first.split(';').next(), second.split(';').next(), "every sign-in makes a new session id");
}

#[tokio::test]
async fn a_forged_state_a_replayed_callback_and_a_replayed_code_are_refused() {
    let (app, idp) = spawn_with_idp(None).await;
    let sessions = || app.with_db(|c| count(c, "SELECT COUNT(*) AS n FROM sessions"));

    // State mismatch: the callback names a state we never issued.
    let b = browser();
    let authorize = app.start_sign_in(&b, "/").await;
    let back = app.provider_login(&b, &idp, &authorize, "student").await;
    let forged = with_param(&back, "state", "forged-state");
    let r = b.get(&forged).send().await.unwrap();
    assert_eq!(r.status(), 400);
    assert!(app.account_page(&b).await.is_none());
    assert_eq!(sessions().await, 0);

    // The genuine callback works once; replayed, it finds no pending sign-in.
    let b = browser();
    let s = app.sign_in_as(&b, &idp, "student", "/").await;
    assert_eq!(s.response.status(), 303);
    assert_eq!(sessions().await, 1);
    let replay = browser();
    let r = replay.get(&s.callback_url).send().await.unwrap();
    assert_eq!(r.status(), 400, "a replayed callback");
    assert!(app.account_page(&replay).await.is_none());

    // A used code with a fresh, genuine state: the provider refuses the code.
    let c = browser();
    let authorize = app.start_sign_in(&c, "/").await;
    let fresh_state = param(&authorize, "state");
    let old_code = param(&s.callback_url, "code");
    let mixed = format!(
        "{}/auth/callback?code={old_code}&state={fresh_state}&iss={}",
        app.address,
        crate::idp::urlencode(&idp.issuer)
    );
    let r = c.get(&mixed).send().await.unwrap();
    assert_eq!(r.status(), 400, "a replayed code");
    assert!(app.account_page(&c).await.is_none());
    assert_eq!(sessions().await, 1, "no session was made by any refused callback");

    // A callback in another browser than the one that started the sign-in.
    let starter = browser();
    let authorize = app.start_sign_in(&starter, "/").await;
    let back = app.provider_login(&starter, &idp, &authorize, "student").await;
    let other = browser();
    assert_eq!(other.get(&back).send().await.unwrap().status(), 400);
    let failures =
        app.with_db(|c| count(c, "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'auth.sign_in_failed'")).await;
    assert!(failures >= 4, "refusals are audited ({failures})");
}

#[tokio::test]
async fn a_missing_pkce_verifier_is_refused_by_the_provider_and_makes_no_session() {
    let (app, idp) = spawn_with_idp(None).await;
    let b = browser();
    let authorize = app.start_sign_in(&b, "/").await;
    let back = app.provider_login(&b, &idp, &authorize, "student").await;
    // Lose the verifier of the pending sign-in: the exchange then lacks it.
    app.with_db(|c| {
        use diesel::RunQueryDsl;
        diesel::sql_query("UPDATE oidc_logins SET pkce_verifier = ''").execute(c).unwrap();
    })
    .await;
    let r = b.get(&back).send().await.unwrap();
    assert_eq!(r.status(), 400);
    assert!(app.account_page(&b).await.is_none());
    assert_eq!(app.with_db(|c| count(c, "SELECT COUNT(*) AS n FROM sessions")).await, 0);
}

#[tokio::test]
async fn bad_id_tokens_never_make_a_session() {
    for tamper in ["wrong_aud", "wrong_iss", "expired", "wrong_nonce", "bad_signature", "foreign_key", "alg_none"] {
        let (app, idp) = spawn_with_idp(Some(tamper)).await;
        let b = browser();
        let s = app.sign_in_as(&b, &idp, "admin", "/account").await;
        assert_eq!(s.response.status(), 400, "{tamper} was accepted");
        assert!(app.account_page(&b).await.is_none(), "{tamper}");
        assert_eq!(app.with_db(|c| count(c, "SELECT COUNT(*) AS n FROM sessions")).await, 0, "{tamper}");
        assert_eq!(app.with_db(|c| count(c, "SELECT COUNT(*) AS n FROM users")).await, 0, "{tamper}: no user made");
    }
}

#[tokio::test]
async fn signing_keys_are_fetched_again_when_the_provider_rotates_them() {
    let (app, mut idp) = spawn_with_idp(None).await;
    app.signed_in(&idp, "student").await;
    idp.restart("k2", None, None);
    let b = browser();
    let s = app.sign_in_as(&b, &idp, "faculty", "/account").await;
    assert_eq!(s.response.status(), 303, "a token signed with the new key is accepted after a JWKS refetch");
    assert!(app.account_page(&b).await.is_some());
}

#[tokio::test]
async fn claim_roles_follow_the_provider_and_granted_roles_persist() {
    let (app, mut idp) = spawn_with_idp(None).await;
    let out = waypoint_cmd(&app.db.url, &["grant", "admin", "ava.okafor@northfield.edu"], &[]);
    assert!(out.status.success());
    let b = app.signed_in(&idp, "student").await;
    let page = app.account_page(&b).await.unwrap();
    assert!(page.contains(">student<") && page.contains(">admin<"), "claim role and granted role: {page}");

    let mut changed = accounts();
    changed["student"]["eduPersonAffiliation"] = serde_json::json!("alum");
    idp.restart("k1-next", Some(changed), None);
    let b = app.signed_in(&idp, "student").await;
    let page = app.account_page(&b).await.unwrap();
    assert!(!page.contains(">student<"), "the provider no longer says student");
    assert!(page.contains(">admin<"), "the grant stays");
}

#[tokio::test]
async fn roster_students_are_linked_by_email_or_student_number() {
    let (app, idp) = spawn_with_idp(None).await;
    let dir = tempfile::tempdir().unwrap();
    let roster = dir.path().join("roster.csv");
    std::fs::write(
        &roster,
        "student_number,email,name,college,major,class_year,graduation_term\n\
         N55500010,ava.okafor@northfield.edu,Ava Okafor,School of Business,Finance,2027,2027-05\n\
         N55500011,gia.romano@northfield.edu,Gia Romano,College of Engineering,Civil Engineering,2026,2026-05\n",
    )
    .unwrap();
    assert!(waypoint_cmd(&app.db.url, &["import", "students", roster.to_str().unwrap()], &[]).status.success());
    let by_email = app.signed_in(&idp, "student").await;
    let page = app.account_page(&by_email).await.unwrap();
    assert!(page.contains("N55500010") && page.contains("class of 2027"), "{page}");
    let by_number = app.signed_in(&idp, "roster").await;
    let page = app.account_page(&by_number).await.unwrap();
    assert!(page.contains("N55500011"), "linked by the student_number claim: {page}");
}

#[tokio::test]
async fn disabled_users_and_people_without_email_cannot_sign_in() {
    let (app, idp) = spawn_with_idp(None).await;
    app.signed_in(&idp, "counselor").await;
    app.with_db(|c| {
        use diesel::RunQueryDsl;
        diesel::sql_query("UPDATE users SET disabled = TRUE WHERE email = 'cory.banks@northfield.edu'")
            .execute(c)
            .unwrap();
    })
    .await;
    let b = browser();
    let s = app.sign_in_as(&b, &idp, "counselor", "/").await;
    assert_eq!(s.response.status(), 403);
    assert!(s.response.text().await.unwrap().contains("disabled"));
    assert!(app.account_page(&b).await.is_none());

    let b = browser();
    let s = app.sign_in_as(&b, &idp, "noemail", "/").await;
    assert_eq!(s.response.status(), 400);
    assert!(app.account_page(&b).await.is_none());
}

#[tokio::test]
async fn return_to_never_leaves_the_site() {
    let (app, idp) = spawn_with_idp(None).await;
    for evil in
        ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", "http:/evil.example"]
    {
        let b = browser();
        let s = app.sign_in_as(&b, &idp, "student", evil).await;
        assert_eq!(s.response.status(), 303);
        assert_eq!(s.response.headers()["location"], "/", "{evil}");
    }
    // Already signed in: /login?return_to=... redirects, and only locally.
    let b = app.signed_in(&idp, "student").await;
    let r = b.get(format!("{}/login?return_to=%2F%2Fevil.example", app.address)).send().await.unwrap();
    assert_eq!(r.headers()["location"], "/");
}

#[tokio::test]
async fn sign_out_ends_the_session_here_and_at_the_provider() {
    let (app, idp) = spawn_with_idp(None).await;
    let b = app.signed_in(&idp, "student").await;
    let r = app.post_form(&b, "/account", "/auth/logout", &[]).await;
    assert_eq!(r.status(), 303);
    let to = r.headers()["location"].to_str().unwrap().to_owned();
    assert!(to.starts_with(&format!("{}/session/end?", idp.issuer)), "RP-initiated logout: {to}");
    assert!(to.contains("post_logout_redirect_uri=") && to.contains("client_id=waypoint"), "{to}");
    assert!(app.account_page(&b).await.is_none(), "signed out here");
    assert_eq!(app.with_db(|c| count(c, "SELECT COUNT(*) AS n FROM sessions")).await, 0);
    assert_eq!(
        app.with_db(|c| count(c, "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'auth.signed_out'")).await,
        1
    );
    // The provider accepts the request (it knows our post-logout URI).
    let r = b.get(&to).send().await.unwrap();
    assert_eq!(r.status(), 200, "the provider's logout page");
}

#[tokio::test]
async fn signed_out_visitors_are_sent_to_sign_in_and_come_back() {
    let (app, idp) = spawn_with_idp(None).await;
    let b = browser();
    let r = b.get(format!("{}/admin/roles?page=1", app.address)).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/login?return_to=%2Fadmin%2Froles%3Fpage%3D1");
    let login = b
        .get(format!("{}/login?return_to=%2Fadmin%2Froles%3Fpage%3D1", app.address))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(login.contains("/auth/login?return_to=%2Fadmin%2Froles%3Fpage%3D1"));
    let s = app.sign_in_as(&b, &idp, "admin", "/admin/roles?page=1").await;
    assert_eq!(s.response.headers()["location"], "/admin/roles?page=1");
    assert_eq!(b.get(format!("{}/admin/roles?page=1", app.address)).send().await.unwrap().status(), 200);
}

fn param(url: &str, name: &str) -> String {
    url::Url::parse(url).unwrap().query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned()).unwrap()
}

fn with_param(url: &str, name: &str, value: &str) -> String {
    let mut u = url::Url::parse(url).unwrap();
    let pairs: Vec<(String, String)> = u
        .query_pairs()
        .map(|(k, v)| (k.to_string(), if k == name { value.to_owned() } else { v.into_owned() }))
        .collect();
    u.query_pairs_mut().clear().extend_pairs(pairs);
    u.to_string()
}

#[tokio::test]
async fn a_failed_or_foreign_userinfo_answer_refuses_the_sign_in_and_changes_no_role() {
    for mode in ["userinfo_error", "userinfo_wrong_sub"] {
        // A provider whose ID tokens carry only `sub`: the counselor's groups come from userinfo.
        let (app, mut idp) = spawn_with_idp(Some("userinfo_only")).await;
        let first = app.signed_in(&idp, "counselor").await;
        assert_eq!(roles_shown(&app, &first).await, vec!["counselor"], "{mode}: groups read from userinfo");

        // Now its userinfo fails (500) or answers for someone else.
        idp.restart("k2", None, Some(mode));
        let b = browser();
        let s = app.sign_in_as(&b, &idp, "counselor", "/account").await;
        assert_eq!(s.response.status(), 502, "{mode}: refused");
        let page = s.response.text().await.unwrap();
        assert!(
            page.contains("did not return your profile") && page.contains("contact the career office"),
            "{mode}: the page says why: {page}"
        );
        assert!(app.account_page(&b).await.is_none(), "{mode}: not signed in");
        assert_eq!(app.with_db(|c| count(c, "SELECT COUNT(*) AS n FROM sessions")).await, 1, "{mode}: no new session");
        let roles = app
            .with_db(|c| {
                count(c, "SELECT COUNT(*) AS n FROM user_roles r JOIN users u ON u.id = r.user_id WHERE u.email = 'cory.banks@northfield.edu' AND r.role = 'counselor' AND r.source = 'claim'")
            })
            .await;
        assert_eq!(roles, 1, "{mode}: the counselor keeps the role");
        assert_eq!(roles_shown(&app, &first).await, vec!["counselor"], "{mode}");
        let audited = app
            .with_db(|c| {
                count(c, "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'auth.sign_in_failed' AND details LIKE '%userinfo%'")
            })
            .await;
        assert_eq!(audited, 1, "{mode}: the refusal is audited");
        let signed_in =
            app.with_db(|c| count(c, "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'auth.signed_in'")).await;
        assert_eq!(signed_in, 1, "{mode}: only the first sign-in");
    }
}
