//! The portal's patterns (`web::forms`, `web::flash`, `web::confirm`, `web::pages::Pager`,
//! see docs/portal-patterns.md), through the inbox — every item links to its thing and
//! opening it reads it; "Mark all as read" answers with Post/Redirect/Get and a message
//! shown once, by any instance — and the form partials rendered by the real template
//! registry.

use reqwest::header::{LOCATION, SET_COOKIE};
use serde_json::json;
use waypoint::core::{Clock, Problems, Secret};
use waypoint::web::flash::Flashes;
use waypoint::web::forms::{Choices, Field, Form, Values};
use waypoint::web::Templates;

use crate::helpers::{browser, count, spawn_app_with, TestApp, TEST_FORM_SECRET};
use crate::idp::{spawn_with_idp, spawn_with_idp_and};

/// The id of the user with `email`.
async fn user_id(app: &TestApp, email: &'static str) -> String {
    app.with_db(move |c| {
        use diesel::prelude::*;
        use waypoint::db::schema::users;
        users::table.filter(users::email.eq(email)).select(users::id).first(c).unwrap()
    })
    .await
}

/// Puts a message in `user`'s inbox (as every lifecycle step does); its id.
async fn tell(app: &TestApp, user: &str, title: &str, link: Option<&str>) -> String {
    let (user, title, link, now) = (user.to_owned(), title.to_owned(), link.map(str::to_owned), app.clock.now_utc());
    app.with_db(move |c| {
        use diesel::prelude::*;
        use waypoint::db::schema::notifications;
        waypoint::notify::send(
            c,
            &user,
            &waypoint::notify::Message { kind: "posting_submitted", title: title.clone(), body: "Body.".into(), link },
            now,
        )
        .unwrap();
        notifications::table
            .filter(notifications::title.eq(&title))
            .select(notifications::id)
            .first::<String>(c)
            .unwrap()
    })
    .await
}

async fn page(app: &TestApp, b: &reqwest::Client, path: &str) -> (u16, String) {
    let r = b.get(format!("{}{path}", app.address)).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

/// The unread count the navigation shows (0 when it shows none).
async fn unread(app: &TestApp, b: &reqwest::Client) -> u32 {
    let (_, html) = page(app, b, "/account").await;
    html.split("<span class=\"count\">").nth(1).and_then(|s| s.split('<').next()).map_or(0, |n| n.parse().unwrap())
}

#[tokio::test]
async fn every_inbox_item_links_to_its_thing_and_opening_it_reads_it_and_only_the_owner_s() {
    let (app, idp) = spawn_with_idp(None).await;
    let cory = app.signed_in(&idp, "counselor").await;
    let ava = app.signed_in(&idp, "student").await;
    let cory_id = user_id(&app, "cory.banks@northfield.edu").await;
    let ava_id = user_id(&app, "ava.okafor@northfield.edu").await;
    let review = tell(&app, &cory_id, "“Churn study” awaits review", Some("/review")).await;
    let plain = tell(&app, &cory_id, "Welcome to Waypoint", None).await;
    let hostile = tell(&app, &cory_id, "A link elsewhere", Some("//evil.example/x")).await;
    let avas = tell(&app, &ava_id, "Shortlisted for “Churn study”", Some("/dashboard")).await;

    let (status, inbox) = page(&app, &cory, "/inbox").await;
    assert_eq!(status, 200);
    for id in [&review, &plain, &hostile] {
        assert!(inbox.contains(&format!("<a href=\"/inbox/{id}\">")), "each item links through its opening: {inbox}");
    }
    assert!(!inbox.contains(&avas), "only the viewer's own items");
    assert!(inbox.contains("3 unread messages.") && inbox.contains("Mark all as read"), "{inbox}");
    assert_eq!(unread(&app, &cory).await, 3, "listing the inbox reads nothing");

    let r = cory.get(format!("{}/inbox/{review}", app.address)).send().await.unwrap();
    assert_eq!(r.status(), 303, "opening an item goes to its thing");
    assert_eq!(r.headers()[LOCATION], "/review");
    assert_eq!(unread(&app, &cory).await, 2, "and reads it");
    let r = cory.get(format!("{}/inbox/{review}", app.address)).send().await.unwrap();
    assert_eq!((r.status().as_u16(), r.headers()[LOCATION].to_str().unwrap()), (303, "/review"), "again, too");
    assert_eq!(unread(&app, &cory).await, 2);
    let r = cory.get(format!("{}/inbox/{plain}", app.address)).send().await.unwrap();
    assert_eq!(r.headers()[LOCATION], "/inbox", "an item about no page goes back to the inbox");
    let r = cory.get(format!("{}/inbox/{hostile}", app.address)).send().await.unwrap();
    assert_eq!(r.headers()[LOCATION], "/inbox", "never to another site");
    assert_eq!(unread(&app, &cory).await, 0);
    let (_, inbox) = page(&app, &cory, "/inbox").await;
    assert!(!inbox.contains("class=\"tag\">new<") && !inbox.contains("Mark all as read"), "{inbox}");

    // Another person's item: 404, and it stays unread.
    assert_eq!(cory.get(format!("{}/inbox/{avas}", app.address)).send().await.unwrap().status(), 404);
    assert_eq!(unread(&app, &ava).await, 1);
    // Signed out: sign in first, then back to the item.
    let r = browser().get(format!("{}/inbox/{avas}", app.address)).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()[LOCATION].to_str().unwrap(), format!("/login?return_to=%2Finbox%2F{avas}"));
    assert_eq!(unread(&app, &ava).await, 1);
}

