//! The browser checks themselves can fail: deliberately bad pages, served by a throwaway
//! HTTP server in the test, are reported with the problem and the element at fault; a
//! clean page is not.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;

use super::harness::{Chromium, Key, Width};

const HEAD: &str = r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Planted page</title>
<style>body { font: 16px/1.5 sans-serif; margin: 0; padding: 1rem; color: #1b1f24; background: #fff; }
a:focus, button:focus, input:focus, [tabindex]:focus { outline: 3px solid #1b1f24; }</style></head><body><main><h1>Planted page</h1>"#;

fn page(path: &str) -> Option<String> {
    let body = match path {
        "/clean" => {
            r#"<p>Readable text.</p><label for="q">Search</label> <input id="q" name="q">
            <div tabindex="0" role="region" aria-label="Wide table" style="overflow-x: auto"><table><tr><th scope="col">A very wide column</th></tr>
            <tr><td><div style="width: 900px">Wide, but inside its own scroll region.</div></td></tr></table></div>
            <p><button type="button">Go</button></p>"#
        }
        "/unlabelled" => r#"<p>Your name, please:</p><input id="who" name="who">"#,
        "/low-contrast" => r#"<p class="faint" style="color: #b8b8b8">Grey words on white nobody can read.</p>"#,
        "/wide" => {
            r#"<p>A banner:</p><div class="banner" style="width: 600px; background: #eef">Six hundred pixels of banner.</div>"#
        }
        "/no-focus" => r#"<p><button type="button" class="bare" style="outline: none">Press me</button></p>"#,
        "/pale-focus" => {
            r#"<p><a href="/clean" class="pale">A link with a pale ring</a></p>
            <style>a.pale:focus { outline: 3px solid #f0b400; }</style>"#
        }
        "/boxed" => {
            r#"<div class="box" style="overflow: hidden"><div style="width: 600px">Cut off in a box.</div></div>"#
        }
        "/clipped" => {
            r#"<style>body { overflow-x: hidden }</style><div style="width: 600px">Cut off on a phone.</div>"#
        }
        _ => return None,
    };
    Some(format!("{HEAD}{body}</main></body></html>"))
}

/// A tiny HTTP/1.1 server of the planted pages on a free port (one thread, closes each
/// connection after its answer). The thread ends with the test process.
fn serve_planted_pages() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut line = String::new();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            if reader.read_line(&mut line).is_err() {
                continue;
            }
            // The rest of the request head.
            let mut header = String::new();
            while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
                header.clear();
            }
            let path = line.split_whitespace().nth(1).unwrap_or("/").to_owned();
            let (status, body) = match page(&path) {
                Some(html) => ("200 OK", html),
                None => ("404 Not Found", format!("{HEAD}<p>No such page.</p></main></body></html>")),
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    address
}

fn reported(problems: &[String], needle: &str) -> bool {
    problems.iter().any(|p| p.contains(needle))
}

#[tokio::test]
async fn the_browser_checks_report_unlabelled_fields_low_contrast_wide_pages_and_invisible_focus() {
    let site = serve_planted_pages();
    let b = Chromium::start(&site).await;

    // The control: a clean page (with a wide table in its own scroll region) passes.
    let clean = b.visit("/clean", "clean").await;
    assert!(clean.is_empty(), "a clean page is reported: {clean:?}");

    let unlabelled = b.visit("/unlabelled", "unlabelled").await;
    assert!(
        reported(&unlabelled, "unlabelled @ desktop: label (critical)") && reported(&unlabelled, "#who"),
        "the unlabelled field is reported, with its element: {unlabelled:?}"
    );
    assert!(reported(&unlabelled, "unlabelled @ phone: label"), "at phone width too: {unlabelled:?}");

    let faint = b.visit("/low-contrast", "low-contrast").await;
    assert!(
        reported(&faint, "color-contrast (serious)") && reported(&faint, "foreground color: #b8b8b8"),
        "the low-contrast text is reported, with its element: {faint:?}"
    );

    // 600 px fits a desktop, not a 390 px phone: reported there only, naming the banner.
    let wide = b.visit("/wide", "wide").await;
    assert!(!reported(&wide, "wide @ desktop"), "nothing is wrong at 1280 px: {wide:?}");
    assert!(reported(&wide, "wide @ phone: scrolls sideways: the page is"), "{wide:?}");
    assert!(
        reported(&wide, "wide @ phone: wider than the screen: div.banner \"Six hundred pixels of banner.\" reaches"),
        "{wide:?}"
    );

    // Hiding the overflow is not a fix: the content is cut off.
    let clipped = b.visit("/clipped", "clipped").await;
    assert!(reported(&clipped, "clipped @ phone: body hides what overflows sideways"), "{clipped:?}");
    let boxed = b.visit("/boxed", "boxed").await;
    assert!(
        reported(&boxed, "boxed @ phone: hides what is too wide: div.box \"Cut off in a box.\" cuts off"),
        "{boxed:?}"
    );
    assert!(!reported(&boxed, "boxed @ desktop"), "{boxed:?}");

    // The viewport really is 390 px at phone width (and 1280 at desktop).
    b.set_width(Width::Phone).await;
    b.goto("/clean").await;
    assert_eq!(
        b.js("return [window.innerWidth, document.documentElement.clientWidth]").await,
        serde_json::json!([390, 390])
    );
    b.set_width(Width::Desktop).await;
    b.goto("/clean").await;
    assert_eq!(b.js("return window.innerWidth").await, 1280);

    // The keyboard: Tab reaches the button, whose focus indicator is missing.
    b.goto("/no-focus").await;
    b.press(Key::Tab).await;
    let f = b.focused().await;
    assert!(f.describe.starts_with("button[type=button] \"Press me\""), "{f:?}");
    let problem = b.focus_problem().await.expect("the missing focus indicator is reported");
    assert!(problem.contains("no visible focus indicator on button"), "{problem}");
    // An amber ring on white (1.87:1) is drawn but too faint to count.
    b.goto("/pale-focus").await;
    b.press(Key::Tab).await;
    let problem = b.focus_problem().await.expect("the faint focus indicator is reported");
    assert!(
        problem.contains("no visible focus indicator on a[href=/clean]")
            && problem.contains("contrast with the background 1.87:1"),
        "{problem}"
    );
    // On the clean page the same moves find indicators, and Shift+Tab goes back.
    b.goto("/clean").await;
    b.tab_to("input#q", 3).await;
    b.tab_to("button", 3).await;
    b.shift_tab_to("input#q", 3).await;
    assert_eq!(b.focus_problem().await, None);

    // Screenshots are PNGs under target/screenshots/.
    let shot = b.screenshot("planted-clean").await;
    assert!(shot.ends_with("screenshots/planted-clean-desktop.png"), "{}", shot.display());
    assert!(std::fs::read(&shot).unwrap().starts_with(b"\x89PNG"));
}
