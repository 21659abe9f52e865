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

from ._arscore import Calendar, Error, EscalationPolicy, EscalationState, _EscalationEngine
from ._ledger import Ledger

ACTION_COLUMNS = [
    "action_id", "as_of", "policy_id", "policy_version", "kind", "rule", "customer_id",
    "salesperson_id", "invoice_ids", "channel", "recipients", "template", "amount",
    "days_overdue", "reason",
]
_STATUS_CODES = {"open": 0, "disputed": 1, "on_hold": 2}
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


def _stable_key(label: Hashable) -> int:
    """The engine's key of an id: an integer id itself, any other id its hash."""
    if isinstance(label, (int, np.integer)) and not isinstance(label, (bool, np.bool_)):
        key = int(label)
        if not -2**63 <= key < 2**63:
            raise _error("rules.input.bad_id", f"id {label!r} does not fit in 64 bits")
        return key
    return _hash_id(label)


def _stable_keys(labels: Any) -> np.ndarray:
    """_stable_key of each id, computed once per distinct id."""
    values = labels.to_numpy() if hasattr(labels, "to_numpy") else np.asarray(labels)
    if values.dtype.kind == "i":
        return values.astype(np.int64, copy=False)
    if len(values) == 0:
        return np.zeros(0, dtype=np.int64)
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    return np.fromiter((_stable_key(u) for u in uniques), dtype=np.int64,
                       count=len(uniques))[codes]


def _scores(scores: Any) -> dict[int, tuple[Optional[float], Optional[float]]]:
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
        customer_keys = _stable_keys(frame.index)
        return {int(k): (c, p) for k, c, p in zip(customer_keys, columns[0], columns[1])}
    elif isinstance(scores, Mapping):
        records = scores
    else:
        raise TypeError("scores must be a DataFrame indexed by customer_id or a dict "
                        "{customer_id: {'credit_score': ...}}")
    out = {}
    ids = list(records)
    for cid, key in zip(ids, _stable_keys(pd.Index(ids, dtype=object))):
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


def _hash_id(label: Hashable) -> int:
    """The stable key of a non-integer id: 64 bits of BLAKE2b over its type and text."""
    text = f"{type(label).__name__}:{label}".encode()
    return int.from_bytes(hashlib.blake2b(text, digest_size=8).digest(), "little", signed=True)


class _IdSpace:
    """One id space of a Ledger (invoices, customers or salespeople) as the engine keys it.
    An integer id column is keyed by its ids in the ledger and in the engine. Any other column
    is keyed by dense codes in the ledger and by ``_stable_key`` of each id in the engine
    (``engine_keys[code]``: an integer id itself, anything else its hash), and mapped back to
    ``labels[code]`` by the native module."""

    def __init__(self, labels: Optional[np.ndarray]) -> None:
        self.mapped = labels is not None
        self.labels = None if labels is None else np.ascontiguousarray(labels, dtype=object)
        self.engine_keys: Optional[np.ndarray] = None
        self.hashed: np.ndarray = np.zeros(0, dtype=np.int64)  # the keys made by hashing
        if self.labels is not None:
            self.engine_keys = np.fromiter((_stable_key(x) for x in self.labels), dtype=np.int64,
                                           count=len(self.labels))
            twins = pd.Index(self.engine_keys).duplicated(keep=False)
            if twins.any():
                first, second = self.labels[twins][:2]
                raise _error("rules.input.id_collision", f"ids {first!r} and {second!r} share a key")
            is_int = np.fromiter((isinstance(x, (int, np.integer)) and not isinstance(x, (bool, np.bool_))
                                  for x in self.labels), dtype=bool, count=len(self.labels))
            self.hashed = self.engine_keys[~is_int]

    def ledger_key(self, label: Hashable) -> int:
        """The ledger's key of an id: the id itself (integer ids) or its code; -1, which no
        entity has, when the ledger does not know it."""
        if self.labels is None:
            return _stable_key(label)
        codes = pd.Index(self.labels, dtype=object).get_indexer([label])
        return int(codes[0])

    def integer_keys(self, ledger_keys: list[np.ndarray]) -> np.ndarray:
        """The engine keys that are integer ids (``ledger_keys``: the ledger's key columns)."""
        if not self.mapped:
            return np.concatenate(ledger_keys) if ledger_keys else np.zeros(0, np.int64)
        assert self.engine_keys is not None
        return np.setdiff1d(self.engine_keys, self.hashed)


