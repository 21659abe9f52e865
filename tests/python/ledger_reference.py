"""A pandas reference implementation of the ledger analytics (single reporting currency with
2 decimals, the default Saturday/Sunday calendar), and a generator of synthetic ledgers.

Used by the ledger tests as an independent oracle and by benchmarks/ledger_vs_pandas.py as the
baseline. It follows the definitions of arscore.Ledger's documentation, in plain pandas.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

STATUSES = np.array(["open", "disputed", "on_hold", "written_off"], dtype=object)


def generate_ledger(n_invoices: int, n_payments: int, seed: int = 20261204):
    """Invoices, payments, customers and salespeople DataFrames; deterministic for a seed."""
    rng = np.random.default_rng(seed)
    n = n_invoices
    n_customers = max(10, n // 20)
    n_salespeople = max(3, n // 200)
    start = np.datetime64("2024-01-01", "D")
    issue = start + rng.integers(0, 730, n).astype("timedelta64[D]")
    due = issue + rng.choice([0, 15, 30, 45, 60], n).astype("timedelta64[D]")
    cents = rng.integers(100, 5_000_000, n)
    status = rng.choice(STATUSES, n, p=[0.9, 0.04, 0.03, 0.03])
    held = (status == "on_hold") & (rng.random(n) < 0.7)
    hold_until = np.where(held, due + rng.integers(0, 60, n).astype("timedelta64[D]"),
                          np.datetime64("NaT", "D"))
    invoices = pd.DataFrame({
        "invoice_id": rng.permutation(n).astype(np.int64) + 1_000_000,
        "customer_id": rng.integers(0, n_customers, n).astype(np.int64),
        "salesperson_id": rng.integers(0, n_salespeople, n).astype(np.int64) + 500,
        "issue_date": issue,
        "due_date": due,
        "amount": cents / 100,
        "status": status,
        "hold_until": hold_until,
    })
    # Main payments on 80% of the invoices (full or partial), then follow-up payments of a
    # part of the amount (some overpay), and 1% for invoices that do not exist.
    n_main = min(int(0.8 * n), n_payments)
    main = rng.choice(n, n_main, replace=False)
    full = rng.random(n_main) < 0.7
    main_cents = np.where(full, cents[main],
                          (cents[main] * rng.uniform(0.3, 0.9, n_main)).astype(np.int64))
    main_date = np.maximum(due[main] + rng.integers(-20, 60, n_main).astype("timedelta64[D]"),
                           issue[main])
    n_rest = n_payments - n_main
    n_unknown = n_rest // 20
    n_follow = n_rest - n_unknown
    follow = rng.integers(0, n, n_follow)
    follow_cents = (cents[follow] * rng.uniform(0.2, 0.6, n_follow)).astype(np.int64)
    follow_date = due[follow] + rng.integers(0, 120, n_follow).astype("timedelta64[D]")
    unknown_ids = rng.integers(10_000_000, 20_000_000, n_unknown)
    unknown_date = start + rng.integers(0, 800, n_unknown).astype("timedelta64[D]")
    ids = invoices["invoice_id"].to_numpy()
    payments = pd.DataFrame({
        "invoice_id": np.concatenate([ids[main], ids[follow], unknown_ids]),
        "paid_date": np.concatenate([main_date, follow_date, unknown_date]),
        "amount": np.concatenate([main_cents, follow_cents,
                                  rng.integers(100, 100_000, n_unknown)]) / 100,
    }).sample(frac=1.0, random_state=seed).reset_index(drop=True)
    customers = pd.DataFrame({
        "customer_id": np.arange(n_customers, dtype=np.int64),
        "region": rng.choice(["east", "west", "north"], n_customers),
    })
    salespeople = pd.DataFrame({
        "salesperson_id": np.arange(n_salespeople, dtype=np.int64) + 500,
        "team": rng.choice(["alpha", "beta", "gamma"], n_salespeople),
        "manager_id": rng.integers(0, 5, n_salespeople).astype(np.int64),
    })
    return invoices, payments, customers, salespeople


class Reference:
    """The ledger in pandas. Money is handled in integer cents, as arscore does."""

    def __init__(self, invoices: pd.DataFrame, payments: pd.DataFrame,
                 salespeople: pd.DataFrame | None = None, currency: str = "USD"):
        inv = invoices.reset_index(drop=True).copy()
        inv["row"] = np.arange(len(inv))
        if "currency" not in inv:
            inv["currency"] = currency
        if (inv["currency"] != currency).any():
            raise ValueError(f"the reference handles invoices in {currency} only")
        inv["cents"] = np.round(inv["amount"].to_numpy() * 100).astype(np.int64)
        for column in ("issue_date", "due_date"):
            inv[column] = pd.to_datetime(inv[column])
        if "status" not in inv:
            inv["status"] = "open"
        if "hold_until" not in inv:
            inv["hold_until"] = pd.NaT
        inv["hold_until"] = pd.to_datetime(inv["hold_until"])
        pay = payments.reset_index(drop=True).copy()
        pay["prow"] = np.arange(len(pay))
        pay["cents"] = np.round(pay["amount"].to_numpy() * 100).astype(np.int64)
        pay["paid_date"] = pd.to_datetime(pay["paid_date"])
        pay = pay[pay["invoice_id"].isin(inv["invoice_id"])]
        pay = pay.sort_values(["invoice_id", "paid_date", "prow"], kind="mergesort")
        pay["cum"] = pay.groupby("invoice_id")["cents"].cumsum()
        pay = pay.merge(inv[["invoice_id", "cents", "customer_id", "salesperson_id",
                             "due_date"]].rename(columns={"cents": "inv_cents"}),
                        on="invoice_id", how="left")
        settled = pay[pay["cum"] >= pay["inv_cents"]].groupby("invoice_id")["paid_date"].min()
        inv["settled"] = inv["invoice_id"].map(settled)
        self.inv = inv
        self.pay = pay
        if salespeople is not None and "team" in salespeople:
            inv["team"] = inv["salesperson_id"].map(
                salespeople.set_index("salesperson_id")["team"])

    def _state(self, as_of) -> pd.DataFrame:
        as_of = pd.Timestamp(as_of)
        inv = self.inv[self.inv["issue_date"] <= as_of].copy()
        paid = self.pay[self.pay["paid_date"] <= as_of].groupby("invoice_id")["cents"].sum()
        inv["paid"] = inv["invoice_id"].map(paid).fillna(0).astype(np.int64)
        inv["balance"] = (inv["cents"] - inv["paid"]).clip(lower=0)
        inv.loc[inv["status"] == "written_off", "balance"] = 0
        inv["dpd"] = (as_of - inv["due_date"]).dt.days.clip(lower=0)
        return inv

    def open_items(self, as_of) -> pd.DataFrame:
        as_of = pd.Timestamp(as_of)
        s = self._state(as_of)
        s = s[s["balance"] > 0]
        status = s["status"].to_numpy(dtype=object).copy()
        released = (status == "on_hold") & s["hold_until"].notna().to_numpy() & (
            s["hold_until"] < as_of).to_numpy()
        status[released] = "open"
        business = np.busday_count(
            (s["due_date"] + pd.Timedelta(days=1)).to_numpy().astype("datetime64[D]"),
            np.datetime64(as_of + pd.Timedelta(days=1), "D"))
        return pd.DataFrame({
            "invoice_id": s["invoice_id"].to_numpy(),
            "customer_id": s["customer_id"].to_numpy(),
            "salesperson_id": s["salesperson_id"].to_numpy(),
            "issue_date": s["issue_date"].to_numpy(),
            "due_date": s["due_date"].to_numpy(),
            "amount": s["cents"].to_numpy() / 100,
            "currency": s["currency"].to_numpy(dtype=object),
            "balance": s["balance"].to_numpy() / 100,
            "days_past_due": s["dpd"].to_numpy().astype(np.int64),
            "business_days_past_due": np.where(s["dpd"].to_numpy() > 0, business, 0)
            .astype(np.int64),
            "status": status,
        })

    def aging(self, as_of, edges=(0, 30, 60, 90)) -> pd.DataFrame:
        s = self._state(as_of)
        s = s[s["balance"] > 0]
        labels = ["current"] + [f"{a + 1}-{b}" for a, b in zip(edges, edges[1:])] + \
            [f"{edges[-1]}+"]
        bucket = pd.cut(s["dpd"], bins=[-np.inf, *edges, np.inf], right=True, labels=labels)
        table = s.assign(bucket=bucket).pivot_table(
            index="customer_id", columns="bucket", values="balance", aggfunc="sum",
            fill_value=0, observed=False).reindex(columns=labels, fill_value=0)
        table = table.astype(np.int64)
        table["total"] = table.sum(axis=1)
        table.loc["TOTAL"] = table.sum(axis=0)
        table = table / 100
        table.columns = list(table.columns)
        table.index = pd.Index(list(table.index), name="customer_id", dtype=object)
        return table

    def collection_rates(self, as_of, by: str = "salesperson_id") -> pd.DataFrame:
        as_of = pd.Timestamp(as_of)
        inv = self.inv[self.inv["due_date"] <= as_of].copy()
        inv["period"] = inv["due_date"].dt.to_period("M").dt.start_time
        cutoff = (inv["period"] + pd.offsets.MonthEnd(0)).clip(upper=as_of)
        inv["cutoff"] = cutoff
        pay = self.pay.merge(inv[["invoice_id", "cutoff"]], on="invoice_id")
        pay = pay[pay["paid_date"] <= pay["cutoff"]]
        paid = pay.groupby("invoice_id")["cents"].sum()
        inv["collected"] = np.minimum(inv["invoice_id"].map(paid).fillna(0).astype(np.int64),
                                      inv["cents"])
        grouped = inv.groupby(["period", by])[["cents", "collected"]].sum()
        periods = pd.date_range(inv["period"].min(), as_of.to_period("M").start_time, freq="MS")
        keys = np.sort(inv[by].unique())
        grid = grouped.reindex(pd.MultiIndex.from_product([periods, keys],
                                                          names=["period", by]),
                               fill_value=0).reset_index()
        due = grid["cents"].to_numpy()
        collected = grid["collected"].to_numpy()
        rate = np.full(len(grid), np.nan)
        nonzero = due != 0
        rate[nonzero] = collected[nonzero] / due[nonzero]
        return pd.DataFrame({"period": grid["period"], by: grid[by], "due": due / 100,
                             "collected": collected / 100, "rate": rate})

    def customer_features(self, as_of) -> pd.DataFrame:
        as_of = pd.Timestamp(as_of)
        s = self._state(as_of)
        s["is_paid"] = s["settled"] <= as_of
        late_days = (s["settled"] - s["due_date"]).dt.days.clip(lower=0)
        s["late_days"] = late_days.where(s["is_paid"])
        s["is_late"] = s["is_paid"] & (s["late_days"] > 0)
        s["open"] = s["balance"]
        s["overdue"] = s["balance"].where(s["dpd"] > 0, 0)
        s["open_dpd"] = s["dpd"].where(s["balance"] > 0, 0)
        s["disputed"] = s["status"] == "disputed"
        g = s.groupby("customer_id")
        out = pd.DataFrame({"n_invoices": g.size().astype(np.int64)})
        out["n_paid"] = g["is_paid"].sum().astype(np.int64)
        out["n_paid_late"] = g["is_late"].sum().astype(np.int64)
        n_paid = out["n_paid"].to_numpy().astype(float)
        with np.errstate(invalid="ignore", divide="ignore"):
            out["late_ratio"] = np.where(n_paid > 0, out["n_paid_late"] / n_paid, np.nan)
            out["avg_days_late"] = np.where(
                n_paid > 0, g["late_days"].sum().to_numpy() / n_paid, np.nan)
        out["max_days_late"] = g["late_days"].max().astype(float)
        open_cents = g["open"].sum()
        overdue_cents = g["overdue"].sum()
        out["open_amount"] = open_cents / 100
        out["overdue_amount"] = overdue_cents / 100
        with np.errstate(invalid="ignore", divide="ignore"):
            out["overdue_ratio"] = np.where(open_cents > 0,
                                            overdue_cents / open_cents.replace(0, 1), np.nan)
        out["max_days_past_due"] = g["open_dpd"].max().astype(np.int64)
        # late_streak over invoices due on or before as_of, latest first.
        d = s[s["due_date"] <= as_of].sort_values(
            ["customer_id", "due_date", "issue_date", "row"], ascending=False,
            kind="mergesort")
        on_time = d["is_paid"] & ~d["is_late"]
        bad = d["is_late"] | (~d["is_paid"] & (d["due_date"] < as_of))
        broken = on_time.groupby(d["customer_id"]).cumsum() > 0
        streak = (bad & ~broken).groupby(d["customer_id"]).sum()
        out["late_streak"] = streak.reindex(out.index, fill_value=0).astype(np.int64)
        out["tenure_days"] = (as_of - g["issue_date"].min()).dt.days.astype(np.int64)
        pay = self.pay[self.pay["paid_date"] <= as_of]
        last = pay.groupby("customer_id")["paid_date"].max()
        out["days_since_last_payment"] = (as_of - last.reindex(out.index)).dt.days.astype(float)
        out["avg_invoice_amount"] = (g["cents"].sum().to_numpy().astype(float)
                                     / out["n_invoices"].to_numpy()) / 100
        out["n_disputed"] = g["disputed"].sum().astype(np.int64)
        out.index.name = "customer_id"
        return out