/// The flash cookie's `Set-Cookie` lines of a response.
fn flash_cookies(r: &reqwest::Response) -> Vec<String> {
    r.headers()
        .get_all(SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .filter(|v| v.starts_with("waypoint_flash="))
        .collect()
}

const SHOWN: &str = "<div class=\"flash\" role=\"status\" aria-live=\"polite\"><p>";

#[tokio::test]
async fn after_an_action_the_next_page_says_what_was_done_once_and_a_redirect_in_between_keeps_it() {
    let (app, idp) = spawn_with_idp(None).await;
    let cory = app.signed_in(&idp, "counselor").await;
    let cory_id = user_id(&app, "cory.banks@northfield.edu").await;
    tell(&app, &cory_id, "One", Some("/review")).await;
    tell(&app, &cory_id, "Two", Some("/review")).await;

    let r = app.post_form(&cory, "/inbox", "/inbox/read", &[]).await;
    assert_eq!(r.status(), 303, "Post/Redirect/Get");
    assert_eq!(r.headers()[LOCATION], "/inbox", "to the page of the thing changed");
    let set = flash_cookies(&r);
    assert_eq!(set.len(), 1, "{set:?}");
    for flag in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=300"] {
        assert!(set[0].contains(flag), "{flag}: {}", set[0]);
    }
    assert!(!set[0].contains("Marked"), "the message is not written in clear: {}", set[0]);
    assert_eq!(count_unread(&app).await, 0);

    // A page that redirects (signed in, /login goes home) leaves the message waiting.
    let r = cory.get(format!("{}/login", app.address)).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert!(flash_cookies(&r).is_empty(), "not cleared by a page that did not show it");

    let r = cory.get(format!("{}/inbox", app.address)).send().await.unwrap();
    let cleared = flash_cookies(&r);
    let html = r.text().await.unwrap();
    assert!(html.contains(&format!("{SHOWN}Marked 2 messages as read.</p></div>")), "{html}");
    let main = html.split("<main id=\"main\" tabindex=\"-1\">").nth(1).unwrap();
    assert!(main.trim_start().starts_with(SHOWN), "at the top of the main content");
    assert_eq!(cleared.len(), 1, "cleared where shown");
    assert!(cleared[0].contains("Max-Age=0") || cleared[0].contains("1970"), "{}", cleared[0]);
    let (_, again) = page(&app, &cory, "/inbox").await;
    assert!(!again.contains("class=\"flash\""), "shown once");

    // Nothing unread: still a specific message.
    let r = app.post_form(&cory, "/inbox", "/inbox/read", &[]).await;
    assert_eq!(r.status(), 303);
    assert!(page(&app, &cory, "/inbox").await.1.contains(&format!("{SHOWN}Nothing was unread.</p>")));
}

