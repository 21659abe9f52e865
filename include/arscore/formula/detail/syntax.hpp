#pragma once
/// \file
/// Internal: the syntax tree the parser produces and the checker and compiler consume.
/// Nodes live in one arena and refer to each other by index.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "arscore/core/diagnostic.hpp"
#include "arscore/formula/types.hpp"

namespace arscore::formula::detail {

/// Operators, loosest to tightest as DESIGN.md lists them.
enum class Op : unsigned char {
  or_,
  and_,
  not_,
  eq,
  ne,
  lt,
  le,
  gt,
  ge,
  in,
  not_in,
  add,
  sub,
  mul,
  div,
  neg,
  plus,
  pow
};

/// The canonical spelling of an operator ("or", "==", "×" is shown as "*").
[[nodiscard]] std::string_view op_text(Op op) noexcept;

/// What a node is.
enum class NodeKind : unsigned char {
  number,
  string,
  boolean,
  null,
  name,
  call,
  unary,
  binary,
  conditional,
  in_list
};

/// One syntax node. Children by kind: call → arguments; unary → operand; binary → left,
/// right; conditional → condition, then, else; in_list → needle, items…
struct Node {
  NodeKind kind = NodeKind::null;
  Op op = Op::add;       ///< unary, binary and in_list (in / not_in)
  SourceSpan span;       ///< Bytes of the source this node covers.
  double number = 0;     ///< number literal
  bool boolean = false;  ///< bool literal
  std::string text;      ///< name (without brackets), string literal value, function name
  std::vector<std::uint32_t> children;
};

/// One `name = expression` (or bare expression) of a sheet.
struct Statement {
  std::string name;        ///< Output name; empty for a bare expression.
  SourceSpan name_span;    ///< Where the name is (empty span for a bare expression).
  SourceSpan span;         ///< The whole statement.
  std::uint32_t root = 0;  ///< The expression's node.
};

/// The parsed text: the node arena and the statements in source order.
struct SyntaxTree {
  std::vector<Node> nodes;
  std::vector<Statement> statements;
};

/// Parses `text` as a sheet: statements split at top-level newlines and ';' (a line that
/// ends or begins with an operator continues the statement; newlines inside brackets are
/// spaces). Each statement is parsed on its own, so independent syntax errors are all
/// reported. Appends diagnostics; statements with errors are left out of `tree`.
void parse_sheet(std::string_view text, const Limits& limits, SyntaxTree& tree,
                 std::vector<Diagnostic>& diagnostics);

/// Parses the bytes [begin, end) of `text` as one statement (X3 grammar, src/formula/
/// grammar.cpp). Returns false and appends a diagnostic when it does not parse.
bool parse_statement(std::string_view text, std::size_t begin, std::size_t end,
                     const Limits& limits, SyntaxTree& tree, std::vector<Diagnostic>& diagnostics);

}  // namespace arscore::formula::detail
