"""arscore.LogisticRegression: a scikit-learn-compatible estimator over the native solver.

scikit-learn is not imported here: the estimator implements the protocol itself
(``get_params``/``set_params``, ``classes_``, ``score``, ``_estimator_type``) so that it works
inside ``sklearn.pipeline.Pipeline``, ``clone`` and ``cross_val_score`` without making
scikit-learn a runtime dependency of arscore.
"""

from __future__ import annotations

import warnings

import numpy as np

from . import _arscore


class ConvergenceWarning(UserWarning):
    """The solver stopped before the gradient reached ``tol``; the message says what to try."""


class NotFittedError(ValueError, AttributeError):
    """The estimator is used before ``fit`` (same bases as scikit-learn's NotFittedError)."""


_PARAM_NAMES = ("penalty", "C", "fit_intercept", "solver", "tol", "max_iter", "class_weight")


def _feature_names(X):
    columns = getattr(X, "columns", None)
    if columns is None:
        return None
    names = list(columns)
    if names and all(isinstance(name, str) for name in names):
        return np.asarray(names, dtype=object)
    return None


def _as_matrix(X):
    array = np.asarray(X, dtype=np.float64)
    if array.ndim != 2:
        raise ValueError(
            f"X must be 2-dimensional (rows x features), got {array.ndim} dimension(s)"
        )
    return np.ascontiguousarray(array)


def _as_vector(v, name):
    array = np.asarray(v)
    if array.ndim == 2 and array.shape[1] == 1:
        array = array[:, 0]
    if array.ndim != 1:
        raise ValueError(f"{name} must be 1-dimensional, got shape {array.shape}")
    return np.ascontiguousarray(array, dtype=np.float64)


class LogisticRegression:
    """Binary logistic regression (1 = bad); scikit-learn's parameters and objective.

    ``penalty`` is ``"l2"`` or ``"none"`` (``None`` is accepted as ``"none"``); ``solver`` is ``"auto"``, ``"newton"`` or
    ``"lbfgs"``; ``tol`` bounds the gradient max-norm of the sample-weight-normalised objective.
    y must hold 0 (good) and 1 (bad); ``classes_`` is ``[0, 1]``.
    """

    _estimator_type = "classifier"

    def __init__(self, penalty="l2", C=1.0, fit_intercept=True, solver="auto", tol=1e-8,
                 max_iter=100, class_weight=None):
        self.penalty = penalty
        self.C = C
        self.fit_intercept = fit_intercept
        self.solver = solver
        self.tol = tol
        self.max_iter = max_iter
        self.class_weight = class_weight

    # scikit-learn estimator protocol -------------------------------------------------------
    def get_params(self, deep=True):
        """The constructor parameters, as scikit-learn's BaseEstimator returns them."""
        return {name: getattr(self, name) for name in _PARAM_NAMES}

    def set_params(self, **params):
        """Sets constructor parameters; an unknown name is a ValueError. Returns self."""
        for name, value in params.items():
            if name not in _PARAM_NAMES:
                raise ValueError(
                    f"Invalid parameter {name!r} for estimator {type(self).__name__}. "
                    f"Valid parameters are: {sorted(_PARAM_NAMES)!r}."
                )
            setattr(self, name, value)
        return self

    def __repr__(self):
        defaults = LogisticRegression().get_params()
        changed = [f"{k}={v!r}" for k, v in self.get_params().items() if v != defaults[k]]
        return f"LogisticRegression({', '.join(changed)})"

    def _more_tags(self):
        return {"binary_only": True}

    # fitting and prediction ----------------------------------------------------------------
    def fit(self, X, y, sample_weight=None):
        """Fits on X (n, d) and y in {0, 1}; raises arscore.Error on bad input and warns with
        ConvergenceWarning when the solver does not converge. Returns self."""
        names = _feature_names(X)
        X = _as_matrix(X)
        y = _as_vector(y, "y")
        if sample_weight is not None:
            sample_weight = _as_vector(sample_weight, "sample_weight")
        penalty = "none" if self.penalty is None else str(self.penalty)
        native = _arscore._logistic_fit(
            X, y, sample_weight, penalty, float(self.C), bool(self.fit_intercept),
            str(self.solver), float(self.tol), int(self.max_iter), self.class_weight,
            None if names is None else [str(n) for n in names])
        self._set_fitted(native, names)
        self._summary = native.summary() if penalty == "none" else None
        if not native.converged:
            warnings.warn(native.convergence_warning, ConvergenceWarning, stacklevel=2)
        return self

    def _set_fitted(self, native, names):
        self._native = native
        self.coef_ = native.coef.reshape(1, -1)
        self.intercept_ = np.array([native.intercept])
        self.n_iter_ = native.n_iter
        self.converged_ = native.converged
        self.classes_ = np.array([0, 1])
        self.n_features_in_ = self.coef_.shape[1]
        if names is not None:
            self.feature_names_in_ = names
        elif hasattr(self, "feature_names_in_"):
            del self.feature_names_in_

    def _check_fitted(self):
        if getattr(self, "_native", None) is None:
            raise NotFittedError(
                "This LogisticRegression instance is not fitted yet. Call 'fit' with "
                "appropriate arguments before using this estimator."
            )

    def _check_X(self, X):
        self._check_fitted()
        names = _feature_names(X)
        fitted = getattr(self, "feature_names_in_", None)
        if names is not None and fitted is not None and list(names) != list(fitted):
            raise ValueError(
                f"X has feature names {list(names)} but the model was fitted with "
                f"{list(fitted)}"
            )
        return _as_matrix(X)

    def decision_function(self, X):
        """Linear predictor X @ coef_ + intercept_, shape (n,)."""
        X = self._check_X(X)
        return self._native.decision_function(X)

    def predict_proba(self, X):
        """Probabilities of [good, bad], shape (n, 2)."""
        X = self._check_X(X)
        return self._native.predict_proba_2(X)

    def predict(self, X):
        """Predicted class, 1 where the linear predictor is positive."""
        positive = self.decision_function(X) > 0
        return self.classes_[positive.astype(np.intp)]

    def score(self, X, y, sample_weight=None):
        """Mean accuracy, as scikit-learn classifiers define score()."""
        correct = (self.predict(X) == _as_vector(y, "y")).astype(np.float64)
        return float(np.average(correct, weights=sample_weight))

    def summary(self):
        """Inference for penalty="none" (statsmodels Logit conventions): a dict with names,
        coef, std_err, z, p_value, ci_low, ci_high (intercept first) and log_likelihood,
        ll_null, pseudo_r2, aic, bic, nobs. Raises arscore.Error for a penalised model."""
        self._check_fitted()
        if self._summary is not None:
            return dict(self._summary)
        return self._native.summary()

    # persistence ---------------------------------------------------------------------------
    def to_json(self):
        """The model in arscore's versioned model JSON (docs/model-json.md)."""
        self._check_fitted()
        return self._native.to_json()

    @classmethod
    def from_json(cls, text):
        """A fitted estimator from model JSON; raises arscore.Error naming the JSON path of a
        corrupt or mismatched member. Predictions are bit-identical to the saved model's."""
        native = _arscore._logistic_from_json(text)
        return cls._from_native(native)

    @classmethod
    def _from_native(cls, native):
        self = cls(**native.params)
        names = native.feature_names
        generated = [f"x{j}" for j in range(len(names))]
        self._set_fitted(native, None if names == generated else np.asarray(names, dtype=object))
        self._summary = None
        return self
