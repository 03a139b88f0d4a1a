//! Forms and their tokens: the one CSRF check (urlencoded forms, uploads, the API), and
//! the form secret that lets several instances accept each other's sign-in forms.

use crate::helpers::{browser, spawn_app_with, TestApp, TestDb};
use crate::idp::csrf_token;

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
