"""Type stubs for the arscore package. Each area declares its names in its own block."""

__version__: str

class Error(ValueError):
    """An arscore input error; ``code`` is its stable identifier, e.g. ``core.date.invalid``."""

    code: str

# formula

# risk
from typing import Any, Mapping

import numpy as np
import numpy.typing as npt

from . import metrics as metrics

class ConvergenceWarning(UserWarning):
    """The solver stopped before reaching ``tol``; the message says what to try."""

class NotFittedError(ValueError, AttributeError): ...

class LogisticRegression:
    penalty: str
    C: float
    fit_intercept: bool
    solver: str
    tol: float
    max_iter: int
    class_weight: None | str | Mapping[int, float]
    coef_: npt.NDArray[np.float64]
    intercept_: npt.NDArray[np.float64]
    n_iter_: int
    converged_: bool
    classes_: npt.NDArray[np.int_]
    n_features_in_: int
    feature_names_in_: npt.NDArray[np.object_]
    def __init__(
        self,
        penalty: str = "l2",
        C: float = 1.0,
        fit_intercept: bool = True,
        solver: str = "auto",
        tol: float = 1e-8,
        max_iter: int = 100,
        class_weight: None | str | Mapping[int, float] = None,
    ) -> None: ...
    def get_params(self, deep: bool = True) -> dict[str, Any]: ...
    def set_params(self, **params: Any) -> LogisticRegression: ...
    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> LogisticRegression: ...
    def decision_function(self, X: Any) -> npt.NDArray[np.float64]: ...
    def predict_proba(self, X: Any) -> npt.NDArray[np.float64]: ...
    def predict(self, X: Any) -> npt.NDArray[np.int_]: ...
    def score(self, X: Any, y: Any, sample_weight: Any = None) -> float: ...
    def summary(self) -> dict[str, Any]: ...
    def to_json(self) -> str: ...
    @classmethod
    def from_json(cls, text: str) -> LogisticRegression: ...

class Scorecard:
    model: LogisticRegression
    base_score: float
    base_odds: float
    pdo: float
    def __init__(
        self,
        model: LogisticRegression,
        base_score: float = 600,
        base_odds: float = 50,
        pdo: float = 20,
        feature_names: list[str] | None = None,
        reference: Any = None,
    ) -> None: ...
    @property
    def feature_names(self) -> list[str]: ...
    @property
    def factor(self) -> float: ...
    @property
    def offset(self) -> float: ...
    @property
    def base_points(self) -> float: ...
    @property
    def reference(self) -> npt.NDArray[np.float64]: ...
    def score(self, X: Any) -> npt.NDArray[np.float64]: ...
    def points(self, X: Any) -> npt.NDArray[np.float64]: ...
    def reasons(self, X: Any, k: int = 3) -> list[list[tuple[str, float]]]: ...
    def probability(self, score: Any) -> Any: ...
    def decide(self, X: Any, threshold: float) -> npt.NDArray[np.str_]: ...
    def to_json(self) -> str: ...
    @classmethod
    def from_json(cls, text: str) -> Scorecard: ...

# ledger

# rules
