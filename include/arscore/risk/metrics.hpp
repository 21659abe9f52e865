#pragma once
/// \file
/// Model-quality metrics for binary risk scores: ROC AUC, KS, Gini, log loss, Brier score,
/// population stability index and a calibration table. y holds 0 (good) / 1 (bad); a "score"
/// may be any finite number ordered like the risk (e.g. P(bad) or a linear predictor).
///
/// Common error contract (arscore::Error): "risk.input.shape" when the two vectors differ in
/// length, "risk.input.empty" when they are empty, "risk.input.non_finite" naming the first
/// NaN/Inf entry as `y[i]`, `score[i]`, `p[i]`, "risk.input.target" naming a y that is not 0 or 1.

#include <Eigen/Core>
#include <cstddef>
#include <vector>

#include "arscore/risk/logistic.hpp"

namespace arscore::risk {

/// Area under the ROC curve; tied scores count ½, exactly as scikit-learn's roc_auc_score.
/// Also throws Error "risk.input.single_class" when y holds one class only.
[[nodiscard]] double roc_auc(VectorView y, VectorView score);

/// Kolmogorov–Smirnov statistic: the largest gap between the score distributions of the bad
/// and the good rows (scipy.stats.ks_2samp's two-sided statistic). Same errors as roc_auc().
[[nodiscard]] double ks(VectorView y, VectorView score);

/// Gini = 2·AUC − 1. Same errors as roc_auc().
[[nodiscard]] double gini(VectorView y, VectorView score);

/// Mean log loss of probabilities p = P(bad), clipped to [ε, 1 − ε] with ε = 2⁻⁵² (then
/// renormalised) as
/// scikit-learn's log_loss does. Throws Error "risk.input.probability" naming a p outside [0, 1].
[[nodiscard]] double log_loss(VectorView y, VectorView p);

/// Brier score: mean of (yᵢ − pᵢ)². Throws Error "risk.input.probability" for p outside [0, 1].
[[nodiscard]] double brier(VectorView y, VectorView p);

/// The floor each bin's share is raised to in psi(), so that an empty bin gives a large but
/// finite term instead of infinity.
inline constexpr double psi_floor = 1e-4;

/// Population stability index of `actual` against `expected`: the bin edges are the expected
/// sample's quantiles at 1/bins, 2/bins, … (numpy's default linear interpolation; equal edges
/// merged), bins are (−∞, e₁], (e₁, e₂], …, (e_last, ∞); each share is max(count / n,
/// psi_floor); PSI = Σ (aₖ − eₖ)·ln(aₖ / eₖ). Throws "risk.input.empty" for an empty sample,
/// "risk.input.non_finite" naming `expected[i]` / `actual[i]`, "risk.input.option" for bins < 2.
[[nodiscard]] double psi(VectorView expected, VectorView actual, int bins = 10);

/// One group of the calibration table.
struct CalibrationBin {
  std::size_t count = 0;        ///< Rows in the group.
  double p_min = 0.0;           ///< Lowest predicted probability in the group.
  double p_max = 0.0;           ///< Highest predicted probability in the group.
  double mean_predicted = 0.0;  ///< Mean predicted P(bad).
  double observed_rate = 0.0;   ///< Share of bad rows.
  std::size_t n_bad = 0;        ///< Bad rows.
};

/// Calibration by score group: rows sorted by p (stable) are cut into `bins` groups of
/// ⌊n·(k+1)/bins⌋ − ⌊n·k/bins⌋ rows (deciles by default), lowest risk first; empty groups
/// (n < bins) are left out. Errors as log_loss(), plus "risk.input.option" for bins < 1.
[[nodiscard]] std::vector<CalibrationBin> calibration_table(VectorView y, VectorView p,
                                                            int bins = 10);

}  // namespace arscore::risk
