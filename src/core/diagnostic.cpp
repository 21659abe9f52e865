#include "arscore/core/diagnostic.hpp"

#include <algorithm>

#include "arscore/core/utf8.hpp"

namespace arscore {
namespace {

struct LineBounds {
  std::size_t begin;
  std::size_t end;  // excludes the line break
};

LineBounds line_containing(std::string_view source, std::size_t offset) {
  offset = std::min(offset, source.size());
  const std::size_t previous_break =
      offset == 0 ? std::string_view::npos : source.rfind('\n', offset - 1);
  const std::size_t begin = previous_break == std::string_view::npos ? 0 : previous_break + 1;
  std::size_t end = source.find('\n', offset);
  if (end == std::string_view::npos) {
    end = source.size();
  }
  if (end > begin && source[end - 1] == '\r') {
    --end;
  }
  return {begin, end};
}

// Appends the padding that puts a caret under byte `offset` of `line` (which starts at byte
// `line_begin`), or the underline covering bytes [from, to).
void append_columns(std::string& out, std::string_view line, std::size_t from, std::size_t to,
                    char fill) {
  std::size_t pos = from;
  while (pos < to && pos < line.size()) {
    const auto decoded = decode_utf8(line, pos);
    if (!decoded) {
      out.push_back(fill);
      ++pos;
      continue;
    }
    if (decoded->code_point == U'\t' && fill == ' ') {
      out.push_back('\t');
    } else {
      out.append(static_cast<std::size_t>(display_width(decoded->code_point)), fill);
    }
    pos += decoded->length;
  }
}

}  // namespace

std::string_view to_string(Severity severity) noexcept {
  switch (severity) {
    case Severity::error:
      return "error";
    case Severity::warning:
      return "warning";
    case Severity::note:
      return "note";
  }
  return "error";
}

SourcePosition position_of(std::string_view source, std::size_t offset) noexcept {
  offset = std::min(offset, source.size());
  SourcePosition position;
  std::size_t pos = 0;
  while (pos < offset) {
    if (source[pos] == '\n') {
      ++position.line;
      position.column = 1;
      ++pos;
      continue;
    }
    const auto decoded = decode_utf8(source, pos);
    pos += decoded ? decoded->length : 1;
    if (!(source[pos - 1] == '\r' && pos < source.size() && source[pos] == '\n')) {
      ++position.column;
    }
  }
  return position;
}

Diagnostic make_diagnostic(std::string_view source, Severity severity, std::string code,
                           std::string message, SourceSpan span) {
  Diagnostic diagnostic;
  diagnostic.severity = severity;
  diagnostic.code = std::move(code);
  diagnostic.message = std::move(message);
  diagnostic.span = span;
  diagnostic.position = position_of(source, span.begin);
  return diagnostic;
}

std::string render(const Diagnostic& diagnostic, std::string_view source) {
  std::string out;
  out += to_string(diagnostic.severity);
  out += '[';
  out += diagnostic.code;
  out += "] at line ";
  out += std::to_string(diagnostic.position.line);
  out += ", column ";
  out += std::to_string(diagnostic.position.column);
  out += ": ";
  out += diagnostic.message;
  out += '\n';

  const LineBounds bounds = line_containing(source, diagnostic.span.begin);
  const std::string_view line = source.substr(bounds.begin, bounds.end - bounds.begin);
  const std::string number = std::to_string(diagnostic.position.line);
  out += "  ";
  out += number;
  out += " | ";
  out += line;
  out += '\n';
  out += "  ";
  out.append(number.size(), ' ');
  out += " | ";
  const std::size_t caret = std::min(diagnostic.span.begin, bounds.end) - bounds.begin;
  append_columns(out, line, 0, caret, ' ');
  out += '^';
  const std::size_t span_end =
      std::min(std::max(diagnostic.span.end, diagnostic.span.begin), bounds.end) - bounds.begin;
  if (span_end > caret) {
    // The caret covers the first character; the rest of the span is underlined.
    const auto first = caret < line.size() ? decode_utf8(line, caret) : std::nullopt;
    const std::size_t first_length = first ? first->length : 1;
    if (first && display_width(first->code_point) == 2) {
      out += '~';
    }
    append_columns(out, line, caret + first_length, span_end, '~');
  }
  out += '\n';
  return out;
}

std::string render(std::span<const Diagnostic> diagnostics, std::string_view source) {
  std::string out;
  for (std::size_t i = 0; i < diagnostics.size(); ++i) {
    if (i != 0) {
      out += '\n';
    }
    out += render(diagnostics[i], source);
  }
  return out;
}

}  // namespace arscore
