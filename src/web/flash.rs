//! After an action, Post/Redirect/Get with a specific message: a handler answers a
//! successful POST with [`redirect_with_flash`]`("/engagements/…", "Offer sent to Dana
//! Kim")` (303 to the changed thing's page), and that page shows the message once, at the
//! top of its main content (`role="status"`, announced politely), then it is gone.
//!
//! Where the message waits between the two requests: a short-lived cookie (five
//! minutes), sealed with an HMAC under a key derived from the form secret
//! (`WAYPOINT_FORM_SECRET`), HttpOnly, SameSite=Lax, Path=/ (`__Host-` and Secure on
//! https). Not the sessions table, because people who are not signed in get messages too
//! (a recruiter who just chose a password and signs in next); not memory, because the
//! page after the redirect may be served by another instance — every instance has the
//! form secret, so any of them can open what another sealed. The MAC means no other site
//! (nor a script on a sibling domain that can set cookies) can make the portal show words
//! it did not write; the message is text, shown HTML-escaped.
//!
//! How it is shown: the layout has one slot (`{{> partials/flash}}`, an HTML comment) at
//! the top of `<main>`. The [`carry`] middleware, when a request brings a valid message
//! and the answer is an HTML page with the slot, puts the message in the slot and clears
//! the cookie in the same answer. So every page of the portal shows a message without
//! its handler doing anything; a redirect, a file or a JSON answer in between leaves the
//! message waiting for the next page; a forged or expired cookie is cleared unseen.

use actix_web::body::{to_bytes, BoxBody, MessageBody};
use actix_web::cookie::{time, Cookie, SameSite};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::{web, HttpResponse};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::NaiveDateTime;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;
use url::Url;

use crate::core::{Clock, Secret};

/// How long a message waits for its page.
pub const MAX_AGE_SECONDS: i64 = 300;
/// A message sealed by an instance whose clock is this much ahead is still believed.
const SKEW_SECONDS: i64 = 60;
/// Longer messages are cut (a cookie holds about 4 kB; a message is a sentence).
pub const MAX_CHARS: usize = 400;

/// Where the layout wants the message (see `templates/partials/flash.hbs`).
pub const SLOT: &str = "<!--waypoint:flash-->";

/// The key that seals messages and the cookie's flags. Its `Debug` shows no key.
#[derive(Clone)]
pub struct Flashes {
    key: Secret,
    secure: bool,
}

impl std::fmt::Debug for Flashes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Flashes").field("key", &"***").field("secure", &self.secure).finish()
    }
}

impl Flashes {
    /// Messages sealed under a key derived from the form secret (shared by every
    /// instance); without one (demo mode), a random key of this instance.
    pub fn new(form_secret: Option<&Secret>, public_url: &Url) -> Self {
        let key = match form_secret {
            Some(secret) => {
                // A key of its own (domain separation): a sealed message is never a form
                // token, nor the other way round.
                let mut mac = Hmac::<Sha256>::new_from_slice(secret.expose().as_bytes()).expect("any key length");
                mac.update(b"waypoint flash message v1");
                URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
            }
            None => {
                let mut bytes = [0u8; 32];
                rand::rng().fill_bytes(&mut bytes);
                URL_SAFE_NO_PAD.encode(bytes)
            }
        };
        Flashes { key: Secret::new(key), secure: public_url.scheme() == "https" }
    }

