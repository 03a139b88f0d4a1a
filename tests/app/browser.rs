//! The portal in a real headless Chromium (through ChromeDriver's W3C WebDriver API,
//! spoken over plain HTTP), with axe-core checking WCAG 2.1 A/AA rules on each page.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::{json, Value};

use crate::helpers::{repo, spawn_app_with, TestDb};

struct Chromium {
    http: reqwest::Client,
    base: String,
    driver: Child,
    _profile: tempfile::TempDir,
}

impl Drop for Chromium {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Chromium {
    async fn start() -> Chromium {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let driver = Command::new("chromedriver")
            .args([format!("--port={port}"), "--allowed-ips=127.0.0.1".into()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver (scripts/test.sh installs chromium and chromium-driver)");
        let http = reqwest::Client::builder().timeout(Duration::from_secs(60)).build().unwrap();
        let root = format!("http://127.0.0.1:{port}");
        for _ in 0..100 {
            if http.get(format!("{root}/status")).send().await.is_ok() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let profile = tempfile::tempdir().unwrap();
        let args = vec![
            "--headless=new".to_owned(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-dev-shm-usage".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--no-first-run".into(),
            "--disable-quic".into(),
            "--window-size=1280,900".into(),
            format!("--user-data-dir={}", profile.path().display()),
        ];
        let caps = json!({ "capabilities": { "alwaysMatch": { "browserName": "chrome", "goog:chromeOptions": { "binary": "/usr/bin/chromium", "args": args } } } });
        let r: Value = http.post(format!("{root}/session")).json(&caps).send().await.unwrap().json().await.unwrap();
        let session = r["value"]["sessionId"].as_str().unwrap_or_else(|| panic!("no session: {r}")).to_owned();
        Chromium { http, base: format!("{root}/session/{session}"), driver, _profile: profile }
    }

    async fn call(&self, method: reqwest::Method, path: &str, body: Value) -> Value {
        let r = self.http.request(method, format!("{}{path}", self.base)).json(&body).send().await.unwrap();
        let v: Value = r.json().await.unwrap();
        if v["value"].get("error").is_some() {
            panic!("WebDriver {path}: {}", v["value"]);
        }
        v["value"].clone()
    }

    async fn goto(&self, url: &str) {
        self.call(reqwest::Method::POST, "/url", json!({ "url": url })).await;
    }

    async fn url(&self) -> String {
        self.call(reqwest::Method::GET, "/url", json!({})).await.as_str().unwrap().to_owned()
    }

    /// Waits (up to 15 s) for the browser to arrive at a URL containing `part`.
    async fn wait_for_url(&self, part: &str) -> String {
        let mut url = String::new();
        for _ in 0..150 {
            url = self.url().await;
            if url.contains(part) {
                return url;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the browser did not reach a URL with {part}; it is at {url}");
    }

    /// Waits (up to 15 s) for the page to contain `part`, and returns it.
    async fn wait_for_text(&self, part: &str) -> String {
        let mut page = String::new();
        for _ in 0..150 {
            page = self.source().await;
            if page.contains(part) {
                return page;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the page never showed {part:?}; it is at {} with:\n{page}", self.url().await);
    }

    async fn source(&self) -> String {
        self.call(reqwest::Method::GET, "/source", json!({})).await.as_str().unwrap().to_owned()
    }

    async fn find(&self, css: &str) -> String {
        let v = self.call(reqwest::Method::POST, "/element", json!({ "using": "css selector", "value": css })).await;
        v.as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("no element {css}"))
            .to_owned()
    }

    async fn click(&self, css: &str) {
        let id = self.find(css).await;
        self.call(reqwest::Method::POST, &format!("/element/{id}/click"), json!({})).await;
    }

    async fn type_into(&self, css: &str, text: &str) {
        let id = self.find(css).await;
        self.call(reqwest::Method::POST, &format!("/element/{id}/value"), json!({ "text": text })).await;
    }

    /// axe-core's WCAG 2.1 A/AA violations of the current page, as "id (impact): help".
    async fn accessibility_violations(&self) -> Vec<String> {
        let axe = std::fs::read_to_string(repo().join("tests/browser/node_modules/axe-core/axe.min.js"))
            .expect("tests/browser/node_modules is missing: scripts/test.sh installs it (npm ci)");
        self.call(
            reqwest::Method::POST,
            "/execute/sync",
            json!({ "script": format!("{axe}\nreturn true;"), "args": [] }),
        )
        .await;
        let script = "const done = arguments[arguments.length - 1];\
            axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })\
              .then(r => done(r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.help + ' [' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', ') + ']')))\
              .catch(e => done(['axe failed: ' + e]));";
        let v = self.call(reqwest::Method::POST, "/execute/async", json!({ "script": script, "args": [] })).await;
        v.as_array().unwrap().iter().map(|x| x.as_str().unwrap().to_owned()).collect()
    }
}

/// A newcomer in demo mode: clicks "Sign in", picks a counselor at the demo provider,
/// lands signed in with the counselor's navigation; later a student searches the
/// catalogue. Every page visited passes axe-core's WCAG 2.1 A/AA checks.
#[tokio::test]
async fn a_newcomer_signs_in_through_the_demo_provider_in_a_real_browser() {
    let app = spawn_app_with(TestDb::new(), &[("WAYPOINT_DEMO", "true")]).await;
    let b = Chromium::start().await;
    let mut violations = Vec::new();
    let mut check =
        |page: String, found: Vec<String>| violations.extend(found.into_iter().map(|v| format!("{page}: {v}")));

    b.goto(&format!("{}/", app.address)).await;
    assert!(b.source().await.contains("data-figure=\"students\">330<"), "the demo data's figures");
    check("/".into(), b.accessibility_violations().await);
    b.click("a.button[href='/login']").await;
    b.wait_for_text("Sign in to Waypoint").await;
    check("/login".into(), b.accessibility_violations().await);
    b.click("a[href^='/auth/login']").await;
    b.wait_for_text("Career counselors").await;
    assert!(b.url().await.starts_with(&format!("{}/dev-idp/authorize?", app.address)));
    check("/dev-idp/authorize".into(), b.accessibility_violations().await);
    // The first person in the second section (career counselors).
    b.click("main section:nth-of-type(2) button").await;
    let landed = b.wait_for_text("Sign out").await;
    assert!(landed.contains("role-badge\">counselor<"), "signed in as a counselor");
    assert!(
        landed.contains("href=\"/recruiters/invite\"") && landed.contains("href=\"/review\""),
        "the counselor's navigation"
    );
    for path in
        ["/employers", "/review", "/recruiters/invite", "/opportunities", "/employers/import", "/inbox", "/account"]
    {
        b.goto(&format!("{}{path}", app.address)).await;
        check(path.into(), b.accessibility_violations().await);
    }
    // An employer's page, from the list.
    b.goto(&format!("{}/employers?status=active", app.address)).await;
    b.click("tbody tr:first-child a").await;
    b.wait_for_text("<h3>History</h3>").await;
    check("/employers/{id}".into(), b.accessibility_violations().await);
    b.click("form[action='/auth/logout'] button").await;
    b.wait_for_text(">Sign in<").await;

    // A student finds a posting by a word of its description, with a filter.
    b.goto(&format!("{}/auth/login?return_to=/opportunities", app.address)).await;
    b.click("main section:nth-of-type(4) button").await;
    b.wait_for_url("/opportunities").await;
    b.type_into("#f-q", "spreadsheet").await;
    b.click("#f-remote option[value='remote']").await;
    b.click("form[role='search'] button[type='submit']").await;
    let url = b.wait_for_url("q=spreadsheet").await;
    assert!(url.contains("remote=remote"), "{url}");
    let results = b.source().await;
    let found: u32 = results
        .split(" project(s) found")
        .next()
        .and_then(|before| before.rsplit('>').next())
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("the page says how many projects were found:\n{results}"));
    assert!(found >= 1, "the demo catalogue has projects about spreadsheets; {found} found");
    assert!(results.contains("<li class=\"listing\">"), "and lists them");
    assert!(!results.contains("On-site in "), "the filter holds: remote projects only");
    check("/opportunities?q=…".into(), b.accessibility_violations().await);
    for path in ["/dashboard", "/partners"] {
        b.goto(&format!("{}{path}", app.address)).await;
        check(path.into(), b.accessibility_violations().await);
    }
    b.click("ul.listings li a").await;
    b.wait_for_text("Open projects").await;
    check("/partners/{id}".into(), b.accessibility_violations().await);
    assert!(violations.is_empty(), "accessibility violations:\n{}", violations.join("\n"));

    // The checker itself is live: a page with an unlabelled field and an image without
    // text is reported.
    b.goto("data:text/html,<html lang=en><title>t</title><main><img src=x.png><input></main></html>").await;
    let planted = b.accessibility_violations().await;
    assert!(
        planted.iter().any(|v| v.starts_with("image-alt")) && planted.iter().any(|v| v.starts_with("label")),
        "{planted:?}"
    );
}
