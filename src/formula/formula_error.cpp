#include "arscore/formula/formula_error.hpp"

#include <cassert>
#include <utility>

namespace arscore::formula {
namespace {
std::string first_code(const std::vector<Diagnostic>& diagnostics) {
  assert(!diagnostics.empty());
  return diagnostics.front().code;
}
}  // namespace

FormulaError::FormulaError(std::vector<Diagnostic> diagnostics, std::string source)
    : Error(first_code(diagnostics),
            diagnostics.front().message + "\n" + render(diagnostics, source)),
      diagnostics_(std::move(diagnostics)),
      source_(std::move(source)) {}

}  // namespace arscore::formula
