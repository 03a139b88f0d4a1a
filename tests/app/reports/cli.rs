//! `waypoint report NAME`: the portal's file, byte for byte, for the same filters (both on
//! the real clock here); bad filters and unknown reports exit with code 2, naming the
//! flag; every run is audited as the command line's.

use super::{n, world};
use crate::helpers::{stderr, TestDb};
use crate::idp::spawn_with_idp_and;

#[tokio::test]
async fn the_command_line_writes_the_portal_s_bytes() {
    let (app, idp) = spawn_with_idp_and(TestDb::new(), None, &[]).await;
    world(&app).await;
    let c = app.signed_in(&idp, "counselor").await;
    for (query, args) in [
        ("/reports/conversions.csv", vec!["report", "conversions"]),
        (
            "/reports/conversions.csv?employer=Acme%20Labs&from=2026-03-01",
            vec!["report", "conversions", "--employer", "Acme Labs", "--from", "2026-03-01"],
        ),
        (
            "/reports/placements.csv?cohort=2026&college=Engineering",
            vec!["report", "placements", "--cohort", "2026", "--college", "Engineering"],
        ),
        ("/reports/micro-internships.csv?to=2026-04-01", vec!["report", "micro-internships", "--to", "2026-04-01"]),
        ("/reports/endorsements.csv", vec!["report", "endorsements"]),
        (
            "/reports/first-destination.csv?cohort=2026&group_by=major",
            vec!["report", "first-destination", "--cohort", "2026", "--group-by", "major"],
        ),
        ("/reports/first-destination.csv?class=2026", vec!["report", "first-destination", "--cohort", "2026"]),
    ] {
        let r = c.get(format!("{}{query}", app.address)).send().await.unwrap();
        assert_eq!(r.status(), 200, "{query}");
        let portal = r.bytes().await.unwrap();
        let out = app.waypoint(&args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        assert!(portal.len() > 3 + 40, "{query} has rows");
        assert_eq!(out.stdout, portal.to_vec(), "{args:?} gives the bytes of {query}");
    }
    assert_eq!(
        n(&app, "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'report.run' AND actor_label = 'command line'")
            .await,
        7
    );
    assert_eq!(
        n(&app, "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'report.run' AND subject_id = 'endorsements' AND details LIKE '%\"rows\":2%' AND details LIKE '%\"via\":\"cli\"%'").await,
        1
    );

    // Bad filters and unknown reports: exit 2, the flag named, nothing written or audited.
    for (args, expected) in [
        (vec!["report", "placements", "--cohort", "twenty"], "--cohort: `twenty` is not a year"),
        (
            vec!["report", "placements", "--group-by", "major"],
            "--group-by: the placements report is not filtered by group by",
        ),
        (
            vec!["report", "conversions", "--employer", "Nobody"],
            "--employer: no employer in the catalogue is named `Nobody`",
        ),
        (vec!["report", "micro-internships", "--from", "yesterday"], "--from: `yesterday` is not a date"),
        (vec!["report", "first-destination"], "--cohort: is required for the first-destination report"),
        (
            vec!["report", "salaries"],
            "no report is named `salaries`: one of first-destination, placements, conversions",
        ),
    ] {
        let out = app.waypoint(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(expected), "{args:?}: {expected}\n{}", stderr(&out));
        assert!(out.stdout.is_empty(), "{args:?} writes nothing");
    }
    assert_eq!(n(&app, "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'report.run'").await, 7);
}

#[test]
fn the_report_command_has_useful_help() {
    for (args, words) in [
        (vec!["--help"], vec!["report"]),
        (
            vec!["report", "--help"],
            vec!["--cohort", "--group-by", "--college", "--employer", "--from", "--to", "conversions"],
        ),
    ] {
        let out = crate::helpers::waypoint_cmd("sqlite://unused.db", &args, &[]);
        assert!(out.status.success(), "{args:?}");
        for w in words {
            assert!(crate::helpers::stdout(&out).contains(w), "`waypoint {}` does not mention {w}", args.join(" "));
        }
    }
}
