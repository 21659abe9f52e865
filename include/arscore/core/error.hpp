#pragma once
/// \file
/// The one exception type arscore throws for bad user input.

#include <stdexcept>
#include <string>

namespace arscore {

/// Thrown for bad user input (malformed text, values out of range, inconsistent data).
/// `code()` is a stable, dotted identifier such as "core.date.invalid" that callers may
/// match on; `what()` is "[code] message". Misuse of the API (a broken precondition) is an
/// assertion, not an Error.
class Error : public std::runtime_error {
 public:
  /// Builds an error from a stable code and a human-readable message. Never throws
  /// anything but std::bad_alloc.
  Error(std::string code, const std::string& message);

  /// The stable identifier of this error, e.g. "core.date.invalid".
  [[nodiscard]] const std::string& code() const noexcept { return code_; }

  /// The message without the "[code] " prefix.
  [[nodiscard]] const std::string& message() const noexcept { return message_; }

 private:
  std::string code_;
  std::string message_;
};

}  // namespace arscore
