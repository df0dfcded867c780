#!/usr/bin/python3
"""Reference vectors for BinomialConfidenceSequence, computed independently with SciPy.

The always-valid bounds solve betaln(1/2 + s, 1/2 + n - s) - betaln(1/2, 1/2) - s log q - (n - s) log(1 - q) = log(1/alpha)
(Robbins' Beta(1/2, 1/2) mixture) with brentq; the fixed-n Clopper-Pearson bound (beta.ppf) is the fixed-n limit the
always-valid bound must never be below. Run: /usr/bin/python3 generate-confidence-sequence.py > scipy-confidence-sequence.json
"""
import json
import math

import scipy
from scipy.optimize import brentq
from scipy.special import betaln
from scipy.stats import beta


def upper(s, n, alpha):
    f = n - s
    if n == 0 or f == 0:
        return 1.0
    target = betaln(0.5 + s, 0.5 + f) - betaln(0.5, 0.5) + math.log(alpha)

    def g(q):
        return (s * math.log(q) if s > 0 else 0.0) + f * math.log1p(-q) - target

    lo = s / n
    hi = math.nextafter(1.0, 0.0)
    return brentq(g, lo, hi, xtol=1e-300, rtol=4 * 2.220446049250313e-16, maxiter=500)


cases = []
for n in [1, 2, 5, 12, 50, 162, 1000, 12345, 1000000]:
    for s in sorted({0, 1, 2, n // 200, n // 20, n // 2, n - 1, n}):
        if s < 0 or s > n:
            continue
        for alpha in [0.05, 0.001, 0.3]:
            cp = 1.0 if s == n else float(beta.ppf(1 - alpha, s + 1, n - s))
            cases.append({
                "events": s, "trials": n, "alpha": alpha,
                "upper": upper(s, n, alpha),
                "lower": 1.0 - upper(n - s, n, alpha),
                "clopper_pearson_upper": cp,
            })

print(json.dumps({"scipy": scipy.__version__, "cases": cases}, indent=1))
