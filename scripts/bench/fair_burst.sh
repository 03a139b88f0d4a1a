#!/usr/bin/env bash
# Sub-script of scripts/bench.sh (see its protocol there): the work is in fair_burst.py.
set -euo pipefail
exec python3 -B "$(dirname "$0")/fair_burst.py"
