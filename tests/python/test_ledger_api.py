"""arscore.Ledger on a hand-built ledger: exact DataFrames with the contract's column names,
exact money, FX, and errors that name the offending rows."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

import arscore

D = dt.date


def invoices():
    return pd.DataFrame({
        "invoice_id": ["A101", "A102", "A103", "A104", "A105", "A106"],
        "customer_id": ["c1", "c1", "c2", "c2", "c3", "c1"],
        "salesperson_id": ["s10", "s10", "s11", "s11", "s10", "s10"],
        "issue_date": [D(2026, 1, 5), D(2026, 2, 1), D(2026, 1, 10), D(2026, 3, 1),
                       D(2026, 1, 15), D(2026, 3, 10)],
        "due_date": [D(2026, 2, 4), D(2026, 3, 3), D(2026, 1, 31), D(2026, 3, 31),
                     D(2026, 2, 14), D(2026, 4, 9)],
        "amount": [100.0, 250.5, 200.0, 80.0, 60.0, 30.0],
        "currency": ["USD", "USD", "EUR", "USD", "USD", "USD"],
        "status": ["open", "open", "open", "disputed", "written_off", "on_hold"],
        "hold_until": [None, None, None, None, None, D(2026, 3, 20)],
    })


def payments():
    return pd.DataFrame({
        "invoice_id": ["A101", "A101", "A102", "A103", "X999", "A103"],
        "paid_date": [D(2026, 2, 1), D(2026, 2, 10), D(2026, 3, 1), D(2026, 2, 20),
                      D(2026, 2, 15), D(2026, 4, 10)],
        "amount": [40, 60, 300, 100, 12.34, 100],
    })


SALESPEOPLE = pd.DataFrame({"salesperson_id": ["s10", "s11"], "team": ["north", "south"],
                            "manager_id": [1, 2]})
FX = pd.DataFrame({"currency": ["EUR", "EUR"], "date": [D(2026, 1, 1), D(2026, 2, 1)],
                   "rate": [1.1, 1.2]})
AS_OF = D(2026, 3, 15)


@pytest.fixture()
def ledger():
    return arscore.Ledger(invoices(), payments(), salespeople=SALESPEOPLE, fx=FX)


def error_of(call):
    with pytest.raises(arscore.Error) as error:
        call()
    return error.value.code, str(error.value)


def test_open_items(ledger):
    expected = pd.DataFrame({
        "invoice_id": ["A103", "A104", "A106"],
        "customer_id": ["c2", "c2", "c1"],
        "salesperson_id": ["s11", "s11", "s10"],
        "issue_date": pd.to_datetime(["2026-01-10", "2026-03-01", "2026-03-10"]),
        "due_date": pd.to_datetime(["2026-01-31", "2026-03-31", "2026-04-09"]),
        "amount": [220.0, 80.0, 30.0],  # 200 EUR at the 1.1 booking rate
        "currency": ["EUR", "USD", "USD"],
        "balance": [110.0, 80.0, 30.0],  # 100 EUR left at the 1.1 booking rate
        "days_past_due": np.array([43, 0, 0], dtype=np.int64),
        "business_days_past_due": np.array([30, 0, 0], dtype=np.int64),
        "status": ["open", "disputed", "on_hold"],
    })
    pd.testing.assert_frame_equal(ledger.open_items(AS_OF), expected, check_dtype=False)
    result = ledger.open_items(AS_OF)
    assert list(result.columns) == [
        "invoice_id", "customer_id", "salesperson_id", "issue_date", "due_date", "amount",
        "currency", "balance", "days_past_due", "business_days_past_due", "status"]
    assert result["balance"].dtype == np.float64
    assert result["amount"].dtype == np.float64
    assert result["issue_date"].dtype == result["due_date"].dtype == "datetime64[ns]"
    assert result["currency"].dtype == object
    assert list(ledger.open_items(D(2026, 3, 21))["status"]) == ["open", "disputed", "open"]


def test_aging(ledger):
    expected = pd.DataFrame(
        [[30.0, 0.0, 0.0, 0.0, 0.0, 30.0], [80.0, 0.0, 110.0, 0.0, 0.0, 190.0],
         [110.0, 0.0, 110.0, 0.0, 0.0, 220.0]],
        columns=["current", "1-30", "31-60", "61-90", "90+", "total"],
        index=pd.Index(["c1", "c2", "TOTAL"], name="customer_id", dtype=object))
    pd.testing.assert_frame_equal(ledger.aging(AS_OF), expected)
    assert list(ledger.aging(AS_OF, buckets=(0, 45)).columns) == ["current", "1-45", "45+",
                                                                  "total"]
    code, _ = error_of(lambda: ledger.aging(AS_OF, buckets=(30, 10)))
    assert code == "ledger.aging.bad_buckets"


def test_customer_features(ledger):
    f = ledger.customer_features(AS_OF)
    assert list(f.columns) == [
        "n_invoices", "n_paid", "n_paid_late", "late_ratio", "avg_days_late", "max_days_late",
        "open_amount", "overdue_amount", "overdue_ratio", "max_days_past_due", "late_streak",
        "tenure_days", "days_since_last_payment", "avg_invoice_amount", "n_disputed"]
    assert f.index.name == "customer_id"
    assert list(f.index) == ["c1", "c2", "c3"]
    assert f.loc["c1"].to_dict() == {
        "n_invoices": 3, "n_paid": 2, "n_paid_late": 1, "late_ratio": 0.5,
        "avg_days_late": 3.0, "max_days_late": 6.0, "open_amount": 30.0,
        "overdue_amount": 0.0, "overdue_ratio": 0.0, "max_days_past_due": 0,
        "late_streak": 0, "tenure_days": 69, "days_since_last_payment": 14.0,
        "avg_invoice_amount": 38050 / 3 / 100, "n_disputed": 0}
    c2 = f.loc["c2"]
    assert np.isnan(c2["late_ratio"]) and np.isnan(c2["avg_days_late"])
    assert c2["overdue_ratio"] == 110 / 190
    assert (c2["late_streak"], c2["max_days_past_due"], c2["n_disputed"]) == (1, 43, 1)
    c3 = f.loc["c3"]
    assert c3["open_amount"] == 0.0 and np.isnan(c3["overdue_ratio"])
    assert np.isnan(c3["days_since_last_payment"]) and c3["late_streak"] == 1
    assert f["n_invoices"].dtype == np.int64 and f["late_ratio"].dtype == np.float64


def test_collection_rates(ledger):
    by_sp = ledger.collection_rates(AS_OF)
    assert list(by_sp.columns) == ["period", "salesperson_id", "due", "collected", "rate"]
    expected = pd.DataFrame({
        "period": pd.to_datetime(["2026-01-01"] * 2 + ["2026-02-01"] * 2 + ["2026-03-01"] * 2),
        "salesperson_id": ["s10", "s11"] * 3,
        "due": [0.0, 220.0, 160.0, 0.0, 250.5, 0.0],
        "collected": [0.0, 0.0, 100.0, 0.0, 250.5, 0.0],
        "rate": [np.nan, 0.0, 0.625, np.nan, 1.0, np.nan],
    })
    pd.testing.assert_frame_equal(by_sp, expected)
    by_team = ledger.collection_rates(AS_OF, by="team")
    assert list(by_team.columns) == ["period", "team", "due", "collected", "rate"]
    assert list(by_team["team"]) == ["north", "south"] * 3
    assert list(ledger.collection_rates(AS_OF, by="customer_id").columns)[1] == "customer_id"
    assert error_of(lambda: ledger.collection_rates(AS_OF, freq="W"))[0] == \
        "ledger.collection.bad_freq"
    assert error_of(lambda: ledger.collection_rates(AS_OF, by="region"))[0] == \
        "ledger.collection.bad_group"
    plain = arscore.Ledger(invoices(), payments(), fx=FX)
    assert error_of(lambda: plain.collection_rates(AS_OF, by="team"))[0] == \
        "ledger.collection.no_teams"


def test_dso_cei_and_unapplied_payments(ledger):
    assert ledger.dso(AS_OF) == 22000 / 74050 * 90
    assert ledger.cei(D(2026, 2, 1), D(2026, 2, 28)) == 65.625
    unapplied = ledger.unapplied_payments()
    expected = pd.DataFrame({
        "invoice_id": ["A102", "X999"],
        "customer_id": ["c1", None],
        "paid_date": pd.to_datetime(["2026-03-01", "2026-02-15"]),
        "amount": [49.5, 12.34],
        "reason": ["overpayment", "unknown_invoice"],
    }, index=pd.Index([2, 4]))
    pd.testing.assert_frame_equal(unapplied, expected, check_index_type=False)
    assert len(ledger.unapplied_payments(D(2026, 2, 28))) == 1
    assert ledger.credit_balances().to_dict() == {"c1": 49.5}


def test_money_is_exact():
    inv = pd.DataFrame({"invoice_id": [1, 2], "customer_id": [1, 1], "salesperson_id": [1, 1],
                        "issue_date": [D(2026, 1, 1)] * 2, "due_date": [D(2026, 1, 31)] * 2,
                        "amount": [0.30, 1000.0], "currency": ["USD", "JPY"]})
    pay = pd.DataFrame({"invoice_id": [1, 1], "paid_date": [D(2026, 1, 2)] * 2,
                        "amount": [0.10, 0.20]})
    fx = pd.DataFrame({"currency": ["JPY"], "date": [D(2025, 12, 1)], "rate": [0.006405]})
    ledger = arscore.Ledger(inv, pay, fx=fx)
    items = ledger.open_items(D(2026, 1, 5))
    assert list(items["invoice_id"]) == [2]  # 0.10 + 0.20 settles 0.30 exactly
    assert items["balance"].tolist() == [6.41]  # 6.405 USD, half away from zero
    assert items["amount"].tolist() == [6.41]
    assert items["currency"].tolist() == ["JPY"]
    assert items["issue_date"].tolist() == [pd.Timestamp("2026-01-01")]
    code, message = error_of(lambda: arscore.Ledger(inv, pay))
    assert code == "ledger.fx.missing_rate"
    assert "no JPY rate in force on 2026-01-01" in message and "row 1" in message


def test_foreign_invoice_amount_and_currency_in_open_items():
    # CNY reporting: a USD invoice, partly paid, at 7.1 on its issue date (7.2 from February).
    inv = pd.DataFrame({"invoice_id": ["u1", "c1", "u2"], "customer_id": [1, 1, 2],
                        "salesperson_id": [5, 5, 5],
                        "issue_date": [D(2026, 1, 10), D(2026, 1, 12), D(2026, 2, 3)],
                        "due_date": [D(2026, 2, 9), D(2026, 2, 11), D(2026, 3, 5)],
                        "amount": [123.45, 1000.0, 10.0], "currency": ["USD", "CNY", "USD"]})
    pay = pd.DataFrame({"invoice_id": ["u1"], "paid_date": [D(2026, 1, 20)], "amount": [23.45]})
    fx = pd.DataFrame({"currency": ["USD", "USD"], "date": [D(2026, 1, 1), D(2026, 2, 1)],
                       "rate": [7.1, 7.2]})
    ledger = arscore.Ledger(inv, pay, currency="CNY", fx=fx)
    assert ledger.currency == "CNY" and ledger.currency_digits == 2
    items = ledger.open_items(D(2026, 2, 10))
    assert items["invoice_id"].tolist() == ["u1", "c1", "u2"]
    assert items["currency"].tolist() == ["USD", "CNY", "USD"]
    # 123.45 USD × 7.1 = 876.495 CNY, half away from zero; the balance is 100 USD × 7.1.
    assert items["amount"].tolist() == [876.5, 1000.0, 72.0]
    assert items["balance"].tolist() == [710.0, 1000.0, 72.0]
    assert items["issue_date"].tolist() == [pd.Timestamp("2026-01-10"),
                                            pd.Timestamp("2026-01-12"),
                                            pd.Timestamp("2026-02-03")]


def test_custom_currency_table_gives_the_reporting_digits():
    inv = pd.DataFrame({"invoice_id": [1], "customer_id": [1], "salesperson_id": [1],
                        "issue_date": [D(2026, 1, 1)], "due_date": [D(2026, 1, 31)],
                        "amount": [0.12345678]})
    pay = pd.DataFrame({"invoice_id": pd.Series([], dtype=np.int64),
                        "paid_date": pd.Series([], dtype="datetime64[ns]"),
                        "amount": pd.Series([], dtype=np.float64)})
    ledger = arscore.Ledger(inv, pay, currency="XBT", currencies={"XBT": 8})
    assert ledger.currency == "XBT" and ledger.currency_digits == 8
    items = ledger.open_items(D(2026, 1, 2))
    assert items["amount"].tolist() == [0.12345678]
    assert items["currency"].tolist() == ["XBT"]
    # A custom table overrides the standard decimals; the default is the standard table.
    assert arscore.Ledger(inv, pay, currency="USD", currencies={"USD": 3}).currency_digits == 3
    assert arscore.Ledger(inv.assign(amount=1000.0), pay, currency="JPY").currency_digits == 0
    assert arscore.Ledger(inv, pay).currency_digits == 2


def test_bad_input_names_the_rows():
    inv = invoices()
    bad = inv.assign(invoice_id=["A", "B", "A", "C", "B", "D"])
    assert error_of(lambda: arscore.Ledger(bad, payments(), fx=FX)) == (
        "ledger.invoice.duplicate_id",
        "[ledger.invoice.duplicate_id] 2 duplicated invoice_id (A, B): invoices rows 0, 1, 2, 4")
    bad = inv.assign(amount=[100.0, "12,5", np.nan, 80.0, None, 30.0])
    assert error_of(lambda: arscore.Ledger(bad, payments(), fx=FX)) == (
        "ledger.invoice.bad_amount",
        "[ledger.invoice.bad_amount] amount is NaN, infinite, not positive or beyond 2^53 minor "
        "units: invoices rows 1, 2, 4")
    bad = inv.assign(due_date=[D(2026, 1, 1)] + list(inv["due_date"][1:]))
    assert error_of(lambda: arscore.Ledger(bad, payments(), fx=FX))[1].endswith(
        "due_date is before issue_date: invoices row 0")
    bad = inv.assign(currency=["USD", "usd", "EUR", None, "USD", "USD"])
    assert error_of(lambda: arscore.Ledger(bad, payments(), fx=FX))[1].endswith(
        "invoices rows 1, 3")
    bad = inv.assign(status=["open", "paid", "open", "open", "open", "open"])
    assert error_of(lambda: arscore.Ledger(bad, payments(), fx=FX)) == (
        "ledger.invoice.bad_status",
        "[ledger.invoice.bad_status] status missing or not one of open, disputed, on_hold, "
        "written_off: invoices row 1")
    bad = inv.assign(issue_date=[D(2026, 1, 5), None, "2026-01-10", "2026-03-01",
                                 D(2026, 1, 15), D(2026, 3, 10)])
    assert error_of(lambda: arscore.Ledger(bad, payments(), fx=FX)) == (
        "ledger.input.bad_date",
        "[ledger.input.bad_date] issue_date is missing or not a date: invoices row 1")
    assert error_of(lambda: arscore.Ledger(inv.drop(columns="amount"), payments()))[0] == \
        "ledger.input.missing_column"
    pay = payments().assign(amount=[40, -1, 300, "x", 12.34, 100])
    assert error_of(lambda: arscore.Ledger(inv, pay, fx=FX))[1].endswith("payments rows 1, 3")
    pay = payments().assign(paid_date=[D(2026, 1, 1)] + list(payments()["paid_date"][1:]))
    assert error_of(lambda: arscore.Ledger(inv, pay, fx=FX))[0] == "ledger.payment.before_issue"
    customers = pd.DataFrame({"customer_id": ["c1", "c2"]})
    assert error_of(lambda: arscore.Ledger(inv, payments(), customers, fx=FX)) == (
        "ledger.invoice.unknown_customer",
        "[ledger.invoice.unknown_customer] customer_id not in the customers table: invoices "
        "row 4")
    assert error_of(lambda: arscore.Ledger(
        inv, payments(), pd.DataFrame({"customer_id": ["c1", "c2", "c3", "c1"]}), fx=FX)) == (
        "ledger.customer.duplicate_id",
        "[ledger.customer.duplicate_id] 1 duplicated customer_id (c1): customers rows 0, 3")


def test_as_of_accepts_date_like_values(ledger):
    a = ledger.open_items(D(2026, 3, 15))
    pd.testing.assert_frame_equal(a, ledger.open_items("2026-03-15"))
    pd.testing.assert_frame_equal(a, ledger.open_items(np.datetime64("2026-03-15")))
    pd.testing.assert_frame_equal(a, ledger.open_items(pd.Timestamp("2026-03-15")))


def test_before_any_invoice_outputs_are_empty_with_their_columns(ledger):
    early = D(2025, 1, 1)
    assert ledger.open_items(early).shape == (0, 11)
    aging = ledger.aging(early)
    assert list(aging.index) == ["TOTAL"] and aging.loc["TOTAL", "total"] == 0.0
    assert ledger.collection_rates(early).shape == (0, 5)
    assert ledger.customer_features(early).shape == (0, 15)
    assert ledger.unapplied_payments(early).shape == (0, 5)
    assert np.isnan(ledger.dso(early)) and np.isnan(ledger.cei(early, early))
    empty = arscore.Ledger(invoices().iloc[:0], payments().iloc[:0])
    assert len(empty) == 0 and empty.open_items(early).shape == (0, 11)
