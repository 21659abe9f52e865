// Scorecard scaling, points, reason codes and the score ↔ probability mapping.
#include "arscore/risk/scorecard.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cassert>
#include <cmath>
#include <numeric>
#include <utility>

#include "arscore/core/error.hpp"
#include "arscore/risk/detail/input_checks.hpp"
#include "arscore/risk/detail/link.hpp"

namespace arscore::risk {

Scorecard::Scorecard(const LogisticRegression& model, ScorecardOptions options)
    : Scorecard(model, options, model.feature_means()) {}

Scorecard::Scorecard(const LogisticRegression& model, ScorecardOptions options,
                     Eigen::VectorXd reference)
    : options_(options),
      coef_(model.coef()),
      reference_(std::move(reference)),
      names_(model.feature_names()) {
  assert(model.fitted());
  if (!std::isfinite(options.base_score)) {
    throw Error("risk.input.option",
                fmt::format("base_score must be finite, got {}", options.base_score));
  }
  if (!(options.base_odds > 0.0) || !std::isfinite(options.base_odds)) {
    throw Error("risk.input.option",
                fmt::format("base_odds must be positive and finite, got {}", options.base_odds));
  }
  if (!(options.pdo > 0.0) || !std::isfinite(options.pdo)) {
    throw Error("risk.input.option",
                fmt::format("pdo must be positive and finite, got {}", options.pdo));
  }
  if (reference_.size() != coef_.size()) {
    throw Error("risk.input.shape", fmt::format("reference has {} entries but the model has {} "
                                                "features",
                                                reference_.size(), coef_.size()));
  }
  detail::check_finite(reference_, "reference");
  factor_ = options.pdo / std::log(2.0);
  offset_ = options.base_score - factor_ * std::log(options.base_odds);
  base_points_ = offset_ - factor_ * (model.intercept() + coef_.dot(reference_));
}

RowMatrix Scorecard::points(MatrixView X) const {
  if (X.cols() != coef_.size()) {
    throw Error("risk.input.shape", fmt::format("X has {} columns but the model has {} features",
                                                X.cols(), coef_.size()));
  }
  detail::check_finite(X);
  RowMatrix points(X.rows(), X.cols());
  for (Eigen::Index i = 0; i < X.rows(); ++i) {
    for (Eigen::Index j = 0; j < X.cols(); ++j) {
      points(i, j) = -factor_ * coef_(j) * (X(i, j) - reference_(j));
    }
  }
  return points;
}

Eigen::VectorXd Scorecard::score(MatrixView X) const {
  const RowMatrix p = points(X);
  Eigen::VectorXd s(X.rows());
  for (Eigen::Index i = 0; i < p.rows(); ++i) {
    double total = base_points_;
    for (Eigen::Index j = 0; j < p.cols(); ++j) {
      total += p(i, j);
    }
    s(i) = total;
  }
  return s;
}

std::vector<std::vector<Reason>> Scorecard::reasons(MatrixView X, int k) const {
  if (k < 0) {
    throw Error("risk.input.option", fmt::format("k must be >= 0, got {}", k));
  }
  const RowMatrix p = points(X);
  std::vector<std::vector<Reason>> all(static_cast<std::size_t>(p.rows()));
  std::vector<Eigen::Index> order(static_cast<std::size_t>(p.cols()));
  for (Eigen::Index i = 0; i < p.rows(); ++i) {
    std::iota(order.begin(), order.end(), Eigen::Index{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](Eigen::Index a, Eigen::Index b) { return p(i, a) < p(i, b); });
    auto& row = all[static_cast<std::size_t>(i)];
    for (const Eigen::Index j : order) {
      if (static_cast<int>(row.size()) == k || !(p(i, j) < 0.0)) {
        break;
      }
      row.push_back(Reason{names_[static_cast<std::size_t>(j)], p(i, j)});
    }
  }
  return all;
}

double Scorecard::probability(double score) const noexcept {
  return detail::sigmoid((offset_ - score) / factor_);
}

Decision Scorecard::decide(double score, double threshold) {
  if (std::isnan(score) || std::isnan(threshold)) {
    throw Error("risk.input.non_finite", "a score or threshold is NaN");
  }
  return score >= threshold ? Decision::approve : Decision::reject;
}

}  // namespace arscore::risk
