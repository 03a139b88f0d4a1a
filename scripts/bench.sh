#!/usr/bin/env bash
# Waypoint at university scale, measured honestly: builds the release binary, makes the
# synthetic data set on each backend, runs the measurements, prints one table and writes
# it (with the machine, the date and the commit) into BENCHMARKS.md between its
# `bench.sh: results` markers; the prose around them is left as it is.
#
#   scripts/bench.sh                                  # both backends, 100 000 students
#   BENCH_STUDENTS=10000 BENCH_BACKEND=sqlite scripts/bench.sh
#   BENCH_ONLY=pages,fair_burst scripts/bench.sh      # a subset of the parts below
#
# Knobs: BENCH_STUDENTS (100000), BENCH_SECONDS per load test (10), BENCH_BACKEND
# (sqlite | postgres | both, the default), BENCH_ONLY (comma-separated parts),
# BENCH_BIN (use this binary instead of building), BENCH_PG_URL (the PostgreSQL server
# to use; else WAYPOINT_TEST_POSTGRES_URL; else 127.0.0.1:5432, started if it is not
# running), BENCH_PG_DB (the database made and dropped there: waypoint_bench),
# BENCH_WRITE=0 (print the table only, leave BENCHMARKS.md alone).
#
# Machines are noisy: every figure is also a ratio to a baseline measured in the same run
# (pages: the server's own /healthz), at 64 connections (wrk -t2 -c64).
#
# The parts are sub-scripts, scripts/bench/<part>.sh, run when they exist, in this order:
#   pages       every page as the person who sees it, against /healthz   (pages.sh)
#   exports     report exports and the roster import                    (exports.sh)
#   sign_in     /auth/callback against the test OpenID provider          (sign_in.sh)
#   fair_burst  2,000 students registering for 50 sessions at once       (fair_burst.sh)
#   instances   two instances on one PostgreSQL (PostgreSQL only)        (instances.sh)
# Each gets BIN, BACKEND (sqlite|postgres), WAYPOINT_DATABASE_URL (the loaded data set),
# BENCH_WORK (its scratch directory), BENCH_STUDENTS, BENCH_SECONDS and BENCH_HANDLES (a
# file of the generator's `bench-handle key=value` lines); it starts and stops its own
# servers and prints each result as one tab-separated line on stdout:
#   row <group> <case> <figure> <ratio> <target> <met: yes|no>
# (everything else on stderr). A part that fails keeps a row saying so.
# Not part of scripts/test.sh: timing never decides a test.
set -euo pipefail
cd "$(dirname "$0")/.."
export PGOPTIONS="${PGOPTIONS:---client-min-messages=warning}"

STUDENTS=${BENCH_STUDENTS:-100000}
EACH=${BENCH_SECONDS:-10}
WHICH=${BENCH_BACKEND:-both}
ONLY=${BENCH_ONLY:-}
PG_DB=${BENCH_PG_DB:-waypoint_bench}
PG_PORT=5432
PARTS=(pages exports sign_in fair_burst instances)

say() { echo "bench.sh: $*" >&2; }
die() { say "$*"; exit 1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else die "need root for: $*"; fi; }
updated=
apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  [ -n "$updated" ] || { as_root apt-get update -qq; updated=1; }
  as_root apt-get install -y -qq "$@" >/dev/null
}

case "$WHICH" in
  both) BACKENDS=(sqlite postgres) ;;
  sqlite | postgres) BACKENDS=("$WHICH") ;;
  *) die "BENCH_BACKEND must be sqlite, postgres or both (not '$WHICH')" ;;
