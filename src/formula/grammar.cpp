// The one translation unit that instantiates the Boost.Spirit X3 formula grammar, and the
// lowering of its attribute AST into detail::SyntaxTree. Nothing else includes X3, so users
// of arscore never pay the grammar's compile time.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>
#include <system_error>

#include "arscore/core/utf8.hpp"
#include "x3/grammar_def.hpp"

namespace arscore::formula::detail {
namespace {

namespace x3 = boost::spirit::x3;
using grammar::Iterator;
using PositionCache = x3::position_cache<std::vector<Iterator>>;

// Lowers the X3 AST into the node arena, computing spans from the position cache.
class Lowering {
 public:
  Lowering(std::string_view text, const PositionCache& positions, const Limits& limits,
           SyntaxTree& tree, std::vector<Diagnostic>& diagnostics)
      : text_(text),
        positions_(positions),
        limits_(limits),
        tree_(tree),
        diagnostics_(diagnostics) {}

  bool ok() const { return ok_; }

  SourceSpan span_of(const ast::Leaf& leaf) const {
    return {static_cast<std::size_t>(leaf.begin - text_.data()),
            static_cast<std::size_t>(leaf.end - text_.data())};
  }

  SourceSpan span_of(const x3::position_tagged& node) const {
    const auto range = positions_.position_of(node);
    return {static_cast<std::size_t>(range.begin() - text_.data()),
            static_cast<std::size_t>(range.end() - text_.data())};
  }

  std::uint32_t lower(const ast::Operand& operand) {
    return boost::apply_visitor([this](const auto& node) { return lower_node(node); }, operand);
  }

 private:
  std::uint32_t add(Node node) {
    if (tree_.nodes.size() >= limits_.max_nodes) {
      if (ok_ || !node_limit_reported_) {
        error("formula.limit.nodes",
              "the text has more than " + std::to_string(limits_.max_nodes) +
                  " syntax nodes (the configured limit)",
              node.span);
        node_limit_reported_ = true;
      }
      ok_ = false;
      return 0;
    }
    tree_.nodes.push_back(std::move(node));
    return static_cast<std::uint32_t>(tree_.nodes.size() - 1);
  }

  void error(std::string code, std::string message, SourceSpan span) {
    diagnostics_.push_back(
        make_diagnostic(text_, Severity::error, std::move(code), std::move(message), span));
    ok_ = false;
  }

  std::uint32_t lower_node(const ast::Nil&) { return add(Node{}); }

  std::uint32_t lower_node(const ast::Number& number) {
    Node node;
    node.kind = NodeKind::number;
    node.span = span_of(number);
    if (number.percent) {
      node.span.end += text_[node.span.end] == '%' ? 1U : 3U;  // '%' or '％'
    }
    std::string text = number.text;
    if (number.percent) {
      // 12.5% is the decimal 12.5e-2, converted once (exactly rounded), not 12.5 / 100.
      const auto e = text.find_first_of("eE");
      long long exponent = 0;
      if (e != std::string::npos) {
        exponent = std::stoll(text.substr(e + 1));
        text.resize(e);
      }
      text += "e" + std::to_string(exponent - 2);
    }
    const auto [end, status] = std::from_chars(text.data(), text.data() + text.size(), node.number);
    if (status == std::errc::result_out_of_range ||
        (status == std::errc{} && !std::isfinite(node.number))) {
      error("formula.parse.number_out_of_range", "the number " + number.text + " is too large",
            node.span);
    } else if (status != std::errc{} || end != text.data() + text.size()) {
      error("formula.parse.bad_number", "'" + number.text + "' is not a number", node.span);
    }
    return add(std::move(node));
  }

  std::uint32_t lower_node(const ast::StringLiteral& literal) {
    Node node;
    node.kind = NodeKind::string;
    node.span = span_of(literal);
    const std::string& raw = literal.raw;
    for (std::size_t i = 1; i + 1 < raw.size(); ++i) {
      if (raw[i] != '\\') {
        node.text.push_back(raw[i]);
        continue;
      }
      const char escaped = raw[++i];
      switch (escaped) {
        case 'n':
          node.text.push_back('\n');
          break;
        case 't':
          node.text.push_back('\t');
          break;
        case '\\':
        case '"':
        case '\'':
          node.text.push_back(escaped);
          break;
        default: {
          const std::size_t at = node.span.begin + i - 1;
          error("formula.parse.bad_escape",
                std::string("unknown escape '\\") + escaped +
                    "' in a string (known: \\n \\t \\\\ \\\" \\')",
                {at, at + 2});
        }
      }
    }
    return add(std::move(node));
  }

