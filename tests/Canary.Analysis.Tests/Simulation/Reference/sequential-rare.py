#!/usr/bin/python3
"""Where the rare endpoint's detection goes (DESIGN's /rare: 0.3 req/s, 5 % canary, 0.5 % -> 25 % errors, 13 looks a
minute apart). Compares, at the same boundary 1/alpha, the e-value SequentialErrorRateCheck uses (conditional on each
look's total errors, so the baseline's rate need not be known) with the same mixture when the baseline's rate is known
exactly. The gap to InformationBound (most powerful fixed-sample test) is the price of looking every minute with
an always-valid test; the gap between the two columns is the price of not knowing the baseline's rate.
Needs numpy (Debian: python3-numpy). Run: /usr/bin/python3 sequential-rare.py"""
import numpy as np

rng = np.random.default_rng(5)
RUNS, LOOKS, CANARY_PER_MIN, BASELINE_PER_MIN, P0 = 20000, 13, 0.9, 17.1, 0.005


def grid(lo, hi, n=24):
    return np.exp(np.linspace(np.log(lo), np.log(hi), n))


for p1 in [0.25, 0.005]:
    for boundary in [200, 100, 20]:
        rho = grid(1.25, 100)
        pj = np.minimum(rho * P0, 0.99)
        conditional = np.zeros((RUNS, len(rho)))
        known = np.zeros((RUNS, len(rho)))
        crossed_c = np.zeros(RUNS, bool)
        crossed_k = np.zeros(RUNS, bool)
        for _ in range(LOOKS):
            nc = rng.poisson(CANARY_PER_MIN, RUNS)
            nb = rng.poisson(BASELINE_PER_MIN, RUNS)
            kc = rng.binomial(nc, p1)
            kb = rng.binomial(nb, P0)
            share = nc / np.maximum(nc + nb, 1)
            conditional += kc[:, None] * np.log(rho) - (kc + kb)[:, None] * np.log1p(share[:, None] * (rho - 1))
            known += kc[:, None] * np.log(pj / P0) + (nc - kc)[:, None] * np.log((1 - pj) / (1 - P0))
            crossed_c |= np.exp(conditional).mean(1) >= boundary
            crossed_k |= np.exp(known).mean(1) >= boundary
        print(f"canary error rate {p1}, boundary {boundary}: conditional (the check) {crossed_c.mean():.3f}, baseline rate known {crossed_k.mean():.3f}")
