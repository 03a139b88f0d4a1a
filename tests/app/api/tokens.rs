//! Tokens: who may call (401 for a missing, unknown, expired or revoked token, with a
//! Bearer challenge; 403 without the scope), how often (429 with Retry-After), that each
//! call is audited and dates the token's last use, that only a digest is stored, and the
//! admin's page and command that make and revoke them.

use super::{get, n, post, token};
use crate::helpers::{spawn_app, spawn_app_at, spawn_app_with, stderr, stdout, TestDb};
use crate::idp::{csrf_token, spawn_with_idp};

#[tokio::test]
async fn calls_without_a_good_token_are_refused_with_a_bearer_challenge() {
    let app = spawn_app_at("2026-11-30", "09:00", &[]).await;
    let none = get(&app, None, "/api/v1/employers").await;
    none.assert_problem(401);
    assert_eq!(none.header("www-authenticate"), "Bearer realm=\"waypoint\"");
    let wrong = get(&app, Some("wpt_not-a-token"), "/api/v1/employers").await;
    wrong.assert_problem(401);
    assert!(
        wrong.header("www-authenticate").contains("error=\"invalid_token\""),
        "{}",
        wrong.header("www-authenticate")
    );

    let good = token(&app, &["catalogue:read"], "1").await;
    assert_eq!(get(&app, Some(&good), "/api/v1/employers").await.status, 200);
    // A day later it has expired.
    app.clock.advance(chrono::Duration::hours(25));
    let expired = get(&app, Some(&good), "/api/v1/employers").await;
    expired.assert_problem(401);
    assert!(expired.json["detail"].as_str().unwrap().contains("expired"), "{}", expired.text);
    assert!(expired.header("www-authenticate").contains("invalid_token"));
}

#[tokio::test]
async fn each_scope_opens_its_own_calls_only() {
    let app = spawn_app().await;
    let warehouse = token(&app, &["reports:read", "outcomes:read"], "30").await;
    let sis = token(&app, &["roster:write"], "30").await;
    let batch = serde_json::json!({ "students": [{
        "student_number": "N1", "email": "n1@northfield.edu", "name": "Ann One", "college": "Engineering",
        "major": "Physics", "class_year": 2027, "graduation_term": "2027-05" }] });
    // The warehouse cannot push a roster...
    let refused = post(&app, &warehouse, "/api/v1/students", &batch).await;
    refused.assert_problem(403);
    assert!(refused.json["detail"].as_str().unwrap().contains("roster:write"), "{}", refused.text);
    assert!(refused.header("www-authenticate").contains("error=\"insufficient_scope\""));
    assert_eq!(n(&app, "SELECT COUNT(*) AS n FROM students").await, 0, "nothing written");
    // ...and the SIS cannot read reports or outcomes, or anything else.
    for path in [
        "/api/v1/reports/first-destination?class=2026",
        "/api/v1/outcomes",
        "/api/v1/employers",
        "/api/v1/fairs/sessions",
    ] {
        get(&app, Some(&sis), path).await.assert_problem(403);
    }
    assert_eq!(post(&app, &sis, "/api/v1/students", &batch).await.status, 200);
    assert_eq!(get(&app, Some(&warehouse), "/api/v1/outcomes").await.status, 200);
    // Each call (refusals of scope too) is in the audit log under the token's name, and dates its last use.
    assert_eq!(n(&app, "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'api.refused'").await, 5);
    assert_eq!(
        n(&app, "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'api.called' AND actor_label = 'API token “Test system”'").await,
        2
    );
    assert_eq!(n(&app, "SELECT COUNT(*) AS n FROM api_tokens WHERE last_used_at IS NOT NULL").await, 2);
    // Only digests are stored.
    let (w, s) = (warehouse.clone(), sis.clone());
    let stored = app
        .with_db(move |c| {
            crate::helpers::count(
                c,
                &format!(
                    "SELECT COUNT(*) AS n FROM api_tokens WHERE token_hash IN ('{w}', '{s}') OR scopes LIKE '%wpt_%'"
                ),
            )
        })
        .await;
    assert_eq!(stored, 0, "no secret in the table");
}

#[tokio::test]
async fn a_token_over_its_rate_is_told_when_to_come_back() {
    let app = spawn_app_with(TestDb::new(), &[("WAYPOINT_API_RATE_LIMIT", "3")]).await;
    let t = token(&app, &["catalogue:read"], "30").await;
    let other = token(&app, &["catalogue:read"], "30").await;
    for _ in 0..3 {
        assert_eq!(get(&app, Some(&t), "/api/v1/employers").await.status, 200);
    }
    let limited = get(&app, Some(&t), "/api/v1/employers").await;
    limited.assert_problem(429);
    let wait: u64 = limited.header("retry-after").parse().expect("Retry-After in seconds");
    assert!((1..=20).contains(&wait), "three a minute: one every 20 s, not {wait}");
    assert_eq!(get(&app, Some(&other), "/api/v1/employers").await.status, 200, "each token has its own bucket");
}

