"""arscore.EscalationEngine: runs an escalation policy over an arscore.Ledger.

The native engine works on int64 keys. Integer ids are used as they are; any other id is
mapped to a stable 64-bit key (BLAKE2b of its type and text), so that the opaque state and the
``action_id`` of an action stay the same from one run (and one ledger) to the next, and keys are
mapped back to the ledger's ids in every output.
"""

from __future__ import annotations

import datetime
import hashlib
from typing import Any, Hashable, Mapping, Optional, Union

import numpy as np
import pandas as pd

from ._arscore import (Calendar, Error, EscalationPolicy, EscalationState, _currency_digits,
                       _EscalationEngine)

ACTION_COLUMNS = [
    "action_id", "as_of", "policy_id", "policy_version", "kind", "rule", "customer_id",
    "salesperson_id", "invoice_ids", "channel", "recipients", "template", "amount",
    "days_overdue", "reason",
]
_STATUS_CODES = {"open": 0, "disputed": 1, "on_hold": 2}
_FEATURES = [
    "n_invoices", "n_paid", "n_paid_late", "late_ratio", "avg_days_late", "max_days_late",
    "overdue_ratio", "max_days_past_due", "late_streak", "tenure_days",
    "days_since_last_payment", "avg_invoice_amount", "n_disputed",
]
_EPOCH = datetime.date(1970, 1, 1)


def _error(code: str, message: str) -> Error:
    error = Error(f"[{code}] {message}")
    error.code = code
    return error


def _date(value: Any) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return pd.Timestamp(value).date()
    except (ValueError, TypeError) as e:
        raise _error("rules.input.bad_date", f"not a date: {value!r}") from e


def _serial(day: datetime.date) -> int:
    return (day - _EPOCH).days


class _Keys:
    """Ids ↔ int64 keys. Integer ids are their own keys; any other id is hashed, and the hashed
    ones are remembered so outputs can be mapped back. Columns are mapped a distinct id at a
    time (pandas.factorize), so a million rows cost a hash table pass, not a million calls.
    A hashed key equal to an integer id of the same run is an error, never a wrong label."""

    def __init__(self) -> None:
        self.labels: dict[int, Hashable] = {}  # hashed key → its id
        self._ints: list[np.ndarray] = []  # the integer id columns of the current run

    def new_run(self) -> None:
        self._ints = []

    @staticmethod
    def _collision(first: Any, second: Any) -> Error:
        return _error("rules.input.id_collision", f"ids {first!r} and {second!r} share a key")

    def _hash(self, label: Hashable) -> int:
        text = f"{type(label).__name__}:{label}".encode()
        key = int.from_bytes(hashlib.blake2b(text, digest_size=8).digest(), "little", signed=True)
        seen = self.labels.setdefault(key, label)
        if seen is not label and seen != label:
            raise self._collision(seen, label)
        return key

    def _check_hashed(self, hashed: np.ndarray) -> None:
        for column in self._ints:
            hit = np.isin(hashed, column)
            if hit.any():
                key = int(hashed[hit][0])
                raise self._collision(self.labels[key], key)

    def _check_ints(self, ints: np.ndarray) -> None:
        if self.labels:
            hit = np.isin(ints, np.fromiter(self.labels, np.int64, count=len(self.labels)))
            if hit.any():
                key = int(ints[hit][0])
                raise self._collision(self.labels[key], key)
        self._ints.append(ints)

    def key(self, label: Hashable) -> int:
        if isinstance(label, (int, np.integer)) and not isinstance(label, (bool, np.bool_)):
            key = int(label)
            if not -2**63 <= key < 2**63:
                raise _error("rules.input.bad_id", f"id {label!r} does not fit in 64 bits")
            self._check_ints(np.array([key], dtype=np.int64))
            return key
        key = self._hash(label)
        self._check_hashed(np.array([key], dtype=np.int64))
        return key

    def keys(self, labels: Any) -> np.ndarray:
        values = labels.to_numpy() if hasattr(labels, "to_numpy") else np.asarray(labels)
        if values.dtype.kind == "i":
            out = values.astype(np.int64, copy=False)
            self._check_ints(out)
            return out
        if len(values) == 0:
            return np.zeros(0, dtype=np.int64)
        codes, uniques = pd.factorize(values, use_na_sentinel=False)
        unique_keys = np.zeros(len(uniques), dtype=np.int64)
        is_int = np.fromiter((isinstance(u, (int, np.integer)) and not isinstance(u, (bool, np.bool_))
                              for u in uniques), dtype=bool, count=len(uniques))
        for i in np.flatnonzero(is_int):
            key = int(uniques[i])
            if not -2**63 <= key < 2**63:
                raise _error("rules.input.bad_id", f"id {uniques[i]!r} does not fit in 64 bits")
            unique_keys[i] = key
        for i in np.flatnonzero(~is_int):
            unique_keys[i] = self._hash(uniques[i])
        self._check_hashed(unique_keys[~is_int])
        self._check_ints(unique_keys[is_int])
        return unique_keys[codes]

    def label(self, key: Optional[int]) -> Any:
        return None if key is None else self.labels.get(key, key)

    def labels_of(self, keys: np.ndarray, valid: Optional[np.ndarray] = None) -> np.ndarray:
        """The ids of an int64 key column as an object array (None where not ``valid``)."""
        out = keys.astype(object)
        if self.labels and len(keys):
            mapped = pd.Series(keys).map(self.labels)
            hashed = mapped.notna().to_numpy()
            out[hashed] = mapped.to_numpy()[hashed]
        if valid is not None:
            out[~valid] = None
        return out


