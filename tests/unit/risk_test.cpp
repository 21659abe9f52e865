// arscore::risk: logistic regression, inference, metrics, scorecard and model JSON.
#include "arscore/risk.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "arscore/risk/detail/link.hpp"

using arscore::risk::LogisticOptions;
using arscore::risk::LogisticRegression;
using arscore::risk::Penalty;
using arscore::risk::RowMatrix;
using arscore::risk::Solver;
using Eigen::VectorXd;

namespace {

// Spector & Mazzeo (statsmodels.datasets.spector): GPA, TUCE, PSI → GRADE.
RowMatrix spector_x() {
  const double data[32][3] = {
      {2.66, 20, 0}, {2.89, 22, 0}, {3.28, 24, 0}, {2.92, 12, 0}, {4.00, 21, 0}, {2.86, 17, 0},
      {2.76, 17, 0}, {2.87, 21, 0}, {3.03, 25, 0}, {3.92, 29, 0}, {2.63, 20, 0}, {3.32, 23, 0},
      {3.57, 23, 0}, {3.26, 25, 0}, {3.53, 26, 0}, {2.74, 19, 0}, {2.75, 25, 0}, {2.83, 19, 0},
      {3.12, 23, 1}, {3.16, 25, 1}, {2.06, 22, 1}, {3.62, 28, 1}, {2.89, 14, 1}, {3.51, 26, 1},
      {3.54, 24, 1}, {2.83, 27, 1}, {3.39, 17, 1}, {2.67, 24, 1}, {3.65, 21, 1}, {4.00, 23, 1},
      {3.10, 21, 1}, {2.39, 19, 1}};
  RowMatrix X(32, 3);
  for (Eigen::Index i = 0; i < 32; ++i) {
    for (Eigen::Index j = 0; j < 3; ++j) {
      X(i, j) = data[i][j];
    }
  }
  return X;
}

VectorXd spector_y() {
  VectorXd y(32);
  y << 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 1, 1, 1, 0, 1, 1, 0,
      1;
  return y;
}

bool close(double actual, double expected, double rel) {
  return std::abs(actual - expected) <= rel * std::abs(expected);
}

// A seeded synthetic data set: n rows, d standard-normal columns, labels from a known model.
struct Synthetic {
  RowMatrix X;
  VectorXd y;
};

Synthetic synthetic(Eigen::Index n, Eigen::Index d, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal;
  std::uniform_real_distribution<double> uniform;
  Synthetic s{RowMatrix(n, d), VectorXd(n)};
  for (Eigen::Index i = 0; i < n; ++i) {
    double z = -1.0;
    for (Eigen::Index j = 0; j < d; ++j) {
      s.X(i, j) = normal(rng);
      z += (j % 2 == 0 ? 0.5 : -0.3) * s.X(i, j);
    }
    s.y(i) = uniform(rng) < arscore::risk::detail::sigmoid(z) ? 1.0 : 0.0;
  }
  return s;
}

}  // namespace

TEST_CASE("risk: sigmoid and log loss are stable at |z| = 800") {
  using arscore::risk::detail::log_loss_at;
  using arscore::risk::detail::sigmoid;
  CHECK(sigmoid(800.0) == 1.0);
  CHECK(sigmoid(-800.0) == 0.0);
  CHECK(sigmoid(0.0) == 0.5);
  CHECK(log_loss_at(1.0, 800.0) == 0.0);
  CHECK(log_loss_at(0.0, 800.0) == 800.0);
  CHECK(log_loss_at(1.0, -800.0) == 800.0);
  CHECK(log_loss_at(0.0, -800.0) == 0.0);
  CHECK(log_loss_at(1.0, 0.0) == doctest::Approx(std::log(2.0)).epsilon(1e-15));
  CHECK(std::isfinite(log_loss_at(1.0, -1e300)));
}

TEST_CASE("risk: penalty none matches statsmodels Logit on Spector & Mazzeo") {
  for (const Solver solver : {Solver::newton, Solver::lbfgs}) {
    LogisticOptions options;
    options.penalty = Penalty::none;
    options.solver = solver;
    options.tol = 1e-10;
    options.max_iter = 1000;
    LogisticRegression model(options);
    model.fit(spector_x(), spector_y());
    CHECK(model.converged());
    CHECK(model.convergence_warning().empty());
    CHECK(close(model.intercept(), -13.021346858115686, 1e-6));
    CHECK(close(model.coef()(0), 2.8261125948893184, 1e-6));
    CHECK(close(model.coef()(1), 0.09515766131790955, 1e-6));
    CHECK(close(model.coef()(2), 2.3786876550933536, 1e-6));
    REQUIRE(model.statistics().has_value());
    CHECK(close(model.statistics()->log_likelihood, -12.889634222131415, 1e-9));
    CHECK(close(model.statistics()->ll_null, -20.59172969663421, 1e-12));
  }
}

