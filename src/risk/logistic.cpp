// arscore::risk::LogisticRegression: input checks, the Newton and L-BFGS solvers, and the
// separation / singularity diagnostics for penalty "none".
#include "arscore/risk/logistic.hpp"

#include <fmt/format.h>

#include <Eigen/Cholesky>
#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstddef>
#include <deque>
#include <limits>
#include <utility>

#include "arscore/core/error.hpp"
#include "arscore/risk/detail/input_checks.hpp"
#include "arscore/risk/detail/linear_kernel.hpp"
#include "arscore/risk/detail/link.hpp"
#include "arscore/risk/detail/parallel.hpp"

namespace arscore::risk {

Penalty parse_penalty(std::string_view text) {
  if (text == "l2") {
    return Penalty::l2;
  }
  if (text == "none") {
    return Penalty::none;
  }
  throw Error("risk.input.option",
              fmt::format("penalty must be \"l2\" or \"none\", got \"{}\"", text));
}

std::string_view to_string(Penalty penalty) noexcept {
  return penalty == Penalty::l2 ? "l2" : "none";
}

Solver parse_solver(std::string_view text) {
  if (text == "auto") {
    return Solver::automatic;
  }
  if (text == "newton") {
    return Solver::newton;
  }
  if (text == "lbfgs") {
    return Solver::lbfgs;
  }
  throw Error("risk.input.option",
              fmt::format("solver must be \"auto\", \"newton\" or \"lbfgs\", got \"{}\"", text));
}

std::string_view to_string(Solver solver) noexcept {
  switch (solver) {
    case Solver::newton:
      return "newton";
    case Solver::lbfgs:
      return "lbfgs";
    case Solver::automatic:
      break;
  }
  return "auto";
}

namespace {

using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;

constexpr Index chunk_rows = 2048;
constexpr Index newton_max_parameters = 500;
constexpr int lbfgs_memory = 10;
constexpr double armijo = 1e-4;

// The normalised objective F(θ) = Σ ŝᵢ·logloss(yᵢ, xᵢ·w + b) + (λ/2)·‖w‖², with ŝ = s / Σ s and
// λ = 1 / (C·Σ s) (0 without penalty). θ holds w then, when fitted, b.
struct Problem {
  MatrixView X;
  VectorView y;
  VectorView s;  // normalised weights, summing to 1
  double lambda;
  bool fit_intercept;
  Index d;
  Index p;
  const std::vector<std::string>& names;  // feature names for messages; may be empty
};

// One block's share of the objective, gradient and (optionally) Hessian.
struct Partial {
  double value = 0.0;
  VectorXd gradient;  // w part
  double gradient_b = 0.0;
  MatrixXd hww;  // lower triangle
  VectorXd hwb;
  double hbb = 0.0;
};

void accumulate_block(const Problem& pr, const VectorXd& w, double b, Index begin, Index end,
                      bool with_hessian, Partial& out) {
  const Index d = pr.d;
  const Index rows = std::min(chunk_rows, end - begin);
  out.gradient.setZero(d);
  VectorXd z(rows);
  VectorXd r(rows);
  VectorXd curvature(rows);
  RowMatrix scaled;
  if (with_hessian) {
    out.hww.setZero(d, d);
    out.hwb.setZero(d);
    scaled.resize(rows, d);
  }
  for (Index start = begin; start < end; start += chunk_rows) {
    const Index m = std::min(chunk_rows, end - start);
    const auto Xc = pr.X.middleRows(start, m);
    detail::linear_predictor(Xc.data(), pr.X.outerStride(), m, d, w.data(), b, z.data());
    double chunk_loss = 0.0;
    for (Index i = 0; i < m; ++i) {
      const double si = pr.s(start + i);
      if (si == 0.0) {
        r(i) = 0.0;
        curvature(i) = 0.0;
        continue;
      }
      const double yi = pr.y(start + i);
      const detail::LossAndProbability lp = detail::loss_and_probability(yi, z(i));
      chunk_loss += si * lp.loss;
      r(i) = si * (lp.probability - yi);
      curvature(i) = si * lp.probability * (1.0 - lp.probability);
    }
    out.value += chunk_loss;
    out.gradient.noalias() += Xc.transpose() * r.head(m);
    out.gradient_b += r.head(m).sum();
    if (with_hessian) {
      scaled.topRows(m).noalias() = curvature.head(m).cwiseSqrt().asDiagonal() * Xc;
      out.hww.selfadjointView<Eigen::Lower>().rankUpdate(scaled.topRows(m).transpose());
      if (pr.fit_intercept) {
        out.hwb.noalias() += Xc.transpose() * curvature.head(m);
        out.hbb += curvature.head(m).sum();
      }
    }
  }
}

double evaluate(const Problem& pr, const VectorXd& theta, VectorXd& gradient, MatrixXd* hessian) {
  const Index n = pr.X.rows();
  const Index d = pr.d;
  const VectorXd w = theta.head(d);
  const double b = pr.fit_intercept ? theta(d) : 0.0;
  const Index blocks = detail::block_count(n);
  std::vector<Partial> partials(static_cast<std::size_t>(blocks));
  detail::for_each_block(blocks, [&](Index block) {
    const Index begin = block * detail::block_rows;
    const Index end = std::min(n, begin + detail::block_rows);
    accumulate_block(pr, w, b, begin, end, hessian != nullptr,
                     partials[static_cast<std::size_t>(block)]);
  });
  // Combine in block order: the result does not depend on the thread count.
  double value = 0.0;
  gradient.setZero(pr.p);
  MatrixXd hww;
  VectorXd hwb;
  double hbb = 0.0;
  if (hessian != nullptr) {
    hww.setZero(d, d);
    hwb.setZero(d);
  }
  for (const Partial& part : partials) {
    value += part.value;
    gradient.head(d) += part.gradient;
    if (pr.fit_intercept) {
      gradient(d) += part.gradient_b;
    }
    if (hessian != nullptr) {
      hww += part.hww;
      hwb += part.hwb;
      hbb += part.hbb;
    }
  }
  if (pr.lambda > 0.0) {
    value += 0.5 * pr.lambda * w.squaredNorm();
    gradient.head(d) += pr.lambda * w;
  }
  if (hessian != nullptr) {
    hessian->resize(pr.p, pr.p);
    hessian->topLeftCorner(d, d) = hww.selfadjointView<Eigen::Lower>();
    hessian->topLeftCorner(d, d).diagonal().array() += pr.lambda;
    if (pr.fit_intercept) {
      hessian->col(d).head(d) = hwb;
      hessian->row(d).head(d) = hwb.transpose();
      (*hessian)(d, d) = hbb;
    }
  }
  return value;
}

double max_norm(const VectorXd& v) { return v.size() == 0 ? 0.0 : v.cwiseAbs().maxCoeff(); }

std::string parameter_name(Index j, const Problem& pr) {
  if (j == pr.d) {
    return "the intercept";
  }
  if (static_cast<Index>(pr.names.size()) == pr.d) {
    return fmt::format("column {} (\"{}\")", j, pr.names[static_cast<std::size_t>(j)]);
  }
  return fmt::format("column {}", j);
}

// Penalty "none" needs a full-rank design. The Hessian at w = 0 is a positive multiple of the
// weighted Gram matrix of [X, 1]; an incremental Cholesky over (intercept, column 0, 1, …)
// finds the first column that is a combination of the ones before it.
void check_collinearity(const MatrixXd& H, const Problem& pr) {
  std::vector<Index> order;
  if (pr.fit_intercept) {
    order.push_back(pr.d);
  }
  for (Index j = 0; j < pr.d; ++j) {
    order.push_back(j);
  }
  std::vector<Index> kept;
  MatrixXd L = MatrixXd::Zero(pr.p, pr.p);
  for (const Index j : order) {
    const double hjj = H(j, j);
    if (!(hjj > 0.0)) {
      throw Error("risk.fit.singular",
                  fmt::format("the design is singular: {} is 0 on every row with positive "
                              "weight, so its coefficient is not identified with penalty "
                              "\"none\"; drop it or use penalty \"l2\"",
                              parameter_name(j, pr)));
    }
    const auto k = static_cast<Index>(kept.size());
    VectorXd h(k);
    for (Index a = 0; a < k; ++a) {
      h(a) = H(kept[static_cast<std::size_t>(a)], j);
    }
    VectorXd l = L.topLeftCorner(k, k).triangularView<Eigen::Lower>().solve(h);
    const double pivot = hjj - l.squaredNorm();
    if (pivot <= 1e-10 * hjj) {
      const VectorXd coefficients =
          L.topLeftCorner(k, k).triangularView<Eigen::Lower>().transpose().solve(l);
      std::vector<std::string> parts;
      for (Index a = 0; a < k; ++a) {
        const Index col = kept[static_cast<std::size_t>(a)];
        if (std::abs(coefficients(a)) * std::sqrt(H(col, col) / hjj) > 1e-6) {
          parts.push_back(parameter_name(col, pr));
        }
      }
      throw Error("risk.fit.singular",
                  fmt::format("the design is singular: {} is a linear combination of {}, "
                              "so the coefficients are not identified with penalty \"none\"; drop "
                              "one of these columns or use penalty \"l2\"",
                              parameter_name(j, pr), fmt::join(parts, ", ")));
    }
    L.row(k).head(k) = l.transpose();
    L(k, k) = std::sqrt(pivot);
    kept.push_back(j);
  }
}

// x̃ᵢ·v for every row, where x̃ᵢ = [xᵢ, 1].
VectorXd linear_predictor(const Problem& pr, const VectorXd& theta) {
  VectorXd z = pr.X * theta.head(pr.d);
  if (pr.fit_intercept) {
    z.array() += theta(pr.d);
  }
  return z;
}

void check_separation(const Problem& pr, const VectorXd& theta, const VectorXd& gradient,
                      const MatrixXd& hessian) {
  const VectorXd z = linear_predictor(pr, theta);
  bool all_correct = true;
  for (Index i = 0; i < z.size() && all_correct; ++i) {
    if (pr.s(i) > 0.0 && (2.0 * pr.y(i) - 1.0) * z(i) <= 0.0) {
      all_correct = false;
    }
  }
  if (all_correct) {
    throw Error("risk.fit.separation",
                "the classes are perfectly separated: a linear combination of the columns "
                "classifies every row correctly, so the maximum-likelihood coefficients are "
                "infinite; use penalty \"l2\" or remove the separating column(s)");
  }
  // Quasi-complete separation: the gradient is tiny but Newton's next step still moves some
  // rows' linear predictor by a unit or so (the log loss of a separated row decays like e^−z,
  // whose Newton step is exactly 1). A finite maximum gives a vanishing step instead.
  const Eigen::LDLT<MatrixXd> ldlt(hessian);
  if (ldlt.info() != Eigen::Success) {
    return;
  }
  const VectorXd step = ldlt.solve(-gradient);
  if (!step.allFinite()) {
    return;
  }
  const VectorXd moved = linear_predictor(pr, step);
  Index worst = 0;
  double largest = 0.0;
  for (Index i = 0; i < moved.size(); ++i) {
    if (pr.s(i) > 0.0 && std::abs(moved(i)) > largest) {
      largest = std::abs(moved(i));
      worst = i;
    }
  }
  if (largest > 0.5) {
    const double own = pr.y(worst) == 1.0 ? detail::sigmoid(z(worst)) : detail::sigmoid(-z(worst));
    throw Error("risk.fit.separation",
                fmt::format("the classes are quasi-separated: the likelihood keeps increasing as "
                            "the coefficients grow without bound (row {} is fitted with "
                            "probability {:.17g} of its own class); the maximum-likelihood "
                            "coefficients are infinite; use penalty \"l2\" or remove the "
                            "separating column(s)",
                            worst, own));
  }
}

struct SolverResult {
  int iterations = 0;
  bool converged = false;
  bool stalled = false;
  double gradient_norm = 0.0;
};

// Backtracking (halving) line search with the Armijo condition. A tiny slack of a few ulps of
// the objective lets the last steps near the optimum through when round-off dominates.
template <class Evaluate>
bool line_search(const VectorXd& theta, double value, const VectorXd& gradient,
                 const VectorXd& direction, double first_step, Evaluate&& eval, VectorXd& theta_out,
                 double& value_out) {
  const double slope = gradient.dot(direction);
  const double slack = 8.0 * std::numeric_limits<double>::epsilon() * std::abs(value);
  double t = first_step;
  for (int k = 0; k < 60; ++k) {
    theta_out = theta + t * direction;
    value_out = eval(theta_out);
    if (std::isfinite(value_out) && value_out <= value + armijo * t * slope + slack) {
      return true;
    }
    t *= 0.5;
  }
  return false;
}

SolverResult newton(const Problem& pr, VectorXd& theta, const LogisticOptions& options,
                    VectorXd& gradient, MatrixXd& hessian) {
  SolverResult result;
  double value = evaluate(pr, theta, gradient, &hessian);
  if (options.penalty == Penalty::none) {
    check_collinearity(hessian, pr);
  }
  Eigen::LDLT<MatrixXd> ldlt(pr.p);
  VectorXd trial_gradient(pr.p);
  MatrixXd trial_hessian(pr.p, pr.p);
  VectorXd trial(pr.p);
  // Near the optimum Newton converges quadratically, gₖ₊₁ ≈ K·gₖ²; when the next gradient is
  // predicted to be below tol (K estimated from the last step, or gₖ ≤ √tol / 10 before there is
  // one), the trial point is evaluated without the Hessian (about half the cost) and the
  // Hessian is computed only if it is needed after all.
  const double lazy_below = std::sqrt(options.tol) / 10.0;
  bool hessian_current = true;
  double previous_norm = 0.0;  // gradient max-norm at the previous iterate (0: none yet)
  while (true) {
    result.gradient_norm = max_norm(gradient);
    if (result.gradient_norm <= options.tol) {
      result.converged = true;
      break;
    }
    if (result.iterations >= options.max_iter) {
      break;
    }
    if (!hessian_current) {
      value = evaluate(pr, theta, gradient, &hessian);
      hessian_current = true;
    }
    ldlt.compute(hessian);
    VectorXd direction;
    if (ldlt.info() == Eigen::Success && ldlt.isPositive()) {
      direction = ldlt.solve(-gradient);
    }
    if (direction.size() != pr.p || !direction.allFinite() || direction.dot(gradient) >= 0.0) {
      direction = -gradient;  // steepest descent when the Hessian is not usable
    }
    const double g = result.gradient_norm;
    const bool predicted_final =
        g <= lazy_below ||
        (previous_norm > 0.0 && g * g * g <= options.tol * previous_norm * previous_norm);
    const bool with_hessian = !predicted_final;
    double trial_value = 0.0;
    const bool accepted = line_search(
        theta, value, gradient, direction, 1.0,
        [&](const VectorXd& t) {
          return evaluate(pr, t, trial_gradient, with_hessian ? &trial_hessian : nullptr);
        },
        trial, trial_value);
    ++result.iterations;
    if (!accepted) {
      result.stalled = true;
      break;
    }
    previous_norm = g;
    theta.swap(trial);
    gradient.swap(trial_gradient);
    if (with_hessian) {
      hessian.swap(trial_hessian);
    }
    hessian_current = with_hessian;
    value = trial_value;
  }
  if (!hessian_current && options.penalty == Penalty::none) {
    evaluate(pr, theta, gradient, &hessian);  // inference needs the Hessian at the fit
  }
  return result;
}

SolverResult lbfgs(const Problem& pr, VectorXd& theta, const LogisticOptions& options,
                   VectorXd& gradient) {
  SolverResult result;
  double value = evaluate(pr, theta, gradient, nullptr);
  std::deque<VectorXd> s_history;
  std::deque<VectorXd> y_history;
  std::deque<double> rho_history;
  VectorXd trial_gradient(pr.p);
  VectorXd trial(pr.p);
  while (true) {
    result.gradient_norm = max_norm(gradient);
    if (result.gradient_norm <= options.tol) {
      result.converged = true;
      break;
    }
    if (result.iterations >= options.max_iter) {
      break;
    }
    // Two-loop recursion.
    VectorXd q = -gradient;
    const std::size_t k = s_history.size();
    std::vector<double> alpha(k);
    for (std::size_t i = k; i-- > 0;) {
      alpha[i] = rho_history[i] * s_history[i].dot(q);
      q -= alpha[i] * y_history[i];
    }
    double first_step = 1.0;
    if (k > 0) {
      q *= s_history.back().dot(y_history.back()) / y_history.back().squaredNorm();
    } else {
      first_step = std::min(1.0, 1.0 / gradient.norm());
    }
    for (std::size_t i = 0; i < k; ++i) {
      const double beta = rho_history[i] * y_history[i].dot(q);
      q += (alpha[i] - beta) * s_history[i];
    }
    if (!q.allFinite() || q.dot(gradient) >= 0.0) {
      q = -gradient;
      s_history.clear();
      y_history.clear();
      rho_history.clear();
      first_step = std::min(1.0, 1.0 / gradient.norm());
    }
    double trial_value = 0.0;
    const bool accepted = line_search(
        theta, value, gradient, q, first_step,
        [&](const VectorXd& t) { return evaluate(pr, t, trial_gradient, nullptr); }, trial,
        trial_value);
    ++result.iterations;
    if (!accepted) {
      result.stalled = true;
      break;
    }
    VectorXd s = trial - theta;
    VectorXd yv = trial_gradient - gradient;
    const double sy = s.dot(yv);
    if (sy > 1e-12 * s.norm() * yv.norm()) {
      if (s_history.size() == static_cast<std::size_t>(lbfgs_memory)) {
        s_history.pop_front();
        y_history.pop_front();
        rho_history.pop_front();
      }
      s_history.push_back(std::move(s));
      y_history.push_back(std::move(yv));
      rho_history.push_back(1.0 / sy);
    }
    theta.swap(trial);
    gradient.swap(trial_gradient);
    value = trial_value;
  }
  return result;
}

// Large L2 fits start Newton from the optimum of an evenly strided subsample of about
// warm_start_rows rows (same λ, so it estimates the same objective): the full-data Newton then
// needs two or three passes instead of five or six. Only the starting point changes; the
// result is the full-data optimum to tol.
constexpr Index warm_start_min_rows = 262144;
constexpr Index warm_start_rows = 65536;

void warm_start(const Problem& pr, VectorXd& theta) {
  const Index n = pr.X.rows();
  const Index step = n / warm_start_rows;
  const Index m = n / step;
  RowMatrix X(m, pr.d);
  VectorXd y(m);
  VectorXd s(m);
  for (Index i = 0; i < m; ++i) {
    X.row(i) = pr.X.row(i * step);
    y(i) = pr.y(i * step);
    s(i) = pr.s(i * step);
  }
  const double total = s.sum();
  const double bad = s.dot(y);
  if (!(bad > 0.0) || !(bad < total)) {
    return;  // the subsample holds one class: start from the default point
  }
  s /= total;
  const Problem sub{X, y, s, pr.lambda, pr.fit_intercept, pr.d, pr.p, pr.names};
  VectorXd start = theta;
  if (pr.fit_intercept) {
    start(pr.d) = std::log(bad / (total - bad));
  }
  LogisticOptions options;
  options.tol = 1e-6;
  options.max_iter = 20;
  VectorXd gradient(pr.p);
  MatrixXd hessian;
  const SolverResult result = newton(sub, start, options, gradient, hessian);
  if (start.allFinite() && result.converged) {
    theta = start;
  }
}

void check_options(const LogisticOptions& o) {
  if (!(o.C > 0.0) || !std::isfinite(o.C)) {
    throw Error("risk.input.option", fmt::format("C must be positive and finite, got {}", o.C));
  }
  if (!(o.tol >= 0.0) || !std::isfinite(o.tol)) {
    throw Error("risk.input.option", fmt::format("tol must be >= 0 and finite, got {}", o.tol));
  }
  if (o.max_iter < 1) {
    throw Error("risk.input.option", fmt::format("max_iter must be >= 1, got {}", o.max_iter));
  }
  if (!o.class_weight.balanced) {
    for (const double w : {o.class_weight.weight0, o.class_weight.weight1}) {
      if (!(w > 0.0) || !std::isfinite(w)) {
        throw Error("risk.input.option",
                    fmt::format("class weights must be positive and finite, got {}", w));
      }
    }
  }
}

}  // namespace

LogisticRegression::LogisticRegression(LogisticOptions options) noexcept
    : options_(std::move(options)) {}

LogisticRegression LogisticRegression::from_parameters(LogisticOptions options,
                                                       Eigen::VectorXd coef, double intercept,
                                                       Eigen::VectorXd feature_means,
                                                       std::vector<std::string> feature_names) {
  check_options(options);
  if (feature_means.size() != coef.size()) {
    throw Error("risk.input.shape", fmt::format("feature_means has {} entries but coef has {}",
                                                feature_means.size(), coef.size()));
  }
  if (!coef.allFinite() || !std::isfinite(intercept) || !feature_means.allFinite()) {
    throw Error("risk.input.non_finite", "a model parameter is NaN or infinite");
  }
  LogisticRegression model(std::move(options));
  model.coef_ = std::move(coef);
  model.intercept_ = intercept;
  model.feature_means_ = std::move(feature_means);
  model.fitted_ = true;
  model.converged_ = true;
  if (feature_names.empty()) {
    for (Index j = 0; j < model.coef_.size(); ++j) {
      model.feature_names_.push_back(fmt::format("x{}", j));
    }
  } else {
    model.set_feature_names(std::move(feature_names));
  }
  return model;
}

void LogisticRegression::set_feature_names(std::vector<std::string> names) {
  if (fitted_ && static_cast<Index>(names.size()) != coef_.size()) {
    throw Error("risk.input.shape", fmt::format("{} feature names given for {} coefficients",
                                                names.size(), coef_.size()));
  }
  feature_names_ = std::move(names);
  names_from_user_ = true;
}

void LogisticRegression::fit(MatrixView X, VectorView y) { fit(X, y, VectorXd::Ones(X.rows())); }

void LogisticRegression::fit(MatrixView X, VectorView y, VectorView sample_weight) {
  check_options(options_);
  if (X.rows() == 0 || X.cols() == 0) {
    throw Error("risk.input.empty",
                fmt::format("X has {} rows and {} columns; fitting needs at least one of each",
                            X.rows(), X.cols()));
  }
  const VectorXd column_sums = detail::checked_column_sums(X);
  const Index n = X.rows();
  const Index d = X.cols();
  if (y.size() != n) {
    throw Error("risk.input.shape", fmt::format("y has {} rows but X has {}", y.size(), n));
  }
  if (names_from_user_ && static_cast<Index>(feature_names_.size()) != d) {
    throw Error("risk.input.shape", fmt::format("{} feature names are set but X has {} columns",
                                                feature_names_.size(), d));
  }
  if (!names_from_user_) {
    feature_names_.clear();
  }
  if (sample_weight.size() != n) {
    throw Error("risk.input.shape",
                fmt::format("sample_weight has {} rows but X has {}", sample_weight.size(), n));
  }
  detail::check_target(y);
  for (Index i = 0; i < n; ++i) {
    const double w = sample_weight(i);
    if (!std::isfinite(w)) {
      throw Error("risk.input.weight", fmt::format("sample_weight[{}] = {} is not finite", i, w));
    }
    if (w < 0.0) {
      throw Error("risk.input.weight", fmt::format("sample_weight[{}] = {} is negative", i, w));
    }
  }
  // Effective weights: sample weight × class weight.
  double weight0 = options_.class_weight.weight0;
  double weight1 = options_.class_weight.weight1;
  const double count1 = y.sum();
  const double count0 = static_cast<double>(n) - count1;
  if (options_.class_weight.balanced) {
    weight0 = count0 > 0.0 ? static_cast<double>(n) / (2.0 * count0) : 1.0;
    weight1 = count1 > 0.0 ? static_cast<double>(n) / (2.0 * count1) : 1.0;
  }
  VectorXd s(n);
  bool has0 = false;
  bool has1 = false;
  for (Index i = 0; i < n; ++i) {
    s(i) = sample_weight(i) * (y(i) == 1.0 ? weight1 : weight0);
    if (s(i) > 0.0) {
      (y(i) == 1.0 ? has1 : has0) = true;
    }
  }
  const double total = s.sum();
  if (!(total > 0.0) || !std::isfinite(total)) {
    throw Error("risk.input.weight",
                fmt::format("the sample weights sum to {}; at least one row needs a positive "
                            "weight",
                            total));
  }
  if (!has0 || !has1) {
    throw Error("risk.input.single_class",
                fmt::format("y holds only class {} among the rows with positive weight; fitting "
                            "needs both 0 (good) and 1 (bad)",
                            has1 ? 1 : 0));
  }
  s /= total;  // normalised from here on
  const VectorXd& s_normalised = s;
  const Problem pr{X,
                   y,
                   s_normalised,
                   options_.penalty == Penalty::l2 ? 1.0 / (options_.C * total) : 0.0,
                   options_.fit_intercept,
                   d,
                   d + (options_.fit_intercept ? 1 : 0),
                   feature_names_};

  VectorXd theta = VectorXd::Zero(pr.p);
  if (pr.fit_intercept) {
    const double mean = s_normalised.dot(y);
    theta(d) = std::log(mean / (1.0 - mean));
  }
  Solver solver = options_.solver;
  if (solver == Solver::automatic) {
    solver = pr.p <= newton_max_parameters ? Solver::newton : Solver::lbfgs;
  }
  VectorXd gradient(pr.p);
  MatrixXd hessian;
  SolverResult result;
  if (solver == Solver::newton) {
    if (options_.penalty == Penalty::l2 && n >= warm_start_min_rows) {
      warm_start(pr, theta);
    }
    result = newton(pr, theta, options_, gradient, hessian);
  } else {
    if (options_.penalty == Penalty::none) {
      evaluate(pr, theta, gradient, &hessian);
      check_collinearity(hessian, pr);
    }
    result = lbfgs(pr, theta, options_, gradient);
    if (options_.penalty == Penalty::none) {
      evaluate(pr, theta, gradient, &hessian);
    }
  }

  std::optional<FitStatistics> statistics;
  if (options_.penalty == Penalty::none) {
    check_separation(pr, theta, gradient, hessian);
    // Fisher information of the summed log-likelihood = S · (Hessian of the normalised loss).
    const Eigen::LDLT<MatrixXd> ldlt(total * hessian);
    if (ldlt.info() != Eigen::Success || !ldlt.isPositive()) {
      throw Error("risk.fit.singular",
                  "the Fisher information is singular at the fit, so standard errors do not "
                  "exist; drop collinear columns or use penalty \"l2\"");
    }
    const MatrixXd inverse = ldlt.solve(MatrixXd::Identity(pr.p, pr.p));
    // Reorder to intercept first, then the coefficients.
    FitStatistics stats;
    stats.covariance.resize(pr.p, pr.p);
    std::vector<Index> order;
    if (pr.fit_intercept) {
      order.push_back(d);
    }
    for (Index j = 0; j < d; ++j) {
      order.push_back(j);
    }
    for (Index a = 0; a < pr.p; ++a) {
      for (Index b = 0; b < pr.p; ++b) {
        stats.covariance(a, b) =
            inverse(order[static_cast<std::size_t>(a)], order[static_cast<std::size_t>(b)]);
      }
    }
    const VectorXd z = linear_predictor(pr, theta);
    double ll = 0.0;
    for (Index i = 0; i < n; ++i) {
      if (s(i) > 0.0) {
        ll -= total * s(i) * detail::log_loss_at(y(i), z(i));
      }
    }
    const double mean = s_normalised.dot(y);
    stats.log_likelihood = ll;
    stats.ll_null = total * (mean * std::log(mean) + (1.0 - mean) * std::log1p(-mean));
    stats.n_observations = total;
    statistics = std::move(stats);
  }

  coef_ = theta.head(d);
  intercept_ = pr.fit_intercept ? theta(d) : 0.0;
  feature_means_ = column_sums / static_cast<double>(n);
  if (!names_from_user_) {
    for (Index j = 0; j < d; ++j) {
      feature_names_.push_back(fmt::format("x{}", j));
    }
  }
  n_iter_ = result.iterations;
  converged_ = result.converged;
  solver_used_ = solver;
  n_samples_ = static_cast<std::size_t>(n);
  statistics_ = std::move(statistics);
  warning_.clear();
  if (!converged_) {
    if (result.stalled) {
      warning_ = fmt::format(
          "solver \"{}\" stopped after {} iterations: the line search could not decrease the "
          "objective any further, and the gradient max-norm {:.3g} is above tol={:g}; the "
          "objective is flat to double precision — raise tol, or standardise the columns of X",
          to_string(solver), result.iterations, result.gradient_norm, options_.tol);
    } else {
      warning_ = fmt::format(
          "solver \"{}\" did not converge in max_iter={} iterations (gradient max-norm {:.3g} > "
          "tol={:g}); increase max_iter, standardise the columns of X{}, or raise tol",
          to_string(solver), options_.max_iter, result.gradient_norm, options_.tol,
          solver == Solver::lbfgs ? ", try solver \"newton\"" : "");
    }
  }
  fitted_ = true;
}

Eigen::VectorXd LogisticRegression::decision_function(MatrixView X) const {
  VectorXd z(X.rows());
  decision_function(X, z);
  return z;
}

void LogisticRegression::decision_function(MatrixView X, Eigen::Ref<Eigen::VectorXd> out) const {
  assert(out.size() == X.rows());
  predict(X, [&](Index start, Index m, const double* values) {
    std::copy(values, values + m, out.data() + start);
  });
}

Eigen::VectorXd LogisticRegression::predict_proba(MatrixView X) const {
  VectorXd p(X.rows());
  predict_proba(X, Eigen::Ref<Eigen::VectorXd>(p));
  return p;
}

void LogisticRegression::predict_proba(MatrixView X, Eigen::Ref<Eigen::VectorXd> out) const {
  assert(out.size() == X.rows());
  predict(X, [&](Index start, Index m, const double* values) {
    for (Index i = 0; i < m; ++i) {
      out(start + i) = detail::sigmoid(values[i]);
    }
  });
}

void LogisticRegression::predict_proba_matrix(MatrixView X, Eigen::Ref<RowMatrix> out) const {
  assert(out.rows() == X.rows() && out.cols() == 2);
  predict(X, [&](Index start, Index m, const double* values) {
    for (Index i = 0; i < m; ++i) {
      const double bad = detail::sigmoid(values[i]);
      out(start + i, 0) = 1.0 - bad;
      out(start + i, 1) = bad;
    }
  });
}

template <class Sink>
void LogisticRegression::predict(MatrixView X, Sink&& sink) const {
  assert(fitted_);
  if (X.cols() != coef_.size()) {
    throw Error("risk.input.shape", fmt::format("X has {} columns but the model has {} features",
                                                X.cols(), coef_.size()));
  }
  const Index n = X.rows();
  const Index d = X.cols();
  const Index blocks = detail::block_count(n);
  // A NaN/Inf in X makes its row's z non-finite, so the check rides along with the product
  // and only a suspicious block is scanned cell by cell (a finite X whose z overflows passes).
  std::vector<char> suspicious(static_cast<std::size_t>(blocks), 0);
  detail::for_each_block(blocks, [&](Index block) {
    const Index begin = block * detail::block_rows;
    const Index end = std::min(n, begin + detail::block_rows);
    double z[chunk_rows];
    for (Index start = begin; start < end; start += chunk_rows) {
      const Index m = std::min(chunk_rows, end - start);
      detail::linear_predictor(X.row(start).data(), X.outerStride(), m, d, coef_.data(), intercept_,
                               z);
      double probe = 0.0;
      for (Index i = 0; i < m; ++i) {
        probe += z[i] * 0.0;
      }
      if (!(probe == 0.0)) {
        suspicious[static_cast<std::size_t>(block)] = 1;
      }
      sink(start, m, z);
    }
  });
  for (Index block = 0; block < blocks; ++block) {
    if (suspicious[static_cast<std::size_t>(block)] != 0) {
      const Index begin = block * detail::block_rows;
      detail::check_finite(X.middleRows(begin, std::min(n, begin + detail::block_rows) - begin),
                           begin);
    }
  }
}

}  // namespace arscore::risk
