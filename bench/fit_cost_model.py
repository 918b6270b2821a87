#!/usr/bin/env python3
"""Offline fit of the cost model's efficiency constants to TensorRT-LLM calibration CSVs.

This is a line-for-line Python mirror of Sources/CostModel (same formulas, same names) used only
to search the constants; the fitted values are then written by hand into
Sources/CostModel/BuiltinGPUProfiles.swift and configs/gpus/*.json, and `make bench`
(bench/bench_cost.sh) re-checks them with the Swift binary itself.

usage: python3 bench/fit_cost_model.py CSV [CSV ...] [--free dense|moe|all] [--holdout]
  CSV        calibration files (columns model, gpu, precision, tp, isl, osl,
             total_output_tokens_per_s; optional attention_window = full|model, default full:
             trtllm-bench attends over the whole sequence); models must be in MODELS below
  --free     which constants the fit moves (the others stay at CURRENT, the shipped values):
             dense = the 10 dense constants, soft-L1 least squares on log throughput (default when
             no MoE row is given); moe = the two grouped-GEMM constants, a grid search minimising
             median + worst |error| of the MoE rows (default when MoE rows are given); all = every
             one by least squares
  --holdout  fit on the TP1-2 rows only and report the TP4-8 rows (out-of-sample check)
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
NAMES = DENSE + MOE
# The shipped values (configs/gpus/h100-sxm.json).
CURRENT = [0.534, 41, 0.90, 0.895, 0.80, 7.4e-6, 0.0, 50e-6, 0.657, 4.5, 0.74, 80]
LO = [0.2, 1, 0.5, 0.2, 0.1, 2e-6, 0, 0, 0.2, 4.5 - 1e-9, 0.3, 1]
HI = [0.8, 2048, 0.9, 0.9, 0.8, 30e-6, 20e-3, 50e-6, 1.0, 4.5 + 1e-9, 1.0, 4096]  # physical ceilings; reserve fixed


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


def predict(p, model, tp, isl, osl, windows="full", gpu=H100, wb=1.0, kvb=1.0):
    c = dict(zip(NAMES, p))
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
    pool = 0.95 * (gpu["memory"] - weights - c["reserveGiB"] * GIB)
    if pool <= 0:
        return float("nan"), 0
    B = max(1, min(math.floor(pool / kv_seq), 4096))
    tok = token_budget(B, isl, osl)
    iters = max(osl, B * seq / tok)
    M = B * seq / iters
    gen = B * osl / iters
    ctx = mean_cached_context(isl, osl, window)

    def gemm(din, dout, rows, wbytes=wb, pk=peak):
        if rows <= 0:
            return 0.0
        flops = 2 * rows * din * dout
        eff = c["gemmEff"] * rows / (rows + c["gemmHalfTokens"])
        byts = din * dout * wbytes + rows * (din + dout) * 2
        return max(flops / (pk * eff), byts / bw) + c["kernelFloor"]

    def allreduce(rows):
        if t == 1:
            return 0.0
        return c["arLatency"] + 2 * (t - 1) / t * rows * d * 2 / (gpu["link"] * c["arEff"])

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
    cycle = iters * it + B * pre
    return B * osl / cycle, B


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
    paths = [a for a in sys.argv[1:] if not a.startswith("--") and a not in ("dense", "moe", "all")]
    if not paths:
        print(__doc__)
        sys.exit(64)
    rows = load(paths)
    unknown = sorted({r[0] for r in rows if r[0] not in MODELS})
    if unknown:
        print(f"fit_cost_model.py: unknown models {unknown}; add them to MODELS")
        sys.exit(65)
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