TEST_CASE("risk: newton converges in few iterations and predicts in range") {
  const Synthetic s = synthetic(2000, 5, 7);
  LogisticRegression model;
  model.fit(s.X, s.y);
  CHECK(model.converged());
  CHECK(model.n_iter() <= 8);
  CHECK(model.solver_used() == Solver::newton);
  const VectorXd p = model.predict_proba(s.X);
  CHECK(p.minCoeff() > 0.0);
  CHECK(p.maxCoeff() < 1.0);
  CHECK(model.feature_names() == std::vector<std::string>{"x0", "x1", "x2", "x3", "x4"});
}

TEST_CASE("risk: lbfgs and newton reach the same L2 optimum") {
  const Synthetic s = synthetic(3000, 8, 11);
  LogisticOptions options;
  options.tol = 1e-10;
  options.max_iter = 1000;
  options.C = 0.1;
  options.solver = Solver::newton;
  LogisticRegression newton(options);
  newton.fit(s.X, s.y);
  options.solver = Solver::lbfgs;
  LogisticRegression lbfgs(options);
  lbfgs.fit(s.X, s.y);
  CHECK(newton.converged());
  CHECK(lbfgs.converged());
  CHECK((newton.coef() - lbfgs.coef()).cwiseAbs().maxCoeff() < 1e-7);
  CHECK(std::abs(newton.intercept() - lbfgs.intercept()) < 1e-7);
}

TEST_CASE("risk: not converging is reported with what to try") {
  const Synthetic s = synthetic(500, 4, 3);
  LogisticOptions options;
  options.solver = Solver::lbfgs;
  options.max_iter = 2;
  options.tol = 1e-12;
  LogisticRegression model(options);
  model.fit(s.X, s.y);
  CHECK_FALSE(model.converged());
  CHECK(model.n_iter() == 2);
  CHECK(model.convergence_warning().find("did not converge in max_iter=2 iterations") !=
        std::string::npos);
  CHECK(model.convergence_warning().find("increase max_iter") != std::string::npos);
}

TEST_CASE("risk: input errors name the problem") {
  RowMatrix X = spector_x();
  VectorXd y = spector_y();
  LogisticRegression model;
  X(3, 1) = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_WITH_AS(model.fit(X, y),
                       "[risk.input.non_finite] X[3, 1] is NaN; remove or impute missing values "
                       "first",
                       arscore::Error);
  X(3, 1) = -std::numeric_limits<double>::infinity();
  CHECK_THROWS_WITH_AS(model.fit(X, y),
                       "[risk.input.non_finite] X[3, 1] is -inf; remove or impute missing values "
                       "first",
                       arscore::Error);
  X = spector_x();
  y(5) = 2.0;
  CHECK_THROWS_WITH_AS(model.fit(X, y), "[risk.input.target] y[5] = 2 is not 0 (good) or 1 (bad)",
                       arscore::Error);
  y = VectorXd::Zero(32);
  CHECK_THROWS_WITH_AS(model.fit(X, y),
                       "[risk.input.single_class] y holds only class 0 among the rows with "
                       "positive weight; fitting needs both 0 (good) and 1 (bad)",
                       arscore::Error);
  y = spector_y();
  CHECK_THROWS_WITH_AS(model.fit(X, y.head(31)), "[risk.input.shape] y has 31 rows but X has 32",
                       arscore::Error);
  VectorXd w = VectorXd::Ones(32);
  w(7) = -1.0;
  CHECK_THROWS_WITH_AS(model.fit(X, y, w), "[risk.input.weight] sample_weight[7] = -1 is negative",
                       arscore::Error);
  CHECK_THROWS_WITH_AS(model.fit(X, y, VectorXd::Ones(3)),
                       "[risk.input.shape] sample_weight has 3 rows but X has 32", arscore::Error);
  CHECK_THROWS_WITH_AS(model.fit(X, y, VectorXd::Zero(32)),
                       "[risk.input.weight] the sample weights sum to 0; at least one row needs "
                       "a positive weight",
                       arscore::Error);
  CHECK_THROWS_WITH_AS(model.fit(RowMatrix(0, 3), VectorXd(0)),
                       "[risk.input.empty] X has 0 rows and 3 columns; fitting needs at least one "
                       "of each",
                       arscore::Error);
  LogisticOptions bad;
  bad.C = -1.0;
  CHECK_THROWS_WITH_AS(LogisticRegression(bad).fit(X, y),
                       "[risk.input.option] C must be positive and finite, got -1", arscore::Error);
  CHECK_THROWS_WITH_AS(static_cast<void>(arscore::risk::parse_penalty("l1")),
                       "[risk.input.option] penalty must be \"l2\" or \"none\", got \"l1\"",
                       arscore::Error);
  model.fit(X, y);
  CHECK_THROWS_WITH_AS(static_cast<void>(model.predict_proba(RowMatrix::Zero(2, 2))),
                       "[risk.input.shape] X has 2 columns but the model has 3 features",
                       arscore::Error);
}

