//! The campus identity provider of the tests: npm `oidc-provider` (a certified OpenID
//! provider) run from `tests/oidc/provider.mjs`, one process per test, on loopback.
//! And the browser's side of signing in, step by step.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};

use serde_json::{json, Value};

use crate::helpers::{repo, spawn_on_with_clock, TestApp, TestDb};

pub const CLIENT_ID: &str = "waypoint";
pub const CLIENT_SECRET: &str = "waypoint-test-secret";

/// The people the provider knows, by login name.
pub fn accounts() -> Value {
    json!({
        "student": { "sub": "sub-student", "email": "ava.okafor@northfield.edu", "email_verified": true, "name": "Ava Okafor", "eduPersonAffiliation": "student", "groups": [] },
        "student-array": { "sub": "sub-student-array", "email": "ben.lee@northfield.edu", "email_verified": true, "name": "Ben Lee", "eduPersonAffiliation": ["student", "member"], "groups": [] },
        "faculty": { "sub": "sub-faculty", "email": "prof.ines.garcia@northfield.edu", "email_verified": true, "name": "Ines Garcia", "eduPersonAffiliation": ["faculty", "member"], "groups": [], "department": "Economics" },
        "faculty-2": { "sub": "sub-faculty-2", "email": "prof.omar.reyes@northfield.edu", "email_verified": true, "name": "Omar Reyes", "eduPersonAffiliation": ["faculty"], "groups": [], "department": "History" },
        "counselor": { "sub": "sub-counselor", "email": "cory.banks@northfield.edu", "email_verified": true, "name": "Cory Banks", "eduPersonAffiliation": ["staff", "member"], "groups": ["career-office"] },
        "counselor-string": { "sub": "sub-counselor-2", "email": "dana.wu@northfield.edu", "email_verified": true, "name": "Dana Wu", "eduPersonAffiliation": "staff", "groups": "career-office" },
        "admin": { "sub": "sub-admin", "email": "erin.admin@northfield.edu", "email_verified": true, "name": "Erin Shaw", "eduPersonAffiliation": ["staff"], "groups": ["career-office", "career-office-admin"] },
        "staff": { "sub": "sub-staff", "email": "frank.library@northfield.edu", "email_verified": true, "name": "Frank Moss", "eduPersonAffiliation": "staff", "groups": ["library"] },
        "roster": { "sub": "sub-roster", "email": "g.alias@northfield.edu", "email_verified": true, "name": "Gia Romano", "eduPersonAffiliation": "student", "student_number": "N55500011" },
        "noemail": { "sub": "sub-noemail", "name": "No Email", "eduPersonAffiliation": "student" },
    })
}

pub struct Idp {
    pub issuer: String,
    port: u16,
    app_base: String,
    accounts: Value,
    child: Child,
    _dir: tempfile::TempDir,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

impl Idp {
    /// Starts the provider for an app at `app_base`, signing with key `kid`;
    /// `tamper` makes it corrupt its ID tokens (see tests/oidc/README.md).
    /// The free port is only free when it is picked: under a busy suite another process
    /// (an app, an outgoing connection) may take it before Node binds it, so a provider
    /// that could not start is tried again on another port.
    pub fn start(app_base: &str, accounts: Value, kid: &str, tamper: Option<&str>) -> Idp {
        for _ in 0..4 {
            if let Some(idp) = Idp::try_start_on(free_port(), app_base, accounts.clone(), kid, tamper) {
                return idp;
            }
        }
        Idp::start_on(free_port(), app_base, accounts, kid, tamper)
    }

    fn start_on(port: u16, app_base: &str, accounts: Value, kid: &str, tamper: Option<&str>) -> Idp {
        Idp::try_start_on(port, app_base, accounts, kid, tamper).expect("the provider did not start")
    }

