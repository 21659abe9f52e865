// Checks of user-supplied arrays: emptiness, NaN/Inf (with row and column), 0/1 targets.
#include "arscore/risk/detail/input_checks.hpp"

#include <fmt/format.h>

#include <cmath>

#include "arscore/core/error.hpp"

namespace arscore::risk::detail {
namespace {

const char* describe(double v) { return std::isnan(v) ? "NaN" : (v > 0 ? "inf" : "-inf"); }

}  // namespace

void check_design(MatrixView X) {
  if (X.rows() == 0 || X.cols() == 0) {
    throw Error("risk.input.empty",
                fmt::format("X has {} rows and {} columns; fitting needs at least one of each",
                            X.rows(), X.cols()));
  }
  check_finite(X);
}

void check_finite(MatrixView X) {
  if (X.allFinite()) {
    return;
  }
  for (Eigen::Index i = 0; i < X.rows(); ++i) {
    for (Eigen::Index j = 0; j < X.cols(); ++j) {
      if (!std::isfinite(X(i, j))) {
        throw Error("risk.input.non_finite",
                    fmt::format("X[{}, {}] is {}; remove or impute missing values first", i, j,
                                describe(X(i, j))));
      }
    }
  }
}

void check_finite(VectorView v, std::string_view name) {
  for (Eigen::Index i = 0; i < v.size(); ++i) {
    if (!std::isfinite(v(i))) {
      throw Error("risk.input.non_finite", fmt::format("{}[{}] is {}", name, i, describe(v(i))));
    }
  }
}

void check_target(VectorView y) {
  for (Eigen::Index i = 0; i < y.size(); ++i) {
    if (y(i) != 0.0 && y(i) != 1.0) {
      throw Error("risk.input.target",
                  fmt::format("y[{}] = {} is not 0 (good) or 1 (bad)", i, y(i)));
    }
  }
}

}  // namespace arscore::risk::detail