TEST_CASE("risk: penalty none rejects separated and collinear data") {
  LogisticOptions options;
  options.penalty = Penalty::none;
  LogisticRegression model(options);
  RowMatrix X(6, 1);
  X << 1, 2, 3, 4, 5, 6;
  VectorXd y(6);
  y << 0, 0, 0, 1, 1, 1;
  CHECK_THROWS_WITH_AS(model.fit(X, y),
                       "[risk.fit.separation] the classes are perfectly separated: a linear "
                       "combination of the columns classifies every row correctly, so the "
                       "maximum-likelihood coefficients are infinite; use penalty \"l2\" or "
                       "remove the separating column(s)",
                       arscore::Error);
  // Quasi-complete: x = 0 rows are mixed, x = 1 rows are all bad.
  RowMatrix Xq(8, 1);
  Xq << 0, 0, 0, 0, 0, 1, 1, 1;
  VectorXd yq(8);
  yq << 0, 1, 0, 1, 0, 1, 1, 1;
  try {
    model.fit(Xq, yq);
    FAIL("expected a separation error");
  } catch (const arscore::Error& e) {
    CHECK(e.code() == "risk.fit.separation");
    CHECK(e.message().rfind("the classes are quasi-separated", 0) == 0);
  }
  RowMatrix Xc = spector_x().leftCols(2);
  RowMatrix Xs(32, 3);
  Xs << Xc, 2.0 * Xc.col(0) - Xc.col(1);
  CHECK_THROWS_WITH_AS(model.fit(Xs, spector_y()),
                       "[risk.fit.singular] the design is singular: column 2 is a linear "
                       "combination of column 0, column 1, so the coefficients are not "
                       "identified with penalty \"none\"; drop one of these columns or use "
                       "penalty \"l2\"",
                       arscore::Error);
  Xs.col(2).setConstant(3.0);
  CHECK_THROWS_WITH_AS(model.fit(Xs, spector_y()),
                       "[risk.fit.singular] the design is singular: column 2 is a linear "
                       "combination of the intercept, so the coefficients are not identified "
                       "with penalty \"none\"; drop one of these columns or use penalty \"l2\"",
                       arscore::Error);
  // The same data fit fine with the L2 penalty.
  LogisticRegression l2;
  l2.fit(Xs, spector_y());
  CHECK(l2.converged());
  l2.fit(X, y);
  CHECK(l2.converged());
}

