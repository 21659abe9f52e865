#pragma once
/// \file
/// Numerically stable logistic link: sigmoid and the per-row log loss. Internal to
/// arscore::risk; no function here throws.

#include <cmath>

namespace arscore::risk::detail {

/// σ(z) = 1 / (1 + e^−z), computed without overflow for any finite or infinite z.
[[nodiscard]] inline double sigmoid(double z) noexcept {
  if (z >= 0.0) {
    return 1.0 / (1.0 + std::exp(-z));
  }
  const double e = std::exp(z);
  return e / (1.0 + e);
}

/// log(1 + e^z) without overflow (z = 800 gives 800, z = −800 gives e^−800 = 0).
[[nodiscard]] inline double softplus(double z) noexcept {
  return (z > 0.0 ? z : 0.0) + std::log1p(std::exp(-std::abs(z)));
}

/// The log loss of one row with label y ∈ {0, 1} and linear predictor z:
/// −[y·log σ(z) + (1 − y)·log(1 − σ(z))] = y·softplus(−z) + (1 − y)·softplus(z), finite for
/// every finite z and accurate to relative precision even when the loss is tiny.
[[nodiscard]] inline double log_loss_at(double y, double z) noexcept {
  return y * softplus(-z) + (1.0 - y) * softplus(z);
}

/// The log loss and σ(z) of one row with label y ∈ {0, 1}, from one exp and one log1p.
struct LossAndProbability {
  double loss;         ///< log_loss_at(y, z).
  double probability;  ///< σ(z).
};

/// Both values of LossAndProbability for y ∈ {0, 1} (y = 1 exactly means bad). Never throws.
[[nodiscard]] inline LossAndProbability loss_and_probability(double y, double z) noexcept {
  const double e = std::exp(-std::abs(z));
  const double tail = std::log1p(e);
  const double loss = (y == 1.0 ? (z < 0.0 ? -z : 0.0) : (z > 0.0 ? z : 0.0)) + tail;
  const double probability = z >= 0.0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
  return {loss, probability};
}

}  // namespace arscore::risk::detail
