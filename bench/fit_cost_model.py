#!/usr/bin/env python3
"""Offline fit of the cost model's efficiency constants to the TensorRT-LLM calibration CSV.

This is a line-for-line Python mirror of Sources/CostModel (same formulas, same names) used only
to search the constants; the fitted values are then written by hand into
Sources/CostModel/BuiltinGPUProfiles.swift and configs/gpus/*.json, and `make bench`
(bench/bench_cost.sh) re-checks them with the Swift binary itself.

usage: python3 bench/fit_cost_model.py ../shared/data/calibration/trtllm-h100-fp8.csv [--holdout]
                                      [--small-batch bench/data/small-batch-latency.csv] [--reserve-grid]
  --holdout: fit on the TP1-2 rows only and report the TP4-8 rows (out-of-sample check).
  --small-batch CSV: also fit the small-batch terms (one-shot all-reduce latency, kernel floor,
      iteration overhead) to the CSV's rows with role "fit" (TPOT at concurrency 1-16); rows with
      role "check" are only reported (docs/cost-model.md, "Small-batch latency").
  --reserve-grid: report the calibration error for base reserves 1.0-5.0 GiB (the reserve is
      base + maxNumTokens x activation bytes per token; docs/cost-model.md, "Memory").
Needs numpy and scipy; exits 0 with a message when they are missing.
"""
import csv
import math
import sys

try:
    import numpy as np
    from scipy.optimize import least_squares
except ImportError:  # pragma: no cover
    print("fit_cost_model.py: numpy/scipy missing, skipping")
    sys.exit(0)

GIB = 1024 ** 3
# TensorRT-LLM's all-reduce strategy table (cpp/tensorrt_llm/common/customAllReduceUtils.h, SM90,
# TP 8, hidden 8192) picks the one-shot kernel up to 16 tokens: 16 x 8192 x 2 bytes = 256 KiB.
ONESHOT_MAX_BYTES = 256 * 1024
# ... and its two-shot kernel up to 256 (TP 4-8) or 512 (TP 2) tokens; the model stops at 2 MiB
# (128 tokens at hidden 8192), above which the fitted ring constants describe the throughput rows.
TWO_SHOT_MAX_BYTES = 2 * 1024 * 1024
ATTN_HALF = 128  # tokens: flash-attention tile; prefill attention efficiency = eff * L / (L + 128)

# H100 SXM datasheet numbers (not fitted).
H100 = dict(
    memory=81559 * 1024 ** 2, hbm=3.35e12, fp8=1979e12, bf16=989e12, link=450e9,
)

MODELS = {
    # d, heads, kv, headDim, ffn, layers, vocab
    "Llama-3.1-8B": (4096, 32, 8, 128, 14336, 32, 128256),
    "Llama-3.1-70B": (8192, 64, 8, 128, 28672, 80, 128256),
    # small-batch latency rows (bench/data/small-batch-latency.csv)
    "Llama-3.3-70B": (8192, 64, 8, 128, 28672, 80, 128256),
    "Llama-3.1-405B": (16384, 128, 8, 128, 53248, 126, 128256),
}

NAMES = ["gemmEff", "gemmHalfTokens", "hbmEff", "attnDecodeEff", "attnPrefillEff",
         "kernelFloor", "iterOverhead", "arLatency", "arEff", "reserveGiB",
         # serving-level terms (issue 15): the one-shot all-reduce's fixed time (small payloads;
         # TensorRT-LLM's custom one-shot kernel), and the base reserve is reserveGiB.
         "arOneShotLatency"]


def finetune(kv_requests, isl, osl):
    """trtllm-bench's max batch size / max num tokens heuristic (tuning.py, finetune_setting)."""
    raw_bs = min(kv_requests, 4096)
    raw_tok = min(raw_bs * (1 + isl / osl), 32768)
    if raw_bs < 256:
        bs = max(64, 32 * math.ceil(raw_bs / 32))
    elif raw_bs < 1024:
        bs = 128 * math.ceil(raw_bs / 128)
    else:
        bs = 256 * math.ceil(raw_bs / 256)
    if raw_tok < 4096:
        tok = max(2048, 256 * math.ceil(raw_tok / 256))
    elif raw_tok < 8192:
        tok = 512 * math.ceil(raw_tok / 512)
    else:
        tok = 1024 * math.ceil(raw_tok / 1024)
    return bs, tok


