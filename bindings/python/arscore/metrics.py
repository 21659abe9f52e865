"""Model-quality metrics for binary risk scores (y: 0 = good, 1 = bad).

All functions raise arscore.Error with a stable code for bad input (lengths differ, NaN/Inf,
y not 0/1, a single class where both are needed, probabilities outside [0, 1]).
"""

from __future__ import annotations

import numpy as np

from . import _arscore

__all__ = ["roc_auc", "ks", "gini", "log_loss", "brier", "psi", "calibration_table"]


def _v(a):
    return np.ascontiguousarray(np.asarray(a, dtype=np.float64).ravel() if np.ndim(a) == 2 and
                                np.shape(a)[1] == 1 else np.asarray(a, dtype=np.float64))


def roc_auc(y, s):
    """Area under the ROC curve; tied scores count 1/2 (as sklearn.metrics.roc_auc_score)."""
    return _arscore._metrics_roc_auc(_v(y), _v(s))


def ks(y, s):
    """Kolmogorov-Smirnov statistic between the score distributions of bad and good rows."""
    return _arscore._metrics_ks(_v(y), _v(s))


def gini(y, s):
    """Gini coefficient, 2 * AUC - 1."""
    return _arscore._metrics_gini(_v(y), _v(s))


def log_loss(y, p):
    """Mean log loss of P(bad), clipped to [eps, 1 - eps] as sklearn.metrics.log_loss."""
    return _arscore._metrics_log_loss(_v(y), _v(p))


def brier(y, p):
    """Brier score: mean squared difference between y and P(bad)."""
    return _arscore._metrics_brier(_v(y), _v(p))


def psi(expected, actual, bins=10):
    """Population stability index; bins from the expected sample's quantiles (numpy linear
    interpolation, equal edges merged), empty bins floored at a 1e-4 share."""
    return _arscore._metrics_psi(_v(expected), _v(actual), int(bins))


def calibration_table(y, p, bins=10):
    """Calibration by predicted-probability group (deciles by default), lowest risk first:
    a dict of arrays count, p_min, p_max, mean_predicted, observed_rate, n_bad."""
    return _arscore._metrics_calibration_table(_v(y), _v(p), int(bins))
