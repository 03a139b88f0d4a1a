//! A recruiter's applicant list at university scale (issue 15): a page at a time, oldest
//! application first, each page a place in the list (keyset), the status chosen kept by
//! the page links, and never another employer's applicants.

use crate::fixtures::{application, employer, posting, student, Posting};
use crate::lifecycle::world;
use crate::partners::get;
use crate::recruiters::{accept, invite, link_in};

fn names(html: &str) -> Vec<String> {
    html.split("<li class=\"card\">\n    <h3>").skip(1).map(|l| l.split("</h3>").next().unwrap().to_owned()).collect()
}

fn link(html: &str, rel: &str) -> Option<String> {
    let at = html.find(&format!("rel=\"{rel}\""))?;
    let href = html[..at].rsplit("href=\"").next()?.split('"').next()?;
    Some(href.replace("&amp;", "&").replace("&#x3D;", "=").split('#').next().unwrap().to_owned())
}

#[tokio::test]
async fn applicant_pages_keep_the_status_chosen_and_show_each_applicant_once() {
    let w = world().await;
    let app = &w.app;
    let mine = posting(app, &w.employer, Posting { title: "Popular project", ..Default::default() }).await;
    let mut all = Vec::new();
    let mut shortlisted = Vec::new();
    for i in 0..60 {
        let number = format!("A{i:02}");
        let s = student(app, &number, &format!("a{i}@northfield.edu"), "School of Business", "Finance", 2027).await;
        let status = if i % 2 == 0 { "shortlisted" } else { "submitted" };
        let id = application(app, &mine, &s, status).await;
        all.push((id.clone(), format!("Student {number}")));
        if i % 2 == 0 {
            shortlisted.push((id, format!("Student {number}")));
        }
    }
    // Another employer's posting, its applicants and its recruiter.
    let other = employer(app, "Harbor Health", "Healthcare", Some("harborhealth.org"), "active").await;
    let theirs = posting(app, &other, Posting { title: "Their project", ..Default::default() }).await;
    for i in 0..3 {
        let s = student(app, &format!("B{i}"), &format!("b{i}@northfield.edu"), "School of Business", "Finance", 2027)
            .await;
        application(app, &theirs, &s, "submitted").await;
    }
    let counselor = app.signed_in(&w.idp, "counselor").await;
    let r = invite(app, &counselor, &other, "lee.park@harborhealth.org").await;
    let (harbor, _) = accept(app, &link_in(&r.text().await.unwrap()), "another long passphrase").await;

    // Same created time for all: the id decides, as the list's order does.
    all.sort();
    shortlisted.sort();
    for (first, expected, kept) in [
        (format!("/postings/{mine}"), &all, None),
        (format!("/postings/{mine}?status=shortlisted"), &shortlisted, Some("status=shortlisted")),
    ] {
        let (status, html) = get(app, &w.recruiter, &first).await;
        assert_eq!(status, 200, "{first}");
        assert!(html.contains(&format!("Applicants ({})", expected.len())), "{first}");
        let mut shown = Vec::new();
        let mut pages = Vec::new();
        let mut at = Some(first.clone());
        while let Some(here) = at {
            let (_, html) = get(app, &w.recruiter, &here).await;
            let rows = names(&html);
            assert!(!rows.is_empty() && rows.len() <= 25, "{here}");
            shown.extend(rows.clone());
            pages.push((here, rows));
            at = link(&html, "next");
            if let (Some(next), Some(kept)) = (&at, kept) {
                assert!(next.contains(kept), "{next} keeps {kept}");
            }
        }
        let want: Vec<String> = expected.iter().map(|e| e.1.clone()).collect();
        assert_eq!(shown, want, "{first}: each applicant once, oldest first");
        // Back from the second page: the first again.
        let (_, two) = get(app, &w.recruiter, &pages[1].0).await;
        let back = link(&two, "prev").unwrap();
        if let Some(kept) = kept {
            assert!(back.contains(kept), "{back}");
        }
        let (_, one) = get(app, &w.recruiter, &back).await;
        assert_eq!(names(&one), pages[0].1);
    }

    // Another employer's recruiter sees none of them, whatever the address says.
    let (status, _) = get(app, &harbor, &format!("/postings/{mine}?status=submitted")).await;
    assert_eq!(status, 404);
    let (_, theirs_page) = get(app, &harbor, &format!("/postings/{theirs}")).await;
    let mut got = names(&theirs_page);
    got.sort();
    assert_eq!(got, ["Student B0", "Student B1", "Student B2"]);
    assert!(!theirs_page.contains("Student A"));
    // A place taken from one list does not open another's.
    let (_, html) = get(app, &w.recruiter, &format!("/postings/{mine}")).await;
    let next = link(&html, "next").unwrap();
    let place = next.split("after=").nth(1).unwrap();
    let (status, html) = get(app, &harbor, &format!("/postings/{theirs}?after={place}")).await;
    assert_eq!(status, 200);
    assert!(!html.contains("Student A"), "only their own applicants");

    // A status or place that cannot be read is named.
    let (status, html) = get(app, &w.recruiter, &format!("/postings/{mine}?status=hired")).await;
    assert_eq!(status, 422, "{html}");
    let (status, _) = get(app, &w.recruiter, &format!("/postings/{mine}?after=nowhere")).await;
    assert_eq!(status, 422);
}
