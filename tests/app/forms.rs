//! Forms and their tokens: the one CSRF check (urlencoded forms, uploads, the API), and
//! the form secret that lets several instances accept each other's sign-in forms.

use crate::fixtures;
use crate::helpers::{browser, count, spawn_app_with, TestApp, TestDb};
use crate::idp::{csrf_token, spawn_with_idp};

/// Posts the recruiter sign-in form fetched from `from` to `to` (both behind the same
/// public URL, `origin`): 401 means the form was accepted and the password refused.
async fn sign_in_form_across(from: &TestApp, to: &TestApp, origin: &str) -> u16 {
    let b = browser();
    let page = b.get(format!("{}/login/recruiter", from.address)).send().await.unwrap().text().await.unwrap();
    let token = csrf_token(&page).expect("the sign-in form has a token");
    b.post(format!("{}/login/recruiter", to.address))
        .header("Origin", origin)
        .form(&[("csrf_token", token.as_str()), ("email", "nobody@brightpath.com"), ("password", "not the password")])
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn instances_sharing_the_form_secret_accept_each_others_sign_in_forms() {
    const SHARED: &str = "shared-by-every-instance-0123456789abcdef";
    let first = spawn_app_with(TestDb::new(), &[("WAYPOINT_FORM_SECRET", SHARED)]).await;
    let origin = first.address.clone();
    // A second instance on the same database, behind the same public URL.
    let second =
        spawn_app_with(first.db.shared(), &[("WAYPOINT_FORM_SECRET", SHARED), ("WAYPOINT_PUBLIC_URL", &origin)]).await;
    assert_eq!(sign_in_form_across(&first, &second, &origin).await, 401, "the second instance accepts the form");
    assert_eq!(sign_in_form_across(&second, &first, &origin).await, 401, "and the first the second's");
    // The old name is the same key.
    let old_name =
        spawn_app_with(first.db.shared(), &[("WAYPOINT_SESSION_SECRET", SHARED), ("WAYPOINT_PUBLIC_URL", &origin)])
            .await;
    assert_eq!(sign_in_form_across(&first, &old_name, &origin).await, 401, "WAYPOINT_SESSION_SECRET still works");
    // An instance with another secret refuses it: the secret is what makes them agree.
    let other = spawn_app_with(
        first.db.shared(),
        &[("WAYPOINT_FORM_SECRET", "some-other-secret-0123456789abcdef-xyz"), ("WAYPOINT_PUBLIC_URL", &origin)],
    )
    .await;
    assert_eq!(sign_in_form_across(&first, &other, &origin).await, 403);
}

async fn rows(app: &TestApp, sql: &'static str) -> i64 {
    app.with_db(move |c| count(c, sql)).await
}

#[tokio::test]
async fn api_paths_need_the_token_when_a_cookie_comes_with_them_and_not_a_bearer_token_alone() {
    let (app, idp) = spawn_with_idp(None).await;
    let counselor = app.signed_in(&idp, "counselor").await;
    let page = counselor.get(format!("{}/account", app.address)).send().await.unwrap().text().await.unwrap();
    let token = csrf_token(&page).unwrap();
    let url = format!("{}/api/v1/students", app.address);
    let post = |b: &reqwest::Client| {
        b.post(&url).header("Origin", &app.address).header("Content-Type", "application/json").body("{}")
    };

    // The browser's session cookie goes along by itself: without the token, refused.
    let r = post(&counselor).send().await.unwrap();
    assert_eq!(r.status(), 403, "a session cookie and no token");
    assert!(r.text().await.unwrap().contains("not accepted"), "the refusal page says why");
    let r = post(&counselor).bearer_auth("any-token").send().await.unwrap();
    assert_eq!(r.status(), 403, "a bearer token does not excuse a cookie");
    let r = post(&counselor).header("X-CSRF-Token", "forged").send().await.unwrap();
    assert_eq!(r.status(), 403);
    // With the session's token in the header, the request gets past the check (to the
    // API, which asks for its own token: a session is not one).
    let r = post(&counselor).header("X-CSRF-Token", &token).send().await.unwrap();
    assert_eq!(r.status(), 401, "past the CSRF check");
    assert_eq!(r.headers()["content-type"], "application/problem+json");

    // An API client: a bearer token and no cookie, from no page at all.
    let client = reqwest::Client::new();
    let r = client.post(&url).bearer_auth("wp_some-api-token").json(&serde_json::json!({})).send().await.unwrap();
    assert_eq!(r.status(), 401, "not the CSRF refusal: the API itself answers (an unknown token)");
    assert!(r.headers().contains_key("www-authenticate"));
    assert_eq!(r.headers()["content-type"], "application/problem+json");
    let r = client.post(&url).json(&serde_json::json!({})).send().await.unwrap();
    assert_eq!(r.status(), 403, "no bearer token, no Origin: refused");
}

#[tokio::test]
async fn uploads_and_hand_read_forms_are_checked_like_every_form() {
    let (app, idp) = spawn_with_idp(None).await;
    let counselor = app.signed_in(&idp, "counselor").await;
    let page = counselor.get(format!("{}/employers/import", app.address)).send().await.unwrap().text().await.unwrap();
    let token = csrf_token(&page).unwrap();
    let csv = "name,industry,website,email_domain,size,location,description,tier,status\nPine Labs,Biotech,,,,,,,\n";
    let upload = |token: Option<&str>| {
        // The file first and the token after it: the check reads the whole upload.
        let mut form = reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(csv.as_bytes().to_vec())
                .file_name("partners.csv")
                .mime_str("text/csv")
                .unwrap(),
        );
        if let Some(t) = token {
            form = form.text("csrf_token", t.to_owned());
        }
        counselor
            .post(format!("{}/employers/import", app.address))
            .header("Origin", &app.address)
            .multipart(form)
            .send()
    };
    assert_eq!(upload(None).await.unwrap().status(), 403, "an upload without the token");
    assert_eq!(upload(Some("forged")).await.unwrap().status(), 403, "with another token");
    assert_eq!(rows(&app, "SELECT COUNT(*) AS n FROM employers").await, 0, "nothing imported");
    let r = upload(Some(&token)).await.unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap_or_default());
    assert_eq!(rows(&app, "SELECT COUNT(*) AS n FROM employers").await, 1);

    // Applying reads its form by hand (repeated `share` keys): the same check.
    let employer =
        fixtures::employer(&app, "Brightpath Analytics", "Consulting", Some("brightpath.com"), "active").await;
    let posting = fixtures::posting(&app, &employer, fixtures::Posting::default()).await;
    fixtures::student(&app, "N10000001", "ava.okafor@northfield.edu", "Business", "Economics", 2027).await;
    let ava = app.signed_in(&idp, "student").await;
    let apply = format!("{}/opportunities/{posting}/apply", app.address);
    for fields in [vec![("statement", "I did a pricing study.")], vec![("csrf_token", "forged"), ("statement", "Me.")]]
    {
        let r = ava.post(&apply).header("Origin", &app.address).form(&fields).send().await.unwrap();
        assert_eq!(r.status(), 403, "{fields:?}");
    }
    assert_eq!(rows(&app, "SELECT COUNT(*) AS n FROM applications").await, 0);
    let r = app
        .post_form(
            &ava,
            &format!("/opportunities/{posting}"),
            &format!("/opportunities/{posting}/apply"),
            &[("statement", "I did a pricing study.")],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(rows(&app, "SELECT COUNT(*) AS n FROM applications").await, 1);
}
