#!/usr/bin/env python3
"""Benchmark of `puzzle solve` against scipy.optimize.milp (HiGHS, mip_rel_gap=0).

usage: solver_bench.py PUZZLE_BINARY [--quick] [--only PARTS]

--only a,b,c,c+,d,e,c',f,g runs only those parts (b includes b'), e.g. --only e,f.

Runs, in this one Python process, our solver (through `puzzle solve` in batch mode: one CLI
process per part; its own per-problem `seconds` are the solve times) and HiGHS (wall time of each
`milp` call) on the same instances, and prints objective agreement and time ratios:
  (a) the shared NVlabs Llama-3.3-70B library (80 layers x 16 variants) as a 2-row problem
      (memory_mib, runtime_ms) at 12 budgets from 40% to 95% of the parent (both rows scaled);
  (b) synthetic 126-layer decoupled instances (attention 6 options, FFN 9 options = 252 groups),
      costs correlated with quality, 1, 2 and 4 rows;
  (c) 5 diverse solutions with d = 20 on (a)'s notebook budget (HiGHS is given our earlier
      solutions, so both solve the same k-th problem);
  (c+) the same at 27 settings (memory x runtime budgets x d): the spread of slowest / first child;
  (d) a 200-point frontier sweep of (a)'s memory row (ours only; every 20th point checked by HiGHS);
  (e) robustness: seeds 14-43 of the 4-row generator, jittered and shared costs (not with --quick);
  (c') diverse children on the demo library (its knapsack is dumped by `puzzle search` through the
      PUZZLE_KNAPSACK_DUMP hook, docs/solver.md); (c) and (c') check each child's least time over
      61 runs and print, as information, the median of each run's own slowest / first child;
  (f) many-row instances (Khan-style multiple-choice multi-dimensional knapsacks: 10 rows, 100-400
      groups x 10 items), both solvers at equal time limits, and every answer's time against its limit;
  (g) correlated random instances (values correlated with weights, 1-4 rows, 60-126 groups).
Skips cleanly (exit 0) when numpy/scipy are missing; (a), (c), (d) skip when ../shared is absent.
"""
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

try:
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import csr_matrix
except ImportError as exc:  # pragma: no cover
    print(f"solver bench: skipped ({exc}); install numpy and scipy to run it")
    sys.exit(0)

HIGHS_LIMIT_S = 60.0
OUR_LIMIT_S = 10.0  # our time limit per problem (then: best solution, proven bound, gap)
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LIBRARY = os.path.join(os.path.dirname(REPO), "shared", "data", "nvlabs-puzzle-llama-3.3-70b", "block_library.json")


def rel_diff(a, b):
    return abs(a - b) / max(1.0, abs(a), abs(b))


# ---------------------------------------------------------------- HiGHS
def highs(problem, earlier=(), min_different=0, time_limit=HIGHS_LIMIT_S):
    """Solves the problem with scipy's milp (HiGHS) at mip_rel_gap=0. Returns a dict (with the
    best solution found when the time limit stops it)."""
    groups, rows = problem["groups"], problem["rows"]
    G = len(groups)
    sign = 1.0 if problem.get("sense", "minimize") == "minimize" else -1.0
    c, owner, data_eq, cols = [], [], [], []
    for g, grp in enumerate(groups):
        for it in grp["items"]:
            owner.append(g)
            c.append(sign * it["value"])
    n = len(c)
    W = np.array([it["weights"] for grp in groups for it in grp["items"]], dtype=float).reshape(n, len(rows))
    A_eq = csr_matrix((np.ones(n), (np.array(owner), np.arange(n))), shape=(G, n))
    cons = [LinearConstraint(A_eq, 1, 1)]
    for r, row in enumerate(rows):
        lo = row.get("min", -np.inf)
        hi = row.get("max", np.inf)
        if np.isfinite(lo) or np.isfinite(hi):
            cons.append(LinearConstraint(W[:, r].reshape(1, n), lo, hi))
    starts = np.cumsum([0] + [len(g["items"]) for g in groups])
    for prev in earlier:
        a = np.zeros(n)
        for g, i in enumerate(prev):
            a[starts[g] + i] = 1
        cons.append(LinearConstraint(a.reshape(1, n), -np.inf, G - min_different))
    # HiGHS prints stray lines on the C stdout: silence fd 1 during the call.
    sys.stdout.flush()
    saved = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    t0 = time.perf_counter()
    res = milp(np.array(c), constraints=cons, integrality=np.ones(n), bounds=Bounds(0, 1),
               options={"mip_rel_gap": 0.0, "time_limit": time_limit, "presolve": True})
    seconds = time.perf_counter() - t0
    os.dup2(saved, 1)
    os.close(saved)
    os.close(devnull)
    out = {"seconds": seconds, "status": "infeasible" if res.status == 2 else
           ("optimal" if res.status == 0 else ("timeout" if res.status == 1 else f"status {res.status}"))}
    if res.x is not None and res.status in (0, 1):
        x = np.round(res.x).astype(int)
        choice = [int(np.argmax(x[starts[g]:starts[g + 1]])) for g in range(G)]
        out["choices"] = choice
        out["objective"] = sum(groups[g]["items"][i]["value"] for g, i in enumerate(choice))
    return out


