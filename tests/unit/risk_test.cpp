// arscore::risk: logistic regression, inference, metrics, scorecard and model JSON.
#include "arscore/risk.hpp"

#include <doctest/doctest.h>

#include <cmath>
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
  y << 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 1, 1, 1, 0, 1, 1,
      0, 1;
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