TEST_CASE("risk: inference matches statsmodels Logit on Spector & Mazzeo") {
  LogisticOptions options;
  options.penalty = Penalty::none;
  options.tol = 1e-10;
  LogisticRegression model(options);
  model.fit(spector_x(), spector_y());
  model.set_feature_names({"GPA", "TUCE", "PSI"});
  const arscore::risk::InferenceSummary s = arscore::risk::summarize(model);
  CHECK(s.names == std::vector<std::string>{"intercept", "GPA", "TUCE", "PSI"});
  const double std_err[] = {4.931324213602727, 1.262941075629083, 0.14155420567369434,
                            1.0645642544971308};
  const double p_value[] = {0.00827746143548785, 0.02523910880256333, 0.5014342380819203,
                            0.02545520436127812};
  for (Eigen::Index j = 0; j < 4; ++j) {
    CHECK(close(s.std_err(j), std_err[j], 1e-6));
    CHECK(close(s.p_value(j), p_value[j], 1e-6));
    CHECK(s.z(j) == s.coef(j) / s.std_err(j));
    CHECK(s.ci_low(j) < s.coef(j));
    CHECK(s.ci_high(j) > s.coef(j));
  }
  CHECK(close(s.log_likelihood, -12.889634222131415, 1e-9));
  CHECK(close(s.ll_null, -20.59172969663421, 1e-12));
  CHECK(close(s.pseudo_r2, 0.3740382953726189, 1e-8));
  CHECK(close(s.aic, 33.779268444262826, 1e-9));
  CHECK(close(s.bic, 39.642212055461734, 1e-9));
  CHECK(s.n_observations == 32.0);

  LogisticRegression penalised;
  penalised.fit(spector_x(), spector_y());
  CHECK_THROWS_WITH_AS(static_cast<void>(arscore::risk::summarize(penalised)),
                       "[risk.inference.penalized] the inference summary needs a model fitted "
                       "with penalty \"none\"; a penalised fit has no maximum-likelihood standard "
                       "errors",
                       arscore::Error);
}

TEST_CASE("risk: sample weights act as row repetitions") {
  const Synthetic s = synthetic(300, 3, 5);
  VectorXd w(300);
  for (Eigen::Index i = 0; i < 300; ++i) {
    w(i) = static_cast<double>(i % 3);
  }
  RowMatrix repeated(600, 3);
  VectorXd y_repeated(600);
  Eigen::Index r = 0;
  for (Eigen::Index i = 0; i < 300; ++i) {
    for (int k = 0; k < i % 3; ++k) {
      repeated.row(r) = s.X.row(i);
      y_repeated(r) = s.y(i);
      ++r;
    }
  }
  repeated.conservativeResize(r, 3);
  y_repeated.conservativeResize(r);
  LogisticOptions options;
  options.tol = 1e-12;
  LogisticRegression weighted(options);
  weighted.fit(s.X, s.y, w);
  LogisticRegression plain(options);
  plain.fit(repeated, y_repeated);
  CHECK((weighted.coef() - plain.coef()).cwiseAbs().maxCoeff() < 1e-10);
  CHECK(std::abs(weighted.intercept() - plain.intercept()) < 1e-10);
}

TEST_CASE("risk: metrics on a small example with ties (sklearn and scipy values)") {
  VectorXd y(8);
  y << 0, 0, 1, 1, 0, 1, 0, 1;
  VectorXd s(8);
  s << 0.1, 0.4, 0.35, 0.8, 0.35, 0.35, 0.9, 0.6;
  CHECK(arscore::risk::roc_auc(y, s) == 0.5625);
  CHECK(arscore::risk::gini(y, s) == 0.125);
  CHECK(arscore::risk::ks(y, s) == 0.25);
  CHECK(arscore::risk::log_loss(y, s) == doctest::Approx(0.7728959465734841).epsilon(1e-14));
  CHECK(arscore::risk::brier(y, s) == doctest::Approx(0.2684375).epsilon(1e-14));
  VectorXd ones = VectorXd::Ones(8);
  CHECK_THROWS_WITH_AS(static_cast<void>(arscore::risk::roc_auc(ones, s)),
                       "[risk.input.single_class] y holds only class 1; the metric needs both 0 "
                       "(good) and 1 (bad)",
                       arscore::Error);
  VectorXd bad = s;
  bad(2) = 1.5;
  CHECK_THROWS_WITH_AS(static_cast<void>(arscore::risk::log_loss(y, bad)),
                       "[risk.input.probability] p[2] = 1.5 is not a probability in [0, 1]",
                       arscore::Error);
  CHECK_THROWS_WITH_AS(static_cast<void>(arscore::risk::roc_auc(y, s.head(7))),
                       "[risk.input.shape] y has 8 entries but score has 7", arscore::Error);
  bad(2) = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_WITH_AS(static_cast<void>(arscore::risk::ks(y, bad)),
                       "[risk.input.non_finite] score[2] is NaN", arscore::Error);
  // Stable at the clip: p = 0 for a bad row costs −log(2⁻⁵²).
  VectorXd one(1);
  one << 1.0;
  VectorXd zero = VectorXd::Zero(1);
  CHECK(arscore::risk::log_loss(one, zero) == doctest::Approx(52.0 * std::log(2.0)));
}

