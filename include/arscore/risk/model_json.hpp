#pragma once
/// \file
/// The versioned JSON format of a fitted model and, optionally, its scorecard
/// (documented in docs/model-json.md). Numbers are written in the shortest form that reads
/// back to the same double, so save → load → predict is bit-identical.

#include <Eigen/Core>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "arscore/risk/logistic.hpp"
#include "arscore/risk/scorecard.hpp"

namespace arscore::risk {

/// The format's identifier, the value of the top-level "format" member.
inline constexpr std::string_view model_json_format = "arscore.risk.model";
/// The version this library writes and the highest it reads.
inline constexpr int model_json_version = 1;

/// How the model was trained (the "training" member); informational.
struct TrainingInfo {
  std::size_t n_samples = 0;       ///< Rows used in the fit.
  int n_iter = 0;                  ///< Solver iterations.
  bool converged = true;           ///< Whether the gradient reached tol.
  Solver solver = Solver::newton;  ///< The solver that ran.
};

/// A model read back from JSON.
struct LoadedModel {
  LogisticRegression model;                            ///< Fitted; predicts as the saved one.
  TrainingInfo training;                               ///< The saved training metadata.
  std::optional<ScorecardOptions> scorecard;           ///< Present when a scorecard was saved.
  std::optional<Eigen::VectorXd> scorecard_reference;  ///< Its reference row, when saved.
};

/// Serialises a fitted model (and the scorecard, when given) to JSON text. Asserts
/// model.fitted(); never throws anything but std::bad_alloc.
[[nodiscard]] std::string to_json(const LogisticRegression& model,
                                  const Scorecard* scorecard = nullptr);

/// Reads model JSON. Throws Error "risk.model_json.parse" for text that is not JSON (with the
/// byte offset), "risk.model_json.format" when "format" is not "arscore.risk.model",
/// "risk.model_json.version" for an unsupported version, "risk.model_json.invalid" naming the
/// JSON path (e.g. "/model/coef/2") of a missing or mistyped member or a bad value, and
/// "risk.model_json.mismatch" naming the path whose length disagrees with "/model/coef".
[[nodiscard]] LoadedModel model_from_json(std::string_view text);

}  // namespace arscore::risk
