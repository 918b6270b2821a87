#!/usr/bin/env bash
# Cost model benchmark: calibration (predicted vs measured per row, floors median <= 5%, worst <= 20%),
# out-of-sample checks, Nemotron speed-ups and the Puzzle paper's operating points, small-batch
# latency against published TPOTs, and the speed of the search's cost workload.
# usage: bash bench/bench_cost.sh [path/to/puzzle]   (default .build/release/puzzle)
set -euo pipefail
BIN=${1:-.build/release/puzzle}
HERE=$(cd "$(dirname "$0")" && pwd)
SHARED="$HERE/../../shared"
CSV="$SHARED/data/calibration/trtllm-h100-fp8.csv"

echo "-- speed: the search's workload (per-subblock costs for every layer x 54 variants x 20 batches)"
"$BIN" cost llama-3.1-70b --gpu h100 --dtype fp8 --scenario 128/1024 --time-grid

echo
echo "-- out of sample (nothing refit): TensorRT-LLM v1.0 perf-overview, H100/H200 FP8, 8B/70B/405B, 10 ISL/OSL pairs"
echo "   (bench/data/trtllm-v1.0-perf-overview-fp8.csv; newer software than the calibration CSV)"
"$BIN" cost --calibration "$HERE/data/trtllm-v1.0-perf-overview-fp8.csv"

if [ ! -f "$CSV" ]; then
    echo "-- skipping calibration: $CSV not found (../shared absent)"
    exit 0
fi

echo
echo "-- calibration: TensorRT-LLM H100 FP8 (trtllm-h100-fp8.csv), largest batch that fits"
OUT=$("$BIN" cost --calibration "$CSV")
echo "$OUT"
"$BIN" cost --calibration "$CSV" --format json | python3 -c '
import json, sys
s = json.load(sys.stdin)["summary"]
ok = s["medianAbsError"] <= 0.05 and s["maxAbsError"] <= 0.20
print("floors (median <= 5%%, worst <= 20%%): %s" % ("met" if ok else "MISSED"))
sys.exit(0 if ok else 1)
'

MM="$SHARED/data/calibration/trtllm-h100-fp8-mistral-mixtral.csv"
if [ -f "$MM" ]; then
    echo
    echo "-- calibration: Mistral-7B-v0.1 and Mixtral-8x7B (TensorRT-LLM v0.17, H100 FP8, TP 1-8), same constants"
    "$BIN" cost --calibration "$MM"
    "$BIN" cost --calibration "$MM" --format json | python3 -c '
import json, sys, statistics
rows = json.load(sys.stdin)["rows"]
ok = True
for fam, med, worst in (("Mistral", 0.05, 0.15), ("Mixtral", 0.08, 0.25)):
    e = [abs(r["relativeError"]) for r in rows if r["model"].startswith(fam)]
    m, w = statistics.median(e), max(e)
    good = m <= med and w <= worst
    ok = ok and good
    print("%s: %d rows, median %.1f%%, worst %.1f%% (floors %d%% / %d%%): %s" % (fam, len(e), 100 * m, 100 * w, 100 * med, 100 * worst, "met" if good else "MISSED"))
sys.exit(0 if ok else 1)
'
fi

echo
echo "-- Puzzle child vs parent (H100 FP8, best TP per model, largest batch, tok/s per GPU)"
echo "   child: Nemotron-51B's real layer list (bench/data/llama-3.1-nemotron-51b.config.json)"
N51="$HERE/data/llama-3.1-nemotron-51b.config.json"
for s in 128/1024 2048/128; do
    p=$("$BIN" cost llama-3.1-70b --gpu h100 --dtype fp8 --tp auto --scenario $s --format json)
    c=$("$BIN" cost "$N51" --gpu h100 --dtype fp8 --tp auto --scenario $s --format json)
    python3 - "$s" "$p" "$c" <<'PY'
