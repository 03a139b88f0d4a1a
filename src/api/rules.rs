//! The JSON API's rules, without HTTP or SQL: the scopes a token may carry, what a new
//! token needs (a name, scopes, days until it expires), the opaque page cursor and page
//! sizes, and the per-token rate limit (a token bucket).

use std::time::{Duration, Instant};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

use crate::core::{Error, Problems};

crate::core::text_enum! {
    /// What a token may do. A campus system gets the scopes of its job and no more: the
    /// data warehouse reads reports and outcomes, the student information system writes
    /// the roster.
    pub enum Scope: "scope" {
        RosterWrite => "roster:write", "Write the student roster";
        CatalogueRead => "catalogue:read", "Read employers and open micro-internships";
        OutcomesRead => "outcomes:read", "Read graduates' outcomes";
        OutcomesWrite => "outcomes:write", "Write graduates' outcomes";
        ReportsRead => "reports:read", "Read the office's reports";
        FairsRead => "fairs:read", "Read fair sessions and their registrations";
    }
}

/// The scopes as stored and shown: space-separated, in the enum's order.
pub fn scopes_text(scopes: &[Scope]) -> String {
    Scope::ALL.iter().filter(|s| scopes.contains(s)).map(|s| s.as_str()).collect::<Vec<_>>().join(" ")
}

/// The scopes a stored text names (an unknown word is dropped: it grants nothing).
pub fn scopes_of(stored: &str) -> Vec<Scope> {
    stored.split_whitespace().filter_map(Scope::from_stored).collect()
}

/// The most days a token may live: a token that never expires is one nobody rotates.
pub const MAX_DAYS: i64 = 730;

/// A token that passed the checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewToken {
    pub name: String,
    pub scopes: Vec<Scope>,
    pub days: i64,
}

/// Checks a new token's name, scopes (each a known scope, at least one) and days until it
/// expires; every problem at once, keyed `name`, `scopes`, `expires_days`.
pub fn check_new_token(name: &str, scopes: &[String], days: &str) -> Result<NewToken, Error> {
    let mut problems = Problems::new();
    let name = name.trim();
    if name.is_empty() {
        problems.add("name", "is required (say which system uses it, e.g. “Data warehouse”)");
    } else if name.chars().count() > 100 {
        problems.add("name", "must be at most 100 characters");
    }
    let mut chosen = Vec::new();
    for raw in scopes.iter().flat_map(|s| s.split([',', ' '])).filter(|s| !s.trim().is_empty()) {
        match raw.parse::<Scope>() {
            Ok(s) if !chosen.contains(&s) => chosen.push(s),
            Ok(_) => {}
            Err(e) => problems.add("scopes", e),
        }
    }
    if chosen.is_empty() && problems.fields().iter().all(|f| *f != "scopes") {
        problems.add("scopes", "choose at least one");
    }
    let days = match days.trim().parse::<i64>() {
        Ok(d) if (1..=MAX_DAYS).contains(&d) => Some(d),
        _ if days.trim().is_empty() => {
            problems.add("expires_days", "is required (days until the token stops working)");
            None
        }
        _ => {
            problems
                .add("expires_days", format!("`{}` must be a whole number of days from 1 to {MAX_DAYS}", days.trim()));
            None
        }
    };
    problems.finish(())?;
    Ok(NewToken { name: name.to_owned(), scopes: chosen, days: days.unwrap_or(1) })
}

/// Rows per page when the caller does not say, and the most they may ask for.
pub const DEFAULT_LIMIT: i64 = 100;
pub const MAX_LIMIT: i64 = 500;

/// Where a page starts (after the row with this id; none: from the first) and how many
/// rows it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRequest {
    pub after: Option<String>,
    pub limit: i64,
}

const CURSOR_PREFIX: &str = "after:";

/// The cursor of the page after the row `last_id`: opaque to callers (they pass back
/// what they were given), so its form may change without breaking them.
pub fn encode_cursor(last_id: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("{CURSOR_PREFIX}{last_id}"))
}

