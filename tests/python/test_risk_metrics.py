"""arscore.metrics against scikit-learn and scipy."""

import numpy as np
import pytest

import arscore
from arscore import metrics

skm = pytest.importorskip("sklearn.metrics")
stats = pytest.importorskip("scipy.stats")


def data(seed, n=5000, ties=False):
    rng = np.random.default_rng(seed)
    y = (rng.uniform(size=n) < 0.2).astype(float)
    p = 1.0 / (1.0 + np.exp(-(rng.normal(size=n) + 1.2 * y - 1.5)))
    if ties:
        p = np.round(p, 2)
    return y, p


@pytest.mark.parametrize("ties", [False, True])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_ranking_metrics_match_sklearn_and_scipy(seed, ties):
    y, p = data(seed, ties=ties)
    auc = skm.roc_auc_score(y, p)
    assert metrics.roc_auc(y, p) == pytest.approx(auc, rel=1e-12)
    assert metrics.gini(y, p) == pytest.approx(2 * auc - 1, rel=1e-12)
    ks = stats.ks_2samp(p[y == 1], p[y == 0]).statistic
    assert metrics.ks(y, p) == pytest.approx(ks, rel=1e-12)


@pytest.mark.parametrize("seed", [0, 1])
def test_probability_metrics_match_sklearn(seed):
    y, p = data(seed)
    assert metrics.log_loss(y, p) == pytest.approx(skm.log_loss(y, p), rel=1e-12)
    assert metrics.brier(y, p) == pytest.approx(skm.brier_score_loss(y, p), rel=1e-12)
    extreme = np.where(y == 1, 0.0, 1.0)  # every row confidently wrong: the clip decides
    assert metrics.log_loss(y, extreme) == pytest.approx(skm.log_loss(y, extreme), rel=1e-12)


def test_psi_follows_its_documented_definition():
    rng = np.random.default_rng(7)
    expected = rng.normal(size=4000)
    actual = rng.normal(0.3, 1.2, size=3000)
    edges = np.unique(np.quantile(expected, np.arange(1, 10) / 10))
    e = np.maximum(np.bincount(np.searchsorted(edges, expected), minlength=10) / 4000, 1e-4)
    a = np.maximum(np.bincount(np.searchsorted(edges, actual), minlength=10) / 3000, 1e-4)
    assert metrics.psi(expected, actual) == pytest.approx(np.sum((a - e) * np.log(a / e)),
                                                          rel=1e-12)
    assert metrics.psi(expected, expected) == 0.0
    shifted = metrics.psi(expected, actual + 5.0, bins=5)
    assert shifted > 5.0  # nearly everything lands in the top bin; empty bins use the floor


def test_calibration_table_by_decile():
    y, p = data(3, n=1000)
    table = metrics.calibration_table(y, p)
    order = np.argsort(p, kind="stable")
    groups = np.array_split(order, 10)
    np.testing.assert_array_equal(table["count"], [len(g) for g in groups])
    np.testing.assert_allclose(table["mean_predicted"], [p[g].mean() for g in groups],
                               rtol=1e-12)
    np.testing.assert_array_equal(table["observed_rate"], [y[g].mean() for g in groups])
    np.testing.assert_array_equal(table["n_bad"], [y[g].sum() for g in groups])
    assert np.all(np.diff(table["mean_predicted"]) > 0)


def test_metric_errors():
    with pytest.raises(arscore.Error) as e:
        metrics.roc_auc([1, 1, 1], [0.1, 0.2, 0.3])
    assert e.value.code == "risk.input.single_class"
    with pytest.raises(arscore.Error) as e:
        metrics.brier([0, 1], [0.5, 1.2])
    assert str(e.value) == "[risk.input.probability] p[1] = 1.2 is not a probability in [0, 1]"
    with pytest.raises(arscore.Error) as e:
        metrics.ks([0, 1, 3], [0.1, 0.2, 0.3])
    assert e.value.code == "risk.input.target"
    with pytest.raises(arscore.Error) as e:
        metrics.gini([0, 1], [0.1, np.inf])
    assert str(e.value) == "[risk.input.non_finite] score[1] is inf"
