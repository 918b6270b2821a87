#!/usr/bin/env bash
# Solver benchmark: puzzle solve vs scipy.optimize.milp (HiGHS, mip_rel_gap=0), same instances,
# one Python process. usage: bench/bench_solver.sh PATH/TO/puzzle [--quick]
# Skips cleanly when python3, numpy or scipy is missing. Figures: docs/benchmarks.md "Solver".
set -euo pipefail
BIN=${1:?usage: bench/bench_solver.sh PATH/TO/puzzle}
shift
if ! command -v python3 >/dev/null 2>&1; then
    echo "solver bench: skipped (python3 not found)"
    exit 0
fi
cd "$(dirname "$0")/.."
PYTHONUNBUFFERED=1 exec python3 bench/solver_bench.py "$BIN" "$@"
