//! Each role's home after sign-in (what it lists, with the records' real ids; a
//! recruiter sees nothing of another employer; `return_to` still wins), the office's
//! student lookup and a student's page (refused to everyone else; never cached), and the
//! list of all projects with its filters.

use crate::fixtures::{employer, endorsement, posting, session, sql, student, Posting};
use crate::helpers::{browser, TestApp};
use crate::idp::{spawn_with_idp_at, Idp};
use crate::recruiters::{accept, invite, link_in};

const T: &str = "'2027-01-05 09:00:00'";

async fn page(app: &TestApp, b: &reqwest::Client, path: &str) -> (u16, String) {
    let r = b.get(format!("{}{path}", app.address)).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

/// The part of a home page that is one queue (`<section ... data-queue="NAME">`).
fn queue<'a>(html: &'a str, name: &str) -> &'a str {
    let at = html.find(&format!("data-queue=\"{name}\"")).unwrap_or_else(|| panic!("no {name} queue in\n{html}"));
    let rest = &html[at..];
    &rest[..rest.find("</section>").unwrap()]
}

fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// A posting of `employer` with an application of `student` in `status`.
async fn applied(app: &TestApp, employer_id: &str, title: &str, student_id: &str, status: &str) -> (String, String) {
    let p = posting(app, employer_id, Posting { title, ..Default::default() }).await;
    let a = crate::fixtures::application(app, &p, student_id, status).await;
    (p, a)
}

/// A project (engagement) of `student` for `employer`: `columns`/`values` add to the row.
async fn project(
    app: &TestApp,
    employer_id: &str,
    title: &str,
    student_id: &str,
    status: &str,
    columns: &str,
    values: &str,
) -> String {
    let (p, a) = applied(app, employer_id, title, student_id, "accepted").await;
    let id = new_id();
    sql(
        app,
        format!(
            "INSERT INTO engagements (id, application_id, opportunity_id, student_id, employer_id, status, started_on, due_on, created_at, updated_at{columns}) \
             VALUES ('{id}', '{a}', '{p}', '{student_id}', '{employer_id}', '{status}', '2027-01-05', '2027-03-31', {T}, {T}{values})"
        ),
    )
    .await;
    id
}

struct World {
    app: TestApp,
    idp: Idp,
    recruiter: reqwest::Client,
    a: String,
    b: String,
    ava: String,
    ben: String,
    new_a: String,
    ledger: String,
    churn: String,
    ava_offered: String,
    review_a: String,
    review_b: String,
    pay_a: String,
    pay_b: String,
    cancel_a: String,
    active_b: String,
    done_ava: String,
    session_a: String,
    session_b: String,
    past_a: String,
    r_ben: String,
    r_ava: String,
    r_cleo: String,
    r_dev: String,
}

