//! What each side sees of partners: the students' catalogue (search, filters, tags,
//! eligibility) and the recruiter's workspace (its own employer only, audited reads).

use crate::fixtures::{application, employer, posting, session, sql, student, Posting};
use crate::helpers::TestApp;
use crate::idp::{csrf_token, spawn_with_idp, Idp};
use crate::partners::{get, n, post};
use crate::recruiters::{accept, invite, link_in};
#[tokio::test]
async fn the_catalogue_searches_and_filters_the_same_on_both_backends() {
    let (app, idp) = spawn_with_idp(None).await;
    let bright = employer(&app, "Brightpath Analytics", "Software", Some("brightpath.com"), "active").await;
    let harbor = employer(&app, "Harbor Health", "Healthcare", Some("harborhealth.org"), "active").await;
    let paused = employer(&app, "Cedar Works", "Manufacturing", Some("cedarworks.com"), "paused").await;
    posting(
        &app,
        &bright,
        Posting {
            title: "Competitor pricing scan",
            description: "Benchmark the pricing pages of ten analytics vendors.",
            skills: "excel,market-research",
            hours: 10,
            fee_cents: 40_000,
            opened_at: "2026-11-10 09:00:00",
            apply_by: "2099-03-01",
            ..Default::default()
        },
    )
    .await;
    posting(
        &app,
        &bright,
        Posting {
            title: "Dashboard for churn",
            description: "Build a Tableau dashboard from our trial data.",
            skills: "tableau,sql",
            hours: 30,
            fee_cents: 120_000,
            opened_at: "2026-11-12 09:00:00",
            apply_by: "2099-01-10",
            colleges: "College of Engineering",
            ..Default::default()
        },
    )
    .await;
    posting(
        &app,
        &harbor,
        Posting {
            title: "Patient survey summary",
            description: "Code open answers of a patient survey and write a two-page summary.",
            skills: "writing,qualitative-research",
            hours: 8,
            fee_cents: 25_000,
            remote: false,
            opened_at: "2026-11-11 09:00:00",
            apply_by: "2099-02-01",
            majors: "Public Health,Nursing",
            ..Default::default()
        },
    )
    .await;
    posting(&app, &harbor, Posting { title: "Old closed project", status: "closed", ..Default::default() }).await;
    posting(&app, &harbor, Posting { title: "Deadline passed", apply_by: "2020-01-01", ..Default::default() }).await;
    posting(&app, &paused, Posting { title: "Paused partner project", ..Default::default() }).await;
    student(&app, "N1", "ava.okafor@northfield.edu", "School of Business", "Finance", 2027).await;
    let ava = app.signed_in(&idp, "student").await;

    let titles = |html: &str| -> Vec<String> {
        html.split("<li class=\"listing\">")
            .skip(1)
            .map(|l| l.split("\">").nth(1).unwrap().split('<').next().unwrap().to_owned())
            .collect()
    };
    let search = |q: &str| {
        let (app, ava, q) = (&app, &ava, q.to_owned());
        async move {
            let (status, html) = get(app, ava, &format!("/opportunities?{q}")).await;
            assert_eq!(status, 200, "{q}");
            titles(&html)
        }
    };
    assert_eq!(
        search("").await,
        ["Dashboard for churn", "Patient survey summary", "Competitor pricing scan"],
        "newest first; only open, current, active partners"
    );
    assert_eq!(search("q=tableau").await, ["Dashboard for churn"], "a word of the description");
    assert_eq!(search("q=benchmark+vendors").await, ["Competitor pricing scan"], "every word must match");
    assert_eq!(search("q=harbor").await, ["Patient survey summary"], "the employer's name");
    assert_eq!(search("q=survey+summ").await, ["Patient survey summary"], "prefixes");
    assert_eq!(search("q=surveys").await, ["Patient survey summary"], "stems");
    // Query syntax of either backend is only text: quotes, operators and stars match nothing special.
    assert_eq!(
        search("q=%22tableau%22+OR+*").await,
        ["Dashboard for churn"],
        "\"tableau\" OR * is the word tableau (and `or`)"
    );
    assert!(search("q=NEAR%28a+b%29+%26+%21x%3A*").await.is_empty());
    assert_eq!(search("skills=sql").await, ["Dashboard for churn"]);
    assert_eq!(search("skills=SQL,%20tableau").await, ["Dashboard for churn"]);
    assert!(search("skills=sq").await.is_empty(), "skills match whole tags");
    assert_eq!(search("industry=Healthcare").await, ["Patient survey summary"]);
    assert_eq!(search("remote=onsite").await, ["Patient survey summary"]);
    assert_eq!(search("remote=remote").await.len(), 2);
    assert_eq!(search("hours_min=9&hours_max=20").await, ["Competitor pricing scan"]);
    assert_eq!(search("fee_min=300").await, ["Dashboard for churn", "Competitor pricing scan"]);
    assert_eq!(search("fee_max=300").await, ["Patient survey summary"]);
    assert_eq!(search("apply_by=2099-01-31").await, ["Patient survey summary", "Competitor pricing scan"]);
    assert_eq!(
        search("eligible=on").await,
        ["Competitor pricing scan"],
        "Ava studies Finance in the School of Business"
    );
    assert_eq!(
        search("sort=apply_by").await,
        ["Dashboard for churn", "Patient survey summary", "Competitor pricing scan"]
    );
    assert_eq!(search("sort=fee").await, ["Dashboard for churn", "Competitor pricing scan", "Patient survey summary"]);
    assert_eq!(search(&format!("employer={harbor}")).await, ["Patient survey summary"]);

    // Bad filter values are named, and the others still apply.
    let (status, html) = get(&app, &ava, "/opportunities?hours_min=lots&industry=Healthcare").await;
    assert_eq!(status, 422);
    assert!(html.contains("href=\"#field-hours_min\"") && titles(&html) == ["Patient survey summary"]);

    // The index follows renames and edits.
    sql(&app, format!("UPDATE employers SET name = 'Lighthouse Analytics' WHERE id = '{bright}'")).await;
    assert_eq!(search("q=lighthouse").await.len(), 2);
    assert!(search("q=brightpath").await.is_empty());
    sql(&app, "UPDATE opportunities SET description = 'Interview five nurses about scheduling.' WHERE title = 'Patient survey summary'".into()).await;
    assert_eq!(search("q=nurses").await, ["Patient survey summary"]);
    assert!(search("q=survey+code").await.is_empty());

    // Stable page links keep the filters.
    for i in 0..25 {
        let title = format!("Bulk project {i:02}");
        posting(
            &app,
            &harbor,
            Posting {
                title: &title,
                description: "Data entry into our CRM.",
                skills: "data-entry",
                ..Default::default()
            },
        )
        .await;
    }
    let (_, html) = get(&app, &ava, "/opportunities?skills=data-entry&sort=apply_by").await;
    assert_eq!(titles(&html).len(), 20);
    assert!(html.contains("25 projects found"));
    let next = html
        .split("rel=\"next\"")
        .next()
        .unwrap()
        .rsplit("href=\"")
        .next()
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .replace("&amp;", "&")
        .replace("&#x3D;", "=");
    assert!(next.starts_with("/opportunities?skills=data-entry&sort=apply_by&after="), "{next}");
    let (_, page2) = get(&app, &ava, &next).await;
    assert_eq!(titles(&page2).len(), 5);
}