def _minor(values: Any, digits: int) -> np.ndarray:
    scaled = np.asarray(values, dtype=np.float64) * 10.0 ** digits
    return np.round(np.nan_to_num(scaled)).astype(np.int64)


def _scores(scores: Any, keys: _Keys) -> dict[int, tuple[Optional[float], Optional[float]]]:
    if scores is None:
        return {}
    if isinstance(scores, pd.DataFrame):
        frame = scores.set_index("customer_id") if "customer_id" in scores.columns else scores
        if "credit_score" not in frame.columns and "p_late" not in frame.columns:
            raise _error("rules.scores.missing_column",
                         "scores need a credit_score (or p_late) column")
        if not frame.index.is_unique:
            duplicated = frame.index[frame.index.duplicated()][0]
            raise _error("rules.scores.duplicate_customer",
                         f"scores list customer {duplicated!r} more than once")
        columns = []
        for name in ("credit_score", "p_late"):
            if name not in frame.columns:
                columns.append([None] * len(frame))
                continue
            try:
                values = frame[name].to_numpy(dtype=np.float64, na_value=np.nan)
            except (TypeError, ValueError) as e:
                raise _error("rules.scores.bad_value", f"scores column {name!r} is not numeric: "
                             f"{e}") from e
            columns.append([None if np.isnan(v) else float(v) for v in values])
        customer_keys = keys.keys(frame.index) if len(frame) else np.zeros(0, dtype=np.int64)
        return {int(k): (c, p) for k, c, p in zip(customer_keys, columns[0], columns[1])}
    elif isinstance(scores, Mapping):
        records = scores
    else:
        raise TypeError("scores must be a DataFrame indexed by customer_id or a dict "
                        "{customer_id: {'credit_score': ...}}")
    out = {}
    ids = list(records)
    for cid, key in zip(ids, keys.keys(pd.Index(ids, dtype=object)) if ids else ()):
        record = records[cid]
        unknown = set(record) - {"credit_score", "p_late"}
        if unknown:
            raise _error("rules.scores.unknown_key",
                         f"scores of customer {cid!r} have unknown keys {sorted(unknown)}: "
                         "expected credit_score, p_late")

        def value(name: str) -> Optional[float]:
            v = record.get(name)
            return None if v is None or pd.isna(v) else float(v)

        out[int(key)] = (value("credit_score"), value("p_late"))
    return out


