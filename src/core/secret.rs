//! Values that must never reach a log line or `Debug` output: session cookies, PKCE
//! verifiers, ID tokens, invitation links, keys, URLs with passwords.

use std::fmt;

/// A secret: `Debug` prints `Secret(***)`; only [`Secret::expose`] gives the value, at the
/// one place that needs it (a cookie, a request to the provider, a digest).
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Self {
        Secret(s.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_value() {
        let s = Secret::new("hunter2-hunter2");
        assert_eq!(format!("{s:?}"), "Secret(***)");
        assert_eq!(s.expose(), "hunter2-hunter2");
    }
}
