//! Isolation with real records: another employer's postings, applications, projects,
//! offers, fair sessions and profile, reached by their real ids, answer 404 to a recruiter
//! of another employer and to a student who does not own them (or the role's refusal,
//! exactly as for an id that does not exist), and the database does not change. Also: a
//! person who is both staff and student is still the student on their own application;
//! and no page is kept by the browser's cache.

use std::collections::BTreeMap;

use crate::fixtures::{application, employer, posting, session, sql, student, Posting};
use crate::helpers::TestApp;
use crate::idp::{csrf_token, spawn_with_idp, Idp};
use crate::recruiters::{accept, invite, link_in};

/// Employer A (Brightpath) and employer B (Harbor Health), each with a signed-in
/// recruiter; B has a posting with an applicant, a draft, two projects (one active, one
/// completed and unpaid), an offer and a fair session with a registrant. B's student is
/// Ben; Ava is a student who owns none of it.
struct World {
    app: TestApp,
    idp: Idp,
    recruiter_a: reqwest::Client,
    recruiter_b: reqwest::Client,
    ava: reqwest::Client,
    ben: reqwest::Client,
    counselor: reqwest::Client,
    employer_a: String,
    b: BRecords,
}

#[derive(Clone)]
struct BRecords {
    employer: String,
    posting: String,
    draft: String,
    application: String,
    active_engagement: String,
    done_engagement: String,
    offer: String,
    session: String,
}

async fn recruiter_of(app: &TestApp, counselor: &reqwest::Client, employer_id: &str, email: &str) -> reqwest::Client {
    let r = invite(app, counselor, employer_id, email).await;
    assert_eq!(r.status(), 201);
    let (b, r) = accept(app, &link_in(&r.text().await.unwrap()), "a long enough passphrase").await;
    assert_eq!(r.status(), 303);
    b
}

async fn world() -> World {
    let (app, idp) = spawn_with_idp(None).await;
    let employer_a = employer(&app, "Brightpath Analytics", "Software", Some("brightpath.com"), "active").await;
    let employer_b = employer(&app, "Harbor Health", "Healthcare", Some("harborhealth.org"), "active").await;
    let counselor = app.signed_in(&idp, "counselor").await;
    let recruiter_a = recruiter_of(&app, &counselor, &employer_a, "rosa.diaz@brightpath.com").await;
    let recruiter_b = recruiter_of(&app, &counselor, &employer_b, "sam.lee@harborhealth.org").await;
    student(&app, "N1", "ava.okafor@northfield.edu", "School of Business", "Finance", 2027).await;
    let ben_id = student(&app, "N2", "ben.lee@northfield.edu", "School of Business", "Finance", 2027).await;
    let ava = app.signed_in(&idp, "student").await;
    let ben = app.signed_in(&idp, "student-array").await;

    let b_posting = posting(&app, &employer_b, Posting { title: "Harbor patient survey", ..Default::default() }).await;
    let b_application = application(&app, &b_posting, &ben_id, "shortlisted").await;
    let b_draft =
        posting(&app, &employer_b, Posting { title: "Harbor draft idea", status: "draft", ..Default::default() }).await;
    let finished =
        posting(&app, &employer_b, Posting { title: "Harbor finished work", status: "closed", ..Default::default() })
            .await;
    let ongoing =
        posting(&app, &employer_b, Posting { title: "Harbor ongoing work", status: "closed", ..Default::default() })
            .await;
    let now = "'2026-11-01 09:00:00'";
    let (active_engagement, done_engagement, offer) =
        (uuid::Uuid::new_v4().to_string(), uuid::Uuid::new_v4().to_string(), uuid::Uuid::new_v4().to_string());
    for (engagement, posting_id, status, extra_cols, extra_vals) in [
        (&active_engagement, &ongoing, "active", "", ""),
        (
            &done_engagement,
            &finished,
            "completed",
            ", completed_on, rating, feedback",
            ", '2026-11-20', 5, 'Thorough.'",
        ),
    ] {
        let accepted = application(&app, posting_id, &ben_id, "accepted").await;
        sql(
            &app,
            format!(
                "INSERT INTO engagements (id, application_id, opportunity_id, student_id, employer_id, status, started_on, due_on{extra_cols}, created_at, updated_at) \
                 VALUES ('{engagement}', '{accepted}', '{posting_id}', '{ben_id}', '{employer_b}', '{status}', '2026-11-01', '2026-12-01'{extra_vals}, {now}, {now})"
            ),
        )
        .await;
    }
    sql(
        &app,
        format!(
            "INSERT INTO offers (id, engagement_id, employer_id, student_id, kind, job_title, offer_on, status, created_at, updated_at) \
             VALUES ('{offer}', '{done_engagement}', '{employer_b}', '{ben_id}', 'internship', 'Research intern', '2026-11-21', 'extended', {now}, {now})"
        ),
    )
    .await;
    let b_session = session(&app, &employer_b).await;
    sql(
        &app,
        format!(
            "INSERT INTO registrations (id, session_id, student_id, status, created_at, updated_at) \
             VALUES ('{}', '{b_session}', '{ben_id}', 'registered', {now}, {now})",
            uuid::Uuid::new_v4()
        ),
    )
    .await;
    World {
        app,
        idp,
        recruiter_a,
        recruiter_b,
        ava,
        ben,
        counselor,
        employer_a,
        b: BRecords {
            employer: employer_b,
            posting: b_posting,
            draft: b_draft,
            application: b_application,
            active_engagement,
            done_engagement,
            offer,
            session: b_session,
        },
    }
}

