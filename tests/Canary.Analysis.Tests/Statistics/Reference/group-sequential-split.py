#!/usr/bin/python3
"""Independent reference for GroupSequentialSplitEvidence: the exact group-sequential test of the canary's share of
events with linear alpha spending, computed with SciPy's binomial densities over the full support (no trimming).
Writes group-sequential-split.json next to this script: for each case, per look, the critical value, the alpha spent
so far and whether the test crossed. Run: /usr/bin/python3 group-sequential-split.py"""
import json, os
import numpy as np
from scipy.stats import binom

def run(alpha, looks, observed):
    """observed: per look, a list of strata (canary_events, canary_trials, baseline_events, baseline_trials)."""
    f = np.array([1.0])  # P(X = x, not crossed), x = 0 ...
    x, spent, rows = 0, 0.0, []
    for k, strata in enumerate(observed, start=1):
        for (ce, ct, be, bt) in strata:
            e = ce + be
            if e == 0:
                continue
            s = ct / (ct + bt)
            f = np.convolve(f, binom.pmf(np.arange(e + 1), e, s))
            x += ce
        budget = alpha * k / looks - spent
        tail = np.cumsum(f[::-1])[::-1]  # P(X >= i)
        affordable = [i for i in range(len(f)) if tail[i] <= budget]
        c = affordable[0] if affordable else len(f)
        spent += tail[c] if c < len(f) else 0.0
        crossed = x >= c
        rows.append({"look": k, "critical": int(c), "spent": float(spent), "canaryEvents": int(x), "crossed": bool(crossed)})
        f = f[:c].copy() if c > 0 else np.array([0.0])
        if crossed or k == looks:
            break
    return rows

rng = np.random.default_rng(20261206)
cases = []
# A single stratum like /rare: 13 looks at 5 % share, a regression from look 4.
def draw(looks, strata_rates, share, p_canary, p_base, start_bad=0):
    obs = []
    for k in range(looks):
        look = []
        for (rate, pc, pb) in zip(strata_rates, p_canary, p_base):
            ct = int(rng.poisson(rate * share)); bt = int(rng.poisson(rate * (1 - share)))
            ce = int(rng.binomial(ct, pc if k >= start_bad else pb)); be = int(rng.binomial(bt, pb))
            look.append((ce, ct, be, bt))
        obs.append(look)
    return obs
cases.append({"name": "rare-regression", "alpha": 0.008, "looks": 13, "observed": draw(13, [18.0], 0.1, [0.5], [0.02], 1)})
cases.append({"name": "busy-healthy", "alpha": 0.02, "looks": 13, "observed": draw(13, [249.25] * 5, 0.05, [0.005] * 5, [0.005] * 5)})
cases.append({"name": "service-wide-regression", "alpha": 0.02, "looks": 13, "observed": draw(13, [18.0] + [249.25] * 24, 0.05, [0.01] * 25, [0.005] * 25)})
cases.append({"name": "shares-differ", "alpha": 0.05, "looks": 5, "observed": draw(5, [600.0, 60.0, 6000.0], 0.3, [0.02, 0.05, 0.001], [0.01, 0.05, 0.001])})
for case in cases:
    case["rows"] = run(case["alpha"], case["looks"], case["observed"])
here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "group-sequential-split.json"), "w") as out:
    json.dump(cases, out, indent=1)
for case in cases:
    print(case["name"], [(r["critical"], round(r["spent"], 6), r["crossed"]) for r in case["rows"]])