# ---------------------------------------------------------------- ours
# Runs of each diverse-children problem (per child: the least time). 21 since round 22: with 7,
# (c')'s child 3 read 28.7 and 18.3 ms in two runs minutes apart (its least over 50 runs: 17-18 ms)
# while child 1 read 3.7 ms in both; a longer child is more often caught by this shared machine's
# stalls, which tilts the slowest/first ratio. 61 since round 25: six batches of 21 runs gave (c')
# slowest/first x4.69-x5.07, six of 61 minutes later x4.53-x4.78 (the same binary); the least of
# 21 had not settled (a run of (c') takes ~70 ms, so 61 runs add ~3 s to the part).
DIVERSE_RUNS = 61


def ours(problems):
    """Solves a list of problems in one `puzzle solve` process; returns (answers, wall seconds)."""
    problems = [dict(p, timeLimitSeconds=p.get("timeLimitSeconds", OUR_LIMIT_S)) for p in problems]
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(problems, f)
        path = f.name
    try:
        t0 = time.perf_counter()
        proc = subprocess.run([BIN, "solve", path], capture_output=True, text=True)
        wall = time.perf_counter() - t0
    finally:
        os.unlink(path)
    if proc.returncode != 0:
        sys.exit(f"puzzle solve failed ({proc.returncode}): {proc.stderr.strip()}")
    return json.loads(proc.stdout), wall


def compare(label, problems, names, ours_answers):
    """Runs HiGHS on each problem and prints one line per instance; returns the ratios."""
    ratios, agree, rows, unproven = [], True, [], []
    for name, p, a in zip(names, problems, ours_answers):
        h = highs(p)
        ours_done = a["status"] in ("optimal", "infeasible")
        same = a["status"] == h["status"]
        if a["status"] == "optimal" and h["status"] == "optimal":
            same = rel_diff(a["objective"], h["objective"]) <= 1e-9
        if h["status"] != "timeout" and ours_done:
            agree &= same
        if not ours_done:
            unproven.append(name)
        ratio = h["seconds"] / max(a["seconds"], 1e-9)
        if h["status"] != "timeout":
            ratios.append(ratio)
        ours_obj = "-" if a.get("objective") is None else f"{a['objective']:.10g}"
        if a["status"] == "feasible":
            ours_obj += f" (gap {a['gap']:.1e})"
        highs_obj = "-" if h.get("objective") is None else f"{h['objective']:.10g}"
        print(f"  {name:<22} ours {a['status']:<10} {ours_obj:>15} {a['seconds']*1000:9.2f} ms {a['nodes']:>8} nodes"
              f" | HiGHS {h['status']:<10} {highs_obj:>15} {h['seconds']*1000:10.1f} ms | "
              f"{('same' if same else 'DIFFERENT') if ours_done else 'OURS NOT PROVEN (time limit)'} x{ratio:,.0f}")
    med = statistics.median(ratios) if ratios else float("nan")
    if unproven:
        print(f"  {label}: NOT proven optimal by us within {OUR_LIMIT_S:.0f} s: {', '.join(unproven)}")
    print(f"  {label}: objectives {'identical' if agree else 'DIFFER'} wherever both finished; "
          f"median speed-up x{med:,.0f} (HiGHS wall / our solve seconds)")
    return ratios, agree


