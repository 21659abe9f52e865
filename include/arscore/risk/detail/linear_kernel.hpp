#pragma once
/// \file
/// The linear predictor kernel z = X·w + b over contiguous rows. Internal to arscore::risk.
/// For the narrow rows of credit data (d ≈ 5–50) four independent accumulators per row beat
/// Eigen's general row-major matrix–vector product by about 1.5×.

#include <Eigen/Core>

namespace arscore::risk::detail {

/// z[i] = b + Σⱼ x[i·stride + j]·w[j] for i in [0, m). Never throws.
inline void linear_predictor(const double* x, Eigen::Index stride, Eigen::Index m, Eigen::Index d,
                             const double* w, double b, double* z) noexcept {
  for (Eigen::Index i = 0; i < m; ++i) {
    const double* row = x + i * stride;
    double a0 = 0.0;
    double a1 = 0.0;
    double a2 = 0.0;
    double a3 = 0.0;
    Eigen::Index j = 0;
    for (; j + 4 <= d; j += 4) {
      a0 += row[j] * w[j];
      a1 += row[j + 1] * w[j + 1];
      a2 += row[j + 2] * w[j + 2];
      a3 += row[j + 3] * w[j + 3];
    }
    for (; j < d; ++j) {
      a0 += row[j] * w[j];
    }
    z[i] = ((a0 + a1) + (a2 + a3)) + b;
  }
}

}  // namespace arscore::risk::detail
