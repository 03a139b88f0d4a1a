#!/usr/bin/env bash
# The report exports and the roster import at scale (issue 15), a sub-script of
# scripts/bench.sh (protocol: /work/WAVE6.md, "Bench sub-script protocol").
#
# Environment: BIN (the release binary), BACKEND (sqlite|postgres), WAYPOINT_DATABASE_URL
# (the loaded synthetic database), BENCH_WORK (scratch), BENCH_STUDENTS (N). Optional:
# BENCH_REPEAT (runs per figure, the best one counts; default 3), BENCH_COHORT (the class
# for first-destination; default the latest whole class on the campus date).
#
# Exports: `waypoint report NAME` for the whole data set, wall time and peak memory
# (`/usr/bin/time -v`), against the database's own CSV output of the equivalent SQL
# (scripts/bench/sql/NAME.BACKEND.sql, through `sqlite3 -csv` or `psql --csv`) on the same
# database. Target: ≤ 2× its time, peak memory < 100 MiB.
# Import: `waypoint import students` of an N-student roster (generated here, deterministic)
# into a fresh, migrated database of the backend, against `sqlite3 .import` of the same
# file into a plain table. Target: ≤ 3×.
#
# stdout: one `row` line per figure (tab-separated); everything else goes to stderr.
set -euo pipefail

: "${BIN:?BIN: the release binary}" "${BACKEND:?BACKEND: sqlite or postgres}"
: "${WAYPOINT_DATABASE_URL:?WAYPOINT_DATABASE_URL: the loaded database}" "${BENCH_WORK:?BENCH_WORK: a scratch directory}"
N=${BENCH_STUDENTS:-100000}
REPEAT=${BENCH_REPEAT:-3}
HERE=$(cd "$(dirname "$0")" && pwd)
SQL="$HERE/sql"
WORK="$BENCH_WORK/exports-$BACKEND"
mkdir -p "$WORK"
export WAYPOINT_DATABASE_URL

log() { echo "exports[$BACKEND]: $*" >&2; }
need() { command -v "$1" >/dev/null || { log "installing $2"; apt-get install -y "$2" >&2; }; }
[ -x /usr/bin/time ] || { log "installing time"; apt-get install -y time >&2; }
need sqlite3 sqlite3
[ "$BACKEND" = postgres ] && need psql postgresql-client

