//! Client addresses behind reverse proxies (`WAYPOINT_TRUSTED_PROXIES`): the per-address
//! sign-in limit and the audit log see each client, not the proxy; a client that is not
//! a trusted proxy cannot choose its address by writing the headers itself.

use crate::fixtures;
use crate::helpers::{count, spawn_app_with, TestApp, TestDb};
use crate::idp::{csrf_token, spawn_with_idp_and};
use crate::recruiters::{a_recruiter, employer, invite, link_in};

/// A browser whose requests reach the app through a proxy on 127.0.0.1 that reports
/// `client` (the tests' requests do come from 127.0.0.1).
fn behind_proxy(header: &'static str, client: &str) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(header, client.parse().unwrap());
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .default_headers(headers)
        .build()
        .unwrap()
}

/// The recruiter sign-in form, posted from `b`.
async fn sign_in(app: &TestApp, b: &reqwest::Client, email: &str, password: &str) -> u16 {
    let page = b.get(format!("{}/login/recruiter", app.address)).send().await.unwrap().text().await.unwrap();
    let token = csrf_token(&page).unwrap();
    b.post(format!("{}/login/recruiter", app.address))
        .header("Origin", &app.address)
        .form(&[("csrf_token", token.as_str()), ("email", email), ("password", password)])
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

async fn audited(app: &TestApp, action: &'static str, ip: &'static str) -> i64 {
    app.with_db(move |c| {
        count(c, &format!("SELECT COUNT(*) AS n FROM audit_events WHERE action = '{action}' AND ip = '{ip}'"))
    })
    .await
}

const RECRUITER: &str = "rosa.diaz@brightpath.com";
const PASSWORD: &str = "a long enough passphrase";

#[tokio::test]
async fn behind_a_trusted_proxy_each_client_has_its_own_limit_and_audit_address() {
    let (app, idp) = spawn_with_idp_and(TestDb::new(), None, &[("WAYPOINT_TRUSTED_PROXIES", "127.0.0.1")]).await;
    a_recruiter(&app, &idp).await;
    // A password spray from one client, through the proxy, with X-Forwarded-For...
    let sprayer = behind_proxy("x-forwarded-for", "198.51.100.1");
    for i in 0..20 {
        assert_eq!(sign_in(&app, &sprayer, &format!("guess{i}@brightpath.com"), "password spraying").await, 401);
    }
    assert_eq!(sign_in(&app, &sprayer, RECRUITER, PASSWORD).await, 401, "that client's address is locked");
    // ...locks that client only: another one (RFC 7239 Forwarded, IPv6 with a port) signs in.
    let other = behind_proxy("forwarded", "for=\"[2001:db8::7]:4711\";proto=http");
    assert_eq!(sign_in(&app, &other, RECRUITER, PASSWORD).await, 303, "another client is not locked out");
    assert_eq!(audited(&app, "auth.sign_in_failed", "198.51.100.1").await, 21);
    assert_eq!(audited(&app, "auth.signed_in", "2001:db8::7").await, 1);
    // A client's own forgery sits left of what the proxy appended: not believed.
    let forger = behind_proxy("x-forwarded-for", "203.0.113.50, 198.51.100.1");
    assert_eq!(sign_in(&app, &forger, RECRUITER, PASSWORD).await, 401, "still 198.51.100.1, still locked");
    assert_eq!(audited(&app, "auth.sign_in_failed", "203.0.113.50").await, 0);
}

#[tokio::test]
async fn without_trusted_proxies_the_forwarding_headers_are_ignored() {
    let app = spawn_app_with(TestDb::new(), &[]).await;
    // A new forged address at every guess does not escape the per-address limit.
    for i in 0..20 {
        let b = behind_proxy("x-forwarded-for", &format!("198.51.100.{}", i + 1));
        assert_eq!(sign_in(&app, &b, &format!("guess{i}@brightpath.com"), "password spraying").await, 401);
    }
    let locked = app
        .with_db(|c| {
            count(c, "SELECT COUNT(*) AS n FROM login_throttles WHERE scope = 'address' AND key = '127.0.0.1' AND failures = 20 AND locked_until IS NOT NULL")
        })
        .await;
    assert_eq!(locked, 1, "every guess counted against the real peer, which is now locked");
    let forged =
        app.with_db(|c| count(c, "SELECT COUNT(*) AS n FROM audit_events WHERE ip <> '127.0.0.1' OR ip IS NULL")).await;
    assert_eq!(forged, 0, "the audit log records the peer, never a forged address");
    let b = behind_proxy("forwarded", "for=198.51.100.99");
    assert_eq!(sign_in(&app, &b, "someone@brightpath.com", "password spraying").await, 401);
    assert_eq!(audited(&app, "auth.sign_in_failed", "127.0.0.1").await, 21);
}

#[tokio::test]
async fn every_audit_event_of_a_signed_in_person_records_their_address() {
    let (app, idp) = spawn_with_idp_and(TestDb::new(), None, &[("WAYPOINT_TRUSTED_PROXIES", "127.0.0.1")]).await;
    // A counselor signs in (campus sign-in) and invites a recruiter.
    let counselor = behind_proxy("x-forwarded-for", "198.51.100.7");
    assert_eq!(app.sign_in_as(&counselor, &idp, "counselor", "/account").await.response.status(), 303);
    let employer_id = employer(&app, "Brightpath Analytics", Some("brightpath.com"), "active").await;
    let r = invite(&app, &counselor, &employer_id, RECRUITER).await;
    assert_eq!(r.status(), 201);
    let link = link_in(&r.text().await.unwrap());
    // The recruiter joins, signs out, and signs in with the password.
    let recruiter = behind_proxy("x-forwarded-for", "198.51.100.8");
    let page = recruiter.get(&link).send().await.unwrap().text().await.unwrap();
    let token = csrf_token(&page).unwrap();
    let joined = recruiter
        .post(&link)
        .header("Origin", &app.address)
        .form(&[("csrf_token", token.as_str()), ("password", PASSWORD), ("password_confirm", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(joined.status(), 303);
    assert_eq!(app.post_form(&recruiter, "/account", "/auth/logout", &[]).await.status(), 303);
    assert_eq!(sign_in(&app, &recruiter, RECRUITER, PASSWORD).await, 303);
    // A student signs in and applies.
    fixtures::student(&app, "N10000001", "ava.okafor@northfield.edu", "Business", "Economics", 2027).await;
    let posting = fixtures::posting(&app, &employer_id, fixtures::Posting::default()).await;
    let student = behind_proxy("forwarded", "for=198.51.100.9");
    assert_eq!(app.sign_in_as(&student, &idp, "student", "/account").await.response.status(), 303);
    let applied = app
        .post_form(
            &student,
            &format!("/opportunities/{posting}"),
            &format!("/opportunities/{posting}/apply"),
            &[("statement", "I did a pricing study in ECON 310.")],
        )
        .await;
    assert_eq!(applied.status(), 303);
    assert_eq!(app.post_form(&counselor, "/account", "/auth/logout", &[]).await.status(), 303);

    for (action, ip) in [
        ("auth.signed_in", "198.51.100.7"),
        ("recruiter.invited", "198.51.100.7"),
        ("auth.signed_out", "198.51.100.7"),
        ("recruiter.joined", "198.51.100.8"),
        ("auth.signed_out", "198.51.100.8"),
        ("auth.signed_in", "198.51.100.8"),
        ("auth.signed_in", "198.51.100.9"),
        ("application.submitted", "198.51.100.9"),
    ] {
        assert_eq!(audited(&app, action, ip).await, 1, "{action} from {ip}");
    }
    let without = app
        .with_db(|c| {
            count(
                c,
                "SELECT COUNT(*) AS n FROM audit_events WHERE actor_id IS NOT NULL AND (ip IS NULL OR ip NOT LIKE '198.51.100.%')",
            )
        })
        .await;
    assert_eq!(without, 0, "no event of a signed-in person lacks their address or names the proxy");
}
