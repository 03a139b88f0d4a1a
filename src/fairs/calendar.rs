//! A session as an iCalendar invitation (RFC 5545, written by the `icalendar` crate: CRLF
//! line ends, lines folded at 75 octets). One stable `UID` per session, times in UTC, a
//! `SEQUENCE` that only grows (the session's changes plus the registration's), and
//! `METHOD:CANCEL` once the session or the registration is cancelled, so that a calendar
//! that imported the first file updates or removes the same event.

use chrono::NaiveDateTime;
use icalendar::{Calendar, Component, Event, EventLike, EventStatus, Property};

/// What the invitation says.
pub struct Invitation<'a> {
    pub uid: String,
    pub sequence: i32,
    pub cancelled: bool,
    pub title: &'a str,
    pub description: &'a str,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    /// Where to join (the tracked link, never the meeting address itself).
    pub url: String,
    pub organizer: &'a str,
    pub attendee: Option<&'a str>,
    pub stamp: NaiveDateTime,
}

/// The session's stable UID, the same in every file about it.
pub fn uid(session_id: &str, host: &str) -> String {
    format!("fair-session-{session_id}@{host}")
}

pub fn method(cancelled: bool) -> &'static str {
    if cancelled {
        "CANCEL"
    } else {
        "REQUEST"
    }
}

/// The `.ics` text.
pub fn invitation(i: &Invitation<'_>) -> String {
    let mut event = Event::new();
    event
        .uid(&i.uid)
        .sequence(i.sequence.max(0) as u32)
        .timestamp(i.stamp.and_utc())
        .starts(i.starts_at.and_utc())
        .ends(i.ends_at.and_utc())
        .summary(i.title)
        .url(&i.url)
        .status(if i.cancelled { EventStatus::Cancelled } else { EventStatus::Confirmed })
        .append_property(
            Property::new("ORGANIZER", format!("mailto:{}", i.organizer)).add_parameter("CN", "Career office").done(),
        );
    if !i.description.is_empty() {
        event.description(i.description);
    }
    if let Some(a) = i.attendee {
        event.append_property(
            Property::new("ATTENDEE", format!("mailto:{a}")).add_parameter("ROLE", "REQ-PARTICIPANT").done(),
        );
    }
    let mut cal = Calendar::new();
    cal.append_property(("METHOD", method(i.cancelled)));
    cal.push(event.done());
    cal.done().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_invitation_has_crlf_folded_lines_and_the_method_of_its_state() {
        let t = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
        let long = "A very long description that goes on and on about the session, so that its line must be folded.";
        let mut i = Invitation {
            uid: uid("s-1", "waypoint.example.edu"),
            sequence: 2,
            cancelled: false,
            title: "Analytics talk",
            description: long,
            starts_at: t("2027-02-17 18:00"),
            ends_at: t("2027-02-17 19:00"),
            url: "https://waypoint.example.edu/sessions/s-1/join".into(),
            organizer: "no-reply@waypoint.example.edu",
            attendee: Some("ava@northfield.edu"),
            stamp: t("2027-02-10 14:00"),
        };
        let text = invitation(&i);
        assert!(text.contains("METHOD:REQUEST\r\n") && text.contains("UID:fair-session-s-1@waypoint.example.edu\r\n"));
        assert!(text.contains("SEQUENCE:2\r\n") && text.contains("DTSTART:20270217T180000Z\r\n"));
        assert!(text.split("\r\n").all(|l| l.len() <= 75 && !l.contains('\n')), "{text}");
        i.cancelled = true;
        let text = invitation(&i);
        assert!(text.contains("METHOD:CANCEL\r\n") && text.contains("STATUS:CANCELLED\r\n"), "{text}");
    }
}
