//! Each report's header and the hand-built world's exact rows (see `World`), worked out
//! by hand; then the filters, and bad filters answered 400 with the filter named.

use super::{fetch, n, world};
use crate::idp::spawn_with_idp_at;

const BOM: &str = "\u{feff}";

#[tokio::test]
async fn every_report_s_header_and_the_hand_built_rows() {
    let (app, idp) = spawn_with_idp_at("2026-11-30", "12:00").await;
    let w = world(&app).await;
    let c = app.signed_in(&idp, "counselor").await;
    let [p1, p2, p3] = &w.postings;

    // Conversions. Acme: eng-1, eng-2 (N1) and eng-3 (N2) = 3 engagements, 2 students;
    // N1 offered 04-01 (17 days after 03-15) and accepted; N2's flow offer on 03-25 is the
    // completion day (not after), her outcome's offer on 05-04 is 40 days after: both
    // offered and hired; rate 2/2 = 1.0000; median of 17 and 40 = 28.5.
    // Birch: N3 completed eng-5, no offer: 1, 1, 0, 0, 0.0000, empty median.
    // All employers: 4, 3, 2, 2, 2/3 = 0.6667, median 28.5.
    let (status, disposition, body) = fetch(&app, &c, "/reports/conversions.csv").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(disposition, "attachment; filename=\"conversions_2026-11-30.csv\"");
    assert_eq!(
        body,
        format!(
            "{BOM}employer,partnership_tier,engagements_completed,students_completed,students_offered,students_hired,conversion_rate,median_days_to_offer\r\n\
             Acme Labs,gold,3,2,2,2,1.0000,28.5\r\n\
             Birch & Co,silver,1,1,0,0,0.0000,\r\n\
             All employers,,4,3,2,2,0.6667,28.5\r\n"
        )
    );

    // Placements: one row per outcome in employment or education, by student number; N3's
    // "seeking" outcome is not one. via_micro_internship: N1 completed with Acme on 03-15,
    // before the 04-01 offer; N2 on 03-25, before 05-04; N4 never completed with Birch. N4
    // (2027-05) has not graduated: no cohort.
    let (status, _, body) = fetch(&app, &c, "/reports/placements.csv").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body,
        format!(
            "{BOM}student_number,student_name,email,college,major,cohort,category,employment_type,organization,job_title,start_on,annual_salary,currency,source,via_micro_internship,offer_on,accepted_on\r\n\
             N1,Student N1,n1@northfield.edu,Engineering,Physics,2026,employed_full_time,standard,Acme Labs,Analyst,2026-07-01,61500.00,USD,conversion,true,2026-04-01,2026-04-03\r\n\
             N2,Student N2,n2@northfield.edu,Engineering,Physics,2026,employed_full_time,,Acme Labs,,,,USD,counselor,true,2026-05-04,2026-05-06\r\n\
             N3,Student N3,n3@northfield.edu,Arts,History,2026,continuing_education,,Northfield Law,,,,USD,survey,false,,\r\n\
             N4,Student N4,n4@northfield.edu,Engineering,Physics,,employed_part_time,,Birch & Co,,,,USD,counselor,false,2026-06-01,\r\n"
        )
    );

    // Micro-internships: by start date, then id (eng-2 and eng-5 both start 04-01).
    let (status, _, body) = fetch(&app, &c, "/reports/micro-internships.csv").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body,
        format!(
            "{BOM}opportunity_id,title,employer,student_number,hours,fee,currency,status,started_on,submitted_on,completed_on,rating,paid_on,amount_paid\r\n\
             {p1},Churn study,Acme Labs,N1,10,500.00,USD,completed,2026-03-01,2026-03-10,2026-03-15,5,2026-03-20,500.00\r\n\
             {p1},Churn study,Acme Labs,N2,10,500.00,USD,completed,2026-03-05,2026-03-25,2026-03-25,3,,\r\n\
             {p2},Pricing review,Acme Labs,N1,20,900.00,USD,completed,2026-04-01,2026-04-20,2026-04-20,4,,\r\n\
             {p3},Field survey,Birch & Co,N3,5,150.00,USD,completed,2026-04-01,2026-04-10,2026-04-10,4,,\r\n\
             {p2},Pricing review,Acme Labs,N3,20,900.00,USD,active,2026-05-01,,,,,\r\n"
        )
    );

    // Endorsements: Ada wrote 3 (N1 twice, one revoked; N2) for 2 students, shared on 2
    // applications; Zed 1; Mia none (no row).
    let (status, _, body) = fetch(&app, &c, "/reports/endorsements.csv").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body,
        format!(
            "{BOM}faculty,department,endorsements,students_endorsed,shared_on_applications,revoked\r\n\
             Ada Byron,Mathematics,3,2,2,1\r\n\
             Zed Young,Economics,1,1,0,0\r\n"
        )
    );

    // First destination by major for the class of 2026: N1, N2 (Physics) employed full-time;
    // N3 (History) counts her latest known outcome (continuing education, 08-01).
    let (status, disposition, body) =
        fetch(&app, &c, "/reports/first-destination.csv?cohort=2026&group_by=major").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(disposition, "attachment; filename=\"first-destination_class-2026_by-major_2026-11-30.csv\"");
    assert_eq!(
        body,
        format!(
            "{BOM}cohort,group,graduates,known,knowledge_rate,employed_full_time,employed_part_time,military,volunteer_service,continuing_education,seeking_employment,seeking_continuing_education,not_seeking,no_information,career_outcomes_rate\r\n\
             2026,History,1,1,1.0000,0,0,0,0,1,0,0,0,0,1.0000\r\n\
             2026,Physics,2,2,1.0000,2,0,0,0,0,0,0,0,0,1.0000\r\n"
        )
    );
    // Five downloads, five audit events with their row counts.
    assert_eq!(n(&app, "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'report.downloaded'").await, 5);
    assert_eq!(
        n(&app, "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'report.downloaded' AND subject_id = 'micro-internships' AND details LIKE '%\"rows\":5%' AND actor_label = 'cory.banks@northfield.edu'").await,
        1
    );
    let _ = (&w.acme, &w.birch, &w.students);
}

