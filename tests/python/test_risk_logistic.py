"""arscore.LogisticRegression against statsmodels Logit and scikit-learn LogisticRegression,
and its scikit-learn estimator protocol."""

import pickle

import numpy as np
import pandas as pd
import pytest

import arscore

sm = pytest.importorskip("statsmodels.api")
sklearn_linear = pytest.importorskip("sklearn.linear_model")


def spector():
    data = sm.datasets.spector.load_pandas()
    return data.exog, data.endog


def synthetic(n, d, seed, intercept=-1.0, correlated=False, scale=1.0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d)) * scale
    if correlated:
        X[:, 1] = 0.95 * X[:, 0] + 0.05 * X[:, 1]
        X[:, 2] = 0.9 * X[:, 0] - 0.3 * X[:, 1] + 0.1 * X[:, 2]
    w = np.linspace(-1.0, 1.0, d)
    p = 1.0 / (1.0 + np.exp(-(X @ w + intercept)))
    y = (rng.uniform(size=n) < p).astype(np.float64)
    return X, y


def assert_rel(actual, expected, rel):
    np.testing.assert_allclose(actual, expected, rtol=rel, atol=0)


@pytest.mark.parametrize("solver", ["newton", "lbfgs"])
def test_penalty_none_matches_statsmodels_logit_on_spector(solver):
    X, y = spector()
    model = arscore.LogisticRegression(penalty="none", solver=solver, tol=1e-10, max_iter=1000)
    model.fit(X, y)
    ref = sm.Logit(y, sm.add_constant(X)).fit(disp=0, tol=1e-12)
    s = model.summary()
    assert s["names"] == ["intercept", "GPA", "TUCE", "PSI"]
    assert_rel(s["coef"], ref.params.values, 1e-6)
    assert_rel(s["std_err"], ref.bse.values, 1e-6)
    assert_rel(s["z"], ref.tvalues.values, 1e-6)
    assert_rel(s["p_value"], ref.pvalues.values, 1e-6)
    ci = ref.conf_int().values
    assert_rel(s["ci_low"], ci[:, 0], 1e-6)
    assert_rel(s["ci_high"], ci[:, 1], 1e-6)
    assert_rel(s["log_likelihood"], ref.llf, 1e-6)
    assert_rel(s["ll_null"], ref.llnull, 1e-6)
    assert_rel(s["pseudo_r2"], ref.prsquared, 1e-6)
    assert_rel(s["aic"], ref.aic, 1e-6)
    assert_rel(s["bic"], ref.bic, 1e-6)
    assert s["nobs"] == ref.nobs
    assert model.converged_


def sklearn_cases():
    X, y = synthetic(2000, 5, 1)
    yield "plain", X, y, {}, None
    Xu, yu = synthetic(3000, 4, 2, intercept=-3.5)
    assert 0.02 < yu.mean() < 0.1
    yield "unbalanced", Xu, yu, {}, None
    yield "balanced", Xu, yu, {"class_weight": "balanced"}, None
    yield "class_dict", Xu, yu, {"class_weight": {0: 1.0, 1: 7.5}}, None
    w = np.random.default_rng(3).uniform(0.0, 3.0, size=len(y))
    yield "sample_weight", X, y, {"C": 0.3}, w
    Xc, yc = synthetic(2500, 6, 4, correlated=True)
    yield "correlated", Xc, yc, {"C": 10.0}, None
    Xs, ys = synthetic(1000, 3, 5, scale=4.0)
    yield "no_intercept", Xs, ys, {"fit_intercept": False, "C": 0.05}, None