async fn count_unread(app: &TestApp) -> i64 {
    app.with_db(|c| count(c, "SELECT COUNT(*) AS n FROM notifications WHERE read_at IS NULL")).await
}

#[tokio::test]
async fn a_message_left_on_one_instance_is_shown_by_another_to_anyone_and_a_forged_one_never() {
    const SHARED: &str = "shared-by-every-instance-0123456789abcdef";
    let (first, idp) =
        spawn_with_idp_and(crate::helpers::TestDb::new(), None, &[("WAYPOINT_FORM_SECRET", SHARED)]).await;
    let second =
        spawn_app_with(first.db.shared(), &[("WAYPOINT_FORM_SECRET", SHARED), ("WAYPOINT_PUBLIC_URL", &first.address)])
            .await;
    let cory = first.signed_in(&idp, "counselor").await;
    tell(&first, &user_id(&first, "cory.banks@northfield.edu").await, "One", None).await;
    let r = first.post_form(&cory, "/inbox", "/inbox/read", &[]).await;
    assert_eq!(r.status(), 303);
    // The page after the redirect is served by the other instance (the same browser).
    let (status, html) = page(&second, &cory, "/inbox").await;
    assert_eq!(status, 200);
    assert!(html.contains(&format!("{SHOWN}Marked 1 message as read.</p>")), "{html}");

    // Someone not signed in gets messages too: sealed with the site's form secret, any
    // instance shows it; forged, or sealed with another key, never, and it is cleared.
    let app = spawn_app_with(crate::helpers::TestDb::new(), &[]).await;
    let public = url::Url::parse(&app.address).unwrap();
    let ours = Flashes::new(Some(&Secret::new(TEST_FORM_SECRET)), &public);
    let theirs = Flashes::new(Some(&Secret::new("someone-else-s-secret-0123456789abcdef")), &public);
    let anonymous = |value: String| {
        let app = &app;
        async move {
            let r = reqwest::Client::new()
                .get(format!("{}/", app.address))
                .header("Cookie", format!("waypoint_flash={value}"))
                .send()
                .await
                .unwrap();
            (flash_cookies(&r), r.text().await.unwrap())
        }
    };
    let now = app.clock.now_utc();
    let (cleared, html) = anonymous(ours.seal("Your password is set. Please sign in.", now)).await;
    assert!(html.contains(&format!("{SHOWN}Your password is set. Please sign in.</p>")), "{html}");
    assert_eq!(cleared.len(), 1);
    let sealed = ours.seal("Offer sent to Dana Kim", now);
    let (text, _) = sealed.rsplit_once('.').unwrap();
    let forged = format!("{text}.{}", theirs.seal("x", now).rsplit_once('.').unwrap().1);
    for bad in [theirs.seal("Your account is locked: call 555-0100", now), forged, "junk".to_owned()] {
        let (cleared, html) = anonymous(bad).await;
        assert!(!html.contains("class=\"flash\""), "{html}");
        assert_eq!(cleared.len(), 1, "a bad cookie is cleared");
    }
    let old = ours.seal("Long ago", now - chrono::Duration::minutes(6));
    assert!(!anonymous(old).await.1.contains("Long ago"), "too old");
    let (_, html) = anonymous(ours.seal("<script>alert(1)</script>", now)).await;
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !html.contains("<script>"), "shown as text");
}