def activation_bytes_per_token(model, t):
    """Activation memory one token of an iteration holds at the forward pass's peak (the FFN of the
    widest layer): residual d + gate/up 2n/TP + activated n/TP, all 16-bit: 2 (d + 3 n / TP) bytes."""
    d, h, kv, e, n, L, V = MODELS[model]
    return 2 * (d + 3 * n / t)


def token_budget(batch, isl, osl):
    """trtllm-bench's max num tokens for a batch (finetune_setting), capped at 32768."""
    raw = min(batch * (1 + isl / osl), 32768)
    if raw < 4096:
        return max(2048, 256 * math.ceil(raw / 256))
    if raw < 8192:
        return 512 * math.ceil(raw / 512)
    return 1024 * math.ceil(raw / 1024)


def max_batch(pool_free, per_seq, act, reserve_base, isl, osl, frac=0.95, cap=4096):
    """Largest B with B per_seq <= frac (free - base - budget(B) act), free = capacity - weights:
    the reserve grows with the engine's token budget, which grows with B (bisection)."""
    def fits(b):
        return b * per_seq <= frac * (pool_free - reserve_base - token_budget(b, isl, osl) * act)
    if not fits(1):
        return 0
    lo, hi = 1, cap
    if fits(cap):
        return cap
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if fits(mid):
            lo = mid
        else:
            hi = mid
    return lo


def predict(p, model, tp, isl, osl, gpu=H100, wb=1.0, kvb=1.0, peak=None, batch=None, tpot=False):
    """Throughput (output tokens/s of the TP group) and batch; with tpot=True the time per output
    token of one sequence at `batch` concurrent sequences (its own prefill excluded)."""
    c = dict(zip(NAMES, p))
    c.setdefault("arOneShotLatency", c["arLatency"])
    d, h, kv, e, n, L, V = MODELS[model]
    peak = peak or gpu["fp8"]
    t = tp
    kvh = math.ceil(kv / t)
    attn_w = (2 * d * h * e) / t + 2 * d * kvh * e
    ffn_w = 3 * d * n / t
    layer_params = L * (attn_w + ffn_w + 2 * d)
    head_bytes = 2 * V * d * 2 / t  # embeddings + LM head stay BF16, vocab-parallel
    weights = layer_params * wb + head_bytes
    kv_tok = L * 2 * kvh * e * kvb
    act = activation_bytes_per_token(model, t)
    free = gpu["memory"] - weights
    if batch is None:
        B = max_batch(free, kv_tok * (isl + osl), act, c["reserveGiB"] * GIB, isl, osl)
        if B < 1:
            return float("nan"), 0
    else:
        B = batch
    tok_cap = token_budget(B, isl, osl)
    iters = max(osl, B * (isl + osl) / tok_cap)
    M = B * (isl + osl) / iters
    gen = B * osl / iters
    if tpot:  # one sequence's view: the other B - 1 prefills interleave with its decode steps
        M = (B * osl + (B - 1) * isl) / iters
    ctx = isl + osl / 2

    def gemm(din, dout, m, wbytes=wb, pk=peak):
        flops = 2 * m * din * dout
        eff = c["gemmEff"] * m / (m + c["gemmHalfTokens"])
        byts = din * dout * wbytes + m * (din + dout) * 2
        return max(flops / (pk * eff), byts / (gpu["hbm"] * c["hbmEff"])) + c["kernelFloor"]

    def allreduce(m):
        """TensorRT-LLM's one-shot kernel up to ONESHOT_MAX_BYTES, two-shot up to TWO_SHOT_MAX_BYTES
        (both with the one-shot latency), else the ring (NCCL) with the fitted ring latency."""
        if t == 1:
            return 0.0
        payload = m * d * 2
        bw = gpu["link"] * c["arEff"]
        if payload <= ONESHOT_MAX_BYTES:  # every rank reads all TP-1 peers' payloads
            return c["arOneShotLatency"] + (t - 1) * payload / bw
        if payload <= TWO_SHOT_MAX_BYTES:  # the two-shot kernel: reduce-scatter + all-gather
            return c["arOneShotLatency"] + 2 * (t - 1) / t * payload / bw
        return c["arLatency"] + 2 * (t - 1) / t * payload / bw

    attn = gemm(d, (h / t + 2 * kvh) * e, M) + gemm(h / t * e, d, M) + 2 * c["kernelFloor"]
    attn += gen * ctx * 2 * kvh * e * kvb / (gpu["hbm"] * c["attnDecodeEff"])
    attn += allreduce(M)
    ffn = gemm(d, 2 * n / t, M) + gemm(n / t, d, M) + 2 * c["kernelFloor"] + allreduce(M)
    lm = gemm(d, V / t, gen, 2.0, gpu["bf16"])  # LM head stays BF16
    it = L * (attn + ffn) + lm + c["iterOverhead"]
    # prefill attention core (flash attention, causal): 4 h e L^2 / 2 FLOPs per sequence and layer
    pre = L * 4 * (h / t) * e * isl * isl / 2 / (peak * c["attnPrefillEff"] * isl / (isl + ATTN_HALF))
    if tpot:
        return it + (B - 1) * pre / iters, B
    cycle = iters * it + B * pre
    return B * osl / cycle, B