# ---------------------------------------------------------------- instances
def nvlabs_problem(mem_max, run_max):
    lib = json.load(open(LIBRARY))
    groups = []
    for layer, variants in lib.items():
        items = [{"name": k, "value": v["metrics"]["kl_div"],
                  "weights": [v["stats"]["memory_mib"], v["stats"]["runtime_ms"]]} for k, v in variants.items()]
        groups.append({"name": layer, "items": items})
    return {"sense": "minimize", "groups": groups,
            "rows": [{"name": "memory_mib", "max": mem_max}, {"name": "runtime_ms", "max": run_max}]}


def parent_totals():
    lib = json.load(open(LIBRARY))
    mem = sum(max(v["stats"]["memory_mib"] for v in variants.values()) for variants in lib.values())
    run = sum(max(v["stats"]["runtime_ms"] for v in variants.values()) for variants in lib.values())
    return mem, run


def synthetic(seed, n_rows, layers=126, shared=False):
    """126 layers, attention and FFN decoupled: 252 groups of 6 and 9 options. Quality loss
    grows as an option shrinks (per-layer sensitivity, noise); every cost row shrinks with it.
    shared=True: every layer's costs are the same per option (as a cost model gives them for a
    homogeneous parent); only the quality losses differ per layer."""
    rng = np.random.default_rng(seed)
    jit = (lambda lo, hi: 1.0) if shared else (lambda lo, hi: rng.uniform(lo, hi))
    attn_frac = np.array([1.0, 0.5, 0.25, 0.125, 0.06, 0.0])          # kv heads share; last = no-op
    ffn_frac = np.array([1.0, 0.875, 0.75, 0.625, 0.5, 0.375, 0.25, 0.1, 0.0])
    groups = []
    for layer in range(layers):
        sens_a = rng.lognormal(-3.0, 1.0) * (2.0 if layer in (0, layers - 1) else 1.0)
        sens_f = rng.lognormal(-2.5, 1.0) * (2.0 if layer in (0, layers - 1) else 1.0)
        for kind, fracs, sens in (("attn", attn_frac, sens_a), ("ffn", ffn_frac, sens_f)):
            items = []
            for k, f in enumerate(fracs):
                loss = 0.0 if k == 0 else sens * (1 - f) ** 1.5 * rng.uniform(0.7, 1.3) + (sens if f == 0 else 0)
                if kind == "attn":
                    params = (0.5 + 0.5 * f) * 40.0 * (f > 0) * jit(0.97, 1.03)
                    runtime = (1.0 + 3.0 * f) * (f > 0) * jit(0.9, 1.1)
                    kv = 8.0 * f
                    prefill = (2.0 + 4.0 * f) * (f > 0) * jit(0.9, 1.1)
                else:
                    params = 200.0 * f * jit(0.97, 1.03)
                    runtime = 5.0 * f * jit(0.9, 1.1)
                    kv = 0.0
                    prefill = 4.0 * f * jit(0.9, 1.1)
                w = [round(params, 4), round(runtime, 4), round(kv, 4), round(prefill, 4)][:n_rows]
                items.append({"name": f"{kind}{k}", "value": round(loss, 8), "weights": w})
            groups.append({"name": f"{kind}_{layer}", "items": items})
    parent = [sum(max(it["weights"][r] for it in g["items"]) for g in groups) for r in range(n_rows)]
    budget = [0.60, 0.55, 0.45, 0.70][:n_rows]
    jitter = rng.uniform(0.95, 1.05, n_rows)
    names = ["params", "runtime", "kv_cache", "prefill"]
    rows = [{"name": names[r], "max": round(parent[r] * budget[r] * jitter[r], 3)} for r in range(n_rows)]
    return {"sense": "minimize", "groups": groups, "rows": rows}


def mmkp(seed, groups, items=10, rows=10):
    """Khan-style multiple-choice multi-dimensional knapsack (the shape of the I07-I13 instances of
    Khan, Li, Manning and Abbas 2002, used by Moser et al., Hifi et al., Chen and Hao): every
    item's weight in every row uniform in {0..9} (R_c = 10), its value the sum of its weights plus
    a uniform {0..19} (values correlated with weights), every capacity R_c * groups / 2; maximise."""
    rng = np.random.default_rng(seed)
    w = rng.integers(0, 10, size=(groups, items, rows))
    v = w.sum(axis=2) + rng.integers(0, 20, size=(groups, items))
    gs = [{"name": f"g{g}", "items": [{"name": f"i{i}", "value": int(v[g, i]), "weights": [int(x) for x in w[g, i]]}
                                     for i in range(items)]} for g in range(groups)]
    return {"sense": "maximize", "groups": gs, "rows": [{"name": f"r{r}", "max": 5 * groups} for r in range(rows)]}


