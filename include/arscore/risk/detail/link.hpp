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

}  // namespace arscore::risk::detail
