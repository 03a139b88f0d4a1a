#!/usr/bin/env bash
# Catalogue speed on a large catalogue, as ratios against a baseline measured in the
# same run (these machines are noisy: absolute numbers mean little, ratios travel).
#
#   scripts/bench.sh                      # SQLite, 20 000 extra open postings
#   BENCH_BACKEND=postgres scripts/bench.sh   # the same on PostgreSQL (127.0.0.1:5432)
#   BENCH_POSTINGS=50000 BENCH_SECONDS=10 scripts/bench.sh
#
# Baseline: GET /account as a signed-in student (session lookup, a query, a template:
# the cheapest real page). Each catalogue request's throughput is divided by the
# baseline's; the budgets (minimum ratios) are in BENCHMARKS.md and checked here.
# Not part of scripts/test.sh: timing never decides a test.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${BENCH_POSTINGS:-20000}
BACKEND=${BENCH_BACKEND:-sqlite}
SECONDS_EACH=${BENCH_SECONDS:-5}
say() { echo "bench.sh: $*" >&2; }

command -v wrk >/dev/null || { say "installing wrk"; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
say "building the release binary"
cargo build --release --locked -q
bin=target/release/waypoint
work=$(mktemp -d)
trap 'kill $(cat "$work/pid" 2>/dev/null) 2>/dev/null || true; rm -rf "$work"' EXIT
if [ "$BACKEND" = postgres ]; then
  admin=${WAYPOINT_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}
  psql "$admin" -qc "DROP DATABASE IF EXISTS waypoint_bench WITH (FORCE)" -c "CREATE DATABASE waypoint_bench" >/dev/null
  export WAYPOINT_DATABASE_URL="${admin%/*}/waypoint_bench"
else
  export WAYPOINT_DATABASE_URL="sqlite://$work/bench.db"
fi
$bin seed >/dev/null

say "adding $N open postings ($BACKEND)"
if [ "$BACKEND" = postgres ]; then
  psql "$WAYPOINT_DATABASE_URL" -q <<SQL
WITH w AS (SELECT string_to_array('market competitor pricing survey dashboard churn analysis research social media content campaign lead generation outreach onboarding records recruiting python sql excel tableau design prototype interview report summary benchmark data cleaning forecast', ' ') AS words),
     e AS (SELECT array_agg(p.employer_id) AS ids FROM partnerships p WHERE p.status = 'active'),
     s AS (SELECT string_to_array('excel sql python tableau writing market-research social-media figma data-entry crm', ' ') AS tags)
INSERT INTO opportunities (id, employer_id, title, description, category, skills, hours, fee_cents, remote, location,
                           apply_by, due_by, status, opened_at, created_at, updated_at)
SELECT md5(random()::text || i)::uuid::text, e.ids[1 + (i % array_length(e.ids, 1))],
       initcap(w.words[1 + (random() * 29)::int]) || ' ' || w.words[1 + (random() * 29)::int] || ' project ' || i,
       (SELECT string_agg(w.words[1 + (random() * 29 + g * 0 + i * 0)::int], ' ') FROM generate_series(1, 60) g) || '.',
       (ARRAY['research', 'data', 'content', 'sales'])[1 + (i % 4)],
       s.tags[1 + (i % 10)] || ',' || s.tags[1 + ((i + 3) % 10)],
       h, h * (2000 + (random() * 3000)::int), (i % 7) <> 0, CASE WHEN (i % 7) = 0 THEN 'Boston, MA' END,
       '2099-06-01', '2099-07-01', 'open', '2026-11-01 09:00:00', '2026-11-01 09:00:00', '2026-11-01 09:00:00'
FROM generate_series(1, $N) i, w, e, s, LATERAL (SELECT 5 + (i % 36) AS h) hours;
ANALYZE;
SQL
else
python3 - "$work/bench.db" "$N" <<'PY'
import random, sqlite3, sys, uuid
db, n = sys.argv[1], int(sys.argv[2])
c = sqlite3.connect(db)
employers = [r[0] for r in c.execute("SELECT e.id FROM employers e JOIN partnerships p ON p.employer_id = e.id WHERE p.status = 'active'")]
rnd = random.Random(7)
words = "market competitor pricing survey dashboard churn analysis research social media content campaign lead generation outreach onboarding records recruiting python sql excel tableau design prototype interview report summary benchmark data cleaning forecast".split()
skills = ["excel", "sql", "python", "tableau", "writing", "market-research", "social-media", "figma", "data-entry", "crm"]
rows = []
for i in range(n):
    title = " ".join(rnd.sample(words, 3)).capitalize() + f" project {i}"
    desc = " ".join(rnd.choice(words) for _ in range(60)) + "."
    hours = rnd.randint(5, 40)
    rows.append((str(uuid.uuid4()), rnd.choice(employers), title, desc, rnd.choice(["research", "data", "content", "sales"]),
                 ",".join(rnd.sample(skills, 2)), hours, hours * rnd.randint(2000, 5000), 1 if rnd.random() < 0.85 else 0,
                 None, "2099-06-01", "2099-07-01", "open", "2026-11-01 09:00:00"))
rows = [r[:9] + (("Boston, MA",) if r[8] == 0 else (None,)) + r[10:] for r in rows]
c.executemany("""INSERT INTO opportunities (id, employer_id, title, description, category, skills, hours, fee_cents, remote, location,
    apply_by, due_by, status, opened_at, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?, '2026-11-01 09:00:00', '2026-11-01 09:00:00')""", rows)
c.commit()
PY
fi

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
B="http://127.0.0.1:$port"
WAYPOINT_BIND=127.0.0.1:$port WAYPOINT_PUBLIC_URL=$B WAYPOINT_LOG=warn $bin serve --demo >"$work/serve.log" 2>&1 &
echo $! >"$work/pid"
for _ in $(seq 1 100); do curl -fs "$B/healthz" >/dev/null && break; sleep 0.1; done

# Sign in as a student through the demo provider, as a browser would.
jar="$work/jar"
loc=$(curl -s -c "$jar" -b "$jar" -o /dev/null -w '%{redirect_url}' "$B/auth/login?return_to=/opportunities")
page=$(curl -s -c "$jar" -b "$jar" "$loc")
person=$(echo "$page" | grep -o 'name="person" value="student:[^"]*"' | head -1 | sed 's/.*value="//;s/"//')
back=$(curl -s -c "$jar" -b "$jar" -o /dev/null -w '%{redirect_url}' -H "Origin: $B" --data "${loc#*\?}&person=$person" "$B/dev-idp/authorize")
curl -s -c "$jar" -b "$jar" -o /dev/null "$back"
cookie=$(awk '$6 == "waypoint_session" {print "waypoint_session=" $7}' "$jar")
[ -n "$cookie" ] || { say "could not sign in"; exit 1; }

rps() { wrk -t2 -c8 -d"${SECONDS_EACH}s" -H "Cookie: $cookie" "$B$1" | awk '/Requests\/sec/ {print $2}'; }
# name | path | minimum ratio to the baseline (BENCHMARKS.md)
cases=(
  "browse|/opportunities|0.005"
  "search, 1 match|/opportunities?q=project+12345|0.08"
  "search, broad|/opportunities?q=churn+dashboard|0.0005"
  "search+filters|/opportunities?q=data&remote=remote&hours_max=20&fee_min=300&sort=fee|0.0004"
  "deep page|/opportunities?q=analysis&page=40|0.0004"
  "posting|/opportunities/__FIRST__|0.2"
)
first=$(curl -s -b "$cookie" "$B/opportunities" | grep -o 'href="/opportunities/[0-9a-f-]\{36\}"' | head -1 | sed 's|href="/opportunities/||;s|"||')
base=$(rps /account)
printf '%-16s %10s %8s %8s\n' case req/s ratio budget
printf '%-16s %10s %8s %8s\n' baseline "$base" 1.0000 -
fail=0
for c in "${cases[@]}"; do
  IFS='|' read -r name path budget <<<"$c"
  path=${path/__FIRST__/$first}
  r=$(rps "$path")
  ratio=$(python3 -c "print(f'{$r / $base:.4f}')")
  ok=$(python3 -c "print('ok' if $r / $base >= $budget else 'OVER')")
  printf '%-16s %10s %8s %8s %s\n' "$name" "$r" "$ratio" "$budget" "$ok"
  [ "$ok" = ok ] || fail=1
done
say "$BACKEND, $N extra postings; $(grep -c '' "$work/serve.log") log lines"
[ "$BACKEND" = postgres ] && psql "${WAYPOINT_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}" -qc "DROP DATABASE IF EXISTS waypoint_bench WITH (FORCE)" >/dev/null
exit $fail
