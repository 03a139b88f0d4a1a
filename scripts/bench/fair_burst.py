"""A fair burst: 2,000 students register for the 50 sessions of the `fair_id` handle at once.

Every student signs in first (through the demo provider, as a browser would; not timed)
and is given one session, the sessions with the fewest seats left first, each asked by
more students than it has seats, so that every such session must fill and waitlist.
Then 64 clients (as many connections as the page tests) send all the registration
forms at once; the time is from the first request to the last answer. Afterwards SQL
counts each session's seats taken against its capacity, over the whole fair.
"""

import os
import queue
import re
import sys
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(__file__))
from benchlib import Server, demo_sign_in, fmt_int, handles, row, say, sql, wrk  # noqa: E402

STUDENTS = int(os.environ.get("BENCH_FAIR_STUDENTS", "2000"))
SESSIONS = int(os.environ.get("BENCH_FAIR_SESSIONS", "50"))
CLIENTS = int(os.environ.get("BENCH_FAIR_CLIENTS", "64"))


def seats_by_session(fair):
    return sql(
        "SELECT s.id, s.capacity, (SELECT COUNT(*) FROM registrations r WHERE r.session_id = s.id "
        "AND r.status = 'registered') FROM fair_sessions s WHERE s.fair_id = ? ORDER BY s.id",
        (fair,),
    )


def assign(sessions, students):
    """(student, session) pairs: the sessions with the fewest seats left first, each asked
    by its seats left plus a third more (at least 5); students left over go round the
    sessions again."""
    order = sorted(sessions, key=lambda s: (s[1] - s[2], s[0]))
    pairs, i = [], 0
    for sid, capacity, taken in order:
        left = max(capacity - taken, 0)
        for _ in range(left + max(5, left // 3)):
            if i == len(students):
                return pairs
            pairs.append((students[i], sid))
            i += 1
    k = 0
    while i < len(students):
        pairs.append((students[i], order[k % len(order)][0]))
        i, k = i + 1, k + 1
    return pairs


def main():
    h = handles()
    fair = h.get("fair_id") or sys.exit("no bench-handle fair_id in $BENCH_HANDLES")
    sessions = sql(
        "SELECT s.id, s.capacity, (SELECT COUNT(*) FROM registrations r WHERE r.session_id = s.id "
        "AND r.status = 'registered') FROM fair_sessions s WHERE s.fair_id = ? AND s.status = 'scheduled' "
        f"ORDER BY s.starts_at, s.id LIMIT {SESSIONS}",
        (fair,),
    )
    sessions = [(sid, int(c), int(t)) for sid, c, t in sessions]
    if not sessions:
        sys.exit(f"fair {fair} has no scheduled session")
    students = [
        r[0]
        for r in sql(
            "SELECT id FROM students WHERE email <> ? AND id NOT IN (SELECT r.student_id FROM registrations r "
            f"JOIN fair_sessions s ON s.id = r.session_id WHERE s.fair_id = ?) ORDER BY id LIMIT {STUDENTS}",
            (h.get("student_email", ""), fair),
        )
    ]
    pairs = assign(sessions, students)
    asked_ids = {sid for _, sid in pairs}
    asked_left = sum(max(c - t, 0) for sid, c, t in sessions if sid in asked_ids)
    say(f"{len(pairs)} students for {len(asked_ids)} of {len(sessions)} sessions, with {asked_left} seats left in them")

    with Server(demo=True, name="fair") as srv:
        base = srv.base
        u = urllib.parse.urlparse(base)

        def prepare(pair):
            student, session = pair
            b, page = demo_sign_in(base, f"student:{student}", f"/sessions/{session}")
            token = b.csrf(page)
            if not token:
                raise RuntimeError(f"no form token on /sessions/{session} for student {student}")
            return (b.cookie_header(), token, session)

        t0 = time.perf_counter()
        with ThreadPoolExecutor(max_workers=8) as pool:
            forms = list(pool.map(prepare, pairs))
        say(f"{len(forms)} students signed in in {time.perf_counter() - t0:.1f} s (not timed)")
        health = wrk(base + "/healthz")

        work = queue.Queue()
        for f in forms:
            work.put(f)
        statuses, lock, samples = [], threading.Lock(), {}
        start = threading.Barrier(CLIENTS + 1)

        def client():
            import http.client

            conn = http.client.HTTPConnection(u.hostname, u.port, timeout=120)
            start.wait()
            mine = []
            while True:
                try:
                    cookie, token, session = work.get_nowait()
                except queue.Empty:
                    break
                body = urllib.parse.urlencode({"csrf_token": token})
                headers = {
                    "Cookie": cookie,
                    "Origin": base,
                    "Content-Type": "application/x-www-form-urlencoded",
                }
                try:
                    conn.request("POST", f"/sessions/{session}/register", body, headers)
                    r = conn.getresponse()
                    text = r.read()
                    mine.append(r.status)
                    if r.status not in (302, 303) and r.status not in samples:
                        samples[r.status] = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text.decode("utf-8", "replace")))
                except OSError as e:
                    mine.append(f"{type(e).__name__}")
                    conn.close()
                    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=120)
            conn.close()
            with lock:
                statuses.extend(mine)

        threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
        for t in threads:
            t.start()
        start.wait()
        t0 = time.perf_counter()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - t0

    placed = sql(
        "SELECT r.status, COUNT(*) FROM registrations r JOIN fair_sessions s ON s.id = r.session_id "
        f"WHERE s.fair_id = ? AND r.student_id IN ({','.join('?' for _ in students)}) GROUP BY r.status",
        (fair, *students),
    )
    placed = {k: int(v) for k, v in placed}
    answered = sum(1 for s in statuses if isinstance(s, int) and s in (302, 303))
    refused = sum(1 for s in statuses if isinstance(s, int) and 400 <= s < 500)
    errors = len(statuses) - answered - refused
    rate = len(statuses) / elapsed if elapsed else 0.0
    say(f"statuses: { {s: statuses.count(s) for s in set(statuses)} }; placed {placed}")
    for status, text in samples.items():
        say(f"a {status} answer says: {text.split('Sign out')[-1].strip()[:300]}")
    over = [(sid, c, t) for sid, c, t in ((a, int(b), int(c)) for a, b, c in seats_by_session(fair)) if t > c]
    fullest = max(((int(t), int(c)) for _, c, t in seats_by_session(fair)), key=lambda x: x[0] / max(x[1], 1))
    figure = (
        f"{elapsed:.2f} s ({fmt_int(rate)} registrations/s) · {fmt_int(placed.get('registered', 0))} seats, "
        f"{fmt_int(placed.get('waitlisted', 0))} waitlisted, {fmt_int(refused)} refused, {fmt_int(errors)} errors"
    )
    ratio = rate / health["rps"] if health["rps"] else 0.0
    asked = len({sid for _, sid in pairs})
    label = f"{fmt_int(len(pairs))} students at once → {asked} of the fair's sessions, {CLIENTS} clients"
    row("fair burst", label, figure, f"{ratio:.3f}", "every answer a seat, a waitlist place or a refusal (no 5xx)",
        "yes" if errors == 0 else "no")
    row(
        "fair burst",
        "capacity (SQL, whole fair)",
        f"{len(over)} sessions over capacity · fullest {fullest[0]}/{fullest[1]} · "
        f"{fmt_int(asked_left)} seats were left in the {asked} sessions asked",
        "—",
        "no session over capacity",
        "yes" if not over else "no",
    )
    for sid, c, t in over:
        say(f"OVER CAPACITY: session {sid}: {t} registered, capacity {c}")


if __name__ == "__main__":
    main()