def load(path):
    rows = []
    with open(path) as f:
        for r in csv.DictReader(f):
            rows.append((r["model"], int(r["tp"]), int(r["isl"]), int(r["osl"]), float(r["total_output_tokens_per_s"])))
    return rows


P0 = [0.55, 64, 0.85, 0.6, 0.4, 4e-6, 1e-4, 8e-6, 0.7, 4.3, 13e-6]
# physical ceilings; the base reserve is fixed at the --reserve-grid choice and the one-shot
# latency (which no throughput row reaches: their payloads exceed ONESHOT_MAX_BYTES) at the
# --small-batch fit.
LO = [0.2, 1, 0.5, 0.2, 0.1, 2e-6, 0, 0, 0.2, 4.3 - 1e-9, 13e-6 - 1e-12]
HI = [0.8, 2048, 0.9, 0.9, 0.8, 30e-6, 20e-3, 50e-6, 1.0, 4.3 + 1e-9, 13e-6 + 1e-12]


def profile(path=None):
    """The constants of configs/gpus/h100-sxm.json in NAMES order (what the Swift model uses)."""
    import json
    import os
    path = path or os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "configs", "gpus", "h100-sxm.json")
    k = {key: v["value"] for key, v in json.load(open(path))["constants"].items()}
    return [k["gemmEfficiency"], k["gemmHalfTokens"], k["hbmEfficiency"], k["attentionDecodeEfficiency"],
            k["attentionPrefillEfficiency"], k["kernelFloorSeconds"], k["iterationOverheadSeconds"],
            k["allReduceLatencySeconds"], k["allReduceEfficiency"], k["runtimeReserveBytes"] / GIB,
            k.get("allReduceOneShotLatencySeconds", k["allReduceLatencySeconds"])]


SMALL_BATCH_MODELS = {"llama-3.3-70b": "Llama-3.3-70B", "llama-3.1-70b": "Llama-3.1-70B",
                      "llama-3.1-405b": "Llama-3.1-405B", "llama-3.1-8b": "Llama-3.1-8B"}


def load_small_batch(path):
    """Rows (model, tp, isl, osl, concurrency, metric, value, role) of bench/data/small-batch-latency.csv."""
    out = []
    with open(path) as f:
        for r in csv.DictReader(f):
            if r["model"] not in SMALL_BATCH_MODELS:
                continue
            out.append((SMALL_BATCH_MODELS[r["model"]], int(r["tp"]), int(r["isl"]), int(r["osl"]),
                        int(r["concurrency"]), r["metric"], float(r["value"]), r["role"]))
    return out