# The campus month decides the cohort's last term and which graduates have a cohort.
month=$(TZ=${WAYPOINT_TIMEZONE:-America/New_York} date +%Y-%m)
year=${month%-*}
# The class of Y graduates July Y−1 to June Y: whole once June of Y has begun.
mm=${month#*-}
if [ "$((10#$mm))" -ge 6 ]; then latest=$((10#$year)); else latest=$((10#$year - 1)); fi
COHORT=${BENCH_COHORT:-$latest}
FIRST="$((COHORT - 1))-07"
LAST="$COHORT-06"
[[ "$month" < "$LAST" ]] && LAST=$month

# measure OUT CMD...: runs CMD (stdout to OUT) REPEAT times, `$BEFORE` (if set) before
# each; sets SECS (the best wall time) and KIB (the peak resident memory of that run).
measure() {
  local out=$1
  shift
  SECS= KIB=
  local i t0 t1 s k
  for ((i = 0; i < REPEAT; i++)); do
    [ -n "${BEFORE:-}" ] && eval "$BEFORE"
    t0=$(date +%s.%N)
    /usr/bin/time -v -o "$WORK/time.txt" "$@" >"$out"
    t1=$(date +%s.%N)
    s=$(echo "$t1 - $t0" | bc -l)
    k=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$WORK/time.txt")
    if [ -z "$SECS" ] || (($(echo "$s < $SECS" | bc -l))); then SECS=$s KIB=$k; fi
  done
}

fmt_s() { printf '%.2f s' "$1"; }
fmt_mib() { printf '%.1f MiB' "$(echo "$1 / 1024" | bc -l)"; }
ratio() { printf '%.2f' "$(echo "$1 / $2" | bc -l)"; }
row() { printf 'row\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@"; }

# The report's file and the database's output, for a line-by-line check: no BOM, LF ends,
# no `'` before a would-be formula, and no quotes around cells that need none.
normalise() {
  python3 - "$1" <<'EOF'
import csv, io, sys
text = open(sys.argv[1], encoding="utf-8-sig", newline="").read()
out = io.StringIO()
w = csv.writer(out, lineterminator="\n")
for rec in csv.reader(io.StringIO(text)):
    w.writerow([c[1:] if c[:2] in ("'=", "'+", "'-", "'@") else c for c in rec])
sys.stdout.write(out.getvalue())
EOF
}

sqlite_path=${WAYPOINT_DATABASE_URL#sqlite://}
# The database's own CSV of a SQL file, as a command (for /usr/bin/time): sets DB_CMD.
db_csv() {
  if [ "$BACKEND" = sqlite ]; then
    DB_CMD=(sqlite3 -csv -header "$sqlite_path" ".read $1")
  else
    DB_CMD=(psql "$WAYPOINT_DATABASE_URL" --csv -q -X -v ON_ERROR_STOP=1 -f "$1")
  fi
}

for report in first-destination placements conversions micro-internships; do
  args=()
  [ "$report" = first-destination ] && args=(--cohort "$COHORT")
  sed -e "s/__COHORT__/$COHORT/g" -e "s/__FIRST__/$FIRST/g" -e "s/__LAST__/$LAST/g" -e "s/__MONTH__/$month/g" \
    "$SQL/$report.$BACKEND.sql" >"$WORK/$report.sql"
  db_csv "$WORK/$report.sql"
  measure "$WORK/$report.db.csv" "${DB_CMD[@]}"
  db_secs=$SECS
  measure "$WORK/$report.csv" "$BIN" report "$report" "${args[@]}"
  secs=$SECS kib=$KIB
  rows=$(($(wc -l <"$WORK/$report.csv") - 1))
  if cmp -s <(normalise "$WORK/$report.csv") <(normalise "$WORK/$report.db.csv"); then
    log "$report: $rows rows, the same as the SQL's"
  else
    log "$report: the file differs from the SQL's output ($WORK/$report.csv, $WORK/$report.db.csv)"
  fi
  r=$(ratio "$secs" "$db_secs")
  met=no
  (($(echo "$r <= 2 && $kib < 102400" | bc -l))) && met=yes
  tool="sqlite3 -csv"
  [ "$BACKEND" = postgres ] && tool="psql --csv"
  row exports "$report.csv ($rows rows)" "$(fmt_s "$secs") · $(fmt_mib "$kib") ($tool $(fmt_s "$db_secs"))" \
    "$r" "≤ 2×, < 100 MiB" "$met"
done

# The roster: N students, the SIS's columns, the same file for a given N.
roster="$WORK/roster-$N.csv"
awk -v n="$N" 'BEGIN {
  split("Engineering,Arts and Sciences,Business,Nursing,Education,Fine Arts", college, ",")
  split("Computer Science,Biology,Economics,History,Mechanical Engineering,Nursing,Finance,Psychology,Chemistry,Music", major, ",")
  split("Avery,Jordan,Riley,Casey,Morgan,Quinn,Harper,Rowan,Emery,Sasha", first, ",")
  split("Nguyen,Garcia,Okafor,Smith,Kowalski,Haddad,Larsen,Moreau,Tanaka,Silva", last, ",")
  print "student_number,email,name,college,major,class_year,graduation_term"
  for (i = 1; i <= n; i++) {
    y = 2025 + i % 5; m = (i % 3 == 0) ? "12" : "05"; cls = (m == "12") ? y + 1 : y
    printf "R%07d,r%07d@roster.northfield.edu,\"%s %s-%d\",%s,%s,%d,%d-%s\n", i, i,
      first[i % 10 + 1], last[int(i / 10) % 10 + 1], i, college[i % 6 + 1], major[i % 10 + 1], cls, y, m
  }
}' >"$roster"

# sqlite3 .import into a plain table: the floor of reading that file into a database.
BEFORE='rm -f "$WORK/plain.db"' measure /dev/null sqlite3 "$WORK/plain.db" ".import --csv $roster roster"
plain_secs=$SECS

# A fresh, migrated database of the backend for each run (every student is new).
if [ "$BACKEND" = sqlite ]; then
  fresh() {
    rm -f "$WORK/import.db" "$WORK/import.db-wal" "$WORK/import.db-shm"
    echo "sqlite://$WORK/import.db"
  }
  drop() { rm -f "$WORK/import.db" "$WORK/import.db-wal" "$WORK/import.db-shm"; }
else
  base=${WAYPOINT_DATABASE_URL%%\?*}
  name=${base##*/}
  import_db="${name}_import"
  fresh() {
    psql "$WAYPOINT_DATABASE_URL" -q -X -c "DROP DATABASE IF EXISTS \"$import_db\"" -c "CREATE DATABASE \"$import_db\"" >&2
    echo "${base%/*}/$import_db"
  }
  drop() { psql "$WAYPOINT_DATABASE_URL" -q -X -c "DROP DATABASE IF EXISTS \"$import_db\"" >&2; }
fi
best=
for ((i = 0; i < REPEAT; i++)); do
  url=$(fresh)
  WAYPOINT_DATABASE_URL=$url "$BIN" migrate >&2
  t0=$(date +%s.%N)
  WAYPOINT_DATABASE_URL=$url /usr/bin/time -v -o "$WORK/time.txt" "$BIN" import students "$roster" >&2
  t1=$(date +%s.%N)
  s=$(echo "$t1 - $t0" | bc -l)
  if [ -z "$best" ] || (($(echo "$s < $best" | bc -l))); then
    best=$s kib=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$WORK/time.txt")
  fi
done
drop
r=$(ratio "$best" "$plain_secs")
met=no
(($(echo "$r <= 3" | bc -l))) && met=yes
row import "roster of $N students" "$(fmt_s "$best") · $(fmt_mib "$kib") (sqlite3 .import $(fmt_s "$plain_secs"))" \
  "$r" "≤ 3×" "$met"
