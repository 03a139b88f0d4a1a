//! A student's whole journey with the keyboard only, in a real browser: sign in through
//! the campus identity provider (the tests' real OpenID provider), search the catalogue,
//! open a posting, apply; then, on a phone, open the folded menu and the folded filters.
//! Every element focused on our pages shows a focus indicator.

use super::harness::{Chromium, Key, Width};
use crate::fixtures::{employer, posting, student, Posting};
use crate::helpers::count;
use crate::idp::spawn_with_idp;

const STATEMENT: &str = "I compare prices for my family's shop every week, in a spreadsheet.";

#[tokio::test]
async fn a_student_signs_in_searches_and_applies_with_the_keyboard_only() {
    let (app, idp) = spawn_with_idp(None).await;
    let ledgerwise = employer(&app, "Ledgerwise", "Financial Technology", Some("ledgerwise.com"), "active").await;
    let scan = posting(&app, &ledgerwise, Posting::default()).await;
    posting(
        &app,
        &ledgerwise,
        Posting {
            title: "Onboarding emails",
            description: "Write five onboarding emails.",
            skills: "writing",
            ..Default::default()
        },
    )
    .await;
    // The tests' provider signs "student" in as Ava Okafor, on the roster by her email.
    student(&app, "N10000001", "ava.okafor@northfield.edu", "Business", "Economics", 2027).await;
    let b = Chromium::start(&app.address).await;

    // The first Tab reaches the skip link, shown when focused; Enter moves to the content.
    b.goto("/").await;
    b.tab_to(".skip-link", 1).await;
    assert!(b.is_shown(".skip-link").await, "the skip link shows when focused");
    b.press(Key::Enter).await;
    assert!(b.focus_is("main").await, "the skip link moves the focus to the content: {:?}", b.focused().await);

    // Sign in: the header's link, the campus sign-in button, the provider's form.
    b.goto("/").await;
    b.tab_to("a[href='/login']", 10).await;
    b.press(Key::Enter).await;
    b.wait_for_url("/login").await;
    b.tab_to("a[href^='/auth/login']", 10).await;
    b.press(Key::Enter).await;
    b.wait_for_url(&idp.issuer).await;
    b.wait_for_text("name=\"login\"").await;
    if !b.focus_is("input[name='login']").await {
        b.tab_to_unchecked("input[name='login']", 10).await;
    }
    b.type_keys("student").await;
    b.tab_to_unchecked("input[name='password']", 3).await;
    b.type_keys("any password").await;
    b.press(Key::Enter).await;
    b.wait_for_url(&app.address).await;
    let home = b.wait_for_text("Sign out").await;
    assert!(home.contains("Signed in as <strong>Ava Okafor</strong>"), "signed in as the student");

    // The catalogue, from the navigation; a search typed and sent with Enter.
    b.tab_to("nav a[href='/opportunities']", 10).await;
    b.press(Key::Enter).await;
    b.wait_for_url("/opportunities").await;
    b.tab_to("#f-q", 20).await;
    b.type_keys("pricing").await;
    b.press(Key::Enter).await;
    b.wait_for_url("q=pricing").await;
    let results = b.wait_for_text(" found.</p>").await;
    assert!(results.contains("1 project found") && results.contains("Competitor pricing scan"), "{results}");
    // On a wide screen the filters are in the Tab order on the way to the results.
    b.tab_to("#f-q", 20).await;
    b.tab_to("#f-skills", 3).await;
    b.tab_to(".listing h2 a", 30).await;
    b.press(Key::Enter).await;
    b.wait_for_url(&format!("/opportunities/{scan}")).await;

    // Apply: the statement, then the button, pressed with Space.
    b.tab_to("#field-statement", 30).await;
    b.type_keys(STATEMENT).await;
    b.tab_to("form[action$='/apply'] button[type='submit']", 5).await;
    b.screenshot("keyboard-apply").await;
    b.press(Key::Space).await;
    let application = b.wait_for_url("/applications/").await;
    b.wait_for_text("Application: Competitor pricing scan").await;
    let sql = format!(
        "SELECT COUNT(*) AS n FROM applications WHERE opportunity_id = '{scan}' AND statement = '{}'",
        STATEMENT.replace('\'', "''")
    );
    assert_eq!(app.with_db(move |c| count(c, &sql)).await, 1, "the application is stored with the typed statement");

    // On a phone: the folded menu opens with Enter and leads to the dashboard.
    b.set_width(Width::Phone).await;
    b.goto(&application).await;
    b.tab_to("details.menu > summary", 5).await;
    b.screenshot("keyboard-menu").await;
    assert!(!b.is_shown("nav a[href='/dashboard']").await, "the menu is folded");
    b.press(Key::Enter).await;
    b.tab_to("nav a[href='/dashboard']", 10).await;
    b.press(Key::Enter).await;
    b.wait_for_url("/dashboard").await;
    assert!(
        b.wait_for_text("Competitor pricing scan").await.contains("href=\"/applications/"),
        "the dashboard lists it"
    );
    b.visit_checked("/dashboard", "dashboard-after-applying").await;
    b.set_width(Width::Phone).await;

    // The folded filters open with Space; a skill typed there and Enter filter the list.
    b.goto("/opportunities").await;
    b.tab_to("details.fold > summary", 20).await;
    assert!(!b.is_shown("#f-skills").await, "the filters are folded on a phone");
    b.press(Key::Space).await;
    b.tab_to("#f-skills", 3).await;
    b.type_keys("writing").await;
    b.press(Key::Enter).await;
    b.wait_for_url("skills=writing").await;
    let filtered = b.wait_for_text(" found.</p>").await;
    assert!(filtered.contains("1 project found") && filtered.contains("Onboarding emails"), "{filtered}");
    assert!(b.is_shown("#f-skills").await, "with a filter set, the filters come back unfolded");
    let problems = b.check_here("catalogue-filtered").await;
    assert!(problems.is_empty(), "{problems:?}");
}
