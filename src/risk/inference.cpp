// Wald inference from the statistics a penalty-none fit keeps.
#include "arscore/risk/inference.hpp"

#include <cmath>

#include "arscore/core/error.hpp"

namespace arscore::risk {

InferenceSummary summarize(const LogisticRegression& model) {
  if (model.fitted() && model.options().penalty == Penalty::none &&
      !model.statistics().has_value()) {
    throw Error("risk.inference.unavailable",
                "this model carries no fit statistics (it was rebuilt from its parameters, e.g. "
                "loaded from model JSON); refit it on the data to get the inference summary");
  }
  if (!model.fitted() || !model.statistics().has_value()) {
    throw Error("risk.inference.penalized",
                "the inference summary needs a model fitted with penalty \"none\"; a penalised "
                "fit has no maximum-likelihood standard errors");
  }
  const FitStatistics& stats = *model.statistics();
  const bool intercept = model.options().fit_intercept;
  const Eigen::Index d = model.coef().size();
  const Eigen::Index k = d + (intercept ? 1 : 0);
  InferenceSummary s;
  s.coef.resize(k);
  if (intercept) {
    s.names.emplace_back("intercept");
    s.coef(0) = model.intercept();
  }
  s.coef.tail(d) = model.coef();
  s.names.insert(s.names.end(), model.feature_names().begin(), model.feature_names().end());
  s.std_err = stats.covariance.diagonal().cwiseSqrt();
  s.z = s.coef.cwiseQuotient(s.std_err);
  s.p_value.resize(k);
  for (Eigen::Index j = 0; j < k; ++j) {
    s.p_value(j) = std::erfc(std::abs(s.z(j)) / std::sqrt(2.0));
  }
  constexpr double z975 = 1.959963984540054;
  s.ci_low = s.coef - z975 * s.std_err;
  s.ci_high = s.coef + z975 * s.std_err;
  s.log_likelihood = stats.log_likelihood;
  s.ll_null = stats.ll_null;
  s.pseudo_r2 = 1.0 - stats.log_likelihood / stats.ll_null;
  const auto parameters = static_cast<double>(k);
  s.aic = -2.0 * stats.log_likelihood + 2.0 * parameters;
  s.bic = -2.0 * stats.log_likelihood + parameters * std::log(stats.n_observations);
  s.n_observations = stats.n_observations;
  return s;
}

}  // namespace arscore::risk
