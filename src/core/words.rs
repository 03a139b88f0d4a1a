//! People's words for counts: "1 project", "3 projects", "2 people", "1,204 students".
//! (Money is `money::format`; dates and times are the clock's; statuses have `label()`.)

use super::money::group;

/// `n` and the noun, singular for exactly one (and minus one), else `many` when given,
/// else the regular English plural of `one` ([`regular_plural`]). The count is grouped
/// by thousands: `plural(1204, "student", None)` is "1,204 students".
pub fn plural(n: i64, one: &str, many: Option<&str>) -> String {
    let count = if n < 0 { format!("-{}", group(n.unsigned_abs())) } else { group(n.unsigned_abs()) };
    if n.unsigned_abs() == 1 {
        format!("{count} {one}")
    } else {
        match many {
            Some(m) => format!("{count} {m}"),
            None => format!("{count} {}", regular_plural(one)),
        }
    }
}

/// The regular plural of an English noun (or of a phrase's last word): "project" →
/// "projects", "class" → "classes", "inbox" → "inboxes", "match" → "matches",
/// "company" → "companies" (but "day" → "days"). Irregular ones ("person" → "people")
/// are given explicitly.
pub fn regular_plural(one: &str) -> String {
    let lower = one.to_ascii_lowercase();
    let ends = |s: &str| lower.ends_with(s);
    if ends("s") || ends("x") || ends("z") || ends("ch") || ends("sh") {
        format!("{one}es")
    } else if ends("y") && !is_vowel_before_y(&lower) {
        format!("{}ies", &one[..one.len() - 1])
    } else {
        format!("{one}s")
    }
}

fn is_vowel_before_y(lower: &str) -> bool {
    let mut chars = lower.chars().rev();
    chars.next();
    chars.next().is_some_and(|c| "aeiou".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_and_many() {
        assert_eq!(plural(1, "project", None), "1 project");
        assert_eq!(plural(3, "project", None), "3 projects");
        assert_eq!(plural(0, "project", None), "0 projects");
        assert_eq!(plural(-1, "day", None), "-1 day");
        assert_eq!(plural(2, "person", Some("people")), "2 people", "an explicit plural");
        assert_eq!(plural(1, "person", Some("people")), "1 person");
        assert_eq!(plural(1204, "student", None), "1,204 students", "grouped by thousands");
        assert_eq!(plural(2, "unread message", None), "2 unread messages", "a phrase");
    }

    #[test]
    fn regular_plurals() {
        for (one, many) in [
            ("project", "projects"),
            ("class", "classes"),
            ("inbox", "inboxes"),
            ("match", "matches"),
            ("wish", "wishes"),
            ("company", "companies"),
            ("day", "days"),
            ("survey", "surveys"),
            ("Company", "Companies"),
        ] {
            assert_eq!(regular_plural(one), many, "{one}");
        }
    }
}
