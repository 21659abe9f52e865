"""arscore.Scorecard: scaling, exact point decomposition, reasons, probability, JSON."""

import functools
import math
import pickle

import numpy as np
import pandas as pd
import pytest

import arscore


@pytest.fixture(scope="module")
def fitted():
    rng = np.random.default_rng(11)
    X = pd.DataFrame(rng.normal(size=(400, 4)),
                     columns=["days_late_avg", "utilisation", "tenure_years", "disputes"])
    z = 0.8 * X["days_late_avg"] + 0.4 * X["utilisation"] - 0.6 * X["tenure_years"] - 1.5
    y = (rng.uniform(size=400) < 1 / (1 + np.exp(-z))).astype(int)
    return X, y, arscore.LogisticRegression().fit(X, y)


def test_scaling_and_probability(fitted):
    X, _, model = fitted
    card = arscore.Scorecard(model, base_score=600, base_odds=50, pdo=20)
    assert card.factor == 20 / math.log(2)
    assert card.offset == 600 - card.factor * math.log(50)
    score = card.score(X)
    z = model.decision_function(X)
    np.testing.assert_allclose(score, card.offset - card.factor * z, rtol=1e-13)
    np.testing.assert_allclose(card.probability(score), model.predict_proba(X)[:, 1], rtol=1e-11)
    assert card.probability(600) == pytest.approx(1 / 51, rel=1e-14)
    assert card.probability(620) == pytest.approx(1 / 101, rel=1e-14)


def test_points_add_up_to_the_score_exactly(fitted):
    X, _, model = fitted
    card = arscore.Scorecard(model)
    points = card.points(X)
    assert points.shape == (400, 4)
    score = card.score(X)
    for i in range(len(X)):
        total = functools.reduce(lambda a, b: a + b, points[i], card.base_points)
        assert total == score[i]
    np.testing.assert_allclose(card.reference, X.mean().values, rtol=1e-14)
    np.testing.assert_array_equal(card.points(card.reference.reshape(1, -1)), 0.0)


def test_reasons_are_the_most_negative_points(fitted):
    X, _, model = fitted
    card = arscore.Scorecard(model)
    points = card.points(X)
    reasons = card.reasons(X, k=2)
    for i, row in enumerate(reasons):
        negative = sorted((p, j) for j, p in enumerate(points[i]) if p < 0)[:2]
        assert [code for code, _ in row] == [X.columns[j] for _, j in negative]
        assert [p for _, p in row] == [p for p, _ in negative]
    renamed = arscore.Scorecard(model, feature_names=["A", "B", "C", "D"])
    assert renamed.feature_names == ["A", "B", "C", "D"]
    assert {code for row in renamed.reasons(X) for code, _ in row} <= {"A", "B", "C", "D"}


def test_threshold_decides(fitted):
    X, _, model = fitted
    card = arscore.Scorecard(model)
    score = card.score(X)
    decision = card.decide(X, 600)
    np.testing.assert_array_equal(decision == "approve", score >= 600)
    assert set(decision) == {"approve", "reject"}


def test_json_and_pickle_round_trip_bit_identical(fitted):
    X, _, model = fitted
    card = arscore.Scorecard(model, base_score=700, base_odds=30, pdo=25)
    again = arscore.Scorecard.from_json(card.to_json())
    assert again.score(X).tobytes() == card.score(X).tobytes()
    assert again.pdo == 25 and again.base_odds == 30
    assert pickle.loads(pickle.dumps(card)).score(X).tobytes() == card.score(X).tobytes()
    with pytest.raises(arscore.Error) as e:
        arscore.Scorecard.from_json(card.to_json().replace('"pdo": 25.0', '"pdo": -1.0'))
    assert str(e.value) == ("[risk.model_json.invalid] /scorecard: pdo must be positive and "
                            "finite, got -1")
    with pytest.raises(arscore.Error) as e:
        arscore.Scorecard.from_json(model.to_json())
    assert e.value.code == "risk.model_json.invalid"


def test_scorecard_errors(fitted):
    X, _, model = fitted
    with pytest.raises(arscore.Error) as e:
        arscore.Scorecard(model, base_odds=0)
    assert e.value.code == "risk.input.option"
    with pytest.raises(arscore.Error) as e:
        arscore.Scorecard(model).points(X.values[:, :3])
    assert str(e.value) == "[risk.input.shape] X has 3 columns but the model has 4 features"
