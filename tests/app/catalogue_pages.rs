//! The catalogue at university scale (issue 15): a page is a place in the list (after a
//! posting's sort key and id), not an offset, so every matching posting shows exactly
//! once across the pages, in the order asked, with the filters kept; counts stop at
//! 100 and say so; old numbered links still land on their page; and a broad search
//! (words in most postings, which SQLite answers from the full-text rowids) finds the same
//! postings as a narrow one would.

use crate::fixtures::{employer, posting, sql, student, Posting};
use crate::helpers::{backend, Backend, TestApp};
use crate::idp::spawn_with_idp;
use crate::partners::get;

fn titles(html: &str) -> Vec<String> {
    html.split("<li class=\"listing\">")
        .skip(1)
        .map(|l| l.split("\">").nth(1).unwrap().split('<').next().unwrap().to_owned())
        .collect()
}

/// The address of the page link `rel` ("next" or "prev"), as a browser would follow it.
fn link(html: &str, rel: &str) -> Option<String> {
    let at = html.find(&format!("rel=\"{rel}\""))?;
    let href = html[..at].rsplit("href=\"").next()?.split('"').next()?;
    Some(href.replace("&amp;", "&").replace("&#x3D;", "="))
}

/// Follows "Next page" from `first` to the end; every page's links keep `kept`.
async fn forward(app: &TestApp, b: &reqwest::Client, first: &str, kept: &str) -> Vec<(String, Vec<String>)> {
    let mut pages = Vec::new();
    let mut at = Some(first.to_owned());
    while let Some(here) = at {
        let (status, html) = get(app, b, &here).await;
        assert_eq!(status, 200, "{here}");
        let rows = titles(&html);
        assert!(!rows.is_empty() && rows.len() <= 20, "{here}: {} rows", rows.len());
        assert_eq!(link(&html, "prev").is_some(), !pages.is_empty(), "{here}: a previous page only after the first");
        at = link(&html, "next");
        if let Some(next) = &at {
            assert!(next.contains(kept) && next.contains("after="), "{next} keeps {kept}");
        }
        pages.push((here, rows));
        assert!(pages.len() < 50, "the pages end");
    }
    pages
}

#[tokio::test]
async fn keyset_pages_show_every_match_once_in_order_with_the_filters_kept() {
    let (app, idp) = spawn_with_idp(None).await;
    let bright = employer(&app, "Brightpath Analytics", "Software", Some("brightpath.com"), "active").await;
    let harbor = employer(&app, "Harbor Health", "Healthcare", Some("harborhealth.org"), "active").await;
    // 47 postings naming SQL, with many ties on every sort key (ties go by id), and others
    // that the filter leaves out.
    let opened = ["2026-11-01 09:00:00", "2026-11-02 09:00:00", "2026-11-03 10:30:00"];
    let apply = ["2099-01-15", "2099-02-01", "2099-03-01"];
    let mut matching = Vec::new();
    for i in 0..47usize {
        let title = format!("Match {i:02}");
        let (o, a, fee) = (opened[i % 3], apply[i % 3 / 2 + i % 2], 30_000 + 5_000 * (i as i64 % 4));
        let emp = if i % 5 == 0 { &harbor } else { &bright };
        let id = posting(
            &app,
            emp,
            Posting {
                title: &title,
                skills: "sql,excel",
                opened_at: o,
                apply_by: a,
                fee_cents: fee,
                hours: 10,
                ..Default::default()
            },
        )
        .await;
        matching.push((title, id, o.to_owned(), a.to_owned(), fee));
    }
    for i in 0..6 {
        let title = format!("Other {i}");
        posting(&app, &bright, Posting { title: &title, skills: "excel", ..Default::default() }).await;
    }
    student(&app, "N1", "ava.okafor@northfield.edu", "School of Business", "Finance", 2027).await;
    let ava = app.signed_in(&idp, "student").await;

    for sort in ["newest", "fee", "apply_by"] {
        let mut expected = matching.clone();
        match sort {
            "newest" => expected.sort_by(|x, y| y.2.cmp(&x.2).then(x.1.cmp(&y.1))),
            "fee" => expected.sort_by(|x, y| y.4.cmp(&x.4).then(x.1.cmp(&y.1))),
            _ => expected.sort_by(|x, y| x.3.cmp(&y.3).then(x.1.cmp(&y.1))),
        }
        let expected: Vec<String> = expected.into_iter().map(|m| m.0).collect();
        let first = format!("/opportunities?skills=sql&sort={sort}");
        let (_, html) = get(&app, &ava, &first).await;
        assert!(html.contains("47 projects found."), "{sort}");
        let pages = forward(&app, &ava, &first, &format!("skills=sql&sort={sort}")).await;
        assert_eq!(pages.iter().map(|p| p.1.len()).collect::<Vec<_>>(), [20, 20, 7], "{sort}");
        let shown: Vec<String> = pages.iter().flat_map(|p| p.1.clone()).collect();
        assert_eq!(shown, expected, "{sort}: every match once, in order");

        // Back from the last page by "Previous page": the same pages, in reverse.
        let (_, last) = get(&app, &ava, &pages[2].0).await;
        let back = link(&last, "prev").expect("a previous page");
        assert!(back.contains("before=") && back.contains(&format!("skills=sql&sort={sort}")), "{back}");
        let (_, middle) = get(&app, &ava, &back).await;
        assert_eq!(titles(&middle), pages[1].1, "{sort}: page 2 again");
        let (_, first_again) = get(&app, &ava, &link(&middle, "prev").unwrap()).await;
        assert_eq!(titles(&first_again), pages[0].1, "{sort}: page 1 again");
        assert!(link(&first_again, "prev").is_none(), "nothing before the first page");

        // An old numbered link goes to the same page by its place in the list.
        let r = ava.get(format!("{}/opportunities?skills=sql&sort={sort}&page=2", app.address)).send().await.unwrap();
        assert_eq!(r.status(), 303);
        let to = r.headers()["location"].to_str().unwrap().to_owned();
        assert!(to.contains("after=") && to.contains("skills=sql"), "{to}");
        let (_, two) = get(&app, &ava, &to).await;
        assert_eq!(titles(&two), pages[1].1, "{sort}: page=2 is the second page");
    }

    // A posting opened meanwhile neither shifts nor repeats the pages after the first.
    let (_, one) = get(&app, &ava, "/opportunities?skills=sql").await;
    let next = link(&one, "next").unwrap();
    posting(
        &app,
        &bright,
        Posting { title: "Brand new", skills: "sql", opened_at: "2026-11-20 09:00:00", ..Default::default() },
    )
    .await;
    let (_, two) = get(&app, &ava, &next).await;
    assert!(!titles(&two).iter().any(|t| titles(&one).contains(t) || t == "Brand new"));

    // A place that cannot be read is named, and the first page shown.
    let (status, html) = get(&app, &ava, "/opportunities?skills=sql&after=not-a-place").await;
    assert_eq!(status, 422);
    assert!(html.contains("Page: is not a place in this list"), "{html}");
    assert_eq!(titles(&html)[0], "Brand new");
    let r = ava.get(format!("{}/opportunities?skills=sql&page=1", app.address)).send().await.unwrap();
    assert_eq!(r.headers()["location"].to_str().unwrap(), "/opportunities?skills=sql");
}

