#!/usr/bin/env python3
"""One collections morning with arscore, end to end, on the bundled sample (data/, made by
generate_sample.py with a fixed seed):

1. build the ledger (invoices, payments, customers, salespeople);
2. train the late-payment model on history: customer features at 2026-06-01, label = the
   customer paid an invoice falling due in the next six months late, or left it overdue;
3. score every customer today (2026-12-04) and turn the model into a scorecard with reasons;
4. run the escalation policy (policy.json) for today: what to send to whom;
5. evaluate the seed performance rule per salesperson, with its 80 % collection gate.

    PYTHONPATH=build/release/python /usr/bin/python3 examples/collections_day/collections_day.py
"""

import datetime
import json
import pathlib

import numpy as np
import pandas as pd

import arscore

HERE = pathlib.Path(__file__).resolve().parent
TODAY = datetime.date(2026, 12, 4)
TRAIN_AT = datetime.date(2026, 6, 1)
FEATURES = ["late_ratio", "avg_days_late", "max_days_late", "overdue_ratio", "late_streak",
            "tenure_days", "avg_invoice_amount", "n_invoices"]


def load():
    read = lambda name, dates=(): pd.read_csv(HERE / "data" / name, parse_dates=list(dates))  # noqa: E731
    invoices = read("invoices.csv", ["issue_date", "due_date", "hold_until"])
    payments = read("payments.csv", ["paid_date"])
    return arscore.Ledger(invoices, payments, customers=read("customers.csv"),
                          salespeople=read("salespeople.csv")), invoices, payments


def model_matrix(features: pd.DataFrame) -> pd.DataFrame:
    x = features[FEATURES].copy()
    # Undefined ratios and means (no paid invoice yet) mean "no history": use neutral values.
    x["late_ratio"] = x["late_ratio"].fillna(0.0)
    x["avg_days_late"] = x["avg_days_late"].fillna(0.0)
    x["max_days_late"] = x["max_days_late"].fillna(0.0)
    x["overdue_ratio"] = x["overdue_ratio"].fillna(0.0)
    x["avg_invoice_amount"] = np.log1p(x["avg_invoice_amount"].fillna(0.0))
    x["tenure_days"] = x["tenure_days"] / 365.0
    return x


def main():
    ledger, invoices, _ = load()
    print(f"arscore {arscore.__version__} — collections day {TODAY}\n")
    print(f"ledger: {len(invoices)} invoices, {invoices.customer_id.nunique()} customers, "
          f"{invoices.salesperson_id.nunique()} salespeople")

    # 2. Train on history (point in time: features at TRAIN_AT know nothing after it).
    train = ledger.customer_features(TRAIN_AT)
    later = ledger.open_items(TODAY)
    window = invoices[(invoices.due_date > pd.Timestamp(TRAIN_AT)) & (invoices.due_date <= pd.Timestamp(TODAY))]
    features_today = ledger.customer_features(TODAY)
    late_now = features_today["n_paid_late"] - train["n_paid_late"].reindex(features_today.index).fillna(0)
    overdue_now = later[later.days_past_due > 0].groupby("customer_id").size()
    label = ((late_now > 0) | overdue_now.reindex(features_today.index).fillna(0).gt(0)).astype(int)
    customers_in_window = window.customer_id.unique()
    y = label.reindex(train.index).loc[train.index.isin(customers_in_window)]
    X = model_matrix(train).loc[y.index]
    model = arscore.LogisticRegression(C=1.0, max_iter=200).fit(X, y.values)
    p_train = model.predict_proba(X)[:, 1]
    print(f"model: trained on {len(y)} customers ({int(y.sum())} late), "
          f"in-sample AUC {arscore.metrics.roc_auc(y.values, p_train):.3f}, "
          f"KS {arscore.metrics.ks(y.values, p_train):.3f}\n")

    # 3. Score today.
    X_now = model_matrix(features_today)
    card = arscore.Scorecard(model, base_score=600, base_odds=50, pdo=20, feature_names=FEATURES)
    scores = pd.DataFrame({"credit_score": card.score(X_now.values),
                           "p_late": model.predict_proba(X_now)[:, 1]}, index=X_now.index)
    reasons = card.reasons(X_now.values, k=2)

    # 4. Today's escalations.
    policy = arscore.EscalationPolicy.from_json((HERE / "policy.json").read_text())
    engine = arscore.EscalationEngine(policy)
    actions, state = engine.run(ledger, TODAY, state=None, scores=scores)
    print(f"TODAY'S ACTIONS ({len(actions)}; by rule and channel)")
    print(actions.groupby(["kind", "rule", "channel"]).size().to_string(), "\n")
    shown = actions[actions.kind == "level"].sort_values(["days_overdue", "amount"], ascending=False).head(8)
    with pd.option_context("display.width", 200, "display.max_colwidth", 70):
        print(shown[["rule", "customer_id", "salesperson_id", "channel", "recipients", "reason"]].to_string(index=False), "\n")
    again, _ = engine.run(ledger, TODAY, state=state, scores=scores)
    print(f"running the same day again emits {len(again)} new actions (idempotent)\n")

    # High-risk customers with the reasons behind their score.
    risky = scores.sort_values("credit_score").head(8)
    print("HIGH-RISK CUSTOMERS (lowest credit scores)")
    for customer_id, row in risky.iterrows():
        i = X_now.index.get_loc(customer_id)
        why = ", ".join(f"{name} {points:+.0f}" for name, points in reasons[i])
        decision, _ = engine.check_contract(customer_id, 50_000, ledger, TODAY, scores)
        print(f"  {customer_id}  score {row.credit_score:6.1f}  p_late {row.p_late:5.1%}  "
              f"new contract: {decision:<17}  {why}")
    print()

    # 5. Salesperson performance: the seed rule with its 80 % gate, on the last full month.
    rates = ledger.collection_rates(TODAY, by="salesperson")
    month = rates[rates.period == rates.period.max() - pd.offsets.MonthBegin(1)]
    sales = invoices[(invoices.issue_date >= pd.Timestamp(2026, 11, 1)) & (invoices.issue_date < pd.Timestamp(2026, 12, 1))]
    sales = sales.groupby("salesperson_id").amount.sum() / 1000.0
    table = month.set_index("salesperson_id")[["due", "collected", "rate"]].join(sales.rename("销售额"), how="left").fillna({"销售额": 0.0})
    rule = arscore.Sheet("回款率 = coalesce(rate, 0)\n"
                         "业绩 = if 回款率 < 80% then 回款率 × 30% × 100 else 销售额 × 70% + 回款率 × 30% × 100")
    out = rule.evaluate_batch({"rate": table["rate"].to_numpy(), "销售额": table["销售额"].to_numpy()})
    table["业绩"] = out["业绩"]
    table["gate"] = np.where(out["回款率"] < 0.8, "sales part = 0", "")
    print(f"SALESPERSON PERFORMANCE, {month.period.iloc[0]:%Y-%m} (销售额 in thousands)")
    with pd.option_context("display.float_format", "{:,.2f}".format, "display.width", 200):
        print(table.sort_values("业绩", ascending=False).to_string())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
