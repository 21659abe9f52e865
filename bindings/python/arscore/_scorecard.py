"""arscore.Scorecard: points, reason codes and score <-> probability for a fitted model."""

from __future__ import annotations

import numpy as np

from . import _arscore
from ._logistic import LogisticRegression, _as_matrix, _as_vector


class Scorecard:
    """Scorecard scaling of a fitted arscore.LogisticRegression.

    Factor = pdo / ln 2, Offset = base_score - Factor * ln(base_odds) (odds good:bad), and
    score = Offset - Factor * (b0 + sum_j b_j x_j). ``points(X)`` is relative to ``reference``
    (default: the training means) and ``base_points + points.sum(axis=1) == score`` (summed
    left to right). ``feature_names`` overrides the model's names as reason codes.
    """

    def __init__(self, model, base_score=600, base_odds=50, pdo=20, feature_names=None,
                 reference=None):
        if not isinstance(model, LogisticRegression):
            raise TypeError("model must be a fitted arscore.LogisticRegression")
        model._check_fitted()
        self.model = model
        self.base_score = base_score
        self.base_odds = base_odds
        self.pdo = pdo
        native_model = model._native
        if feature_names is not None:
            names = [str(n) for n in feature_names]
            native_model = _arscore._logistic_from_json(native_model.to_json())
            native_model.feature_names = names
        self._model_native = native_model
        if reference is not None:
            reference = _as_vector(reference, "reference")
        self._native = _arscore._Scorecard(native_model, float(base_score), float(base_odds),
                                           float(pdo), reference)

    @property
    def feature_names(self):
        """The reason codes, one per feature."""
        return list(self._model_native.feature_names)

    @property
    def factor(self):
        return self._native.factor

    @property
    def offset(self):
        return self._native.offset

    @property
    def base_points(self):
        """The score of the reference row."""
        return self._native.base_points

    @property
    def reference(self):
        return self._native.reference

    def score(self, X):
        """Scores, shape (n,); higher is safer."""
        return self._native.score(_as_matrix(X))

    def points(self, X):
        """Points of each feature, shape (n, d), relative to the reference row."""
        return self._native.points(_as_matrix(X))

    def reasons(self, X, k=3):
        """For each row, a list of up to k (code, points) pairs: the features that lower the
        score most, most negative first."""
        return self._native.reasons(_as_matrix(X), int(k))

    def probability(self, score):
        """P(bad) for scores (scalar or array)."""
        array = np.asarray(score, dtype=np.float64)
        p = self._native.probability(np.atleast_1d(array).ravel())
        return float(p[0]) if array.ndim == 0 else p.reshape(array.shape)

    def decide(self, X, threshold):
        """"approve" where score >= threshold, else "reject"; shape (n,)."""
        threshold = float(threshold)
        if np.isnan(threshold):
            raise ValueError("threshold is NaN")
        return np.where(self.score(X) >= threshold, "approve", "reject")

    def to_json(self):
        """Model JSON holding the model and this scorecard's scaling and reference row."""
        return self._native.to_json(self._model_native)

    @classmethod
    def from_json(cls, text):
        """A Scorecard (and its model) from model JSON with a "scorecard" member."""
        native_model, native_card, (base_score, base_odds, pdo) = (
            _arscore._scorecard_from_json(text))
        model = LogisticRegression._from_native(native_model)
        card = cls.__new__(cls)
        card.model = model
        card.base_score, card.base_odds, card.pdo = base_score, base_odds, pdo
        card._model_native = native_model
        card._native = native_card
        return card

    def __getstate__(self):
        return {"json": self.to_json()}

    def __setstate__(self, state):
        other = Scorecard.from_json(state["json"])
        self.__dict__.update(other.__dict__)
