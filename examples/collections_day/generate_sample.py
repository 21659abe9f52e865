#!/usr/bin/env python3
"""Generates the bundled sample of examples/collections_day (run once; the CSVs are committed).

Two years of invoices (2025-01-01 .. 2026-12-03) for 300 customers and 20 salespeople in three
teams, with a fixed seed. Each customer has a hidden payment habit: a probability of paying
late and a typical delay; risky customers are more likely to be late and later when they are.
Salespeople differ in how much of their book is risky. About 1 % of invoices are disputed,
1 % on hold for 30 days. Payments are sometimes split in two.

    /usr/bin/python3 examples/collections_day/generate_sample.py
"""

import pathlib

import numpy as np
import pandas as pd

SEED = 20261204
OUT = pathlib.Path(__file__).resolve().parent / "data"
START = pd.Timestamp("2025-01-01")
END = pd.Timestamp("2026-12-03")


def main():
    rng = np.random.default_rng(SEED)
    teams = ["East", "North", "West"]
    salespeople = pd.DataFrame({
        "salesperson_id": [f"S{i:02d}" for i in range(1, 21)],
        "team": [teams[i % 3] for i in range(20)],
        "manager_id": [f"M{i % 3 + 1}" for i in range(20)],
    })
    # Some salespeople sign riskier customers.
    appetite = rng.uniform(0.0, 1.0, 20)
    n_customers = 300
    owner = rng.integers(0, 20, n_customers)
    risk = np.clip(rng.beta(1.5, 5.0, n_customers) + 0.35 * appetite[owner] * rng.uniform(0, 1, n_customers), 0, 0.95)
    customers = pd.DataFrame({
        "customer_id": [f"C{i:03d}" for i in range(1, n_customers + 1)],
        "region": rng.choice(teams, n_customers),
        "segment": rng.choice(["SMB", "Mid", "Enterprise"], n_customers, p=[0.6, 0.3, 0.1]),
        "credit_limit": rng.choice([20000, 50000, 100000, 200000], n_customers),
    })

    invoices, payments = [], []
    invoice_no = 0
    days = (END - START).days
    for c in range(n_customers):
        count = rng.poisson(14)
        size = rng.lognormal(8.3, 0.8)
        for issue_offset in np.sort(rng.integers(0, days, count)):
            invoice_no += 1
            issue = START + pd.Timedelta(days=int(issue_offset))
            terms = int(rng.choice([30, 45, 60], p=[0.6, 0.25, 0.15]))
            due = issue + pd.Timedelta(days=terms)
            amount = round(float(size * rng.lognormal(0, 0.4)), 2)
            status, hold = "open", pd.NaT
            u = rng.uniform()
            if u < 0.01:
                status = "disputed"
            elif u < 0.02:
                status, hold = "on_hold", due + pd.Timedelta(days=30)
            invoice_id = f"INV{invoice_no:05d}"
            invoices.append((invoice_id, customers.customer_id[c], salespeople.salesperson_id[owner[c]],
                             issue, due, amount, status, hold))
            late = rng.uniform() < risk[c]
            delay = int(rng.gamma(2.0, 8 + 40 * risk[c])) if late else -int(rng.integers(0, 10))
            if rng.uniform() < 0.03 + 0.1 * risk[c]:
                continue  # never paid (so far)
            paid = due + pd.Timedelta(days=delay)
            if paid > END:
                continue
            if rng.uniform() < 0.15:  # paid in two parts
                first = round(amount * 0.5, 2)
                early = max(issue, paid - pd.Timedelta(days=int(rng.integers(5, 20))))
                payments.append((invoice_id, early, first))
                payments.append((invoice_id, paid, round(amount - first, 2)))
            else:
                payments.append((invoice_id, max(issue, paid), amount))

    OUT.mkdir(exist_ok=True)
    pd.DataFrame(invoices, columns=["invoice_id", "customer_id", "salesperson_id", "issue_date",
                                    "due_date", "amount", "status", "hold_until"]).to_csv(
        OUT / "invoices.csv", index=False, date_format="%Y-%m-%d")
    pd.DataFrame(payments, columns=["invoice_id", "paid_date", "amount"]).to_csv(
        OUT / "payments.csv", index=False, date_format="%Y-%m-%d")
    customers.to_csv(OUT / "customers.csv", index=False)
    salespeople.to_csv(OUT / "salespeople.csv", index=False)
    print(f"{len(invoices)} invoices, {len(payments)} payments, {n_customers} customers, 20 salespeople")


if __name__ == "__main__":
    main()
