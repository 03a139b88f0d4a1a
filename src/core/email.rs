//! An email address in the one normal form every record keeps: trimmed, lower case.

crate::core::text_newtype! {
    /// A normalised email address (trimmed, lower case, one `@`, a dotted domain).
    pub struct Email;
}

impl Email {
    /// Checks and normalises an address as typed or as a file or provider gives it.
    /// The error says what is wrong, for a field problem.
    pub fn parse(raw: &str) -> Result<Email, String> {
        let email = raw.trim().to_ascii_lowercase();
        let Some((local, domain)) = email.split_once('@') else {
            return Err(format!("`{raw}` is not an email address"));
        };
        let ok = !local.is_empty()
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains('@')
            && email.len() <= 254
            && !email.chars().any(|c| c.is_whitespace() || c.is_control());
        if ok {
            Ok(Email(email))
        } else {
            Err(format!("`{raw}` is not an email address"))
        }
    }

    /// The part after the `@`.
    pub fn domain(&self) -> &str {
        self.0.rsplit_once('@').map_or("", |(_, d)| d)
    }

    /// The part before the `@`.
    pub fn local_part(&self) -> &str {
        self.0.split_once('@').map_or("", |(l, _)| l)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_normalised_or_refused() {
        let e = Email::parse(" Ada.Lovelace@Northfield.EDU ").unwrap();
        assert_eq!(e, "ada.lovelace@northfield.edu");
        assert_eq!((e.local_part(), e.domain()), ("ada.lovelace", "northfield.edu"));
        for bad in ["", "ada", "@northfield.edu", "ada@northfield", "ada@.edu", "ada@edu.", "a b@x.edu", "a@b@c.edu"] {
            assert!(Email::parse(bad).is_err(), "{bad:?}");
        }
        assert_eq!(Email::parse("nope").unwrap_err(), "`nope` is not an email address");
    }
}