/// Two employers (Brightpath with a signed-in recruiter, and Ledgerwise), four students
/// (Ava is the tests' "student"), postings, applications, projects in every state the
/// homes list, fair sessions, invitations and endorsement requests. Campus time is
/// Feb 16, 2027, noon.
async fn world() -> World {
    let (app, idp) = spawn_with_idp_at("2027-02-16", "12:00").await;
    let a = employer(&app, "Brightpath Analytics", "Software", Some("brightpath.com"), "active").await;
    let b = employer(&app, "Ledgerwise", "Finance", Some("ledgerwise.com"), "active").await;
    let counselor = app.signed_in(&idp, "counselor").await;
    let r = invite(&app, &counselor, &a, "rosa.diaz@brightpath.com").await;
    let (recruiter, _) = accept(&app, &link_in(&r.text().await.unwrap()), "a long enough passphrase").await;
    let ava = student(&app, "N1", "ava.okafor@northfield.edu", "School of Business", "Finance", 2027).await;
    let ben = student(&app, "N2", "ben.lee@northfield.edu", "School of Business", "Economics", 2028).await;
    let cleo = student(&app, "N3", "cleo.park@northfield.edu", "School of Engineering", "Computer Science", 2027).await;
    let dev = student(&app, "N4", "dev.singh@northfield.edu", "School of Arts", "History", 2029).await;

    // New applicants: two at one posting of Brightpath (a third already shortlisted),
    // one at Ledgerwise's.
    let (new_a, _) = applied(&app, &a, "Pricing scan", &ben, "submitted").await;
    crate::fixtures::application(&app, &new_a, &cleo, "submitted").await;
    crate::fixtures::application(&app, &new_a, &dev, "shortlisted").await;
    let (ledger, _) = applied(&app, &b, "Ledger clean-up", &dev, "submitted").await;
    let (_, ava_offered) = applied(&app, &a, "Survey design", &ava, "offered").await;
    // Waiting for review since Feb 13.
    let churn =
        posting(&app, &a, Posting { title: "Churn study", status: "pending_review", ..Default::default() }).await;
    sql(&app, format!("UPDATE opportunities SET submitted_at = '2027-02-13 15:00:00' WHERE id = '{churn}'")).await;

    let review_a = project(&app, &a, "Market sizing", &ben, "submitted", ", submitted_on", ", '2027-02-10'").await;
    let review_b = project(&app, &b, "Audit sampling", &cleo, "submitted", ", submitted_on", ", '2027-02-11'").await;
    let done = ", completed_on, rating";
    let pay_a = project(&app, &a, "Dashboard refresh", &cleo, "completed", done, ", '2027-02-01', 5").await;
    let pay_b = project(&app, &b, "Invoice review", &ben, "completed", done, ", '2027-02-02', 4").await;
    let cancel_a = project(
        &app,
        &a,
        "Lead list",
        &ava,
        "active",
        ", cancel_requested_by, cancel_reason",
        ", (SELECT id FROM users WHERE email = 'rosa.diaz@brightpath.com'), 'The client paused the study.'",
    )
    .await;
    sql(&app, format!("UPDATE engagements SET due_on = '2027-02-01' WHERE id = '{cancel_a}'")).await;
    let active_b = project(&app, &b, "Expense report", &dev, "active", "", "").await;
    let done_ava = project(
        &app,
        &a,
        "Competitor profiles",
        &ava,
        "completed",
        ", completed_on, rating, amount_paid_cents, paid_on",
        ", '2027-01-20', 5, 40000, '2027-01-25'",
    )
    .await;
    sql(&app, format!("INSERT INTO offers (id, engagement_id, employer_id, student_id, kind, job_title, offer_on, status, created_at, updated_at) VALUES ('{}', '{done_ava}', '{a}', '{ava}', 'internship', 'Summer analyst', '2027-02-05', 'extended', {T}, {T})", new_id())).await;

    // Fair sessions: one to come at each employer, one past at Brightpath; Ava has a place.
    let session_a = session(&app, &a).await;
    let session_b = session(&app, &b).await;
    sql(&app, format!("UPDATE fair_sessions SET title = 'Ledgerwise open house' WHERE id = '{session_b}'")).await;
    let past_a = session(&app, &a).await;
    sql(&app, format!("UPDATE fair_sessions SET title = 'Last year''s chat', starts_at = '2027-01-10 15:00:00', ends_at = '2027-01-10 16:00:00' WHERE id = '{past_a}'")).await;
    sql(&app, format!("INSERT INTO registrations (id, session_id, student_id, status, created_at, updated_at) VALUES ('{}', '{session_a}', '{ava}', 'registered', {T}, {T})", new_id())).await;

    // Invitations: one open, one expired last week, one expired long ago.
    for (name, email, employer_id, expires) in [
        ("Morgan Reyes", "morgan.reyes@ledgerwise.com", &b, "2027-02-20 12:00:00"),
        ("Sam Ortiz", "sam.ortiz@ledgerwise.com", &b, "2027-02-10 12:00:00"),
        ("Old Invite", "old.invite@ledgerwise.com", &b, "2026-10-01 12:00:00"),
    ] {
        sql(&app, format!("INSERT INTO invitations (id, employer_id, email, name, token_hash, expires_at, created_at, updated_at) VALUES ('{}', '{employer_id}', '{email}', '{name}', '{}', '{expires}', {T}, {T})", new_id(), new_id())).await;
    }

    // Endorsement requests: two waiting for Ines Garcia (faculty; her record is made at
    // her first sign-in), one she answered, one waiting for another faculty member.
    app.signed_in(&idp, "faculty").await;
    endorsement(&app, &ava, "Omar Reyes", "Ava asks sharp questions.").await;
    let ines = "(SELECT f.id FROM faculty f JOIN users u ON u.id = f.user_id WHERE u.email = 'prof.ines.garcia@northfield.edu')";
    let omar =
        "(SELECT f.id FROM faculty f JOIN users u ON u.id = f.user_id WHERE u.email = 'omar.reyes@northfield.edu')";
    let mut requests = Vec::new();
    for (who, faculty, status, at, message) in [
        (&ben, ines, "pending", "2027-02-13 15:00:00", "Ben asks about a pricing project."),
        (&ava, ines, "pending", "2027-02-16 10:00:00", "Ava asks about a survey project."),
        (&cleo, ines, "fulfilled", "2027-02-01 10:00:00", "Cleo asked before."),
        (&dev, omar, "pending", "2027-02-12 10:00:00", "Dev asks Omar."),
    ] {
        let id = new_id();
        sql(&app, format!("INSERT INTO endorsement_requests (id, student_id, faculty_id, message, status, created_at, updated_at) VALUES ('{id}', '{who}', {faculty}, '{message}', '{status}', '{at}', '{at}')")).await;
        requests.push(id);
    }
    let [r_ben, r_ava, r_cleo, r_dev]: [String; 4] = requests.try_into().unwrap();
    World {
        app,
        idp,
        recruiter,
        a,
        b,
        ava,
        ben,
        new_a,
        ledger,
        churn,
        ava_offered,
        review_a,
        review_b,
        pay_a,
        pay_b,
        cancel_a,
        active_b,
        done_ava,
        session_a,
        session_b,
        past_a,
        r_ben,
        r_ava,
        r_cleo,
        r_dev,
    }
}

