"""Shared helpers of the benchmark sub-scripts (scripts/bench/*.py): the protocol's
environment, a server started on a free port, a browser-like client that signs in, SQL
on either backend, and wrk with its latency distribution.

Standard library only: the driver must run on a fresh machine with Debian's python3.
Everything but `row` lines goes to stderr (the protocol in scripts/bench.sh).
"""

import http.client
import http.cookiejar
import json
import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

BIN = os.environ.get("BIN", "target/release/waypoint")
BACKEND = os.environ.get("BACKEND", "sqlite")
DB_URL = os.environ.get("WAYPOINT_DATABASE_URL", "")
WORK = os.environ.get("BENCH_WORK", "/tmp")
STUDENTS = int(os.environ.get("BENCH_STUDENTS", "100000"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
CONNECTIONS = 64


def say(*args):
    print(f"{os.path.basename(sys.argv[0])}:", *args, file=sys.stderr, flush=True)


def row(group, case, figure, ratio, target, met):
    """One result line of the protocol, on stdout."""
    print("\t".join(["row", group, case, figure, ratio, target, met]), flush=True)


def handles():
    out = {}
    path = os.environ.get("BENCH_HANDLES")
    if path and os.path.exists(path):
        for line in open(path, encoding="utf-8"):
            m = re.match(r"bench-handle (\w+)=(.*)$", line.strip())
            if m:
                out[m.group(1)] = m.group(2)
    return out


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def fmt_int(n):
    return f"{n:,.0f}".replace(",", " ")


def fmt_ms(ms):
    return f"{ms:.1f} ms" if ms < 100 else f"{ms:.0f} ms"


# ---------------------------------------------------------------- SQL


def sql(query, params=()):
    """Rows of a query on the benchmark's database (`?` placeholders on both backends;
    values are quoted here for psql, so pass only trusted values such as ids)."""
    if BACKEND == "postgres":
        q = query
        for p in params:
            q = q.replace("?", "'" + str(p).replace("'", "''") + "'", 1)
        out = subprocess.run(["psql", DB_URL, "-AtqX", "-F", "\t", "-c", q], check=True, capture_output=True, text=True)
        return [tuple(line.split("\t")) for line in out.stdout.splitlines() if line != ""]
    path = DB_URL.removeprefix("sqlite://")
    c = sqlite3.connect(path, timeout=30)
    try:
        return [tuple("" if v is None else str(v) for v in r) for r in c.execute(query, params)]
    finally:
        c.close()


def forget_campus_identities():
    """Lets the next sign-in adopt each account by its email. The demo provider's issuer is
    the server's own address (`http://127.0.0.1:PORT/dev-idp`) and every benchmark server
    has another port, so a person signed in on one server would be refused on the next
    ("the email belongs to another campus identity"). Run only while no server runs."""
    if BACKEND == "postgres":
        subprocess.run(
            ["psql", DB_URL, "-qX", "-c", "UPDATE users SET issuer = NULL, subject = NULL WHERE issuer IS NOT NULL"],
            check=True, capture_output=True,
        )
    else:
        c = sqlite3.connect(DB_URL.removeprefix("sqlite://"), timeout=30)
        c.execute("UPDATE users SET issuer = NULL, subject = NULL WHERE issuer IS NOT NULL")
        c.commit()
        c.close()


# ---------------------------------------------------------------- server


class Server:
    """`waypoint serve` on a free port; stopped by `stop()` (or at exit of the with-block)."""

    def __init__(self, demo=True, env=None, port=None, name="serve"):
        forget_campus_identities()
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        e = dict(os.environ)
        e.update(
            {
                "WAYPOINT_BIND": f"127.0.0.1:{self.port}",
                "WAYPOINT_PUBLIC_URL": self.base,
                "WAYPOINT_LOG": "warn",
                "WAYPOINT_DATABASE_URL": DB_URL,
            }
        )
        e.update(env or {})
        self.log = os.path.join(WORK, f"{name}-{self.port}.log")
        args = [BIN, "serve"] + (["--demo"] if demo else [])
        self.proc = subprocess.Popen(args, env=e, stdout=open(self.log, "w"), stderr=subprocess.STDOUT)
        deadline = time.time() + 120
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"the server exited ({self.proc.returncode}); see {self.log}:\n" + open(self.log).read()[-2000:])
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise SystemExit(f"the server did not answer /healthz within 120 s; see {self.log}")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


# ---------------------------------------------------------------- a browser


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class Browser:
    """A cookie jar (path-aware) that never follows redirects by itself."""

    def __init__(self, base):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect())

    def request(self, url, data=None, headers=None):
        """(status, Location header, body text) of one request."""
        if not url.startswith("http"):
            url = self.base + url
        body = urllib.parse.urlencode(data).encode() if isinstance(data, dict) else data
        req = urllib.request.Request(url, data=body, headers=headers or {})
        try:
            with self.opener.open(req, timeout=60) as r:
                return r.status, r.headers.get("Location"), r.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as e:
            return e.code, e.headers.get("Location"), e.read().decode("utf-8", "replace")

    def get(self, url):
        return self.request(url)

    def post(self, url, data, origin=None):
        return self.request(url, data, {"Origin": origin or self.base})

    def cookie_header(self):
        """The Cookie header this browser sends to the app (for wrk)."""
        host = urllib.parse.urlparse(self.base).hostname
        return "; ".join(f"{c.name}={c.value}" for c in self.jar if c.domain.lstrip(".") in (host, host + ".local"))

    def csrf(self, page_html):
        m = re.search(r'name="csrf_token" value="([^"]+)"', page_html)
        return m.group(1) if m else None


