//! Every role's pages in demo mode, in a real browser: each passes axe-core's WCAG 2.1
//! A/AA checks and fits a 390 px phone without scrolling sideways (and a 1280 px
//! desktop). A newcomer signs in through the demo provider; then a counselor, an admin,
//! a faculty member, a student and a recruiter each open what they use. Each role's home
//! is saved as a screenshot under `target/screenshots/`.

use diesel::RunQueryDsl;

use super::harness::{Chromium, Width};
use crate::helpers::{spawn_app_with, TestApp, TestDb};

/// The first column (text) of each row of `sql`, on the app's database.
async fn strings(app: &TestApp, sql: &'static str) -> Vec<String> {
    #[derive(diesel::QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Text)]
        v: String,
    }
    app.with_db(move |c| {
        let rows: Vec<Row> = diesel::sql_query(sql).load(c).unwrap_or_else(|e| panic!("{sql}: {e}"));
        rows.into_iter().map(|r| r.v).collect()
    })
    .await
}

/// Signs in at the demo provider as the person whose button carries `person` (a
/// `student:ID` or `user:ID` key), from `/auth/login?return_to=…`.
async fn demo_sign_in(b: &Chromium, person: &str, return_to: &str) {
    b.goto(&format!("/auth/login?return_to={return_to}")).await;
    b.wait_for_text("Career counselors").await;
    b.click(&format!("form:has(input[name='person'][value='{person}']) button")).await;
    b.wait_for_text("Sign out").await;
}

async fn sign_out(b: &Chromium) {
    b.set_width(Width::Desktop).await;
    b.click("form[action='/auth/logout'] button").await;
    b.wait_for_text(">Sign in<").await;
}

/// The first `n` distinct links matching `css` on the page at `path`.
async fn links(b: &Chromium, path: &str, css: &str, n: usize) -> Vec<String> {
    b.goto(path).await;
    let mut found = b.hrefs(css).await;
    found.dedup();
    found.truncate(n);
    found
}

