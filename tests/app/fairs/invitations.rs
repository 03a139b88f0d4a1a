//! The invitation travels with the mail: a registration's confirmation, the update after
//! the host moves the session, the student's cancellation and the host's cancellation are
//! sent (through the outbox, to a real SMTP server: aiosmtpd) with a `text/calendar;
//! method=REQUEST` (or `CANCEL`) part and an `invite.ics` attachment, read back by
//! Python's `email` and `icalendar`: the same UID, a growing SEQUENCE, and the same
//! SEQUENCE the session's `.ics` download gives.

use waypoint::core::Secret;
use waypoint::notify::mail::{send_due, Outgoing};

use super::{python, world};
use crate::mail::{free_port, SmtpSink};

/// Each received mail that carries an invitation:
/// `to|subject|method of the part|METHOD|UID|SEQUENCE|attachment`.
fn invitations_in(received: &str) -> Vec<String> {
    let script = "import sys, email, email.policy, icalendar\n\
                  text = sys.stdin.read()\n\
                  for chunk in text.split('---------- MESSAGE FOLLOWS ----------')[1:]:\n    \
                      raw = chunk.split('------------ END MESSAGE ------------')[0].lstrip('\\n')\n    \
                      m = email.message_from_string(raw, policy=email.policy.default)\n    \
                      parts = [p for p in m.walk() if p.get_content_type() == 'text/calendar']\n    \
                      if not parts: continue\n    \
                      inline = [p for p in parts if p.get_filename() is None]\n    \
                      files = [p.get_filename() for p in parts if p.get_filename()]\n    \
                      assert len(inline) == 1, len(inline)\n    \
                      p = inline[0]\n    \
                      cal = icalendar.Calendar.from_ical(p.get_payload(decode=True))\n    \
                      ev = cal.walk('VEVENT')[0]\n    \
                      assert m.get_content_type() == 'multipart/mixed'\n    \
                      assert 'text/plain' in [q.get_content_type() for q in m.walk()]\n    \
                      print('|'.join([str(m['To']), str(m['Subject']), p.get_param('method'), str(cal['METHOD']), str(ev['UID']), str(ev['SEQUENCE']), ','.join(files)]))\n";
    python(script, received).lines().map(str::to_owned).collect()
}

#[tokio::test]
async fn confirmation_update_and_cancellation_mails_carry_the_invitation() {
    let w = world().await;
    let s = w.session(&w.recruiter_a, "Analytics talk", "2027-02-17", "13:00", "14:00", "30").await;
    assert_eq!(w.register(&w.ava, &s).await.status(), 303);
    let moved = [
        ("title", "Analytics talk"),
        ("date", "2027-02-17"),
        ("start", "15:00"),
        ("end", "16:00"),
        ("capacity", "30"),
        ("meeting_url", "https://meet.example.com/brightpath"),
    ];
    assert_eq!(w.post(&w.recruiter_a, &format!("/sessions/{s}/edit"), &moved).await.status(), 303);
    assert_eq!(w.post(&w.ava, &format!("/sessions/{s}/cancel"), &[("confirm", "yes")]).await.status(), 303);
    assert_eq!(w.register(&w.ben, &s).await.status(), 303);
    let r = w
        .post(
            &w.recruiter_a,
            &format!("/sessions/{s}/withdraw"),
            &[("reason", "Our speaker is ill"), ("confirm", "yes")],
        )
        .await;
    assert_eq!(r.status(), 303);
    // Ben's download now says what his last mail says.
    let download = w.app.address.clone() + &format!("/sessions/{s}/calendar.ics");
    let ics = w.ben.get(download).send().await.unwrap().text().await.unwrap();
    assert!(ics.contains("METHOD:CANCEL\r\n") && ics.contains("SEQUENCE:3\r\n"), "{ics}");

    // The outbox goes to a real SMTP server, as the mail task sends it.
    let port = free_port();
    let sink = SmtpSink::start(port);
    let outgoing = Outgoing {
        smtp_url: Secret::new(format!("smtp://127.0.0.1:{port}")),
        from: "Waypoint <no-reply@127.0.0.1>".parse().unwrap(),
        public_url: w.app.address.parse().unwrap(),
    };
    let clock = w.app.clock.clone();
    let mut sent = 0;
    for _ in 0..5 {
        let (clock, outgoing) = (clock.clone(), outgoing.clone());
        sent += w.app.with_db(move |c| send_due(c, &clock, &outgoing).unwrap()).await;
    }
    let received = sink.stop();
    assert!(sent >= 4, "{sent} sent\n{received}");

    let uid = format!("fair-session-{s}@127.0.0.1");
    let line = |to: &str, subject: &str, method: &str, sequence: u32| {
        format!("{to}|{subject}|{method}|{method}|{uid}|{sequence}|invite.ics")
    };
    // All were made at the same (fixed) moment, so they go out in any order.
    let mut got = invitations_in(&received);
    got.sort();
    let mut expected = vec![
        line("ava.okafor@northfield.edu", "You are registered for “Analytics talk”", "REQUEST", 0),
        line("ava.okafor@northfield.edu", "“Analytics talk” has changed: new time or meeting link", "REQUEST", 1),
        line("ava.okafor@northfield.edu", "Your registration for “Analytics talk” is cancelled", "CANCEL", 2),
        line("ben.lee@northfield.edu", "You are registered for “Analytics talk”", "REQUEST", 1),
        line("ben.lee@northfield.edu", "“Analytics talk” is cancelled", "CANCEL", 3),
    ];
    expected.sort();
    assert_eq!(got, expected, "{received}");
}