#[tokio::test]
async fn each_role_lands_on_a_home_of_what_waits_for_them() {
    let w = world().await;
    let app = &w.app;

    // The office: postings waiting for review with how long, the cancellation request,
    // the invitations not accepted; links to every employer, project and student.
    let counselor = browser();
    let s = app.sign_in_as(&counselor, &w.idp, "counselor", "/").await;
    assert_eq!(s.response.headers()["location"], "/", "sign-in lands on the home");
    let (status, home) = page(app, &counselor, "/").await;
    assert_eq!(status, 200);
    assert!(home.contains("The office's queue"), "{home}");
    let review = queue(&home, "review");
    assert!(review.contains(&format!("href=\"/postings/{}\"", w.churn)) && review.contains("Churn study"), "{review}");
    assert!(review.contains(">3 days<"), "waited since Feb 13: {review}");
    assert!(review.contains(&format!("href=\"/employers/{}\"", w.a)), "the employer one click away");
    assert!(!review.contains(&w.new_a), "an open posting waits for nothing: {review}");
    let cancellations = queue(&home, "cancellations");
    assert!(cancellations.contains(&format!("href=\"/engagements/{}\"", w.cancel_a)), "{cancellations}");
    assert!(cancellations.contains("The client paused the study.") && cancellations.contains("Rosa Diaz"));
    assert!(cancellations.contains(&format!("href=\"/students/{}\"", w.ava)), "the student one click away");
    assert!(!cancellations.contains(&w.active_b), "no request, not listed");
    let invitations = queue(&home, "invitations");
    assert!(invitations.contains("Morgan Reyes") && invitations.contains("Open until"), "{invitations}");
    assert!(invitations.contains("Sam Ortiz") && invitations.contains("invite again"), "{invitations}");
    assert!(invitations.contains(&format!("href=\"/employers/{}\"", w.b)), "{invitations}");
    assert!(!invitations.contains("Old Invite"), "long expired: history, not a queue");
    assert!(!invitations.contains("Rosa Diaz"), "accepted: not waiting");
    for link in ["/employers", "/projects", "/students", "/review"] {
        assert!(home.contains(&format!("<a href=\"{link}\">")), "{link} from the home");
    }
    assert!(!home.contains("href=\"/admin/audit\""), "a counselor has no admin tools");

    // An admin: the same queue, with roles and the audit log.
    let admin = app.signed_in(&w.idp, "admin").await;
    let (_, home) = page(app, &admin, "/").await;
    assert!(queue(&home, "review").contains(&w.churn));
    assert!(home.contains("<a href=\"/admin/roles\">Roles</a>") && home.contains("<a href=\"/admin/audit\">"));

    // A recruiter: their employer's new applicants, deliverables, payments and sessions,
    // and nothing of Ledgerwise's.
    let (status, home) = page(app, &w.recruiter, "/").await;
    assert_eq!(status, 200);
    assert!(home.contains("Brightpath Analytics: what waits for you"), "{home}");
    let applicants = queue(&home, "applicants");
    assert!(
        applicants.contains(&format!("href=\"/workspace/postings/{}\"", w.new_a))
            && applicants.contains("2 new applicants"),
        "{applicants}"
    );
    assert!(home.contains("New applicants (2)"), "{home}");
    let deliverables = queue(&home, "deliverables");
    assert!(deliverables.contains(&format!("href=\"/engagements/{}\"", w.review_a)), "{deliverables}");
    let payments = queue(&home, "payments");
    assert!(payments.contains(&format!("href=\"/engagements/{}\"", w.pay_a)) && payments.contains("$400.00"));
    assert!(!payments.contains(&w.done_ava), "paid: nothing to record");
    let sessions = queue(&home, "sessions");
    assert!(sessions.contains(&format!("href=\"/workspace/sessions/{}\"", w.session_a)), "{sessions}");
    assert!(sessions.contains("1 of 30 places taken"), "{sessions}");
    assert!(!sessions.contains(&w.past_a), "a past session waits for nothing");
    for other in [&w.b, &w.ledger, &w.review_b, &w.pay_b, &w.active_b, &w.session_b] {
        assert!(!home.contains(other.as_str()), "Ledgerwise's {other} on Brightpath's home");
    }
    assert!(!home.contains("Ledgerwise") && !home.contains("Ledger clean-up"));

    // Faculty: the requests waiting for them, oldest first, one click from answering.
    let faculty = app.signed_in(&w.idp, "faculty").await;
    let (_, home) = page(app, &faculty, "/").await;
    let requests = queue(&home, "requests");
    let (ben_at, ava_at) = (
        requests.find(&format!("href=\"/endorsements/requests/{}\"", w.r_ben)).expect("Ben's request"),
        requests.find(&format!("href=\"/endorsements/requests/{}\"", w.r_ava)).expect("Ava's request"),
    );
    assert!(ben_at < ava_at, "oldest first");
    assert!(requests.contains("Student N2") && requests.contains("Economics") && requests.contains(">2028<"));
    assert!(requests.contains(">3 days<") && requests.contains(">7 hours<"), "{requests}");
    assert!(!requests.contains(&w.r_cleo), "answered already");
    assert!(!requests.contains(&w.r_dev), "another faculty member's");
    assert!(home.contains("Waiting for your answer (2)"));

    // A student: the offers waiting for an answer, the dashboard, the fair session, the
    // requests they made.
    let ava = app.signed_in(&w.idp, "student").await;
    let (_, home) = page(app, &ava, "/").await;
    let answers = queue(&home, "answers");
    assert!(answers.contains(&format!("href=\"/applications/{}\"", w.ava_offered)), "{answers}");
    assert!(answers.contains(&format!("href=\"/engagements/{}\"", w.done_ava)) && answers.contains("Summer analyst"));
    let table = queue(&home, "applications");
    assert!(table.contains(&format!("href=\"/engagements/{}\"", w.cancel_a)), "{table}");
    assert!(!home.contains(&w.review_a), "another student's project");
    let fairs = queue(&home, "registrations");
    assert!(fairs.contains("Meet the team") && fairs.contains("join the session"), "{fairs}");
    assert!(queue(&home, "requests").contains("Ines Garcia: Waiting for an answer"));
}

