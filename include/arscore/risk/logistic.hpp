#pragma once
/// \file
/// Binary logistic regression (1 = bad: paid late or defaulted) with L2 or no penalty,
/// fitted by Newton (LDLT solve of the Hessian) or L-BFGS, both with a backtracking line search.

#include <Eigen/Core>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace arscore::risk {

/// Row-major dense matrix: the layout of a C-contiguous numpy array.
using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
/// A read-only view of a design matrix (n rows × d columns); any dense matrix converts to it
/// (a column-major one by a copy).
using MatrixView = Eigen::Ref<const RowMatrix>;
/// A read-only view of a vector of n doubles.
using VectorView = Eigen::Ref<const Eigen::VectorXd>;

/// The penalty on the coefficients (never on the intercept).
enum class Penalty {
  l2,    ///< ½‖w‖² + C·Σ sᵢ·logloss: scikit-learn's objective.
  none,  ///< Maximum likelihood; enables inference (see inference.hpp).
};

/// The optimiser.
enum class Solver {
  automatic,  ///< newton when d + 1 ≤ 500, else lbfgs.
  newton,     ///< Newton–Raphson, Hessian solved by LDLT; few passes over the data.
  lbfgs,      ///< Limited-memory BFGS (10 pairs); for wide data.
};

/// "penalty" text ("l2", "none") → Penalty. Throws Error "risk.input.option" for other text.
[[nodiscard]] Penalty parse_penalty(std::string_view text);
/// Penalty → its text ("l2", "none"). Never throws.
[[nodiscard]] std::string_view to_string(Penalty penalty) noexcept;
/// "solver" text ("auto", "newton", "lbfgs") → Solver. Throws Error "risk.input.option".
[[nodiscard]] Solver parse_solver(std::string_view text);
/// Solver → its text ("auto", "newton", "lbfgs"). Never throws.
[[nodiscard]] std::string_view to_string(Solver solver) noexcept;

/// Per-class weights, multiplied into the sample weights as scikit-learn does.
struct ClassWeight {
  /// "balanced": weight of class c = n / (2 · count of c), counted over rows (not weights).
  bool balanced = false;
  double weight0 = 1.0;  ///< Weight of class 0 (good) unless balanced.
  double weight1 = 1.0;  ///< Weight of class 1 (bad) unless balanced.
};

/// The fit's settings, named as in scikit-learn.
struct LogisticOptions {
  Penalty penalty = Penalty::l2;      ///< See Penalty.
  double C = 1.0;                     ///< Inverse L2 strength on the summed log loss; > 0.
  bool fit_intercept = true;          ///< Fit an unpenalised intercept b.
  Solver solver = Solver::automatic;  ///< See Solver.
  /// Stop when the max-norm of the gradient of the normalised objective
  /// (1/S)·Σ sᵢ·logloss + ‖w‖²/(2·C·S), S = Σ sᵢ, is ≤ tol.
  double tol = 1e-8;
  int max_iter = 100;        ///< Most solver iterations (Newton steps or L-BFGS steps); ≥ 1.
  ClassWeight class_weight;  ///< See ClassWeight.
};

/// What the fit keeps for inference when penalty is none (see inference.hpp).
struct FitStatistics {
  /// Inverse Fisher information (intercept first when fitted, then the d coefficients).
  Eigen::MatrixXd covariance;
  double log_likelihood = 0.0;  ///< Σ sᵢ·log p(yᵢ | xᵢ) at the fit.
  double ll_null = 0.0;         ///< The same for the intercept-only model p = weighted mean of y.
  double n_observations = 0.0;  ///< S = Σ sᵢ (n for unit weights).
};

/// A binary logistic regression. Thread-compatible: a fitted model may be used for prediction
/// from many threads at once; fit() needs exclusive access.
class LogisticRegression {
 public:
  /// An unfitted model. The options are checked by fit(), not here; never throws.
  explicit LogisticRegression(LogisticOptions options = {}) noexcept;

  /// A fitted model rebuilt from its parameters (used by model JSON). Throws Error
  /// "risk.input.option" for bad options (as fit()), "risk.input.shape" when coef, feature_means
  /// and feature_names (unless empty) differ in length, "risk.input.non_finite" when a parameter is
  /// NaN or infinite.
  [[nodiscard]] static LogisticRegression from_parameters(LogisticOptions options,
                                                          Eigen::VectorXd coef, double intercept,
                                                          Eigen::VectorXd feature_means,
                                                          std::vector<std::string> feature_names);

  /// Fits y (0 = good, 1 = bad) on X with unit sample weights. See the three-argument fit.
  void fit(MatrixView X, VectorView y);