  std::uint32_t lower_node(const ast::Keyword& keyword) {
    Node node;
    node.span = span_of(keyword);
    std::string word;
    for (char c : keyword.word) {
      word.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
    }
    if (word == "null") {
      node.kind = NodeKind::null;
    } else {
      node.kind = NodeKind::boolean;
      node.boolean = word == "true";
    }
    return add(std::move(node));
  }

  std::uint32_t lower_node(const ast::Name& name) {
    Node node;
    node.kind = NodeKind::name;
    node.span = span_of(name);
    if (!name.raw.empty() && name.raw.front() == '[') {
      node.text = name.raw.substr(1, name.raw.size() - 2);
      if (node.text.find_first_not_of(" \t") == std::string::npos) {
        error("formula.parse.empty_name", "a bracketed name must not be empty", node.span);
      }
    } else {
      node.text = name.raw;
    }
    return add(std::move(node));
  }

  std::uint32_t lower_node(const x3::forward_ast<ast::Call>& call) {
    Node node;
    node.kind = NodeKind::call;
    node.span = span_of(call.get());
    node.text = call.get().function;
    for (const auto& argument : call.get().arguments) {
      node.children.push_back(lower(argument));
    }
    return add(std::move(node));
  }

  std::uint32_t lower_node(const x3::forward_ast<ast::Conditional>& conditional) {
    Node node;
    node.kind = NodeKind::conditional;
    node.span = span_of(conditional.get());
    node.children = {lower(conditional.get().condition), lower(conditional.get().then_branch),
                     lower(conditional.get().else_branch)};
    return add(std::move(node));
  }

  std::uint32_t lower_node(const x3::forward_ast<ast::Prefix>& prefix) {
    const std::uint32_t operand = lower(prefix.get().operand);
    if (prefix.get().op == Op::plus) {
      return operand;
    }
    Node node;
    node.kind = NodeKind::unary;
    node.op = prefix.get().op;
    node.span = span_of(prefix.get());
    node.children = {operand};
    return add(std::move(node));
  }

  std::uint32_t lower_node(const x3::forward_ast<ast::List>& list) {
    // Reached only through an `in` operation, which lowers the items itself.
    Node node;
    (void)list;
    error("formula.parse.unexpected_list", "a parenthesised list is only allowed after 'in'",
          node.span);
    return add(std::move(node));
  }

  std::uint32_t lower_node(const x3::forward_ast<ast::Chain>& chain_ast) {
    const ast::Chain& chain = chain_ast.get();
    std::uint32_t left = lower(chain.first);
    const bool is_comparison_chain = !chain.rest.empty() && (is_comparison(chain.rest.front().op));
    if (is_comparison_chain && chain.rest.size() > 1) {
      const SourceSpan second = span_of(chain.rest[1]);
      error("formula.parse.chained_comparison",
            "comparisons cannot be chained; write 'a < b and b < c' instead",
            {second.begin, second.begin + 1});
    }
    // '^' is right-associative, but the grammar already nests its right operand.
    for (const auto& operation : chain.rest) {
      Node node;
      node.op = operation.op;
      const SourceSpan left_span = tree_.nodes.empty() ? SourceSpan{} : tree_.nodes[left].span;
      if (operation.op == Op::in || operation.op == Op::not_in) {
        node.kind = NodeKind::in_list;
        node.children.push_back(left);
        const auto* list = boost::get<x3::forward_ast<ast::List>>(&operation.operand.get());
        const SourceSpan end_span = span_of(operation);
        if (list != nullptr) {
          for (const auto& item : list->get().items) {
            node.children.push_back(lower(item));
          }
        }
        node.span = {left_span.begin, end_span.end};
      } else {
        node.kind = NodeKind::binary;
        const std::uint32_t right = lower(operation.operand);
        node.children = {left, right};
        const SourceSpan right_span = tree_.nodes.empty() ? SourceSpan{} : tree_.nodes[right].span;
        node.span = {left_span.begin, std::max(right_span.end, span_of(operation).end)};
      }
      left = add(std::move(node));
    }
    return left;
  }

  static bool is_comparison(Op op) {
    return op == Op::eq || op == Op::ne || op == Op::lt || op == Op::le || op == Op::gt ||
           op == Op::ge || op == Op::in || op == Op::not_in;
  }

