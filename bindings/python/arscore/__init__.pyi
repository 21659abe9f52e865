"""Type stubs for the arscore package. Each area declares its names in its own block."""

__version__: str

class Error(ValueError):
    """An arscore input error; ``code`` is its stable identifier, e.g. ``core.date.invalid``."""

    code: str

# formula
from typing import Any, Mapping

import numpy as np

class FormulaError(Error):
    """A formula that does not compile, or input that does not match it.

    str() shows every diagnostic with the source line and a caret."""

    code: str
    line: int
    column: int
    diagnostics: list[dict[str, Any]]

class Formula:
    def __init__(self, text: str, types: Mapping[str, str] | None = ...) -> None: ...
    @property
    def variables(self) -> list[str]: ...
    @property
    def result_type(self) -> str: ...
    def evaluate(self, row: Mapping[str, Any]) -> Any: ...
    def evaluate_batch(self, data: Any) -> np.ndarray: ...
    def explain(self, row: Mapping[str, Any]) -> list[tuple[str, Any]]: ...

class Sheet:
    def __init__(self, text: str, types: Mapping[str, str] | None = ...) -> None: ...
    @property
    def variables(self) -> list[str]: ...
    @property
    def outputs(self) -> list[str]: ...
    def evaluate(self, row: Mapping[str, Any]) -> dict[str, Any]: ...
    def evaluate_batch(self, data: Any) -> dict[str, np.ndarray]: ...
    def explain(self, row: Mapping[str, Any]) -> list[tuple[str, Any]]: ...

# risk

# ledger

# rules