def _feature_columns(features: pd.DataFrame, keys: _Keys, digits: int) -> dict[str, Any]:
    """The native columns of a customer_features() frame."""
    columns: dict[str, Any] = {
        name: features[name].to_numpy(dtype=np.float64) for name in _FEATURES}
    columns["customer_id"] = keys.keys(features.index)
    columns["open_amount"] = _minor(features["open_amount"], digits)
    columns["overdue_amount"] = _minor(features["overdue_amount"], digits)
    return columns


class EscalationEngine:
    """Runs ``policy`` over a Ledger: ``run`` for one day, ``simulate`` over a period,
    ``check_contract`` for a contract decision. ``calendar`` counts business days for
    ``day_basis: business`` (default: the ledger's calendar)."""

    def __init__(self, policy: EscalationPolicy, calendar: Optional[Calendar] = None):
        if not isinstance(policy, EscalationPolicy):
            raise TypeError("policy must be an arscore.EscalationPolicy")
        self._native = _EscalationEngine(policy, calendar)
        self.policy = policy

    def _facts(self, ledger: Any, day: datetime.date, keys: _Keys, digits: int):
        items = ledger.open_items(day)
        open_columns = {
            "invoice_id": keys.keys(items["invoice_id"]),
            "customer_id": keys.keys(items["customer_id"]),
            "salesperson_id": keys.keys(items["salesperson_id"]),
            "due_date": items["due_date"].to_numpy().astype("datetime64[D]").astype(np.int64),
            "balance": _minor(items["balance"], digits),
            "days_past_due": items["days_past_due"].to_numpy(dtype=np.int64),
            "business_days_past_due": items["business_days_past_due"].to_numpy(dtype=np.int64),
            "status": np.array([_STATUS_CODES[s] for s in items["status"]], dtype=np.int32),
        }
        feature_columns = _feature_columns(ledger.customer_features(day), keys, digits)
        # A customer streak of N months also reads the N - 1 month ends before day's month.
        month_end_columns = []
        month = pd.Timestamp(day).to_period("M")
        for k in range(1, self._native.month_ends_needed + 1):
            month_end = (month - k).to_timestamp(how="end").date()
            month_end_columns.append(
                _feature_columns(ledger.customer_features(month_end), keys, digits))
        if self._native.needs_rates:
            rates = ledger.collection_rates(day, by="salesperson")
        else:
            rates = pd.DataFrame({"period": pd.Series([], dtype="datetime64[ns]"),
                                  "salesperson_id": [], "due": [], "collected": [], "rate": []})
        rate_columns = {
            "period": rates["period"].to_numpy().astype("datetime64[D]").astype(np.int64),
            "key": keys.keys(rates["salesperson_id"]),
            "due": _minor(rates["due"], digits),
            "collected": _minor(rates["collected"], digits),
            "rate": rates["rate"].to_numpy(dtype=np.float64),
        }
        return open_columns, feature_columns, month_end_columns, rate_columns

    @staticmethod
    def _digits(ledger: Any) -> int:
        digits = _currency_digits(ledger.currency)
        return 2 if digits is None else digits

    def _frame(self, columns: Mapping[str, Any], keys: _Keys) -> pd.DataFrame:
        n = len(columns["action_id"])
        invoice_labels = keys.labels_of(columns["invoice_ids"]).tolist()
        offsets = columns["invoice_offsets"].tolist()
        frame = pd.DataFrame({
            "action_id": pd.Series(columns["action_id"], dtype=object),
            "as_of": columns["as_of"].astype("datetime64[D]").astype("datetime64[ns]"),
            "policy_id": pd.Series([self.policy.id] * n, dtype=object),
            "policy_version": np.full(n, self.policy.version, dtype=np.int64),
            "kind": pd.Series(columns["kind"], dtype=object),
            "rule": pd.Series(columns["rule"], dtype=object),
            "customer_id": keys.labels_of(columns["customer_id"], columns["has_customer"]),
            "salesperson_id": keys.labels_of(columns["salesperson_id"],
                                             columns["has_salesperson"]),
            "invoice_ids": pd.Series([invoice_labels[a:b] for a, b in zip(offsets, offsets[1:])],
                                     dtype=object),
            "channel": pd.Series(columns["channel"], dtype=object),
            "recipients": pd.Series([list(r) for r in columns["recipients"]], dtype=object),
            "template": pd.Series(columns["template"], dtype=object),
            "amount": columns["amount"],
            "days_overdue": columns["days_overdue"],
            "reason": pd.Series(columns["reason"], dtype=object),
        })
        frame = frame[ACTION_COLUMNS]
        if not keys.labels:
            return frame  # integer ids: the native order (kind, customer id) stands
        # With text ids mapped to hashed keys the native order is arbitrary, so order by kind,
        # then customer id (when the ids are orderable), stably.
        rank = frame["kind"].map({"level": 0, "flag": 1, "gate": 2})
        try:
            order = pd.DataFrame({"rank": rank, "customer": frame["customer_id"]}).sort_values(
                ["rank", "customer"], kind="stable", na_position="last").index
        except TypeError:
            order = rank.sort_values(kind="stable").index
        return frame.loc[order].reset_index(drop=True)

    def _run(self, ledger: Any, day: datetime.date, state: EscalationState, scores: Any,
             keys: _Keys) -> tuple[pd.DataFrame, EscalationState]:
        digits = self._digits(ledger)
        keys.new_run()
        score_map = _scores(scores, keys)
        open_columns, feature_columns, month_end_columns, rate_columns = self._facts(
            ledger, day, keys, digits)
        columns, new_state = self._native.run(open_columns, feature_columns, month_end_columns,
                                              rate_columns, ledger.currency, digits, _serial(day),
                                              state, score_map)
        return self._frame(columns, keys), new_state

    def run(self, ledger: Any, as_of: Any, state: Optional[EscalationState] = None,
            scores: Union[pd.DataFrame, Mapping[Any, Mapping[str, float]], None] = None
            ) -> tuple[pd.DataFrame, EscalationState]:
        """The actions due at ``as_of`` (a DataFrame with ACTION_COLUMNS) and the new state.
        ``state=None`` is a fresh start. Running twice with the returned state adds nothing."""
        if state is None:
            state = EscalationState()
        elif not isinstance(state, EscalationState):
            raise TypeError("state must be an arscore.EscalationState or None")
        return self._run(ledger, _date(as_of), state, scores, _Keys())

    def simulate(self, ledger: Any, start: Any, end: Any,
                 scores: Union[pd.DataFrame, Mapping[Any, Mapping[str, float]], None] = None
                 ) -> pd.DataFrame:
        """Every day's actions from ``start`` to ``end`` (inclusive), state carried forward from a
        fresh start."""
        first, last = _date(start), _date(end)
        if last < first:
            raise _error("rules.simulate.bad_period", f"end {last} is before start {first}")
        keys = _Keys()
        state = EscalationState()
        frames = []
        day = first
        while day <= last:
            frame, state = self._run(ledger, day, state, scores, keys)
            frames.append(frame)
            day += datetime.timedelta(days=1)
        return pd.concat(frames, ignore_index=True)

    def check_contract(self, customer_id: Any, amount: float, ledger: Any, as_of: Any,
                       scores: Union[pd.DataFrame, Mapping[Any, Mapping[str, float]], None] = None
                       ) -> tuple[str, list[str]]:
        """The policy's gates in order: the first that holds decides ("reject",
        "require_guarantee", "shorten_terms"); none holding is "approve". Returns the decision
        and the reasons (the deciding gate with the facts it read)."""
        day = _date(as_of)
        keys = _Keys()
        digits = self._digits(ledger)
        score_map = _scores(scores, keys)
        features = ledger.customer_features(day)
        feature_columns = _feature_columns(features[features.index == customer_id], keys, digits)
        decision, reasons = self._native.check_contract(
            feature_columns, keys.key(customer_id), float(amount), _serial(day), digits,
            score_map)
        return decision, list(reasons)
