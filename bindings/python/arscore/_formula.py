"""arscore.Formula and arscore.Sheet: the formula language from Python.

The compiled program is native (``_arscore._Program``); this module turns Python rows and
columns (dicts of numpy arrays, pandas DataFrames) into what it reads, and its results back
into numpy arrays.
"""

from __future__ import annotations

import datetime
from typing import Any, Mapping

import numpy as np
import pandas as pd

from . import _arscore

_NAT = np.iinfo(np.int64).min


def _suggest(name: str, known) -> str:
    import difflib

    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.5)
    return f"; did you mean '{close[0]}'?" if close else ""


def _missing(name: str, known) -> Exception:
    error = _arscore.FormulaError(f"missing value for variable '{name}'{_suggest(name, known)}")
    error.code = "formula.eval.missing_variable"
    error.line = None
    error.column = None
    error.diagnostics = []
    return error


def _column(data: Any, name: str):
    try:
        column = data[name]
    except (KeyError, IndexError):
        columns = list(data.keys()) if hasattr(data, "keys") else []
        raise _missing(name, columns) from None
    if hasattr(column, "to_numpy"):  # pandas Series
        column = column.to_numpy()
    return np.asarray(column)


def _number_column(name: str, array: np.ndarray):
    if array.dtype == np.float64:
        return ("number", np.ascontiguousarray(array))
    if array.dtype.kind in "iuf":
        return ("number", np.ascontiguousarray(array, dtype=np.float64))
    if array.dtype.kind == "O":
        try:
            converted = np.array([np.nan if v is None else float(v) for v in array], dtype=np.float64)
        except (TypeError, ValueError):
            raise TypeError(f"column '{name}' must hold numbers, but holds {array.dtype}") from None
        if any(isinstance(v, (bool, np.bool_, str)) for v in array):
            raise TypeError(f"column '{name}' must hold numbers, but holds bools or strings")
        return ("number", converted)
    raise TypeError(f"column '{name}' must hold numbers (float64), but has dtype {array.dtype}")


def _bool_column(name: str, array: np.ndarray):
    if array.dtype == np.bool_:
        values = np.ascontiguousarray(array).view(np.uint8)
        return ("bool", values, np.ones(len(array), dtype=np.uint8))
    if array.dtype.kind == "O":
        values = np.zeros(len(array), dtype=np.uint8)
        valid = np.zeros(len(array), dtype=np.uint8)
        for i, v in enumerate(array):
            if v is None or v is np.nan or v is pd.NA:
                continue
            if not isinstance(v, (bool, np.bool_)):
                raise TypeError(f"column '{name}' must hold bools, but row {i} is {type(v).__name__}")
            valid[i] = 1
            values[i] = 1 if v else 0
        return ("bool", values, valid)
    raise TypeError(f"column '{name}' must hold bools, but has dtype {array.dtype}")


def _date_column(name: str, array: np.ndarray):
    if array.dtype.kind == "M":
        days = array if array.dtype == np.dtype("datetime64[D]") else array.astype("datetime64[D]")
        return ("date", np.ascontiguousarray(days).view(np.int64))
    if array.dtype.kind == "O":
        out = np.empty(len(array), dtype=np.int64)
        for i, v in enumerate(array):
            if v is None or (isinstance(v, float) and v != v):
                out[i] = _NAT
            elif isinstance(v, datetime.date):
                out[i] = np.datetime64(v if not isinstance(v, datetime.datetime) else v.date(), "D").astype(np.int64)
            else:
                raise TypeError(f"column '{name}' must hold dates, but row {i} is {type(v).__name__}")
        return ("date", out)
    raise TypeError(f"column '{name}' must hold dates (datetime64), but has dtype {array.dtype}")


def _string_column(name: str, array: np.ndarray):
    if array.dtype.kind not in "OUS":
        raise TypeError(f"column '{name}' must hold strings, but has dtype {array.dtype}")
    index: dict[str, int] = {}
    codes = np.empty(len(array), dtype=np.int32)
    for i, v in enumerate(array.tolist()):
        if v is None or (isinstance(v, float) and v != v):
            codes[i] = -1
            continue
        if not isinstance(v, str):
            raise TypeError(f"column '{name}' must hold strings, but row {i} is {type(v).__name__}")
        codes[i] = index.setdefault(v, len(index))
    return ("string", codes, list(index))


_CONVERTERS = {"number": _number_column, "bool": _bool_column, "date": _date_column, "string": _string_column}


def _result_array(kind: str, raw):
    if kind == "bool":
        values, mask = raw
        return np.ma.MaskedArray(values.astype(bool), mask=mask.astype(bool))
    if kind == "date":
        return raw.view("datetime64[D]")
    if kind == "string":
        out = np.empty(len(raw), dtype=object)
        out[:] = raw
        return out
    return raw