def correlated(seed, groups, items, rows):
    """Random correlated instances (the classic hard case; every group different): every weight
    uniform in [1, 1000] (0.1 steps), every value the item's mean weight plus a uniform [-50, 50]
    (0.01 steps); every capacity a fraction of the sum over groups of the mean weight, 0.5 for one
    or two rows, 0.6 for three, 0.65 for four (at 0.5 four independent rows are infeasible);
    maximise."""
    rng = np.random.default_rng(seed)
    w = rng.uniform(1, 1000, size=(groups, items, rows)).round(1)
    v = (w.mean(axis=2) + rng.uniform(-50, 50, size=(groups, items))).round(2)
    gs = [{"name": f"g{g}", "items": [{"name": f"i{i}", "value": float(v[g, i]), "weights": [float(x) for x in w[g, i]]}
                                     for i in range(items)]} for g in range(groups)]
    fraction = {1: 0.5, 2: 0.5, 3: 0.6, 4: 0.65}[rows]
    cap = (w.mean(axis=1).sum(axis=0) * fraction).round(1)
    return {"sense": "maximize", "groups": gs, "rows": [{"name": f"r{r}", "max": float(cap[r])} for r in range(rows)]}


def least_of_runs(label, q, n):
    """Runs the diverse problem q n times; returns its children (each child's seconds the least
    over the runs; the children themselves must be the same in every run), the least CLI wall and
    the median over the runs of each run's slowest child / first child."""
    runs = [ours([q]) for _ in range(n)]
    per_run = [max(x["seconds"] for x in r[0]["solutions"]) / max(r[0]["solutions"][0]["seconds"], 1e-9) for r, _ in runs]
    sols = runs[0][0][0]["solutions"]
    for other, _ in runs[1:]:
        again = other[0]["solutions"]
        if [x.get("choices") for x in again] != [x.get("choices") for x in sols]:
            sys.exit(f"{label}: the children differ between runs")
        for a, b in zip(sols, again):
            a["seconds"] = min(a["seconds"], b["seconds"])
    return sols, min(w for _, w in runs), statistics.median(per_run)


def diverse_children(label, problem, count, d, checks):
    """Our diverse children against HiGHS on the same k-th problems (HiGHS gets our earlier
    children); prints and checks: every child proven optimal and identical to HiGHS, the slowest
    no slower than 5x the first, each at least 10x faster than HiGHS; returns the ratios, whether
    all agreed, and our children."""
    q = dict(problem)
    q["diversity"] = {"solutions": count, "minDifferent": d}
    q["timeLimitSeconds"] = OUR_LIMIT_S
    # Per-child times are a few milliseconds: one run on a shared machine can make any child (the
    # first too) several times slower, so each child's time is the least of DIVERSE_RUNS runs (the
    # children themselves must be the same in every run).
    sols, wall, per_run_ratio = least_of_runs(label, q, DIVERSE_RUNS)
    earlier, ratios, agree, times = [], [], True, []
    for k, a in enumerate(sols):
        h = highs(problem, earlier=earlier, min_different=d)
        same = a["status"] == h["status"] and (a["status"] != "optimal" or rel_diff(a["objective"], h["objective"]) <= 1e-9)
        proven = a["status"] in ("optimal", "infeasible")
        if proven and h["status"] != "timeout":
            agree &= same
        ratio = h["seconds"] / max(a["seconds"], 1e-9)
        ratios.append(ratio)
        times.append(a["seconds"])
        tag = "same" if same else ("OURS NOT PROVEN" if not proven else "DIFFERENT")
        print(f"  child {k + 1}: ours {a['status']} {a.get('objective')} {a['seconds']*1000:.2f} ms {a['nodes']} nodes"
              f" | HiGHS {h['status']} {h.get('objective')} {h['seconds']*1000:.1f} ms | {tag} x{ratio:,.0f}")
        if a["status"] in ("optimal", "feasible"):
            earlier.append(a["choices"])
        agree &= proven
    slowest = max(times) / max(times[0], 1e-9)
    print(f"  {label}: every child proven and identical: {'yes' if agree else 'NO'}; slowest child / first x{slowest:.1f}"
          f" (floor <= 5: {'met' if slowest <= 5 else 'NOT met'}); least speed-up over HiGHS x{min(ratios):,.0f}"
          f" (floor >= 10: {'met' if min(ratios) >= 10 else 'NOT met'}); CLI wall {wall*1000:.0f} ms")
    # The floor reads each child's least time; a run's own slowest/first (both children under the
    # same load) is printed beside it, not checked: on a noisy 2-vCPU VM a long child reaches its
    # least time less often than a short one ((c') 17 ms against 3.5 ms: the two figures differed
    # by up to 0.8 in docs/benchmarks.md's round 26).
    print(f"  {label}: median over the {DIVERSE_RUNS} runs of a run's slowest child / first x{per_run_ratio:.1f} (information)")
    checks.append((label, agree and slowest <= 5 and min(ratios) >= 10))
    return ratios, agree, sols