#[tokio::test]
async fn inbox_pages_say_where_they_are_and_a_page_past_the_end_goes_to_the_last() {
    let (app, idp) = spawn_with_idp(None).await;
    let cory = app.signed_in(&idp, "counselor").await;
    let cory_id = user_id(&app, "cory.banks@northfield.edu").await;
    for i in 0..30 {
        tell(&app, &cory_id, &format!("Message {i:02}"), Some("/review")).await;
    }
    let r = cory.get(format!("{}/inbox?page=99", app.address)).send().await.unwrap();
    assert_eq!(r.status(), 303, "not \"Page 99 of 2\"");
    assert_eq!(r.headers()[LOCATION], "/inbox?page=2");
    let (status, html) = page(&app, &cory, "/inbox?page=2").await;
    assert_eq!(status, 200);
    assert!(html.contains("Page 2 of 2"), "{html}");
    assert!(html.contains("<a href=\"/inbox?page&#x3D;1\">First page</a>"), "{html}");
    assert!(html.contains("rel=\"prev\"") && !html.contains("rel=\"next\"") && !html.contains("Last page"));
    assert_eq!(html.matches("<a href=\"/inbox/").count(), 5, "the last five");
    let (_, first) = page(&app, &cory, "/inbox").await;
    assert!(first.contains("Page 1 of 2") && first.contains("Last page") && !first.contains("First page"));
    assert_eq!(first.matches("<a href=\"/inbox/").count(), 25);
    let (status, html) = page(&app, &cory, "/inbox?page=0").await;
    assert!(status == 200 && html.contains("Page 1 of 2"), "before the first, or not a number: the first");
}

fn templates() -> Templates {
    Templates::load(&Clock::system(chrono_tz::America::New_York)).expect("templates")
}

/// A form with every kind of field, as a handler makes it (see docs/portal-patterns.md).
pub fn sample_form() -> Form {
    Form::new([
        Field::text("title", "Project title").required().hint("What the student will make, in a few words"),
        Field::email("contact", "Contact email").required(),
        Field::url("website", "Website").optional(),
        Field::number("hours", "Hours of work").required().hint("From 5 to 40"),
        Field::date("due_by", "Due by").required(),
        Field::textarea("description", "What the student will do").required(),
        Field::select("currency", "Currency", Choices::currencies()).required().placeholder("Choose a currency"),
        Field::checkboxes("class_years", "Class years", Choices::class_years(2026, 2029)).optional(),
        Field::radios("mode", "Where", Choices::new([("remote", "Remote"), ("onsite", "On site")])).required(),
    ])
}

/// What a person submitted (with mistakes), and the problems a rule found.
pub fn refused_form() -> Form {
    let typed = Values::from_pairs([
        ("title", "Churn \"study\" <b>&</b>"),
        ("contact", "dana at example"),
        ("hours", "twelve"),
        ("due_by", ""),
        ("description", "\nFirst line kept after a blank one.\n  Indented second line."),
        ("currency", "EUR"),
        ("class_years", "2027"),
        ("class_years", "2029"),
        ("mode", ""),
        ("csrf_token", "secret-token"),
    ]);
    let mut problems = Problems::new();
    problems.add("hours", "must be a whole number from 5 to 40");
    problems.add("contact", "is not an email address");
    problems.add("mode", "choose remote or on site");
    problems.add("due_by", "is required");
    sample_form().with_values(typed).with_problems(problems)
}

