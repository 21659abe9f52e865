"""arscore.Ledger: pandas DataFrames in, pandas DataFrames out, over the native ledger.

Ids of any hashable type are mapped to int64 keys (integer ids are used as they are; others
through ``pandas.factorize(sort=True)``, so outputs are ordered by id) and mapped back in
every output. Error messages name rows by their 0-based position in the input DataFrame.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping, Optional, Sequence

import numpy as np
import pandas as pd

from ._arscore import Calendar, Error, _Ledger, _status_codes

_STATUS_NAMES = np.array(["open", "disputed", "on_hold", "written_off"], dtype=object)
_NAT = np.iinfo(np.int64).min
_TICKS_PER_DAY = {"h": 24, "m": 1440, "s": 86_400, "ms": 86_400_000, "us": 86_400_000_000,
                  "ns": 86_400_000_000_000}
_GROUP_COLUMNS = {
    "salesperson": "salesperson_id",
    "salesperson_id": "salesperson_id",
    "customer": "customer_id",
    "customer_id": "customer_id",
    "team": "team",
}
_FEATURE_COLUMNS = [
    "n_invoices", "n_paid", "n_paid_late", "late_ratio", "avg_days_late", "max_days_late",
    "open_amount", "overdue_amount", "overdue_ratio", "max_days_past_due", "late_streak",
    "tenure_days", "days_since_last_payment", "avg_invoice_amount", "n_disputed",
]


def _error(code: str, message: str) -> Error:
    error = Error(f"[{code}] {message}")
    error.code = code
    return error


def _rows(rows: Sequence[int]) -> str:
    rows = [int(r) for r in rows]
    text = ", ".join(str(r) for r in rows[:10])
    if len(rows) > 10:
        text += f", … (first 10 of {len(rows)})"
    return ("row " if len(rows) == 1 else "rows ") + text


def _column(frame: pd.DataFrame, table: str, name: str) -> pd.Series:
    if name not in frame.columns:
        raise _error("ledger.input.missing_column", f"{table} has no column '{name}'")
    return frame[name]


def _is_plain_integer(series: pd.Series) -> bool:
    return isinstance(series.dtype, np.dtype) and series.dtype.kind in "iu"


class _Keys:
    """One id space (e.g. invoice ids of invoices and payments) as int64 keys."""

    def __init__(self, columns: Sequence[tuple[pd.Series, str, str]]):
        series = [c for c, _, _ in columns]
        if all(_is_plain_integer(s) for s in series):
            self.labels: Optional[np.ndarray] = None
            self.keys = [s.to_numpy(dtype=np.int64) for s in series]
            return
        # An object array, not a Series: pandas would make the uniques an Index and warn
        # when the ids are integers held as objects.
        joined = np.concatenate([s.to_numpy(dtype=object) for s in series])
        try:
            codes, uniques = pd.factorize(joined, sort=True)
        except TypeError:  # ids of mixed, unorderable types: first-appearance order
            codes, uniques = pd.factorize(joined, sort=False)
        self.labels = np.asarray(uniques, dtype=object)
        self.keys = []
        start = 0
        for s, table, name in columns:
            part = codes[start:start + len(s)].astype(np.int64)
            start += len(s)
            missing = np.flatnonzero(part < 0)
            if missing.size:
                raise _error("ledger.input.missing_id", f"{name} is missing: {table} {_rows(missing)}")
            self.keys.append(part)

    def to_labels(self, keys: np.ndarray) -> np.ndarray:
        return keys if self.labels is None else self.labels[keys]

    def check_unique(self, index: int, code: str, table: str, column: str) -> None:
        """Duplicates named by label (the native check would show factorized keys)."""
        if self.labels is None:
            return
        keys = pd.Series(self.keys[index])
        duplicated = keys.duplicated(keep=False).to_numpy()
        if duplicated.any():
            ids = list(dict.fromkeys(self.labels[keys[duplicated]]))
            shown = ", ".join(str(i) for i in ids[:5]) + (", …" if len(ids) > 5 else "")
            raise _error(code, f"{len(ids)} duplicated {column} ({shown}): {table} "
                               f"{_rows(np.flatnonzero(duplicated))}")


def _date_serials(series: pd.Series, table: str, column: str) -> np.ndarray:
    """datetime64[D] day serials as int64 (NaT = the minimum int64)."""
    values = series.to_numpy()
    if values.dtype.kind == "M":
        unit, count = np.datetime_data(values.dtype)
        if unit == "D":
            return values.view(np.int64)
        if unit in _TICKS_PER_DAY and count == 1:
            # Integer floor division: numpy's unit conversion goes through a calendar struct
            # per element and is an order of magnitude slower.
            ticks = values.view(np.int64)
            days = ticks // _TICKS_PER_DAY[unit]
            days[ticks == _NAT] = _NAT
            return days
    try:
        if values.dtype.kind == "M":
            days = values.astype("datetime64[D]")
        else:
            days = np.asarray(values, dtype="datetime64[D]")
    except (ValueError, TypeError, OverflowError):
        bad = [i for i, v in enumerate(values) if not _is_date_like(v)]
        raise _error("ledger.input.bad_date",
                     f"{column} is not a date: {table} {_rows(bad)}") from None
    return days.view(np.int64)


def _is_date_like(value: Any) -> bool:
    try:
        np.datetime64(value, "D")
    except (ValueError, TypeError, OverflowError):
        return False
    return True


def _to_dates(serials: np.ndarray) -> np.ndarray:
    return serials.astype("datetime64[D]").astype("datetime64[ns]")


def _amounts(series: pd.Series) -> np.ndarray:
    """float64 amounts; text that is not a number becomes NaN (and the native check names it)."""
    return pd.to_numeric(series, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)


def _categorical(series: pd.Series) -> tuple[list[str], np.ndarray]:
    codes, uniques = pd.factorize(series)
    return [str(u) for u in uniques], codes.astype(np.int32)


class Ledger:
    """Invoices and payments, validated and settled, queried at any date ``as_of``.

    ``invoices``: invoice_id, customer_id, salesperson_id, issue_date, due_date, amount and
    optionally currency, status (open|disputed|on_hold|written_off), hold_until.
    ``payments``: invoice_id, paid_date, amount (in the invoice's currency).
    ``customers``: customer_id, … ; ``salespeople``: salesperson_id and optionally team
    (other columns, e.g. manager_id, are not used by any output).
    ``fx``: currency, date, rate (reporting units per unit, in force from date).
    Bad input raises arscore.Error naming the rows (0-based positions).
    """

    def __init__(self, invoices: pd.DataFrame, payments: pd.DataFrame,
                 customers: Optional[pd.DataFrame] = None,
                 salespeople: Optional[pd.DataFrame] = None, *, currency: str = "USD",
                 currencies: Optional[Mapping[str, int]] = None,
                 fx: Optional[pd.DataFrame] = None, calendar: Optional[Calendar] = None):
        inv = invoices
        pay = payments
        invoice_cols = [(_column(inv, "invoices", "invoice_id"), "invoices", "invoice_id"),
                        (_column(pay, "payments", "invoice_id"), "payments", "invoice_id")]
        self._invoice_keys = _Keys(invoice_cols)
        self._invoice_keys.check_unique(0, "ledger.invoice.duplicate_id", "invoices", "invoice_id")
        customer_cols = [(_column(inv, "invoices", "customer_id"), "invoices", "customer_id")]
        if customers is not None:
            customer_cols.append((_column(customers, "customers", "customer_id"), "customers",
                                  "customer_id"))
        self._customer_keys = _Keys(customer_cols)
        if customers is not None:
            self._customer_keys.check_unique(1, "ledger.customer.duplicate_id", "customers",
                                             "customer_id")
        salesperson_cols = [(_column(inv, "invoices", "salesperson_id"), "invoices",
                             "salesperson_id")]
        teams = None
        self._team_keys: Optional[_Keys] = None
        if salespeople is not None:
            salesperson_cols.append((_column(salespeople, "salespeople", "salesperson_id"),
                                     "salespeople", "salesperson_id"))
            if "team" in salespeople.columns:
                self._team_keys = _Keys([(salespeople["team"], "salespeople", "team")])
                teams = self._team_keys.keys[0]
            # manager_id (and any other column) stays with the caller: no output uses it.
        self._salesperson_keys = _Keys(salesperson_cols)
        if salespeople is not None:
            self._salesperson_keys.check_unique(1, "ledger.salesperson.duplicate_id",
                                                "salespeople", "salesperson_id")

        currency_categories: list[str] = []
        currency_codes = None
        if "currency" in inv.columns:
            currency_categories, currency_codes = _categorical(inv["currency"])
        status_categories: list[str] = []
        status_codes = None
        if "status" in inv.columns:
            status = inv["status"].to_numpy()
            if status.dtype == object:
                status_categories = list(_STATUS_NAMES)
                status_codes = _status_codes(np.ascontiguousarray(status))
            else:
                status_categories, status_codes = _categorical(inv["status"])
        hold_until = None
        if "hold_until" in inv.columns:
            hold_until = _date_serials(inv["hold_until"], "invoices", "hold_until")
        fx_currency = fx_date = fx_rate = None
        if fx is not None:
            fx_currency = [str(c) for c in _column(fx, "fx", "currency")]
            fx_date = _date_serials(_column(fx, "fx", "date"), "fx", "date")
            fx_rate = _amounts(_column(fx, "fx", "rate"))

        self._payment_index = pay.index
        self._native = _Ledger(
            invoice_id=self._invoice_keys.keys[0],
            customer_id=self._customer_keys.keys[0],
            salesperson_id=self._salesperson_keys.keys[0],
            issue_date=_date_serials(_column(inv, "invoices", "issue_date"), "invoices",
                                     "issue_date"),
            due_date=_date_serials(_column(inv, "invoices", "due_date"), "invoices", "due_date"),
            amount=_amounts(_column(inv, "invoices", "amount")),
            currency_categories=currency_categories, currency_codes=currency_codes,
            status_categories=status_categories, status_codes=status_codes,
            hold_until=hold_until,
            payment_invoice_id=self._invoice_keys.keys[1],
            paid_date=_date_serials(_column(pay, "payments", "paid_date"), "payments",
                                    "paid_date"),
            payment_amount=_amounts(_column(pay, "payments", "amount")),
            customers=self._customer_keys.keys[1] if customers is not None else None,
            salespeople=self._salesperson_keys.keys[1] if salespeople is not None else None,
            teams=teams, managers=None, currency=currency,
            currencies=dict(currencies) if currencies is not None else None,
            fx_currency=fx_currency, fx_date=fx_date, fx_rate=fx_rate, calendar=calendar)
        # The native currency indices of open_items index this (reporting currency first).
        self._currencies = np.asarray(self._native.currencies, dtype=object)

    def __len__(self) -> int:
        return len(self._native)

    @property
    def currency(self) -> str:
        """The reporting currency."""
        return self._native.currency

    @property
    def currency_digits(self) -> int:
        """Decimals of the reporting currency (from ``currencies`` when given, else the
        standard table)."""
        return self._native.currency_digits

    def open_items(self, as_of: Any) -> pd.DataFrame:
        """Invoices with a positive balance at ``as_of`` (written-off ones excluded).

        ``amount`` (the original amount) and ``balance`` are in the reporting currency,
        converted at the booking rate; ``currency`` is the invoice's own currency code."""
        r = self._native.open_items(as_of)
        return pd.DataFrame({
            "invoice_id": self._invoice_keys.to_labels(r["invoice_id"]),
            "customer_id": self._customer_keys.to_labels(r["customer_id"]),
            "salesperson_id": self._salesperson_keys.to_labels(r["salesperson_id"]),
            "issue_date": _to_dates(r["issue_date"]),
            "due_date": _to_dates(r["due_date"]),
            "amount": r["amount"],
            "currency": self._currencies[r["currency"]],
            "balance": r["balance"],
            "days_past_due": r["days_past_due"],
            "business_days_past_due": r["business_days_past_due"],
            "status": _STATUS_NAMES[r["status"]],
        })

    def aging(self, as_of: Any, buckets: Iterable[int] = (0, 30, 60, 90)) -> pd.DataFrame:
        """Open balances per customer by days past due (buckets closed on the right), with a
        ``TOTAL`` row and a ``total`` column."""
        r = self._native.aging(as_of, [int(b) for b in buckets])
        labels = list(r["labels"]) + ["total"]
        values = np.column_stack([r["amounts"], r["total"]]) if len(r["total"]) else \
            np.zeros((0, len(labels)))
        totals = np.append(r["bucket_totals"], r["grand_total"])
        index = list(self._customer_keys.to_labels(r["customer_id"])) + ["TOTAL"]
        frame = pd.DataFrame(np.vstack([values, totals]), columns=labels,
                             index=pd.Index(index, name="customer_id", dtype=object))
        return frame

    def dso(self, as_of: Any, days: int = 90) -> float:
        """Receivables at as_of ÷ credit sales issued in (as_of − days, as_of] × days."""
        return self._native.dso(as_of, int(days))

    def cei(self, start: Any, end: Any) -> float:
        """Collection effectiveness index over [start, end], in percent."""
        return self._native.cei(start, end)

    def collection_rates(self, as_of: Any, by: str = "salesperson",
                         freq: str = "M") -> pd.DataFrame:
        """Monthly due and collected amounts and their ratio per salesperson, customer or team."""
        if freq not in ("M", "MS"):
            raise _error("ledger.collection.bad_freq",
                         f"freq '{freq}' is not supported: only 'M' (monthly)")
        if by not in _GROUP_COLUMNS:
            raise _error("ledger.collection.bad_group",
                         f"cannot group by '{by}': expected salesperson_id, customer_id or team")
        column = _GROUP_COLUMNS[by]
        r = self._native.collection_rates(as_of, by)
        keys = {"salesperson_id": self._salesperson_keys, "customer_id": self._customer_keys,
                "team": self._team_keys}[column]
        assert keys is not None  # the native call raised when there are no teams
        return pd.DataFrame({
            "period": _to_dates(r["period"]),
            column: keys.to_labels(r["key"]),
            "due": r["due"],
            "collected": r["collected"],
            "rate": r["rate"],
        })

    def customer_features(self, as_of: Any) -> pd.DataFrame:
        """Point-in-time payment behaviour per customer with an invoice issued by as_of."""
        r = self._native.customer_features(as_of)
        index = pd.Index(self._customer_keys.to_labels(r["customer_id"]), name="customer_id")
        return pd.DataFrame({name: r[name] for name in _FEATURE_COLUMNS}, index=index)

    def unapplied_payments(self, as_of: Any = None) -> pd.DataFrame:
        """Payments for unknown invoices and the overpaid parts of payments (credit balances),
        indexed like the payments DataFrame; limited to payments made by ``as_of`` if given."""
        r = self._native.unapplied_payments(as_of)
        has_customer = np.asarray(r["has_customer"], dtype=bool)
        customers = np.empty(len(has_customer), dtype=object)
        customers[:] = None
        if has_customer.any():
            customers[has_customer] = self._customer_keys.to_labels(
                r["customer_id"][has_customer])
        return pd.DataFrame({
            "invoice_id": self._invoice_keys.to_labels(r["invoice_id"]),
            "customer_id": customers,
            "paid_date": _to_dates(r["paid_date"]),
            "amount": r["amount"],
            "reason": np.asarray(r["reason"], dtype=object),
        }, index=self._payment_index[r["row"]])

    def credit_balances(self, as_of: Any = None) -> pd.Series:
        """Overpaid amounts held per customer (sum of unapplied overpayments)."""
        unapplied = self.unapplied_payments(as_of)
        over = unapplied[unapplied["reason"] == "overpayment"]
        return over.groupby("customer_id", sort=True)["amount"].sum().rename("credit")
