//! Every error under /api is a problem detail; bodies are refused when they cannot be
//! read, carry unknown fields or are too large; the OpenAPI document lists every call,
//! scope and error, and /api/docs shows it without any script.

use super::{answer, get, post, token, ALL_SCOPES};
use crate::helpers::spawn_app;

#[tokio::test]
async fn errors_under_api_are_problem_details() {
    let app = spawn_app().await;
    let t = token(&app, &ALL_SCOPES, "30").await;
    let unknown = get(&app, Some(&t), "/api/v1/nothing-here").await;
    unknown.assert_problem(404);
    assert_eq!(unknown.json["type"], "/api/docs#problem-not-found");
    get(&app, None, "/api/nothing").await.assert_problem(404);
    get(&app, Some(&t), "/api/v1/reports/no-such-report?class=2026").await.assert_problem(404);

    let client = reqwest::Client::new();
    let send = |body: String, content_type: &'static str| {
        client
            .post(format!("{}/api/v1/students", app.address))
            .header("Authorization", format!("Bearer {t}"))
            .header("Content-Type", content_type)
            .body(body)
            .send()
    };
    let broken = answer(send("{\"students\": [".into(), "application/json").await.unwrap()).await;
    broken.assert_problem(400);
    let unknown_field = serde_json::json!({ "students": [{ "student_number": "N1", "nickname": "Al" }] });
    let refused = post(&app, &t, "/api/v1/students", &unknown_field).await;
    refused.assert_problem(422);
    assert_eq!(refused.invalid(), [(None, "nickname".to_owned())], "{}", refused.text);
    let top = post(&app, &t, "/api/v1/students", &serde_json::json!({ "students": [], "dry_run": true })).await;
    top.assert_problem(422);
    assert_eq!(top.invalid(), [(None, "dry_run".to_owned())], "{}", top.text);
    let empty = post(&app, &t, "/api/v1/students", &serde_json::json!({ "students": [] })).await;
    empty.assert_problem(422);
    assert_eq!(empty.invalid(), [(None, "students".to_owned())]);
    let not_json = answer(send("student_number=N1".into(), "application/x-www-form-urlencoded").await.unwrap()).await;
    not_json.assert_problem(415);
    let huge = format!("{{\"students\": [{}]}}", vec!["{\"name\": \"x\"}"; 200_000].join(","));
    let too_large = answer(send(huge, "application/json").await.unwrap()).await;
    too_large.assert_problem(413);
    let wrong_method = answer(
        client
            .delete(format!("{}/api/v1/students", app.address))
            .header("Authorization", format!("Bearer {t}"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    wrong_method.assert_problem(405);
    let bad_page = get(&app, Some(&t), "/api/v1/employers?limit=0&cursor=xyz").await;
    bad_page.assert_problem(422);
    assert_eq!(bad_page.invalid(), [(None, "cursor".to_owned()), (None, "limit".to_owned())]);
    assert_eq!(get(&app, Some(&t), "/api/v1/employers").await.header("content-type"), "application/json");
    // A NUL character is refused by name (PostgreSQL cannot store one), not a server error.
    let nul = get(&app, Some(&t), "/api/v1/opportunities?industry=Retail%00").await;
    nul.assert_problem(422);
    assert_eq!(nul.invalid(), [(None, "industry".to_owned())]);
    let mut item = serde_json::json!({ "student_number": "N1", "email": "n1@northfield.edu", "name": "Al", "college": "E",
        "major": "P", "class_year": 2026, "graduation_term": "2026-05" });
    item["name"] = serde_json::json!("Al\u{0}");
    let nul = post(&app, &t, "/api/v1/students", &serde_json::json!({ "students": [item] })).await;
    nul.assert_problem(422);
    assert_eq!(nul.invalid(), [(Some(0), "name".to_owned())], "{}", nul.text);
}

#[tokio::test]
async fn the_openapi_document_lists_every_call_scope_and_error() {
    let app = spawn_app().await;
    let doc = get(&app, None, "/api/openapi.json").await;
    assert_eq!(doc.status, 200);
    let d = &doc.json;
    assert_eq!(d["openapi"], "3.1.0");
    let scheme = &d["components"]["securitySchemes"]["bearer"];
    assert_eq!((scheme["type"].as_str(), scheme["scheme"].as_str()), (Some("http"), Some("bearer")));
    let calls = [
        ("/api/v1/students", "post", "roster:write"),
        ("/api/v1/employers", "get", "catalogue:read"),
        ("/api/v1/opportunities", "get", "catalogue:read"),
        ("/api/v1/outcomes", "get", "outcomes:read"),
        ("/api/v1/outcomes", "post", "outcomes:write"),
        ("/api/v1/reports/{name}", "get", "reports:read"),
        ("/api/v1/fairs/sessions", "get", "fairs:read"),
    ];
    let mut scopes_seen = Vec::new();
    for (path, method, scope) in calls {
        let op = &d["paths"][path][method];
        assert!(op.is_object(), "{method} {path} is documented");
        assert_eq!(op["security"][0]["bearer"][0], scope, "{method} {path}");
        scopes_seen.push(scope);
        for status in ["200", "400", "401", "403", "422", "429", "500"] {
            assert!(op["responses"][status].is_object(), "{method} {path} documents {status}");
        }
        assert_eq!(
            op["responses"]["401"]["content"]["application/problem+json"]["schema"]["$ref"],
            "#/components/schemas/Problem"
        );
        assert!(op["responses"]["429"]["headers"]["Retry-After"].is_object());
        if method == "post" {
            assert!(op["responses"]["413"].is_object() && op["requestBody"].is_object());
        }
    }
    scopes_seen.sort();
    scopes_seen.dedup();
    assert_eq!(scopes_seen.len(), 6, "every scope is used");
    assert_eq!(d["paths"]["/api/v1/reports/{name}"]["get"]["parameters"][0]["schema"]["enum"][0], "first-destination");
    let item = &d["components"]["schemas"]["StudentItem"];
    assert_eq!(item["additionalProperties"], false, "unknown fields are refused: {item}");
    assert!(d["components"]["schemas"]["Problem"]["properties"]["errors"].is_object());

    // The reference page: every call, as a portal page with no script.
    let docs = reqwest::get(format!("{}/api/docs", app.address)).await.unwrap();
    assert_eq!(docs.status(), 200);
    let csp = docs.headers()["content-security-policy"].to_str().unwrap().to_owned();
    assert!(csp.contains("script-src 'self'"), "{csp}");
    let html = docs.text().await.unwrap();
    for (path, method, scope) in calls {
        assert!(html.contains(&format!("{} {path}", method.to_uppercase())), "{method} {path} on the page");
        assert!(html.contains(scope));
    }
    assert!(html.contains("id=\"problem-too-many-requests\""), "problem kinds are anchors");
    assert!(!html.contains("<script>") && !html.contains("unpkg") && !html.contains("cdn"), "nothing from elsewhere");
}
