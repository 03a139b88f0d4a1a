#!/usr/bin/env bash
# Waypoint's one test command: installs what the tests need, then runs the whole suite
# on SQLite and on PostgreSQL, and ends with the test runner's summary.
#
#   scripts/test.sh            # everything
#   scripts/test.sh roster     # only tests whose name contains "roster", both backends
#
# Build tools: a C compiler, make and perl (with its standard modules): the bundled
# SQLite and libpq are compiled from source, and OpenSSL (libpq's TLS) too, so the binary
# links no system OpenSSL.
# Node.js: runs the tests' OpenID provider (tests/oidc, `npm ci` from its lockfile).
# Chromium + ChromeDriver (apt) and axe-core (tests/browser): the portal in a real browser.
# aiosmtpd (pip, tests/requirements.txt): a real SMTP server for the mail outbox.
# PostgreSQL: uses WAYPOINT_TEST_POSTGRES_URL if set; else 127.0.0.1:5432 if it answers;
# else starts the local cluster (installing PostgreSQL with apt where it is missing) and
# lets loopback connections in as `postgres`. Each test makes and drops its own database.
# PostgreSQL's server programs and the openssl command are needed in any case: one test
# starts its own TLS-only cluster (with a self-signed certificate) to check sslmode=require.
# Before any of that, the gates: `cargo fmt --check`, `cargo clippy --all-targets -- -D
# warnings`, scripts/module-graph.sh (no module cycle) and a size check (no Rust file over
# MAX_LINES lines: a file that long holds more than one thing); any of them failing fails
# the run.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { echo "test.sh: $*" >&2; }
die() { say "$*"; exit 1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else die "need root for: $*"; fi; }

PG_PORT=5432
PG_URL="postgres://postgres@127.0.0.1:${PG_PORT}/postgres"
MAX_LINES=800

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

pg_answers() {
  local url=$1
  psql "$url" -Atqc 'SELECT 1' >/dev/null 2>&1
}

install_postgres() {
  say "PostgreSQL is not installed: installing it with apt"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq
  as_root apt-get install -y -qq postgresql postgresql-client >/dev/null
}

# Lets loopback TCP connections in without a password: this cluster listens on
# localhost only and serves the tests (and `serve --demo` trials) on this machine.
allow_loopback() {
  local version=$1 hba="/etc/postgresql/$1/main/pg_hba.conf"
  [ -f "$hba" ] || die "no $hba: cannot set up access to PostgreSQL"
  if ! grep -q '^# waypoint-tests' "$hba"; then
    say "allowing loopback connections in $hba"
    as_root sh -c "{ printf '%s\n' '# waypoint-tests: loopback access for the test suite' \
      'host all all 127.0.0.1/32 trust' 'host all all ::1/128 trust'; cat '$hba'; } > '$hba.new' && mv '$hba.new' '$hba'"
    as_root chown postgres:postgres "$hba"
    as_root pg_ctlcluster "$version" main reload 2>/dev/null || true
  fi
}

apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq
  as_root apt-get install -y -qq "$@" >/dev/null
}

# What the build compiles from source needs (see the README's "Building").
ensure_build_tools() {
  local missing=()
  command -v cc >/dev/null || missing+=(gcc libc6-dev)
  command -v make >/dev/null || missing+=(make)
  # OpenSSL's Configure needs more than perl-base has.
  perl -MIPC::Cmd -MFile::Compare -MData::Dumper -e1 2>/dev/null || missing+=(perl)
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing build tools with apt: ${missing[*]}"
    apt_install "${missing[@]}"
  fi
}

# The TLS test's own cluster: initdb and pg_ctl, and openssl for its certificate.
ensure_postgres_programs() {
  [ -n "$(pg_bin)" ] || { say "PostgreSQL's server programs are missing: installing them with apt"; apt_install postgresql; }
  command -v openssl >/dev/null || { say "installing the openssl command with apt"; apt_install openssl; }
}

ensure_postgres() {
  if [ -n "${WAYPOINT_TEST_POSTGRES_URL:-}" ]; then
    pg_answers "$WAYPOINT_TEST_POSTGRES_URL" || die "WAYPOINT_TEST_POSTGRES_URL does not answer"
    return
  fi
  command -v psql >/dev/null && [ -n "$(pg_bin)" ] || install_postgres
  command -v pg_ctlcluster >/dev/null || die "PostgreSQL is installed but pg_ctlcluster is missing: set WAYPOINT_TEST_POSTGRES_URL to a server the tests may use"
  local bin version
  bin=$(pg_bin); version=$(basename "$(dirname "$bin")")
  if ! pg_lsclusters -h 2>/dev/null | awk '{print $1, $2}' | grep -qx "$version main"; then
    say "creating PostgreSQL $version cluster"
    as_root pg_createcluster "$version" main --port "$PG_PORT" >/dev/null
  fi
  allow_loopback "$version"
  if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {print $4}' | grep -q online; then
    say "starting PostgreSQL $version"
    as_root pg_ctlcluster "$version" main start
  fi
  for _ in $(seq 1 60); do
    pg_answers "$PG_URL" && break
    sleep 0.5
  done
  pg_answers "$PG_URL" || die "PostgreSQL $version does not answer at $PG_URL"
  export WAYPOINT_TEST_POSTGRES_URL="$PG_URL"
}