/// Skills and eligibility are matched exactly, in one normal form, by the catalogue's SQL
/// and by the apply check alike: no LIKE wildcard, no case or spacing trap.
#[tokio::test]
async fn catalogue_tags_match_exactly_and_eligibility_is_one_rule() {
    let (app, idp) = spawn_with_idp(None).await;
    let bright = employer(&app, "Brightpath Analytics", "Software", Some("brightpath.com"), "active").await;
    let stats = posting(
        &app,
        &bright,
        Posting {
            title: "Churn model in R",
            skills: "r,statistics",
            opened_at: "2026-11-12 09:00:00",
            ..Default::default()
        },
    )
    .await;
    posting(
        &app,
        &bright,
        Posting {
            title: "Competitor pricing scan",
            skills: "excel,market-research",
            opened_at: "2026-11-11 09:00:00",
            ..Default::default()
        },
    )
    .await;
    let health = posting(
        &app,
        &bright,
        Posting {
            title: "Clinic wait times",
            skills: "excel",
            opened_at: "2026-11-10 09:00:00",
            colleges: "College of Health and Human Services, School of Business",
            majors: "Économie, Public Health",
            class_years: "2026, 2027",
            ..Default::default()
        },
    )
    .await;
    // Roster records as the SIS wrote them: odd case and stray spaces.
    student(&app, "N1", "ava.okafor@northfield.edu", "school of  business", "PUBLIC HEALTH ", 2027).await;
    student(&app, "N2", "ben.lee@northfield.edu", "School of Business", "ÉCONOMIE", 2027).await;
    let ava = app.signed_in(&idp, "student").await;
    let ben = app.signed_in(&idp, "student-array").await;
    let titles = |html: &str| -> Vec<String> {
        html.split("<li class=\"listing\">")
            .skip(1)
            .map(|l| l.split("\">").nth(1).unwrap().split('<').next().unwrap().to_owned())
            .collect()
    };
    let search = |who: &reqwest::Client, q: &str| {
        let (app, who, q) = (&app, who.clone(), q.to_owned());
        async move {
            let (status, html) = get(app, &who, &format!("/opportunities?{q}")).await;
            assert_eq!(status, 200, "{q}");
            titles(&html)
        }
    };
    assert_eq!(search(&ava, "").await.len(), 3);
    for wildcard in ["skills=%25", "skills=_", "skills=%25%25", "skills=e%25", "skills=%25r%25", "skills=r_"] {
        assert!(search(&ava, wildcard).await.is_empty(), "{wildcard} is a literal tag, not a pattern");
    }
    assert_eq!(search(&ava, "skills=R").await, ["Churn model in R"], "a one-letter tag is matched exactly");
    assert_eq!(search(&ava, "skills=Market%20%20Research").await, ["Competitor pricing scan"], "one normal form");
    assert_eq!(search(&ava, "skills=%20EXCEL%20").await, ["Competitor pricing scan", "Clinic wait times"]);
    assert_eq!(search(&ava, "skills=excel,market-research").await, ["Competitor pricing scan"], "every tag");

    // "Eligible for me" (SQL) and the apply check (Rust) agree, whatever the case.
    for (who, name) in [(&ava, "Ava"), (&ben, "Ben")] {
        assert_eq!(
            search(who, "eligible=on&skills=excel").await,
            ["Competitor pricing scan", "Clinic wait times"],
            "{name} is eligible in the catalogue"
        );
        let (_, page) = get(&app, who, &format!("/opportunities/{health}")).await;
        assert!(!page.contains("You cannot apply"), "{name}: the posting's page agrees");
        let token = csrf_token(&page).unwrap();
        let r = who
            .post(format!("{}/opportunities/{health}/apply", app.address))
            .header("Origin", &app.address)
            .form(&[("csrf_token", token.as_str()), ("statement", "I know this field well.")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303, "{name} may apply: {}", r.text().await.unwrap_or_default());
    }
    // And they agree on a refusal.
    let seniors = posting(
        &app,
        &bright,
        Posting {
            title: "Seniors only",
            skills: "excel",
            majors: "public health",
            class_years: "2026",
            ..Default::default()
        },
    )
    .await;
    assert!(!search(&ava, "eligible=on&skills=excel").await.contains(&"Seniors only".to_owned()));
    assert!(search(&ava, "skills=excel").await.contains(&"Seniors only".to_owned()));
    let (_, page) = get(&app, &ava, &format!("/opportunities/{seniors}")).await;
    assert!(page.contains("You cannot apply: this project is open to the classes of 2026 only"), "{page}");
    let token = csrf_token(&page).unwrap();
    let r = ava
        .post(format!("{}/opportunities/{seniors}/apply", app.address))
        .header("Origin", &app.address)
        .form(&[("csrf_token", token.as_str()), ("statement", "Please.")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let (_, page) = get(&app, &ava, &format!("/opportunities/{stats}")).await;
    assert!(!page.contains("You cannot apply"), "a posting open to all");

    // A posting saved through the form is tagged by the same rule.
    let counselor = app.signed_in(&idp, "counselor").await;
    let (status, _) = post(
        &app,
        &counselor,
        &format!("/employers/{bright}/postings"),
        &[
            ("title", "Survey of campus recruiters"),
            ("description", "Interview ten campus recruiters and summarise what they look for, with quotes."),
            ("category", "research"),
            ("skills", "Qualitative  Research, INTERVIEWING"),
            ("hours", "10"),
            ("fee", "400"),
            ("mode", "remote"),
            ("apply_by", "2099-01-10"),
            ("due_by", "2099-02-10"),
            ("openings", "1"),
            ("eligible_majors", " public  HEALTH "),
            ("intent", "submit"),
        ],
    )
    .await;
    assert_eq!(status, 303);
    sql(&app, "UPDATE opportunities SET status = 'open', opened_at = '2026-11-13 09:00:00' WHERE title = 'Survey of campus recruiters'".into()).await;
    assert_eq!(search(&ava, "skills=qualitative-research,interviewing").await, ["Survey of campus recruiters"]);
    assert_eq!(search(&ava, "eligible=on&skills=interviewing").await, ["Survey of campus recruiters"]);
    assert!(search(&ben, "eligible=on&skills=interviewing").await.is_empty(), "Ben's major is not listed");
}

/// Two employers, each with a recruiter, a posting (with an applicant) and a session.
async fn two_employers(app: &TestApp, idp: &Idp) -> (reqwest::Client, String, String, String, String) {
    let a = employer(app, "Brightpath Analytics", "Software", Some("brightpath.com"), "active").await;
    let b = employer(app, "Harbor Health", "Healthcare", Some("harborhealth.org"), "active").await;
    let counselor = app.signed_in(idp, "counselor").await;
    let r = invite(app, &counselor, &a, "rosa.diaz@brightpath.com").await;
    let (recruiter_a, _) = accept(app, &link_in(&r.text().await.unwrap()), "a long enough passphrase").await;
    let b_posting = posting(app, &b, Posting { title: "Harbor secret project", ..Default::default() }).await;
    let s = student(app, "N9", "nia@northfield.edu", "School of Business", "Finance", 2027).await;
    application(app, &b_posting, &s, "submitted").await;
    let b_session = session(app, &b).await;
    (recruiter_a, a, b, b_posting, b_session)
}

#[tokio::test]
async fn a_recruiter_reaches_nothing_of_another_employer_on_any_route() {
    let (app, idp) = spawn_with_idp(None).await;
    let (ra, a, b, b_posting, b_session) = two_employers(&app, &idp).await;
    let audit_before =
        n(&app, "SELECT COUNT(*) AS n FROM audit_events WHERE action IN ('applicants.viewed', 'registrations.viewed')")
            .await;
    for path in [
        format!("/employers/{b}"),
        format!("/employers/{b}/edit"),
        "/employers".into(),
        "/employers/new".into(),
        "/employers/import".into(),
        format!("/workspace/postings/{b_posting}"),
        format!("/workspace/sessions/{b_session}"),
        format!("/opportunities/{b_posting}"),
        format!("/partners/{b}"),
        "/opportunities".into(),
        "/partners".into(),
        format!("/employers/{a}"),
    ] {
        let (status, html) = get(&app, &ra, &path).await;
        assert_eq!(status, 404, "GET {path}");
        assert!(!html.contains("Harbor"), "GET {path} leaks the other employer");
    }
    for (path, fields) in [
        (format!("/employers/{b}/status"), vec![("to", "paused")]),
        (format!("/employers/{b}/status"), vec![("to", "paused"), ("confirm", "yes")]),
        (format!("/employers/{b}/vetting"), vec![("domain_verified", "yes")]),
        (format!("/employers/{b}/edit"), vec![("name", "Mine now"), ("industry", "x")]),
        (format!("/employers/{b}/terms"), vec![("tier", "standard")]),
        (format!("/employers/{b}/partnerships"), vec![("tier", "standard")]),
        ("/employers".into(), vec![("name", "New"), ("industry", "x"), ("tier", "gold")]),
    ] {
        let (status, _) = post(&app, &ra, &path, &fields).await;
        assert_eq!(status, 404, "POST {path}");
    }
    assert_eq!(
        n(&app, &format!("SELECT COUNT(*) AS n FROM employers WHERE id = '{b}' AND name = 'Harbor Health'")).await,
        1
    );
    assert_eq!(n(&app, "SELECT COUNT(*) AS n FROM employer_vettings").await, 0);
    assert_eq!(
        n(&app, &format!("SELECT COUNT(*) AS n FROM partnerships WHERE employer_id = '{b}' AND status = 'active'"))
            .await,
        1
    );
    assert_eq!(
        n(&app, "SELECT COUNT(*) AS n FROM audit_events WHERE action IN ('applicants.viewed', 'registrations.viewed')")
            .await,
        audit_before,
        "no student data was read"
    );
    // Their own workspace shows their own employer only.
    let (status, html) = get(&app, &ra, "/workspace").await;
    assert_eq!(status, 200);
    assert!(html.contains("Brightpath Analytics") && !html.contains("Harbor"));
}

#[tokio::test]
async fn the_workspace_edits_the_own_profile_and_audits_reads_of_applicants() {
    let (app, idp) = spawn_with_idp(None).await;
    let (ra, a, b, _, _) = two_employers(&app, &idp).await;
    let mine = posting(&app, &a, Posting { title: "Brightpath churn study", ..Default::default() }).await;
    let s = student(&app, "N10", "leo@northfield.edu", "College of Engineering", "Computer Science", 2026).await;
    application(&app, &mine, &s, "shortlisted").await;
    let my_session = session(&app, &a).await;

    let (status, html) = get(&app, &ra, &format!("/workspace/postings/{mine}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Student N10") && html.contains("Computer Science"));
    assert_eq!(n(&app, &format!("SELECT COUNT(*) AS n FROM audit_events WHERE action = 'applicants.viewed' AND subject_id = '{mine}' AND actor_label = 'rosa.diaz@brightpath.com'")).await, 1);
    assert_eq!(get(&app, &ra, &format!("/workspace/sessions/{my_session}")).await.0, 200);
    assert_eq!(n(&app, "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'registrations.viewed'").await, 1);

    let (status, _) = post(
        &app,
        &ra,
        "/workspace/profile",
        &[
            ("industry", "Software"),
            ("website", "https://brightpath.com"),
            ("size", "11-50"),
            ("location", "Remote-first"),
            ("description", "We build analytics for B2B SaaS."),
        ],
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(n(&app, &format!("SELECT COUNT(*) AS n FROM employers WHERE id = '{a}' AND location = 'Remote-first' AND size = '11-50' AND name = 'Brightpath Analytics'")).await, 1);
    assert_eq!(
        n(&app, &format!("SELECT COUNT(*) AS n FROM employers WHERE id = '{b}' AND location = 'Boston, MA'")).await,
        1,
        "the other employer is untouched"
    );
    let (status, html) = post(&app, &ra, "/workspace/profile", &[("industry", ""), ("website", "not a site")]).await;
    assert_eq!(status, 422);
    assert!(html.contains("href=\"#field-website\""));
}
