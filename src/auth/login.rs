//! Signing in through the campus provider, as an explicit state machine:
//!
//! ```text
//!   start ──► AwaitingCallback ──callback──► CodeReceived ──tokens verified──► SignedIn
//!                  │                             │
//!                  └── any check fails ──► Refused (no session, pending login gone)
//! ```
//!
//! The pending login (state digest, nonce, PKCE verifier, return path, browser binding)
//! lives server-side and is taken exactly once: a replayed callback finds nothing.
//! Everything here is pure; `routes.rs` does the I/O between the steps.

use chrono::{Duration, NaiveDateTime};

use super::tokens;
use crate::core::Secret;

/// How long the person may take at the provider's login page.
pub const PENDING_LOGIN_TTL: Duration = Duration::minutes(15);

/// A login waiting for the provider's answer, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingLogin {
    pub state_digest: String,
    pub nonce: String,
    pub pkce_verifier: Secret,
    pub return_to: String,
    pub browser_binding_digest: String,
    pub expires_at: NaiveDateTime,
}

/// What the provider sent back to `/auth/callback`.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct Callback {
    pub state: Option<String>,
    pub code: Option<String>,
    pub iss: Option<String>,
    pub error: Option<String>,
    pub error_description: Option<String>,
}

/// The secrets made at the start: `state` goes to the provider, `browser_binding` into a
/// short-lived cookie, and only their digests are stored.
pub struct Started {
    pub pending: PendingLogin,
    pub state: Secret,
    pub browser_binding: Secret,
}

/// After the callback checks: the code to exchange, with what the exchange needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeReceived {
    pub code: Secret,
    pub nonce: String,
    pub pkce_verifier: Secret,
    pub return_to: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("the identity provider answered: {0}")]
    Provider(String),
    #[error("the callback has no state")]
    MissingState,
    #[error("no pending sign-in matches this state (replayed or forged)")]
    UnknownState,
    #[error("the sign-in took too long")]
    Expired,
    #[error("the callback came to another browser than the one that started the sign-in")]
    OtherBrowser,
    #[error("the callback names another issuer")]
    WrongIssuer,
    #[error("the callback has no code")]
    MissingCode,
    #[error("the code exchange failed: {0}")]
    Exchange(String),
    #[error("the ID token is not valid: {0}")]
    IdToken(String),
    /// The provider offers userinfo, and it failed or spoke of someone else. Signing in
    /// with the ID token's claims alone would replace the claim roles with partial ones
    /// (a counselor whose groups come from userinfo would lose the role).
    #[error("userinfo: {0}")]
    Profile(String),
    #[error("the account is disabled")]
    Disabled,
    #[error("the provider gave no email address")]
    NoEmail,
}

impl Refusal {
    /// What the person is told (the detail goes to the log and the audit trail).
    pub fn public_message(&self) -> &'static str {
        match self {
            Refusal::Provider(_) => "The campus sign-in was cancelled or refused. Please try again.",
            Refusal::Expired => "The sign-in took too long. Please start again.",
            Refusal::Disabled => "This account is disabled. Please contact the career office.",
            Refusal::NoEmail => "The campus sign-in did not share your email address, which Waypoint needs.",
            Refusal::Profile(_) => {
                "Your campus sign-in did not return your profile. Please try again, or contact the career office."
            }
            _ => "The sign-in could not be completed. Please start again from the sign-in page.",
        }
    }
}

/// Begins a login: fresh state, nonce, PKCE verifier and browser binding.
pub fn start(return_to: Option<&str>, now: NaiveDateTime) -> Started {
    let state = tokens::random_token();
    let browser_binding = tokens::random_token();
    let pending = PendingLogin {
        state_digest: tokens::digest(&state),
        nonce: tokens::random_token(),
        pkce_verifier: Secret::new(format!("{}{}", tokens::random_token(), tokens::random_token())),
        return_to: safe_return_to(return_to),
        browser_binding_digest: tokens::digest(&browser_binding),
        expires_at: now + PENDING_LOGIN_TTL,
    };
    Started { pending, state: Secret::new(state), browser_binding: Secret::new(browser_binding) }
}

/// Checks the callback against the pending login that its state named (already taken
/// from the store, so it cannot be used again whatever happens next).
pub fn on_callback(
    callback: &Callback,
    pending: Option<PendingLogin>,
    browser_binding: Option<&str>,
    issuer: &str,
    now: NaiveDateTime,
) -> Result<CodeReceived, Refusal> {
    if callback.state.as_deref().is_none_or(str::is_empty) {
        return Err(Refusal::MissingState);
    }
    let pending = pending.ok_or(Refusal::UnknownState)?;
    if let Some(error) = &callback.error {
        return Err(Refusal::Provider(error.clone()));
    }
    if pending.expires_at < now {
        return Err(Refusal::Expired);
    }
    let bound = browser_binding.is_some_and(|b| tokens::same(&tokens::digest(b), &pending.browser_binding_digest));
    if !bound {
        return Err(Refusal::OtherBrowser);
    }
    // RFC 9207: a provider that sends `iss` must send its own (mix-up defence).
    if let Some(iss) = &callback.iss {
        if iss.trim_end_matches('/') != issuer.trim_end_matches('/') {
            return Err(Refusal::WrongIssuer);
        }
    }
    let code = callback.code.clone().filter(|c| !c.is_empty()).map(Secret::new).ok_or(Refusal::MissingCode)?;
    Ok(CodeReceived { code, nonce: pending.nonce, pkce_verifier: pending.pkce_verifier, return_to: pending.return_to })
}