TEST_CASE("risk: psi and calibration table") {
  VectorXd expected(10);
  expected << 1, 2, 3, 4, 5, 6, 7, 8, 9, 10;
  CHECK(arscore::risk::psi(expected, expected) == 0.0);
  // Quartile edges 3.25, 5.5, 7.75: expected shares .3 .2 .2 .3; actual all in the top bin.
  VectorXd actual = VectorXd::Constant(4, 9.0);
  const double floor = arscore::risk::psi_floor;
  const double want = (floor - 0.3) * std::log(floor / 0.3) +
                      2 * (floor - 0.2) * std::log(floor / 0.2) + (1.0 - 0.3) * std::log(1.0 / 0.3);
  CHECK(arscore::risk::psi(expected, actual, 4) == doctest::Approx(want).epsilon(1e-14));
  CHECK_THROWS_WITH_AS(static_cast<void>(arscore::risk::psi(expected, actual, 1)),
                       "[risk.input.option] psi needs bins >= 2, got 1", arscore::Error);

  VectorXd y(5);
  y << 0, 1, 0, 1, 1;
  VectorXd p(5);
  p << 0.9, 0.1, 0.2, 0.5, 0.8;
  const auto table = arscore::risk::calibration_table(y, p, 2);
  REQUIRE(table.size() == 2);
  CHECK(table[0].count == 2);
  CHECK(table[0].p_min == 0.1);
  CHECK(table[0].p_max == 0.2);
  CHECK(table[0].mean_predicted == doctest::Approx(0.15));
  CHECK(table[0].n_bad == 1);
  CHECK(table[0].observed_rate == 0.5);
  CHECK(table[1].count == 3);
  CHECK(table[1].p_min == 0.5);
  CHECK(table[1].p_max == 0.9);
  CHECK(table[1].n_bad == 2);
  CHECK(arscore::risk::calibration_table(y, p).size() == 5);
}

TEST_CASE("risk: scorecard points add up to the score exactly") {
  VectorXd coef(3);
  coef << 0.5, -0.25, 0.125;
  VectorXd means(3);
  means << 1.0, 2.0, 0.5;
  const LogisticRegression model = LogisticRegression::from_parameters(
      LogisticOptions{}, coef, -1.0, means, {"late_ratio", "tenure", "disputes"});
  const arscore::risk::Scorecard card(model);
  CHECK(card.factor() == 20.0 / std::log(2.0));
  CHECK(card.offset() == 600.0 - card.factor() * std::log(50.0));
  CHECK(card.probability(600.0) == doctest::Approx(1.0 / 51.0).epsilon(1e-14));
  CHECK(card.probability(620.0) == doctest::Approx(1.0 / 101.0).epsilon(1e-14));
  RowMatrix X(3, 3);
  X << 1.0, 2.0, 0.5,  //
      3.0, 1.0, 0.5,   //
      0.0, 6.0, 4.5;
  const RowMatrix points = card.points(X);
  const VectorXd score = card.score(X);
  const VectorXd p = model.predict_proba(X);
  for (Eigen::Index i = 0; i < 3; ++i) {
    CHECK(score(i) == card.base_points() + points(i, 0) + points(i, 1) + points(i, 2));
    CHECK(card.probability(score(i)) == doctest::Approx(p(i)).epsilon(1e-12));
  }
  CHECK(score(0) == card.base_points());
  CHECK((points.row(0).array() == 0.0).all());
  CHECK(points(1, 0) == -card.factor() * 0.5 * 2.0);
  const auto reasons = card.reasons(X, 2);
  CHECK(reasons[0].empty());
  REQUIRE(reasons[1].size() == 2);
  CHECK(reasons[1][0].code == "late_ratio");
  CHECK(reasons[1][0].points == points(1, 0));
  CHECK(reasons[1][1].code == "tenure");
  REQUIRE(reasons[2].size() == 1);
  CHECK(reasons[2][0].code == "disputes");
  CHECK(arscore::risk::Scorecard::decide(600.0, 600.0) == arscore::risk::Decision::approve);
  CHECK(arscore::risk::Scorecard::decide(599.9, 600.0) == arscore::risk::Decision::reject);
  CHECK_THROWS_WITH_AS(arscore::risk::Scorecard(model, {600.0, 50.0, 0.0}),
                       "[risk.input.option] pdo must be positive and finite, got 0",
                       arscore::Error);
}

