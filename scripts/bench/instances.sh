#!/usr/bin/env bash
# Sub-script of scripts/bench.sh (see its protocol there): two `waypoint serve` instances
# on one PostgreSQL database against one. The work is in instances.py. SQLite serves one
# instance: for BACKEND=sqlite this does nothing and prints nothing.
set -euo pipefail
[ "${BACKEND:-}" = postgres ] || exit 0
exec python3 -B "$(dirname "$0")/instances.py"
