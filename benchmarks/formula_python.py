#!/usr/bin/env python3
"""Python side of the formula benchmark: arscore.Formula.evaluate_batch on 10 million rows vs
the C++ batch (the same four formulas, measured in this run by the Google Benchmark program)
and vs numpy written by hand.

Run (after `make bench` or a release build):
    PYTHONPATH=build/release/python /usr/bin/python3 benchmarks/formula_python.py
"""

from __future__ import annotations

import json
import pathlib
import subprocess
import sys
import time

import numpy as np

import arscore

ROOT = pathlib.Path(__file__).resolve().parent.parent
CPP_BENCH = ROOT / "build" / "release" / "benchmarks" / "arscore_bench_formula"
ROWS = 10_000_000

FORMULAS = {
    "linear": "sales*70% + rate*30%",
    "gated": "if rate < 80% then rate × 30% else sales × 70% + rate × 30%",
    "tier4": "tier(sales, 0, 0.01, 5000, 0.02, 10000, 0.03, 15000, 0.05)",
    "date_if": 'if days_between(due, date("2026-12-04")) > 30 then 1 else 0',
}


def numpy_version(name, d):
    if name == "linear":
        return d["sales"] * 0.7 + d["rate"] * 0.3
    if name == "gated":
        return np.where(d["rate"] < 0.8, d["rate"] * 0.3, d["sales"] * 0.7 + d["rate"] * 0.3)
    if name == "tier4":
        return np.select([d["sales"] >= 15000, d["sales"] >= 10000, d["sales"] >= 5000, d["sales"] >= 0],
                         [0.05, 0.03, 0.02, 0.01], np.nan)
    as_of = np.datetime64("2026-12-04", "D")
    return np.where((as_of - d["due"]).astype(np.int64) > 30, 1.0, 0.0)


def best_of(fn, repeat=5):
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def cpp_ns_per_row() -> dict[tuple[str, str], float]:
    out = subprocess.run(
        [str(CPP_BENCH), "--benchmark_filter=arscore_batch", "--benchmark_format=json"],
        check=True, capture_output=True, text=True).stdout
    result = {}
    for b in json.loads(out)["benchmarks"]:
        assert b["time_unit"] == "ms"
        kind = "fresh" if b["name"].startswith("arscore_batch_fresh_output") else "reused"
        result[(kind, b["label"])] = b["real_time"] * 1e6 / ROWS
    return result


def main() -> int:
    rng = np.random.default_rng(42)
    data = {
        "sales": rng.uniform(0, 20000, ROWS),
        "rate": rng.uniform(0, 1, ROWS),
        "due": (np.datetime64("2026-09-01", "D") + rng.integers(0, 120, ROWS)).astype("datetime64[D]"),
    }
    cpp = cpp_ns_per_row()
    print("C++ reused: arscore_batch (output buffer reused); C++ fresh: a new column per call")
    print(f"{'formula':8} {'py ns/row':>10} {'py out=':>8} {'C++ reused':>11} {'py/reused':>10}"
          f" {'out=/reused':>12} {'C++ fresh':>10} {'numpy':>8}")
    for name, text in FORMULAS.items():
        formula = arscore.Formula(text, types={"sales": "number", "rate": "number", "due": "date"})
        expected = numpy_version(name, data)
        got = formula.evaluate_batch(data)
        np.testing.assert_allclose(got, expected, rtol=0, atol=0)
        py = best_of(lambda: formula.evaluate_batch(data)) / ROWS * 1e9
        out = np.empty(ROWS)
        py_out = best_of(lambda: formula.evaluate_batch(data, out=out)) / ROWS * 1e9
        npy = best_of(lambda: numpy_version(name, data)) / ROWS * 1e9
        reused = cpp[("reused", name)]
        fresh = cpp[("fresh", name)]
        print(f"{name:8} {py:10.2f} {py_out:8.2f} {reused:11.2f} {py / reused:10.2f}"
              f" {py_out / reused:12.2f} {fresh:10.2f} {npy:8.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
