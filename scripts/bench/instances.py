"""Two instances on one PostgreSQL database (scripts/bench/instances.sh; the protocol is
scripts/bench.sh's): throughput of a page with the load split across two `waypoint serve`
processes (two `wrk -c32` at once, summed) against one instance with 64 connections
(`wrk -c64`), for `/healthz` and for the catalogue as a signed-in student (one session,
made on one instance and used on both); then a registration burst through both at once,
and SQL checks that no session of the fair went over its capacity.

On one machine two instances share its cores: no gain is expected, and the ratio shows
what splitting the load costs (the target: no more than a fifth lost). On several
machines each instance brings its own cores; the database is then what they share.

Standard library only, like the other parts. Everything but `row` lines goes to stderr.
Knobs: BENCH_INSTANCES_STUDENTS (students in the burst, 300), BENCH_INSTANCES_SESSIONS (5).
"""

import http.client
import http.cookiejar
import os
import re
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

BIN = os.environ.get("BIN", "target/release/waypoint")
DB_URL = os.environ["WAYPOINT_DATABASE_URL"]
WORK = os.environ.get("BENCH_WORK", "/tmp")
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
BURST = int(os.environ.get("BENCH_INSTANCES_STUDENTS", "300"))
SESSIONS = int(os.environ.get("BENCH_INSTANCES_SESSIONS", "5"))
CLIENTS = 64
# One site: every instance has the same form secret (README: several instances).
FORM_SECRET = secrets.token_hex(32)


def say(*args):
    print("instances.py:", *args, file=sys.stderr, flush=True)


def row(case, figure, ratio, target, met):
    print("\t".join(["row", "instances", case, figure, ratio, target, met]), flush=True)


def handles():
    out = {}
    path = os.environ.get("BENCH_HANDLES")
    if path and os.path.exists(path):
        for line in open(path, encoding="utf-8"):
            m = re.match(r"bench-handle (\w+)=(.*)$", line.strip())
            if m:
                out[m.group(1)] = m.group(2)
    return out


def sql(query):
    out = subprocess.run(["psql", DB_URL, "-AtqX", "-F", "\t", "-c", query], check=True, capture_output=True, text=True)
    return [tuple(line.split("\t")) for line in out.stdout.splitlines() if line != ""]


def quote(v):
    return "'" + str(v).replace("'", "''") + "'"


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def fmt_int(n):
    return f"{n:,.0f}".replace(",", " ")


class Server:
    """`waypoint serve --demo` on a free port (demo mode for its built-in provider, which
    signs students in without a campus provider; the form secret is the site's)."""

    def __init__(self, name):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ)
        env.update(
            {
                "WAYPOINT_BIND": f"127.0.0.1:{self.port}",
                "WAYPOINT_PUBLIC_URL": self.base,
                "WAYPOINT_FORM_SECRET": FORM_SECRET,
                "WAYPOINT_LOG": "warn",
                "WAYPOINT_DATABASE_URL": DB_URL,
            }
        )
        self.log = os.path.join(WORK, f"{name}-{self.port}.log")
        self.proc = subprocess.Popen([BIN, "serve", "--demo"], env=env, stdout=open(self.log, "w"), stderr=subprocess.STDOUT)

    def ready(self):
        deadline = time.time() + 120
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"the server exited ({self.proc.returncode}); see {self.log}:\n" + open(self.log).read()[-2000:])
            try:
                with urllib.request.urlopen(self.base + "/readyz", timeout=2) as r:
                    if r.status == 200:
                        return self
            except OSError:
                time.sleep(0.2)
        raise SystemExit(f"the server did not answer /readyz within 120 s; see {self.log}")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class Browser:
    def __init__(self, base):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect())

    def request(self, url, data=None, headers=None):
        if not url.startswith("http"):
            url = self.base + url
        body = urllib.parse.urlencode(data).encode() if isinstance(data, dict) else data
        try:
            with self.opener.open(urllib.request.Request(url, data=body, headers=headers or {}), timeout=60) as r:
                return r.status, r.headers.get("Location"), r.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as e:
            return e.code, e.headers.get("Location"), e.read().decode("utf-8", "replace")

    def csrf(self, html):
        m = re.search(r'name="csrf_token" value="([^"]+)"', html)
        return m.group(1) if m else None

    def cookie_header(self):
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)


def absolute(base, location):
    return location if location.startswith("http") else base + location