/// A form post as a browser makes it: the session's token, from our own origin.
async fn post(app: &TestApp, who: &reqwest::Client, path: &str, fields: &[(&str, String)]) -> reqwest::Response {
    let page = who.get(format!("{}/account", app.address)).send().await.unwrap().text().await.unwrap();
    let token = csrf_token(&page).expect("signed in");
    let mut form: Vec<(&str, &str)> = vec![("csrf_token", token.as_str())];
    form.extend(fields.iter().map(|(k, v)| (*k, v.as_str())));
    who.post(format!("{}{path}", app.address)).header("Origin", &app.address).form(&form).send().await.unwrap()
}

async fn get(app: &TestApp, who: &reqwest::Client, path: &str) -> reqwest::Response {
    who.get(format!("{}{path}", app.address)).send().await.unwrap()
}

async fn send(
    app: &TestApp,
    who: &reqwest::Client,
    method: &str,
    path: &str,
    fields: &[(&str, String)],
) -> (u16, String) {
    let r = match method {
        "GET" => get(app, who, path).await,
        _ => post(app, who, path, fields).await,
    };
    (r.status().as_u16(), r.text().await.unwrap())
}

#[derive(diesel::QueryableByName)]
struct Name {
    #[diesel(sql_type = diesel::sql_types::Text)]
    name: String,
}

#[derive(diesel::QueryableByName)]
struct Row {
    #[diesel(sql_type = diesel::sql_types::Text)]
    row: String,
}

/// Every row of every table, as text, except the sign-in bookkeeping that any request
/// touches (sessions, pending logins, throttles) and the periodic tasks' leases.
async fn dump(app: &TestApp) -> BTreeMap<String, Vec<String>> {
    app.with_db(|c| {
        use diesel::RunQueryDsl;
        use waypoint::db::Backend;
        let backend = c.backend();
        let tables_sql = match backend {
            Backend::Sqlite => {
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'opportunity_search%'"
            }
            Backend::Postgres => {
                "SELECT table_name::text AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
            }
        };
        let tables: Vec<Name> = diesel::sql_query(tables_sql).load(c).unwrap();
        let mut out = BTreeMap::new();
        for table in tables.into_iter().map(|t| t.name) {
            if ["sessions", "oidc_logins", "login_throttles", "task_leases", "__diesel_schema_migrations"]
                .contains(&table.as_str())
                || table.starts_with("opportunity_search")
            {
                continue;
            }
            let columns_sql = match backend {
                Backend::Sqlite => format!("SELECT name FROM pragma_table_info('{table}')"),
                Backend::Postgres => format!(
                    "SELECT column_name::text AS name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = '{table}'"
                ),
            };
            let columns: Vec<Name> = diesel::sql_query(columns_sql).load(c).unwrap();
            let row = columns
                .iter()
                .map(|col| format!("COALESCE(CAST({} AS TEXT), '<null>')", col.name))
                .collect::<Vec<_>>()
                .join(" || '|' || ");
            let rows: Vec<Row> =
                diesel::sql_query(format!("SELECT {row} AS row FROM {table} ORDER BY id")).load(c).unwrap();
            out.insert(table, rows.into_iter().map(|r| r.row).collect());
        }
        out
    })
    .await
}

