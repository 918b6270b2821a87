#!/usr/bin/env python3
"""Offline fit of the cost model's efficiency constants to TensorRT-LLM calibration CSVs.

This is a line-for-line Python mirror of Sources/CostModel (same formulas, same names) used only
to search the constants; the fitted values are then written by hand into
Sources/CostModel/BuiltinGPUProfiles.swift and configs/gpus/*.json, and `make bench`
(bench/bench_cost.sh) re-checks them with the Swift binary itself.

usage: python3 bench/fit_cost_model.py CSV [CSV ...] [--free dense|moe|all] [--holdout]
       python3 bench/fit_cost_model.py CSV --reserve-grid
       python3 bench/fit_cost_model.py CSV --small-batch bench/data/small-batch-latency.csv
  CSV        calibration files (columns model, gpu, precision, tp, isl, osl,
             total_output_tokens_per_s; optional attention_window = full|model, default full:
             trtllm-bench attends over the whole sequence); models must be in MODELS below
  --free     which constants the fit moves (the others stay at CURRENT, the shipped values):
             dense = the 10 dense constants, soft-L1 least squares on log throughput (default when
             no MoE row is given); moe = the two grouped-GEMM constants, a grid search minimising
             median + worst |error| of the MoE rows (default when MoE rows are given); all = every
             one by least squares
  --holdout  fit on the TP1-2 rows only and report the TP4-8 rows (out-of-sample check)
  --reserve-grid  the calibration error for reserve bases 3.0-5.0 GiB, the other constants as
             shipped (the reserve is base + maxNumTokens x 2 (d + 3 w/TP) bytes of activations;
             docs/cost-model.md, "Memory")
  --small-batch CSV  fit the one-shot all-reduce latency to the CSV's "fit" rows (TPOT at
             concurrency 1), the other constants as shipped, and report every row of it
Every run prints the errors per family (median, worst, mean signed). Needs numpy and scipy;
exits 0 with a message when they are missing.

Shipped fit (docs/cost-model.md): the dense constants on trtllm-h100-fp8.csv (Llama), the MoE
constants on the Mixtral rows of trtllm-h100-fp8-mistral-mixtral.csv with the dense ones fixed;
Mistral rows are predicted, not fitted.
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
# TP 8, hidden 8192) picks the one-shot kernel up to 16 tokens: 16 x 8192 x 2 bytes = 256 KiB ...
ONESHOT_MAX_BYTES = 256 * 1024
# ... and its two-shot kernel up to 256 (TP 4-8) or 512 (TP 2) tokens; the model stops at 2 MiB
# (128 tokens at hidden 8192), above which the fitted ring constants describe the throughput rows.
TWO_SHOT_MAX_BYTES = 2 * 1024 * 1024
ATTN_HALF = 128  # tokens: flash-attention tile; prefill attention efficiency = eff * S / (S + 128)
MOE_AUX_KERNELS = 8  # norm, top-k, 2-pass radix sort, offsets, expand, activation, finalize

# H100 SXM datasheet numbers (not fitted).
H100 = dict(memory=85520809984, hbm=3.35e12, fp8=1978.9e12, bf16=989.4e12, link=450e9)

# d, h (query heads), kv, e (head dim), n (dense FFN; None for MoE), L, V, window, moe (E, top-k, m),
# bias ("none" | "qkv" | "qkvo"), qknorm, sinks
MODELS = {
    "Llama-3.1-8B": dict(d=4096, h=32, kv=8, e=128, n=14336, L=32, V=128256),
    "Llama-3.1-70B": dict(d=8192, h=64, kv=8, e=128, n=28672, L=80, V=128256),
    "Llama-3.1-405B": dict(d=16384, h=128, kv=8, e=128, n=53248, L=126, V=128256),
    "Llama-3.3-70B": dict(d=8192, h=64, kv=8, e=128, n=28672, L=80, V=128256),
    "Mistral-7B-v0.1": dict(d=4096, h=32, kv=8, e=128, n=14336, L=32, V=32000, window=4096),
    "Mixtral-8x7B-v0.1": dict(d=4096, h=32, kv=8, e=128, n=None, L=32, V=32000, moe=(8, 2, 14336)),
    "Qwen2.5-7B": dict(d=3584, h=28, kv=4, e=128, n=18944, L=28, V=152064, bias="qkv"),
    "Qwen3-8B": dict(d=4096, h=32, kv=8, e=128, n=12288, L=36, V=151936, qknorm=True),
    "Qwen3-30B-A3B": dict(d=2048, h=32, kv=4, e=128, n=None, L=48, V=151936, moe=(128, 8, 768), qknorm=True),
}

DENSE = ["gemmEff", "gemmHalfTokens", "hbmEff", "attnDecodeEff", "attnPrefillEff",
         "kernelFloor", "iterOverhead", "arLatency", "arEff", "reserveGiB"]
MOE = ["moeGemmEff", "moeGemmHalfTokens"]
# Serving-level terms (issue 15): the fixed time of the one-/two-shot all-reduce (payloads up to
# TWO_SHOT_MAX_BYTES; no throughput row reaches one); reserveGiB is the reserve's base.
SERVING = ["arOneShotLatency"]
NAMES = DENSE + MOE + SERVING
# The shipped values (configs/gpus/h100-sxm.json).
CURRENT = [0.534, 41, 0.90, 0.895, 0.80, 7.4e-6, 0.0, 50e-6, 0.657, 4.3, 0.74, 80, 12.9e-6]
# physical ceilings; the reserve's base is fixed (--reserve-grid), so is the one-shot latency (--small-batch)
LO = [0.2, 1, 0.5, 0.2, 0.1, 2e-6, 0, 0, 0.2, 4.3 - 1e-9, 0.3, 1, 12.9e-6 - 1e-12]
HI = [0.8, 2048, 0.9, 0.9, 0.8, 30e-6, 20e-3, 50e-6, 1.0, 4.3 + 1e-9, 1.0, 4096, 12.9e-6 + 1e-12]


def token_budget(batch, isl, osl):
    """trtllm-bench's max num tokens heuristic (tuning.py), capped at 32768."""
    raw = min(batch * (1 + isl / osl), 32768)
    if raw < 4096:
        return max(2048, 256 * math.ceil(raw / 256))
    if raw < 8192:
        return 512 * math.ceil(raw / 512)
    return min(1024 * math.ceil(raw / 1024), 32768)


