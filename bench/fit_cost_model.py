#!/usr/bin/env python3
"""Offline fit of the cost model's efficiency constants to the TensorRT-LLM calibration CSV.

This is a line-for-line Python mirror of Sources/CostModel (same formulas, same names) used only
to search the constants; the fitted values are then written by hand into
Sources/CostModel/BuiltinGPUProfiles.swift and configs/gpus/*.json, and `make bench`
(bench/bench_cost.sh) re-checks them with the Swift binary itself.

usage: python3 bench/fit_cost_model.py ../shared/data/calibration/trtllm-h100-fp8.csv [--holdout]
  --holdout: fit on the TP1-2 rows only and report the TP4-8 rows (out-of-sample check).
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
ATTN_HALF = 128  # tokens: flash-attention tile; prefill attention efficiency = eff * L / (L + 128)

# H100 SXM datasheet numbers (not fitted).
H100 = dict(
    memory=81559 * 1024 ** 2, hbm=3.35e12, fp8=1979e12, bf16=989e12, link=450e9,
)

MODELS = {
    # d, heads, kv, headDim, ffn, layers, vocab
    "Llama-3.1-8B": (4096, 32, 8, 128, 14336, 32, 128256),
    "Llama-3.1-70B": (8192, 64, 8, 128, 28672, 80, 128256),
}

NAMES = ["gemmEff", "gemmHalfTokens", "hbmEff", "attnDecodeEff", "attnPrefillEff",
         "kernelFloor", "iterOverhead", "arLatency", "arEff", "reserveGiB"]


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


def predict(p, model, tp, isl, osl, gpu=H100, wb=1.0, kvb=1.0, peak=None):
    c = dict(zip(NAMES, p))
    d, h, kv, e, n, L, V = MODELS[model]
    peak = peak or gpu["fp8"]
    t = tp
    kvh = math.ceil(kv / t)
    attn_w = (2 * d * h * e + 2 * d * kv * e) / t  # elements per GPU (q,o sharded; kv sharded)
    attn_w = (2 * d * h * e) / t + 2 * d * kvh * e
    ffn_w = 3 * d * n / t
    layer_params = L * (attn_w + ffn_w + 2 * d)
    head_bytes = 2 * V * d * 2 / t  # embeddings + LM head stay BF16, vocab-parallel
    weights = layer_params * wb + head_bytes
    kv_tok = L * 2 * kvh * e * kvb
    free = gpu["memory"] - weights - c["reserveGiB"] * GIB
    kv_cap = 0.95 * free
    if kv_cap <= 0:
        return float("nan"), 0
    b_mem = math.floor(kv_cap / (kv_tok * (isl + osl)))
    B = max(1, min(b_mem, 4096))
    bs_cap, tok_cap = finetune(B, isl, osl)
    iters = max(osl, B * (isl + osl) / tok_cap)
    M = B * (isl + osl) / iters
    gen = B * osl / iters
    ctx = isl + osl / 2

    def gemm(din, dout, m, wbytes=wb, pk=peak):
        flops = 2 * m * din * dout
        eff = c["gemmEff"] * m / (m + c["gemmHalfTokens"])
        byts = din * dout * wbytes + m * (din + dout) * 2
        return max(flops / (pk * eff), byts / (gpu["hbm"] * c["hbmEff"])) + c["kernelFloor"]

    def allreduce(m):
        if t == 1:
            return 0.0
        payload = m * d * 2
        return c["arLatency"] + 2 * (t - 1) / t * payload / (gpu["link"] * c["arEff"])

    attn = gemm(d, (h / t + 2 * kvh) * e, M) + gemm(h / t * e, d, M) + 2 * c["kernelFloor"]
    attn += gen * ctx * 2 * kvh * e * kvb / (gpu["hbm"] * c["attnDecodeEff"])
    attn += allreduce(M)
    ffn = gemm(d, 2 * n / t, M) + gemm(n / t, d, M) + 2 * c["kernelFloor"] + allreduce(M)
    lm = gemm(d, V / t, gen, 2.0, gpu["bf16"])  # LM head stays BF16
    it = L * (attn + ffn) + lm + c["iterOverhead"]
    # prefill attention core (flash attention, causal): 4 h e L^2 / 2 FLOPs per sequence and layer
    pre = L * 4 * (h / t) * e * isl * isl / 2 / (peak * c["attnPrefillEff"] * isl / (isl + ATTN_HALF))
    cycle = iters * it + B * pre
    return B * osl / cycle, B


def load(path):
    rows = []
    with open(path) as f:
        for r in csv.DictReader(f):
            rows.append((r["model"], int(r["tp"]), int(r["isl"]), int(r["osl"]), float(r["total_output_tokens_per_s"])))
    return rows


P0 = [0.55, 64, 0.85, 0.6, 0.4, 4e-6, 1e-4, 8e-6, 0.7, 4.5]
LO = [0.2, 1, 0.5, 0.2, 0.1, 2e-6, 0, 0, 0.2, 4.5 - 1e-9]
HI = [0.8, 2048, 0.9, 0.9, 0.8, 30e-6, 20e-3, 50e-6, 1.0, 4.5 + 1e-9]  # physical ceilings; reserve fixed


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
