// Splits a sheet into statements and hands each to the X3 grammar (grammar.cpp). Checks that
// come before parsing live here too: text length, UTF-8 validity, invisible characters.
#include <algorithm>
#include <string>

#include "arscore/core/utf8.hpp"
#include "arscore/formula/detail/syntax.hpp"

namespace arscore::formula::detail {
namespace {

bool is_invisible(char32_t c) {
  return c == 0x00A0 || (c >= 0x200B && c <= 0x200F) || (c >= 0x2060 && c <= 0x2064) ||
         c == 0xFEFF || c == 0x2028 || c == 0x2029 || c == 0x00AD;
}

std::string code_point_name(char32_t c) {
  static constexpr char digits[] = "0123456789ABCDEF";
  std::string hex;
  for (int shift = 12; shift >= 0; shift -= 4) {
    hex.push_back(digits[(c >> static_cast<unsigned>(shift)) & 0xFU]);
  }
  std::string name = "U+" + hex;
  switch (c) {
    case 0x00A0:
      return name + " (no-break space)";
    case 0x200B:
      return name + " (zero-width space)";
    case 0x200C:
      return name + " (zero-width non-joiner)";
    case 0x200D:
      return name + " (zero-width joiner)";
    case 0xFEFF:
      return name + " (zero-width no-break space)";
    case 0x00AD:
      return name + " (soft hyphen)";
    default:
      return name;
  }
}

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// True when `word` is one of the keywords that cannot end a statement or that continue one.
bool is_word(std::string_view text, std::size_t begin, std::size_t end, std::string_view word) {
  if (end - begin != word.size()) {
    return false;
  }
  for (std::size_t i = 0; i < word.size(); ++i) {
    char c = text[begin + i];
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
    if (c != word[i]) {
      return false;
    }
  }
  return true;
}

bool is_ascii_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

constexpr std::string_view operator_starts = "+-*/^<>=!&|,";
const std::string_view multi_byte_operators[] = {"\u00D7", "\u00F7", "\u2264", "\u2265",
                                                 "\u2260", "\uFF0C", "\uFF0B", "\uFF0D"};

bool starts_with_operator(std::string_view rest) {
  if (!rest.empty() && operator_starts.find(rest.front()) != std::string_view::npos) {
    return true;
  }
  for (std::string_view op : multi_byte_operators) {
    if (rest.substr(0, op.size()) == op) {
      return true;
    }
  }
  return false;
}

bool ends_with_operator(std::string_view line) {
  if (!line.empty() && operator_starts.find(line.back()) != std::string_view::npos) {
    return true;
  }
  for (std::string_view op : multi_byte_operators) {
    if (line.size() >= op.size() && line.substr(line.size() - op.size()) == op) {
      return true;
    }
  }
  return false;
}

// Does the line after the break at `newline` start with `name =` (not `==`)? Such a line
// always starts a new statement, which also lets the parser recover after an unclosed '('.
bool starts_assignment(std::string_view text, std::size_t newline) {
  std::size_t pos = newline + 1;
  while (pos < text.size() && is_blank(text[pos])) ++pos;
  const std::size_t name_begin = pos;
  if (pos < text.size() && text[pos] == '[') {
    while (pos < text.size() && text[pos] != ']' && text[pos] != '\n') ++pos;
    if (pos >= text.size() || text[pos] != ']') return false;
    ++pos;
  } else {
    constexpr std::string_view not_name = " \t\r\n+-*/^<>=!&|,()[]\"'#;%";
    while (pos < text.size() && not_name.find(text[pos]) == std::string_view::npos) ++pos;
  }
  if (pos == name_begin) return false;
  while (pos < text.size() && is_blank(text[pos])) ++pos;
  return pos < text.size() && text[pos] == '=' && (pos + 1 >= text.size() || text[pos + 1] != '=');
}

// The first byte of the line that ends at `newline`.
std::size_t line_start(std::string_view text, std::size_t newline) {
  const std::size_t previous =
      newline == 0 ? std::string_view::npos : text.rfind('\n', newline - 1);
  return previous == std::string_view::npos ? 0 : previous + 1;
}

// Where a '#' comment starts in [begin, end) outside string literals, or `end`.
std::size_t comment_start(std::string_view text, std::size_t begin, std::size_t end) {
  char quote = 0;
  for (std::size_t i = begin; i < end; ++i) {
    const char c = text[i];
    if (quote != 0) {
      if (c == '\\') {
        ++i;
      } else if (c == quote) {
        quote = 0;
      }
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '#') {
      return i;
    }
  }
  return end;
}

// Does the line break at `newline` continue the statement that started at `statement_begin`?
bool continues(std::string_view text, std::size_t statement_begin, std::size_t newline) {
  if (starts_assignment(text, newline)) {
    return false;
  }
  // The last significant text before the break, ignoring a trailing comment on that line.
  std::size_t end =
      comment_start(text, std::max(statement_begin, line_start(text, newline)), newline);
  while (end > statement_begin && (is_blank(text[end - 1]) || text[end - 1] == '\n')) {
    --end;
  }
  if (end == statement_begin) {
    return false;  // nothing yet: a blank line
  }
  const std::string_view before = text.substr(statement_begin, end - statement_begin);
  if (ends_with_operator(before)) {
    return true;
  }
  std::size_t word_begin = end;
  while (word_begin > statement_begin && is_ascii_word_char(text[word_begin - 1])) {
    --word_begin;
  }
  for (std::string_view word : {"if", "then", "else", "and", "or", "not", "in"}) {
    if (is_word(text, word_begin, end, word)) {
      return true;
    }
  }
  // The first significant text after the break.
  std::size_t next = newline + 1;
  while (next < text.size() && (is_blank(text[next]) || text[next] == '\n')) {
    ++next;
  }
  if (next >= text.size()) {
    return false;
  }
  const std::string_view after = text.substr(next);
  if (starts_with_operator(after) && !(after.size() > 1 && after[0] == '!' && after[1] != '=')) {
    return true;
  }
  std::size_t word_end = next;
  while (word_end < text.size() && is_ascii_word_char(text[word_end])) {
    ++word_end;
  }
  for (std::string_view word : {"then", "else", "and", "or", "in"}) {
    if (is_word(text, next, word_end, word)) {
      return true;
    }
  }
  return false;
}

}  // namespace

void parse_sheet(std::string_view text, const Limits& limits, SyntaxTree& tree,
                 std::vector<Diagnostic>& diagnostics) {
  if (text.size() > limits.max_text_bytes) {
    diagnostics.push_back(make_diagnostic(text, Severity::error, "formula.limit.text_length",
                                          "the text is " + std::to_string(text.size()) +
                                              " bytes long; the limit is " +
                                              std::to_string(limits.max_text_bytes),
                                          {0, 0}));
    return;
  }
  if (const auto bad = find_invalid_utf8(text)) {
    diagnostics.push_back(make_diagnostic(text, Severity::error, "formula.parse.invalid_utf8",
                                          "the text is not valid UTF-8", {*bad, *bad + 1}));
    return;
  }

  // One pass: find invisible characters outside strings and split statements.
  std::vector<std::pair<std::size_t, std::size_t>> statements;
  std::size_t statement_begin = 0;
  std::size_t depth = 0;
  char quote = 0;
  bool in_bracket = false;
  bool invisible_found = false;
  std::size_t pos = 0;
  const auto end_statement = [&](std::size_t at) {
    statements.emplace_back(statement_begin, at);
    statement_begin = at + 1;
  };
  while (pos < text.size()) {
    const char c = text[pos];
    if (quote != 0) {
      if (c == '\\' && pos + 1 < text.size()) {
        pos += 2;
        continue;
      }
      if (c == quote || c == '\n') {
        quote = 0;  // an unterminated string ends at the line; the grammar reports it
      }
      ++pos;
      continue;
    }
    if (c == '#' && !in_bracket) {
      while (pos < text.size() && text[pos] != '\n') {
        ++pos;
      }
      continue;
    }
    const auto decoded = decode_utf8(text, pos);
    const char32_t cp = decoded ? decoded->code_point : U'\uFFFD';
    const std::size_t length = decoded ? decoded->length : 1;
    if (is_invisible(cp)) {
      diagnostics.push_back(make_diagnostic(
          text, Severity::error, "formula.parse.invisible_character",
          "invisible character " + code_point_name(cp) +
              " in the text; delete it (a name containing it would silently be another name)",
          {pos, pos + length}));
      invisible_found = true;
    } else if (in_bracket) {
      if (c == ']' || c == '\n') {
        in_bracket = false;
      }
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '[') {
      in_bracket = true;
    } else if (c == '(' || cp == U'（') {
      ++depth;
    } else if ((c == ')' || cp == U'）') && depth > 0) {
      --depth;
    } else if (depth == 0 && c == ';') {
      end_statement(pos);
    } else if (c == '\n' && depth > 0 && starts_assignment(text, pos)) {
      depth = 0;  // an unclosed '(' ends at the next `name =` line
      end_statement(pos);
    } else if (depth == 0 && c == '\n' && !continues(text, statement_begin, pos)) {
      end_statement(pos);
    }
    pos += length;
  }
  statements.emplace_back(statement_begin, text.size());
  if (invisible_found) {
    return;
  }

  for (const auto& [begin, end] : statements) {
    // Skip statements that hold only blanks and comments.
    std::size_t probe = begin;
    bool empty = true;
    while (probe < end) {
      const char c = text[probe];
      if (c == '#') {
        while (probe < end && text[probe] != '\n') {
          ++probe;
        }
      } else if (is_blank(c) || c == '\n') {
        ++probe;
      } else if (text.substr(probe, 3) == "\u3000") {
        probe += 3;
      } else {
        empty = false;
        break;
      }
    }
    if (!empty) {
      parse_statement(text, begin, end, limits, tree, diagnostics);
    }
  }
}

}  // namespace arscore::formula::detail