fn differences(before: &BTreeMap<String, Vec<String>>, after: &BTreeMap<String, Vec<String>>) -> Vec<String> {
    let mut out = Vec::new();
    for (table, rows) in after {
        let old = before.get(table).cloned().unwrap_or_default();
        for r in rows.iter().filter(|r| !old.contains(r)) {
            out.push(format!("{table}: + {r}"));
        }
        for r in old.iter().filter(|r| !rows.contains(r)) {
            out.push(format!("{table}: - {r}"));
        }
    }
    out
}

/// One id-bearing route, tried with a real id of employer B. `recruiter` and `student`
/// are the answers to a recruiter of A and to Ava: 404 where the route is theirs to use,
/// the role's own refusal (403) where it is not; `None`: a page the role may rightly see
/// (a student browsing B's public catalogue entry).
struct Probe {
    method: &'static str,
    path: String,
    fields: Vec<(&'static str, String)>,
    recruiter: Option<u16>,
    student: Option<u16>,
}

fn probes(b: &BRecords) -> Vec<Probe> {
    let g = |path: String, recruiter: Option<u16>, student: Option<u16>| Probe {
        method: "GET",
        path,
        fields: Vec::new(),
        recruiter,
        student,
    };
    let p = |path: String, fields: &[(&'static str, &str)], recruiter: Option<u16>, student: Option<u16>| Probe {
        method: "POST",
        path,
        fields: fields.iter().map(|(k, v)| (*k, (*v).to_owned())).collect(),
        recruiter,
        student,
    };
    let posting_form: &[(&str, &str)] = &[
        ("title", "Taken over"),
        ("description", "A posting written into another employer's records by a stranger."),
        ("category", "research"),
        ("skills", "excel"),
        ("hours", "10"),
        ("fee", "400"),
        ("mode", "remote"),
        ("apply_by", "2099-01-10"),
        ("due_by", "2099-02-10"),
        ("openings", "1"),
    ];
    let (e, bp, bd, ba, ea, ed, o, s) = (
        &b.employer,
        &b.posting,
        &b.draft,
        &b.application,
        &b.active_engagement,
        &b.done_engagement,
        &b.offer,
        &b.session,
    );
    vec![
        // Postings and their moves.
        g(format!("/workspace/postings/{bp}"), Some(404), Some(403)),
        g(format!("/postings/{bp}"), Some(404), Some(403)),
        g(format!("/postings/{bd}/edit"), Some(404), Some(403)),
        p(format!("/postings/{bd}/edit"), posting_form, Some(404), Some(403)),
        p(format!("/postings/{bp}/move"), &[("to", "closed")], Some(404), Some(403)),
        p(format!("/postings/{bd}/move"), &[("to", "pending_review")], Some(404), Some(403)),
        g(format!("/opportunities/{bp}"), Some(404), None),
        // Applications and decisions.
        g(format!("/applications/{ba}"), Some(404), Some(404)),
        p(format!("/applications/{ba}/move"), &[("to", "offered")], Some(404), None),
        p(format!("/applications/{ba}/move"), &[("to", "withdrawn")], Some(404), Some(404)),
        // Projects: delivery, cancellation, rating, payment, offers.
        g(format!("/engagements/{ea}"), Some(404), Some(404)),
        g(format!("/engagements/{ed}"), Some(404), Some(404)),
        p(
            format!("/engagements/{ea}/move"),
            &[("step", "deliver"), ("deliverable_url", "https://drive.example.edu/work")],
            Some(404),
            Some(404),
        ),
        p(format!("/engagements/{ea}/cancel-request"), &[("reason", "Not needed any more.")], Some(404), Some(404)),
        p(format!("/engagements/{ed}/rating"), &[("rating", "1"), ("feedback", "x")], Some(403), Some(404)),
        p(format!("/engagements/{ed}/payment"), &[("amount", "400"), ("paid_on", "2026-11-25")], Some(404), Some(403)),
        p(
            format!("/engagements/{ed}/offers"),
            &[("kind", "full_time"), ("job_title", "Analyst"), ("offer_on", "2026-11-25")],
            Some(404),
            Some(403),
        ),
        p(
            format!("/offers/{o}/decision"),
            &[("decision", "accepted"), ("decided_on", "2026-11-25")],
            Some(404),
            Some(403),
        ),
        // Fair sessions.
        g(format!("/workspace/sessions/{s}"), Some(404), Some(403)),
        // The employer's profile and partnership.
        g(format!("/employers/{e}"), Some(404), Some(403)),
        g(format!("/employers/{e}/edit"), Some(404), Some(403)),
        p(format!("/employers/{e}/edit"), &[("name", "Mine now"), ("industry", "Healthcare")], Some(404), Some(403)),
        p(format!("/employers/{e}/status"), &[("to", "paused")], Some(404), Some(403)),
        p(format!("/employers/{e}/terms"), &[("tier", "standard")], Some(404), Some(403)),
        p(format!("/employers/{e}/partnerships"), &[("tier", "standard")], Some(404), Some(403)),
        g(format!("/employers/{e}/postings/new"), Some(404), Some(403)),
        p(format!("/employers/{e}/postings"), posting_form, Some(404), Some(403)),
        g(format!("/partners/{e}"), Some(404), None),
    ]
}

#[tokio::test]
async fn another_employers_real_records_answer_404_and_change_nothing() {
    let w = world().await;
    let app = &w.app;
    let ids = [
        &w.b.employer,
        &w.b.posting,
        &w.b.draft,
        &w.b.application,
        &w.b.active_engagement,
        &w.b.done_engagement,
        &w.b.offer,
        &w.b.session,
    ];
    let before = dump(app).await;
    let mut wrong = Vec::new();
    for probe in probes(&w.b) {
        for (who, client, expected) in [
            ("a recruiter of A", &w.recruiter_a, probe.recruiter),
            ("a student who does not own it", &w.ava, probe.student),
        ] {
            let Some(expected) = expected else { continue };
            let (status, body) = send(app, client, probe.method, &probe.path, &probe.fields).await;
            if status != expected {
                wrong.push(format!("{} {} as {who}: {status}, expected {expected}", probe.method, probe.path));
            }
            if body.contains("Harbor") || body.contains("Student N2") {
                wrong.push(format!(
                    "{} {} as {who}: the page names employer B or its student",
                    probe.method, probe.path
                ));
            }
            // A made-up id gets the same answer: the real one gives nothing away.
            let mut made_up = probe.path.clone();
            for id in ids {
                made_up = made_up.replace(id.as_str(), "00000000-0000-4000-8000-000000000000");
            }
            let (status_made_up, _) = send(app, client, probe.method, &made_up, &probe.fields).await;
            if status_made_up != status {
                wrong.push(format!(
                    "{} {} as {who}: {status} for the real id, {status_made_up} for a made-up one",
                    probe.method, probe.path
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "isolation broken:\n{}", wrong.join("\n"));
    let changed = differences(&before, &dump(app).await);
    assert!(changed.is_empty(), "the database changed:\n{}", changed.join("\n"));

    // The same requests by B's own people work: the 404s above were about ownership.
    let b = &w.b;
    let ok = |r: &reqwest::Response| r.status().is_success() || r.status().is_redirection();
    for path in [
        format!("/workspace/postings/{}", b.posting),
        format!("/postings/{}/edit", b.draft),
        format!("/applications/{}", b.application),
        format!("/engagements/{}", b.done_engagement),
        format!("/workspace/sessions/{}", b.session),
    ] {
        let r = get(app, &w.recruiter_b, &path).await;
        assert!(ok(&r), "GET {path} as B's recruiter: {}", r.status());
    }
    for (path, fields) in [
        (format!("/applications/{}/move", b.application), vec![("to", "offered".to_owned())]),
        (
            format!("/engagements/{}/payment", b.done_engagement),
            vec![("amount", "400".to_owned()), ("paid_on", "2026-11-25".to_owned())],
        ),
        (
            format!("/offers/{}/decision", b.offer),
            vec![("decision", "accepted".to_owned()), ("decided_on", "2026-11-25".to_owned())],
        ),
        (format!("/engagements/{}/cancel-request", b.active_engagement), vec![("reason", "Budget cut.".to_owned())]),
    ] {
        let r = post(app, &w.recruiter_b, &path, &fields).await;
        assert_eq!(r.status(), 303, "POST {path} as B's recruiter: {}", r.text().await.unwrap());
    }
    for (path, fields) in [
        (
            format!("/engagements/{}/move", b.active_engagement),
            vec![("step", "deliver".to_owned()), ("deliverable_url", "https://drive.example.edu/work".to_owned())],
        ),
        (
            format!("/engagements/{}/rating", b.done_engagement),
            vec![("rating", "5".to_owned()), ("feedback", "Great team.".to_owned())],
        ),
    ] {
        let r = post(app, &w.ben, &path, &fields).await;
        assert_eq!(r.status(), 303, "POST {path} as Ben: {}", r.text().await.unwrap());
    }
    let r = get(app, &w.counselor, &format!("/employers/{}/postings/new", b.employer)).await;
    assert_eq!(r.status(), 200, "the office posts on B's behalf");
}

/// A counselor who is also a student is the student on their own application: they accept
/// their own offer and deliver their own project, while staying the office for others.
#[tokio::test]
async fn staff_who_are_students_act_as_students_on_their_own_application() {
    let w = world().await;
    let app = &w.app;
    let admin = app.signed_in(&w.idp, "admin").await;
    let r = app
        .post_form(
            &admin,
            "/admin/roles",
            "/admin/roles/grant",
            &[("email", "ava.okafor@northfield.edu"), ("role", "counselor")],
        )
        .await;
    assert_eq!(r.status(), 303, "granted, then the roles page");
    let ava = &w.ava;
    assert_eq!(get(app, ava, "/review").await.status(), 200, "Ava is a counselor now");

    let own = posting(app, &w.employer_a, Posting { title: "Brightpath pricing scan", ..Default::default() }).await;
    let page = get(app, ava, &format!("/opportunities/{own}")).await.text().await.unwrap();
    let token = csrf_token(&page).unwrap();
    let r = ava
        .post(format!("{}/opportunities/{own}/apply", app.address))
        .header("Origin", &app.address)
        .form(&[("csrf_token", token.as_str()), ("statement", "I priced ten vendors last term.")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let application = r.headers()["location"].to_str().unwrap().to_owned();
    for to in ["shortlisted", "offered"] {
        let r = post(app, &w.recruiter_a, &format!("{application}/move"), &[("to", to.to_owned())]).await;
        assert_eq!(r.status(), 303, "the recruiter moves it to {to}");
    }
    let page = get(app, ava, &application).await.text().await.unwrap();
    assert!(page.contains("Accept the offer"), "her own application shows her the student's choices");
    let r = post(app, ava, &format!("{application}/move"), &[("to", "accepted".to_owned())]).await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    let application_id = application.trim_start_matches("/applications/").to_owned();
    let engagement = app
        .with_db(move |c| {
            use diesel::prelude::*;
            use waypoint::db::schema::engagements;
            engagements::table
                .filter(engagements::application_id.eq(&application_id))
                .select(engagements::id)
                .first::<String>(c)
                .optional()
                .unwrap()
        })
        .await
        .expect("accepting started the project");
    let page = get(app, ava, &format!("/engagements/{engagement}")).await.text().await.unwrap();
    assert!(page.contains("Submit the deliverable"));
    let r = post(
        app,
        ava,
        &format!("/engagements/{engagement}/move"),
        &[("step", "deliver".to_owned()), ("deliverable_url", "https://drive.example.edu/pricing".to_owned())],
    )
    .await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    let page = get(app, ava, &format!("/engagements/{engagement}")).await.text().await.unwrap();
    assert!(page.contains("submitted"), "delivered");
    // On someone else's application she is the office: no student's buttons, no payment of her own.
    let page = get(app, ava, &format!("/applications/{}", w.b.application)).await;
    assert_eq!(page.status(), 200);
    assert!(!page.text().await.unwrap().contains("Accept the offer"));
    let r = post(
        app,
        ava,
        &format!("/engagements/{engagement}/payment"),
        &[("amount", "400".to_owned()), ("paid_on", "2026-11-25".to_owned())],
    )
    .await;
    assert_eq!(r.status(), 404, "as the student, she does not record her own payment");
}

/// Every page and file (student records or not) is `Cache-Control: no-store`; only the
/// public assets may be cached.
#[tokio::test]
async fn no_page_is_kept_in_the_browser_cache() {
    let w = world().await;
    let app = &w.app;
    let b = &w.b;
    let anonymous = crate::helpers::browser();
    let mut pages: Vec<(&reqwest::Client, String)> = vec![
        // Applications, projects, postings with applicants, session rosters (employer side).
        (&w.recruiter_b, format!("/applications/{}", b.application)),
        (&w.recruiter_b, format!("/engagements/{}", b.done_engagement)),
        (&w.recruiter_b, format!("/workspace/postings/{}", b.posting)),
        (&w.recruiter_b, format!("/postings/{}", b.posting)),
        (&w.recruiter_b, format!("/workspace/sessions/{}", b.session)),
        (&w.recruiter_b, "/workspace".to_owned()),
        (&w.recruiter_b, "/workspace/profile".to_owned()),
        // The student's own.
        (&w.ben, "/dashboard".to_owned()),
        (&w.ben, "/account".to_owned()),
        (&w.ben, format!("/applications/{}", b.application)),
        (&w.ben, format!("/engagements/{}", b.active_engagement)),
        (&w.ben, "/inbox".to_owned()),
        (&w.ben, "/opportunities".to_owned()),
        // The office's.
        (&w.counselor, format!("/employers/{}", b.employer)),
        (&w.counselor, "/employers".to_owned()),
        (&w.counselor, "/review".to_owned()),
        (&w.counselor, format!("/applications/{}", b.application)),
        // Error pages and sign-in pages.
        (&w.ava, format!("/applications/{}", b.application)),
        (&anonymous, "/".to_owned()),
        (&anonymous, "/login".to_owned()),
        (&anonymous, "/no-such-page".to_owned()),
        (&anonymous, "/dashboard".to_owned()),
    ];
    pages.push((&w.recruiter_a, format!("/postings/{}", b.posting)));
    let mut wrong = Vec::new();
    for (who, path) in &pages {
        let r = get(app, who, path).await;
        let cache = r.headers().get("cache-control").map(|v| v.to_str().unwrap().to_owned());
        if cache.as_deref() != Some("no-store") {
            wrong.push(format!("GET {path} ({}): Cache-Control {cache:?}", r.status()));
        }
    }
    // A page shown after a form post too (a refused move renders the application).
    let r = post(app, &w.ben, &format!("/applications/{}/move", b.application), &[("to", "accepted".to_owned())]).await;
    assert_eq!(r.status(), 409);
    assert_eq!(r.headers().get("cache-control").map(|v| v.to_str().unwrap()), Some("no-store"));
    assert!(wrong.is_empty(), "cacheable pages:\n{}", wrong.join("\n"));
    // The stylesheet is public and may be cached.
    let r = get(app, &anonymous, "/assets/site.css").await;
    let cache = r.headers()["cache-control"].to_str().unwrap().to_owned();
    assert!(cache.contains("max-age") && !cache.contains("no-store"), "{cache}");
}