def sign_in(base, student_id, return_to):
    """A student signed in through the instance's demo provider: (browser, landing page)."""
    b = Browser(base)
    status, loc, _ = b.request("/auth/login?return_to=" + urllib.parse.quote(return_to))
    assert status in (302, 303) and loc, f"/auth/login answered {status}"
    loc = absolute(base, loc)
    status, _, chooser = b.request(loc)
    assert status == 200, f"the demo provider answered {status}"
    form = dict(urllib.parse.parse_qsl(urllib.parse.urlparse(loc).query))
    form.update({"person": f"student:{student_id}", "csrf_token": b.csrf(chooser) or ""})
    status, back, text = b.request("/dev-idp/authorize", form, {"Origin": base})
    assert status in (302, 303) and back, f"/dev-idp/authorize answered {status}: {text[:300]}"
    status, landing, text = b.request(absolute(base, back))
    assert status in (302, 303), f"/auth/callback answered {status}: {text[:300]}"
    _, _, page = b.request(absolute(base, landing))
    return b, page


def _ms(text):
    m = re.match(r"([\d.]+)(us|ms|s|m)$", text)
    return float(m.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[m.group(2)] if m else float("nan")


def wrk_start(url, cookie, connections, threads):
    args = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{SECONDS}s", "--latency", "--timeout", "10s"]
    if cookie:
        args += ["-H", f"Cookie: {cookie}"]
    return subprocess.Popen(args + [url], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)


def wrk_result(proc):
    out, _ = proc.communicate()
    res = {"rps": 0.0, "p50": float("nan"), "p99": float("nan"), "bad": 0}
    for line in out.splitlines():
        s = line.split()
        if line.startswith("Requests/sec:"):
            res["rps"] = float(s[1])
        elif len(s) == 2 and s[0] == "50%":
            res["p50"] = _ms(s[1])
        elif len(s) == 2 and s[0] == "99%":
            res["p99"] = _ms(s[1])
        elif "Non-2xx or 3xx responses" in line:
            res["bad"] += int(s[-1])
        elif line.strip().startswith("Socket errors"):
            res["bad"] += sum(int(x) for x in re.findall(r"(?:connect|read|write|timeout) (\d+)", line))
    return res


def compare(label, path, servers, cookie=None):
    """One instance at 64 connections, then both at once at 32 each: one row."""
    one = wrk_result(wrk_start(servers[0].base + path, cookie, CLIENTS, 2))
    both = [wrk_result(p) for p in [wrk_start(s.base + path, cookie, CLIENTS // 2, 1) for s in servers]]
    rps = sum(r["rps"] for r in both)
    p99 = max(r["p99"] for r in both)
    p50 = max(r["p50"] for r in both)
    bad = one["bad"] + sum(r["bad"] for r in both)
    ratio = rps / one["rps"] if one["rps"] else 0.0
    say(f"{label}: one {one}, two {both}")
    figure = (
        f"two: {fmt_int(rps)} req/s · p50 {p50:.1f} ms · p99 {p99:.1f} ms; "
        f"one: {fmt_int(one['rps'])} req/s · p99 {one['p99']:.1f} ms"
        + (f" · {fmt_int(bad)} bad answers" if bad else "")
    )
    met = "yes" if ratio >= 0.8 and bad == 0 else "no"
    row(f"{label}: 2 × 32 connections vs 1 × 64", figure, f"{ratio:.2f}", "≥ 0.80 of one instance (one machine), no errors", met)


def burst(servers, fair, exclude_email):
    """Students register at once for a few sessions, through both instances."""
    sessions = sql(
        "SELECT s.id, s.capacity, (SELECT COUNT(*) FROM registrations r WHERE r.session_id = s.id AND r.status = 'registered') "
        f"FROM fair_sessions s WHERE s.fair_id = {quote(fair)} AND s.status = 'scheduled' AND s.kind = 'group' "
        f"ORDER BY s.capacity - (SELECT COUNT(*) FROM registrations r WHERE r.session_id = s.id AND r.status = 'registered'), s.id "
        f"LIMIT {SESSIONS}"
    )
    if not sessions:
        row("registration burst through both", "the fair has no scheduled group session", "—", "no session over capacity", "no")
        return
    sessions = [(sid, int(c), int(t)) for sid, c, t in sessions]
    seats_left = sum(max(c - t, 0) for _, c, t in sessions)
    students = [
        r[0]
        for r in sql(
            f"SELECT id FROM students WHERE email <> {quote(exclude_email)} AND id NOT IN "
            f"(SELECT r.student_id FROM registrations r JOIN fair_sessions s ON s.id = r.session_id WHERE s.fair_id = {quote(fair)}) "
            f"ORDER BY id LIMIT {BURST}"
        )
    ]
    # Every session asked by more students than it has seats left.
    pairs = [(st, sessions[i % len(sessions)][0]) for i, st in enumerate(students)]

    def prepare(i_pair):
        i, (student, session) = i_pair
        server = servers[i % 2]
        b, page = sign_in(server.base, student, f"/sessions/{session}")
        token = b.csrf(page)
        if not token:
            raise RuntimeError(f"no form token on /sessions/{session}")
        return server, b.cookie_header(), token, session

    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=8) as pool:
        forms = list(pool.map(prepare, enumerate(pairs)))
    say(f"{len(forms)} students signed in in {time.perf_counter() - t0:.1f} s (not timed)")
    # Each registration goes to the other instance than the one the student signed in on.
    forms = [(servers[(i + 1) % 2], *f[1:]) for i, f in enumerate(forms)]
    statuses, lock = [], threading.Lock()
    start = threading.Barrier(CLIENTS + 1)
    queue = list(reversed(forms))

    def client():
        conns = {}
        start.wait()
        mine = []
        while True:
            with lock:
                if not queue:
                    break
                server, cookie, token, session = queue.pop()
            c = conns.get(server.port) or http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
            conns[server.port] = c
            headers = {"Cookie": cookie, "Origin": server.base, "Content-Type": "application/x-www-form-urlencoded"}
            try:
                c.request("POST", f"/sessions/{session}/register", urllib.parse.urlencode({"csrf_token": token}), headers)
                r = c.getresponse()
                r.read()
                mine.append(r.status)
            except OSError as e:
                mine.append(type(e).__name__)
                c.close()
                conns.pop(server.port, None)
        for c in conns.values():
            c.close()
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
    answered = sum(1 for s in statuses if s in (302, 303))
    errors = len(statuses) - answered
    over = sql(
        "SELECT s.id, s.capacity, COUNT(r.id) FROM fair_sessions s JOIN registrations r ON r.session_id = s.id "
        f"AND r.status = 'registered' WHERE s.fair_id = {quote(fair)} GROUP BY s.id, s.capacity HAVING COUNT(r.id) > s.capacity"
    )
    ids = ", ".join(quote(s) for s in students) or "''"
    placed = dict(
        sql(
            "SELECT r.status, COUNT(*) FROM registrations r JOIN fair_sessions s ON s.id = r.session_id "
            f"WHERE s.fair_id = {quote(fair)} AND r.student_id IN ({ids}) GROUP BY r.status"
        )
    )
    say(f"statuses {({s: statuses.count(s) for s in set(statuses)})}; placed {placed}")
    for sid, c, t in over:
        say(f"OVER CAPACITY: session {sid}: {t} registered, capacity {c}")
    row(
        "registration burst through both (capacity by SQL, whole fair)",
        f"{fmt_int(len(forms))} students → {len(sessions)} sessions with {seats_left} seats left, {CLIENTS} clients: "
        f"{elapsed:.2f} s · {placed.get('registered', '0')} seats, {placed.get('waitlisted', '0')} waitlisted, "
        f"{errors} errors · {len(over)} sessions over capacity",
        "—",
        "no session over capacity, no errors",
        "yes" if not over and errors == 0 else "no",
    )


def main():
    h = handles()
    email = h.get("student_email") or sys.exit("no bench-handle student_email in $BENCH_HANDLES")
    fair = h.get("fair_id") or sys.exit("no bench-handle fair_id in $BENCH_HANDLES")
    # Campus identities are per provider (each demo server is its own): adopt by email again.
    sql("UPDATE users SET issuer = NULL, subject = NULL WHERE issuer IS NOT NULL")
    student = sql(f"SELECT id FROM students WHERE email = {quote(email)}")[0][0]
    # Both start at once, on a database that may still need migrating (an advisory lock).
    servers = [Server("a"), Server("b")]
    try:
        for s in servers:
            s.ready()
        b, _ = sign_in(servers[0].base, student, "/opportunities")
        cookie = b.cookie_header()
        for s in servers:
            status, _, _ = Browser(s.base).request(s.base + "/opportunities", headers={"Cookie": cookie})
            if status != 200:
                raise SystemExit(f"the student's session made on one instance answered {status} on {s.base}")
        compare("/healthz", "/healthz", servers)
        compare("catalogue as a student", "/opportunities", servers, cookie)
        burst(servers, fair, email)
    finally:
        for s in servers:
            s.stop()
        sql("UPDATE users SET issuer = NULL, subject = NULL WHERE issuer IS NOT NULL")


if __name__ == "__main__":
    main()
