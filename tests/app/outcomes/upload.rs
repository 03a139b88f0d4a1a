//! The portal's outcomes upload: the CLI's all-or-nothing import from a file a counselor
//! uploads. Every bad row is reported as `FILE:LINE: field: problem` and nothing is
//! written; a good file answers with a flash of its counts; the same file again changes
//! nothing; a forged upload and other roles are refused.

use super::{get, n, HEADER};
use crate::fixtures::{sql, student};
use crate::idp::{csrf_token, spawn_with_idp_at};

#[tokio::test]
async fn an_uploaded_outcomes_file_is_all_or_nothing_and_a_second_upload_changes_nothing() {
    let (app, idp) = spawn_with_idp_at("2026-11-30", "12:00").await;
    student(&app, "N301", "n301@northfield.edu", "Engineering", "Physics", 2026).await;
    student(&app, "N302", "n302@northfield.edu", "Business", "Finance", 2026).await;
    sql(&app, "UPDATE students SET graduation_term = '2026-05'".into()).await;
    let c = app.signed_in(&idp, "counselor").await;
    let (status, page) = get(&app, &c, "/outcomes/import").await;
    assert_eq!(status, 200);
    assert!(
        page.contains("<label for=\"field-file\">CSV file</label>") && page.contains("<code>known_on</code>"),
        "{page}"
    );
    let token = csrf_token(&page).unwrap();
    let upload = |name: &'static str, body: String, token: String| {
        let form = reqwest::multipart::Form::new().text("csrf_token", token).part(
            "file",
            reqwest::multipart::Part::bytes(body.into_bytes()).file_name(name).mime_str("text/csv").unwrap(),
        );
        c.post(format!("{}/outcomes/import", app.address)).header("Origin", &app.address).multipart(form).send()
    };

    // Every bad row reported with its line and field; nothing written.
    let bad = format!(
        "{HEADER}N301,employed_full_time,standard,Acme,Analyst,2026-09-01,52000,USD,survey,true,,,2026-08-01\n\
         N999,military,,,,,,,counselor,,,,2026-08-01\n\
         N302,hired,standard,Acme,,,lots,USD,survey,maybe,,,2026-08-01\n\
         N301,not_seeking,,,,,,,counselor,true,,,\n"
    );
    let r = upload("spring.csv", bad, token.clone()).await.unwrap();
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap().replace("&#x60;", "`");
    assert!(html.contains("Nothing was imported from spring.csv"), "{html}");
    for expected in [
        "spring.csv:3: student_number: no student has the number N999",
        "spring.csv:4: category: `hired` is not one of",
        "spring.csv:4: annual_salary: `lots` is not an amount",
        "spring.csv:4: primary: `maybe` is not true or false",
        "spring.csv:5: known_on: is required",
    ] {
        assert!(html.contains(expected), "{expected}\nin\n{html}");
    }
    assert_eq!(n(&app, "SELECT COUNT(*) AS n FROM outcomes").await, 0);
    assert_eq!(n(&app, "SELECT COUNT(*) AS n FROM outcome_changes").await, 0);

    // A good file: created, told once in a flash after the redirect.
    let good = format!(
        "{HEADER}N301,employed_full_time,standard,Acme,Analyst,2026-09-01,\"52,000.50\",USD,survey,true,2026-07-01,2026-07-02,2026-08-01\n\
         N302,seeking_employment,,,,,,,counselor,,,,2026-08-15\n"
    );
    let r = upload("good.csv", good.clone(), token.clone()).await.unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/outcomes/import");
    let (_, html) = get(&app, &c, "/outcomes/import").await;
    assert!(html.contains("<p>Imported good.csv: 2 created, 0 updated, 0 unchanged</p>"), "{html}");
    let (_, html) = get(&app, &c, "/outcomes/import").await;
    assert!(!html.contains("Imported good.csv"), "the flash shows once");
    assert_eq!(
        n(&app, "SELECT COUNT(*) AS n FROM outcomes WHERE is_primary AND annual_salary_cents = 5200050").await,
        1
    );
    assert_eq!(
        n(&app, "SELECT COUNT(*) AS n FROM outcomes WHERE awaiting_confirmation").await,
        0,
        "the office's import is confirmed as written"
    );
    let changes = n(&app, "SELECT COUNT(*) AS n FROM outcome_changes").await;

    // The same file again: nothing changes.
    let r = upload("good.csv", good.clone(), token.clone()).await.unwrap();
    assert_eq!(r.status(), 303);
    let (_, html) = get(&app, &c, "/outcomes/import").await;
    assert!(html.contains("<p>Imported good.csv: 0 created, 0 updated, 2 unchanged</p>"), "{html}");
    assert_eq!(n(&app, "SELECT COUNT(*) AS n FROM outcomes").await, 2);
    assert_eq!(n(&app, "SELECT COUNT(*) AS n FROM outcome_changes").await, changes);
    assert_eq!(n(&app, "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'outcomes.imported'").await, 2);

    // A forged upload is refused; so are students and faculty (403) and recruiters (404).
    let r = upload("good.csv", good, "forged".into()).await.unwrap();
    assert_eq!(r.status(), 403);
    let student_b = app.signed_in(&idp, "student").await;
    let faculty = app.signed_in(&idp, "faculty").await;
    let recruiter = crate::recruiters::a_recruiter(&app, &idp).await;
    for (who, b, expected) in [("student", &student_b, 403), ("faculty", &faculty, 403), ("recruiter", &recruiter, 404)]
    {
        assert_eq!(get(&app, b, "/outcomes/import").await.0, expected, "{who}");
    }
    assert_eq!(n(&app, "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'outcomes.imported'").await, 2);
}