#[test]
fn the_form_partials_show_labels_kept_values_aria_and_a_summary_linking_each_field() {
    let t = templates();
    // Included indented, as pages do: the partial's lines get no indentation added.
    let page = "{{> partials/error_summary form}}\n<form method=\"post\" action=\"/x\" novalidate>\n    {{#each form.list}}\n    {{> partials/field this}}\n    {{/each}}\n</form>";
    let html = t.render_str(page, &json!({ "form": refused_form() })).unwrap();
    let has = |part: &str| assert!(html.contains(part), "{part}\n---\n{html}");

    // The summary: focusable, landed on, a link to each field in the form's order, in labels.
    has(
        r#"<div class="error-summary" id="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1" autofocus>"#,
    );
    has(r#"<h2 id="error-summary-title">Please correct the following</h2>"#);
    let links: Vec<&str> = html.match_indices("<li><a href=\"#").map(|(i, _)| &html[i + 14..]).collect();
    let targets: Vec<&str> = links.iter().map(|l| l.split('"').next().unwrap()).collect();
    assert_eq!(targets, ["field-contact", "field-hours", "field-due_by", "field-mode"], "all at once, in form order");
    has(r##"<a href="#field-hours">Hours of work: must be a whole number from 5 to 40</a>"##);
    has(r##"<a href="#field-contact">Contact email: is not an email address</a>"##);
    for name in ["hours:", "contact:", "due_by:", "mode:"] {
        assert!(!html.contains(name), "no internal name is shown: {name}");
    }
    // Each summary link lands on an element with that id.
    for target in &targets {
        has(&format!("id=\"{target}\""));
    }

    // A field in error: its label, its hint and error, aria-invalid and aria-describedby.
    has(r#"<label for="field-hours">Hours of work</label>"#);
    has(r#"<p class="hint" id="field-hours-hint">From 5 to 40</p>"#);
    has(
        r#"<p class="field-error" id="field-hours-error"><span class="visually-hidden">Error: </span>Hours of work: must be a whole number from 5 to 40</p>"#,
    );
    has(
        r#"<input id="field-hours" name="hours" type="text" value="twelve" inputmode="numeric" required aria-invalid="true" aria-describedby="field-hours-hint field-hours-error">"#,
    );
    has(
        r#"<input id="field-contact" name="contact" type="email" value="dana at example" autocomplete="email" required aria-invalid="true" aria-describedby="field-contact-error">"#,
    );
    has(
        r#"<input id="field-due_by" name="due_by" type="date" value="" required aria-invalid="true" aria-describedby="field-due_by-error">"#,
    );
    // A valid field: kept as typed (escaped for HTML, so the browser shows it exactly),
    // no aria-invalid, described by its hint only.
    has(
        r#"<input id="field-title" name="title" type="text" value="Churn &quot;study&quot; &lt;b&gt;&amp;&lt;/b&gt;" required aria-describedby="field-title-hint">"#,
    );
    has(r#"<label for="field-website">Website <span class="hint">(optional)</span></label>"#);
    has(r#"<input id="field-website" name="website" type="url" value="">"#);
    // The textarea keeps its text exactly: the line break after the tag is the browser's
    // to drop, the typed leading blank line and indentation stay.
    has("<textarea id=\"field-description\" name=\"description\" rows=\"6\" required>\n\nFirst line kept after a blank one.\n  Indented second line.</textarea>");
    // A select from a known list, the kept choice selected.
    has(r#"<select id="field-currency" name="currency" required>"#);
    has(r#"<option value="">Choose a currency</option>"#);
    has(r#"<option value="EUR" selected>Euros (EUR)</option>"#);
    has(r#"<option value="USD">US dollars (USD)</option>"#);
    // Checkboxes: a fieldset whose legend is the label; the kept ones checked.
    has(r#"<fieldset class="field field-group">"#);
    has(r#"<legend>Class years <span class="hint">(optional)</span></legend>"#);
    has(
        r#"<input type="checkbox" id="field-class_years" name="class_years" value="2026"> <label for="field-class_years">2026</label>"#,
    );
    has(
        r#"<input type="checkbox" id="field-class_years-2" name="class_years" value="2027" checked> <label for="field-class_years-2">2027</label>"#,
    );
    has(r#"value="2029" checked>"#);
    // Radio buttons in error: the fieldset is described by the error, each button invalid.
    has(r#"<fieldset class="field field-group field-invalid" aria-describedby="field-mode-error">"#);
    has(
        r#"<input type="radio" id="field-mode" name="mode" value="remote" aria-invalid="true"> <label for="field-mode">Remote</label>"#,
    );
    assert!(!html.contains("secret-token"), "the form token is not a field");

    // The same form as first shown: no summary, nothing invalid.
    let fresh = t
        .render_str(page, &json!({ "form": sample_form().with_values(Values::new().with("currency", "USD")) }))
        .unwrap();
    assert!(!fresh.contains("error-summary") && !fresh.contains("aria-invalid") && !fresh.contains("field-error"));
    assert!(fresh.contains(r#"<option value="USD" selected>US dollars (USD)</option>"#));
}
