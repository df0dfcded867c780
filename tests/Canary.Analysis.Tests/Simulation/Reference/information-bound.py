#!/usr/bin/env python3
"""Independent oracle for InformationBound.BestDetection: the power of the most powerful (Neyman-Pearson, randomised)
test at level alpha of "error rate p0" against "error rate p1" when the canary's request count is Poisson(lam) and p0 is
known exactly. No real check can do better. Exact rational-free enumeration in floating point; standard library only.
Run: python3 information-bound.py"""
from math import exp, lgamma, log


def log_pois(n, lam):
    return -lam + n * log(lam) - lgamma(n + 1)


def log_binom(n, k, p):
    return lgamma(n + 1) - lgamma(k + 1) - lgamma(n - k + 1) + k * log(p) + (n - k) * log(1 - p)


def best_detection(lam, p0, p1, alpha):
    top = int(lam + 12 * lam ** 0.5 + 30)
    cells = []
    for n in range(top + 1):
        ln = log_pois(n, lam)
        for k in range(n + 1):
            a = exp(ln + log_binom(n, k, p0))
            b = exp(ln + log_binom(n, k, p1))
            if a > 0 or b > 0:
                cells.append((log_binom(n, k, p1) - log_binom(n, k, p0), a, b))
    cells.sort(key=lambda c: -c[0])
    size = power = 0.0
    for _, a, b in cells:
        if size + a <= alpha:
            size += a
            power += b
        else:
            power += b * (alpha - size) / a
            break
    return power


for lam, p0, p1, alpha in [(11.7, 0.005, 0.25, 0.05), (11.7, 0.005, 0.25, 0.01), (11.7, 0.005, 0.25, 0.005),
                           (162.0, 0.005, 0.02, 0.05), (78.0, 0.005, 0.05, 0.05), (78.0, 0.005, 0.05, 0.01)]:
    print(f"{lam} {p0} {p1} {alpha} {best_detection(lam, p0, p1, alpha):.10f}")


def minutes_allowed(per_minute, p0, p1, alpha, power):
    minutes = 1
    while best_detection(per_minute * minutes, p0, p1, alpha) < power:
        minutes += 1
    return minutes


print("minutes", minutes_allowed(0.9, 0.005, 0.05, 0.05, 0.95))
