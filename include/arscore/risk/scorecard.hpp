#pragma once
/// \file
/// Credit scorecard scaling of a logistic regression: points per feature, reason codes, the
/// score ↔ probability mapping and an approve/reject threshold.
///
/// Factor = pdo / ln 2, Offset = base_score − Factor·ln(base_odds) with odds as good:bad, and
/// score = Offset − Factor·(b₀ + Σ bⱼxⱼ): a higher score is a safer customer; every pdo points
/// double the good:bad odds; base_score has odds base_odds.

#include <Eigen/Core>
#include <string>
#include <vector>

#include "arscore/risk/logistic.hpp"

namespace arscore::risk {

/// The scaling of a scorecard.
struct ScorecardOptions {
  double base_score = 600.0;  ///< The score whose good:bad odds are base_odds.
  double base_odds = 50.0;    ///< Good:bad odds at base_score; > 0.
  double pdo = 20.0;          ///< Points to double the odds; > 0.
};

/// One reason code: the feature's name and the points it adds to the row's score (< 0).
struct Reason {
  std::string code;     ///< The feature name.
  double points = 0.0;  ///< Negative: how much this feature lowers the score.
};

/// Approve or reject a customer by score.
enum class Decision { approve, reject };

/// A scorecard over a fitted model. Holds its own copy of the coefficients; thread-compatible.
class Scorecard {
 public:
  /// Scorecard with the training means as reference row. Throws Error "risk.input.option" when
  /// base_odds or pdo is not positive or a value is not finite. Asserts model.fitted().
  Scorecard(const LogisticRegression& model, ScorecardOptions options = {});

  /// Scorecard with an explicit reference row (the row whose points are all 0). Throws as the
  /// other constructor, and Error "risk.input.shape" when reference's length differs from the
  /// model's feature count, "risk.input.non_finite" naming a NaN/Inf `reference[j]`.
  Scorecard(const LogisticRegression& model, ScorecardOptions options, Eigen::VectorXd reference);

  /// pdo / ln 2. Never throws.
  [[nodiscard]] double factor() const noexcept { return factor_; }
  /// base_score − factor·ln(base_odds). Never throws.
  [[nodiscard]] double offset() const noexcept { return offset_; }
  /// Offset − Factor·(b₀ + Σ bⱼrⱼ): the score of the reference row. Never throws.
  [[nodiscard]] double base_points() const noexcept { return base_points_; }
  /// The reference row. Never throws.
  [[nodiscard]] const Eigen::VectorXd& reference() const noexcept { return reference_; }
  /// The scaling. Never throws.
  [[nodiscard]] const ScorecardOptions& options() const noexcept { return options_; }
  /// Feature names (the reason codes). Never throws.
  [[nodiscard]] const std::vector<std::string>& feature_names() const noexcept { return names_; }

  /// Points of each feature for each row, n × d: −Factor·bⱼ·(xᵢⱼ − rⱼ). Throws Error
  /// "risk.input.shape" for a wrong column count, "risk.input.non_finite" naming a NaN/Inf cell.
  [[nodiscard]] RowMatrix points(MatrixView X) const;

  /// Scores: base_points() + points(i, 0) + points(i, 1) + … summed left to right, so the
  /// decomposition is exact. Errors as points().
  [[nodiscard]] Eigen::VectorXd score(MatrixView X) const;

  /// For each row, up to k features that lower its score most (most negative points first;
  /// ties by column order; features with points ≥ 0 are never reasons). Errors as points(),
  /// plus "risk.input.option" for k < 0.
  [[nodiscard]] std::vector<std::vector<Reason>> reasons(MatrixView X, int k = 3) const;

  /// P(bad) of a score: 1 / (1 + exp((score − Offset) / Factor)). NaN in, NaN out; never throws.
  [[nodiscard]] double probability(double score) const noexcept;

  /// approve when score ≥ threshold, else reject. Throws Error "risk.input.non_finite" for a
  /// NaN score or threshold.
  [[nodiscard]] static Decision decide(double score, double threshold);

 private:
  ScorecardOptions options_;
  Eigen::VectorXd coef_;
  Eigen::VectorXd reference_;
  std::vector<std::string> names_;
  double factor_ = 0.0;
  double offset_ = 0.0;
  double base_points_ = 0.0;
};

}  // namespace arscore::risk
