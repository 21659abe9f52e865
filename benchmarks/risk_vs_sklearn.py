#!/usr/bin/python3
"""arscore's logistic regression side by side with scikit-learn and numpy.

Fit: synthetic data (fixed seed), n x d, C = 1, L2 penalty; arscore (solver "auto" = Newton)
against scikit-learn's "lbfgs" and "newton-cholesky", each run to tol=1e-8 with a generous
max_iter; the table reports each fit's objective gap to the best one found.
Predict: P(bad) on m x d rows; arscore vs numpy's X @ w + b (the memory-bandwidth limit;
no sigmoid) and scikit-learn's predict_proba.

Usage (from the repository root, after `cmake --build --preset release`):
  PYTHONPATH=build/release/python /usr/bin/python3 benchmarks/risk_vs_sklearn.py \
      [--n 1000000] [--d 20] [--predict-rows 10000000] [--repeat 3]
numpy and scikit-learn use the system BLAS (OpenBLAS from libopenblas0-pthread on Debian).
"""

import argparse
import time

import numpy as np

import arscore
from sklearn.linear_model import LogisticRegression as SkLogisticRegression


def make_data(n, d, seed=20261204):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    w = rng.normal(0.0, 0.5, size=d)
    z = X @ w - 2.0
    y = (rng.uniform(size=n) < 1.0 / (1.0 + np.exp(-z))).astype(np.float64)
    return X, y


def objective(X, y, coef, intercept, C=1.0):
    z = X @ coef + intercept
    return 0.5 * coef @ coef + C * np.sum(np.logaddexp(0.0, z) - y * z)


def best_time(fn, repeat):
    times = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--d", type=int, default=20)
    parser.add_argument("--predict-rows", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    X, y = make_data(args.n, args.d)
    fits = {
        "arscore (newton)": lambda: arscore.LogisticRegression(tol=1e-8, max_iter=1000).fit(X, y),
        "arscore (lbfgs)": lambda: arscore.LogisticRegression(
            solver="lbfgs", tol=1e-8, max_iter=10000).fit(X, y),
        "sklearn lbfgs": lambda: SkLogisticRegression(
            solver="lbfgs", tol=1e-8, max_iter=10000).fit(X, y),
        "sklearn newton-cholesky": lambda: SkLogisticRegression(
            solver="newton-cholesky", tol=1e-8, max_iter=1000).fit(X, y),
    }
    results = {}
    for name, fn in fits.items():
        seconds, model = best_time(fn, args.repeat)
        results[name] = (seconds, objective(X, y, model.coef_[0], model.intercept_[0]),
                         int(np.max(model.n_iter_)))
    best = min(r[1] for r in results.values())
    fastest_sklearn = min(results["sklearn lbfgs"][0], results["sklearn newton-cholesky"][0])
    print(f"## fit: n={args.n:,} d={args.d} C=1 (best of {args.repeat})")
    print("| solver | seconds | iterations | objective − best | speed-up vs faster sklearn |")
    print("|---|---|---|---|---|")
    for name, (seconds, value, iters) in results.items():
        print(f"| {name} | {seconds:.3f} | {iters} | {value - best:.3g} "
              f"| {fastest_sklearn / seconds:.2f}× |")

    del X, y
    model = arscore.LogisticRegression().fit(*make_data(10_000, args.d, seed=1))
    sk = SkLogisticRegression().fit(*make_data(10_000, args.d, seed=1))
    Xp = np.random.default_rng(2).standard_normal((args.predict_rows, args.d))
    w = model.coef_[0].copy()
    b = float(model.intercept_[0])
    predicts = {
        "numpy X @ w + b": lambda: Xp @ w + b,
        "arscore predict_proba": lambda: model.predict_proba(Xp),
        "arscore decision_function": lambda: model.decision_function(Xp),
        "sklearn predict_proba": lambda: sk.predict_proba(Xp),
    }
    timings = {name: best_time(fn, args.repeat)[0] for name, fn in predicts.items()}
    limit = timings["numpy X @ w + b"]
    print()
    print(f"## predict: {args.predict_rows:,} x {args.d} (best of {args.repeat})")
    print("| method | seconds | ratio to numpy |")
    print("|---|---|---|")
    for name, seconds in timings.items():
        print(f"| {name} | {seconds:.3f} | {seconds / limit:.2f} |")


if __name__ == "__main__":
    main()