fn decode_cursor(raw: &str) -> Option<String> {
    let bytes = URL_SAFE_NO_PAD.decode(raw.trim()).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let id = text.strip_prefix(CURSOR_PREFIX)?;
    (!id.is_empty() && id.len() <= 64 && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        .then(|| id.to_owned())
}

const KEY_PREFIX: &str = "key:";

/// The cursor of the page after the row whose key (for a report, its sort columns) is
/// `key`: as opaque as [`encode_cursor`]'s.
pub fn encode_key_cursor(key: &[&str]) -> String {
    URL_SAFE_NO_PAD.encode(format!("{KEY_PREFIX}{}", serde_json::to_string(key).unwrap_or_default()))
}

fn decode_key_cursor(raw: &str, parts: usize) -> Option<Vec<String>> {
    let bytes = URL_SAFE_NO_PAD.decode(raw.trim()).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let key: Vec<String> = serde_json::from_str(text.strip_prefix(KEY_PREFIX)?).ok()?;
    (key.len() == parts && key.iter().all(|k| !k.is_empty() && k.len() <= 128 && !k.contains('\0'))).then_some(key)
}

/// Reads `cursor` (a key of `parts` columns) and `limit` for a report's pages; every
/// problem at once.
pub fn key_page_request(
    cursor: Option<&str>,
    limit: Option<&str>,
    parts: usize,
) -> Result<(Option<Vec<String>>, i64), Error> {
    let mut problems = Problems::new();
    let limit = match page_request(None, limit) {
        Ok(p) => p.limit,
        Err(Error::Invalid(ps)) => {
            problems.extend(ps.into_vec());
            DEFAULT_LIMIT
        }
        Err(e) => return Err(e),
    };
    let after = match cursor.map(str::trim).filter(|c| !c.is_empty()) {
        None => None,
        Some(raw) => {
            let key = decode_key_cursor(raw, parts);
            if key.is_none() {
                problems.add("cursor", "is not a cursor this API gave (pass `next_cursor` of the previous page)");
            }
            key
        }
    };
    problems.finish((after, limit))
}

/// Reads `cursor` and `limit` as given (both optional); every problem at once.
pub fn page_request(cursor: Option<&str>, limit: Option<&str>) -> Result<PageRequest, Error> {
    let mut problems = Problems::new();
    let after = match cursor.map(str::trim).filter(|c| !c.is_empty()) {
        None => None,
        Some(raw) => {
            let decoded = decode_cursor(raw);
            if decoded.is_none() {
                problems.add("cursor", "is not a cursor this API gave (pass `next_cursor` of the previous page)");
            }
            decoded
        }
    };
    let limit = match limit.map(str::trim).filter(|l| !l.is_empty()) {
        None => DEFAULT_LIMIT,
        Some(raw) => match raw.parse::<i64>() {
            Ok(n) if (1..=MAX_LIMIT).contains(&n) => n,
            _ => {
                problems.add("limit", format!("`{raw}` must be a whole number from 1 to {MAX_LIMIT}"));
                DEFAULT_LIMIT
            }
        },
    };
    problems.finish(PageRequest { after, limit })
}

/// A page from rows read `limit + 1` at a time in id order: the first `limit`, and the
/// cursor after the last of them when there was one more.
pub fn split_page<T>(mut rows: Vec<T>, limit: i64, id_of: impl Fn(&T) -> &str) -> (Vec<T>, Option<String>) {
    let limit = usize::try_from(limit).unwrap_or(0);
    if rows.len() <= limit {
        return (rows, None);
    }
    rows.truncate(limit);
    let next = rows.last().map(|r| encode_cursor(id_of(r)));
    (rows, next)
}

/// One token's bucket: up to `per_minute` calls at once, refilled evenly over a minute.
/// Measured on the monotonic clock (a rate, not a campus time: the tests' fixed campus
/// clock must not stop it from refilling).
#[derive(Debug, Clone)]
pub struct Bucket {
    tokens: f64,
    at: Instant,
}

impl Bucket {
    pub fn full(per_minute: u32, now: Instant) -> Bucket {
        Bucket { tokens: f64::from(per_minute), at: now }
    }

    /// Whether the bucket has refilled by `now` (then it may be forgotten: a new one is full).
    pub fn is_full_at(&self, per_minute: u32, now: Instant) -> bool {
        let elapsed = now.saturating_duration_since(self.at).as_secs_f64();
        self.tokens + elapsed * f64::from(per_minute) / 60.0 >= f64::from(per_minute)
    }

    /// Takes one call from the bucket, or says how long until there is one.
    pub fn take(&mut self, per_minute: u32, now: Instant) -> Result<(), Duration> {
        let rate = f64::from(per_minute) / 60.0;
        let elapsed = now.saturating_duration_since(self.at).as_secs_f64();
        self.tokens = (self.tokens + elapsed * rate).min(f64::from(per_minute));
        self.at = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - self.tokens) / rate))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_are_read_from_lists_and_stored_in_order() {
        let t = check_new_token(" Warehouse ", &["reports:read,outcomes:read".into()], "30").unwrap();
        assert_eq!(t.name, "Warehouse");
        assert_eq!(t.scopes, [Scope::ReportsRead, Scope::OutcomesRead]);
        assert_eq!(scopes_text(&t.scopes), "outcomes:read reports:read");
        assert_eq!(scopes_of("outcomes:read bogus reports:read"), [Scope::OutcomesRead, Scope::ReportsRead]);
        match check_new_token("", &["roster:rite".into()], "0") {
            Err(Error::Invalid(p)) => {
                assert_eq!(p.fields(), ["name", "scopes", "expires_days"]);
                assert!(p[1].problem.contains("roster:write"), "lists the scopes: {}", p[1].problem);
            }
            other => panic!("{other:?}"),
        }
        match check_new_token("x", &[], "731") {
            Err(Error::Invalid(p)) => assert_eq!(p.fields(), ["scopes", "expires_days"]),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn cursors_round_trip_and_strangers_are_refused() {
        let c = encode_cursor("7d0c2f1e-1b2a-4c3d-9e8f-0a1b2c3d4e5f");
        let p = page_request(Some(&c), Some("25")).unwrap();
        assert_eq!(p.after.as_deref(), Some("7d0c2f1e-1b2a-4c3d-9e8f-0a1b2c3d4e5f"));
        assert_eq!(p.limit, 25);
        assert_eq!(page_request(None, None).unwrap(), PageRequest { after: None, limit: DEFAULT_LIMIT });
        match page_request(Some("not-a-cursor"), Some("0")) {
            Err(Error::Invalid(p)) => assert_eq!(p.fields(), ["cursor", "limit"]),
            other => panic!("{other:?}"),
        }
        let forged = URL_SAFE_NO_PAD.encode("after:x' OR 1=1");
        assert!(page_request(Some(&forged), None).is_err());
    }

    #[test]
    fn pages_end_where_the_rows_do() {
        let (rows, next) = split_page(vec!["a", "b", "c"], 2, |s| s);
        assert_eq!(rows, ["a", "b"]);
        assert_eq!(page_request(next.as_deref(), None).unwrap().after.as_deref(), Some("b"));
        let (rows, next) = split_page(vec!["a", "b"], 2, |s| s);
        assert_eq!((rows.len(), next), (2, None));
    }

    #[test]
    fn buckets_empty_then_refill_evenly() {
        let t0 = Instant::now();
        let mut b = Bucket::full(2, t0);
        assert!(b.take(2, t0).is_ok());
        assert!(b.take(2, t0).is_ok());
        let wait = b.take(2, t0).unwrap_err();
        assert_eq!(wait.as_secs(), 30, "two a minute: one every 30 s");
        assert!(b.take(2, t0 + Duration::from_secs(31)).is_ok());
        assert!(b.take(2, t0 + Duration::from_secs(31)).is_err());
    }

    #[test]
    fn a_report_cursor_carries_its_row_s_key_and_nothing_else() {
        let c = encode_key_cursor(&["N301", "0191-abc"]);
        assert_eq!(
            key_page_request(Some(&c), Some("2"), 2).unwrap(),
            (Some(vec!["N301".into(), "0191-abc".into()]), 2)
        );
        assert_eq!(key_page_request(None, None, 2).unwrap(), (None, DEFAULT_LIMIT));
        let Err(Error::Invalid(p)) = key_page_request(Some(&c), Some("0"), 3) else {
            panic!("a key of 2 is not one of 3")
        };
        assert_eq!(p.fields(), ["limit", "cursor"]);
        assert!(key_page_request(Some(&encode_cursor("abc")), None, 1).is_err(), "a list's cursor is not a report's");
    }
}