def mean_cached_context(isl, osl, window):
    """Mean over the decode steps of min(ISL + t, W) (CostModel.meanCachedContext)."""
    if window is None or window >= isl + osl:
        return isl + osl / 2
    if window <= isl:
        return window
    return ((window ** 2 - isl ** 2) / 2 + (isl + osl - window) * window) / osl


def activation_bytes_per_token(s, t):
    """Activation bytes one token of an iteration holds at the forward pass's peak (the widest FFN:
    residual d, gate/up 2w/TP, activated w/TP, 16-bit): 2 (d + 3 w / TP); a mixture of experts
    routes each token to top-k experts of size m, w = k m (CostModel.activationBytesPerToken)."""
    if s.get("moe"):
        E, k, m = s["moe"]
        w = min(k, E) * m
    else:
        w = s["n"]
    return 2 * (s["d"] + 3 * w / t)


def max_batch(free, per_seq, act, reserve_base, isl, osl, frac=0.95, cap=4096):
    """Largest B with B per_seq <= frac (free - base - token_budget(B) act), free = capacity -
    weights: the reserve grows with the token budget, which grows with B (bisection)."""
    def fits(b):
        pool = frac * (free - reserve_base - token_budget(b, isl, osl) * act)
        return pool > 0 and b * per_seq <= pool
    if not fits(1):
        return 0
    if fits(cap):
        return cap
    lo, hi = 1, cap
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if fits(mid):
            lo = mid
        else:
            hi = mid
    return lo