#[tokio::test]
async fn filters_narrow_the_rows_and_bad_ones_are_named() {
    let (app, idp) = spawn_with_idp_at("2026-11-30", "12:00").await;
    world(&app).await;
    let c = app.signed_in(&idp, "counselor").await;
    let lines = |body: &str| body.lines().skip(1).map(|l| l.split(',').next().unwrap().to_owned()).collect::<Vec<_>>();

    // One employer: its row, and All employers is its figures.
    let (status, disposition, body) = fetch(&app, &c, "/reports/conversions.csv?employer=birch%20%26%20co").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(disposition, "attachment; filename=\"conversions_employer-birch-co_2026-11-30.csv\"");
    assert!(body.ends_with("Birch & Co,silver,1,1,0,0,0.0000,\r\nAll employers,,1,1,0,0,0.0000,\r\n"), "{body}");
    // Completions in April only: Acme's eng-2 (N1, whose first completion in range is
    // 04-20: the 04-01 offer is before it) and Birch's eng-5.
    let (_, _, body) = fetch(&app, &c, "/reports/conversions.csv?from=2026-04-01&to=2026-04-30").await;
    assert!(body.contains("\r\nAcme Labs,gold,1,1,0,0,0.0000,\r\n"), "{body}");
    assert!(body.ends_with("All employers,,2,2,0,0,0.0000,\r\n"), "{body}");

    // Placements: by college; by cohort (N4 has not graduated); by known_on dates; by employer.
    let (_, _, body) = fetch(&app, &c, "/reports/placements.csv?college=Arts").await;
    assert_eq!(lines(&body), ["N3"]);
    let (_, _, body) = fetch(&app, &c, "/reports/placements.csv?cohort=2026").await;
    assert_eq!(lines(&body), ["N1", "N2", "N3"]);
    let (_, _, body) = fetch(&app, &c, "/reports/placements.csv?from=2026-05-10&to=2026-06-05").await;
    assert_eq!(lines(&body), ["N2", "N4"]);
    let (_, _, body) = fetch(&app, &c, "/reports/placements.csv?employer=Acme%20Labs").await;
    assert_eq!(lines(&body), ["N1", "N2"]);

    // Micro-internships starting on April 1; endorsements of Arts students.
    let (_, _, body) = fetch(&app, &c, "/reports/micro-internships.csv?from=2026-04-01&to=2026-04-01").await;
    assert_eq!(body.lines().count(), 3, "{body}");
    let (_, _, body) = fetch(&app, &c, "/reports/endorsements.csv?college=Arts").await;
    assert_eq!(lines(&body), ["Zed Young"]);
    // Endorsements written on campus date 2026-02-01 (15:00 UTC is 10:00 on campus).
    let (_, _, body) = fetch(&app, &c, "/reports/endorsements.csv?from=2026-02-01&to=2026-02-01").await;
    assert!(body.ends_with("\r\nAda Byron,Mathematics,1,1,2,0\r\n"), "{body}");
    let downloads = n(&app, "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'report.downloaded'").await;
    assert_eq!(downloads, 9);

    // Bad filters: 400, each filter named; nothing audited. An unknown report: 404.
    for (path, expected) in [
        ("/reports/placements.csv?cohort=twenty", "cohort: `twenty` is not a year"),
        ("/reports/placements.csv?group_by=major", "group_by: the placements report is not filtered by group by"),
        (
            "/reports/endorsements.csv?employer=Acme%20Labs",
            "employer: the endorsements report is not filtered by employer",
        ),
        ("/reports/conversions.csv?employer=Nobody", "employer: no employer in the catalogue is named `Nobody`"),
        ("/reports/micro-internships.csv?from=2026-02-30", "from: `2026-02-30` is not a date"),
        ("/reports/micro-internships.csv?from=2026-05-01&to=2026-04-01", "to: 2026-04-01 is before the from date"),
        ("/reports/first-destination.csv", "cohort: is required for the first-destination report"),
        ("/reports/first-destination.csv?cohort=2026&group_by=dean", "group_by: `dean` is not college or major"),
    ] {
        let (status, _, body) = fetch(&app, &c, path).await;
        assert_eq!(status, 400, "{path}");
        assert!(
            body.contains(&expected.replace('`', "&#x60;")) || body.contains(expected),
            "{path}: {expected}\n{body}"
        );
    }
    let (status, _, _) = fetch(&app, &c, "/reports/salaries.csv").await;
    assert_eq!(status, 404);
    assert_eq!(n(&app, "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'report.downloaded'").await, downloads);
}
