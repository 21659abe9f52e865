#pragma once
/// \file
/// The exception an invalid policy (or state) document throws: every problem with its JSON
/// pointer.

#include <string>
#include <vector>

#include "arscore/core/error.hpp"

namespace arscore::rules {

/// One problem in a JSON document.
struct PolicyProblem {
  std::string path;     ///< JSON pointer, e.g. "/levels/3/when" ("" for the document).
  std::string code;     ///< Stable code, e.g. "rules.policy.unknown_channel".
  std::string message;  ///< What is wrong; a formula error includes its rendered caret.
  friend bool operator==(const PolicyProblem&, const PolicyProblem&) = default;
};

/// Thrown by EscalationPolicy::from_json with every problem found, in document order.
/// `code()` is "rules.policy.invalid" (or "rules.policy.json" when the text is not JSON);
/// `what()` is "[code] N problems" (or "1 problem") followed by one "path: message" line per
/// problem ("/" for the document itself).
class PolicyError : public Error {
 public:
  /// Builds the error from at least one problem.
  PolicyError(std::string code, std::vector<PolicyProblem> problems);
  /// Every problem (at least one).
  [[nodiscard]] const std::vector<PolicyProblem>& problems() const noexcept { return problems_; }

 private:
  std::vector<PolicyProblem> problems_;
};

}  // namespace arscore::rules