def predict(p, model, tp, isl, osl, windows="full", gpu=H100, wb=1.0, kvb=1.0, batch=None, tpot=False):
    """Throughput (output tokens/s of the TP group) and batch; with tpot=True the time per output
    token of one sequence at `batch` concurrent sequences (its own prompt excluded)."""
    c = dict(zip(NAMES, p))
    c.setdefault("arOneShotLatency", c["arLatency"])
    s = MODELS[model]
    d, h, kv, e, L, V = s["d"], s["h"], s["kv"], s["e"], s["L"], s["V"]
    t = tp
    kvh = math.ceil(kv / t)
    peak = gpu["fp8"]
    bw = gpu["hbm"] * c["hbmEff"]
    window = s.get("window") if windows == "model" else None
    moe = s.get("moe")
    bias = s.get("bias", "none")
    # weights per GPU
    q_w = h * e / t
    vectors = d + (q_w + 2 * kvh * e if bias != "none" else 0) + (d if bias == "qkvo" else 0)
    vectors += 2 * e if s.get("qknorm") else 0
    vectors += h / t if s.get("sinks") else 0
    attn_w = (2 * d * q_w + 2 * d * kvh * e) * wb + vectors * 2
    if moe:
        E, k, m = moe
        ffn_w = E * 3 * d * m / t * wb + (d + d * E) * 2
    else:
        ffn_w = 3 * d * s["n"] / t * wb + d * 2
    weights = L * (attn_w + ffn_w) + 2 * V * d * 2 / t + d * 2
    seq = isl + osl
    cached = min(seq, window) if window else seq
    kv_seq = L * 2 * kvh * e * kvb * cached
    if batch is None:
        B = max_batch(gpu["memory"] - weights, kv_seq, activation_bytes_per_token(s, t), c["reserveGiB"] * GIB, isl, osl)
        if B < 1:
            return float("nan"), 0
    else:
        B = batch
    tok = token_budget(B, isl, osl)
    iters = max(osl, B * seq / tok)
    M = B * seq / iters
    gen = B * osl / iters
    if tpot:  # one sequence's view: the other B - 1 prompts interleave with its decode steps
        M = (B * osl + (B - 1) * isl) / iters
    ctx = mean_cached_context(isl, osl, window)

    def gemm(din, dout, rows, wbytes=wb, pk=peak):
        if rows <= 0:
            return 0.0
        flops = 2 * rows * din * dout
        eff = c["gemmEff"] * rows / (rows + c["gemmHalfTokens"])
        byts = din * dout * wbytes + rows * (din + dout) * 2
        return max(flops / (pk * eff), byts / bw) + c["kernelFloor"]

    def allreduce(rows):
        """TensorRT-LLM's one-shot kernel up to ONESHOT_MAX_BYTES, two-shot up to TWO_SHOT_MAX_BYTES
        (both with the one-shot latency), else the ring (NCCL) with the fitted ring latency."""
        if t == 1:
            return 0.0
        payload = rows * d * 2
        link = gpu["link"] * c["arEff"]
        if payload <= ONESHOT_MAX_BYTES:
            return c["arOneShotLatency"] + (t - 1) * payload / link
        if payload <= TWO_SHOT_MAX_BYTES:
            return c["arOneShotLatency"] + 2 * (t - 1) / t * payload / link
        return c["arLatency"] + 2 * (t - 1) / t * payload / link

    def attention(rows, g, cx):
        x = gemm(d, (h / t + 2 * kvh) * e, rows) + gemm(h / t * e, d, rows) + 2 * c["kernelFloor"]
        if s.get("qknorm"):
            x += 2 * rows * (h / t * e + kvh * e) * 2 / bw
        if g > 0:
            x += g * cx * 2 * kvh * e * kvb / (gpu["hbm"] * c["attnDecodeEff"])
        return x

    def ffn(rows):
        if not moe:
            n = s["n"]
            return gemm(d, 2 * n / t, rows) + gemm(n / t, d, rows) + 2 * c["kernelFloor"]
        E, k, m = moe
        kk = min(k, E)
        shard = m / t
        routed = rows * kk
        touched = E if kk >= E else E * (1 - (1 - kk / E) ** rows)
        per_expert = routed / max(touched, 1)
        eff = c["gemmEff"] * c["moeGemmEff"] * per_expert / (per_expert + c["moeGemmHalfTokens"])

        def grouped(kin, nout):
            flops = 2 * routed * kin * nout
            byts = touched * kin * nout * wb + routed * (kin + nout) * 2
            return max(flops / (peak * eff), byts / bw) + c["kernelFloor"]

        router = gemm(d, E, rows, 2.0, gpu["bf16"])
        permute = 2 * (2 * routed * d * 2) / bw
        return router + grouped(d, 2 * shard) + grouped(shard, d) + permute + MOE_AUX_KERNELS * c["kernelFloor"]

    it = L * (attention(M, gen, ctx) + allreduce(M) + ffn(M) + allreduce(M))
    it += gemm(d, V / t, gen, 2.0, gpu["bf16"]) + c["iterOverhead"]  # LM head stays BF16
    # prefill attention core (flash attention, causal; a window caps each query's span)
    span = min(isl, window) if window else isl
    pairs = isl * isl / 2 if span >= isl else span * span / 2 + (isl - span) * span
    pre = L * 4 * (h / t) * e * pairs / (peak * c["attnPrefillEff"] * span / (span + ATTN_HALF))
    if tpot:
        return it + (B - 1) * pre / iters, B
    cycle = iters * it + B * pre
    return B * osl / cycle, B


