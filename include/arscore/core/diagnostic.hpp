#pragma once
/// \file
/// Diagnostics as plain data (severity, stable code, message, position) and the one
/// function that renders them with the source line and a caret.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace arscore {

/// How serious a diagnostic is.
enum class Severity { error, warning, note };

/// The name of a severity: "error", "warning" or "note".
[[nodiscard]] std::string_view to_string(Severity severity) noexcept;

/// A range of bytes [begin, end) in a source text.
struct SourceSpan {
  std::size_t begin = 0;  ///< First byte.
  std::size_t end = 0;    ///< One past the last byte; equal to begin for a point.
  friend bool operator==(const SourceSpan&, const SourceSpan&) = default;
};

/// A 1-based line and column; the column counts Unicode characters (code points), not bytes.
struct SourcePosition {
  std::uint32_t line = 1;    ///< 1-based line.
  std::uint32_t column = 1;  ///< 1-based column in code points.
  friend bool operator==(const SourcePosition&, const SourcePosition&) = default;
};

/// The line and column of byte `offset` in `source` (an offset past the end gives the
/// position just after the last character). Lines end at '\n'; "\r\n" counts as one break.
/// Never throws.
[[nodiscard]] SourcePosition position_of(std::string_view source, std::size_t offset) noexcept;

/// One problem found in a source text.
struct Diagnostic {
  Severity severity = Severity::error;  ///< How serious it is.
  std::string code;         ///< Stable identifier, e.g. "formula.parse.unexpected_token".
  std::string message;      ///< What is wrong, in one sentence.
  SourceSpan span;          ///< Where, in bytes.
  SourcePosition position;  ///< Where span.begin is, as line and column.
};

/// Builds a diagnostic and computes its position from `span.begin` in `source`.
[[nodiscard]] Diagnostic make_diagnostic(std::string_view source, Severity severity,
                                         std::string code, std::string message, SourceSpan span);

/// Renders one diagnostic as
///
///     error[code] at line L, column C: message
///       L | the source line
///         |     ^~~~
///
/// The caret is aligned by display width (CJK characters take two columns, tabs are kept).
/// Never throws anything but std::bad_alloc.
[[nodiscard]] std::string render(const Diagnostic& diagnostic, std::string_view source);

/// Renders several diagnostics, one after the other, separated by blank lines.
[[nodiscard]] std::string render(std::span<const Diagnostic> diagnostics, std::string_view source);

}  // namespace arscore
