#pragma once
/// \file
/// The exception a formula text that does not compile throws.

#include <string>
#include <vector>

#include "arscore/core/diagnostic.hpp"
#include "arscore/core/error.hpp"

namespace arscore::formula {

/// Thrown when a formula or sheet does not compile, or when batch input does not match it
/// (a missing column, a wrong column type). Holds every diagnostic found, in source order;
/// `code()` and `what()`'s first line are those of the first one, and `what()` renders all
/// of them with the source line and a caret.
class FormulaError : public Error {
 public:
  /// Builds the error from at least one diagnostic and the text they point into.
  FormulaError(std::vector<Diagnostic> diagnostics, std::string source);

  /// Every diagnostic, in source order (at least one).
  [[nodiscard]] const std::vector<Diagnostic>& diagnostics() const noexcept { return diagnostics_; }
  /// The text the diagnostics point into.
  [[nodiscard]] const std::string& source() const noexcept { return source_; }

 private:
  std::vector<Diagnostic> diagnostics_;
  std::string source_;
};

}  // namespace arscore::formula