#[tokio::test]
async fn every_role_s_pages_pass_axe_and_fit_a_phone() {
    let app = spawn_app_with(TestDb::new(), &[("WAYPOINT_DEMO", "true")]).await;
    let b = Chromium::start(&app.address).await;
    let mut problems = Vec::new();

    // A newcomer: the public home, sign-in, the demo provider, as a counselor.
    b.visit_and_screenshot("/", "home").await;
    assert!(b.source().await.contains("data-figure=\"students\">330<"), "the demo data's figures");
    b.click("a.button[href='/login']").await;
    b.wait_for_text("Sign in to Waypoint").await;
    problems.extend(b.visit("/login", "login").await);
    problems.extend(b.visit("/login/recruiter", "recruiter-login").await);
    problems.extend(b.visit("/no/such/page", "not-found").await);
    b.goto("/login").await;
    b.click("a[href^='/auth/login']").await;
    b.wait_for_text("Career counselors").await;
    let provider = b.path().await;
    assert!(provider.starts_with("/dev-idp/authorize?"), "{provider}");
    problems.extend(b.visit(&provider, "demo-provider").await);
    // The first person in the second section (career counselors).
    b.click("main section:nth-of-type(2) button").await;
    let landed = b.wait_for_text("Sign out").await;
    assert!(landed.contains("role-badge\">counselor<"), "signed in as a counselor");
    assert!(
        landed.contains("href=\"/recruiters/invite\"") && landed.contains("href=\"/review\""),
        "the counselor's navigation"
    );

    // The counselor, with two messages waiting (as a submitted posting makes them).
    let now = app.clock.now_utc();
    app.with_db(move |c| {
        use diesel::prelude::*;
        use waypoint::db::schema::user_roles;
        let counselors: Vec<String> = user_roles::table
            .filter(user_roles::role.eq("counselor"))
            .select(user_roles::user_id)
            .distinct()
            .load(c)
            .unwrap();
        for user in counselors {
            for title in ["“Churn study” awaits review", "“Pricing scan” awaits review"] {
                let m = waypoint::notify::Message {
                    kind: "posting_submitted",
                    title: title.into(),
                    body: "Ledgerwise submitted a posting for review.".into(),
                    link: Some("/review".into()),
                };
                waypoint::notify::send(c, &user, &m, now).unwrap();
            }
        }
    })
    .await;
    problems.extend(b.visit_with("/employers", "counselor-employers", true).await);
    problems.extend(b.visit_with("/review", "counselor-review", true).await);
    for (path, name) in [
        ("/employers?status=active&sort=name", "employers-filtered"),
        ("/employers/new", "employer-new"),
        ("/employers/import", "employers-import"),
        ("/recruiters/invite", "invite"),
        ("/opportunities", "counselor-catalogue"),
        ("/partners", "counselor-partners"),
        ("/inbox", "counselor-inbox"),
        ("/account", "counselor-account"),
    ] {
        problems.extend(b.visit(path, name).await);
    }
    // An inbox item opens the thing it is about; "Mark all as read" says what it did.
    b.goto("/inbox").await;
    b.click("ul.inbox li a").await;
    b.wait_for_url("/review").await;
    b.goto("/inbox").await;
    b.click("form[action='/inbox/read'] button").await;
    b.wait_for_text("messages as read.</p></div>").await;
    problems.extend(b.check_both_here("counselor-inbox-marked").await);
    let employer = links(&b, "/employers?status=active", "tbody a[href^='/employers/']", 1).await.remove(0);
    problems.extend(b.visit(&employer, "employer").await);
    problems.extend(b.visit(&format!("{employer}/edit"), "employer-edit").await);
    // A recruiter's account from the employer page: a reset link made (shown once), and
    // the question before disabling (not answered, so nothing changes).
    let with_recruiter = strings(
        &app,
        "SELECT '/employers/' || r.employer_id AS v FROM recruiters r JOIN users u ON u.id = r.user_id ORDER BY u.email DESC",
    )
    .await;
    b.goto(&with_recruiter[0]).await;
    b.click("form[action$='/reset'] button").await;
    let made = b.wait_for_text("Password reset link for").await;
    let reset_link = crate::recruiters::link_in(&made);
    problems.extend(b.check_both_here("reset-link-made").await);
    b.goto(&with_recruiter[0]).await;
    b.click("form[action$='/disable'] button").await;
    b.wait_for_text("Keep the account").await;
    problems.extend(b.check_both_here("disable-question").await);
    problems.extend(b.visit(&format!("{employer}/postings/new"), "posting-for-employer").await);
    for (i, posting) in links(&b, "/review", "a[href^='/postings/']", 2).await.iter().enumerate() {
        problems.extend(b.visit(posting, &format!("review-posting-{i}")).await);
    }
    for (i, posting) in links(&b, &employer, "a[href^='/postings/']", 3).await.iter().enumerate() {
        problems.extend(b.visit(posting, &format!("employer-posting-{i}")).await);
    }
    // A project of each kind the office sees.
    let projects = strings(&app, "SELECT MIN(id) AS v FROM engagements GROUP BY status ORDER BY MIN(id)").await;
    for (i, id) in projects.iter().enumerate() {
        problems.extend(b.visit(&format!("/engagements/{id}"), &format!("counselor-project-{i}")).await);
    }
    // An invitation made in the browser: first to a free-mail address (refused, the form
    // comes back with its problem), then at the employer's domain: the page with its
    // link, then the link itself.
    let submit = "form[action='/recruiters/invite'] button[type=submit]";
    b.goto("/recruiters/invite").await;
    b.click("#field-employer_id option:nth-child(2)").await;
    b.type_into("#field-name", "Morgan Reyes").await;
    b.type_into("#field-email", "morgan.reyes@gmail.com").await;
    b.click(submit).await;
    b.wait_for_text("Please correct the following").await;
    problems.extend(b.check_both_here("invite-refused").await);
    b.goto("/recruiters/invite").await;
    b.click("#field-employer_id option:nth-child(2)").await;
    let option = b.js("return document.querySelector('#field-employer_id option:checked').textContent").await;
    let domain = option.as_str().unwrap().rsplit('(').next().unwrap().trim_end_matches(')').to_owned();
    b.type_into("#field-name", "Morgan Reyes").await;
    b.type_into("#field-email", &format!("morgan.reyes@{domain}")).await;
    b.click(submit).await;
    let made = b.wait_for_text("Invitation made for").await;
    let invitation = crate::recruiters::link_in(&made);
    problems.extend(b.check_both_here("invitation-made").await);
    sign_out(&b).await;

    // The invitation, opened by the recruiter (signed out); the reset link too.
    problems.extend(b.visit(&invitation, "invitation").await);
    problems.extend(b.visit(&reset_link, "password-reset").await);

    // An administrator: the counselor's pages plus roles and the audit log.
    let admin = strings(&app, "SELECT u.id AS v FROM users u JOIN user_roles r ON r.user_id = u.id WHERE r.role = 'admin' ORDER BY u.display_name").await;
    demo_sign_in(&b, &format!("user:{}", admin[0]), "/admin/roles").await;
    problems.extend(b.visit_with("/admin/roles", "admin-roles", true).await);
    problems.extend(b.visit("/admin/audit", "admin-audit").await);
    problems.extend(b.visit("/admin/audit?page=2", "admin-audit-2").await);
    problems
        .extend(b.visit("/admin/audit?action=recruiter.reset_issued&from=2020-01-01", "admin-audit-filtered").await);
    sign_out(&b).await;

    // A faculty member.
    let faculty =
        strings(&app, "SELECT u.id AS v FROM users u JOIN faculty f ON f.user_id = u.id ORDER BY u.display_name").await;
    demo_sign_in(&b, &format!("user:{}", faculty[0]), "/").await;
    problems.extend(b.visit_with("/", "faculty-home", true).await);
    problems.extend(b.visit("/inbox", "faculty-inbox").await);
    problems.extend(b.visit("/account", "faculty-account").await);
    sign_out(&b).await;

    // A student (one the demo provider lists, with a project under way and others done)
    // finds a posting by a word of its description, with a filter.
    let student = strings(
        &app,
        "SELECT s.id AS v FROM (SELECT id, name, class_year FROM students ORDER BY class_year DESC, name LIMIT 40) s \
         WHERE EXISTS (SELECT 1 FROM engagements e WHERE e.student_id = s.id AND e.status = 'active') \
           AND EXISTS (SELECT 1 FROM engagements e WHERE e.student_id = s.id AND e.status = 'completed') \
         ORDER BY s.class_year DESC, s.name",
    )
    .await;
    demo_sign_in(&b, &format!("student:{}", student[0]), "/opportunities").await;
    b.wait_for_url("/opportunities").await;
    b.type_into("#f-q", "spreadsheet").await;
    b.click("#f-remote option[value='remote']").await;
    b.click("form[role='search'] button[type='submit']").await;
    let url = b.wait_for_url("q=spreadsheet").await;
    assert!(url.contains("remote=remote"), "{url}");
    let results = b.source().await;
    let found: u32 = results
        .split(" found.</p>")
        .next()
        .and_then(|before| before.rsplit('>').next())
        .and_then(|n| n.split_whitespace().next()?.parse().ok())
        .unwrap_or_else(|| panic!("the page says how many projects were found:\n{results}"));
    assert!(found >= 1, "the demo catalogue has projects about spreadsheets; {found} found");
    assert!(results.contains("<li class=\"listing\">"), "and lists them");
    assert!(!results.contains("On-site in "), "the filter holds: remote projects only");
    problems.extend(b.visit(&b.path().await, "catalogue-search").await);
    problems.extend(b.visit_with("/opportunities", "catalogue", true).await);
    problems.extend(b.visit_with("/dashboard", "student-dashboard", true).await);
    // On a phone the navigation is folded into a Menu, which opens; the table of
    // applications is a stack of cards, still a table to a screen reader.
    b.set_width(Width::Phone).await;
    b.goto("/dashboard").await;
    assert!(b.is_shown("details.menu > summary").await, "the Menu button shows on a phone");
    assert!(!b.is_shown("nav a[href='/inbox']").await, "the navigation is folded away on a phone");
    b.click("details.menu > summary").await;
    assert!(b.is_shown("nav a[href='/inbox']").await, "the Menu opens the navigation");
    assert!(b.is_shown("form[action='/auth/logout'] button").await, "and the sign-out button");
    b.screenshot("menu-open").await;
    let stacked = b.js("return getComputedStyle(document.querySelector('table.stack tbody tr')).display").await;
    assert_eq!(stacked, "block", "each application is a card");
    let roles = b.accessibility_roles().await;
    assert!(
        roles.get("table") == Some(&1)
            && roles.get("columnheader") == Some(&5)
            && roles.get("cell").is_some_and(|n| *n >= 5),
        "the stacked table keeps its table semantics: {roles:?}"
    );
    b.set_width(Width::Desktop).await;
    assert!(!b.is_shown("details.menu > summary").await, "no Menu button on a wide screen");
    b.goto("/dashboard").await;
    assert!(b.is_shown("nav a[href='/inbox']").await, "the navigation shows on a wide screen");
    for (i, listing) in links(&b, "/opportunities", ".listing h2 a", 2).await.iter().enumerate() {
        problems.extend(b.visit(listing, &format!("listing-{i}")).await);
    }
    for (i, page) in
        links(&b, "/dashboard", "a[href^='/applications/'], a[href^='/engagements/']", 12).await.iter().enumerate()
    {
        problems.extend(b.visit(page, &format!("student-record-{i}")).await);
    }
    problems.extend(b.visit("/partners", "partners").await);
    let partner = links(&b, "/partners", "ul.listings li a", 1).await.remove(0);
    problems.extend(b.visit(&partner, "partner").await);
    assert!(b.source().await.contains("Open projects"), "a partner's page");
    problems.extend(b.visit("/inbox", "student-inbox").await);
    problems.extend(b.visit("/account", "student-account").await);
    sign_out(&b).await;

    // A recruiter whose employer has projects under way and a fair session.
    let recruiter = strings(
        &app,
        "SELECT u.email AS v FROM recruiters r JOIN users u ON u.id = r.user_id \
         WHERE EXISTS (SELECT 1 FROM engagements e WHERE e.employer_id = r.employer_id AND e.status IN ('active', 'submitted')) \
           AND EXISTS (SELECT 1 FROM fair_sessions s WHERE s.employer_id = r.employer_id) \
         ORDER BY u.email",
    )
    .await;
    b.goto("/login/recruiter").await;
    let password = b.js("return document.querySelector('.notice code').textContent").await;
    b.type_into("#field-email", &recruiter[0]).await;
    b.type_into("#field-password", password.as_str().unwrap()).await;
    b.click("form[action='/login/recruiter'] button[type=submit]").await;
    b.wait_for_text("Sign out").await;
    problems.extend(b.visit_with("/workspace", "recruiter-workspace", true).await);
    problems.extend(b.visit("/workspace/profile", "workspace-profile").await);
    problems.extend(b.visit("/workspace/postings/new", "workspace-posting-new").await);
    let postings = links(&b, "/workspace", "a[href^='/workspace/postings/']:not([href$='/new'])", 4).await;
    for (i, posting) in postings.iter().enumerate() {
        problems.extend(b.visit(posting, &format!("workspace-posting-{i}")).await);
    }
    let sessions = links(&b, "/workspace", "a[href^='/workspace/sessions/']", 1).await;
    problems.extend(b.visit(&sessions[0], "workspace-session").await);
    let (mut projects, mut edits) = (Vec::new(), Vec::new());
    for posting in &postings {
        projects.extend(links(&b, posting, "a[href^='/engagements/']", 3).await);
        edits.extend(b.hrefs("a[href$='/edit']").await);
    }
    assert!(!edits.is_empty(), "the recruiter has a draft to edit");
    for (i, edit) in edits.iter().enumerate() {
        problems.extend(b.visit(edit, &format!("posting-edit-{i}")).await);
    }
    assert!(!projects.is_empty(), "the recruiter's applicants include projects");
    for (i, project) in projects.iter().take(4).enumerate() {
        problems.extend(b.visit(project, &format!("recruiter-project-{i}")).await);
    }
    problems.extend(b.visit("/inbox", "recruiter-inbox").await);
    problems.extend(b.visit("/account", "recruiter-account").await);
    problems.extend(b.visit("/account/password", "recruiter-password").await);

    assert!(problems.is_empty(), "{} problem(s):\n{}", problems.len(), problems.join("\n"));
}
