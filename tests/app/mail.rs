//! Mail through the outbox, against a real SMTP server on loopback (aiosmtpd): a server
//! that is down makes the worker retry, and the message goes out once it answers; mail
//! made before the worker started is sent too; the sender is `WAYPOINT_MAIL_FROM`, or
//! `no-reply@` the public host.

use std::io::Read;
use std::process::{Child, Command, Stdio};

use crate::helpers::{count, spawn_app_with, TestApp, TestDb};
use crate::idp::spawn_with_idp_and;

pub(crate) struct SmtpSink {
    child: Child,
}

impl SmtpSink {
    pub(crate) fn start(port: u16) -> SmtpSink {
        let child = Command::new("python3")
            .args(["-u", "-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}")])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3 -m aiosmtpd (scripts/test.sh installs it from tests/requirements.txt)");
        // Ready when it takes connections.
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        SmtpSink { child }
    }

    /// Stops the server and returns what it received.
    pub(crate) fn stop(mut self) -> String {
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
    // The link is the portal's full address (its public URL), so it opens from a mail program.
    assert!(received.contains(&format!("\n{}/review\n", app.address)), "{received}");
    assert_eq!(outbox("SELECT COUNT(*) AS n FROM outbox").await, 1, "one message, not one per attempt");
}

pub(crate) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A user with `email` who has not signed in yet (made straight in the database).
fn user(conn: &mut waypoint::db::DbConnection, email: &str) -> String {
    use diesel::prelude::*;
    use waypoint::db::schema::users;
    let id = uuid::Uuid::new_v4().to_string();
    let now = chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap().and_hms_opt(14, 0, 0).unwrap();
    diesel::insert_into(users::table)
        .values((
            users::id.eq(&id),
            users::email.eq(email),
            users::display_name.eq("Cory Banks"),
            users::created_at.eq(now),
            users::updated_at.eq(now),
        ))
        .execute(conn)
        .unwrap();
    id
}

fn notify(conn: &mut waypoint::db::DbConnection, user_id: &str, title: &str, at: chrono::NaiveDateTime) {
    waypoint::notify::send(
        conn,
        user_id,
        &waypoint::notify::Message {
            kind: "posting_submitted",
            title: title.into(),
            body: "An employer submitted a posting.".into(),
            link: Some("/review".into()),
        },
        at,
    )
    .unwrap();
}

/// Waits (up to 30 s) until `n` messages of the outbox are sent.
async fn sent(app: &TestApp, n: i64) -> i64 {
    let mut sent = 0;
    for _ in 0..150 {
        sent = app.with_db(|c| count(c, "SELECT COUNT(*) AS n FROM outbox WHERE sent_at IS NOT NULL")).await;
        if sent >= n {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    sent
}

/// The `From:` header of each message the sink received.
fn from_headers(received: &str) -> Vec<String> {
    received.lines().filter_map(|l| l.strip_prefix("From: ")).map(|l| l.trim().to_owned()).collect()
}

#[tokio::test]
async fn mail_made_before_the_worker_starts_is_sent_from_the_configured_sender() {
    let db = TestDb::new();
    {
        // Made while no server runs (as the command line, or an instance without mail,
        // would): a week old when the worker first looks.
        let mut c = db.connect();
        let cory = user(&mut c, "cory.banks@northfield.edu");
        let then = chrono::Utc::now().naive_utc() - chrono::Duration::days(7);
        notify(&mut c, &cory, "“Churn study” awaits review", then);
    }
    let port = free_port();
    let sink = SmtpSink::start(port);
    let smtp = format!("smtp://127.0.0.1:{port}");
    let app = spawn_app_with(
        db,
        &[("WAYPOINT_SMTP_URL", smtp.as_str()), ("WAYPOINT_MAIL_FROM", "Career Office <careers@northfield.edu>")],
    )
    .await;
    let sent = sent(&app, 1).await;
    let received = sink.stop();
    assert_eq!(sent, 1, "the mail made before the worker started is sent");
    assert!(received.contains("cory.banks@northfield.edu") && received.contains("awaits review"), "{received}");
    let from = from_headers(&received);
    assert_eq!(from.len(), 1, "{received}");
    assert!(
        ["Career Office <careers@northfield.edu>", "\"Career Office\" <careers@northfield.edu>"]
            .contains(&from[0].as_str()),
        "From is WAYPOINT_MAIL_FROM: {}",
        from[0]
    );
}

#[tokio::test]
async fn mail_comes_from_no_reply_at_the_public_host_by_default() {
    let port = free_port();
    let sink = SmtpSink::start(port);
    let smtp = format!("smtp://127.0.0.1:{port}");
    let app = spawn_app_with(
        TestDb::new(),
        &[("WAYPOINT_SMTP_URL", smtp.as_str()), ("WAYPOINT_PUBLIC_URL", "https://careers.northfield.edu")],
    )
    .await;
    app.with_db(|c| {
        let cory = user(c, "cory.banks@northfield.edu");
        notify(c, &cory, "“Churn study” awaits review", chrono::Utc::now().naive_utc());
    })
    .await;
    let sent = sent(&app, 1).await;
    let received = sink.stop();
    assert_eq!(sent, 1);
    let from = from_headers(&received);
    assert_eq!(from.len(), 1, "{received}");
    assert!(
        from[0].ends_with("<no-reply@careers.northfield.edu>") && from[0].contains("Waypoint"),
        "From is no-reply at the public host, not at the relay (127.0.0.1): {}",
        from[0]
    );
    // A disabled user's notification is kept in the inbox but not mailed.
    app.with_db(|c| {
        use diesel::prelude::*;
        let gone = user(c, "left.campus@northfield.edu");
        diesel::sql_query(format!("UPDATE users SET disabled = TRUE WHERE id = '{gone}'")).execute(c).unwrap();
        notify(c, &gone, "Not for mail", chrono::Utc::now().naive_utc());
    })
    .await;
    assert_eq!(app.with_db(|c| count(c, "SELECT COUNT(*) AS n FROM outbox")).await, 1);
    assert_eq!(app.with_db(|c| count(c, "SELECT COUNT(*) AS n FROM notifications")).await, 2);
}