TEST_CASE("risk: model JSON round trip is bit-identical") {
  const Synthetic s = synthetic(400, 4, 21);
  LogisticOptions options;
  options.C = 0.37;
  options.class_weight.balanced = true;
  LogisticRegression model(options);
  model.fit(s.X, s.y);
  model.set_feature_names({"a", "b", "c", "名前"});
  const arscore::risk::Scorecard card(model, {650.0, 20.0, 40.0});
  const std::string text = arscore::risk::to_json(model, &card);
  const arscore::risk::LoadedModel loaded = arscore::risk::model_from_json(text);
  CHECK(loaded.model.coef() == model.coef());
  CHECK(loaded.model.intercept() == model.intercept());
  CHECK(loaded.model.feature_names() == model.feature_names());
  CHECK(loaded.model.options().class_weight.balanced);
  CHECK(loaded.model.options().C == 0.37);
  const VectorXd before = model.predict_proba(s.X);
  const VectorXd after = loaded.model.predict_proba(s.X);
  CHECK(std::memcmp(before.data(), after.data(), sizeof(double) * 400) == 0);
  REQUIRE(loaded.scorecard.has_value());
  CHECK(loaded.scorecard->pdo == 40.0);
  const arscore::risk::Scorecard card2(loaded.model, *loaded.scorecard,
                                       *loaded.scorecard_reference);
  CHECK(card2.score(s.X) == card.score(s.X));
  CHECK(loaded.training.n_samples == 400);
  CHECK(loaded.training.n_iter == model.n_iter());
  CHECK(arscore::risk::to_json(loaded.model, &card2).find("\"n_samples\": 0") != std::string::npos);
}

TEST_CASE("risk: corrupt model JSON names the JSON path") {
  const LogisticRegression model = LogisticRegression::from_parameters(
      LogisticOptions{}, VectorXd::Ones(2), 0.5, VectorXd::Zero(2), {"a", "b"});
  const std::string good = arscore::risk::to_json(model);
  const auto replace = [&](const std::string& from, const std::string& to) {
    std::string t = good;
    const auto at = t.find(from);
    REQUIRE(at != std::string::npos);
    t.replace(at, from.size(), to);
    return t;
  };
  CHECK_THROWS_WITH_AS(
      static_cast<void>(
          arscore::risk::model_from_json(replace("\"intercept\": 0.5", "\"intercept\": \"x\""))),
      "[risk.model_json.invalid] /model/intercept: expected a number, got string", arscore::Error);
  CHECK_THROWS_WITH_AS(static_cast<void>(arscore::risk::model_from_json(replace(
                           "\"feature_names\": [\n      \"a\",", "\"feature_names\": [\n"))),
                       "[risk.model_json.mismatch] /model/feature_names: has 1 entries but "
                       "/model/coef has 2",
                       arscore::Error);
  CHECK_THROWS_WITH_AS(
      static_cast<void>(
          arscore::risk::model_from_json(replace("\"version\": 1", "\"version\": 7"))),
      "[risk.model_json.version] /version: this arscore reads versions up to 1, the file has 7",
      arscore::Error);
  CHECK_THROWS_WITH_AS(
      static_cast<void>(
          arscore::risk::model_from_json(replace("\"penalty\": \"l2\"", "\"penalty\": \"l1\""))),
      "[risk.model_json.invalid] /model/options/penalty: penalty must be \"l2\" or \"none\", got "
      "\"l1\"",
      arscore::Error);
  CHECK_THROWS_WITH_AS(
      static_cast<void>(arscore::risk::model_from_json(replace("\"C\": 1.0", "\"C\": -2.0"))),
      "[risk.model_json.invalid] /model/options: C must be positive and finite, got -2",
      arscore::Error);
  CHECK_THROWS_WITH_AS(static_cast<void>(arscore::risk::model_from_json(
                           replace("\"coef\": [\n      1.0,", "\"coef\": [\n      null,"))),
                       "[risk.model_json.invalid] /model/coef/0: expected a number, got null",
                       arscore::Error);
  CHECK_THROWS_WITH_AS(static_cast<void>(arscore::risk::model_from_json(
                           replace("\"format\": \"arscore.risk.model\"", "\"format\": \"x\""))),
                       "[risk.model_json.format] /format: expected \"arscore.risk.model\", got "
                       "\"x\"",
                       arscore::Error);
  CHECK_THROWS_WITH_AS(static_cast<void>(arscore::risk::model_from_json("[1]")),
                       "[risk.model_json.invalid] /: expected an object, got array",
                       arscore::Error);
  try {
    static_cast<void>(arscore::risk::model_from_json(good.substr(0, 40)));
    FAIL("expected a parse error");
  } catch (const arscore::Error& e) {
    CHECK(e.code() == "risk.model_json.parse");
  }
  // A number beyond double range is JSON nlohmann refuses with out_of_range, not
  // parse_error: still a parse error here, never an escaped exception (found by fuzzing).
  CHECK_THROWS_WITH_AS(static_cast<void>(arscore::risk::model_from_json("{\"format\": 1e999}")),
                       "[risk.model_json.parse] the text is not JSON: "
                       "[json.exception.out_of_range.406] number overflow parsing '1e999'",
                       arscore::Error);
}

