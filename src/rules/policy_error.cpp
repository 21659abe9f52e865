#include "arscore/rules/policy_error.hpp"

#include <cassert>
#include <utility>

namespace arscore::rules {
namespace {
std::string summary(const std::vector<PolicyProblem>& problems) {
  assert(!problems.empty());
  std::string text =
      std::to_string(problems.size()) + (problems.size() == 1 ? " problem" : " problems");
  for (const PolicyProblem& p : problems) {
    text += "\n";
    text += p.path.empty() ? "/" : p.path;
    text += ": ";
    text += p.message;
  }
  return text;
}
}  // namespace

PolicyError::PolicyError(std::string code, std::vector<PolicyProblem> problems)
    : Error(std::move(code), summary(problems)), problems_(std::move(problems)) {}

}  // namespace arscore::rules