def profile(path=None):
    """The constants of configs/gpus/h100-sxm.json in NAMES order (what the Swift model uses)."""
    import json
    import os
    path = path or os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "configs", "gpus", "h100-sxm.json")
    k = {key: v["value"] for key, v in json.load(open(path))["constants"].items()}
    return [k["gemmEfficiency"], k["gemmHalfTokens"], k["hbmEfficiency"], k["attentionDecodeEfficiency"],
            k["attentionPrefillEfficiency"], k["kernelFloorSeconds"], k["iterationOverheadSeconds"],
            k["allReduceLatencySeconds"], k["allReduceEfficiency"], k["runtimeReserveBytes"] / GIB,
            k.get("moeGemmEfficiency", 0.74), k.get("moeGemmHalfTokens", 80),
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


def load(paths):
    rows = []
    for path in paths:
        with open(path) as f:
            for r in csv.DictReader(f):
                rows.append((r["model"], int(r["tp"]), int(r["isl"]), int(r["osl"]),
                             float(r["total_output_tokens_per_s"]), r.get("attention_window") or "full"))
    return rows


def family(model):
    return model.split("-")[0]


def fit_moe_grid(rows):
    """The two MoE constants by a grid search minimising median + worst |error| over the MoE rows
    (the two criteria the floors name; the least-squares optimum, 0.84 / 105, trades 4 points of
    worst-case error for 0.3 of median)."""
    moe_rows = [r for r in rows if MODELS[r[0]].get("moe")]
    best = None
    for eff in np.arange(0.60, 1.0001, 0.02):
        for half in range(20, 401, 10):
            p = list(CURRENT)
            p[NAMES.index("moeGemmEff")] = round(float(eff), 2)
            p[NAMES.index("moeGemmHalfTokens")] = half
            e = np.abs([predict(p, m, tp, i, o, w)[0] / y - 1 for m, tp, i, o, y, w in moe_rows])
            score = np.median(e) + e.max()
            if best is None or score < best[0]:
                best = (score, p)
    return best[1]


def fit(rows, free):
    if free == MOE:
        return fit_moe_grid(rows)
    idx = [NAMES.index(n) for n in free]

    def full(x):
        p = list(CURRENT)
        for i, v in zip(idx, x):
            p[i] = v
        return p

    def res(x):
        p = full(x)
        out = []
        for m, tp, i, o, y, w in rows:
            pred = predict(p, m, tp, i, o, w)[0]
            out.append(math.log(pred / y) if pred > 0 else 5)
        return out
    lo = [LO[i] for i in idx]
    hi = [HI[i] for i in idx]
    best = None
    starts = [[CURRENT[i] for i in idx]]
    if "gemmEff" in free:
        for g in [0.4, 0.6, 0.8]:
            x = [CURRENT[i] for i in idx]
            x[free.index("gemmEff")] = g
            starts.append(x)
    for x0 in starts:
        x0 = [min(max(v, a), b) for v, a, b in zip(x0, lo, hi)]
        r = least_squares(res, x0, bounds=(lo, hi), loss="soft_l1", f_scale=0.05)
        if best is None or r.cost < best.cost:
            best = r
    return full(best.x)


def report(p, rows, label):
    errs = {}
    for m, tp, i, o, y, w in rows:
        pred, B = predict(p, m, tp, i, o, w)
        err = pred / y - 1
        errs.setdefault(family(m), []).append(err)
        print(f"{label} {m:18s} tp{tp} {i:5d}/{o:<5d} B={B:5d} pred {pred:9.1f} meas {y:9.1f} err {100*err:+6.1f}%")
    for fam, e in errs.items():
        a = np.abs(e)
        print(f"{label} {fam:8s} {len(e):2d} rows: median {100*np.median(a):.1f}%  worst {100*a.max():.1f}%  mean {100*np.mean(e):+.1f}%")


def main():
    skip = set()
    if "--small-batch" in sys.argv:
        skip.add(sys.argv[sys.argv.index("--small-batch") + 1])
    paths = [a for a in sys.argv[1:] if not a.startswith("--") and a not in ("dense", "moe", "all") and a not in skip]
    if not paths:
        print(__doc__)
        sys.exit(64)
    rows = load(paths)
    unknown = sorted({r[0] for r in rows if r[0] not in MODELS})
    if unknown:
        print(f"fit_cost_model.py: unknown models {unknown}; add them to MODELS")
        sys.exit(65)
    if "--reserve-grid" in sys.argv:
        base = profile()
        for gib in [3.0, 3.5, 3.8, 4.0, 4.1, 4.2, 4.3, 4.4, 4.5, 5.0]:
            q = list(base)
            q[NAMES.index("reserveGiB")] = gib
            errs = sorted(abs(predict(q, m, tp, i, o, w)[0] / y - 1) for m, tp, i, o, y, w in rows)
            p90 = errs[max(0, math.ceil(0.9 * len(errs)) - 1)]
            print(f"reserve base {gib:.1f} GiB: median {100*np.median(errs):.2f}%  p90 {100*p90:.1f}%  max {100*errs[-1]:.1f}%")
        return
    if "--small-batch" in sys.argv:
        small = load_small_batch(sys.argv[sys.argv.index("--small-batch") + 1])
        base = profile()
        x = fit_one_shot(base, small)
        print(f"one-shot all-reduce latency (fit, others as configs/gpus/h100-sxm.json): {x * 1e6:.1f} us")
        base[NAMES.index("arOneShotLatency")] = x
        report_small_batch(base, small)
        report(base, rows, "all")
        return
    has_moe = any(MODELS[r[0]].get("moe") for r in rows)
    mode = "moe" if has_moe else "dense"
    if "--free" in sys.argv:
        mode = sys.argv[sys.argv.index("--free") + 1]
    free = {"dense": DENSE, "moe": MOE, "all": NAMES}[mode]
    if "--holdout" in sys.argv:
        train = [r for r in rows if r[1] <= 2]
        test = [r for r in rows if r[1] > 2]
        p = fit(train, free)
        print(dict(zip(NAMES, p)))
        report(p, train, "train")
        report(p, test, "test ")
    else:
        p = fit(rows, free)
        print(dict(zip(NAMES, p)))
        report(p, rows, "all")


if __name__ == "__main__":
    main()