  /// Fits y on X with non-negative sample weights. Throws arscore::Error:
  /// "risk.input.option" for a bad option (C ≤ 0, tol < 0, max_iter < 1, class weight ≤ 0);
  /// "risk.input.empty" for no rows or no columns; "risk.input.shape" for mismatched lengths;
  /// "risk.input.non_finite" naming the row and column of a NaN/Inf in X;
  /// "risk.input.target" naming a y that is not 0 or 1; "risk.input.weight" for a negative or
  /// non-finite weight or weights summing to 0; "risk.input.single_class" when the rows with
  /// positive weight hold one class only; for penalty none, "risk.fit.singular" naming the
  /// collinear columns and "risk.fit.separation" when the classes are (quasi-)separated.
  /// Not converging within max_iter is not an error: converged() is false and
  /// convergence_warning() says what to try.
  void fit(MatrixView X, VectorView y, VectorView sample_weight);

  /// Linear predictor z = X·w + b, one per row. Throws Error "risk.input.shape" when X's
  /// column count differs from the fit's, "risk.input.non_finite" naming a NaN/Inf cell.
  /// Asserts fitted().
  [[nodiscard]] Eigen::VectorXd decision_function(MatrixView X) const;

  /// decision_function() written into out (length n, asserted); same error contract. Rows of
  /// out before the row with a NaN/Inf may have been written when the error is thrown.
  void decision_function(MatrixView X, Eigen::Ref<Eigen::VectorXd> out) const;

  /// P(bad | x) = σ(z) per row; same error contract as decision_function().
  [[nodiscard]] Eigen::VectorXd predict_proba(MatrixView X) const;

  /// P(bad | x) written into out (length n, asserted); same error contract as above.
  void predict_proba(MatrixView X, Eigen::Ref<Eigen::VectorXd> out) const;

  /// Writes [P(good), P(bad)] per row into out (n × 2, scikit-learn's layout); same error
  /// contract as decision_function(). Asserts out is n × 2. Rows of out before the row with a
  /// NaN/Inf may have been written when the error is thrown.
  void predict_proba_matrix(MatrixView X, Eigen::Ref<RowMatrix> out) const;

  /// True once fit() succeeded or the model came from from_parameters(). Never throws.
  [[nodiscard]] bool fitted() const noexcept { return fitted_; }
  /// The options this model was built with. Never throws.
  [[nodiscard]] const LogisticOptions& options() const noexcept { return options_; }
  /// Coefficients w, one per column. Empty before fit. Never throws.
  [[nodiscard]] const Eigen::VectorXd& coef() const noexcept { return coef_; }
  /// Intercept b (0 when fit_intercept is false). Never throws.
  [[nodiscard]] double intercept() const noexcept { return intercept_; }
  /// Column means of the training X (unweighted): the scorecard's default reference row.
  [[nodiscard]] const Eigen::VectorXd& feature_means() const noexcept { return feature_means_; }
  /// Feature names; "x0", "x1", … unless set. Never throws.
  [[nodiscard]] const std::vector<std::string>& feature_names() const noexcept {
    return feature_names_;
  }
  /// Names the features (e.g. a DataFrame's columns), before or after fit(); fit() errors then
  /// name columns as `column 3 ("tenure")`. Throws Error "risk.input.shape" when the model is
  /// fitted and the count differs from the number of coefficients (fit() checks it otherwise).
  void set_feature_names(std::vector<std::string> names);
  /// Solver iterations the fit took. Never throws.
  [[nodiscard]] int n_iter() const noexcept { return n_iter_; }
  /// Whether the gradient reached tol. Never throws.
  [[nodiscard]] bool converged() const noexcept { return converged_; }
  /// Empty when converged; otherwise what happened and what to try. Never throws.
  [[nodiscard]] const std::string& convergence_warning() const noexcept { return warning_; }
  /// The solver that ran (never automatic after fit). Never throws.
  [[nodiscard]] Solver solver_used() const noexcept { return solver_used_; }
  /// Rows used in the fit. Never throws.
  [[nodiscard]] std::size_t n_samples() const noexcept { return n_samples_; }
  /// Statistics for inference: present after a penalty-none fit. Never throws.
  [[nodiscard]] const std::optional<FitStatistics>& statistics() const noexcept {
    return statistics_;
  }

 private:
  // Computes z block by block (in parallel) and hands each chunk to sink(start, m, z).
  template <class Sink>
  void predict(MatrixView X, Sink&& sink) const;

  LogisticOptions options_;
  Eigen::VectorXd coef_;
  double intercept_ = 0.0;
  Eigen::VectorXd feature_means_;
  std::vector<std::string> feature_names_;
  bool names_from_user_ = false;
  int n_iter_ = 0;
  bool converged_ = false;
  bool fitted_ = false;
  std::string warning_;
  Solver solver_used_ = Solver::automatic;
  std::size_t n_samples_ = 0;
  std::optional<FitStatistics> statistics_;
};

}  // namespace arscore::risk
