#pragma once
/// \file
/// Checks of user-supplied arrays shared by the risk functions. Internal to arscore::risk.

#include <string_view>

#include "arscore/risk/logistic.hpp"

namespace arscore::risk::detail {

/// Throws Error "risk.input.empty" when X has no rows or no columns, else as check_finite().
void check_design(MatrixView X);

/// Throws Error "risk.input.non_finite" naming the first NaN/Inf cell as "X[row, column]",
/// where row counts from row_offset (for a view of rows further down a larger X).
void check_finite(MatrixView X, Eigen::Index row_offset = 0);

/// The column sums of X, computed in parallel; throws as check_finite() when X holds a
/// NaN/Inf (found through the sums, then located exactly).
[[nodiscard]] Eigen::VectorXd checked_column_sums(MatrixView X);

/// Throws Error "risk.input.non_finite" naming `name[i]` for the first NaN/Inf entry.
void check_finite(VectorView v, std::string_view name);

/// Throws Error "risk.input.target" naming the first entry of y that is not 0 or 1.
void check_target(VectorView y);

}  // namespace arscore::risk::detail
