//! A real headless Chromium driven through ChromeDriver's W3C WebDriver API (plain HTTP),
//! with the checks every portal page must pass:
//!
//! - `visit_checked(path, name)`: the page at desktop width (1280) and phone width (390
//!   CSS px, Chrome's mobile emulation, so the page's viewport meta tag is honoured) has
//!   no axe-core WCAG 2.1 A/AA violation and does not scroll sideways. `visit` returns the
//!   problems instead of panicking (to collect a whole tour's); `visit_and_screenshot`
//!   also saves `NAME-desktop.png` and `NAME-phone.png` under `target/screenshots/`.
//! - `check_here(name)`: the same checks on the page the browser is on, at its width.
//! - The keyboard: `press(Key::Tab)`, `type_keys`, `focused()`, `tab_to(css)` (Tab until
//!   an element matching `css` has focus, checking that every element focused on the way
//!   shows a focus indicator), `focus_problem()`.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use base64::Engine;
use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::repo;

/// The two widths every page is checked at (CSS pixels).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Width {
    /// A laptop: 1280 × 900.
    Desktop,
    /// A phone: 390 × 844 (an iPhone 12–15), with mobile emulation (viewport meta, touch).
    Phone,
}

impl Width {
    pub fn css_px(self) -> u32 {
        match self {
            Width::Desktop => 1280,
            Width::Phone => 390,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Width::Desktop => "desktop",
            Width::Phone => "phone",
        }
    }
}

/// Keys for `press`: each is pressed and released (Shift held around Tab for ShiftTab).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Tab,
    ShiftTab,
    Enter,
    Space,
}

/// WebDriver's code points for the keys above.
const TAB: &str = "\u{E004}";
const SHIFT: &str = "\u{E008}";
const ENTER: &str = "\u{E007}";
const SPACE: &str = "\u{E00D}";

/// The element that has the keyboard focus, as the browser computes it.
#[derive(Debug, Clone)]
pub struct Focused {
    /// A short description: `a[href=/login] "Sign in"`, `input#f-q`, `body`.
    pub describe: String,
    /// The computed outline (style width colour) and box-shadow.
    pub outline: String,
    pub box_shadow: String,
    /// The best contrast of the outline's or box-shadow's colour with the background.
    pub contrast: f64,
    /// An outline of some width (not `none`) or a box-shadow is drawn, in a colour with
    /// a contrast of at least 3:1 with the background: a visible focus indicator.
    pub indicator: bool,
}

impl Focused {
    fn problem(&self) -> String {
        format!(
            "no visible focus indicator on {} (outline: {}; box-shadow: {}; best contrast with the background {}:1, 3:1 needed)",
            self.describe, self.outline, self.box_shadow, self.contrast
        )
    }
}

/// The axe-core run: WCAG 2.1 A and AA rules; each violation as
/// `rule (impact): help [up to 3 elements] — what is wrong with the first`.
const AXE_RUN: &str = r#"
const done = arguments[arguments.length - 1];
axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
  .then(r => done(r.violations.map(v => {
    const first = v.nodes[0] || {};
    const why = [...(first.any || []), ...(first.all || []), ...(first.none || [])].map(c => c.message).join('; ');
    return v.id + ' (' + v.impact + '): ' + v.help + ' [' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', ')
      + (v.nodes.length > 3 ? ', … ' + v.nodes.length + ' in all' : '') + ']' + (why ? ' — ' + why.slice(0, 200) : '');
  })))
  .catch(e => done(['axe failed: ' + e]));
"#;