# Databases left by an interrupted earlier run: those nobody is connected to (a run going
# on beside this one, on the same server, keeps its own).
drop_stale_test_databases() {
  psql "$WAYPOINT_TEST_POSTGRES_URL" -Atqc \
    "SELECT d.datname FROM pg_database d WHERE d.datname LIKE 'waypoint_test_%'
       AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datname = d.datname)" 2>/dev/null |
    while read -r db; do psql "$WAYPOINT_TEST_POSTGRES_URL" -qc "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true; done
}

# The campus identity provider of the tests: npm oidc-provider, pinned by tests/oidc's lockfile.
ensure_node() {
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    say "Node.js is not installed: installing it with apt"
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get update -qq
    as_root apt-get install -y -qq nodejs npm >/dev/null
  fi
  say "installing the test identity provider (npm ci in tests/oidc)"
  (cd tests/oidc && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
}

# A real SMTP server (aiosmtpd) for the mail outbox tests, pinned in tests/requirements.txt.
ensure_python_peers() {
  command -v python3 >/dev/null || { export DEBIAN_FRONTEND=noninteractive; as_root apt-get update -qq; as_root apt-get install -y -qq python3 python3-pip >/dev/null; }
  if ! python3 -c 'import aiosmtpd, icalendar, vobject, schemathesis' 2>/dev/null; then
    say "installing the tests' Python peers: SMTP server, iCalendar readers, schemathesis (pip, tests/requirements.txt)"
    python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore -r tests/requirements.txt 2>/dev/null ||
      python3 -m pip install --quiet --disable-pip-version-check --break-system-packages -r tests/requirements.txt
  fi
}

# A real headless browser for the portal tests (Debian's Chromium and ChromeDriver),
# and axe-core (tests/browser, pinned by its lockfile) for the accessibility checks.
ensure_browser() {
  if ! command -v chromedriver >/dev/null || [ ! -x /usr/bin/chromium ]; then
    say "installing Chromium and ChromeDriver with apt"
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get update -qq
    as_root apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
  (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
}

# The gates before any test: the format, the lints (every warning is an error) and the
# module graph (no module imports one that imports it back). Each fails the run.
ensure_rust_component() {
  local component=$1 probe=$2
  if ! cargo "$probe" --version >/dev/null 2>&1; then
    command -v rustup >/dev/null || die "cargo $probe is missing and there is no rustup to add $component"
    say "adding the Rust component $component"
    rustup component add "$component" >/dev/null
  fi
}

check_gates() {
  ensure_rust_component rustfmt fmt
  ensure_rust_component clippy clippy
  say "checking the format (cargo fmt --check)"
  cargo fmt --check || die "the code is not formatted: run cargo fmt"
  say "checking the lints (cargo clippy --all-targets -- -D warnings)"
  cargo clippy --all-targets --locked -- -D warnings || die "clippy found warnings (see above)"
  say "checking the module graph (scripts/module-graph.sh)"
  scripts/module-graph.sh || die "the module graph has a cycle (see above)"
  say "checking file sizes (no Rust source over $MAX_LINES lines)"
  long=$(find src tests -name '*.rs' -not -path '*/node_modules/*' -exec wc -l {} + | awk -v max="$MAX_LINES" '$2 != "total" && $1 > max')
  [ -z "$long" ] || die "split these files by what they hold (over $MAX_LINES lines): $long"
}

ensure_build_tools
check_gates
ensure_node
ensure_browser
ensure_python_peers
# The API's schemathesis run must not skip here (a bare `cargo test` without it does).
export WAYPOINT_REQUIRE_SCHEMATHESIS=1
ensure_postgres
ensure_postgres_programs
drop_stale_test_databases
say "PostgreSQL: $(psql "$WAYPOINT_TEST_POSTGRES_URL" -Atqc 'SHOW server_version')"

say "building the tests"
cargo build --tests --locked

logs=$(mktemp -d)
status=0
say "running the suite on SQLite (with the unit tests)"
WAYPOINT_TEST_BACKEND=sqlite cargo test --locked --no-fail-fast -- "$@" 2>&1 | tee "$logs/sqlite.log" || status=1
say "running the suite on PostgreSQL"
WAYPOINT_TEST_BACKEND=postgres cargo test --locked --no-fail-fast --test app -- "$@" 2>&1 | tee "$logs/postgres.log" || status=1

# Adds up the "test result:" lines of a log: prints "PASSED FAILED".
totals() {
  grep -h '^test result:' "$1" | sed -E 's/.* ([0-9]+) passed; ([0-9]+) failed.*/\1 \2/' |
    awk '{p += $1; f += $2} END {print p + 0, f + 0}'
}
read -r sp sf < <(totals "$logs/sqlite.log")
read -r pp pf < <(totals "$logs/postgres.log")
echo
echo "SQLite:     ${sp} passed, ${sf} failed"
echo "PostgreSQL: ${pp} passed, ${pf} failed"
passed=$((sp + pp)); failed=$((sf + pf))
[ "$sp" -gt 0 ] && [ "$pp" -gt 0 ] || { say "a backend ran no test"; status=1; }
[ "$failed" -eq 0 ] || status=1
echo "${passed} passed, ${failed} failed"
exit $status