class _EngineKeys:
    """The three id spaces of a Ledger, computed once per Ledger (hashing a million text ids
    takes a second) and kept on it."""

    def __init__(self, ledger: Ledger) -> None:
        self.invoices = _IdSpace(ledger._invoice_keys.labels)
        self.customers = _IdSpace(ledger._customer_keys.labels)
        self.salespeople = _IdSpace(ledger._salesperson_keys.labels)
        # A hashed id equal to an integer id would make one key name two entities in the
        # state and in action ids.
        spaces = [(self.invoices, ledger._invoice_keys), (self.customers, ledger._customer_keys),
                  (self.salespeople, ledger._salesperson_keys)]
        for space, _ in spaces:
            if not len(space.hashed):
                continue
            for other, other_keys in spaces:
                hit = np.isin(space.hashed, other.integer_keys(other_keys.keys))
                if hit.any():
                    key = int(space.hashed[hit][0])
                    label = space.labels[space.engine_keys == key][0]
                    raise _error("rules.input.id_collision", f"ids {label!r} and {key!r} share a key")

    @staticmethod
    def of(ledger: Ledger) -> "_EngineKeys":
        cached = getattr(ledger, "_engine_keys", None)
        if cached is None:
            cached = _EngineKeys(ledger)
            ledger._engine_keys = cached
        return cached


class EscalationEngine:
    """Runs ``policy`` over a Ledger: ``run`` for one day, ``simulate`` over a period,
    ``check_contract`` for a contract decision. ``calendar`` counts business days for
    ``day_basis: business`` (default: the ledger's calendar)."""

    def __init__(self, policy: EscalationPolicy, calendar: Optional[Calendar] = None):
        if not isinstance(policy, EscalationPolicy):
            raise TypeError("policy must be an arscore.EscalationPolicy")
        self._native = _EscalationEngine(policy, calendar)
        self.policy = policy

    def _frame(self, columns: Mapping[str, Any], spaces: "_EngineKeys") -> pd.DataFrame:
        n = len(columns["action_id"])
        policy_id = np.empty(n, dtype=object)
        policy_id[:] = self.policy.id
        frame = pd.DataFrame({
            **columns,
            "as_of": columns["as_of"].astype("datetime64[D]").astype("datetime64[ns]"),
            "policy_id": policy_id,
            "policy_version": np.full(n, self.policy.version, dtype=np.int64),
        }, copy=False)
        return frame[ACTION_COLUMNS]  # ordered natively by the ledger's ids

    def _run(self, ledger: Ledger, day: datetime.date, state: EscalationState, scores: Any
             ) -> tuple[pd.DataFrame, EscalationState]:
        if not isinstance(ledger, Ledger):
            raise TypeError("ledger must be an arscore.Ledger")
        spaces = _EngineKeys.of(ledger)
        score_map = _scores(scores)
        columns, new_state = self._native.run_ledger(
            ledger._native, _serial(day), state, score_map, spaces.invoices.engine_keys,
            spaces.customers.engine_keys, spaces.salespeople.engine_keys, spaces.invoices.labels,
            spaces.customers.labels, spaces.salespeople.labels)
        return self._frame(columns, spaces), new_state

    def run(self, ledger: Any, as_of: Any, state: Optional[EscalationState] = None,
            scores: Union[pd.DataFrame, Mapping[Any, Mapping[str, float]], None] = None
            ) -> tuple[pd.DataFrame, EscalationState]:
        """The actions due at ``as_of`` (a DataFrame with ACTION_COLUMNS) and the new state.
        ``state=None`` is a fresh start. Running twice with the returned state adds nothing."""
        if state is None:
            state = EscalationState()
        elif not isinstance(state, EscalationState):
            raise TypeError("state must be an arscore.EscalationState or None")
        return self._run(ledger, _date(as_of), state, scores)

    def simulate(self, ledger: Any, start: Any, end: Any,
                 scores: Union[pd.DataFrame, Mapping[Any, Mapping[str, float]], None] = None
                 ) -> pd.DataFrame:
        """Every day's actions from ``start`` to ``end`` (inclusive), state carried forward from a
        fresh start."""
        first, last = _date(start), _date(end)
        if last < first:
            raise _error("rules.simulate.bad_period", f"end {last} is before start {first}")
        state = EscalationState()
        frames = []
        day = first
        while day <= last:
            frame, state = self._run(ledger, day, state, scores)
            frames.append(frame)
            day += datetime.timedelta(days=1)
        return pd.concat(frames, ignore_index=True)

    def check_contract(self, customer_id: Any, amount: float, ledger: Any, as_of: Any,
                       scores: Union[pd.DataFrame, Mapping[Any, Mapping[str, float]], None] = None
                       ) -> tuple[str, list[str]]:
        """The policy's gates in order: the first that holds decides ("reject",
        "require_guarantee", "shorten_terms"); none holding is "approve". Returns the decision
        and the reasons (the deciding gate with the facts it read)."""
        if not isinstance(ledger, Ledger):
            raise TypeError("ledger must be an arscore.Ledger")
        day = _date(as_of)
        score = _scores(scores).get(_stable_key(customer_id))
        ledger_key = _EngineKeys.of(ledger).customers.ledger_key(customer_id)
        decision, reasons = self._native.check_contract_ledger(
            ledger._native, ledger_key, float(amount), _serial(day),
            {} if score is None else {ledger_key: score})
        return decision, list(reasons)