/// Whether the page scrolls sideways at the current width, and what sticks out: every
/// element whose right edge is past the layout viewport, outside a deliberate scroll
/// region (an ancestor with `overflow-x: auto|scroll`) or a clipping box, keeping only
/// the outermost of them (the one to fix). Hiding what overflows is no fix: `overflow-x:
/// hidden` on html or body, or a box (not a form control, not a 1 px visually-hidden
/// text) whose content is wider than it and cut off, count as problems too.
const SIDEWAYS: &str = r#"
const root = document.documentElement;
const vw = root.clientWidth;
const describe = el => {
  let d = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + [...el.classList].map(c => '.' + c).join('');
  const text = (el.innerText || el.value || '').trim().replace(/\s+/g, ' ').slice(0, 40);
  return d + (text ? ' "' + text + '"' : '');
};
const contained = el => {
  for (let p = el.parentElement; p && p !== document.body && p !== root; p = p.parentElement) {
    const o = getComputedStyle(p).overflowX;
    if (o !== 'visible') return true;
  }
  return false;
};
const sticking = new Set();
for (const el of document.body.querySelectorAll('*')) {
  const r = el.getBoundingClientRect();
  if (r.width > 0 && r.right > vw + 0.5 && !contained(el)) sticking.add(el);
}
const culprits = [...sticking].filter(el => !sticking.has(el.parentElement)).slice(0, 8)
  .map(el => describe(el) + ' reaches ' + Math.round(el.getBoundingClientRect().right) + ' px');
const controls = ['INPUT', 'SELECT', 'TEXTAREA', 'BUTTON', 'IMG', 'VIDEO', 'IFRAME', 'CANVAS'];
const cut = [...document.body.querySelectorAll('*')].filter(el => {
  const o = getComputedStyle(el).overflowX;
  return !controls.includes(el.tagName) && (o === 'hidden' || o === 'clip') && el.clientWidth > 1
    && el.scrollWidth > el.clientWidth + 1;
}).slice(0, 5).map(el => describe(el) + ' cuts off ' + (el.scrollWidth - el.clientWidth) + ' px of its content');
const hidden = [root, document.body].filter(el => ['hidden', 'clip'].includes(getComputedStyle(el).overflowX))
  .map(el => el.tagName.toLowerCase());
return { client: vw, inner: window.innerWidth, scroll: Math.max(root.scrollWidth, document.body.scrollWidth),
         culprits, cut, hidden };
"#;

/// The focused element, and whether it shows a focus indicator: an outline or a
/// box-shadow, at least one of whose colours has a contrast of 3:1 or more with the
/// background around the element (WCAG 1.4.11, non-text contrast).
const FOCUSED: &str = r#"
const e = document.activeElement || document.body;
const s = getComputedStyle(e);
const attr = n => e.getAttribute(n) ? '[' + n + '=' + e.getAttribute(n) + ']' : '';
const text = (e.innerText || e.value || '').trim().replace(/\s+/g, ' ').slice(0, 50);
const outline = s.outlineStyle + ' ' + s.outlineWidth + ' ' + s.outlineColor;
const rgb = c => { const m = (c || '').match(/rgba?\(([^)]*)\)/); if (!m) return null;
  const v = m[1].split(/[ ,\/]+/).filter(x => x).map(Number); return v.length > 3 && v[3] === 0 ? null : v.slice(0, 3); };
const lum = v => { const [r, g, b] = v.map(x => { x /= 255; return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4); });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
let behind = [255, 255, 255];
for (let p = e.parentElement; p; p = p.parentElement) { const c = rgb(getComputedStyle(p).backgroundColor); if (c) { behind = c; break; } }
const colours = [];
if (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) colours.push(s.outlineStyle === 'auto' ? [16, 16, 16] : rgb(s.outlineColor));
if (s.boxShadow && s.boxShadow !== 'none') colours.push(rgb(s.boxShadow));
const best = Math.max(0, ...colours.filter(c => c).map(c => ratio(c, behind)));
return {
  describe: e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + attr('href') + attr('name') + attr('type')
    + (text ? ' "' + text + '"' : ''),
  outline, box_shadow: s.boxShadow, contrast: Math.round(best * 100) / 100,
  indicator: colours.length > 0 && best >= 3,
};
"#;

