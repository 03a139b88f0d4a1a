//! Who may open what: every portal route, tried as anonymous and as every role,
//! against one expected table. And the admin's roles page, and the demo provider.

use crate::helpers::{browser, count, spawn_app_with, TestDb};
use crate::idp::{csrf_token, spawn_with_idp};
use crate::recruiters::a_recruiter;

const WHO: [&str; 6] = ["anonymous", "student", "faculty", "counselor", "admin", "recruiter"];

#[tokio::test]
async fn access_matrix_of_every_portal_route() {
    let (app, idp) = spawn_with_idp(None).await;
    let recruiter = a_recruiter(&app, &idp).await;
    crate::fixtures::student(&app, "N1", "ava.okafor@northfield.edu", "School of Business", "Finance", 2027).await;
    let people = [
        browser(),
        app.signed_in(&idp, "student").await,
        app.signed_in(&idp, "faculty").await,
        app.signed_in(&idp, "counselor").await,
        app.signed_in(&idp, "admin").await,
        recruiter,
    ];
    //                                              anon student faculty counsel admin recruit
    let gets: &[(&str, [u16; 6])] = &[
        ("/", [200, 200, 200, 200, 200, 200]),
        ("/login", [200, 303, 303, 303, 303, 303]),
        ("/login/recruiter", [200, 303, 303, 303, 303, 303]),
        ("/auth/login", [303, 303, 303, 303, 303, 303]),
        ("/auth/callback", [400, 400, 400, 400, 400, 400]),
        ("/account", [303, 200, 200, 200, 200, 200]),
        ("/recruiters/invite", [303, 403, 403, 200, 200, 403]),
        ("/admin/roles", [303, 403, 403, 403, 200, 403]),
        ("/admin/audit", [303, 403, 403, 403, 200, 403]),
        ("/invitations/unknown-token", [404, 404, 404, 404, 404, 404]),
        ("/inbox", [303, 200, 200, 200, 200, 200]),
        ("/inbox/no-such-item", [303, 404, 404, 404, 404, 404]),
        ("/employers", [303, 403, 403, 200, 200, 404]),
        ("/employers?q=a&status=active&sort=tier", [303, 403, 403, 200, 200, 404]),
        ("/employers/new", [303, 403, 403, 200, 200, 404]),
        ("/employers/import", [303, 403, 403, 200, 200, 404]),
        ("/employers/no-such-employer", [303, 403, 403, 404, 404, 404]),
        ("/employers/no-such-employer/edit", [303, 403, 403, 404, 404, 404]),
        ("/employers/no-such-employer/postings/new", [303, 403, 403, 404, 404, 404]),
        ("/opportunities", [303, 200, 200, 200, 200, 404]),
        ("/opportunities?q=data&remote=remote&sort=fee", [303, 200, 200, 200, 200, 404]),
        ("/opportunities/no-such-posting", [303, 404, 404, 404, 404, 404]),
        ("/partners", [303, 200, 200, 200, 200, 404]),
        ("/partners/no-such-employer", [303, 404, 404, 404, 404, 404]),
        ("/workspace", [303, 403, 403, 403, 403, 200]),
        ("/workspace/profile", [303, 403, 403, 403, 403, 200]),
        ("/workspace/postings/no-such-posting", [303, 403, 403, 404, 404, 404]),
        ("/workspace/postings/new", [303, 403, 403, 403, 403, 200]),
        ("/postings/no-such-posting", [303, 403, 403, 404, 404, 404]),
        ("/postings/no-such-posting/edit", [303, 403, 403, 404, 404, 404]),
        ("/review", [303, 403, 403, 200, 200, 403]),
        ("/students", [303, 403, 403, 200, 200, 404]),
        ("/students?q=n1&page=2", [303, 403, 403, 303, 303, 404]),
        ("/students/no-such-student", [303, 403, 403, 404, 404, 404]),
        ("/projects", [303, 403, 403, 200, 200, 404]),
        ("/projects?status=active&overdue=yes&unpaid=yes", [303, 403, 403, 200, 200, 404]),
        ("/dashboard", [303, 200, 403, 403, 403, 403]),
        ("/applications/no-such-application", [303, 404, 403, 404, 404, 404]),
        ("/engagements/no-such-engagement", [303, 404, 403, 404, 404, 404]),
        ("/workspace/sessions/no-such-session", [303, 403, 403, 403, 403, 404]),
        ("/endorsements", [303, 200, 200, 200, 200, 404]),
        ("/endorsements/new", [303, 403, 200, 403, 403, 403]),
        ("/endorsements/new?q=ava", [303, 403, 200, 403, 403, 403]),
        ("/endorsements/requests/new", [303, 200, 403, 403, 403, 403]),
        ("/endorsements/no-such-endorsement", [303, 404, 404, 404, 404, 404]),
        ("/endorsements/no-such-endorsement/edit", [303, 403, 404, 403, 403, 403]),
        ("/endorsements/requests/no-such-request", [303, 404, 404, 404, 404, 404]),
        ("/dev-idp/.well-known/openid-configuration", [404, 404, 404, 404, 404, 404]),
        ("/dev-idp/authorize", [404, 404, 404, 404, 404, 404]),
        ("/healthz", [200, 200, 200, 200, 200, 200]),
        ("/readyz", [200, 200, 200, 200, 200, 200]),
        ("/metrics", [200, 200, 200, 200, 200, 200]),
        ("/assets/site.css", [200, 200, 200, 200, 200, 200]),
        ("/no-such-page", [404, 404, 404, 404, 404, 404]),
    ];
    // A path, the form posted to it, and the status each person gets.
    type Post<'a> = (&'a str, &'a [(&'a str, &'a str)], [u16; 6]);
    let posts: &[Post] = &[
        ("/recruiters/invite", &[("employer_id", ""), ("email", "x"), ("name", "")], [303, 403, 403, 422, 422, 403]),
        ("/admin/roles/grant", &[("role", "dean"), ("email", "x@northfield.edu")], [303, 403, 403, 403, 422, 403]),
        ("/admin/roles/revoke", &[("role", "dean"), ("email", "x@northfield.edu")], [303, 403, 403, 403, 422, 403]),
        ("/dev-idp/token", &[("grant_type", "authorization_code")], [404, 404, 404, 404, 404, 404]),
        ("/inbox/read", &[], [303, 303, 303, 303, 303, 303]),
        ("/employers", &[("name", ""), ("industry", ""), ("tier", "gold")], [303, 403, 403, 422, 422, 404]),
        ("/employers/no-such-employer/status", &[("to", "paused")], [303, 403, 403, 404, 404, 404]),
        ("/employers/no-such-employer/edit", &[("name", "x"), ("industry", "y")], [303, 403, 403, 404, 404, 404]),
        ("/employers/no-such-employer/partnerships", &[("tier", "gold")], [303, 403, 403, 404, 404, 404]),
        ("/employers/no-such-employer/postings", &[("title", "")], [303, 403, 403, 404, 404, 404]),
        ("/workspace/profile", &[("industry", "")], [303, 403, 403, 403, 403, 422]),
        ("/workspace/postings", &[("title", "")], [303, 403, 403, 403, 403, 422]),
        ("/postings/no-such-posting/move", &[("to", "open")], [303, 403, 403, 404, 404, 404]),
        ("/opportunities/no-such-posting/apply", &[("statement", "hello")], [303, 404, 403, 403, 403, 403]),
        ("/applications/no-such-application/move", &[("to", "withdrawn")], [303, 404, 403, 404, 404, 404]),
        ("/engagements/no-such-engagement/move", &[("step", "deliver")], [303, 404, 403, 404, 404, 404]),
        (
            "/engagements/no-such-engagement/payment",
            &[("amount", "1"), ("paid_on", "2026-01-01")],
            [303, 403, 403, 404, 404, 404],
        ),
        (
            "/offers/no-such-offer/decision",
            &[("decision", "accepted"), ("decided_on", "2026-01-01")],
            [303, 403, 403, 404, 404, 404],
        ),
    ];
    let mut wrong = Vec::new();
    for (path, expected) in gets {
        for (i, b) in people.iter().enumerate() {
            let got = b.get(format!("{}{path}", app.address)).send().await.unwrap().status().as_u16();
            if got != expected[i] {
                wrong.push(format!("GET {path} as {}: {got}, expected {}", WHO[i], expected[i]));
            }
        }
    }
    for (path, fields, expected) in posts {
        for (i, b) in people.iter().enumerate() {
            let page = b.get(format!("{}/account", app.address)).send().await.unwrap().text().await.unwrap();
            let token = csrf_token(&page).unwrap_or_default();
            let mut form: Vec<(&str, &str)> = vec![("csrf_token", token.as_str())];
            form.extend_from_slice(fields);
            let got = b
                .post(format!("{}{path}", app.address))
                .header("Origin", &app.address)
                .form(&form)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16();
            if got != expected[i] {
                wrong.push(format!("POST {path} as {}: {got}, expected {}", WHO[i], expected[i]));
            }
        }
    }
    assert!(wrong.is_empty(), "access matrix differs:\n{}", wrong.join("\n"));
    // Everyone is still signed in: nothing above signed anyone out.
    for (i, b) in people.iter().enumerate().skip(1) {
        assert!(app.account_page(b).await.is_some(), "{}", WHO[i]);
    }
}