/// Only a local path may be a place to return to: no scheme, no host, no `//` or `\`
/// tricks, no control characters. Anything else returns home.
pub fn safe_return_to(raw: Option<&str>) -> String {
    let Some(path) = raw.map(str::trim) else { return "/".into() };
    let local = path.starts_with('/')
        && !path.starts_with("//")
        && !path.starts_with("/\\")
        && !path.contains('\\')
        && !path.chars().any(|c| c.is_control())
        && !path.starts_with("/auth/")
        && path.len() <= 1000;
    if local {
        path.to_owned()
    } else {
        "/".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap().and_hms_opt(12, 0, 0).unwrap()
    }

    const ISSUER: &str = "https://sso.northfield.edu";

    fn callback(s: &Started) -> Callback {
        Callback {
            state: Some(s.state.expose().to_owned()),
            code: Some("the-code".into()),
            iss: Some(ISSUER.into()),
            ..Default::default()
        }
    }

    #[test]
    fn a_good_callback_yields_the_code_and_what_the_exchange_needs() {
        let s = start(Some("/account"), now());
        let got = on_callback(&callback(&s), Some(s.pending.clone()), Some(s.browser_binding.expose()), ISSUER, now())
            .unwrap();
        assert_eq!(got.code.expose(), "the-code");
        assert_eq!(got.nonce, s.pending.nonce);
        assert_eq!(got.pkce_verifier, s.pending.pkce_verifier);
        assert_eq!(got.return_to, "/account");
        let verifier = got.pkce_verifier.expose();
        assert!(verifier.len() >= 43 && verifier.len() <= 128, "RFC 7636 length");
    }

    #[test]
    fn each_check_refuses() {
        let s = start(None, now());
        let ok = callback(&s);
        let p = || Some(s.pending.clone());
        let b = Some(s.browser_binding.expose());
        let mut no_state = ok.clone();
        no_state.state = None;
        assert_eq!(on_callback(&no_state, p(), b, ISSUER, now()), Err(Refusal::MissingState));
        assert_eq!(
            on_callback(&ok, None, b, ISSUER, now()),
            Err(Refusal::UnknownState),
            "replay: the pending login was taken"
        );
        assert_eq!(on_callback(&ok, p(), b, ISSUER, now() + Duration::minutes(16)), Err(Refusal::Expired));
        assert_eq!(on_callback(&ok, p(), None, ISSUER, now()), Err(Refusal::OtherBrowser));
        assert_eq!(on_callback(&ok, p(), Some("someone-else"), ISSUER, now()), Err(Refusal::OtherBrowser));
        assert_eq!(on_callback(&ok, p(), b, "https://evil.example", now()), Err(Refusal::WrongIssuer));
        let mut no_code = ok.clone();
        no_code.code = None;
        assert_eq!(on_callback(&no_code, p(), b, ISSUER, now()), Err(Refusal::MissingCode));
        let mut denied = ok.clone();
        denied.error = Some("access_denied".into());
        assert_eq!(on_callback(&denied, p(), b, ISSUER, now()), Err(Refusal::Provider("access_denied".into())));
        let mut no_iss = ok.clone();
        no_iss.iss = None;
        assert!(on_callback(&no_iss, p(), b, ISSUER, now()).is_ok(), "iss is optional for providers without RFC 9207");
    }

    #[test]
    fn the_verifier_and_the_code_stay_out_of_debug_output() {
        let s = start(None, now());
        let verifier = s.pending.pkce_verifier.expose().to_owned();
        assert!(!format!("{:?}", s.pending).contains(&verifier), "{:?}", s.pending);
        let got = on_callback(&callback(&s), Some(s.pending.clone()), Some(s.browser_binding.expose()), ISSUER, now())
            .unwrap();
        let shown = format!("{got:?}");
        assert!(!shown.contains(&verifier) && !shown.contains("the-code"), "{shown}");
    }

    #[test]
    fn return_to_accepts_only_local_paths() {
        for good in ["/", "/account", "/opportunities?q=data&page=2", "/a/b#c"] {
            assert_eq!(safe_return_to(Some(good)), good);
        }
        for bad in [
            "https://evil.example/",
            "//evil.example/x",
            "/\\evil.example",
            "\\\\evil.example",
            "javascript:alert(1)",
            "evil.example",
            "/ok\r\nLocation: https://evil.example",
            "/auth/callback?code=x",
            "",
        ] {
            assert_eq!(safe_return_to(Some(bad)), "/", "{bad:?} must not be a place to return to");
        }
        // Percent-encoded bytes stay inside a local path: harmless.
        assert_eq!(safe_return_to(Some("/%0d%0aSet-Cookie:x")), "/%0d%0aSet-Cookie:x");
        assert_eq!(safe_return_to(None), "/");
    }
}