pub struct Chromium {
    http: reqwest::Client,
    session: String,
    /// The site `visit*` paths are relative to (the app's address); full URLs
    /// (`http://…`, `data:…`) are visited as they are.
    pub site: String,
    width: std::sync::Mutex<Width>,
    axe: String,
    driver: Child,
    _profile: tempfile::TempDir,
}

impl Drop for Chromium {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// Where screenshots go: `$CARGO_TARGET_DIR/screenshots` (or the repository's `target/`).
pub fn screenshot_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| repo().join("target"));
    let target = if target.is_relative() { repo().join(target) } else { target };
    target.join("screenshots")
}

impl Chromium {
    /// A fresh headless Chromium (its own profile) at desktop width, for the site at `site`.
    pub async fn start(site: &str) -> Chromium {
        let axe = std::fs::read_to_string(repo().join("tests/browser/node_modules/axe-core/axe.min.js"))
            .expect("tests/browser/node_modules is missing: scripts/test.sh installs it (npm ci)");
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let driver = Command::new("chromedriver")
            .args([format!("--port={port}"), "--allowed-ips=127.0.0.1".into()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver (scripts/test.sh installs chromium and chromium-driver)");
        let http = reqwest::Client::builder().timeout(Duration::from_secs(90)).build().unwrap();
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
            "--hide-scrollbars".into(),
            "--force-color-profile=srgb".into(),
            "--window-size=1280,900".into(),
            format!("--user-data-dir={}", profile.path().display()),
        ];
        let caps = json!({ "capabilities": { "alwaysMatch": { "browserName": "chrome", "goog:chromeOptions": { "binary": "/usr/bin/chromium", "args": args } } } });
        let r: Value = http.post(format!("{root}/session")).json(&caps).send().await.unwrap().json().await.unwrap();
        let session = r["value"]["sessionId"].as_str().unwrap_or_else(|| panic!("no session: {r}")).to_owned();
        let b = Chromium {
            http,
            session: format!("{root}/session/{session}"),
            site: site.trim_end_matches('/').to_owned(),
            width: std::sync::Mutex::new(Width::Desktop),
            axe,
            driver,
            _profile: profile,
        };
        b.set_width(Width::Desktop).await;
        b
    }

    async fn try_call(&self, method: Method, path: &str, body: Value) -> Result<Value, String> {
        let r = self.http.request(method, format!("{}{path}", self.session)).json(&body).send().await.unwrap();
        let v: Value = r.json().await.unwrap();
        match v["value"].get("error") {
            Some(e) => Err(format!(
                "{e}: {}",
                v["value"]["message"].as_str().unwrap_or_default().lines().next().unwrap_or_default()
            )),
            None => Ok(v["value"].clone()),
        }
    }

    async fn call(&self, method: Method, path: &str, body: Value) -> Value {
        self.try_call(method, path, body).await.unwrap_or_else(|e| panic!("WebDriver {path}: {e}"))
    }

    /// Runs `script` (a function body; `return` gives the value) in the page.
    pub async fn js(&self, script: &str) -> Value {
        self.call(Method::POST, "/execute/sync", json!({ "script": script, "args": [] })).await
    }

    fn full(&self, path: &str) -> String {
        if path.contains("://") || path.starts_with("data:") {
            path.to_owned()
        } else {
            format!("{}{path}", self.site)
        }
    }

    /// Opens `path` (on the site) or a full URL.
    pub async fn goto(&self, path: &str) {
        self.call(Method::POST, "/url", json!({ "url": self.full(path) })).await;
    }

    pub async fn url(&self) -> String {
        self.call(Method::GET, "/url", json!({})).await.as_str().unwrap().to_owned()
    }

    /// The current URL without the site's address (`/opportunities?q=x`).
    pub async fn path(&self) -> String {
        let url = self.url().await;
        url.strip_prefix(&self.site).map(str::to_owned).unwrap_or(url)
    }

    pub async fn source(&self) -> String {
        self.call(Method::GET, "/source", json!({})).await.as_str().unwrap().to_owned()
    }

    /// Waits (up to 30 s) for the browser to arrive at a URL containing `part`.
    pub async fn wait_for_url(&self, part: &str) -> String {
        let mut url = String::new();
        for _ in 0..300 {
            url = self.url().await;
            if url.contains(part) {
                return url;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the browser did not reach a URL with {part}; it is at {url}");
    }

    /// Waits (up to 30 s) for the page to contain `part`, and returns it.
    pub async fn wait_for_text(&self, part: &str) -> String {
        let mut page = String::new();
        for _ in 0..300 {
            page = self.source().await;
            if page.contains(part) {
                return page;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the page never showed {part:?}; it is at {} with:\n{page}", self.url().await);
    }

    pub async fn find(&self, css: &str) -> String {
        let v = self.call(Method::POST, "/element", json!({ "using": "css selector", "value": css })).await;
        v.as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("no element {css}"))
            .to_owned()
    }

    /// Clicks the element matching `css` (a mouse click, for tests that are not about
    /// the keyboard).
    pub async fn click(&self, css: &str) {
        let id = self.find(css).await;
        if let Err(e) = self.try_call(Method::POST, &format!("/element/{id}/click"), json!({})).await {
            if !(e.contains("not interactable") && self.dom_action(css, "click").await) {
                panic!("clicking {css} on {} at {} width: {e}", self.url().await, self.width().name());
            }
        }
    }

    /// Types `text` into the field matching `css` (after what it holds).
    pub async fn type_into(&self, css: &str, text: &str) {
        let id = self.find(css).await;
        if let Err(e) = self.try_call(Method::POST, &format!("/element/{id}/value"), json!({ "text": text })).await {
            if !(e.contains("not interactable") && self.dom_action(css, "focus").await) {
                panic!("typing into {css} on {} at {} width: {e}", self.url().await, self.width().name());
            }
            self.type_keys(text).await;
        }
    }

    /// ChromeDriver takes everything inside a closed `<details>` for hidden, even where
    /// the stylesheet shows it (wide screens show the folded menu and filters open, with
    /// `::details-content`). When the browser itself renders the element, this clicks
    /// (or focuses) it through the DOM instead; false when it is really not shown.
    async fn dom_action(&self, css: &str, action: &str) -> bool {
        let script = format!(
            "const el = document.querySelector({}); if (!el) return false;
             const seen = el.tagName === 'OPTION' ? el.closest('select') : el;
             const r = seen.getBoundingClientRect();
             const shown = seen.checkVisibility({{ visibilityProperty: true, opacityProperty: true }}) && r.width > 0 && r.height > 0;
             if (!shown) return false;
             el.scrollIntoView({{ block: 'center' }});
             if ('{action}' === 'focus') {{ el.focus(); return document.activeElement === el; }}
             if (el.tagName === 'OPTION') {{ el.selected = true; el.parentElement.dispatchEvent(new Event('change', {{ bubbles: true }})); return true; }}
             el.click(); return true;",
            serde_json::to_string(css).unwrap()
        );
        self.js(&script).await.as_bool().unwrap_or(false)
    }

    /// The `href` attributes (as written, e.g. `/applications/…`) of the elements matching `css`.
    pub async fn hrefs(&self, css: &str) -> Vec<String> {
        let script = format!(
            "return [...document.querySelectorAll({})].map(a => a.getAttribute('href'));",
            serde_json::to_string(css).unwrap()
        );
        self.js(&script).await.as_array().unwrap().iter().filter_map(|v| v.as_str().map(str::to_owned)).collect()
    }

    /// Whether the browser shows the element matching `css` (rendered, not
    /// `visibility: hidden`, not inside a closed `<details>`, with a size).
    pub async fn is_shown(&self, css: &str) -> bool {
        let script = format!(
            "const el = document.querySelector({}); if (!el) return false; const r = el.getBoundingClientRect();
             return el.checkVisibility({{ visibilityProperty: true, contentVisibilityAuto: true }}) && r.width > 0 && r.height > 0;",
            serde_json::to_string(css).unwrap()
        );
        self.js(&script).await.as_bool().unwrap()
    }

    /// The roles in the browser's accessibility tree (what a screen reader is given),
    /// with how many nodes have each, leaving out ignored nodes.
    pub async fn accessibility_roles(&self) -> std::collections::BTreeMap<String, usize> {
        let tree = self
            .call(Method::POST, "/goog/cdp/execute", json!({ "cmd": "Accessibility.getFullAXTree", "params": {} }))
            .await;
        let mut roles = std::collections::BTreeMap::new();
        for node in tree["nodes"].as_array().unwrap() {
            if node["ignored"].as_bool() != Some(true) {
                *roles.entry(node["role"]["value"].as_str().unwrap_or_default().to_owned()).or_insert(0) += 1;
            }
        }
        roles
    }

    pub fn width(&self) -> Width {
        *self.width.lock().unwrap()
    }

    /// Sets the layout viewport to `width` (Chrome's device emulation: a phone is a mobile
    /// device, so the page's `<meta name="viewport">` applies as on a real phone).
    pub async fn set_width(&self, width: Width) {
        let params = match width {
            Width::Desktop => json!({ "width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": false }),
            Width::Phone => json!({ "width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": true }),
        };
        self.call(
            Method::POST,
            "/goog/cdp/execute",
            json!({ "cmd": "Emulation.setDeviceMetricsOverride", "params": params }),
        )
        .await;
        *self.width.lock().unwrap() = width;
    }

    /// axe-core's WCAG 2.1 A/AA violations of the current page.
    pub async fn accessibility_violations(&self) -> Vec<String> {
        self.js(&format!("{}\nreturn true;", self.axe)).await;
        let v = self.call(Method::POST, "/execute/async", json!({ "script": AXE_RUN, "args": [] })).await;
        v.as_array().unwrap().iter().map(|x| x.as_str().unwrap().to_owned()).collect()
    }

    /// What makes the current page scroll sideways (empty when nothing does), and a check
    /// that the layout viewport really is as wide as the width asked for.
    pub async fn sideways_problems(&self) -> Vec<String> {
        let v = self.js(SIDEWAYS).await;
        let (client, inner, scroll) =
            (v["client"].as_u64().unwrap(), v["inner"].as_u64().unwrap(), v["scroll"].as_u64().unwrap());
        let want = u64::from(self.width().css_px());
        let mut problems = Vec::new();
        if client != want {
            problems.push(format!(
                "the layout viewport is {client} px wide, not {want}: is the viewport meta tag missing?"
            ));
        }
        if scroll > client || inner > client {
            problems
                .push(format!("scrolls sideways: the page is {} px wide in a {client} px viewport", scroll.max(inner)));
        }
        for c in v["culprits"].as_array().unwrap() {
            problems.push(format!("wider than the screen: {}", c.as_str().unwrap()));
        }
        for c in v["cut"].as_array().unwrap() {
            problems.push(format!("hides what is too wide: {}", c.as_str().unwrap()));
        }
        for el in v["hidden"].as_array().unwrap() {
            problems.push(format!(
                "{} hides what overflows sideways (overflow-x: hidden cuts content off)",
                el.as_str().unwrap()
            ));
        }
        problems
    }

    /// The checks of the current page at the current width: axe, then sideways scrolling.
    /// Each problem reads `NAME @ WIDTH: problem`.
    pub async fn check_here(&self, name: &str) -> Vec<String> {
        self.check_as(name, self.width().name()).await
    }

    async fn check_as(&self, name: &str, view: &str) -> Vec<String> {
        let mut found = self.accessibility_violations().await;
        found.extend(self.sideways_problems().await);
        found.into_iter().map(|p| format!("{name} @ {view}: {p}")).collect()
    }

    /// Opens every closed `<details>` of the page (the menu, folded filters); returns how
    /// many. axe skips what a closed one holds, so the phone view is checked again open.
    pub async fn open_folds(&self) -> u64 {
        self.js("const closed = [...document.querySelectorAll('details:not([open])')]; \
                 closed.forEach(d => { d.open = true; d.dataset.openedByTest = ''; }); return closed.length;")
            .await
            .as_u64()
            .unwrap()
    }

    /// Closes again what `open_folds` opened.
    pub async fn close_folds(&self) {
        self.js("document.querySelectorAll('details[data-opened-by-test]').forEach(d => { d.open = false; delete d.dataset.openedByTest; }); return true;")
            .await;
    }

    /// The checks of the page as loaded, at phone width (as it is, then with everything
    /// folded opened: `NAME @ phone, opened`) and at desktop width (where the browser
    /// stays), without loading it again: also for a page that answered a form.
    /// With `screenshot`, saves the phone (as loaded) and desktop views.
    pub async fn check_both_here_with(&self, name: &str, screenshot: bool) -> Vec<String> {
        let mut problems = Vec::new();
        self.set_width(Width::Phone).await;
        problems.extend(self.check_here(name).await);
        if screenshot {
            self.screenshot(name).await;
        }
        if self.open_folds().await > 0 {
            problems.extend(self.check_as(name, "phone, opened").await);
            self.close_folds().await;
        }
        self.set_width(Width::Desktop).await;
        problems.extend(self.check_here(name).await);
        if screenshot {
            self.screenshot(name).await;
        }
        problems
    }

    /// `check_both_here_with` without screenshots.
    pub async fn check_both_here(&self, name: &str) -> Vec<String> {
        self.check_both_here_with(name, false).await
    }

    /// Opens `path` and checks it at phone width (as loaded, and with everything folded
    /// opened) and at desktop width, where the browser stays; returns every problem
    /// found. With `screenshot` (or `WAYPOINT_TEST_SCREENSHOTS=all` in the environment,
    /// to look at every page visited), saves both views.
    pub async fn visit_with(&self, path: &str, name: &str, screenshot: bool) -> Vec<String> {
        let screenshot = screenshot || std::env::var("WAYPOINT_TEST_SCREENSHOTS").is_ok_and(|v| v == "all");
        self.set_width(Width::Phone).await;
        self.goto(path).await;
        self.check_both_here_with(name, screenshot).await
    }

    /// `visit_with` without screenshots.
    pub async fn visit(&self, path: &str, name: &str) -> Vec<String> {
        self.visit_with(path, name, false).await
    }

    /// Opens `path` at both widths and panics with every problem found.
    pub async fn visit_checked(&self, path: &str, name: &str) {
        let problems = self.visit(path, name).await;
        assert!(problems.is_empty(), "{path} is not right:\n{}", problems.join("\n"));
    }

    /// As `visit_checked`, and saves `NAME-desktop.png` and `NAME-phone.png`.
    pub async fn visit_and_screenshot(&self, path: &str, name: &str) {
        let problems = self.visit_with(path, name, true).await;
        assert!(problems.is_empty(), "{path} is not right:\n{}", problems.join("\n"));
    }

    /// Saves what the browser shows (the viewport) as `target/screenshots/NAME-WIDTH.png`.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        let png = self.call(Method::GET, "/screenshot", json!({})).await;
        let bytes = base64::engine::general_purpose::STANDARD.decode(png.as_str().unwrap()).expect("a base64 PNG");
        assert!(bytes.starts_with(b"\x89PNG"), "the screenshot is a PNG");
        let dir = screenshot_dir();
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join(format!("{name}-{}.png", self.width().name()));
        std::fs::write(&file, bytes).unwrap();
        file
    }

    // The keyboard.

    async fn keys(&self, actions: Vec<Value>) {
        self.call(
            Method::POST,
            "/actions",
            json!({ "actions": [{ "type": "key", "id": "keyboard", "actions": actions }] }),
        )
        .await;
        self.call(Method::DELETE, "/actions", json!({})).await;
    }

    /// Presses and releases `key` (through the WebDriver actions API: real key events).
    pub async fn press(&self, key: Key) {
        let (modifier, code) = match key {
            Key::Tab => (None, TAB),
            Key::ShiftTab => (Some(SHIFT), TAB),
            Key::Enter => (None, ENTER),
            Key::Space => (None, SPACE),
        };
        let mut actions = Vec::new();
        if let Some(m) = modifier {
            actions.push(json!({ "type": "keyDown", "value": m }));
        }
        actions.push(json!({ "type": "keyDown", "value": code }));
        actions.push(json!({ "type": "keyUp", "value": code }));
        if let Some(m) = modifier {
            actions.push(json!({ "type": "keyUp", "value": m }));
        }
        self.keys(actions).await;
    }

    /// Types `text` into whatever has the focus, key by key.
    pub async fn type_keys(&self, text: &str) {
        let actions = text
            .chars()
            .flat_map(|c| {
                [
                    json!({ "type": "keyDown", "value": c.to_string() }),
                    json!({ "type": "keyUp", "value": c.to_string() }),
                ]
            })
            .collect();
        self.keys(actions).await;
    }

    /// The element with the keyboard focus.
    pub async fn focused(&self) -> Focused {
        let v = self.js(FOCUSED).await;
        Focused {
            describe: v["describe"].as_str().unwrap().to_owned(),
            outline: v["outline"].as_str().unwrap().to_owned(),
            box_shadow: v["box_shadow"].as_str().unwrap().to_owned(),
            contrast: v["contrast"].as_f64().unwrap(),
            indicator: v["indicator"].as_bool().unwrap(),
        }
    }

    /// Whether the focused element matches `css`.
    pub async fn focus_is(&self, css: &str) -> bool {
        let script = format!(
            "return !!document.activeElement && document.activeElement.matches({});",
            serde_json::to_string(css).unwrap()
        );
        self.js(&script).await.as_bool().unwrap()
    }

    /// None when the focused element shows a focus indicator (an outline or a
    /// box-shadow with a contrast of 3:1 with the background); otherwise what is
    /// focused and its computed styles.
    pub async fn focus_problem(&self) -> Option<String> {
        let f = self.focused().await;
        (!f.indicator).then(|| f.problem())
    }

    /// Presses Tab (at most `max` times) until an element matching `css` has the focus;
    /// every element focused on the way must show a focus indicator. Panics with the
    /// path the focus took when either fails.
    pub async fn tab_to(&self, css: &str, max: usize) -> Focused {
        self.move_focus_to(Key::Tab, css, max, true).await
    }

    /// As `tab_to`, backwards (Shift+Tab).
    pub async fn shift_tab_to(&self, css: &str, max: usize) -> Focused {
        self.move_focus_to(Key::ShiftTab, css, max, true).await
    }

    /// As `tab_to`, without the focus-indicator check: for pages that are not ours (the
    /// campus identity provider's sign-in form).
    pub async fn tab_to_unchecked(&self, css: &str, max: usize) -> Focused {
        self.move_focus_to(Key::Tab, css, max, false).await
    }

    async fn move_focus_to(&self, key: Key, css: &str, max: usize, check: bool) -> Focused {
        let mut path = Vec::new();
        for _ in 0..max {
            self.press(key).await;
            let f = self.focused().await;
            if !f.indicator && check {
                panic!("on {}: {}; the focus went {}", self.url().await, f.problem(), path.join(" → "));
            }
            path.push(f.describe.clone());
            if self.focus_is(css).await {
                return f;
            }
        }
        panic!("{key:?} ×{max} never focused {css} on {}; the focus went {}", self.url().await, path.join(" → "));
    }
}