esac
[[ "$STUDENTS" =~ ^[0-9]+$ ]] || die "BENCH_STUDENTS must be a number"
[[ "$EACH" =~ ^[0-9]+$ ]] || die "BENCH_SECONDS must be a number"
wanted() {
  local part=$1
  [ -z "$ONLY" ] && return 0
  [[ ",${ONLY//-/_}," == *",$part,"* ]]
}
for p in ${ONLY//,/ }; do
  [[ " ${PARTS[*]} " == *" ${p//-/_} "* ]] || die "BENCH_ONLY: unknown part '$p' (parts: ${PARTS[*]})"
done

# ---------------------------------------------------------------- tools
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v hyperfine >/dev/null || missing+=(hyperfine)
[ -x /usr/bin/time ] || missing+=(time)
command -v sqlite3 >/dev/null || missing+=(sqlite3)
command -v python3 >/dev/null || missing+=(python3)
command -v curl >/dev/null || missing+=(curl)
if [ ${#missing[@]} -gt 0 ]; then
  say "installing with apt: ${missing[*]}"
  apt_install "${missing[@]}"
fi
if wanted sign_in && [ -f scripts/bench/sign_in.sh ]; then
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    say "installing Node.js with apt (the test OpenID provider runs on it)"
    apt_install nodejs npm
  fi
  [ -d tests/oidc/node_modules/oidc-provider ] ||
    { say "installing the test OpenID provider (npm ci in tests/oidc)"; (cd tests/oidc && npm ci --no-audit --no-fund --loglevel=error >/dev/null); }
fi

# PostgreSQL: BENCH_PG_URL, else WAYPOINT_TEST_POSTGRES_URL, else the local cluster on
# 127.0.0.1:5432, installed, allowed for loopback and started where needed (as scripts/test.sh).
pg_answers() { psql "$1" -Atqc 'SELECT 1' >/dev/null 2>&1; }
pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
ensure_postgres() {
  PG_ADMIN=${BENCH_PG_URL:-${WAYPOINT_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:${PG_PORT}/postgres}}
  command -v psql >/dev/null || { say "installing the PostgreSQL client with apt"; apt_install postgresql-client; }
  pg_answers "$PG_ADMIN" && return
  [ -z "${BENCH_PG_URL:-}${WAYPOINT_TEST_POSTGRES_URL:-}" ] || die "PostgreSQL at $PG_ADMIN does not answer"
  [ -n "$(pg_bin)" ] || { say "installing PostgreSQL with apt"; apt_install postgresql; }
  local version hba
  version=$(basename "$(dirname "$(pg_bin)")")
  if ! pg_lsclusters -h 2>/dev/null | awk '{print $1, $2}' | grep -qx "$version main"; then
    say "creating PostgreSQL $version cluster"
    as_root pg_createcluster "$version" main --port "$PG_PORT" >/dev/null
  fi
  hba="/etc/postgresql/$version/main/pg_hba.conf"
  if [ -f "$hba" ] && ! grep -q '^# waypoint-tests' "$hba"; then
    say "allowing loopback connections in $hba"
    as_root sh -c "{ printf '%s\n' '# waypoint-tests: loopback access for the test suite' \
      'host all all 127.0.0.1/32 trust' 'host all all ::1/128 trust'; cat '$hba'; } > '$hba.new' && mv '$hba.new' '$hba'"
    as_root chown postgres:postgres "$hba"
    as_root pg_ctlcluster "$version" main reload 2>/dev/null || true
  fi
  if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {print $4}' | grep -q online; then
    say "starting PostgreSQL $version"
    as_root pg_ctlcluster "$version" main start
  fi
  for _ in $(seq 1 60); do pg_answers "$PG_ADMIN" && break; sleep 0.5; done
  pg_answers "$PG_ADMIN" || die "PostgreSQL $version does not answer at $PG_ADMIN"
}
[[ " ${BACKENDS[*]} " == *" postgres "* ]] && ensure_postgres

# ---------------------------------------------------------------- build
if [ -n "${BENCH_BIN:-}" ]; then
  BIN=$(realpath "$BENCH_BIN")
else
  say "building the release binary (cargo build --release --locked)"
  cargo build --release --locked -q
  BIN=$(realpath "${CARGO_TARGET_DIR:-target}/release/waypoint")
fi
[ -x "$BIN" ] || die "no binary at $BIN"

work=$(mktemp -d /tmp/waypoint-bench.XXXXXX)
results="$work/rows.tsv"
: >"$results"
cleanup() {
  if [ -n "${PG_ADMIN:-}" ] && [ "${BENCH_KEEP:-0}" != 1 ]; then
    psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null 2>&1 || true
  fi
  [ "${BENCH_KEEP:-0}" = 1 ] && say "kept $work" || rm -rf "$work"
}
trap cleanup EXIT

# Campus identities are per provider (the demo provider's issuer is each server's own
# address): let the next part's servers adopt accounts by email again.
forget_identities() {
  local q="UPDATE users SET issuer = NULL, subject = NULL WHERE issuer IS NOT NULL"
  if [ "$1" = postgres ]; then psql "$WAYPOINT_DATABASE_URL" -qc "$q" >/dev/null; else sqlite3 "${WAYPOINT_DATABASE_URL#sqlite://}" "$q"; fi
}

declare -A SEEDED
for backend in "${BACKENDS[@]}"; do
  dir="$work/$backend"
  mkdir -p "$dir"
  if [ "$backend" = postgres ]; then
    psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" -c "CREATE DATABASE $PG_DB" >/dev/null
    export WAYPOINT_DATABASE_URL="${PG_ADMIN%/*}/$PG_DB"
  else
    export WAYPOINT_DATABASE_URL="sqlite://$dir/bench.db"
  fi
  say "$backend: waypoint seed --synthetic --students $STUDENTS"
  start=$(date +%s.%N)
  "$BIN" seed --synthetic --students "$STUDENTS" >"$dir/seed.out" 2>"$dir/seed.err" ||
    { cat "$dir/seed.err" >&2; die "$backend: the synthetic data set could not be made"; }
  took=$(python3 -c "print(f'{$(date +%s.%N) - $start:.1f}')")
  SEEDED[$backend]=$took
  grep '^bench-handle ' "$dir/seed.out" >"$dir/handles" || die "$backend: the generator printed no bench-handle lines"
  say "$backend: $STUDENTS students in $took s"
  if [ "$backend" = sqlite ]; then
    target="< 120 s at 100 000 students (SQLite)"
    met=$([ "$STUDENTS" = 100000 ] && python3 -c "print('yes' if $took < 120 else 'no')" || echo "—")
  else
    target="—"
    met="—"
  fi
  printf '%s\trow\tdata set\twaypoint seed --synthetic --students %s\t%s s\t—\t%s\t%s\n' \
    "$backend" "$STUDENTS" "$took" "$target" "$met" >>"$results"

  for part in "${PARTS[@]}"; do
    script="scripts/bench/$part.sh"
    wanted "$part" || continue
    [ -f "$script" ] || { say "$backend: no $script: skipped"; continue; }
    [ "$part" = instances ] && [ "$backend" != postgres ] && continue
    say "$backend: $part"
    mkdir -p "$dir/$part"
    forget_identities "$backend"
    set +e
    BIN="$BIN" BACKEND="$backend" WAYPOINT_DATABASE_URL="$WAYPOINT_DATABASE_URL" BENCH_WORK="$dir/$part" \
      BENCH_STUDENTS="$STUDENTS" BENCH_SECONDS="$EACH" BENCH_HANDLES="$dir/handles" \
      bash "$script" >"$dir/$part.out"
    code=$?
    set -e
    grep $'^row\t' "$dir/$part.out" | sed "s/^/$backend\t/" >>"$results" || true
    if [ $code -ne 0 ]; then
      say "$backend: $part failed (exit $code)"
      printf '%s\trow\t%s\t%s\t%s\t—\t—\tno\n' "$backend" "${part//_/ }" "the sub-script failed" "exit $code (see its output above)" >>"$results"
    fi
  done
  forget_identities "$backend"
  if [ "$backend" = postgres ] && [ "${BENCH_KEEP:-0}" != 1 ]; then
    psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null
  fi
done

# ---------------------------------------------------------------- the table
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD 2>/dev/null || commit="$commit (with uncommitted changes)"
cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
cores=$(nproc)
mem=$(awk '/^MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
load=$(cut -d' ' -f1-3 /proc/loadavg)
seeded=""
for b in "${BACKENDS[@]}"; do seeded+="$b ${SEEDED[$b]} s; "; done
BENCH_META=$(printf '%s\n' \
  "date=$(date -u '+%Y-%m-%d %H:%M UTC')" "commit=$commit" "cpu=$cpu" "cores=$cores" "mem=$mem" "load=$load" \
  "students=$STUDENTS" "seconds=$EACH" "backends=${BACKENDS[*]}" "only=${ONLY:-all}" "seeded=${seeded%; }") \
  BENCH_WRITE=${BENCH_WRITE:-1} python3 - "$results" BENCHMARKS.md <<'PY'
import os, sys

rows_path, doc_path = sys.argv[1], sys.argv[2]
meta = dict(line.split("=", 1) for line in os.environ["BENCH_META"].splitlines() if "=" in line)
names = {"sqlite": "SQLite", "postgres": "PostgreSQL"}
backends = meta["backends"].split()
cases, order = {}, []
for line in open(rows_path, encoding="utf-8"):
    f = line.rstrip("\n").split("\t")
    if len(f) < 8:
        continue
    backend, _, group, case, figure, ratio, target, met = f[:8]
    key = (group, case)
    if key not in cases:
        cases[key] = {"target": target}
        order.append(key)
    cases[key][backend] = (figure, ratio, met)
    if cases[key]["target"] in ("", "—"):
        cases[key]["target"] = target

esc = lambda s: s.replace("|", "\\|")
head = ["group", "case", "target"]
for b in backends:
    head += [names[b], "ratio", "met"]
lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
for key in order:
    c = cases[key]
    cells = [key[0], key[1], c["target"]]
    for b in backends:
        cells += list(c.get(b, ("not run", "—", "—")))
    lines.append("| " + " | ".join(esc(x) for x in cells) + " |")
table = "\n".join(lines)
missed = sum(1 for k in order for b in backends if cases[k].get(b, ("", "", ""))[2] == "no")
scale = "" if meta["students"] == "100000" else (
    " **Run at N = " + f"{int(meta['students']):,}".replace(",", " ") + " students, not the 100 000 of the targets.**")
section = f"""## Latest run (written by scripts/bench.sh)

- When: {meta['date']}, commit `{meta['commit']}`.
- Machine: {meta['cpu']}, {meta['cores']} cores, {meta['mem']} memory; load average at the end {meta['load']} (the machine is shared: ratios, not absolute numbers, are what travel).
- Run: `BENCH_STUDENTS={meta['students']} BENCH_SECONDS={meta['seconds']} BENCH_BACKEND={'both' if len(backends) == 2 else backends[0]}` (parts: {meta['only']}); the data set made in {meta['seeded']}.{scale}
- {missed} figure(s) miss their target (met = no).

{table}
"""
print(table)
print(f"\n{missed} figure(s) miss their target", file=sys.stderr)
if os.environ.get("BENCH_WRITE", "1") != "1":
    sys.exit(0)
begin, end = "<!-- bench.sh: results begin -->", "<!-- bench.sh: results end -->"
doc = open(doc_path, encoding="utf-8").read() if os.path.exists(doc_path) else "# Benchmarks\n"
block = f"{begin}\n{section}{end}"
if begin in doc and end in doc:
    doc = doc[: doc.index(begin)] + block + doc[doc.index(end) + len(end):]
else:
    doc = doc.rstrip("\n") + "\n\n" + block + "\n"
open(doc_path, "w", encoding="utf-8").write(doc)
print(f"bench.sh: wrote the table into {doc_path}", file=sys.stderr)
PY