#[tokio::test]
async fn admins_make_list_and_revoke_tokens_and_the_secret_is_shown_once() {
    let (app, idp) = spawn_with_idp(None).await;
    let admin = app.signed_in(&idp, "admin").await;
    let page = admin.get(format!("{}/admin/tokens", app.address)).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("No tokens yet.") && html.contains("value=\"90\""), "{html}");
    // A bad form comes back with every problem and what was typed.
    let r = app
        .post_form(&admin, "/admin/tokens", "/admin/tokens", &[("name", "Warehouse"), ("expires_days", "ten")])
        .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("href=\"#field-scopes\"") && html.contains("Scopes: choose at least one"), "{html}");
    assert!(html.contains("value=\"Warehouse\"") && html.contains("value=\"ten\""), "kept: {html}");
    // A good one shows the secret once.
    let r = app
        .post_form(
            &admin,
            "/admin/tokens",
            "/admin/tokens",
            &[("name", "Warehouse"), ("scopes", "reports:read"), ("scopes", "outcomes:read"), ("expires_days", "30")],
        )
        .await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    let at = html.find("value=\"wpt_").expect("the secret on the page") + "value=\"".len();
    let secret = html[at..].split('"').next().unwrap().to_owned();
    assert!(html.contains("shown only this once"), "{html}");
    assert_eq!(get(&app, Some(&secret), "/api/v1/outcomes").await.status, 200);
    let list = admin.get(format!("{}/admin/tokens", app.address)).send().await.unwrap().text().await.unwrap();
    assert!(
        list.contains("Warehouse") && list.contains("<code>outcomes:read</code>, <code>reports:read</code>"),
        "{list}"
    );
    assert!(list.contains("erin.admin@northfield.edu"), "the creator: {list}");
    assert!(!list.contains(&secret), "never shown again");
    let id = app
        .with_db(|c| {
            use diesel::prelude::*;
            waypoint::db::schema::api_tokens::table
                .select(waypoint::db::schema::api_tokens::id)
                .first::<String>(c)
                .unwrap()
        })
        .await;
    // Revoking asks first, then the token stops working at once.
    let action = format!("/admin/tokens/{id}/revoke");
    let ask = app.post_form(&admin, "/admin/tokens", &action, &[]).await;
    assert_eq!(ask.status(), 200);
    let ask = ask.text().await.unwrap();
    assert!(ask.contains("Revoke the API token “Warehouse”?") && ask.contains("Keep the token"), "{ask}");
    assert_eq!(get(&app, Some(&secret), "/api/v1/outcomes").await.status, 200, "asking changed nothing");
    let token = csrf_token(&ask).unwrap();
    let done = admin
        .post(format!("{}{action}", app.address))
        .header("Origin", &app.address)
        .form(&[("csrf_token", token.as_str()), ("confirm", "yes")])
        .send()
        .await
        .unwrap();
    assert_eq!(done.status(), 303);
    let next = admin.get(format!("{}/admin/tokens", app.address)).send().await.unwrap().text().await.unwrap();
    assert!(next.contains("API token “Warehouse” revoked"), "the flash: {next}");
    assert!(next.contains("Revoked"), "{next}");
    let revoked = get(&app, Some(&secret), "/api/v1/outcomes").await;
    revoked.assert_problem(401);
    assert!(revoked.json["detail"].as_str().unwrap().contains("revoked"), "{}", revoked.text);
    assert_eq!(
        n(&app, "SELECT COUNT(*) AS n FROM audit_events WHERE action IN ('api_token.created', 'api_token.revoked')")
            .await,
        2
    );
    // Others may not see the page.
    let counselor = app.signed_in(&idp, "counselor").await;
    assert_eq!(counselor.get(format!("{}/admin/tokens", app.address)).send().await.unwrap().status(), 403);
}

#[test]
fn the_command_line_makes_a_token_and_prints_its_secret_once() {
    let db = TestDb::new();
    let out = crate::helpers::waypoint_cmd(
        &db.url,
        &["token", "create", "--name", "SIS roster push", "--scopes", "roster:write", "--expires", "90"],
        &[],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let secret = stdout(&out).trim().to_owned();
    assert!(secret.starts_with("wpt_") && secret.len() > 40, "{secret}");
    assert!(stderr(&out).contains("roster:write"), "{}", stderr(&out));
    let mut conn = db.connect();
    let digest = waypoint::auth::tokens::digest(&secret);
    assert_eq!(
        crate::helpers::count(
            &mut conn,
            &format!("SELECT COUNT(*) AS n FROM api_tokens WHERE token_hash = '{digest}' AND created_by_label = 'command line' AND scopes = 'roster:write'")
        ),
        1
    );
    let bad = crate::helpers::waypoint_cmd(
        &db.url,
        &["token", "create", "--name", "", "--scopes", "roster:rite", "--expires", "0"],
        &[],
    );
    assert!(!bad.status.success());
    let told = stderr(&bad);
    assert!(told.contains("--name:") && told.contains("--scopes:") && told.contains("--expires:"), "{told}");
}
