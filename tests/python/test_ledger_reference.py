"""arscore.Ledger against the pandas reference on a generated ledger (exact agreement), and
point-in-time correctness: every output at as_of on the full ledger equals the same output on
the ledger truncated at as_of."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

import arscore
from ledger_reference import Reference, generate_ledger

AS_OFS = [dt.date(2024, 3, 31), dt.date(2024, 11, 17), dt.date(2025, 6, 30),
          dt.date(2026, 3, 1)]


@pytest.fixture(scope="module")
def data():
    return generate_ledger(4000, 4800, seed=7)


@pytest.fixture(scope="module")
def ledger(data):
    invoices, payments, customers, salespeople = data
    return arscore.Ledger(invoices, payments, customers, salespeople)


@pytest.fixture(scope="module")
def reference(data):
    invoices, payments, _, salespeople = data
    return Reference(invoices, payments, salespeople)


def test_generated_ledger_has_every_case(ledger, data):
    unapplied = ledger.unapplied_payments()
    assert set(unapplied["reason"]) == {"overpayment", "unknown_invoice"}
    assert set(data[0]["status"]) == {"open", "disputed", "on_hold", "written_off"}


@pytest.mark.parametrize("as_of", AS_OFS)
def test_open_items_match_reference(ledger, reference, as_of):
    pd.testing.assert_frame_equal(ledger.open_items(as_of), reference.open_items(as_of))


@pytest.mark.parametrize("as_of", AS_OFS)
@pytest.mark.parametrize("edges", [(0, 30, 60, 90), (0, 15, 45), (7, 30, 120)])
def test_aging_matches_reference(ledger, reference, as_of, edges):
    pd.testing.assert_frame_equal(ledger.aging(as_of, edges), reference.aging(as_of, edges))


@pytest.mark.parametrize("as_of", AS_OFS)
@pytest.mark.parametrize("by", ["salesperson_id", "customer_id", "team"])
def test_collection_rates_match_reference(ledger, reference, as_of, by):
    pd.testing.assert_frame_equal(ledger.collection_rates(as_of, by=by),
                                  reference.collection_rates(as_of, by=by))


@pytest.mark.parametrize("as_of", AS_OFS)
def test_customer_features_match_reference(ledger, reference, as_of):
    pd.testing.assert_frame_equal(ledger.customer_features(as_of),
                                  reference.customer_features(as_of))


@pytest.mark.parametrize("as_of", AS_OFS)
def test_full_ledger_at_as_of_equals_truncated_ledger(data, ledger, as_of):
    invoices, payments, customers, salespeople = data
    stamp = pd.Timestamp(as_of)
    truncated = arscore.Ledger(invoices[invoices["issue_date"] <= stamp],
                               payments[payments["paid_date"] <= stamp], customers,
                               salespeople)
    for method in ("open_items", "customer_features"):
        pd.testing.assert_frame_equal(getattr(ledger, method)(as_of),
                                      getattr(truncated, method)(as_of))
    for edges in [(0, 30, 60, 90), (0, 15, 45)]:
        pd.testing.assert_frame_equal(ledger.aging(as_of, edges), truncated.aging(as_of, edges))
    for by in ("salesperson", "customer", "team"):
        pd.testing.assert_frame_equal(ledger.collection_rates(as_of, by=by),
                                      truncated.collection_rates(as_of, by=by))
    for days in (30, 90, 365):
        np.testing.assert_equal(ledger.dso(as_of, days), truncated.dso(as_of, days))
    for start in (as_of - dt.timedelta(days=30), as_of - dt.timedelta(days=365), as_of):
        np.testing.assert_equal(ledger.cei(start, as_of), truncated.cei(start, as_of))
    pd.testing.assert_frame_equal(ledger.unapplied_payments(as_of),
                                  truncated.unapplied_payments())
    pd.testing.assert_series_equal(ledger.credit_balances(as_of), truncated.credit_balances())


def test_dso_and_cei_follow_their_formulas(data, ledger, reference):
    invoices = data[0]
    as_of = pd.Timestamp("2025-06-30")
    state = reference._state(as_of)
    receivables = state["balance"].sum()
    window = (invoices["issue_date"] > as_of - pd.Timedelta(days=90)) & (
        invoices["issue_date"] <= as_of)
    sales = np.round(invoices.loc[window, "amount"] * 100).astype(np.int64).sum()
    assert ledger.dso(as_of.date(), 90) == receivables / sales * 90
    start = pd.Timestamp("2025-04-01")
    begin = reference._state(start - pd.Timedelta(days=1))["balance"].sum()
    period = (invoices["issue_date"] >= start) & (invoices["issue_date"] <= as_of)
    period_sales = np.round(invoices.loc[period, "amount"] * 100).astype(np.int64).sum()
    ending = state["balance"].sum()
    current = state.loc[state["due_date"] >= as_of, "balance"].sum()
    expected = (begin + period_sales - ending) / (begin + period_sales - current) * 100
    assert ledger.cei(start.date(), as_of.date()) == expected
