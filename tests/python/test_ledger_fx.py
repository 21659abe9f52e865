"""Multi-currency ledgers: balances convert at the rate in force on each invoice's issue date,
as exact decimal arithmetic rounded half away from zero (checked against Python's decimal),
and FX rates published after as_of change nothing at as_of."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd
import pytest

import arscore
from ledger_reference import generate_ledger

DIGITS = {"USD": 2, "EUR": 2, "JPY": 0, "KWD": 3}


@pytest.fixture(scope="module")
def data():
    invoices, payments, customers, salespeople = generate_ledger(3000, 3600, seed=3)
    rng = np.random.default_rng(3)
    currency = rng.choice(list(DIGITS), len(invoices))
    invoices = invoices.assign(currency=currency)
    # Amounts with the currency's decimals (JPY whole yen, KWD three decimals).
    scale = np.array([10 ** DIGITS[c] for c in currency])
    invoices["amount"] = np.round(invoices["amount"].to_numpy() * scale / 100) / scale
    invoices.loc[invoices["amount"] <= 0, "amount"] = 1.0
    # Payments in full on half of the invoices, in the invoice's currency: an invoice is
    # either open for its whole amount or settled.
    paid = invoices.sample(frac=0.5, random_state=3)
    payments = pd.DataFrame({"invoice_id": paid["invoice_id"].to_numpy(),
                             "paid_date": (paid["due_date"] + pd.Timedelta(days=5)).to_numpy(),
                             "amount": paid["amount"].to_numpy()})
    months = pd.date_range("2023-12-01", "2026-06-01", freq="MS")
    fx = pd.concat([pd.DataFrame({"currency": c, "date": months,
                                  "rate": np.round(rng.uniform(lo, hi, len(months)), 6)})
                    for c, lo, hi in [("EUR", 1.05, 1.15), ("JPY", 0.0062, 0.0071),
                                      ("KWD", 3.2, 3.3)]], ignore_index=True)
    return invoices, payments, customers, salespeople, fx


def expected_balance(row, fx):
    """The whole amount of an unpaid invoice, in USD, by decimal arithmetic."""
    currency = row["currency"]
    digits = DIGITS[currency]
    minor = round(row["amount"] * 10 ** digits)
    if currency == "USD":
        return Decimal(minor) / 100
    rates = fx[(fx["currency"] == currency) & (fx["date"] <= row["issue_date"])]
    rate = Decimal(repr(float(rates.sort_values("date")["rate"].iloc[-1])))
    value = Decimal(minor) * rate * Decimal(10) ** (2 - digits)
    return value.quantize(Decimal(1), rounding=ROUND_HALF_UP) / 100


@pytest.mark.parametrize("as_of", [dt.date(2024, 6, 30), dt.date(2025, 9, 15)])
def test_balances_convert_exactly_at_the_booking_rate(data, as_of):
    invoices, payments, customers, salespeople, fx = data
    ledger = arscore.Ledger(invoices, payments, customers, salespeople, fx=fx,
                            currency="USD")
    items = ledger.open_items(as_of).set_index("invoice_id")
    stamp = pd.Timestamp(as_of)
    paid = payments[payments["paid_date"] <= stamp]
    open_invoices = invoices[(invoices["issue_date"] <= stamp)
                             & ~invoices["invoice_id"].isin(paid["invoice_id"])
                             & (invoices["status"] != "written_off")]
    assert sorted(items.index) == sorted(open_invoices["invoice_id"])
    for _, row in open_invoices.iterrows():
        assert Decimal(repr(items.loc[row["invoice_id"], "balance"])) == \
            expected_balance(row, fx), row["invoice_id"]
    aging = ledger.aging(as_of)
    assert aging.loc["TOTAL", "total"] == pytest.approx(items["balance"].sum(), abs=1e-6)


@pytest.mark.parametrize("as_of", [dt.date(2024, 6, 30), dt.date(2025, 9, 15)])
def test_rates_after_as_of_do_not_matter(data, as_of):
    invoices, payments, customers, salespeople, fx = data
    stamp = pd.Timestamp(as_of)
    full = arscore.Ledger(invoices, payments, customers, salespeople, fx=fx)
    cut = arscore.Ledger(invoices[invoices["issue_date"] <= stamp],
                         payments[payments["paid_date"] <= stamp], customers, salespeople,
                         fx=fx[fx["date"] <= stamp])
    pd.testing.assert_frame_equal(full.open_items(as_of), cut.open_items(as_of))
    pd.testing.assert_frame_equal(full.aging(as_of), cut.aging(as_of))
    pd.testing.assert_frame_equal(full.customer_features(as_of), cut.customer_features(as_of))
    pd.testing.assert_frame_equal(full.collection_rates(as_of, by="team"),
                                  cut.collection_rates(as_of, by="team"))
    assert full.dso(as_of) == cut.dso(as_of)


def test_missing_rate_names_currency_date_and_rows(data):
    invoices, payments, customers, salespeople, fx = data
    with pytest.raises(arscore.Error) as error:
        arscore.Ledger(invoices, payments, fx=fx[fx["currency"] != "KWD"])
    assert error.value.code == "ledger.fx.missing_rate"
    assert str(error.value).startswith("[ledger.fx.missing_rate] no KWD rate in force on ")
    assert "(the issue date of invoices rows " in str(error.value)


def test_custom_currency_decimals():
    inv = pd.DataFrame({"invoice_id": [1], "customer_id": [1], "salesperson_id": [1],
                        "issue_date": [dt.date(2026, 1, 1)], "due_date": [dt.date(2026, 1, 1)],
                        "amount": [1.2345], "currency": ["XAU"]})
    pay = pd.DataFrame({"invoice_id": [1], "paid_date": [dt.date(2026, 1, 2)],
                        "amount": [1.2344]})
    fx = pd.DataFrame({"currency": ["XAU"], "date": [dt.date(2025, 1, 1)], "rate": [2000.0]})
    ledger = arscore.Ledger(inv, pay, currencies={"XAU": 4}, fx=fx)
    # 0.0001 XAU left × 2000 = 0.20 USD.
    assert ledger.open_items(dt.date(2026, 1, 3))["balance"].tolist() == [0.2]
    with pytest.raises(arscore.Error) as error:
        arscore.Ledger(inv, pay, fx=fx)
    assert error.value.code == "ledger.invoice.unknown_currency"