@pytest.mark.parametrize("case", list(sklearn_cases()), ids=lambda c: c[0])
@pytest.mark.parametrize("solver", ["newton", "lbfgs"])
def test_l2_matches_sklearn(case, solver):
    # scikit-learn's default lbfgs stops on scipy's relative-objective test long before its
    # gradient reaches tol=1e-10 (coefficients off by ~1e-6 absolute), so the 1e-5 relative
    # oracle is its exact "newton-cholesky" solver; the lbfgs fit is checked to be no better.
    _, X, y, params, w = case
    ref = sklearn_linear.LogisticRegression(tol=1e-10, max_iter=10000, solver="newton-cholesky",
                                            **params)
    ref.fit(X, y, sample_weight=w)
    loose = sklearn_linear.LogisticRegression(tol=1e-10, max_iter=10000, **params)
    loose.fit(X, y, sample_weight=w)
    model = arscore.LogisticRegression(solver=solver, tol=1e-10, max_iter=10000, **params)
    model.fit(X, y, sample_weight=w)
    assert model.converged_
    assert_rel(model.coef_, ref.coef_, 1e-5)
    if params.get("fit_intercept", True):
        assert_rel(model.intercept_, ref.intercept_, 1e-5)
    else:
        assert model.intercept_[0] == 0.0
    np.testing.assert_allclose(model.predict_proba(X), ref.predict_proba(X), rtol=0, atol=1e-7)
    np.testing.assert_array_equal(model.predict(X), ref.predict(X))
    objective = l2_objective(X, y, w, params)
    ours = objective(model.coef_[0], model.intercept_[0])
    assert ours <= objective(loose.coef_[0], loose.intercept_[0]) + 1e-12 * abs(ours)


def l2_objective(X, y, w, params):
    s = np.ones(len(y)) if w is None else w.copy()
    cw = params.get("class_weight")
    if cw == "balanced":
        counts = np.bincount(y.astype(int))
        cw = {c: len(y) / (2 * counts[c]) for c in (0, 1)}
    if cw is not None:
        s = s * np.where(y == 1, cw[1], cw[0])
    C = params.get("C", 1.0)

    def objective(coef, intercept):
        z = X @ coef + intercept
        return 0.5 * coef @ coef + C * np.sum(s * (np.logaddexp(0, z) - y * z))

    return objective


def test_stable_at_extreme_linear_predictors():
    model = arscore.LogisticRegression().fit([[0.0], [1.0], [0.5], [0.2]], [0, 1, 0, 1])
    X = np.array([[800.0 / model.coef_[0, 0]], [-800.0 / model.coef_[0, 0]]])
    p = model.predict_proba(X)
    assert np.all(np.isfinite(p))
    assert p[0, 1] == 1.0 and p[1, 1] == 0.0


def test_input_errors_are_arscore_errors_with_codes():
    X, y = spector()
    bad = X.copy()
    bad.iloc[4, 2] = np.nan
    with pytest.raises(arscore.Error) as e:
        arscore.LogisticRegression().fit(bad, y)
    assert e.value.code == "risk.input.non_finite"
    assert str(e.value) == "[risk.input.non_finite] X[4, 2] is NaN; remove or impute missing values first"
    with pytest.raises(arscore.Error, match=r"y\[0\] = 2 is not 0 \(good\) or 1 \(bad\)"):
        arscore.LogisticRegression().fit(X, y + 2)
    with pytest.raises(arscore.Error) as e:
        arscore.LogisticRegression().fit(X, np.zeros(len(y)))
    assert e.value.code == "risk.input.single_class"
    with pytest.raises(arscore.Error) as e:
        arscore.LogisticRegression().fit(X, y[:-1])
    assert e.value.code == "risk.input.shape"
    with pytest.raises(arscore.Error) as e:
        arscore.LogisticRegression().fit(X, y, sample_weight=-np.ones(len(y)))
    assert e.value.code == "risk.input.weight"
    with pytest.raises(arscore.Error) as e:
        arscore.LogisticRegression(penalty="l1").fit(X, y)
    assert e.value.code == "risk.input.option"
    with pytest.raises(arscore.Error) as e:
        arscore.LogisticRegression(class_weight="auto").fit(X, y)
    assert e.value.code == "risk.input.option"
    with pytest.raises(arscore.NotFittedError):
        arscore.LogisticRegression().predict(X)


def test_separation_and_singular_design_are_errors():
    X = np.arange(8.0).reshape(-1, 1)
    y = (X[:, 0] > 3).astype(float)
    with pytest.raises(arscore.Error, match="perfectly separated") as e:
        arscore.LogisticRegression(penalty=None).fit(X, y)
    assert e.value.code == "risk.fit.separation"
    Xs, ys = spector()
    Xs = Xs.assign(GPA2=2 * Xs["GPA"] + Xs["TUCE"])
    with pytest.raises(arscore.Error) as e:
        arscore.LogisticRegression(penalty="none").fit(Xs, ys)
    assert e.value.code == "risk.fit.singular"
    assert str(e.value) == (
        '[risk.fit.singular] the design is singular: column 3 ("GPA2") is a linear combination '
        'of column 0 ("GPA"), column 1 ("TUCE"), so the coefficients are not identified with '
        'penalty "none"; drop one of these columns or use penalty "l2"')
    with pytest.raises(arscore.Error) as e:
        arscore.LogisticRegression().fit(Xs, ys).summary()
    assert e.value.code == "risk.inference.penalized"