def predict_tpot_ms(p, row):
    m, tp, i, o, conc = row[:5]
    return predict(p, m, tp, i, o, batch=conc, tpot=True)[0] * 1e3


def fit_one_shot(p, rows):
    """The one-shot all-reduce latency minimising the squared log error of the "fit" TPOT rows, the
    other constants held (golden-section search on 1-60 us)."""
    fit_rows = [r for r in rows if r[7] == "fit" and r[5] == "tpot_ms"]
    def loss(x):
        q = list(p); q[NAMES.index("arOneShotLatency")] = x
        return sum(math.log(predict_tpot_ms(q, r) / r[6]) ** 2 for r in fit_rows)
    lo, hi = 1e-6, 60e-6
    g = (math.sqrt(5) - 1) / 2
    for _ in range(80):
        a, b = hi - g * (hi - lo), lo + g * (hi - lo)
        if loss(a) < loss(b):
            hi = b
        else:
            lo = a
    return (lo + hi) / 2


def report_small_batch(p, rows):
    for r in rows:
        if r[5] != "tpot_ms":
            continue
        pred = predict_tpot_ms(p, r)
        print(f"small {r[7]:5s} {r[0]:14s} tp{r[1]} {r[2]:5d}/{r[3]:<5d} c={r[4]:3d} TPOT pred {pred:7.2f} ms "
              f"meas {r[6]:7.2f} ms err {100 * (pred / r[6] - 1):+6.1f}%")


def fit(rows):
    def res(p):
        return [math.log(predict(p, m, tp, i, o)[0] / y) if predict(p, m, tp, i, o)[0] > 0 else 5 for m, tp, i, o, y in rows]
    best = None
    for g in [0.4, 0.6, 0.8]:
        for h in [0.5, 0.8]:
            p0 = list(P0); p0[0] = g; p0[2] = h
            r = least_squares(res, p0, bounds=(LO, HI), loss="soft_l1", f_scale=0.05)
            if best is None or r.cost < best.cost:
                best = r
    return best.x


def report(p, rows, label):
    errs = []
    for m, tp, i, o, y in rows:
        pred, B = predict(p, m, tp, i, o)
        err = pred / y - 1
        errs.append(abs(err))
        print(f"{label} {m:14s} tp{tp} {i:5d}/{o:<5d} B={B:5d} pred {pred:9.1f} meas {y:9.1f} err {100*err:+6.1f}%")
    print(f"{label} median {100*np.median(errs):.1f}%  max {100*max(errs):.1f}%")


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        sys.exit(64)
    rows = load(sys.argv[1])
    if "--reserve-grid" in sys.argv:
        base = profile()
        for gib in [3.0, 3.5, 3.8, 4.0, 4.1, 4.2, 4.3, 4.4, 4.5, 5.0]:
            q = list(base); q[NAMES.index("reserveGiB")] = gib
            errs = sorted(abs(predict(q, m, tp, i, o)[0] / y - 1) for m, tp, i, o, y in rows)
            p90 = errs[max(0, math.ceil(0.9 * len(errs)) - 1)]
            print(f"reserve base {gib:.1f} GiB: median {100*np.median(errs):.2f}%  p90 {100*p90:.1f}%  max {100*errs[-1]:.1f}%")
        return
    if "--small-batch" in sys.argv:
        path = sys.argv[sys.argv.index("--small-batch") + 1]
        small = load_small_batch(path)
        base = profile()
        x = fit_one_shot(base, small)
        print(f"one-shot all-reduce latency (fit, others as configs/gpus/h100-sxm.json): {x * 1e6:.1f} us")
        base[NAMES.index("arOneShotLatency")] = x
        report_small_batch(base, small)
        report(base, rows, "all")
        return
    if "--holdout" in sys.argv:
        train = [r for r in rows if r[1] <= 2]
        test = [r for r in rows if r[1] > 2]
        p = fit(train)
        print(dict(zip(NAMES, p)))
        report(p, train, "train")
        report(p, test, "test ")
    else:
        p = fit(rows)
        print(dict(zip(NAMES, p)))
        report(p, rows, "all")


if __name__ == "__main__":
    main()