/// 1,001 open postings of `employer`, made in one statement: "Bulk survey N", N hours
/// 5 + N % 36, all opened at the same moment.
async fn bulk(app: &TestApp, employer: &str) {
    sql(
        app,
        format!(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1001) \
             INSERT INTO opportunities (id, employer_id, title, description, category, skills, hours, fee_cents, currency, \
             remote, location, apply_by, due_by, openings, eligible_colleges, eligible_majors, eligible_class_years, status, \
             opened_at, created_at, updated_at) \
             SELECT 'bulk-' || (100000 + i), '{employer}', 'Bulk survey ' || i, 'Survey churn in our trial accounts.', \
             'research', 'sql', 5 + (i % 36), 40000, 'USD', TRUE, NULL, '2099-01-15', '2099-12-31', 1, '', '', '', 'open', \
             '2026-11-01 09:00:00', '2026-11-01 09:00:00', '2026-11-01 09:00:00' FROM n"
        ),
    )
    .await;
}

#[tokio::test]
async fn counts_stop_at_a_thousand_and_broad_searches_page_like_narrow_ones() {
    let (app, idp) = spawn_with_idp(None).await;
    let bright = employer(&app, "Brightpath Analytics", "Software", Some("brightpath.com"), "active").await;
    let ended = employer(&app, "Cedar Works", "Manufacturing", Some("cedarworks.com"), "ended").await;
    posting(&app, &ended, Posting { title: "Churn survey of an ended partner", ..Default::default() }).await;
    bulk(&app, &bright).await;
    let ava = app.signed_in(&idp, "student").await;

    let (status, html) = get(&app, &ava, "/opportunities").await;
    assert_eq!(status, 200);
    assert!(html.contains("More than 100 projects found."), "{html}");
    let (_, html) = get(&app, &ava, "/opportunities?q=churn+survey").await;
    assert!(html.contains("More than 100 projects found."), "a broad search");
    assert!(!html.contains("ended partner"));
    let (_, partner) = get(&app, &ava, &format!("/partners/{bright}")).await;
    assert!(partner.contains("Open projects (100+)"), "{partner}");

    // Words in every posting, with a filter: 27 of them (hours 5), each once, by id.
    let expected: Vec<String> = {
        let mut v: Vec<(String, String)> = (1..=1001)
            .filter(|i| 5 + i % 36 <= 5)
            .map(|i| (format!("bulk-{}", 100000 + i), format!("Bulk survey {i}")))
            .collect();
        v.sort();
        v.into_iter().map(|x| x.1).collect()
    };
    assert_eq!(expected.len(), 27);
    let first = "/opportunities?q=churn+survey&hours_max=5";
    let (_, html) = get(&app, &ava, first).await;
    assert!(html.contains("27 projects found."), "{html}");
    let pages = forward(&app, &ava, first, "q=churn+survey&hours_max=5").await;
    let shown: Vec<String> = pages.into_iter().flat_map(|p| p.1).collect();
    assert_eq!(shown, expected);
    // A selective search in the same catalogue.
    let (_, html) = get(&app, &ava, "/opportunities?q=survey+1001").await;
    assert_eq!(titles(&html), ["Bulk survey 1001"]);
    assert!(html.contains("1 project found."));

    // SQLite pairs full-text rows with their postings' rowids; if a VACUUM or a restore
    // renumbers the postings, the server re-pairs them when it refreshes its statistics.
    if backend() == Backend::Sqlite {
        sql(&app, "DELETE FROM opportunity_search".into()).await;
        sql(
            &app,
            "INSERT INTO opportunity_search (rowid, opportunity_id, title, description, skills, employer_name) \
             SELECT o.rowid + 500000, o.id, o.title, o.description, o.skills, '' FROM opportunities o"
                .into(),
        )
        .await;
        app.with_db(|c| c.refresh_statistics().expect("statistics")).await;
        let (_, html) = get(&app, &ava, first).await;
        assert!(html.contains("27 projects found."), "re-paired: {html}");
        let (_, html) = get(&app, &ava, "/opportunities?q=brightpath+survey&hours_max=5").await;
        assert!(html.contains("27 projects found."), "the employer's name is indexed again");
    }
}
