// Checks of user-supplied arrays: emptiness, NaN/Inf (with row and column), 0/1 targets.
#include "arscore/risk/detail/input_checks.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "arscore/core/error.hpp"
#include "arscore/risk/detail/parallel.hpp"

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

namespace {

// True when rows [begin, end) hold only finite values: x·0 is 0 for finite x and NaN for NaN
// and ±inf, so one vectorised sum decides (Eigen's allFinite is ~10× slower here).
bool rows_finite(MatrixView X, Eigen::Index begin, Eigen::Index end) {
  double total = 0.0;
  if (X.outerStride() == X.cols()) {
    const Eigen::Map<const Eigen::ArrayXd> cells(X.data() + begin * X.cols(),
                                                 (end - begin) * X.cols());
    total = (cells * 0.0).sum();
  } else {
    for (Eigen::Index i = begin; i < end; ++i) {
      total += (X.row(i).array() * 0.0).sum();
    }
  }
  return total == 0.0;
}

}  // namespace

void check_finite(MatrixView X, Eigen::Index row_offset) {
  constexpr Eigen::Index chunk = 4096;
  bool finite = true;
  for (Eigen::Index begin = 0; begin < X.rows() && finite; begin += chunk) {
    finite = rows_finite(X, begin, std::min(X.rows(), begin + chunk));
  }
  if (finite) {
    return;
  }
  for (Eigen::Index i = 0; i < X.rows(); ++i) {
    for (Eigen::Index j = 0; j < X.cols(); ++j) {
      if (!std::isfinite(X(i, j))) {
        throw Error("risk.input.non_finite",
                    fmt::format("X[{}, {}] is {}; remove or impute missing values first",
                                i + row_offset, j, describe(X(i, j))));
      }
    }
  }
}

Eigen::VectorXd checked_column_sums(MatrixView X) {
  const Eigen::Index n = X.rows();
  const Eigen::Index blocks = block_count(n);
  std::vector<Eigen::VectorXd> partial(static_cast<std::size_t>(blocks));
  for_each_block(blocks, [&](Eigen::Index block) {
    const Eigen::Index begin = block * block_rows;
    const Eigen::Index rows = std::min(n, begin + block_rows) - begin;
    partial[static_cast<std::size_t>(block)].noalias() =
        X.middleRows(begin, rows).transpose() * Eigen::VectorXd::Ones(rows);
  });
  Eigen::VectorXd sums = Eigen::VectorXd::Zero(X.cols());
  for (Eigen::Index block = 0; block < blocks; ++block) {
    const Eigen::VectorXd& part = partial[static_cast<std::size_t>(block)];
    if (!((part.array() * 0.0).sum() == 0.0)) {
      const Eigen::Index begin = block * block_rows;
      check_finite(X.middleRows(begin, std::min(n, begin + block_rows) - begin), begin);
    }
    sums += part;
  }
  return sums;
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
