"""arscore.Ledger vs the pandas reference, end to end, on a generated ledger (fixed seed).

End to end = build the ledger from the DataFrames, then aging, collection rates (by
salesperson) and customer features at one as_of. Each side runs in its own process so that
peak memory (ru_maxrss) is its own; the generated DataFrames are built first and excluded
from the timings; each side runs --repeat times and its fastest end-to-end run is reported,
with its wall-clock steps and its CPU time (less sensitive to a shared, loaded machine). Checks that both sides agree exactly before reporting.

    PYTHONPATH=build/release/python /usr/bin/python3 benchmarks/ledger_vs_pandas.py \
        [--invoices 1000000] [--payments 1200000]
"""

from __future__ import annotations

import argparse
import json
import pathlib
import resource
import subprocess
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests" / "python"))

AS_OF = "2025-06-30"


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_mib() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 2**20


def run_side(side: str, n_invoices: int, n_payments: int, check: bool, repeat: int) -> dict:
    import pandas as pd
    import arscore
    from ledger_reference import Reference, generate_ledger

    invoices, payments, customers, salespeople = generate_ledger(n_invoices, n_payments)
    base = current_mib()
    best: dict = {}
    for _ in range(repeat):
        timings = {}
        cpu_start = time.process_time()
        start = time.perf_counter()
        if side == "arscore":
            ledger = arscore.Ledger(invoices, payments, customers, salespeople)
        else:
            ledger = Reference(invoices, payments, salespeople)
        timings["build"] = time.perf_counter() - start
        results = {}
        for name, call in [("aging", lambda: ledger.aging(AS_OF)),
                           ("collection_rates",
                            lambda: ledger.collection_rates(AS_OF, by="salesperson_id")),
                           ("customer_features", lambda: ledger.customer_features(AS_OF))]:
            t = time.perf_counter()
            results[name] = call()
            timings[name] = time.perf_counter() - t
        timings["total"] = time.perf_counter() - start
        timings["cpu"] = time.process_time() - cpu_start
        if not best or timings["total"] < best["total"]:
            best = timings
        del ledger
    timings = best
    out = {"side": side, "timings": timings, "peak_mib": peak_mib(), "base_mib": base}
    if check:
        pd.to_pickle(results, f"/tmp/ledger_vs_pandas_{side}.pkl")
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--invoices", type=int, default=1_000_000)
    parser.add_argument("--payments", type=int, default=1_200_000)
    parser.add_argument("--side", choices=["arscore", "pandas"])
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs per side; the fastest end-to-end run is reported")
    parser.add_argument("--no-check", action="store_true")
    args = parser.parse_args()
    if args.side:
        print(json.dumps(run_side(args.side, args.invoices, args.payments, not args.no_check,
                                  args.repeat)))
        return
    runs = {}
    for side in ("arscore", "pandas"):
        command = [sys.executable, __file__, "--side", side, "--invoices", str(args.invoices),
                   "--payments", str(args.payments), "--repeat", str(args.repeat)] + (
                       ["--no-check"] if args.no_check else [])
        runs[side] = json.loads(subprocess.run(command, check=True, capture_output=True,
                                               text=True).stdout)
    if not args.no_check:
        import pandas as pd
        ours = pd.read_pickle("/tmp/ledger_vs_pandas_arscore.pkl")
        theirs = pd.read_pickle("/tmp/ledger_vs_pandas_pandas.pkl")
        for name in ours:
            pd.testing.assert_frame_equal(ours[name], theirs[name])
        print("results agree exactly")
    print(f"{args.invoices:,} invoices, {args.payments:,} payments, as_of {AS_OF}, "
          f"best of {args.repeat}")
    print("| step | arscore (s) | pandas (s) | ratio |")
    print("|---|---|---|---|")
    for step in ("build", "aging", "collection_rates", "customer_features", "total"):
        a = runs["arscore"]["timings"][step]
        p = runs["pandas"]["timings"][step]
        print(f"| {step} | {a:.3f} | {p:.3f} | {p / a:.1f}× |")
    a = runs["arscore"]["timings"]["cpu"]
    p = runs["pandas"]["timings"]["cpu"]
    print(f"CPU time end to end (same runs): arscore {a:.3f} s, pandas {p:.3f} s, "
          f"ratio {p / a:.1f}×")
    for side in ("arscore", "pandas"):
        r = runs[side]
        print(f"{side}: peak RSS {r['peak_mib']:.0f} MiB "
              f"({r['peak_mib'] - r['base_mib']:.0f} MiB above the generated DataFrames)")


if __name__ == "__main__":
    main()
