"""Sign-in: the time the server spends in /auth/callback, against the real test OpenID
provider of tests/oidc (npm oidc-provider, pinned in its lockfile), with a warm JWKS cache.

The server runs without demo mode, configured for that provider as a campus would
configure its own. A few hundred students (real ones of the data set, by their emails)
sign in one after another, each in a fresh browser, through every step of the flow
(Waypoint's /auth/login, the provider's authorize, login form and redirect back); only
the request to /auth/callback is timed: the code exchange with the provider, the ID
token's check against the cached keys, and provisioning and the session in the database.
Ten sign-ins first warm the caches (discovery, JWKS) and are not counted.
The ratio is the callback's p50 over the p50 of /healthz asked the same way (one
request on a new connection, one at a time): how many bare round trips a sign-in costs.
"""

import json
import os
import secrets
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from benchlib import WORK, Browser, Server, absolute, fmt_ms, free_port, handles, row, say, sql  # noqa: E402

SIGN_INS = int(os.environ.get("BENCH_SIGN_INS", "300"))
WARM = 10
REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CLIENT_ID, CLIENT_SECRET = "waypoint", "waypoint-bench-secret"


def start_provider(port, app_base, accounts):
    config = os.path.join(WORK, f"oidc-{port}.json")
    with open(config, "w", encoding="utf-8") as f:
        json.dump(
            {
                "port": port,
                "kid": "bench",
                "client": {
                    "client_id": CLIENT_ID,
                    "client_secret": CLIENT_SECRET,
                    "redirect_uris": [f"{app_base}/auth/callback"],
                    "post_logout_redirect_uris": [f"{app_base}/"],
                },
                "accounts": accounts,
                "tamper": None,
            },
            f,
        )
    proc = subprocess.Popen(
        ["node", os.path.join(REPO, "tests/oidc/provider.mjs"), config],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=open(os.path.join(WORK, f"oidc-{port}.log"), "w"),
        text=True,
    )
    line = proc.stdout.readline()
    if not line.startswith("READY "):
        proc.kill()
        sys.exit(f"the OpenID provider did not start (see {WORK}/oidc-{port}.log)")
    return proc


def sign_in(app_base, login):
    """One sign-in as `login`; returns the seconds the /auth/callback request took."""
    b = Browser(app_base)
    status, loc, _ = b.get("/auth/login?return_to=/")
    assert status in (302, 303) and loc, f"/auth/login answered {status}"
    status, loc2, text = b.get(loc)  # the provider's authorize
    assert status in (302, 303) and loc2, f"authorize answered {status}: {text[:200]}"
    provider = loc.split("/auth?")[0]
    interaction = absolute(provider, loc2)
    status, _, _ = b.get(interaction)
    assert status == 200, f"the login page answered {status}"
    status, resume, text = b.request(interaction, {"prompt": "login", "login": login, "password": "x"})
    assert status in (302, 303) and resume, f"the login form answered {status}: {text[:200]}"
    status, callback, text = b.get(absolute(provider, resume))
    assert status in (302, 303) and callback and "/auth/callback" in callback, f"resume answered {status}: {text[:200]}"
    t0 = time.perf_counter()
    status, landing, text = b.get(callback)
    took = time.perf_counter() - t0
    assert status in (302, 303) and "waypoint_session" in b.cookie_header(), (
        f"/auth/callback answered {status} for {login}: {text[:400]}"
    )
    return took


def percentile(values, p):
    v = sorted(values)
    return v[min(len(v) - 1, max(0, round(p / 100 * len(v) + 0.5) - 1))]


def main():
    h = handles()
    people = sql(
        f"SELECT email, name FROM students WHERE email <> ? ORDER BY id DESC LIMIT {SIGN_INS + WARM}",
        (h.get("student_email", ""),),
    )
    if len(people) < WARM + 1:
        sys.exit("too few students to sign in")
    accounts = {
        f"s{i}": {
            "sub": f"bench-sub-{i}",
            "email": email,
            "email_verified": True,
            "name": name,
            "eduPersonAffiliation": "student",
            "groups": [],
        }
        for i, (email, name) in enumerate(people)
    }
    app_port, idp_port = free_port(), free_port()
    app_base = f"http://127.0.0.1:{app_port}"
    provider = start_provider(idp_port, app_base, accounts)
    try:
        env = {
            "WAYPOINT_OIDC_ISSUER": f"http://127.0.0.1:{idp_port}",
            "WAYPOINT_OIDC_CLIENT_ID": CLIENT_ID,
            "WAYPOINT_OIDC_CLIENT_SECRET": CLIENT_SECRET,
            "WAYPOINT_OIDC_SCOPES": "openid email profile affiliation",
            "WAYPOINT_FORM_SECRET": secrets.token_hex(32),
        }
        with Server(demo=False, env=env, port=app_port, name="sign-in") as srv:
            for i in range(WARM):
                sign_in(srv.base, f"s{i}")
            times, failures = [], []
            for i in range(WARM, len(people)):
                try:
                    times.append(sign_in(srv.base, f"s{i}") * 1000)
                except AssertionError as e:
                    failures.append(str(e))
            health = []
            for _ in range(len(people)):
                b = Browser(srv.base)
                t0 = time.perf_counter()
                b.get("/healthz")
                health.append((time.perf_counter() - t0) * 1000)
    finally:
        provider.stdin.close()
        try:
            provider.wait(timeout=10)
        except subprocess.TimeoutExpired:
            provider.kill()
    for f in failures[:3]:
        say("failed:", f)
    if not times:
        row("sign-in", "/auth/callback", f"every sign-in failed ({len(failures)})", "—", "every sign-in completes", "no")
        return
    p50, p99, hp50 = percentile(times, 50), percentile(times, 99), percentile(health, 50)
    say(f"callback p50 {p50:.1f} ms p99 {p99:.1f} ms mean {statistics.mean(times):.1f} ms; /healthz p50 {hp50:.2f} ms")
    n = len(times) + len(failures)
    row(
        "sign-in",
        "/auth/callback, warm JWKS (tests/oidc oidc-provider 9.13.3, one at a time)",
        f"p50 {fmt_ms(p50)} · p99 {fmt_ms(p99)} · {len(times)}/{n} sign-ins",
        f"{p50 / hp50:.1f}",
        "every sign-in completes",
        "yes" if not failures else "no",
    )


if __name__ == "__main__":
    main()
