"""Page speed against the server's own /healthz, at 64 connections (wrk -t2 -c64 --latency).

Each page is requested as the person who sees it (a student, the recruiter of the
posting, a counselor), signed in as a browser would; its throughput is divided by that
of /healthz measured in the same run (before and after the pages: the mean of both).
The URLs come from the data (the bench handles, the catalogue's words and skills) and
from the pages themselves (the deep page is where the catalogue's "Next page" links lead).
"""

import collections
import html as htmllib
import os
import re
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(__file__))
from benchlib import (  # noqa: E402
    Server, demo_sign_in, fmt_int, fmt_ms, handles, http_get, recruiter_sign_in, row, say, sql, wrk,
)

TARGET_RATIO, TARGET_P99 = 0.30, 50.0
TARGET = "≥ 0.30, p99 < 50 ms"
DEEP_PAGES = int(os.environ.get("BENCH_DEEP_PAGES", "40"))
STOP_WORDS = {"with", "from", "into", "your", "this", "that", "project", "and", "for", "the"}


def words_of_catalogue():
    """The broadest title word of the open catalogue, and a selective one (in 1 to 3 postings)."""
    counts = collections.Counter()
    for (title,) in sql("SELECT title FROM opportunities WHERE status = 'open'"):
        for w in set(re.findall(r"[a-z]{4,}", title.lower())):
            if w not in STOP_WORDS:
                counts[w] += 1
    if not counts:
        raise SystemExit("no open posting with a title word: is the data set loaded?")
    broad = counts.most_common(1)[0][0]
    rare = sorted((c, w) for w, c in counts.items() if c <= 3)
    selective = rare[len(rare) // 2][1] if rare else counts.most_common()[-1][0]
    say(f"catalogue words: broad '{broad}' ({counts[broad]} open postings), selective '{selective}' ({counts[selective]})")
    return broad, selective


def common_skill():
    rows = sql(
        "SELECT s.skill, COUNT(*) AS n FROM opportunity_skills s JOIN opportunities o ON o.id = s.opportunity_id "
        "WHERE o.status = 'open' GROUP BY s.skill ORDER BY n DESC, s.skill LIMIT 1"
    )
    return rows[0][0] if rows else "sql"


def next_link(html):
    m = re.search(r'<a href="([^"]+)" rel="next"', html) or re.search(r'rel="next"[^>]*href="([^"]+)"', html)
    return htmllib.unescape(m.group(1)) if m else None


def deep_page(base, cookie, start):
    """The address the catalogue's "Next page" link gives after DEEP_PAGES pages (or the last one)."""
    path, followed = start, 0
    while followed < DEEP_PAGES:
        status, html = http_get(base, path, cookie)
        if status != 200:
            raise SystemExit(f"{path} answered {status} while following the catalogue's pages")
        nxt = next_link(html)
        if not nxt:
            break
        path, followed = nxt, followed + 1
    say(f"deep page: {path} (after following 'Next page' {followed} times)")
    return path, followed


def settle(base, path, cookie):
    """One request of the page before its load test: it waits behind whatever the previous
    load test left queued in the server (requests wrk gave up on still run), so that one
    page's backlog does not count against the next."""
    http_get(base, path, cookie)


def main():
    h = handles()
    for key in ("student_email", "posting_id", "recruiter_email", "recruiter_password", "counselor_email"):
        if key not in h:
            raise SystemExit(f"no bench-handle {key} in $BENCH_HANDLES")
    student = sql("SELECT id FROM students WHERE email = ?", (h["student_email"],))[0][0]
    counselor = sql("SELECT id FROM users WHERE email = ?", (h["counselor_email"],))[0][0]
    posting = h["posting_id"]
    broad, selective = words_of_catalogue()
    skill = common_skill()

    with Server(demo=True, name="pages") as srv:
        base = srv.base
        s_browser, _ = demo_sign_in(base, f"student:{student}")
        c_browser, _ = demo_sign_in(base, f"user:{counselor}")
        r_browser = recruiter_sign_in(base, h["recruiter_email"], h["recruiter_password"])
        as_student, as_counselor, as_recruiter = (b.cookie_header() for b in (s_browser, c_browser, r_browser))

        # The recruiter's applicant list: the posting's own page, or the applicant list it links to.
        status, manage = http_get(base, f"/postings/{posting}", as_recruiter)
        if status != 200:
            raise SystemExit(f"/postings/{posting} answered {status} to the recruiter")
        m = re.search(rf'href="([^"]*{re.escape(posting)}[^"]*applicants[^"]*)"', manage)
        applicants = htmllib.unescape(m.group(1)) if m else f"/postings/{posting}"
        deep, followed = deep_page(base, as_student, "/opportunities")
        q = urllib.parse.quote_plus
        cases = [
            ("catalogue: browse", "/opportunities", as_student),
            (f"catalogue: selective search ({selective})", f"/opportunities?q={q(selective)}", as_student),
            (f"catalogue: broad search ({broad})", f"/opportunities?q={q(broad)}", as_student),
            (
                "catalogue: search + filters",
                f"/opportunities?q={q(broad)}&remote=remote&hours_max=20&fee_min=300&sort=fee",
                as_student,
            ),
            (f"catalogue: deep page ({followed} × Next)", deep, as_student),
            (f"catalogue: skill filter ({skill})", f"/opportunities?skills={q(skill)}", as_student),
            ("posting", f"/opportunities/{posting}", as_student),
            ("student dashboard (50 applications)", "/dashboard", as_student),
            ("recruiter's applicant list", applicants, as_recruiter),
            ("counselor home", "/", as_counselor),
            ("office dashboard", "/office/dashboard", as_counselor),
        ]
        broken = {}
        for name, path, cookie in cases:
            status, body = http_get(base, path, cookie)
            if status != 200:
                say(f"{name}: {path} answered {status}, not 200: {body[:300]}")
                broken[name] = status
            else:
                say(f"{name}: {path} ({len(body)} bytes)")

        before = wrk(base + "/healthz")
        results = []
        for name, path, cookie in cases:
            if name in broken:
                continue
            settle(base, path, cookie)
            r = wrk(base + path, cookie)
            say(f"{name}: {r['rps']:.1f} req/s p50 {r['p50']:.1f} ms p99 {r['p99']:.1f} ms bad {r['bad']}")
            results.append((name, path, r))
        if results:
            settle(base, results[-1][1], dict((n, c) for n, _, c in cases)[results[-1][0]])
        after = wrk(base + "/healthz")
        baseline = (before["rps"] + after["rps"]) / 2
        row(
            "pages",
            "/healthz (baseline)",
            f"{fmt_int(baseline)} req/s · p50 {fmt_ms(before['p50'])} · p99 {fmt_ms(before['p99'])} "
            f"(before {fmt_int(before['rps'])}, after {fmt_int(after['rps'])})",
            "1.00",
            "—",
            "—",
        )
        measured = {name: (path, r) for name, path, r in results}
        for name, path, _ in cases:
            shown = path.replace(posting, "{posting_id}")
            if name.startswith("catalogue: deep page"):
                shown = "/opportunities → Next page …"
            case = f"{name}: `{shown}`"
            if name in broken:
                row("pages", case, f"answered {broken[name]}, not 200: not measured", "—", TARGET, "no")
                continue
            r = measured[name][1]
            ratio = r["rps"] / baseline if baseline else 0.0
            met = ratio >= TARGET_RATIO and r["p99"] < TARGET_P99 and r["bad"] == 0
            figure = f"{fmt_int(r['rps'])} req/s · p50 {fmt_ms(r['p50'])} · p99 {fmt_ms(r['p99'])}"
            if r["rps"] == 0:
                figure = "no request completed within the run"
            if r["bad"]:
                figure += f" · {fmt_int(r['bad'])} errors"
            row("pages", case, figure, f"{ratio:.3f}", TARGET, "yes" if met else "no")


if __name__ == "__main__":
    main()