# ---------------------------------------------------------------- main
if len(sys.argv) < 2:
    sys.exit("usage: solver_bench.py PUZZLE_BINARY [--quick] [--only a,b,c,c+,d,e,c',f,g]")
BIN = os.path.abspath(sys.argv[1])
QUICK = "--quick" in sys.argv
ONLY = set(sys.argv[sys.argv.index("--only") + 1].split(",")) if "--only" in sys.argv[:-1] else None


def part(name):
    """Whether part `name` runs (all without --only)."""
    return ONLY is None or name in ONLY


summary = []
floors = []  # (label, met) for the floors of issue 16

if part("a") and os.path.exists(LIBRARY):
    pm, pr = parent_totals()
    print(f"(a) NVlabs Llama-3.3-70B library, 80 x 16, rows memory_mib + runtime_ms; parent {pm:,.1f} MiB, {pr:,.1f} ms")
    fractions = [0.40 + k * (0.95 - 0.40) / 11 for k in range(12)]
    probs = [nvlabs_problem(round(pm * f, 3), round(pr * f, 3)) for f in fractions]
    probs.append(nvlabs_problem(80000, 51200))
    names = [f"budget {f:.0%}" for f in fractions] + ["notebook 80000/51200"]
    answers, wall = ours(probs)
    ratios, agree = compare("(a)", probs, names, answers)
    print(f"  our CLI process wall time for all {len(probs)} problems: {wall*1000:.1f} ms "
          f"(sum of solve seconds {sum(a['seconds'] for a in answers)*1000:.2f} ms)")
    summary.append(("(a) NVlabs 2 rows", ratios, agree))
elif part("a"):
    print(f"(a) skipped: {LIBRARY} not found")

def synthetic_part(label, title, n_rows, shared):
    """Solves seeds 11-13 of the synthetic generator with both solvers; prints and records them."""
    seeds = [11, 12, 13] if not QUICK else [11]
    probs = [synthetic(s, n_rows, shared=shared) for s in seeds]
    print(title)
    answers, wall = ours(probs)
    ratios, agree = compare(f"{label} {n_rows} rows", probs, [f"seed {s}" for s in seeds], answers)
    print(f"  our CLI process wall time for {len(probs)} problems: {wall*1000:.1f} ms; "
          f"max solve {max(a['seconds'] for a in answers)*1000:.2f} ms; "
          f"proven optimal: {sum(a['status'] == 'optimal' for a in answers)}/{len(answers)}, "
          f"of which under 1 s: {sum(a['status'] == 'optimal' and a['seconds'] < 1 for a in answers)}")
    summary.append((f"{label} {'shared costs' if shared else 'synthetic'} {n_rows} row(s)", ratios, agree))


def robustness_part(shared):
    """(e): seeds 14-43 of the 4-row generator, to show the spread behind seeds 11-13."""
    seeds = list(range(14, 44))
    probs = [synthetic(s, 4, shared=shared) for s in seeds]
    kind = "costs identical per layer shape (b')" if shared else "jittered costs (b)"
    print(f"(e) 4 rows, {kind}, seeds 14-43")
    answers, wall = ours(probs)
    ratios, agree = compare(f"(e) {kind}", probs, [f"seed {s}" for s in seeds], answers)
    times = sorted(a["seconds"] for a in answers)
    proven = sum(a["status"] == "optimal" for a in answers)
    under = sum(a["status"] == "optimal" and a["seconds"] < 1 for a in answers)
    print(f"  (e) {kind}: proven optimal {proven}/{len(answers)}, under 1 s {under}/{len(answers)}; "
          f"our median {statistics.median(times)*1000:.1f} ms, max {times[-1]*1000:.1f} ms; CLI wall {wall:.1f} s")
    summary.append((f"(e) 4 rows {'shared' if shared else 'jittered'} x30", ratios, agree))
    floors.append((f"(e) {'shared' if shared else 'jittered'}: all 30 proven, each under 1 s", under == len(answers)))


