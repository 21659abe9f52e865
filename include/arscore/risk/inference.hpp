#pragma once
/// \file
/// Maximum-likelihood inference for a penalty-none logistic regression: standard errors from
/// the inverse Fisher information, Wald z and p-values, 95 % intervals, likelihood measures.
/// Matches statsmodels' Logit.

#include <Eigen/Core>
#include <string>
#include <vector>

#include "arscore/risk/logistic.hpp"

namespace arscore::risk {

/// One row per parameter: the intercept first (named "intercept") when fitted, then one per
/// feature in column order.
struct InferenceSummary {
  std::vector<std::string> names;  ///< "intercept", then the feature names.
  Eigen::VectorXd coef;            ///< Estimates.
  Eigen::VectorXd std_err;         ///< √diag of the inverse Fisher information.
  Eigen::VectorXd z;               ///< coef / std_err.
  Eigen::VectorXd p_value;         ///< Two-sided normal p-value, erfc(|z| / √2).
  Eigen::VectorXd ci_low;          ///< coef − 1.959963984540054 · std_err.
  Eigen::VectorXd ci_high;         ///< coef + 1.959963984540054 · std_err.
  double log_likelihood = 0.0;     ///< Σ sᵢ·log p(yᵢ | xᵢ).
  double ll_null = 0.0;            ///< Log-likelihood of the intercept-only model.
  double pseudo_r2 = 0.0;          ///< McFadden: 1 − log_likelihood / ll_null.
  double aic = 0.0;                ///< −2·log_likelihood + 2·k (k parameters incl. intercept).
  double bic = 0.0;  ///< −2·log_likelihood + k·ln(S), S = Σ sᵢ (n for unit weights).
  double n_observations = 0.0;  ///< S.
};

/// The inference summary of a fitted model. Throws Error "risk.inference.penalized" when the
/// model was not fitted with penalty none (a penalised fit has no such standard errors),
/// "risk.inference.unavailable" for a penalty-none model rebuilt from parameters (model JSON
/// keeps no covariance).
[[nodiscard]] InferenceSummary summarize(const LogisticRegression& model);

}  // namespace arscore::risk
