//! The admin's API tokens page and the API reference in a real browser: the list, the
//! refused form (landing on its summary), the page that shows a new token once, the
//! revocation question and the list after it (with its message) pass axe-core at
//! desktop and phone width and fit a phone; /api/docs too, under the portal's CSP.

use super::harness::Chromium;
use crate::helpers::{spawn_app_with, TestDb};

#[tokio::test]
async fn the_token_page_and_the_api_reference_pass_axe_and_fit_a_phone() {
    let app = spawn_app_with(TestDb::new(), &[("WAYPOINT_DEMO", "true")]).await;
    let b = Chromium::start(&app.address).await;
    let mut problems = b.visit("/api/docs", "api-docs").await;
    assert!(b.source().await.contains("GET /api/v1/employers"), "the reference lists the calls");

    // An administrator of the demo data signs in at the demo provider.
    b.goto("/auth/login").await;
    b.wait_for_text("Career counselors").await;
    let admin = app
        .with_db(|c| {
            use diesel::prelude::*;
            use waypoint::db::schema::user_roles;
            user_roles::table
                .filter(user_roles::role.eq("admin"))
                .select(user_roles::user_id)
                .first::<String>(c)
                .unwrap()
        })
        .await;
    b.click(&format!("form:has(input[name='person'][value='user:{admin}']) button")).await;
    b.wait_for_text("Sign out").await;

    problems.extend(b.visit("/admin/tokens", "api-tokens").await);
    // Refused: every problem at once, the page on its summary.
    b.type_into("#field-expires_days", "ten").await;
    b.click("form[action='/admin/tokens'] button[type='submit']").await;
    b.wait_for_text("Please correct the following").await;
    problems.extend(b.check_both_here("api-tokens-refused").await);
    // Made: the secret shown once, to copy.
    b.js("document.querySelector('#field-expires_days').value = ''; return true;").await;
    b.type_into("#field-name", "Data warehouse").await;
    b.type_into("#field-expires_days", "30").await;
    b.click("input[name='scopes'][value='reports:read']").await;
    b.click("form[action='/admin/tokens'] button[type='submit']").await;
    let made = b.wait_for_text("shown only this once").await;
    assert!(made.contains("value=\"wpt_"), "the secret in its field");
    problems.extend(b.check_both_here("api-token-made").await);
    // Revoked after the question, with the message on the list.
    b.goto("/admin/tokens").await;
    b.click("form[action$='/revoke'] button").await;
    b.wait_for_text("Revoke the API token").await;
    problems.extend(b.check_both_here("api-token-revoke-question").await);
    b.click("main form button.button-danger").await;
    b.wait_for_text("revoked: calls with it are refused").await;
    problems.extend(b.check_both_here("api-tokens-after-revoke").await);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