for n_rows in ((1, 2, 4) if part("b") else ()):
    synthetic_part("(b)", f"(b) synthetic 126 layers (252 groups, 1,890 items), {n_rows} row(s)", n_rows, False)
for n_rows in ((2, 4) if part("b") else ()):
    synthetic_part("(b')", f"(b') the same generator with costs identical per layer shape (cost-model rows), {n_rows} rows",
                   n_rows, True)

if part("c") and os.path.exists(LIBRARY):
    print("(c) 5 diverse children, d = 20, NVlabs library at memory <= 80000, runtime <= 51200")
    ratios, agree, _ = diverse_children("(c)", nvlabs_problem(80000, 51200), 5, 20, floors)
    summary.append(("(c) diversity d=20", ratios, agree))

def diverse_sweep():
    """(c+): the same 5 diverse children at 27 other settings (memory <= 70000 / 75000 / 80000 MiB,
    runtime <= 45000 / 51200 / 60000 ms, d = 10 / 20 / 30): not a floor of issue 16 (that is (c)'s
    notebook setting) but the spread a user meets. Per child the least of 3 runs; HiGHS checks every
    5th child (given our first four)."""
    print("(c+) 5 diverse children on the NVlabs library at 27 settings (memory x runtime x d); ours least of 3 runs,"
          " HiGHS checks each 5th child")
    slowest, agree, total_ms = [], True, 0.0
    for mem in (70000, 75000, 80000):
        for run in (45000, 51200, 60000):
            for d in (10, 20, 30):
                base = nvlabs_problem(mem, run)
                q = dict(base, diversity={"solutions": 5, "minDifferent": d}, timeLimitSeconds=OUR_LIMIT_S)
                sols, _, _ = least_of_runs(f"(c+) mem {mem} run {run} d {d}", q, 3)
                times = [x["seconds"] for x in sols]
                proven = all(x["status"] == "optimal" for x in sols) and len(sols) == 5
                h = highs(base, earlier=[x["choices"] for x in sols[:4]], min_different=d) if proven else {"status": "-"}
                same = proven and h["status"] == "optimal" and rel_diff(sols[4]["objective"], h["objective"]) <= 1e-9
                agree &= same
                ratio = max(times) / max(times[0], 1e-9)
                slowest.append(ratio)
                total_ms += sum(times) * 1000
                print(f"  mem {mem} run {run} d {d}: " + " / ".join(f"{t*1000:.2f}" for t in times) + " ms, states "
                      + " / ".join(str(x["nodes"]) for x in sols) + f" | slowest / first x{ratio:.1f} | 5th child "
                      + ("same as HiGHS" if same else "NOT PROVEN OR DIFFERENT"))
    slowest.sort()
    print(f"  (c+): every child proven, every 5th child identical to HiGHS: {'yes' if agree else 'NO'}; slowest / first:"
          f" median x{statistics.median(slowest):.1f}, worst x{slowest[-1]:.1f}, {sum(r <= 5 for r in slowest)} of"
          f" {len(slowest)} settings <= 5; all children {total_ms:.0f} ms")
    summary.append(("(c+) diversity, 27 settings", [], agree))


if part("c+") and os.path.exists(LIBRARY):
    diverse_sweep()

if part("d") and os.path.exists(LIBRARY):
    print("(d) 200-point frontier sweep of (a): memory_mib max from 40% to 95% of the parent, runtime_ms <= 51200")
    pm, pr = parent_totals()
    caps = [round(pm * (0.40 + k * 0.55 / 199), 3) for k in range(200)]
    q = nvlabs_problem(pm, 51200)
    q["sweep"] = {"row": "memory_mib", "max": caps}
    answers, wall = ours([q])
    pts = answers[0]["sweep"]
    total = sum(a["seconds"] for a in pts)
    feasible = sum(1 for a in pts if a["status"] == "optimal")
    print(f"  {len(pts)} points ({feasible} optimal, {len(pts) - feasible} infeasible): sum of solve seconds "
          f"{total*1000:.1f} ms; CLI process wall {wall*1000:.1f} ms")
    agree = True
    for k in range(0, 200, 20 if not QUICK else 66):
        h = highs(nvlabs_problem(caps[k], 51200))
        a = pts[k]
        same = a["status"] == h["status"] and (a["status"] != "optimal" or rel_diff(a["objective"], h["objective"]) <= 1e-9)
        agree &= same
        print(f"    memory <= {caps[k]:>11,.1f}: ours {a['status']} {a.get('objective')} | HiGHS {h['status']} "
              f"{h.get('objective')} {h['seconds']*1000:.0f} ms | {'same' if same else 'DIFFERENT'}")
    summary.append(("(d) sweep 200 points", [], agree))