def absolute(base, location):
    return location if location.startswith("http") else base + location


def demo_sign_in(base, person, return_to="/"):
    """Signs in through the demo mode's provider at /dev-idp as `person` (`student:ID`
    or `user:ID`), as a browser would; returns the signed-in Browser and the page it
    landed on."""
    b = Browser(base)
    status, loc, _ = b.get("/auth/login?return_to=" + urllib.parse.quote(return_to))
    assert status in (302, 303) and loc, f"/auth/login answered {status}"
    loc = absolute(base, loc)
    status, _, chooser = b.get(loc)
    assert status == 200, f"the demo provider's chooser answered {status}"
    form = dict(urllib.parse.parse_qsl(urllib.parse.urlparse(loc).query))
    form["person"] = person
    form["csrf_token"] = b.csrf(chooser) or ""
    status, back, text = b.post("/dev-idp/authorize", form)
    assert status in (302, 303) and back, f"/dev-idp/authorize answered {status}: {text[:300]}"
    status, landing, text = b.get(absolute(base, back))
    assert status in (302, 303), f"/auth/callback answered {status}: {text[:300]}"
    status, _, page = b.get(absolute(base, landing))
    return b, page


def recruiter_sign_in(base, email, password, return_to="/"):
    b = Browser(base)
    status, _, page = b.get("/login/recruiter")
    assert status == 200, f"/login/recruiter answered {status}"
    status, loc, text = b.post(
        "/login/recruiter", {"csrf_token": b.csrf(page) or "", "return_to": return_to, "email": email, "password": password}
    )
    assert status in (302, 303), f"recruiter sign-in answered {status}: {text[:400]}"
    return b


# ---------------------------------------------------------------- wrk


def _duration_ms(text):
    m = re.match(r"([\d.]+)(us|ms|s|m)$", text)
    if not m:
        return float("nan")
    v, unit = float(m.group(1)), m.group(2)
    return v * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def wrk(url, cookie=None, seconds=None, connections=CONNECTIONS):
    """wrk -t2 -c64 --latency: {rps, p50, p99 (ms), bad (non-2xx/3xx + socket errors)}."""
    args = ["wrk", "-t2", f"-c{connections}", f"-d{seconds or SECONDS}s", "--latency", "--timeout", "10s"]
    if cookie:
        args += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(args + [url], check=True, capture_output=True, text=True).stdout
    res = {"rps": 0.0, "p50": float("nan"), "p99": float("nan"), "bad": 0}
    for line in out.splitlines():
        s = line.split()
        if line.startswith("Requests/sec:"):
            res["rps"] = float(s[1])
        elif len(s) == 2 and s[0] == "50%":
            res["p50"] = _duration_ms(s[1])
        elif len(s) == 2 and s[0] == "99%":
            res["p99"] = _duration_ms(s[1])
        elif "Non-2xx or 3xx responses" in line:
            res["bad"] += int(s[-1])
        elif line.strip().startswith("Socket errors"):
            res["bad"] += sum(int(x) for x in re.findall(r"(?:connect|read|write|timeout) (\d+)", line))
    return res


def json_dump(path, obj):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=1)


def http_get(base, path, cookie=None):
    """One plain GET (keeps nothing): status and body."""
    u = urllib.parse.urlparse(base)
    c = http.client.HTTPConnection(u.hostname, u.port, timeout=300)
    c.request("GET", path, headers={"Cookie": cookie} if cookie else {})
    r = c.getresponse()
    body = r.read().decode("utf-8", "replace")
    c.close()
    return r.status, body
