#!/usr/bin/env bash
# Search benchmarks (part of `make bench`): end-to-end `puzzle search` / `puzzle frontier` wall
# clock on the demo libraries, and the NVlabs library with measured costs against HiGHS
# (scipy.optimize.milp, mip_rel_gap=0) over a sweep of budgets. Latest figures: docs/benchmarks.md.
set -uo pipefail
bin=${1:-.build/release/puzzle}
here=$(cd "$(dirname "$0")" && pwd)
shared="$here/../../shared/data/nvlabs-puzzle-llama-3.3-70b/block_library.json"

ms() { local s=$(date +%s%N); "$@" > /dev/null 2>&1; local rc=$?; echo $(( ($(date +%s%N) - s) / 1000000 )) $rc; }

# Wall and CPU (user + system) milliseconds of one whole process: CPU above wall means both cores worked.
wallcpu() {
  local f=$(mktemp)
  /usr/bin/time -f "%e %U %S" -o "$f" "$@" > /dev/null 2>&1; local rc=$?
  read e u s < "$f"; rm -f "$f"
  python3 -c "print(round(1000*$e), round(1000*($u+$s)), $rc)"
}

echo "search on the synthetic demo libraries (H100 SXM, FP8, TP and batch searched), whole process (floor: 250 ms each)"
printf '%-62s %10s %10s %6s\n' "case" "wall ms" "CPU ms" "exit"
for c in "llama-3.1-8b 2.0 128/1024" "llama-3.1-70b 2.2 128/1024" "llama-3.1-70b 3.2 128/1024" "llama-3.1-405b 2.0 128/1024" \
  "llama-3.1-8b 1.6 128/1024 2048/128 128/4096 4096/512" "llama-3.1-70b 1.8 128/1024 2048/128 128/4096 4096/512" \
  "llama-3.1-405b 1.8 128/1024 2048/128 128/4096 4096/512"; do
  set -- $c
  model=$1 x=$2; shift 2
  scen=(); for s in "$@"; do scen+=(--scenario "$s"); done
  read w cpu rc < <(wallcpu timeout 300 "$bin" search --library "demo:$model" "${scen[@]}" --speedup "$x" --quiet)
  printf '%-62s %10s %10s %6s\n' "$model speedup $x, $# scenario(s)" "$w" "$cpu" "$rc"
done
read w cpu rc < <(wallcpu timeout 300 "$bin" frontier --library demo --sweep speedup=1:3.5:100 --quiet)
printf '%-62s %10s %10s %6s\n' "llama-3.1-70b frontier speedup 1-3.5, 100 points (floor 1 s)" "$w" "$cpu" "$rc"
read t rc < <(ms timeout 300 "$bin" search --library demo:llama-3.1-70b --max-latency 40ms --min-throughput 5000 --quiet)
printf '%-58s %10s %8s\n' "llama-3.1-70b 128/1024 latency 40ms + 5000 tok/s (3 rows)" "$t" "$rc"
read t rc < <(ms timeout 300 "$bin" frontier --library demo:llama-3.1-70b --sweep speedup=1.0:4.0:31 --quiet)
printf '%-58s %10s %8s\n' "llama-3.1-70b frontier speedup 1-4, 31 points" "$t" "$rc"
if [ -z "${SKIP_SLOW:-}" ]; then read t rc < <(ms timeout 120 "$bin" frontier --library demo:llama-3.1-405b --scenario 128/1024 --scenario 2048/128 --sweep speedup=1.0:3.0:200 --quiet)
printf '%-58s %10s %8s\n' "llama-3.1-405b frontier, 2 scenarios, 200 points (cap 120 s)" "$t" "$rc"; fi

if [ ! -f "$shared" ]; then echo "NVlabs comparison skipped: ../shared absent"; exit 0; fi
if ! python3 -c "import scipy.optimize" 2>/dev/null; then echo "NVlabs comparison skipped: scipy missing"; exit 0; fi
echo
echo "NVlabs library, measured costs (memory_mib, runtime_ms), minimise sum kl_div: ours (whole process) vs HiGHS gap 0"
budgets=""
for f in 0.40 0.45 0.50 0.55 0.60 0.65 0.70 0.75 0.80 0.85 0.90 0.95; do
  budgets="$budgets $(python3 -c "print(f'{$f*114968.75:.1f}:{$f*65357.8:.1f}')")"
done
budgets="$budgets 80000:51200"
python3 "$here/highs_nvlabs.py" "$shared" $budgets 2>/dev/null | grep -E '^[0-9]' > /tmp/puzzle-highs.$$
printf '%-20s %-12s %14s %14s %10s %10s %8s\n' "budget MiB:ms" "status" "ours" "HiGHS" "ours ms" "HiGHS ms" "ratio"
while read mem run status obj secs; do
  s=$(date +%s%N)
  "$bin" search --library "$shared" --costs measured --objective kl_div --max "memory_mib=$mem" --max "runtime_ms=$run" --format json --quiet > /tmp/puzzle-out.$$ 2>/dev/null
  t=$(( ($(date +%s%N) - s) / 1000000 ))
  python3 - "$mem:$run" "$status" "$obj" "$secs" "$t" /tmp/puzzle-out.$$ <<'PY'
import json, sys
budget, status, obj, secs, t, path = sys.argv[1:]
m = json.load(open(path))
ours = m["objective"]["value"] if m["status"] != "infeasible" else float("nan")
agree = (status == "infeasible" and m["status"] == "infeasible") or abs(ours - float(obj)) <= 1e-9 * max(1, abs(float(obj)))
print(f"{budget:20s} {m['status']:12s} {ours:14.6f} {float(obj):14.6f} {int(t):10d} {1000*float(secs):10.1f} {1000*float(secs)/max(int(t),1):7.1f}x {'same' if agree else 'DIFFERENT'}")
PY
done < /tmp/puzzle-highs.$$
rm -f /tmp/puzzle-highs.$$ /tmp/puzzle-out.$$
