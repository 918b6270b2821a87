#!/usr/bin/env python3
"""Reference answers for the NVlabs library search from HiGHS (scipy.optimize.milp, mip_rel_gap=0).

usage: python3 bench/highs_nvlabs.py LIBRARY.json MEMORY_MIB:RUNTIME_MS [MEMORY_MIB:RUNTIME_MS ...]
Prints one line per budget: "<memory> <runtime> <status> <sum kl_div> <seconds>".
Exits 3 with a message on stderr when scipy is missing (callers skip).
"""
import json
import sys
import time

try:
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import lil_matrix
except ImportError:
    print("highs_nvlabs.py: scipy is missing", file=sys.stderr)
    sys.exit(3)


def main():
    library = json.load(open(sys.argv[1]))
    layers = sorted(library, key=lambda k: int(k.split("_")[1]))
    values, memory, runtime, group = [], [], [], []
    for g, layer in enumerate(layers):
        for name, entry in library[layer].items():
            values.append(entry["metrics"]["kl_div"])
            memory.append(entry["stats"]["memory_mib"])
            runtime.append(entry["stats"]["runtime_ms"])
            group.append(g)
    n, G = len(values), len(layers)
    assign = lil_matrix((G, n))
    for j, g in enumerate(group):
        assign[g, j] = 1
    for budget in sys.argv[2:]:
        mem, run = (float(x) for x in budget.split(":"))
        constraints = [
            LinearConstraint(assign.tocsr(), 1, 1),
            LinearConstraint(np.array([memory, runtime]), -np.inf, [mem, run]),
        ]
        start = time.perf_counter()
        r = milp(np.array(values), constraints=constraints, integrality=np.ones(n), bounds=Bounds(0, 1),
                 options={"mip_rel_gap": 0, "time_limit": 120})
        seconds = time.perf_counter() - start
        status = "optimal" if r.status == 0 else ("infeasible" if r.status == 2 else f"status{r.status}")
        objective = r.fun if r.x is not None else float("nan")
        print(f"{mem} {run} {status} {objective!r} {seconds:.4f}", flush=True)


if __name__ == "__main__":
    main()