class _Compiled:
    def __init__(self, text: str, types: Mapping[str, str] | None, single: bool):
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, not {type(text).__name__}")
        self._program = _arscore._Program(text, None if types is None else dict(types), single)

    @property
    def variables(self) -> list[str]:
        """Input variable names, in order of first use."""
        return [name for name, _ in self._program.variables]

    def _row(self, row: Mapping[str, Any]) -> list:
        values = []
        for name, _ in self._program.variables:
            if name not in row:
                raise _missing(name, row.keys())
            value = row[name]
            if isinstance(value, float) and value != value:
                value = None
            values.append(value)
        return values

    def _columns(self, data) -> tuple[list, int]:
        columns = []
        rows = None
        for name, kind in self._program.variables:
            array = _column(data, name)
            if array.ndim != 1:
                raise TypeError(f"column '{name}' must be one-dimensional, but has shape {array.shape}")
            if rows is None:
                rows = len(array)
            elif len(array) != rows:
                raise ValueError(f"column '{name}' has {len(array)} rows, but earlier columns have {rows}")
            columns.append(_CONVERTERS[kind](name, array))
        if rows is None:
            rows = len(data) if hasattr(data, "__len__") and hasattr(data, "columns") else (
                len(next(iter(data.values()))) if hasattr(data, "values") and len(data) else 1)
        return columns, rows

    def _evaluate_batch(self, data, out=None) -> list:
        columns, rows = self._columns(data)
        raw = self._program.evaluate_batch(columns, rows, out)
        return [_result_array(kind, r) for (_, kind), r in zip(self._program.outputs, raw)]


class Formula(_Compiled):
    """One expression of the formula language, compiled once.

    ``types`` maps variable names to "number", "bool", "string" or "date". Without it every
    name is a number; with it, it lists every variable (an unlisted name is an error naming
    the nearest listed one). Raises FormulaError for a text that does not compile.
    """

    def __init__(self, text: str, types: Mapping[str, str] | None = None):
        super().__init__(text, types, True)

    @property
    def result_type(self) -> str:
        """"number", "bool", "string" or "date"."""
        return self._program.outputs[0][1]

    def evaluate(self, row: Mapping[str, Any]):
        """Evaluates one row (a mapping of variable name to value); None is null."""
        return self._program.evaluate(self._row(row))[0]

    def evaluate_batch(self, data, out=None):
        """Evaluates columns (a dict of numpy arrays or a pandas DataFrame).

        Returns float64 (NaN for null) for numbers, a boolean MaskedArray (masked where null)
        for bools, datetime64[D] (NaT for null) for dates, and an object array (None for null)
        for strings. float64 input columns are read without copying; the GIL is released.
        ``out``, for a number result, is a float64 array of one row per input row to write into
        (and return), so that repeated calls reuse memory instead of allocating a new column.
        """
        return self._evaluate_batch(data, None if out is None else [out])[0]

    def explain(self, row: Mapping[str, Any]) -> list[tuple[str, Any]]:
        """Every sub-expression's source text and value for one row, in evaluation order."""
        return [tuple(step) for step in self._program.explain(self._row(row))]

    def __repr__(self) -> str:
        return f"Formula({self._program.source!r})"


class Sheet(_Compiled):
    """Several ``name = expression`` lines (or ``;``-separated); later lines may use earlier
    outputs. Raises FormulaError listing every problem found."""

    def __init__(self, text: str, types: Mapping[str, str] | None = None):
        super().__init__(text, types, False)

    @property
    def outputs(self) -> list[str]:
        """Output names in source order."""
        return [name for name, _ in self._program.outputs]

    def evaluate(self, row: Mapping[str, Any]) -> dict[str, Any]:
        """Evaluates one row; returns {output name: value}."""
        values = self._program.evaluate(self._row(row))
        return dict(zip(self.outputs, values))

    def evaluate_batch(self, data, out: Mapping[str, np.ndarray] | None = None) -> dict[str, np.ndarray]:
        """Evaluates columns; returns {output name: array} (see Formula.evaluate_batch).

        ``out`` maps number outputs to float64 arrays to write into."""
        targets = None
        if out is not None:
            unknown = set(out) - set(self.outputs)
            if unknown:
                raise KeyError(f"out names outputs the sheet does not have: {sorted(unknown)}")
            targets = [out.get(name) for name in self.outputs]
        return dict(zip(self.outputs, self._evaluate_batch(data, targets)))

    def explain(self, row: Mapping[str, Any]) -> list[tuple[str, Any]]:
        """Every sub-expression's source text and value for one row, in evaluation order."""
        return [tuple(step) for step in self._program.explain(self._row(row))]

    def __repr__(self) -> str:
        return f"Sheet({self._program.source!r})"