def test_not_converging_warns_with_advice():
    X, y = synthetic(500, 4, 9)
    with pytest.warns(arscore.ConvergenceWarning, match="increase max_iter"):
        model = arscore.LogisticRegression(solver="lbfgs", max_iter=2, tol=1e-12).fit(X, y)
    assert not model.converged_
    assert model.n_iter_ == 2
    assert issubclass(arscore.ConvergenceWarning, UserWarning)


def test_sklearn_protocol_pipeline_and_cross_val_score():
    from sklearn.base import clone
    from sklearn.model_selection import cross_val_score
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    X, y = synthetic(600, 4, 10)
    model = arscore.LogisticRegression(C=0.5)
    assert model.get_params() == {"penalty": "l2", "C": 0.5, "fit_intercept": True,
                                  "solver": "auto", "tol": 1e-8, "max_iter": 100,
                                  "class_weight": None}
    assert model.set_params(C=2.0) is model and model.C == 2.0
    with pytest.raises(ValueError, match="Invalid parameter 'alpha'"):
        model.set_params(alpha=1)
    copy = clone(model)
    assert copy.get_params() == model.get_params() and copy is not model
    assert repr(model) == "LogisticRegression(C=2.0)"
    pipe = Pipeline([("scale", StandardScaler()), ("lr", arscore.LogisticRegression())])
    pipe.fit(X, y)
    assert pipe.predict_proba(X).shape == (600, 2)
    scores = cross_val_score(pipe, X, y, cv=3, scoring="roc_auc")
    ref = cross_val_score(
        Pipeline([("scale", StandardScaler()),
                  ("lr", sklearn_linear.LogisticRegression(tol=1e-10))]), X, y, cv=3,
        scoring="roc_auc")
    np.testing.assert_allclose(scores, ref, rtol=1e-9)
    accuracy = cross_val_score(arscore.LogisticRegression(), X, y, cv=3)
    assert accuracy.shape == (3,) and np.all(accuracy > 0.5)


def test_dataframe_feature_names_pickle_and_json_round_trip():
    X, y = spector()
    model = arscore.LogisticRegression(C=0.8, class_weight="balanced").fit(X, y)
    assert list(model.feature_names_in_) == ["GPA", "TUCE", "PSI"]
    assert model.n_features_in_ == 3
    np.testing.assert_array_equal(model.classes_, [0, 1])
    assert model.coef_.shape == (1, 3) and model.intercept_.shape == (1,)
    with pytest.raises(ValueError, match="feature names"):
        model.predict(X[["TUCE", "GPA", "PSI"]])
    again = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(again.predict_proba(X), model.predict_proba(X))
    assert again.get_params() == model.get_params()
    loaded = arscore.LogisticRegression.from_json(model.to_json())
    assert loaded.decision_function(X).tobytes() == model.decision_function(X).tobytes()
    assert list(loaded.feature_names_in_) == ["GPA", "TUCE", "PSI"]
    assert loaded.get_params() == model.get_params()
    plain = arscore.LogisticRegression().fit(X.values, y.values)
    assert not hasattr(plain, "feature_names_in_")
    with pytest.raises(arscore.Error) as e:
        arscore.LogisticRegression.from_json(model.to_json().replace('"coef"', '"coefs"'))
    assert str(e.value) == "[risk.model_json.invalid] /model/coef: missing member"


def test_summary_survives_pickle_but_not_json():
    X, y = spector()
    model = arscore.LogisticRegression(penalty="none").fit(X, y)
    again = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(again.summary()["std_err"], model.summary()["std_err"])
    with pytest.raises(arscore.Error) as e:
        arscore.LogisticRegression.from_json(model.to_json()).summary()
    assert e.value.code == "risk.inference.unavailable"