#[tokio::test]
async fn a_page_that_asked_for_sign_in_wins_over_the_home() {
    let (app, idp) = spawn_with_idp_at("2027-02-16", "12:00").await;
    let b = browser();
    let r = b.get(format!("{}/projects?unpaid=yes", app.address)).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/login?return_to=%2Fprojects%3Funpaid%3Dyes");
    let s = app.sign_in_as(&b, &idp, "counselor", "/projects?unpaid=yes").await;
    assert_eq!(s.response.headers()["location"], "/projects?unpaid=yes", "back to the page that asked");
    // Signed out, the home is the public page with the figures.
    let (_, public) = page(&app, &browser(), "/").await;
    assert!(public.contains("data-figure=\"students\"") && !public.contains("data-queue"), "{public}");
}

#[tokio::test]
async fn the_office_finds_a_student_and_reads_their_record() {
    let w = world().await;
    let app = &w.app;
    let counselor = app.signed_in(&w.idp, "counselor").await;

    let r = counselor.get(format!("{}/students?q=student%20n2", app.address)).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["cache-control"], "no-store");
    let found = r.text().await.unwrap();
    assert!(found.contains(&format!("href=\"/students/{}\"", w.ben)) && found.contains("1 student match"), "{found}");
    assert!(!found.contains(&w.ava), "{found}");
    let (_, by_email) = page(app, &counselor, "/students?q=OKAFOR").await;
    assert!(by_email.contains(&format!("href=\"/students/{}\"", w.ava)) && by_email.contains("1 student match"));
    let (_, by_number) = page(app, &counselor, "/students?q=N4").await;
    assert!(by_number.contains("dev.singh@northfield.edu") && by_number.contains("1 student match"));
    let (_, all) = page(app, &counselor, "/students").await;
    assert!(all.contains("4 students") && all.contains("Page 1 of 1"), "{all}");
    let (_, none) = page(app, &counselor, "/students?q=100%25").await;
    assert!(none.contains("No student matches"), "a % is a character, not a wildcard");
    let r = counselor.get(format!("{}/students?q=n&page=99", app.address)).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/students?q=n&page=1", "clamped, the search kept");

    // Ava's page: her applications, projects and endorsement.
    let r = counselor.get(format!("{}/students/{}", app.address, w.ava)).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["cache-control"], "no-store", "a student record is never cached");
    let record = r.text().await.unwrap();
    assert!(record.contains("<h1>Student N1</h1>") && record.contains("ava.okafor@northfield.edu"), "{record}");
    assert!(
        record.contains(&format!("href=\"/applications/{}\"", w.ava_offered)) && record.contains("Offered the project")
    );
    assert!(record.contains(&format!("href=\"/engagements/{}\"", w.cancel_a)) && record.contains("In progress"));
    assert!(record.contains(&format!("href=\"/engagements/{}\"", w.done_ava)) && record.contains("Completed"));
    assert!(record.contains("Omar Reyes") && record.contains("Ava asks sharp questions."));
    assert!(!record.contains(&w.review_a), "Ben's project is not on Ava's page");
    let (status, _) = page(app, &counselor, "/students/no-such-student").await;
    assert_eq!(status, 404);

    // Nobody else reads student records: a recruiter learns nothing (404), a student or
    // faculty member is refused (403), someone signed out is asked to sign in.
    let ava = app.signed_in(&w.idp, "student").await;
    let faculty = app.signed_in(&w.idp, "faculty").await;
    for path in ["/students".to_owned(), format!("/students/{}", w.ava), format!("/students/{}", w.ben)] {
        assert_eq!(page(app, &w.recruiter, &path).await.0, 404, "{path} to a recruiter");
        assert_eq!(page(app, &ava, &path).await.0, 403, "{path} to a student");
        assert_eq!(page(app, &faculty, &path).await.0, 403, "{path} to faculty");
        assert_eq!(page(app, &browser(), &path).await.0, 303, "{path} signed out");
    }
}

