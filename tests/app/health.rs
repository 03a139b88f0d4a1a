//! Operations endpoints, the skeleton every page stands on, and error pages.

use crate::helpers::spawn_app;

#[tokio::test]
async fn healthz_and_readyz_answer_200() {
    let app = spawn_app().await;
    let h = app.healthz().await;
    assert_eq!(h.status(), 200);
    let r = app.readyz().await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.text().await.unwrap(), "ready\n");
}

/// PostgreSQL: the database is dropped. SQLite: its file is removed (the open
/// connections would go on answering from the unlinked file, and writing to it).
#[tokio::test]
async fn readyz_is_503_when_the_database_is_gone_and_healthz_stays_200() {
    let mut app = spawn_app().await;
    assert_eq!(app.readyz().await.status(), 200);
    app.db.drop_now();
    let r = app.readyz().await;
    assert_eq!(r.status(), 503);
    let body = r.text().await.unwrap();
    assert!(body.contains("database"), "{body}");
    assert!(!body.contains("waypoint_test_"), "the reason must not leak connection details: {body}");
    assert_eq!(app.healthz().await.status(), 200);
}

#[tokio::test]
async fn every_response_has_a_request_id_and_security_headers() {
    let app = spawn_app().await;
    let a = app.home().await;
    let b = app.home().await;
    let id = |r: &reqwest::Response| r.headers().get("x-request-id").map(|v| v.to_str().unwrap().to_owned());
    let (ia, ib) = (id(&a).expect("x-request-id"), id(&b).expect("x-request-id"));
    assert_ne!(ia, ib, "request ids are unique");
    let csp = a.headers().get("content-security-policy").unwrap().to_str().unwrap();
    assert!(csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'"), "{csp}");
    assert!(!csp.contains("unsafe-inline"));
    assert_eq!(a.headers().get("x-content-type-options").unwrap(), "nosniff");
    assert!(a.headers().get("referrer-policy").is_some());
}

#[tokio::test]
async fn home_page_is_accessible_html_with_landmarks() {
    let app = spawn_app().await;
    let r = app.home().await;
    assert_eq!(r.status(), 200);
    assert!(r.headers().get("content-type").unwrap().to_str().unwrap().starts_with("text/html"));
    let html = r.text().await.unwrap();
    for needle in [
        "<html lang=\"en\">",
        "class=\"skip-link\" href=\"#main\"",
        "<main id=\"main\"",
        "<nav aria-label=",
        "<header",
        "<footer",
        "<h1",
    ] {
        assert!(html.contains(needle), "home page lacks {needle}");
    }
    assert!(html.contains("data-figure=\"students\">0<"), "an empty database shows zero students");
}

#[tokio::test]
async fn unknown_pages_get_the_404_page_without_internals() {
    let app = spawn_app().await;
    let r = app.get("/no/such/page").await;
    assert_eq!(r.status(), 404);
    let request_id = r.headers().get("x-request-id").unwrap().to_str().unwrap().to_owned();
    let html = r.text().await.unwrap();
    assert!(html.contains("<main"), "the 404 page uses the site layout");
    assert!(html.contains(&request_id), "the page gives the request id as a reference");
    assert!(!html.to_lowercase().contains("diesel") && !html.contains("actix"));
}

#[tokio::test]
async fn wrong_method_gets_an_error_page_not_a_crash() {
    let app = spawn_app().await;
    let r = app.client.post(format!("{}/healthz", app.address)).send().await.unwrap();
    assert!(r.status().is_client_error(), "{}", r.status());
}

#[tokio::test]
async fn metrics_count_requests_by_route_and_status_and_show_the_pool() {
    let app = spawn_app().await;
    app.home().await;
    app.home().await;
    app.get("/nothing-here").await;
    let text = app.metrics().await;
    assert!(text.contains(r#"waypoint_http_requests_total{method="GET",route="/",status="200"} 2"#), "{text}");
    assert!(text.contains(r#"route="unmatched",status="404""#), "unmatched paths share one label: {text}");
    assert!(text.contains("waypoint_http_request_duration_seconds_bucket"));
    assert!(text.contains(r#"waypoint_db_pool_connections{state="max"}"#));
}

#[tokio::test]
async fn stylesheet_is_served_and_unknown_assets_are_404() {
    let app = spawn_app().await;
    let css = app.get("/assets/site.css").await;
    assert_eq!(css.status(), 200);
    assert!(css.headers().get("content-type").unwrap().to_str().unwrap().starts_with("text/css"));
    assert_eq!(app.get("/assets/../Cargo.toml").await.status(), 404);
    assert_eq!(app.get("/assets/nope.css").await.status(), 404);
}