if not QUICK and part("e"):
    robustness_part(False)
    robustness_part(True)

def demo_diversity():
    """(c'): the knapsack behind `puzzle search --library demo --speedup 2.2 --diverse 3
    --min-different 10` (llama-3.1-70b demo library, H100 FP8, 128/1024, TP and batch searched),
    written by the solver's PUZZLE_KNAPSACK_DUMP hook during a short search, then solved alone."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "demo.json")
        env = dict(os.environ, PUZZLE_KNAPSACK_DUMP=path)
        proc = subprocess.run([BIN, "search", "--library", "demo", "--speedup", "2.2", "--diverse", "3", "--min-different", "10",
                               "--time-limit", "0.01", "--quiet", "--format", "json"], capture_output=True, text=True, env=env)
        if proc.returncode != 0 or not os.path.exists(path):
            print(f"(c') skipped: the demo search did not write its knapsack ({proc.returncode}: {proc.stderr.strip()[:200]})")
            return
        problem = json.load(open(path))
    d = problem.pop("diversity")
    print(f"(c') 3 diverse children, d = 10, demo library (llama-3.1-70b, speedup 2.2): {len(problem['groups'])} groups, "
          f"{len(problem['rows'])} rows")
    ratios, agree, sols = diverse_children("(c')", problem, d["solutions"], d["minDifferent"], floors)
    summary.append(("(c') demo diversity d=10", ratios, agree))
    difference_rows(problem, sols, d["solutions"], d["minDifferent"])


def difference_rows(problem, sols, count, d):
    """The last diverse child's problem written with the earlier children (`sols`, ours) as problem
    rows (weight 1 on the earlier child's item, at most G - d), as a user may write it: it should
    solve as fast as the diverse path's child (the rows are counted per state, not typed), and agree
    with it."""
    if len(sols) < count or any(x["status"] != "optimal" for x in sols):
        print("  (c') as problem rows: skipped (not every diverse child is optimal)")
        return
    G = len(problem["groups"])
    plain = {"sense": problem.get("sense", "minimize"), "timeLimitSeconds": OUR_LIMIT_S,
             "rows": list(problem["rows"]) + [{"name": f"differ{k}", "max": G - d} for k in range(count - 1)],
             "groups": [{"name": grp["name"], "items": [dict(it, weights=list(it["weights"]) + [1.0 if sols[k]["choices"][g] == i else 0.0
                                                                                           for k in range(count - 1)])
                                                        for i, it in enumerate(grp["items"])]}
                        for g, grp in enumerate(problem["groups"])]}
    best = None
    for _ in range(DIVERSE_RUNS):
        a = ours([plain])[0][0]
        best = a if best is None or a["seconds"] < best["seconds"] else best
    h = highs(plain)
    same = best["status"] == "optimal" and rel_diff(best["objective"], sols[-1]["objective"]) <= 1e-9
    print(f"  child {count} with the earlier children as problem rows: ours {best['status']} {best.get('objective')} "
          f"{best['seconds']*1000:.2f} ms {best['nodes']} nodes | HiGHS {h['status']} {h.get('objective')} {h['seconds']*1000:.1f} ms"
          f" | {'same as the diverse child' if same else 'DIFFERENT FROM THE DIVERSE CHILD'}")


def many_rows():
    """(f): Khan-style 10-row instances, both solvers at equal time limits; our answer time against
    its limit (the solver's own seconds, and the whole CLI process for one problem)."""
    sizes = [100, 200, 400]
    limits = [1.0, 10.0] if not QUICK else [1.0]
    print(f"(f) many rows: Khan-style 10 rows x 10 items, groups {sizes}, time limits {limits} s (maximise)")
    at_least, within = True, True
    for groups in sizes:
        p = mmkp(1, groups)
        for limit in limits:
            q = dict(p, timeLimitSeconds=limit)
            answers, wall = ours([q])
            a = answers[0]
            h = highs(p, time_limit=limit)
            ok = a.get("objective") is not None and (h.get("objective") is None or a["objective"] >= h["objective"] - 1e-9)
            late = a["seconds"] - limit
            at_least &= ok
            within &= late <= 0.05
            print(f"  {groups} groups, limit {limit:g} s: ours {a['status']} {a.get('objective')} (bound {a.get('bound', float('nan')):.1f})"
                  f" {a['seconds']*1000:.1f} ms (CLI wall {wall*1000:.0f} ms) | HiGHS {h['status']} {h.get('objective')}"
                  f" {h['seconds']*1000:.0f} ms | {'ours >= HiGHS' if ok else 'OURS WORSE'}; over the limit by {late*1000:+.1f} ms")
    # Tiny limits on the largest instance: the answer must come within the limit + 50 ms.
    p = mmkp(1, 400)
    for limit in (0.001, 0.01, 0.1):
        answers, wall = ours([dict(p, timeLimitSeconds=limit)])
        a = answers[0]
        late = a["seconds"] - limit
        within &= late <= 0.05
        print(f"  400 groups, limit {limit:g} s: ours {a['status']} {a.get('objective')} after {a['seconds']*1000:.1f} ms"
              f" (over by {late*1000:+.1f} ms; CLI wall {wall*1000:.0f} ms)")
    print(f"  (f): our incumbent >= HiGHS's at every limit: {'met' if at_least else 'NOT met'}; every answer within its"
          f" limit + 50 ms: {'met' if within else 'NOT met'}")
    floors.append(("(f) many rows, incumbent >= HiGHS", at_least))
    floors.append(("(f) every answer within limit + 50 ms", within))


def correlated_part():
    """(g): correlated random instances, 1-4 rows, 60-126 groups, both at gap 0."""
    shapes = [(126, 9, 1), (100, 10, 1), (126, 9, 2), (80, 12, 2), (60, 10, 3), (60, 10, 4)]
    if QUICK:
        shapes = shapes[:3]
    print("(g) correlated random instances (groups x items x rows), seed 1, gap 0 (maximise)")
    probs = [correlated(1, g, i, r) for (g, i, r) in shapes]
    answers, wall = ours([dict(p, timeLimitSeconds=HIGHS_LIMIT_S) for p in probs])
    ratios, agree, slower = [], True, []
    for shape, p, a in zip(shapes, probs, answers):
        h = highs(p)
        proven = a["status"] == "optimal"
        same = proven and h["status"] == "optimal" and rel_diff(a["objective"], h["objective"]) <= 1e-9
        if h["status"] == "optimal":
            agree &= same
        ratio = h["seconds"] / max(a["seconds"], 1e-9)
        ratios.append(ratio)
        if a["seconds"] > h["seconds"] or not proven:
            slower.append(shape)
        print(f"  {shape[0]} x {shape[1]} x {shape[2]}: ours {a['status']} {a.get('objective')} {a['seconds']*1000:.1f} ms"
              f" {a['nodes']} nodes | HiGHS {h['status']} {h.get('objective')} {h['seconds']*1000:.0f} ms |"
              f" {'same' if same else ('HiGHS not proven' if h['status'] != 'optimal' else 'DIFFERENT/NOT PROVEN')} x{ratio:,.1f}")
    med = statistics.median(ratios)
    print(f"  (g): identical optima where HiGHS finished: {'yes' if agree else 'NO'}; median speed-up x{med:,.1f} (floor >= 10:"
          f" {'met' if med >= 10 else 'NOT met'}); slower than HiGHS or not proven: {slower if slower else 'none'}")
    floors.append(("(g) correlated: identical, median >= x10, none slower", agree and med >= 10 and not slower))
    summary.append(("(g) correlated", ratios, agree))


if part("c'"):
    demo_diversity()
if part("f"):
    many_rows()
if part("g"):
    correlated_part()

print("summary:")
for label, ratios, agree in summary:
    med = f"median x{statistics.median(ratios):,.0f}" if ratios else ""
    print(f"  {label:<26} objectives {'identical' if agree else 'DIFFER'} {med}")
print("floors of issue 16:")
for label, met in floors:
    print(f"  {label:<52} {'met' if met else 'NOT met'}")
