//! The office dashboard (`/office/dashboard`): on a hand-built world, its rates are
//! first-destination.csv's for the same filters, its funnel and conversions are the counts
//! worked out by hand below; its conversion chart is conversions.csv's rows and its fair
//! attendance chart fair-attendance.csv's rows summed per employer, for the same filters
//! (the CSV fetched from the chart's own link); filters are checked by the reports' rules
//! (400, told beside the field, values kept); only counselors and admins see it; it is
//! never cached.

use crate::fixtures::{application, employer, posting, sql, student, Posting};
use crate::helpers::TestApp;
use crate::idp::{spawn_with_idp_at, Idp};
use crate::recruiters::a_recruiter;

/// An outcome: `(category, primary, known_on, employer_id, offer_on, accepted_on)`.
type Outcome<'a> = (&'a str, bool, &'a str, Option<&'a str>, Option<&'a str>, Option<&'a str>);

/// A graduate in `college` with graduation term `term`, and their outcomes
/// `(category, primary, known_on, employer_id, offer_on, accepted_on)`.
async fn graduate(app: &TestApp, number: &str, college: &str, term: &str, outcomes: &[Outcome<'_>]) -> String {
    let s = student(app, number, &format!("{}@northfield.edu", number.to_lowercase()), college, "Physics", 2026).await;
    sql(app, format!("UPDATE students SET graduation_term = '{term}' WHERE id = '{s}'")).await;
    let opt = |v: Option<&str>| v.map(|v| format!("'{v}'")).unwrap_or_else(|| "NULL".into());
    for (category, primary, known_on, employer_id, offer_on, accepted_on) in outcomes {
        let id = uuid::Uuid::new_v4();
        sql(
            app,
            format!(
                "INSERT INTO outcomes (id, student_id, category, employer_id, organization, currency, source, is_primary, offer_on, accepted_on, known_on, created_at, updated_at) \
                 VALUES ('{id}', '{s}', '{category}', {}, NULL, 'USD', 'counselor', {primary}, {}, {}, '{known_on}', '{known_on} 09:00:00', '{known_on} 09:00:00')",
                opt(*employer_id),
                opt(*offer_on),
                opt(*accepted_on),
            ),
        )
        .await;
    }
    s
}

/// A project from an accepted application; completed on `completed_on` when given.
async fn project(
    app: &TestApp,
    posting_id: &str,
    employer_id: &str,
    student_id: &str,
    completed_on: Option<&str>,
) -> String {
    let a = application(app, posting_id, student_id, "accepted").await;
    let id = uuid::Uuid::new_v4().to_string();
    let (status, completed, rating) = match completed_on {
        Some(d) => ("completed", format!("'{d}'"), "5"),
        None => ("active", "NULL".into(), "NULL"),
    };
    sql(
        app,
        format!(
            "INSERT INTO engagements (id, application_id, opportunity_id, student_id, employer_id, status, started_on, due_on, completed_on, rating, created_at, updated_at) \
             VALUES ('{id}', '{a}', '{posting_id}', '{student_id}', '{employer_id}', '{status}', '2026-10-01', '2026-12-31', {completed}, {rating}, '2026-10-01 09:00:00', '2026-10-01 09:00:00')"
        ),
    )
    .await;
    id
}

async fn offer(app: &TestApp, engagement: &str, employer_id: &str, student_id: &str, offer_on: &str, status: &str) {
    let id = uuid::Uuid::new_v4();
    sql(
        app,
        format!(
            "INSERT INTO offers (id, engagement_id, employer_id, student_id, kind, job_title, offer_on, status, created_at, updated_at) \
             VALUES ('{id}', '{engagement}', '{employer_id}', '{student_id}', 'full_time', 'Analyst', '{offer_on}', '{status}', '{offer_on} 09:00:00', '{offer_on} 09:00:00')"
        ),
    )
    .await;
}

const BIRCH: &str = "<script>alert(1)</script> Birch & Co";

/// The world the counts below are worked out on (campus date November 30, 2026).
async fn world(app: &TestApp) -> (String, String) {
    let acme = employer(app, "Acme Labs", "Research", Some("acme.example"), "active").await;
    let birch = employer(app, BIRCH, "Retail", Some("birch.example"), "active").await;
    // Class of 2026 (terms 2025-07 … 2026-06), outcomes known by December 31, 2026.
    // Engineering: E1 full-time (primary); E2 seeking; E3 part-time then full-time (the
    // later counts); E4 not seeking; E5 nothing known: 5 graduates, 4 known → 80.00%;
    // career (E1, E3) 2 ÷ (4 − 1 not seeking) = 66.67%.
    let e1 =
        graduate(app, "E1", "Engineering", "2026-05", &[("employed_full_time", true, "2026-10-30", None, None, None)])
            .await;
    let e2 =
        graduate(app, "E2", "Engineering", "2026-05", &[("seeking_employment", false, "2026-09-01", None, None, None)])
            .await;
    // E3's outcomes name employers with offer dates: Acme's on the day E3 completed the
    // Acme project (not after it: no conversion), Birch's after (but E3 never completed a
    // Birch project: no conversion either).
    let e3 = graduate(
        app,
        "E3",
        "Engineering",
        "2025-12",
        &[
            ("employed_part_time", false, "2026-11-06", Some(&acme), Some("2026-11-05"), None),
            ("employed_full_time", false, "2026-11-22", Some(&birch), Some("2026-11-20"), Some("2026-11-22")),
        ],
    )
    .await;
    graduate(app, "E4", "Engineering", "2026-05", &[("not_seeking", false, "2026-08-01", None, None, None)]).await;
    graduate(app, "E5", "Engineering", "2026-06", &[]).await;
    // Arts: A1 continuing education, A2 nothing: 2 graduates, 1 known → 50.00%; career 1 ÷ 1 = 100.00%.
    let a1 = graduate(app, "A1", "Arts", "2026-05", &[("continuing_education", false, "2026-07-01", None, None, None)])
        .await;
    let a2 = graduate(app, "A2", "Arts", "2026-05", &[]).await;
    // Class of 2025: F1 (Engineering) military: 1 ÷ 1 = 100.00%, 100.00%.
    graduate(app, "F1", "Engineering", "2025-05", &[("military", true, "2025-09-01", None, None, None)]).await;
    // Class of 2027: G1 graduates in December 2026, not yet a graduate on November 30.
    graduate(app, "G1", "Engineering", "2026-12", &[]).await;

    // Postings: P1 and P2 (Acme, opened October 1 and November 1), P3 (Birch, November 2),
    // P4 (Acme, a draft: never opened, not in the funnel).
    let p1 = posting(app, &acme, Posting { title: "P1", opened_at: "2026-10-01 14:00:00", ..Default::default() }).await;
    let p2 = posting(app, &acme, Posting { title: "P2", opened_at: "2026-11-01 14:00:00", ..Default::default() }).await;
    let p3 =
        posting(app, &birch, Posting { title: "P3", opened_at: "2026-11-02 14:00:00", ..Default::default() }).await;
    let p4 = posting(app, &acme, Posting { title: "P4", status: "draft", ..Default::default() }).await;
    sql(app, format!("UPDATE opportunities SET opened_at = NULL WHERE id = '{p4}'")).await;
    // Applications: E2 to P1 (not taken); projects: E1 on P1 (completed October 20, offered
    // October 25, accepted), A1 on P1 (active), E3 on P2 (completed November 5), A2 on P3
    // (completed November 10, offered November 15, no answer yet).
    application(app, &p1, &e2, "rejected").await;
    let e1p = project(app, &p1, &acme, &e1, Some("2026-10-20")).await;
    project(app, &p1, &acme, &a1, None).await;
    project(app, &p2, &acme, &e3, Some("2026-11-05")).await;
    let a2p = project(app, &p3, &birch, &a2, Some("2026-11-10")).await;
    offer(app, &e1p, &acme, &e1, "2026-10-25", "accepted").await;
    offer(app, &a2p, &birch, &a2, "2026-11-15", "extended").await;
    fair(app, &acme, &birch).await;
    (acme, birch)
}

/// The Autumn Fair (times UTC; campus is UTC−5): Acme's “Data careers” (2 seats, November
/// 10): E1 came, E2 did not, A1 waits; Acme's one-on-one “Portfolio chat” (November 12,
/// 04:30 UTC: November 11 on campus): A2 came; Birch's “Store tour” (December 2, not held
/// yet): E3 registered. Acme: 2 sessions, 3 registered, 2 came, 1 no-show, 2 ÷ 3 = 66.67%;
/// Birch: 1 session, 1 registered, no rate yet.
async fn fair(app: &TestApp, acme: &str, birch: &str) {
    sql(app, "INSERT INTO fairs (id, name, description, starts_at, ends_at, status, created_at, updated_at) VALUES ('fair-1', 'Autumn Fair', '', '2026-11-10 14:00:00', '2026-12-02 22:00:00', 'published', '2026-10-01 09:00:00', '2026-10-01 09:00:00')".into()).await;
    for (id, employer, kind, title, starts, ends, capacity) in [
        ("fs-1", acme, "group", "Data careers", "2026-11-10 15:00:00", "2026-11-10 16:00:00", 2),
        ("fs-2", acme, "one_on_one", "Portfolio chat", "2026-11-12 04:30:00", "2026-11-12 04:50:00", 1),
        ("fs-3", birch, "group", "Store tour", "2026-12-02 15:00:00", "2026-12-02 16:00:00", 10),
    ] {
        sql(
            app,
            format!(
                "INSERT INTO fair_sessions (id, fair_id, employer_id, kind, title, description, starts_at, ends_at, capacity, meeting_url, status, sequence, created_at, updated_at) \
                 VALUES ('{id}', 'fair-1', '{employer}', '{kind}', '{title}', '', '{starts}', '{ends}', {capacity}, 'https://meet.example.com/{id}', 'scheduled', 0, '2026-10-01 09:00:00', '2026-10-01 09:00:00')"
            ),
        )
        .await;
    }
    for (id, session, number, status, position, attended) in [
        ("r-1", "fs-1", "E1", "registered", "NULL", "'2026-11-10 15:02:00'"),
        ("r-2", "fs-1", "E2", "registered", "NULL", "NULL"),
        ("r-3", "fs-1", "A1", "waitlisted", "1", "NULL"),
        ("r-4", "fs-2", "A2", "registered", "NULL", "'2026-11-12 04:31:00'"),
        ("r-5", "fs-3", "E3", "registered", "NULL", "NULL"),
    ] {
        sql(
            app,
            format!(
                "INSERT INTO registrations (id, session_id, student_id, status, waitlist_position, attended_at, sequence, created_at, updated_at) \
                 SELECT '{id}', '{session}', s.id, '{status}', {position}, {attended}, 0, '2026-11-01 09:00:00', '2026-11-01 09:00:00' \
                 FROM students s WHERE s.student_number = '{number}'"
            ),
        )
        .await;
    }
}

async fn page(app: &TestApp, b: &reqwest::Client, query: &str) -> (u16, String) {
    let r = b.get(format!("{}/office/dashboard{query}", app.address)).send().await.unwrap();
    let status = r.status().as_u16();
    assert_eq!(r.headers().get("cache-control").map(|v| v.to_str().unwrap()), Some("no-store"), "{query}");
    (status, squeezed(&r.text().await.unwrap()))
}

/// The page without the white space between its tags (the template lays rows out on lines).
fn squeezed(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut pending = String::new();
    for c in html.chars() {
        if c.is_whitespace() && out.ends_with('>') {
            pending.push(c);
            continue;
        }
        if c != '<' {
            out.push_str(&pending);
        }
        pending.clear();
        out.push(c);
    }
    out + &pending
}

/// A table row as the page writes it: the first cell its header.
fn row(cells: &[&str]) -> String {
    let mut out = format!("<tr><th scope=\"row\">{}</th>", cells[0]);
    for c in &cells[1..] {
        out.push_str(&format!("<td>{c}</td>"));
    }
    out + "</tr>"
}

/// The funnel's six counts, as its table rows.
fn funnel(counts: [u32; 6]) -> String {
    let steps = [
        "Postings",
        "Applications",
        "Projects started",
        "Projects completed",
        "Offers after a project",
        "Hires (offers accepted)",
    ];
    steps.iter().zip(counts).map(|(s, n)| row(&[s, &n.to_string()])).collect::<Vec<_>>().join("")
}

/// "0.6667" → "66.67%" (the CSV's rate as the dashboard shows it).
fn percent(cell: &str) -> String {
    if cell.is_empty() {
        return "no rate".into();
    }
    let n: u64 = cell.replace('.', "").parse().unwrap();
    format!("{}.{:02}%", n / 100, n % 100)
}

fn unescape(html: &str) -> String {
    html.replace("&#x3D;", "=").replace("&amp;", "&")
}

/// A query string of `pairs`, encoded.
fn query(pairs: &[(&str, &str)]) -> String {
    format!("?{}", serde_urlencoded::to_string(pairs).unwrap())
}

/// A name as the page writes it in text.
fn text(name: &str) -> String {
    name.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// The part of the page that is panel `id`.
fn panel<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html.find(&format!("<section class=\"panel\" id=\"{id}\"")).unwrap_or_else(|| panic!("panel {id}"));
    let end = start + html[start..].find("</section>").unwrap();
    &html[start..end]
}

/// The rows (header left out) of the CSV that panel `id` links to, fetched by its link.
async fn linked_rows(app: &TestApp, b: &reqwest::Client, html: &str, id: &str) -> Vec<Vec<String>> {
    let part = unescape(panel(html, id));
    let start = part.find("href=\"/reports/").unwrap_or_else(|| panic!("{id} links its CSV")) + 6;
    let href = &part[start..start + part[start..].find('"').unwrap()];
    let r = b.get(format!("{}{href}", app.address)).send().await.unwrap();
    assert_eq!(r.status(), 200, "{href}");
    let text = r.text().await.unwrap();
    csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

/// `n ÷ d` with 4 decimals, half up (empty over zero), as the reports write rates.
fn rate(n: u64, d: u64) -> String {
    if d == 0 {
        return String::new();
    }
    let scaled = (n * 20_000 + d) / (2 * d);
    format!("{}.{:04}", scaled / 10_000, scaled % 10_000)
}

/// The conversion chart's table is conversions.csv's rows for the page's filters, its
/// chart has a bar per employer row; answers how many employers.
async fn conversions_match_the_csv(app: &TestApp, b: &reqwest::Client, html: &str) -> usize {
    let rows = linked_rows(app, b, html, "conversions").await;
    let (all, employers) = rows.split_last().expect("the CSV closes with All employers");
    assert_eq!(all[0], "All employers");
    let part = panel(html, "conversions");
    let shown = |r: &[String], name: &str| {
        let median = if r[7].is_empty() { "none" } else { &r[7] };
        row(&[name, &r[2], &r[3], &r[4], &r[5], &percent(&r[6]), median])
    };
    for r in employers {
        assert!(part.contains(&shown(r, &text(&r[0]))), "{r:?} of conversions.csv\n{part}");
        assert!(part.contains(&format!("{} {}", text(&r[0]), percent(&r[6]))), "the chart says {r:?}");
    }
    if !employers.is_empty() {
        assert!(part.contains(&shown(all, "All employers")), "{all:?}\n{part}");
    }
    let total = usize::from(!employers.is_empty());
    assert_eq!(part.matches("<th scope=\"row\">").count(), employers.len() + total, "no other row\n{part}");
    employers.len()
}

/// The fair attendance chart's table is fair-attendance.csv's rows for the page's filters,
/// summed per employer: sessions, registered, attended, no-shows, and the rate over the
/// rows that have one (sessions that ended); answers how many employers.
async fn attendance_matches_the_csv(app: &TestApp, b: &reqwest::Client, html: &str) -> usize {
    #[derive(Default)]
    struct Sum {
        sessions: u64,
        registered: u64,
        attended: u64,
        no_shows: u64,
        registered_ended: u64,
        attended_ended: u64,
    }
    impl Sum {
        fn add(&mut self, r: &[String]) {
            let n = |i: usize| r[i].parse::<u64>().unwrap();
            self.sessions += 1;
            self.registered += n(6);
            self.attended += n(8);
            self.no_shows += n(9);
            if !r[10].is_empty() {
                self.registered_ended += n(6);
                self.attended_ended += n(8);
            }
        }
        fn row(&self, name: &str) -> String {
            let cells = [self.sessions, self.registered, self.attended, self.no_shows].map(|n| n.to_string());
            let rate = percent(&rate(self.attended_ended, self.registered_ended));
            row(&[name, &cells[0], &cells[1], &cells[2], &cells[3], &rate])
        }
    }
    let rows = linked_rows(app, b, html, "fair-attendance").await;
    let mut by_employer: std::collections::BTreeMap<String, Sum> = Default::default();
    let mut all = Sum::default();
    for r in &rows {
        by_employer.entry(r[1].clone()).or_default().add(r);
        all.add(r);
    }
    let part = panel(html, "fair-attendance");
    for (employer, sum) in &by_employer {
        assert!(part.contains(&sum.row(&text(employer))), "{employer} from fair-attendance.csv\n{part}");
    }
    if !rows.is_empty() {
        assert!(part.contains(&all.row("All employers")), "{part}");
    }
    let total = usize::from(!rows.is_empty());
    assert_eq!(part.matches("<th scope=\"row\">").count(), by_employer.len() + total, "no other row\n{part}");
    by_employer.len()
}

#[tokio::test]
async fn the_conversion_and_fair_attendance_charts_are_the_rows_of_their_csvs() {
    let (app, idp) = spawn_with_idp_at("2026-11-30", "12:00").await;
    world(&app).await;
    let c = app.signed_in(&idp, "counselor").await;

    // Hand-counted first (see `fair`), then the CSVs for every filter.
    let (_, html) = page(&app, &c, "").await;
    let fairs = panel(&html, "fair-attendance");
    assert!(fairs.contains(&row(&["Acme Labs", "2", "3", "2", "1", "66.67%"])), "{fairs}");
    assert!(fairs.contains(&row(&[&text(BIRCH), "1", "1", "0", "0", "no rate"])), "{fairs}");
    assert!(fairs.contains(&row(&["All employers", "3", "4", "2", "1", "66.67%"])), "{fairs}");
    assert!(fairs.contains("Acme Labs 66.67%"), "the chart's description says it");
    for (filters, conversions, fair_employers) in [
        (String::new(), 2, 2),
        ("?cohort=2026&college=Engineering".into(), 1, 2),
        ("?from=2026-11-01&to=2026-11-30".into(), 2, 1),
        ("?from=2026-11-11&to=2026-11-11".into(), 0, 1),
        ("?employer=Acme+Labs".into(), 1, 1),
        (query(&[("employer", BIRCH), ("cohort", "2026")]), 1, 1),
        ("?cohort=2030&from=2020-01-01&to=2020-01-31".into(), 0, 0),
    ] {
        let (status, html) = page(&app, &c, &filters).await;
        assert_eq!(status, 200, "{filters}");
        assert_eq!(conversions_match_the_csv(&app, &c, &html).await, conversions, "{filters}");
        assert_eq!(attendance_matches_the_csv(&app, &c, &html).await, fair_employers, "{filters}");
    }
    // The fair's link carries only the filters the report takes (a session has no class).
    let (_, html) = page(&app, &c, "?cohort=2026&college=Engineering&employer=Acme+Labs&from=2026-11-01").await;
    assert!(unescape(panel(&html, "fair-attendance"))
        .contains("href=\"/reports/fair-attendance.csv?employer=Acme+Labs&from=2026-11-01\""));
}

/// The dashboard's rows for the class match first-destination.csv's for the same filters.
async fn rates_match_the_csv(app: &TestApp, b: &reqwest::Client, html: &str, csv_query: &str) -> usize {
    let csv = b.get(format!("{}/reports/first-destination.csv?{csv_query}", app.address)).send().await.unwrap();
    assert_eq!(csv.status(), 200);
    let text = csv.text().await.unwrap();
    let mut rows = 0;
    for record in csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes()).records() {
        let r = record.unwrap();
        let expected = row(&[&r[1], &r[2], &r[3], &percent(&r[4]), &percent(&r[14])]);
        assert!(html.contains(&expected), "{expected} (from the CSV) is on the dashboard");
        rows += 1;
    }
    rows
}

#[tokio::test]
async fn the_dashboard_shows_the_csv_s_rates_and_the_hand_counted_funnel_and_conversions() {
    let (app, idp) = spawn_with_idp_at("2026-11-30", "12:00").await;
    world(&app).await;
    // Older classes: 2024 is among the three latest graduated classes, 2023 is not.
    graduate(&app, "H1", "Engineering", "2024-05", &[]).await;
    graduate(&app, "I1", "Engineering", "2023-05", &[]).await;
    let c = app.signed_in(&idp, "counselor").await;

    // No filter: the three latest graduated classes (2026, 2025, 2024), not the class of
    // 2027 (no graduate yet) nor 2023.
    let (status, html) = page(&app, &c, "").await;
    assert_eq!(status, 200);
    assert!(html.contains("Class of 2026: knowledge and career outcomes rates"), "{html}");
    assert!(html.contains("Class of 2025: knowledge and career outcomes rates"));
    assert!(html.contains("Class of 2024: knowledge and career outcomes rates"));
    assert!(!html.contains("Class of 2027") && !html.contains("Class of 2023"));
    assert!(html.find("Class of 2026").unwrap() < html.find("Class of 2025").unwrap(), "newest first");
    // Hand-computed, and the same as the CSV's rows.
    assert!(html.contains(&row(&["Arts", "2", "1", "50.00%", "100.00%"])));
    assert!(html.contains(&row(&["Engineering", "5", "4", "80.00%", "66.67%"])));
    assert!(html.contains(&row(&["Engineering", "1", "1", "100.00%", "100.00%"])));
    assert_eq!(rates_match_the_csv(&app, &c, &html, "cohort=2026").await, 2);
    assert_eq!(rates_match_the_csv(&app, &c, &html, "cohort=2025").await, 1);
    // The charts: one per figure, named and described for screen readers.
    assert_eq!(html.matches("<svg ").count(), 6, "three classes' rates, the funnel, conversions, fair attendance");
    assert!(html.contains("role=\"img\" aria-labelledby=\"rates-2026-title rates-2026-desc\""));
    assert!(html.contains(
        "<desc id=\"rates-2026-desc\">Bar chart of Class of 2026: knowledge and career outcomes rates, 2 groups of 2 bars \
         (knowledge rate and career outcomes rate). Arts: knowledge rate 50.00%, career outcomes rate 100.00%; \
         Engineering: knowledge rate 80.00%, career outcomes rate 66.67%. A dashed line marks the NACE minimum 65%.</desc>"
    ));
    // Postings P1–P3; applications E2, E1, A1, E3, A2; projects E1, A1, E3, A2; completed
    // E1, E3, A2; offers E1's and A2's; one accepted.
    assert!(html.contains(&funnel([3, 5, 4, 3, 2, 1])), "{html}");
    assert!(html.contains(
        "<desc id=\"funnel-desc\">Bar chart of The micro-internship funnel, 6 bars. Postings 3; Applications 5;"
    ));
    // Conversion: Acme — E1 (completed Oct 20, offered Oct 25: 5 days) and E3 (offer on the
    // completion day: not after) → 1 of 2 = 50.00%, 1 hired, median 5. Birch — A2 (Nov 10,
    // offered Nov 15) → 1 of 1, none hired yet. All: 2 of 3 = 66.67%.
    assert!(html.contains(&row(&["Acme Labs", "2", "2", "1", "1", "50.00%", "5"])), "{html}");
    let birch_cell = "&lt;script&gt;alert(1)&lt;/script&gt; Birch &amp; Co";
    assert!(html.contains(&row(&[birch_cell, "1", "1", "1", "0", "100.00%", "5"])), "{html}");
    assert!(html.contains(&row(&["All employers", "3", "3", "2", "1", "66.67%", "5"])));
    assert!(!html.contains("<script>alert(1)"), "an employer's name is text, in the chart and the table");
    assert!(html.contains(">&lt;script&gt;alert(1)&lt;/script&gt; Birch &amp; Co</text>"), "the chart's label");
    // Each chart links to its CSV with the filters.
    let links = unescape(&html);
    for href in [
        "/reports/first-destination.csv?cohort=2026&group_by=college\"",
        "/reports/first-destination.csv?cohort=2025&group_by=college\"",
        "/reports/micro-internships.csv\"",
        "/reports/conversions.csv\"",
        "/reports/fair-attendance.csv\"",
    ] {
        assert!(links.contains(&format!("href=\"{href}")), "{href}");
    }

    // Filtered by college: Engineering's students only (postings are not narrowed).
    let (status, html) = page(&app, &c, "?cohort=2026&college=Engineering").await;
    assert_eq!(status, 200);
    assert!(!html.contains("Class of 2025"));
    assert!(html.contains(&row(&["Engineering", "5", "4", "80.00%", "66.67%"])) && !html.contains(">Arts</th>"));
    // Applications E2, E1, E3; projects E1, E3 (both completed); E1's offer, accepted.
    assert!(html.contains(&funnel([3, 3, 2, 2, 1, 1])), "{html}");
    assert!(html.contains(&row(&["Acme Labs", "2", "2", "1", "1", "50.00%", "5"])));
    assert!(html.contains(&row(&["All employers", "2", "2", "1", "1", "50.00%", "5"])));
    assert!(!panel(&html, "conversions").contains(birch_cell), "fair sessions have no class: only conversions narrow");
    let links = unescape(&html);
    assert!(links.contains("href=\"/reports/first-destination.csv?cohort=2026&group_by=college&college=Engineering\""));
    assert!(links.contains("href=\"/reports/conversions.csv?cohort=2026&college=Engineering\""));
    assert!(links.contains("href=\"/reports/micro-internships.csv?cohort=2026&college=Engineering\""));
    // The kept values.
    assert!(html.contains("value=\"2026\"") && html.contains("<option value=\"Engineering\" selected>"));

    // Filtered by employer (its name, as the reports take it): Birch's posting, A2's
    // application, project and offer.
    let (_, html) = page(&app, &c, &query(&[("employer", BIRCH)])).await;
    assert!(html.contains(&funnel([1, 1, 1, 1, 1, 0])), "{html}");
    assert!(!html.contains(">Acme Labs</th>"));
    let (_, html) = page(&app, &c, "?employer=Acme+Labs").await;
    // P1, P2; E2, E1, A1, E3; projects E1, A1, E3; completed E1, E3; E1's offer, accepted.
    assert!(html.contains(&funnel([2, 4, 3, 2, 1, 1])), "{html}");

    // From November 1 (a campus date): postings P2 and P3; applications E3, A2; both
    // projects completed; A2's offer (not accepted). Conversion counts completions from
    // November 1: Acme E3 (no offer after) 0 of 1, Birch 1 of 1; all 1 of 2.
    let (_, html) = page(&app, &c, "?from=2026-11-01&to=2026-11-30").await;
    assert!(html.contains(&funnel([2, 2, 2, 2, 1, 0])), "{html}");
    assert!(html.contains(&row(&["Acme Labs", "1", "1", "0", "0", "0.00%", "none"])), "{html}");
    assert!(html.contains(&row(&["All employers", "2", "2", "1", "0", "50.00%", "5"])));
    assert!(unescape(&html).contains("href=\"/reports/conversions.csv?from=2026-11-01&to=2026-11-30\""));

    // Arts of the class of 2026: A1's and A2's applications and projects; A2's completed and offered.
    let (_, html) = page(&app, &c, "?cohort=2026&college=Arts").await;
    assert!(html.contains(&funnel([3, 2, 2, 1, 1, 0])), "{html}");

    // A class with no graduate yet, and dates with nothing in them: said, not an empty box.
    let (status, html) = page(&app, &c, "?cohort=2030&from=2020-01-01&to=2020-01-31").await;
    assert_eq!(status, 200);
    assert_eq!(html.matches(">No data for these filters</text>").count(), 4, "{html}");
    assert!(html.contains("<td colspan=\"5\">No data for these filters.</td>"));
    assert!(html.contains(&funnel([0, 0, 0, 0, 0, 0])));
    assert!(html.contains("<desc id=\"funnel-desc\">The micro-internship funnel: No data for these filters.</desc>"));

    // A counselor records E5's outcome (the last unknown Engineering graduate of 2026): the
    // knowledge rate rises by exactly that graduate, 4 → 5 of 5 = 100.00%; career
    // (E1, E3, E5) 3 ÷ (5 − 1 not seeking) = 75.00%.
    let e5 = app
        .with_db(|c| {
            use diesel::prelude::*;
            use waypoint::db::schema::students;
            students::table.filter(students::student_number.eq("E5")).select(students::id).first::<String>(c).unwrap()
        })
        .await;
    let fields = [
        ("category", "employed_full_time"),
        ("currency", "USD"),
        ("source", "counselor"),
        ("primary", "true"),
        ("known_on", "2026-11-30"),
    ];
    let path = format!("/students/{e5}/outcomes");
    let r = app.post_form(&c, &format!("{path}/new"), &path, &fields).await;
    assert_eq!(r.status(), 303);
    let (_, html) = page(&app, &c, "?cohort=2026").await;
    assert!(html.contains(&row(&["Engineering", "5", "5", "100.00%", "75.00%"])), "{html}");
    assert_eq!(rates_match_the_csv(&app, &c, &html, "cohort=2026").await, 2);

    // An administrator sees it too.
    let admin = app.signed_in(&idp, "admin").await;
    let (status, _) = page(&app, &admin, "").await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn bad_filters_are_told_beside_their_fields_with_the_values_kept() {
    let (app, idp) = spawn_with_idp_at("2026-11-30", "12:00").await;
    world(&app).await;
    let c = app.signed_in(&idp, "counselor").await;
    let (status, html) =
        page(&app, &c, "?cohort=twenty&college=Nowhere&employer=nobody&from=2026-13-01&to=yesterday").await;
    assert_eq!(status, 400);
    assert!(html.contains("Please correct the following"), "{html}");
    for (field, message) in [
        ("cohort", "Class: `twenty` is not a year (e.g. 2026)"),
        ("college", "College: no student is in a college called `Nowhere`"),
        ("employer", "Employer: no employer in the catalogue is named `nobody`"),
        ("from", "From: `2026-13-01` is not a date (YYYY-MM-DD, e.g. 2026-09-01)"),
        ("to", "Until: `yesterday` is not a date (YYYY-MM-DD, e.g. 2026-09-01)"),
    ] {
        let beside = format!(
            "<p class=\"field-error\" id=\"field-{field}-error\"><span class=\"visually-hidden\">Error: </span>{}</p>",
            message.replace('`', "&#x60;")
        );
        assert!(html.contains(&beside), "{beside}");
        assert!(html.contains(&format!("href=\"#field-{field}\"")), "the summary links to {field}");
    }
    assert!(
        html.contains("value=\"twenty\"")
            && html.contains("value=\"2026-13-01\"")
            && html.contains("value=\"yesterday\"")
    );
    assert!(!html.contains("<svg "), "no figure for filters that could not be read");

    let (status, html) = page(&app, &c, "?from=2026-11-10&to=2026-11-01").await;
    assert_eq!(status, 400);
    assert!(html.contains("Until: 2026-11-01 is before the from date (2026-11-10)"), "{html}");
}

async fn refused(app: &TestApp, idp: &Idp) {
    let student_b = app.signed_in(idp, "student").await;
    let faculty = app.signed_in(idp, "faculty").await;
    let recruiter = a_recruiter(app, idp).await;
    for (who, b) in [("student", &student_b), ("faculty", &faculty), ("recruiter", &recruiter)] {
        let r = b.get(format!("{}/office/dashboard", app.address)).send().await.unwrap();
        assert_eq!(r.status(), 403, "{who}");
        let home = b.get(format!("{}/", app.address)).send().await.unwrap().text().await.unwrap();
        assert!(!home.contains("href=\"/office/dashboard\""), "no link for {who}");
    }
}

#[tokio::test]
async fn only_the_office_sees_the_dashboard() {
    let (app, idp) = spawn_with_idp_at("2026-11-30", "12:00").await;
    refused(&app, &idp).await;
    // Signed out: to the sign-in, and back here after it.
    let r = crate::helpers::browser().get(format!("{}/office/dashboard", app.address)).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/login?return_to=%2Foffice%2Fdashboard");
    // The office's navigation links to it.
    let c = app.signed_in(&idp, "counselor").await;
    let home = c.get(format!("{}/", app.address)).send().await.unwrap().text().await.unwrap();
    assert!(home.contains("href=\"/office/dashboard\""));
}