TEST_CASE("risk: large fits (warm start, several row blocks) reach the same optimum") {
  const Synthetic s = synthetic(300000, 3, 41);
  LogisticOptions options;
  options.tol = 1e-10;
  options.solver = Solver::newton;
  LogisticRegression newton(options);
  newton.fit(s.X, s.y);
  options.solver = Solver::lbfgs;
  options.max_iter = 1000;
  LogisticRegression lbfgs(options);
  lbfgs.fit(s.X, s.y);
  CHECK(newton.converged());
  CHECK(lbfgs.converged());
  CHECK(newton.n_iter() <= 3);
  CHECK((newton.coef() - lbfgs.coef()).cwiseAbs().maxCoeff() < 1e-7);
  CHECK(std::abs(newton.intercept() - lbfgs.intercept()) < 1e-7);
  // Prediction over many blocks equals the row-by-row formula.
  const VectorXd z = newton.decision_function(s.X);
  const VectorXd p = newton.predict_proba(s.X);
  RowMatrix both(s.X.rows(), 2);
  newton.predict_proba_matrix(s.X, both);
  double worst = 0.0;
  for (Eigen::Index i = 0; i < s.X.rows(); i += 997) {
    const double expected = newton.intercept() + s.X.row(i).dot(newton.coef());
    worst = std::max(worst, std::abs(z(i) - expected));
    CHECK(p(i) == arscore::risk::detail::sigmoid(z(i)));
    CHECK(both(i, 1) == p(i));
    CHECK(both(i, 0) == 1.0 - p(i));
  }
  CHECK(worst < 1e-12);
  CHECK((newton.feature_means() - s.X.colwise().mean().transpose()).cwiseAbs().maxCoeff() < 1e-12);
  // A NaN far down is reported with its global row number, in fit and in predict.
  RowMatrix X = s.X;
  X(200001, 2) = std::numeric_limits<double>::infinity();
  CHECK_THROWS_WITH_AS(static_cast<void>(newton.predict_proba(X)),
                       "[risk.input.non_finite] X[200001, 2] is inf; remove or impute missing "
                       "values first",
                       arscore::Error);
  CHECK_THROWS_WITH_AS(newton.fit(X, s.y),
                       "[risk.input.non_finite] X[200001, 2] is inf; remove or impute missing "
                       "values first",
                       arscore::Error);
}

TEST_CASE("risk: feature names set before fit appear in errors and survive the fit") {
  LogisticOptions options;
  options.penalty = Penalty::none;
  LogisticRegression model(options);
  model.set_feature_names({"gpa", "tuce", "gpa_twice"});
  RowMatrix X(32, 3);
  X << spector_x().leftCols(2), 2.0 * spector_x().col(0);
  CHECK_THROWS_WITH_AS(model.fit(X, spector_y()),
                       "[risk.fit.singular] the design is singular: column 2 (\"gpa_twice\") is a "
                       "linear combination of column 0 (\"gpa\"), so the coefficients are not "
                       "identified with penalty \"none\"; drop one of these columns or use "
                       "penalty \"l2\"",
                       arscore::Error);
  CHECK_THROWS_WITH_AS(model.fit(X.leftCols(2), spector_y()),
                       "[risk.input.shape] 3 feature names are set but X has 2 columns",
                       arscore::Error);
  model.fit(spector_x(), spector_y());
  CHECK(model.feature_names() == std::vector<std::string>{"gpa", "tuce", "gpa_twice"});
  CHECK(arscore::risk::summarize(model).names ==
        std::vector<std::string>{"intercept", "gpa", "tuce", "gpa_twice"});
}
