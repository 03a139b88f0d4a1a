//! A session as an iCalendar invitation (RFC 5545, written by the `icalendar` crate: CRLF
//! line ends, lines folded at 75 octets). One stable `UID` per session, times in UTC, a
//! `SEQUENCE` that only grows (the session's changes plus the registration's), and
//! `METHOD:CANCEL` once the session or the registration is cancelled, so that a calendar
//! that imported the first file updates or removes the same event.
//!
//! The same events make each user's private feed ([`feed`]: no `METHOD`, as a
//! subscription is not an invitation), and the invitations mailed with a registration,
//! a change and a cancellation ([`for_session`], rendered when the mail is made).

use chrono::NaiveDateTime;
use icalendar::{Calendar, Component, Event, EventLike, EventStatus, Property};
use url::Url;

use super::rules::SessionStatus;
use super::store::sessions::SessionRow;

/// Where the invitations come from: the portal's public address (its host makes the
/// UID's right-hand side, its base the join link) and the sender of its mail (the
/// organizer).
#[derive(Debug, Clone)]
pub struct Site {
    pub host: String,
    pub base: String,
    pub organizer: String,
}

impl Site {
    pub fn new(public_url: &Url, organizer: &str) -> Site {
        Site {
            host: public_url.host_str().unwrap_or("waypoint").to_owned(),
            base: public_url.as_str().trim_end_matches('/').to_owned(),
            organizer: organizer.to_owned(),
        }
    }

    /// The tracked join link of a session, as a full address.
    pub fn join(&self, session_id: &str) -> String {
        format!("{}/sessions/{session_id}/join", self.base)
    }
}

/// The invitation of a session for one person: `registration_sequence` is the
/// registration's own (0 for the host), `cancelled` whether their place ended (the
/// session's own cancellation counts too).
pub fn for_session(
    site: &Site,
    s: &SessionRow,
    registration_sequence: i32,
    cancelled: bool,
    attendee: Option<&str>,
    now: NaiveDateTime,
) -> String {
    invitation(&Invitation::of(site, s, registration_sequence, cancelled, attendee, now))
}

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

impl<'a> Invitation<'a> {
    pub fn of(
        site: &'a Site,
        s: &'a SessionRow,
        registration_sequence: i32,
        cancelled: bool,
        attendee: Option<&'a str>,
        now: NaiveDateTime,
    ) -> Invitation<'a> {
        Invitation {
            uid: uid(s.id.as_str(), &site.host),
            sequence: s.sequence + registration_sequence,
            cancelled: cancelled || s.status != SessionStatus::Scheduled,
            title: &s.title,
            description: &s.description,
            starts_at: s.starts_at,
            ends_at: s.ends_at,
            url: site.join(s.id.as_str()),
            organizer: &site.organizer,
            attendee,
            stamp: now,
        }
    }
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
    let mut cal = Calendar::new();
    cal.append_property(("METHOD", method(i.cancelled)));
    cal.push(event(i));
    cal.done().to_string()
}

/// A user's feed: their events in one calendar, without `METHOD` (calendar apps
/// subscribe to it and read it again every so often; nothing in it is an invitation).
pub fn feed(name: &str, events: &[Invitation<'_>]) -> String {
    let mut cal = Calendar::new();
    cal.name(name);
    cal.ttl(&chrono::Duration::hours(1));
    for i in events {
        cal.push(event(i));
    }
    cal.done().to_string()
}

fn event(i: &Invitation<'_>) -> Event {
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
    event.done()
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