    fn try_start_on(port: u16, app_base: &str, accounts: Value, kid: &str, tamper: Option<&str>) -> Option<Idp> {
        let script = repo().join("tests/oidc/provider.mjs");
        assert!(
            repo().join("tests/oidc/node_modules/oidc-provider").is_dir(),
            "tests/oidc/node_modules is missing: scripts/test.sh installs it (npm ci)"
        );
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("provider.json");
        let body = json!({
            "port": port,
            "kid": kid,
            "client": {
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "redirect_uris": [format!("{app_base}/auth/callback")],
                "post_logout_redirect_uris": [format!("{app_base}/")],
            },
            "accounts": accounts,
            "tamper": tamper,
        });
        std::fs::write(&config, body.to_string()).unwrap();
        let mut child = Command::new("node")
            .arg(&script)
            .arg(&config)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("node runs (scripts/test.sh installs Node where it is missing)");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        if !line.starts_with("READY ") {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        Some(Idp {
            issuer: format!("http://127.0.0.1:{port}"),
            port,
            app_base: app_base.to_owned(),
            accounts,
            child,
            _dir: dir,
        })
    }

    /// Restarts the provider on the same port: a new signing key, or new claims.
    pub fn restart(&mut self, kid: &str, accounts: Option<Value>, tamper: Option<&str>) {
        self.stop();
        let accounts = accounts.unwrap_or_else(|| self.accounts.clone());
        let fresh = Idp::start_on(self.port, &self.app_base.clone(), accounts, kid, tamper);
        *self = fresh;
    }

    fn stop(&mut self) {
        if let Some(mut stdin) = self.child.stdin.take() {
            let _ = stdin.flush();
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Idp {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The app pointed at a fresh provider (the provider must know the app's redirect URI
/// and the app the provider's issuer, so the app's port is taken first).
pub async fn spawn_with_idp(tamper: Option<&str>) -> (TestApp, Idp) {
    spawn_with_idp_and(TestDb::new(), tamper, &[]).await
}

pub async fn spawn_with_idp_and(db: TestDb, tamper: Option<&str>, extra: &[(&str, &str)]) -> (TestApp, Idp) {
    spawn_with_idp_clock(db, tamper, extra, None).await
}

/// As `spawn_with_idp`, with the app's campus clock fixed (New York) at `campus_date`
/// `campus_time` ("2027-02-16", "19:30"); move it with `app.clock.advance(...)`.
pub async fn spawn_with_idp_at(campus_date: &str, campus_time: &str) -> (TestApp, Idp) {
    let clock = waypoint::core::Clock::fixed_at_campus(chrono_tz::America::New_York, campus_date, campus_time);
    spawn_with_idp_clock(TestDb::new(), None, &[], Some(clock)).await
}

async fn spawn_with_idp_clock(
    db: TestDb,
    tamper: Option<&str>,
    extra: &[(&str, &str)],
    clock: Option<waypoint::core::Clock>,
) -> (TestApp, Idp) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let app_base = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
    let idp = Idp::start(&app_base, accounts(), "k1", tamper);
    let mut env: Vec<(&str, &str)> = vec![
        ("WAYPOINT_OIDC_ISSUER", idp.issuer.as_str()),
        ("WAYPOINT_OIDC_CLIENT_ID", CLIENT_ID),
        ("WAYPOINT_OIDC_CLIENT_SECRET", CLIENT_SECRET),
        ("WAYPOINT_OIDC_SCOPES", "openid email profile affiliation"),
    ];
    env.extend_from_slice(extra);
    let app = spawn_on_with_clock(listener, db, &env, clock).await;
    (app, idp)
}

fn location(r: &reqwest::Response) -> String {
    r.headers().get("location").unwrap_or_else(|| panic!("{} has no Location", r.url())).to_str().unwrap().to_owned()
}

/// The steps of one campus sign-in, so tests can stop, alter or replay any of them.
pub struct SignIn {
    /// Where the provider sent the browser back to (our callback, with code and state).
    pub callback_url: String,
    /// Our callback's answer.
    pub response: reqwest::Response,
}

impl TestApp {
    /// `GET /auth/login?return_to=...`: our redirect to the provider.
    pub async fn start_sign_in(&self, browser: &reqwest::Client, return_to: &str) -> String {
        let r = browser
            .get(format!("{}/auth/login?return_to={}", self.address, urlencode(return_to)))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303, "start of sign-in");
        location(&r)
    }

    /// At the provider: from its authorization URL to the callback URL it sends the
    /// browser to (login form posted as `login`).
    pub async fn provider_login(
        &self,
        browser: &reqwest::Client,
        idp: &Idp,
        authorize_url: &str,
        login: &str,
    ) -> String {
        assert!(
            authorize_url.starts_with(&idp.issuer),
            "we send the browser to the configured provider: {authorize_url}"
        );
        let r = browser.get(authorize_url).send().await.unwrap();
        assert_eq!(r.status(), 303);
        let mut next = location(&r);
        if next.starts_with('/') {
            next = format!("{}{next}", idp.issuer);
        }
        if next.starts_with(&self.address) {
            return next; // the provider remembered this browser: straight back
        }
        let page = browser.get(&next).send().await.unwrap();
        assert_eq!(page.status(), 200, "the provider's login page");
        let r = browser
            .post(&next)
            .form(&[("prompt", "login"), ("login", login), ("password", "any")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303);
        let resume = location(&r);
        let r = browser.get(&resume).send().await.unwrap();
        assert_eq!(r.status(), 303);
        let back = location(&r);
        assert!(back.starts_with(&format!("{}/auth/callback?", self.address)), "back to our callback: {back}");
        back
    }

    /// The whole sign-in as `login`, in `browser`.
    pub async fn sign_in_as(&self, browser: &reqwest::Client, idp: &Idp, login: &str, return_to: &str) -> SignIn {
        let authorize = self.start_sign_in(browser, return_to).await;
        let callback_url = self.provider_login(browser, idp, &authorize, login).await;
        let response = browser.get(&callback_url).send().await.unwrap();
        SignIn { callback_url, response }
    }

    /// A fresh browser signed in as `login` (panics unless the sign-in succeeds).
    pub async fn signed_in(&self, idp: &Idp, login: &str) -> reqwest::Client {
        let b = crate::helpers::browser();
        let s = self.sign_in_as(&b, idp, login, "/account").await;
        assert_eq!(s.response.status(), 303, "{login} signs in: {}", s.response.text().await.unwrap_or_default());
        b
    }

    /// `GET /account` in `browser`: the page, or None when not signed in.
    pub async fn account_page(&self, browser: &reqwest::Client) -> Option<String> {
        let r = browser.get(format!("{}/account", self.address)).send().await.unwrap();
        match r.status().as_u16() {
            200 => Some(r.text().await.unwrap()),
            303 => None,
            other => panic!("/account answered {other}"),
        }
    }

    /// A portal form post, from our own origin, with the CSRF token of the page at `form_page`.
    pub async fn post_form(
        &self,
        browser: &reqwest::Client,
        form_page: &str,
        action: &str,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        let page = browser.get(format!("{}{form_page}", self.address)).send().await.unwrap().text().await.unwrap();
        let token = csrf_token(&page).unwrap_or_else(|| panic!("{form_page} has no form token"));
        let mut all: Vec<(&str, &str)> = vec![("csrf_token", token.as_str())];
        all.extend_from_slice(fields);
        browser
            .post(format!("{}{action}", self.address))
            .header("Origin", &self.address)
            .form(&all)
            .send()
            .await
            .unwrap()
    }
}

/// The first `csrf_token` hidden field of a page.
pub fn csrf_token(html: &str) -> Option<String> {
    let at = html.find("name=\"csrf_token\" value=\"")? + "name=\"csrf_token\" value=\"".len();
    Some(html[at..].split('"').next()?.to_owned())
}

pub fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}