import json, sys
s, p, c = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])
pub = {"128/1024": (2975, 6472), "2048/128": (339, 653)}[s]
print("   %-9s parent TP%d %7.1f (published %d)   child TP%d %7.1f (Nemotron-51B published %d)   speed-up %.2fx (published %.2fx)" % (
    s, p["tp"], p["throughputPerGPU"], pub[0], c["tp"], c["throughputPerGPU"], pub[1],
    c["throughputPerGPU"] / p["throughputPerGPU"], pub[1] / pub[0]))
PY
done

echo
echo "-- The Puzzle paper's operating points (128/1024, H100 FP8)"
for args in "$N51 --tp 1 --batch 256|Nemotron-51B TP1 batch 256, guaranteed-no-evict|6472" \
            "$N51 --tp 1 --batch 256 --scheduler max-utilization|Nemotron-51B TP1 batch 256, max-utilization|6472" \
            "llama-3.1-70b --tp 4 --batch 384|Llama-3.1-70B TP4 batch 384|2975"; do
    IFS='|' read -r a label published <<< "$args"
    # shellcheck disable=SC2086
    if out=$("$BIN" cost $a --scenario 128/1024 --format json 2>&1); then
        python3 - "$out" "$label" "$published" <<'PY'
import json, sys
d, label, pub = json.loads(sys.argv[1]), sys.argv[2], float(sys.argv[3])
lo, hi = d["band"]["throughputPerGPU"]
print("   %-48s %7.1f tok/s/GPU (band %.0f-%.0f; largest batch %d)   published %.0f (%+.1f%%)" % (
    label, d["throughputPerGPU"], lo, hi, d["maxBatchSize"], pub, 100 * (d["throughputPerGPU"] / pub - 1)))
PY
    else
        echo "   $label: $out"
    fi
done

echo
echo "-- small-batch latency (bench/data/small-batch-latency.csv: published TPOT/TTFT, fit and check rows)"
"$BIN" cost --calibration "$HERE/data/small-batch-latency.csv"
ULTRA="$SHARED/data/model-configs/Llama-3_1-Nemotron-Ultra-253B-v1.config.json"
if [ -f "$ULTRA" ]; then
    "$BIN" cost "$ULTRA" --tp 8 --batch 1 --scenario 1024/1024 --format json | python3 -c '
import json, sys
d = json.load(sys.stdin)
print("   check (heterogeneous, never fitted): Nemotron-Ultra-253B TP8 batch 1: %.2f tok/s per user, FFN Fusion paper 70.92 (%+.1f%%)" % (
    1 / d["tpotSeconds"], 100 * ((1 / d["tpotSeconds"]) / 70.92 - 1)))'
fi

echo
echo "-- NVlabs per-block runtimes (H100 FP8, batch 256, one decode step at context 1200): ratios"
python3 - "$SHARED/data/nvlabs-puzzle-llama-3.3-70b/block_library.json" "$BIN" <<'PY'
import json, subprocess, sys
lib = json.load(open(sys.argv[1]))["layer_0"]
ffn = {}; attn = 0
for v in lib.values():
    st = v["stats"]
    if st["ffn_intermediate_size"]: ffn[st["ffn_intermediate_size"]] = st["ffn_runtime_ms"]
    if st["attention_runtime_ms"]: attn = st["attention_runtime_ms"]
print("   (measured ratios only; predicted ratios are asserted within 15% by CalibrationTests.perBlockRatiosMatchTheNVlabsMeasurements)")
for n in sorted(ffn, reverse=True):
    print("   ffn %5d / ffn 28672: measured %.3f" % (n, ffn[n] / ffn[28672]))
print("   attention(8 KV) / ffn 28672: measured %.3f" % (attn / ffn[28672]))
PY

echo
echo "-- leave-out check (fit on TP1-2 rows, test on TP4-8) and the serving fits with the offline fit script"
if python3 -c 'import numpy, scipy' 2>/dev/null; then
    python3 "$HERE/fit_cost_model.py" "$CSV" --holdout | grep -E 'median|^\{'
    python3 "$HERE/fit_cost_model.py" "$CSV" --reserve-grid
    python3 "$HERE/fit_cost_model.py" "$CSV" --small-batch "$HERE/data/small-batch-latency.csv" | grep -E '^one-shot|^small|median'
else
    echo "   skipping: numpy/scipy missing"
fi