#[tokio::test]
async fn admins_grant_and_revoke_roles_in_the_portal() {
    let (app, idp) = spawn_with_idp(None).await;
    let admin = app.signed_in(&idp, "admin").await;
    let r = app
        .post_form(
            &admin,
            "/admin/roles",
            "/admin/roles/grant",
            &[("email", "ava.okafor@northfield.edu"), ("role", "counselor")],
        )
        .await;
    assert_eq!(r.status(), 303, "Post/Redirect/Get");
    assert_eq!(r.headers()["location"], "/admin/roles");
    let page = admin.get(format!("{}/admin/roles", app.address)).send().await.unwrap().text().await.unwrap();
    assert!(
        page.contains(
            "No one has signed in with ava.okafor@northfield.edu yet: the counselor role will apply at their first sign-in."
        ),
        "{page}"
    );
    assert!(pending_section(&page).contains("ava.okafor@northfield.edu"), "listed as pending");
    // The student signs in through the campus provider and is a counselor too; the page
    // lists the grant, no longer pending.
    let ava = app.signed_in(&idp, "student").await;
    assert_eq!(ava.get(format!("{}/recruiters/invite", app.address)).send().await.unwrap().status(), 200);
    let roles = admin.get(format!("{}/admin/roles", app.address)).send().await.unwrap().text().await.unwrap();
    assert!(!pending_section(&roles).contains("ava.okafor@northfield.edu"), "applied, so no longer pending");
    let row = concat!(
        "<td data-label=\"Email\">ava.okafor@northfield.edu</td>",
        "<td data-label=\"Role\">counselor</td><td data-label=\"From\">grant</td>"
    );
    assert!(roles.contains(row), "{roles}");
    let r = app
        .post_form(
            &admin,
            "/admin/roles",
            "/admin/roles/revoke",
            &[("email", "ava.okafor@northfield.edu"), ("role", "counselor")],
        )
        .await;
    assert_eq!(r.status(), 200, "revoking asks first");
    assert!(r.text().await.unwrap().contains("Revoke the Career counselor role from ava.okafor@northfield.edu?"));
    assert_eq!(
        ava.get(format!("{}/recruiters/invite", app.address)).send().await.unwrap().status(),
        200,
        "without the answer nothing changed"
    );
    let r = app
        .post_form(
            &admin,
            "/admin/roles",
            "/admin/roles/revoke",
            &[("email", "ava.okafor@northfield.edu"), ("role", "counselor"), ("confirm", "yes")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let page = admin.get(format!("{}/admin/roles", app.address)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Revoked counselor from ava.okafor@northfield.edu."), "{page}");
    assert_eq!(
        ava.get(format!("{}/recruiters/invite", app.address)).send().await.unwrap().status(),
        403,
        "at once, in the open session"
    );
    let r = app
        .post_form(&admin, "/admin/roles", "/admin/roles/grant", &[("email", "not-an-email"), ("role", "admin")])
        .await;
    assert_eq!(r.status(), 422);
    let audit = admin.get(format!("{}/admin/audit", app.address)).send().await.unwrap().text().await.unwrap();
    assert!(audit.contains("Role: granted") && audit.contains("Role: revoked") && audit.contains("Auth: signed in"));
    assert!(audit.contains("Role: grant applied"), "applying the pending grant at sign-in is audited");
}

/// The roles page's section of grants waiting for a first sign-in.
fn pending_section(page: &str) -> &str {
    let start = page.find("id=\"pending-title\"").expect("the roles page lists pending grants");
    &page[start..page[start..].find("</section>").map_or(page.len(), |end| start + end)]
}

#[tokio::test]
async fn a_pending_grant_revoked_before_the_first_sign_in_never_applies() {
    let (app, idp) = spawn_with_idp(None).await;
    let admin = app.signed_in(&idp, "admin").await;
    // Dana is a counselor by her groups; an admin grant waits for her first sign-in.
    let r = app
        .post_form(
            &admin,
            "/admin/roles",
            "/admin/roles/grant",
            &[("email", "Dana.Wu@northfield.edu"), ("role", "admin")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let page = admin.get(format!("{}/admin/roles", app.address)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("the admin role will apply at their first sign-in"));
    let roles = admin.get(format!("{}/admin/roles", app.address)).send().await.unwrap().text().await.unwrap();
    let pending = pending_section(&roles);
    assert!(
        pending.contains("<td data-label=\"Email\">dana.wu@northfield.edu</td><td data-label=\"Role\">admin</td>"),
        "{pending}"
    );
    assert!(
        pending.contains("Revoke…<span class=\"visually-hidden\"> the pending admin grant for dana.wu@northfield.edu")
    );
    let r = app
        .post_form(
            &admin,
            "/admin/roles",
            "/admin/roles/revoke",
            &[("email", "dana.wu@northfield.edu"), ("role", "admin"), ("confirm", "yes")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let page = admin.get(format!("{}/admin/roles", app.address)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Revoked the pending admin grant for dana.wu@northfield.edu"), "{page}");
    assert!(!pending_section(&page).contains("dana.wu@northfield.edu"));
    let dana = app.signed_in(&idp, "counselor-string").await;
    assert_eq!(dana.get(format!("{}/recruiters/invite", app.address)).send().await.unwrap().status(), 200, "counselor");
    assert_eq!(dana.get(format!("{}/admin/roles", app.address)).send().await.unwrap().status(), 403, "not an admin");
    let audit = admin.get(format!("{}/admin/audit", app.address)).send().await.unwrap().text().await.unwrap();
    assert!(!audit.contains("Role: grant applied"));
}

/// Demo mode: the built-in provider signs a newcomer in through the same OIDC code.
#[tokio::test]
async fn demo_mode_signs_in_through_the_built_in_provider() {
    let app = spawn_app_with(TestDb::new(), &[("WAYPOINT_DEMO", "true")]).await;
    let b = browser();
    let authorize = app.start_sign_in(&b, "/account").await;
    assert!(authorize.starts_with(&format!("{}/dev-idp/authorize?", app.address)), "{authorize}");
    let url = url::Url::parse(&authorize).unwrap();
    let q: std::collections::HashMap<String, String> = url.query_pairs().into_owned().collect();
    assert_eq!(q["code_challenge_method"], "S256");
    let page = b.get(&authorize).send().await.unwrap().text().await.unwrap();
    for group in ["Career counselors", "Career office administrators", "Faculty", "Students"] {
        assert!(page.contains(group), "the chooser lists {group}");
    }
    // Pick the first counselor on the page.
    let section = page.split("Career counselors").nth(1).unwrap();
    let person = section.split("name=\"person\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let mut form: Vec<(String, String)> = q.into_iter().collect();
    form.push(("person".into(), person));
    form.push(("csrf_token".into(), csrf_token(&page).expect("the chooser is a form with a token")));
    let r = b
        .post(format!("{}/dev-idp/authorize", app.address))
        .header("Origin", &app.address)
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let back = r.headers()["location"].to_str().unwrap().to_owned();
    let r = b.get(&back).send().await.unwrap();
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap_or_default());
    let account = app.account_page(&b).await.expect("signed in through the demo provider");
    assert!(account.contains(">counselor<"), "{account}");
    assert!(account.contains("href=\"/recruiters/invite\""), "role-specific navigation");
    let r = b.get(&back).send().await.unwrap();
    assert_eq!(r.status(), 400, "the callback cannot be replayed");
    // The demo token endpoint checks the client like a real one.
    let code = url::Url::parse(&back).unwrap().query_pairs().find(|(k, _)| k == "code").unwrap().1.into_owned();
    let r = browser()
        .post(format!("{}/dev-idp/token", app.address))
        .basic_auth("waypoint-demo", Some("wrong-secret"))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("redirect_uri", &format!("{}/auth/callback", app.address)),
            ("code_verifier", "x"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(r.json::<serde_json::Value>().await.unwrap()["error"], "invalid_client");
    let sessions = app.with_db(|c| count(c, "SELECT COUNT(*) AS n FROM sessions")).await;
    assert_eq!(sessions, 1);

    // The employer's side can be tried too: the demo recruiters and their password are listed.
    let fresh = browser();
    let page = fresh.get(format!("{}/login/recruiter", app.address)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("northfield-demo"));
    let email = page.split("<li><code>").nth(1).unwrap().split('<').next().unwrap().to_owned();
    let r = crate::recruiters::recruiter_sign_in(&app, &fresh, &email, "northfield-demo").await;
    assert_eq!(r.status(), 303, "{email} signs in with the demo password");
    let ws = fresh.get(format!("{}/workspace", app.address)).send().await.unwrap();
    assert_eq!(ws.status(), 200);
}

/// An error page keeps the navigation of whoever is signed in (the sign-in extractor
/// leaves it with the request), and an anonymous one offers to sign in.
#[tokio::test]
async fn error_pages_show_the_signed_in_navigation() {
    let (app, idp) = spawn_with_idp(None).await;
    let counselor = app.signed_in(&idp, "counselor").await;
    let r = counselor.get(format!("{}/employers/no-such-employer", app.address)).send().await.unwrap();
    assert_eq!(r.status(), 404);
    let page = r.text().await.unwrap();
    assert!(page.contains("We could not find that page."), "{page}");
    assert!(page.contains("Signed in as") && page.contains("href=\"/employers\""), "the counselor's nav: {page}");
    let r = browser().get(format!("{}/no/such/page", app.address)).send().await.unwrap();
    assert_eq!(r.status(), 404);
    let page = r.text().await.unwrap();
    assert!(page.contains("href=\"/login\"") && !page.contains("Signed in as"), "{page}");
}