#[tokio::test]
async fn the_office_lists_every_project_with_filters() {
    let w = world().await;
    let app = &w.app;
    let counselor = app.signed_in(&w.idp, "counselor").await;
    let all_projects = [&w.review_a, &w.review_b, &w.pay_a, &w.pay_b, &w.cancel_a, &w.active_b, &w.done_ava];
    let shows = |html: &str, wanted: &[&String]| {
        for id in all_projects {
            let listed = html.contains(&format!("href=\"/engagements/{id}\""));
            assert_eq!(listed, wanted.contains(&id), "{id}: listed {listed}, wanted {}\n{html}", wanted.contains(&id));
        }
    };
    let (status, html) = page(app, &counselor, "/projects").await;
    assert_eq!(status, 200);
    shows(&html, &all_projects);
    assert!(html.contains("7 projects"), "{html}");
    assert!(html.contains(&format!("href=\"/students/{}\"", w.ava)), "each student one click away");
    let (_, html) = page(app, &counselor, "/projects?status=submitted").await;
    shows(&html, &[&w.review_a, &w.review_b]);
    assert!(html.contains("<option value=\"submitted\" selected>"), "the filter is kept");
    let (_, html) = page(app, &counselor, &format!("/projects?employer={}", w.b)).await;
    shows(&html, &[&w.review_b, &w.pay_b, &w.active_b]);
    let (_, html) = page(app, &counselor, "/projects?unpaid=yes").await;
    shows(&html, &[&w.pay_a, &w.pay_b]);
    assert!(html.contains("name=\"unpaid\" type=\"checkbox\" value=\"yes\" checked"));
    let (_, html) = page(app, &counselor, "/projects?overdue=yes").await;
    shows(&html, &[&w.cancel_a]);
    assert!(html.contains("(overdue)"));
    let (_, html) = page(app, &counselor, &format!("/projects?employer={}&unpaid=yes", w.a)).await;
    shows(&html, &[&w.pay_a]);
    let (_, html) = page(app, &counselor, "/projects?status=cancelled").await;
    shows(&html, &[]);
    assert!(html.contains("No project matches"));
    let r = counselor.get(format!("{}/projects?unpaid=yes&page=99", app.address)).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/projects?unpaid=yes&page=1");

    // Only the office: a recruiter learns nothing (404), a student is refused (403).
    assert_eq!(page(app, &w.recruiter, "/projects").await.0, 404);
    let ava = app.signed_in(&w.idp, "student").await;
    assert_eq!(page(app, &ava, "/projects").await.0, 403);
}

#[tokio::test]
async fn a_student_without_a_roster_record_and_staff_without_a_role_have_homes_too() {
    let (app, idp) = spawn_with_idp_at("2027-02-16", "12:00").await;
    // A student whose sign-in no roster record carries yet: told so on their home.
    let ben = app.signed_in(&idp, "student-array").await;
    let (status, home) = page(&app, &ben, "/").await;
    assert_eq!(status, 200);
    assert!(home.contains("not linked to a student record yet") && home.contains("No application yet."), "{home}");
    // Campus staff with no part in the programme: the public page.
    let frank = app.signed_in(&idp, "staff").await;
    let (status, home) = page(&app, &frank, "/").await;
    assert_eq!(status, 200);
    assert!(home.contains("data-figure=\"students\">0<") && !home.contains("data-queue"), "{home}");
}
