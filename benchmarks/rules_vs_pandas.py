"""arscore.EscalationEngine from Python vs the pandas an analyst would write for the same ladder.

A generated ledger (fixed seed; --invoices invoices over 50 000 customers, a third partly
paid) and the 5-level policy of rules_bench.cpp (one formula condition,
``balance >= 10000 or late_streak >= 3``). Two runs: a fresh start (every overdue invoice
gets its level) and the next morning (yesterday's state).

- arscore: ``engine.run(ledger, as_of, state)``, everything included (open items and
  customer features from the ledger, the ladder, action ids, reasons, the new state, the
  actions DataFrame).
- pandas: a vectorised ladder (``np.select`` over the levels, ``map`` for the state and the
  customer's late streak), one row per action with its reason text and a hashed id, and the
  new state as a Series, over the open items and customer features of the same arscore
  Ledger. Reported twice: all in (the two ledger queries as DataFrames, then the ladder) and
  the ladder alone (as if the inputs were free).

Both sides must agree on every (invoice, level, channel) before anything is reported; each
is run --repeat times and the fastest is kept.

    PYTHONPATH=build/release/python /usr/bin/python3 benchmarks/rules_vs_pandas.py \
        [--invoices 1000000] [--repeat 3] [--text-ids]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

import arscore

POLICY = {"id": "bench", "version": 1, "levels": [
    {"id": "L1", "days_overdue": 7,
     "actions": [{"channel": "email", "to": ["customer", "salesperson"], "template": "reminder"}]},
    {"id": "L2", "days_overdue": 10,
     "actions": [{"channel": "sms", "to": ["customer"], "template": "sms"}]},
    {"id": "L3", "days_overdue": 30, "min_amount": 100,
     "actions": [{"channel": "letter", "to": ["customer"], "template": "letter"}]},
    {"id": "L4", "days_overdue": 60, "when": "balance >= 10000 or late_streak >= 3",
     "actions": [{"channel": "notify", "to": ["salesperson", "finance"], "template": "n60"}]},
    {"id": "L5", "days_overdue": 90,
     "actions": [{"channel": "legal", "to": ["legal"], "template": "legal"}]}]}
AS_OF = np.datetime64("2026-12-02")


def generate(n: int, text_ids: bool = False) -> arscore.Ledger:
    rng = np.random.default_rng(20261204)
    due = AS_OF - rng.integers(-30, 400, n).astype("timedelta64[D]")
    invoices = pd.DataFrame({
        "invoice_id": np.arange(n, dtype=np.int64) + 1_000_000,
        "customer_id": rng.integers(0, 50_000, n),
        "salesperson_id": rng.integers(0, 500, n),
        "issue_date": (due - np.timedelta64(30, "D")).astype("datetime64[ns]"),
        "due_date": due.astype("datetime64[ns]"),
        "amount": rng.integers(100, 5_000_000, n) / 100.0})
    paid = rng.random(n) < 0.34
    payments = pd.DataFrame({
        "invoice_id": invoices["invoice_id"][paid].to_numpy(),
        "paid_date": (due[paid] + rng.integers(-10, 60, paid.sum()).astype("timedelta64[D]"))
        .astype("datetime64[ns]"),
        "amount": np.round(invoices["amount"][paid].to_numpy() * rng.choice([0.5, 1.0],
                                                                            paid.sum()), 2)})
    payments = payments[payments["paid_date"] >= invoices["issue_date"][paid].to_numpy()]
    if text_ids:  # "INV1000000", "C00042", "S007": hashed keys in the engine
        invoices["invoice_id"] = "INV" + invoices["invoice_id"].astype(str)
        payments["invoice_id"] = "INV" + payments["invoice_id"].astype(str)
        invoices["customer_id"] = "C" + invoices["customer_id"].astype(str).str.zfill(5)
        invoices["salesperson_id"] = "S" + invoices["salesperson_id"].astype(str).str.zfill(3)
    return arscore.Ledger(invoices, payments, currency="CNY")


SPECS = pd.DataFrame([  # level index, rule, threshold, channel, recipients, template
    (0, "L1", 7, "email", ["customer", "salesperson"], "reminder"),
    (1, "L2", 10, "sms", ["customer"], "sms"),
    (2, "L3", 30, "letter", ["customer"], "letter"),
    (3, "L4", 60, "notify", ["salesperson", "finance"], "n60"),
    (4, "L5", 90, "legal", ["legal"], "legal")],
    columns=["level", "rule", "threshold", "channel", "recipients", "template"])


def pandas_ladder(items: pd.DataFrame, features: pd.DataFrame, state: pd.Series,
                  day: np.datetime64) -> tuple[pd.DataFrame, pd.Series]:
    days = items["days_past_due"].to_numpy()
    balance = items["balance"].to_numpy()
    streak = items["customer_id"].map(features["late_streak"]).to_numpy()
    target = np.select(
        [days >= 90, (days >= 60) & ((balance >= 10000) | (streak >= 3)),
         (days >= 30) & (balance >= 100), days >= 10, days >= 7], [4, 3, 2, 1, 0], -1)
    previous = items["invoice_id"].map(state).fillna(-1).to_numpy()
    fire = target > previous
    fired = items.loc[fire, ["invoice_id", "customer_id", "salesperson_id", "balance",
                             "days_past_due"]].assign(level=target[fire])
    actions = fired.merge(SPECS, on="level").sort_values(["customer_id", "level", "invoice_id"])
    money = actions["balance"].map("{:,.2f}".format).str.replace(",", " ")
    actions["reason"] = (actions["rule"] + ": " + actions["days_past_due"].astype(str)
                         + " days overdue ≥ " + actions["threshold"].astype(str) + "; balance "
                         + money + " CNY")
    actions["action_id"] = pd.util.hash_pandas_object(
        actions[["invoice_id", "rule", "channel"]], index=False).map("{:016x}".format)
    kept = items["invoice_id"].isin(state.index).to_numpy() & ~fire
    new_state = pd.concat([
        state.loc[items["invoice_id"][kept]],
        pd.Series(target[fire], index=items["invoice_id"][fire].to_numpy())]).sort_index()
    return actions, new_state


def best_of(repeat: int, call):
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = call()
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--text-ids", action="store_true",
                        help="text invoice, customer and salesperson ids instead of integers")
    args = parser.parse_args()
    ledger = generate(args.invoices, args.text_ids)
    engine = arscore.EscalationEngine(arscore.EscalationPolicy.from_dict(POLICY))
    yesterday = pd.Timestamp(AS_OF - 1).date()
    today = pd.Timestamp(AS_OF).date()
    rows = []
    empty_state = pd.Series([], dtype=np.int64)
    _, engine_state = engine.run(ledger, yesterday)
    _, pandas_state = pandas_ladder(ledger.open_items(yesterday),
                                    ledger.customer_features(yesterday), empty_state,
                                    np.datetime64(yesterday))
    for name, state, peer_state in [("fresh start", None, empty_state),
                                    ("next morning", engine_state, pandas_state)]:
        ours, (actions, _) = best_of(args.repeat, lambda: engine.run(ledger, today, state))
        queries, (items, features) = best_of(
            args.repeat, lambda: (ledger.open_items(today), ledger.customer_features(today)))
        theirs, (peer, _) = best_of(args.repeat,
                                    lambda: pandas_ladder(items, features, peer_state, AS_OF))
        mine = sorted(zip([ids[0] for ids in actions["invoice_ids"]], actions["rule"],
                          actions["channel"]))
        other = sorted(zip(peer["invoice_id"], peer["rule"], peer["channel"]))
        if mine != other:
            raise SystemExit(f"{name}: the two sides disagree ({len(mine)} vs {len(other)})")
        rows.append((name, len(actions), ours, queries + theirs, theirs))
    print(f"{args.invoices:,} invoices ({'text' if args.text_ids else 'integer'} ids), "
          f"{len(ledger.open_items(today)):,} open at {today}; best of {args.repeat}")
    print("| run | actions | arscore `run` | pandas all in | ratio | pandas ladder alone | "
          "ratio |")
    print("|---|---|---|---|---|---|---|")
    for name, n, ours, all_in, ladder in rows:
        print(f"| {name} | {n:,} | {ours:.3f} s | {all_in:.3f} s | {all_in / ours:.2f}× | "
              f"{ladder:.3f} s | {ladder / ours:.2f}× |")


if __name__ == "__main__":
    main()