  std::string_view text_;
  const PositionCache& positions_;
  const Limits& limits_;
  SyntaxTree& tree_;
  std::vector<Diagnostic>& diagnostics_;
  bool ok_ = true;
  bool node_limit_reported_ = false;
};

// The text of the token at `offset`, for "unexpected …" messages.
std::string token_at(std::string_view text, std::size_t offset, std::size_t end) {
  if (offset >= end) {
    return "end of text";
  }
  std::size_t stop = offset;
  while (stop < end) {
    const auto decoded = decode_utf8(text, stop);
    if (!decoded) {
      return "byte that is not UTF-8";
    }
    const bool word = grammar::is_name_continue(decoded->code_point);
    if (stop > offset && !word) {
      break;
    }
    stop += decoded->length;
    if (!word) {
      break;
    }
  }
  return "'" + std::string(text.substr(offset, stop - offset)) + "'";
}

std::size_t skip_blanks(std::string_view text, std::size_t pos, std::size_t end) {
  while (pos < end) {
    const char c = text[pos];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      ++pos;
    } else if (c == '#') {
      while (pos < end && text[pos] != '\n') {
        ++pos;
      }
    } else if (text.substr(pos, 3) == "\u3000") {
      pos += 3;
    } else {
      break;
    }
  }
  return pos;
}

std::string describe_expected(const std::string& which) {
  if (which.size() >= 2 && which.front() == '\'' && which.back() == '\'') {
    return which;  // a literal, already quoted
  }
  if (which == "kw") {
    return "a keyword";
  }
  return which;
}

}  // namespace

bool parse_statement(std::string_view text, std::size_t begin, std::size_t end,
                     const Limits& limits, SyntaxTree& tree, std::vector<Diagnostic>& diagnostics) {
  Iterator first = text.data() + begin;
  const Iterator last = text.data() + end;
  PositionCache positions(first, last);
  grammar::DepthState depth{0, limits.max_depth};
  ast::Statement statement;
  const auto report = [&](std::string code, std::string message, std::size_t at,
                          std::size_t length) {
    diagnostics.push_back(make_diagnostic(text, Severity::error, std::move(code),
                                          std::move(message), {at, at + length}));
  };
  const auto parser = x3::with<grammar::position_cache_tag>(
      std::ref(positions))[x3::with<grammar::depth_tag>(std::ref(depth))[grammar::statement]];
  bool parsed = false;
  try {
    parsed = x3::phrase_parse(first, last, parser, grammar::skipper, statement);
  } catch (const x3::expectation_failure<Iterator>& failure) {
    const auto at = static_cast<std::size_t>(
        skip_blanks(text, static_cast<std::size_t>(failure.where() - text.data()), end));
    const std::string found = token_at(text, at, end);
    report("formula.parse.expected",
           "expected " + describe_expected(failure.which()) + " but found " + found, at,
           at < end ? 1 : 0);
    return false;
  } catch (const grammar::DepthExceeded& exceeded) {
    const auto at = static_cast<std::size_t>(exceeded.where - text.data());
    report("formula.limit.depth",
           "the expression nests deeper than " + std::to_string(limits.max_depth) +
               " levels (the configured limit)",
           at, at < end ? 1 : 0);
    return false;
  }
  const auto at = skip_blanks(text, static_cast<std::size_t>(first - text.data()), end);
  if (!parsed || at != end) {
    const std::size_t where = parsed ? at : skip_blanks(text, begin, end);
    const std::string found = token_at(text, where, end);
    std::string message = "unexpected " + found;
    if (where < end && text[where] == '=') {
      message += "; compare with '==', or assign with 'name = expression' at the start of a line";
    }
    report("formula.parse.unexpected_token", message, where, where < end ? 1 : 0);
    return false;
  }

  Lowering lowering(text, positions, limits, tree, diagnostics);
  Statement lowered;
  if (statement.assignment) {
    lowered.name_span = lowering.span_of(*statement.assignment);
    const std::string& raw = statement.assignment->raw;
    lowered.name = raw.front() == '[' ? raw.substr(1, raw.size() - 2) : raw;
  }
  lowered.root = lowering.lower(statement.expression);
  lowered.span = {skip_blanks(text, begin, end), end};
  if (!lowering.ok()) {
    return false;
  }
  tree.statements.push_back(std::move(lowered));
  return true;
}

}  // namespace arscore::formula::detail