    /// `__Host-` names need Secure, Path=/ and no Domain, so they are used on https only
    /// (as the session's cookie).
    pub fn cookie_name(&self) -> &'static str {
        if self.secure {
            "__Host-waypoint_flash"
        } else {
            "waypoint_flash"
        }
    }

    fn mac(&self, text: &str) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(self.key.expose().as_bytes()).expect("any key length");
        mac.update(text.as_bytes());
        mac
    }

    /// The cookie value for `message` sealed at `now`: `SECONDS.MESSAGE.MAC` (base64url).
    pub fn seal(&self, message: &str, now: NaiveDateTime) -> String {
        let message: String = if message.chars().count() > MAX_CHARS {
            message.chars().take(MAX_CHARS - 1).chain(['…']).collect()
        } else {
            message.to_owned()
        };
        let text = format!("{}.{}", now.and_utc().timestamp(), URL_SAFE_NO_PAD.encode(message.as_bytes()));
        let mac = URL_SAFE_NO_PAD.encode(self.mac(&text).finalize().into_bytes());
        format!("{text}.{mac}")
    }

    /// The message of a cookie value, if this site sealed it and it is not too old at `now`.
    pub fn open(&self, value: &str, now: NaiveDateTime) -> Option<String> {
        let (text, mac) = value.rsplit_once('.')?;
        let mac = URL_SAFE_NO_PAD.decode(mac).ok()?;
        // Constant-time comparison.
        self.mac(text).verify_slice(&mac).ok()?;
        let (seconds, message) = text.split_once('.')?;
        let age = now.and_utc().timestamp() - seconds.parse::<i64>().ok()?;
        if !(-SKEW_SECONDS..=MAX_AGE_SECONDS).contains(&age) {
            return None;
        }
        String::from_utf8(URL_SAFE_NO_PAD.decode(message).ok()?).ok()
    }

    fn cookie(&self, value: String) -> Cookie<'static> {
        let mut c = Cookie::build(self.cookie_name(), value)
            .path("/")
            .http_only(true)
            .same_site(SameSite::Lax)
            .secure(self.secure)
            .finish();
        c.set_max_age(time::Duration::seconds(MAX_AGE_SECONDS));
        c
    }

    fn removal(&self) -> Cookie<'static> {
        let mut c = self.cookie(String::new());
        c.make_removal();
        c
    }
}

/// The message a response leaves for the next page (sealed by [`carry`]).
#[derive(Debug, Clone)]
struct Pending(String);

/// After a successful POST: 303 to `to` (the page of the thing changed), which shows
/// `message` once. Say what was done to what, in the office's words: "Offer sent to
/// Dana Kim", "Posting returned to Ledgerwise with your reason".
pub fn redirect_with_flash(to: &str, message: impl Into<String>) -> HttpResponse {
    let mut res = HttpResponse::SeeOther().insert_header((header::LOCATION, to.to_owned())).finish();
    res.extensions_mut().insert(Pending(message.into()));
    res
}

/// The message as the slot shows it.
pub fn shown(message: &str) -> String {
    format!(
        "<div class=\"flash\" role=\"status\" aria-live=\"polite\"><p>{}</p></div>",
        handlebars::html_escape(message)
    )
}

