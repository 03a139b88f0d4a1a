//! Mail through the outbox, against a real SMTP server on loopback (aiosmtpd): a server
//! that is down makes the worker retry, and the message goes out once it answers.

use std::io::Read;
use std::process::{Child, Command, Stdio};

use crate::helpers::{count, TestDb};
use crate::idp::spawn_with_idp_and;

struct SmtpSink {
    child: Child,
}

impl SmtpSink {
    fn start(port: u16) -> SmtpSink {
        let child = Command::new("python3")
            .args(["-u", "-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}")])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3 -m aiosmtpd (scripts/test.sh installs it from tests/requirements.txt)");
        SmtpSink { child }
    }

    /// Stops the server and returns what it received.
    fn stop(mut self) -> String {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let mut out = String::new();
        if let Some(mut s) = self.child.stdout.take() {
            let _ = s.read_to_string(&mut out);
        }
        out
    }
}

#[tokio::test]
async fn mail_waits_in_the_outbox_while_smtp_is_down_and_goes_out_when_it_recovers() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let smtp = format!("smtp://127.0.0.1:{port}");
    let (app, idp) = spawn_with_idp_and(TestDb::new(), None, &[("WAYPOINT_SMTP_URL", smtp.as_str())]).await;
    let b = app.signed_in(&idp, "counselor").await;
    // A notification that needs action (as every lifecycle step makes them).
    let now = app.clock.now_utc();
    app.with_db(move |c| {
        use diesel::prelude::*;
        use waypoint::db::schema::users;
        let id: String =
            users::table.filter(users::email.eq("cory.banks@northfield.edu")).select(users::id).first(c).unwrap();
        waypoint::notify::send(
            c,
            &id,
            &waypoint::notify::Message {
                kind: "posting_submitted",
                title: "“Churn study” awaits review".into(),
                body: "An employer submitted a posting.".into(),
                link: Some("/review".into()),
            },
            now,
        )
        .unwrap();
    })
    .await;
    let outbox = |sql: &'static str| app.with_db(move |c| count(c, sql));
    // The server is down: attempts are made and recorded, nothing is lost.
    let mut failed = 0;
    for _ in 0..60 {
        failed = outbox(
            "SELECT COUNT(*) AS n FROM outbox WHERE sent_at IS NULL AND attempts >= 1 AND last_error IS NOT NULL",
        )
        .await;
        if failed == 1 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert_eq!(failed, 1, "a failed attempt is recorded and the message kept");
    // The page answered at once all along: requests never wait for mail.
    assert_eq!(b.get(format!("{}/inbox", app.address)).send().await.unwrap().status(), 200);

    let sink = SmtpSink::start(port);
    let mut sent = 0;
    for _ in 0..150 {
        sent = outbox("SELECT COUNT(*) AS n FROM outbox WHERE sent_at IS NOT NULL").await;
        if sent == 1 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    let received = sink.stop();
    assert_eq!(sent, 1, "sent once the server answers");
    assert!(received.contains("cory.banks@northfield.edu"), "{received}");
    assert!(received.contains("awaits review"), "{received}");
    assert_eq!(outbox("SELECT COUNT(*) AS n FROM outbox").await, 1, "one message, not one per attempt");
}