/// The middleware (see the module's documentation): seals the message a response leaves,
/// and shows a request's message on the first HTML page with the slot, clearing it there.
pub async fn carry(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let flashes = req.app_data::<web::Data<Flashes>>().cloned();
    let clock = req.app_data::<web::Data<Clock>>().cloned();
    let (Some(flashes), Some(clock)) = (flashes, clock) else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let brought = req.cookie(flashes.cookie_name()).map(|c| c.value().to_owned()).filter(|v| !v.is_empty());
    let mut res = next.call(req).await?.map_into_boxed_body();
    let now = clock.now_utc();

    let pending = res.response().extensions().get::<Pending>().cloned();
    if let Some(Pending(message)) = pending {
        let cookie = flashes.cookie(flashes.seal(&message, now));
        res.response_mut().add_cookie(&cookie)?;
        return Ok(res);
    }
    let Some(brought) = brought else { return Ok(res) };
    let Some(message) = flashes.open(&brought, now) else {
        // Forged, of another key, or too old: cleared, never shown.
        res.response_mut().add_cookie(&flashes.removal())?;
        return Ok(res);
    };
    let html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !html {
        return Ok(res);
    }
    let (req, response) = res.into_parts();
    let (mut response, body) = response.into_parts();
    let bytes = to_bytes(body).await.map_err(|e| actix_web::error::ErrorInternalServerError(e.to_string()))?;
    let page = String::from_utf8_lossy(&bytes);
    let body = match page.find(SLOT) {
        Some(at) => {
            response.add_cookie(&flashes.removal())?;
            let mut with = String::with_capacity(page.len() + message.len() + 80);
            with.push_str(&page[..at]);
            with.push_str(&shown(&message));
            with.push_str(&page[at + SLOT.len()..]);
            BoxBody::new(with)
        }
        // A page without the layout: the message waits for one with it.
        None => BoxBody::new(bytes),
    };
    response.headers_mut().remove(header::CONTENT_LENGTH);
    Ok(ServiceResponse::new(req, response.set_body(body)))
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, NaiveDate};

    use super::*;

    fn at(h: u32, m: u32, s: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2027, 2, 16).unwrap().and_hms_opt(h, m, s).unwrap()
    }

    fn site(secret: &str) -> Flashes {
        Flashes::new(Some(&Secret::new(secret)), &Url::parse("http://127.0.0.1:8080").unwrap())
    }

    #[test]
    fn a_sealed_message_opens_on_any_instance_with_the_secret_and_only_there() {
        let (a, b, other) = (site("the-form-secret"), site("the-form-secret"), site("another-secret"));
        let sealed = a.seal("Offer sent to Dana Kim", at(9, 0, 0));
        assert_eq!(b.open(&sealed, at(9, 0, 1)).as_deref(), Some("Offer sent to Dana Kim"), "another instance");
        assert_eq!(other.open(&sealed, at(9, 0, 1)), None, "another key");
        assert!(!sealed.contains("Dana"), "not readable as it is (base64), though not secret either");
    }

    #[test]
    fn a_forged_or_changed_message_is_refused() {
        let f = site("the-form-secret");
        let sealed = f.seal("Offer sent to Dana Kim", at(9, 0, 0));
        let (text, mac) = sealed.rsplit_once('.').unwrap();
        let (seconds, _) = text.split_once('.').unwrap();
        let forged = format!("{seconds}.{}.{mac}", URL_SAFE_NO_PAD.encode("Your account is locked: call 555-0100"));
        assert_eq!(f.open(&forged, at(9, 0, 1)), None, "a changed message");
        let later = format!("{}.{}", text.replace(seconds, &(seconds.parse::<i64>().unwrap() + 200).to_string()), mac);
        assert_eq!(f.open(&later, at(9, 0, 1)), None, "a changed time");
        let mut bad_mac = sealed.clone();
        bad_mac.pop();
        bad_mac.push(if sealed.ends_with('A') { 'B' } else { 'A' });
        assert_eq!(f.open(&bad_mac, at(9, 0, 1)), None, "a changed MAC");
        for junk in ["", ".", "..", "x.y.z", "1.2", "not a cookie"] {
            assert_eq!(f.open(junk, at(9, 0, 1)), None, "{junk:?}");
        }
    }

    #[test]
    fn a_message_waits_five_minutes_at_most() {
        let f = site("the-form-secret");
        let sealed = f.seal("Posting returned to Ledgerwise with your reason", at(9, 0, 0));
        assert!(f.open(&sealed, at(9, 0, 0) + Duration::seconds(MAX_AGE_SECONDS)).is_some());
        assert_eq!(f.open(&sealed, at(9, 0, 0) + Duration::seconds(MAX_AGE_SECONDS + 1)), None, "too old");
        assert!(f.open(&sealed, at(8, 59, 30)).is_some(), "an instance a little behind");
        assert_eq!(f.open(&sealed, at(8, 58, 0)), None, "from too far in the future");
    }

    #[test]
    fn long_messages_are_cut_and_any_text_is_kept() {
        let f = site("k");
        let long = "é".repeat(1000);
        let opened = f.open(&f.seal(&long, at(9, 0, 0)), at(9, 0, 0)).unwrap();
        assert_eq!(opened.chars().count(), MAX_CHARS);
        assert!(opened.ends_with('…'));
        let odd = "Dana “Dee” Kim <dana@x> & co.";
        assert_eq!(f.open(&f.seal(odd, at(9, 0, 0)), at(9, 0, 0)).as_deref(), Some(odd));
        assert_eq!(
            shown(odd),
            "<div class=\"flash\" role=\"status\" aria-live=\"polite\"><p>Dana “Dee” Kim &lt;dana@x&gt; &amp; co.</p></div>"
        );
    }

    #[test]
    fn the_cookie_is_http_only_lax_and_host_only_on_https() {
        let https = Flashes::new(None, &Url::parse("https://careers.northfield.edu").unwrap());
        let c = https.cookie("v".into());
        assert_eq!(c.name(), "__Host-waypoint_flash");
        assert_eq!(
            (c.http_only(), c.secure(), c.same_site(), c.path()),
            (Some(true), Some(true), Some(SameSite::Lax), Some("/"))
        );
        assert_eq!(c.max_age(), Some(time::Duration::seconds(MAX_AGE_SECONDS)));
        assert_eq!(site("k").cookie("v".into()).name(), "waypoint_flash");
        assert!(!format!("{https:?}").contains(https.key.expose()), "the key stays out of Debug");
    }
}
