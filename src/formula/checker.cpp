// Name resolution, type checking and arity checking of a parsed sheet.
#include <algorithm>
#include <map>

#include "arscore/core/date.hpp"
#include "arscore/core/error.hpp"
#include "arscore/core/utf8.hpp"
#include "compiled.hpp"

namespace arscore::formula::detail {
namespace {

std::u32string code_points(std::string_view text) {
  std::u32string out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto decoded = decode_utf8(text, pos);
    out.push_back(decoded ? decoded->code_point : U'\uFFFD');
    pos += decoded ? decoded->length : 1;
  }
  return out;
}

std::size_t edit_distance(const std::u32string& a, const std::u32string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0U : 1U)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

std::string nearest_name(std::string_view name, const std::vector<std::string>& candidates) {
  const std::u32string target = code_points(name);
  const std::size_t budget = std::max<std::size_t>(1, (target.size() + 2) / 3);
  std::string best;
  std::size_t best_distance = budget + 1;
  for (const auto& candidate : candidates) {
    const std::size_t distance = edit_distance(target, code_points(candidate));
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  return best;
}

namespace {

class Checker {
 public:
  Checker(std::string_view text, const Schema& schema, CheckedProgram& checked,
          std::vector<Diagnostic>& diagnostics)
      : text_(text), schema_(schema), checked_(checked), diagnostics_(diagnostics) {
    checked_.info.assign(checked_.tree.nodes.size(), NodeInfo{});
    done_.assign(checked_.tree.nodes.size(), false);
  }

  void run() {
    auto& statements = checked_.tree.statements;
    for (std::size_t i = 0; i < statements.size(); ++i) {
      const auto& name = statements[i].name;
      if (statements.size() > 1 && name.empty()) {
        error("formula.check.unnamed_output",
              "each line of a sheet needs a name: write 'name = expression'", statements[i].span);
      }
      if (!name.empty()) {
        if (auto it = defined_at_.find(name); it != defined_at_.end()) {
          error("formula.check.duplicate_output",
                "'" + name + "' is already defined on an earlier line", statements[i].name_span);
          continue;
        }
        defined_at_.emplace(name, i);
      }
    }
    for (std::size_t i = 0; i < statements.size(); ++i) {
      current_statement_ = i;
      check_node(statements[i].root);
      settle(statements[i].root);
      checked_.outputs.push_back(Output{statements[i].name, info(statements[i].root).type});
    }
  }

 private:
  using Id = std::uint32_t;

  const Node& node(Id id) const { return checked_.tree.nodes[id]; }
  NodeInfo& info(Id id) { return checked_.info[id]; }

  void error(std::string code, std::string message, SourceSpan span) {
    diagnostics_.push_back(
        make_diagnostic(text_, Severity::error, std::move(code), std::move(message), span));
  }

  // Reports a type error and returns Type::null so that checking goes on.
  Type type_error(Id id, const std::string& message) {
    error("formula.check.type_mismatch", message, node(id).span);
    return Type::null;
  }

  // The node's source text in single quotes (a string literal keeps its own quotes).
  std::string quoted(Id id) const {
    const SourceSpan span = node(id).span;
    const std::string text(text_.substr(span.begin, span.end - span.begin));
    return node(id).kind == NodeKind::string ? text : "'" + text + "'";
  }

  // Expects `id` to have type `want` (or the null literal).
  bool expect(Id id, Type got, Type want, std::string_view what) {
    if (got == want || got == Type::null) {
      return true;
    }
    error("formula.check.type_mismatch",
          std::string(what) + " must be a " + std::string(to_string(want)) + ", but " + quoted(id) +
              " is a " + std::string(to_string(got)),
          node(id).span);
    return false;
  }

  // Checks node `id` once. A long left-deep chain (a + b + c + … with thousands of terms) is
  // walked down its left spine first and checked bottom-up, so recursion depth stays bounded
  // by the parser's nesting limit rather than by the chain's length.
  Type check_node(Id id) {
    if (done_[id]) return info(id).type;
    std::vector<Id> spine;
    for (Id at = id; node(at).kind == NodeKind::binary; at = node(at).children[0]) {
      const Id left = node(at).children[0];
      if (node(left).kind != NodeKind::binary || done_[left]) break;
      spine.push_back(left);
    }
    for (auto it = spine.rbegin(); it != spine.rend(); ++it) check_node(*it);
    const Type type = check_node_kind(id);
    info(id).type = type;
    done_[id] = true;
    return type;
  }

  Type check_node_kind(Id id) {
    const Node& n = node(id);
    switch (n.kind) {
      case NodeKind::number:
        return Type::number;
      case NodeKind::string:
        return Type::string;
      case NodeKind::boolean:
        return Type::boolean;
      case NodeKind::null:
        return Type::null;
      case NodeKind::name:
        return check_name(id);
      case NodeKind::unary:
        return check_unary(id);
      case NodeKind::binary:
        return check_binary(id);
      case NodeKind::conditional:
        return check_conditional(id);
      case NodeKind::in_list:
        return check_in(id);
      case NodeKind::call:
        return check_call(id);
    }
    return Type::null;
  }

  Type check_name(Id id) {
    const std::string& name = node(id).text;
    if (auto it = defined_at_.find(name); it != defined_at_.end()) {
      if (it->second < current_statement_) {
        info(id).output = static_cast<std::int32_t>(it->second);
        return checked_.outputs[it->second].type;
      }
      error("formula.check.used_before_definition",
            it->second == current_statement_
                ? "'" + name + "' is used in its own definition"
                : "'" + name + "' is used before the line that defines it",
            node(id).span);
      return Type::null;
    }
    Type type = Type::number;
    if (auto it = schema_.types.find(name); it != schema_.types.end()) {
      type = it->second;
    } else if (!schema_.open) {
      std::vector<std::string> candidates;
      for (const auto& [known, known_type] : schema_.types) candidates.push_back(known);
      for (const auto& [known, index] : defined_at_) {
        if (index < current_statement_) candidates.push_back(known);
      }
      const std::string suggestion = nearest_name(name, candidates);
      error("formula.check.unknown_name",
            "unknown variable '" + name + "'" +
                (suggestion.empty() ? std::string() : " — did you mean '" + suggestion + "'?"),
            node(id).span);
      return Type::null;
    }
    for (std::size_t slot = 0; slot < checked_.variables.size(); ++slot) {
      if (checked_.variables[slot].name == name) {
        info(id).variable = static_cast<std::int32_t>(slot);
        return type;
      }
    }
    info(id).variable = static_cast<std::int32_t>(checked_.variables.size());
    checked_.variables.push_back(Variable{name, type});
    return type;
  }

  // Gives every node still typed `null` (the literal null, and expressions made only of it,
  // like coalesce(null, null)) the type its context expects, top-down, so that the compiler
  // never has to guess: `lower(null)` is a null string, `b and null` a null bool. A root with
  // no context is a number. Iterative, so long chains cannot exhaust the stack.
  void settle(Id root) {
    std::vector<std::pair<Id, Type>> stack{{root, Type::number}};
    while (!stack.empty()) {
      const auto [id, want] = stack.back();
      stack.pop_back();
      NodeInfo& self = info(id);
      if (self.type == Type::null) self.type = want == Type::null ? Type::number : want;
      const Type t = self.type;
      const Node& n = node(id);
      const auto& c = n.children;
      const auto push = [&](Id child, Type type) { stack.emplace_back(child, type); };
      const auto first_known = [&](std::size_t from) {
        for (std::size_t i = from; i < c.size(); ++i) {
          if (info(c[i]).type != Type::null) return info(c[i]).type;
        }
        return Type::number;
      };
      switch (n.kind) {
        case NodeKind::unary:
          push(c[0], n.op == Op::not_ ? Type::boolean : Type::number);
          break;
        case NodeKind::binary:
          if (n.op == Op::and_ || n.op == Op::or_) {
            push(c[0], Type::boolean);
            push(c[1], Type::boolean);
          } else if (n.op >= Op::eq && n.op <= Op::ge) {
            const Type operand = first_known(0);
            push(c[0], operand);
            push(c[1], operand);
          } else {
            push(c[0], Type::number);
            push(c[1], Type::number);
          }
          break;
        case NodeKind::conditional:
          push(c[0], Type::boolean);
          push(c[1], t);
          push(c[2], t);
          break;
        case NodeKind::in_list: {
          const Type item = first_known(0);
          for (Id child : c) push(child, item);
          break;
        }
        case NodeKind::call:
          for (std::size_t i = 0; i < c.size(); ++i) push(c[i], argument_type(id, i, t));
          break;
        default:
          break;
      }
    }
  }

  // The type a function expects at argument i (given its result type t), for settle().
  Type argument_type(Id id, std::size_t i, Type t) const {
    switch (checked_.info[id].function) {
      case Function::lower:
      case Function::upper:
      case Function::len:
      case Function::contains:
      case Function::starts_with:
      case Function::date:
        return Type::string;
      case Function::coalesce:
      case Function::min:
      case Function::max:
        return t;
      case Function::tier:
        return (i == 0 || i % 2 == 1) ? Type::number : t;
      case Function::days_between:
      case Function::year:
      case Function::month:
      case Function::day:
      case Function::weekday:
      case Function::end_of_month:
        return Type::date;
      case Function::add_days:
      case Function::add_months:
        return i == 0 ? Type::date : Type::number;
      default:
        return Type::number;
    }
  }

  Type check_unary(Id id) {
    const Id operand = node(id).children[0];
    const Type type = check_node(operand);
    if (node(id).op == Op::not_) {
      return expect(operand, type, Type::boolean, "the operand of 'not'") ? Type::boolean
                                                                          : Type::null;
    }
    return expect(operand, type, Type::number, "the operand of unary '-'") ? Type::number
                                                                           : Type::null;
  }

  // Both checks run (so both errors are reported); true when both pass.
  static bool both(bool first, bool second) { return first && second; }

  bool is_null_literal(Id id) const { return node(id).kind == NodeKind::null; }

  Type check_binary(Id id) {
    const Node& n = node(id);
    const Id left = n.children[0];
    const Id right = n.children[1];
    const Type a = check_node(left);
    const Type b = check_node(right);
    const std::string op(op_text(n.op));
    switch (n.op) {
      case Op::or_:
      case Op::and_: {
        const bool ok = both(expect(left, a, Type::boolean, "the left side of '" + op + "'"),
                             expect(right, b, Type::boolean, "the right side of '" + op + "'"));
        return ok ? Type::boolean : Type::null;
      }
      case Op::eq:
      case Op::ne:
      case Op::lt:
      case Op::le:
      case Op::gt:
      case Op::ge: {
        if (is_null_literal(left) || is_null_literal(right)) {
          error("formula.check.null_comparison",
                "comparing with null always gives null; use is_null(x) instead", n.span);
          return Type::null;
        }
        if (a == Type::null || b == Type::null) return Type::boolean;
        if (a != b) {
          return type_error(id, "'" + op + "' compares values of one type, but " + quoted(left) +
                                    " is a " + std::string(to_string(a)) + " and " + quoted(right) +
                                    " is a " + std::string(to_string(b)));
        }
        if (a == Type::boolean && n.op != Op::eq && n.op != Op::ne) {
          return type_error(id, "booleans can only be compared with '==' or '!='");
        }
        return Type::boolean;
      }
      case Op::add:
      case Op::sub:
        if (a == Type::date && (b == Type::number || b == Type::null)) return Type::date;
        if (n.op == Op::sub && a == Type::date && b == Type::date) return Type::number;
        [[fallthrough]];
      default: {
        const bool ok = both(expect(left, a, Type::number, "the left side of '" + op + "'"),
                             expect(right, b, Type::number, "the right side of '" + op + "'"));
        return ok ? Type::number : Type::null;
      }
    }
  }

  Type unify(Id at, Type a, Type b, std::string_view what) {
    if (a == Type::null) return b;
    if (b == Type::null || a == b) return a;
    type_error(at, std::string(what) + " must have one type, but one is a " +
                       std::string(to_string(a)) + " and another a " + std::string(to_string(b)));
    return Type::null;
  }

  Type check_conditional(Id id) {
    const Node& n = node(id);
    const Type condition = check_node(n.children[0]);
    expect(n.children[0], condition, Type::boolean, "the condition after 'if'");
    const Type a = check_node(n.children[1]);
    const Type b = check_node(n.children[2]);
    return unify(id, a, b, "the 'then' and 'else' branches");
  }

  Type check_in(Id id) {
    const Node& n = node(id);
    Type type = check_node(n.children[0]);
    for (std::size_t i = 1; i < n.children.size(); ++i) {
      type = unify(id, type, check_node(n.children[i]), "the value and the items of 'in'");
    }
    return Type::boolean;
  }

  bool arity(Id id, std::size_t min, std::size_t max, std::string_view shape) {
    const std::size_t count = node(id).children.size();
    if (count >= min && count <= max) return true;
    error("formula.check.arity",
          node(id).text + " takes " + std::string(shape) + ", but got " + std::to_string(count) +
              (count == 1 ? " argument" : " arguments"),
          node(id).span);
    return false;
  }

  Type check_call(Id id) {
    const Node& n = node(id);
    std::vector<Type> types;
    for (Id child : n.children) types.push_back(check_node(child));
    const auto function = find_function(n.text);
    if (!function) {
      const std::string suggestion = nearest_name(n.text, function_names());
      error("formula.check.unknown_function",
            "unknown function '" + n.text + "'" +
                (suggestion.empty() ? std::string() : " — did you mean '" + suggestion + "'?"),
            {n.span.begin, n.span.begin + n.text.size()});
      return Type::null;
    }
    info(id).function = *function;
    const auto& args = n.children;
    const auto numbers = [&](std::size_t from, std::size_t to) {
      bool ok = true;
      for (std::size_t i = from; i < to && i < args.size(); ++i) {
        ok &= expect(args[i], types[i], Type::number,
                     "argument " + std::to_string(i + 1) + " of " + n.text);
      }
      return ok;
    };
    constexpr std::size_t many = static_cast<std::size_t>(-1);
    switch (*function) {
      case Function::abs:
      case Function::floor:
      case Function::ceil:
      case Function::sqrt:
      case Function::ln:
      case Function::log10:
      case Function::exp:
        return arity(id, 1, 1, "one number") && numbers(0, 1) ? Type::number : Type::null;
      case Function::round:
        return arity(id, 1, 2, "a number and optionally a count of decimals") && numbers(0, 2)
                   ? Type::number
                   : Type::null;
      case Function::pow:
      case Function::mod:
        return arity(id, 2, 2, "two numbers") && numbers(0, 2) ? Type::number : Type::null;
      case Function::clamp:
        return arity(id, 3, 3, "three numbers (x, low, high)") && numbers(0, 3) ? Type::number
                                                                                : Type::null;
      case Function::min:
      case Function::max: {
        if (!arity(id, 1, many, "one or more numbers or dates")) return Type::null;
        Type type = Type::null;
        for (std::size_t i = 0; i < args.size(); ++i)
          type = unify(id, type, types[i], "the arguments of " + n.text);
        if (type != Type::null && type != Type::number && type != Type::date) {
          return type_error(id, n.text + " takes numbers or dates");
        }
        return type == Type::null ? Type::number : type;
      }
      case Function::coalesce: {
        if (!arity(id, 1, many, "one or more values")) return Type::null;
        Type type = Type::null;
        for (std::size_t i = 0; i < args.size(); ++i)
          type = unify(id, type, types[i], "the arguments of coalesce");
        return type;
      }
      case Function::is_null:
        return arity(id, 1, 1, "one value") ? Type::boolean : Type::null;
      case Function::tier: {
        if (args.size() < 3 || args.size() % 2 == 0) {
          arity(id, many, many, "a value then threshold, result pairs (an odd count, 3 or more)");
          return Type::null;
        }
        bool ok = expect(args[0], types[0], Type::number, "the value of tier");
        Type result = Type::null;
        for (std::size_t i = 1; i < args.size(); i += 2) {
          ok &= expect(args[i], types[i], Type::number, "a threshold of tier");
          result = unify(id, result, types[i + 1], "the results of tier");
        }
        ok &= ascending(id, 1, false);
        return ok ? (result == Type::null ? Type::number : result) : Type::null;
      }
      case Function::interp: {
        if (args.size() < 5 || args.size() % 2 == 0) {
          arity(id, many, many, "a value then at least two x, y pairs (an odd count, 5 or more)");
          return Type::null;
        }
        const bool ok = numbers(0, args.size()) && ascending(id, 1, true);
        return ok ? Type::number : Type::null;
      }
      case Function::date: {
        if (!arity(id, 1, 1, "one string \"YYYY-MM-DD\"")) return Type::null;
        if (!expect(args[0], types[0], Type::string, "the argument of date")) return Type::null;
        if (node(args[0]).kind == NodeKind::string) {
          try {
            (void)Date::parse(node(args[0]).text);
          } catch (const Error& e) {
            error("formula.check.bad_date", e.message(), node(args[0]).span);
            return Type::null;
          }
        }
        return Type::date;
      }
      case Function::days_between:
        if (!arity(id, 2, 2, "two dates")) return Type::null;
        return both(expect(args[0], types[0], Type::date, "argument 1 of days_between"),
                    expect(args[1], types[1], Type::date, "argument 2 of days_between"))
                   ? Type::number
                   : Type::null;
      case Function::add_days:
      case Function::add_months:
        if (!arity(id, 2, 2, "a date and a number")) return Type::null;
        return both(expect(args[0], types[0], Type::date, "argument 1 of " + n.text),
                    expect(args[1], types[1], Type::number, "argument 2 of " + n.text))
                   ? Type::date
                   : Type::null;
      case Function::year:
      case Function::month:
      case Function::day:
      case Function::weekday:
        if (!arity(id, 1, 1, "one date")) return Type::null;
        return expect(args[0], types[0], Type::date, "the argument of " + n.text) ? Type::number
                                                                                  : Type::null;
      case Function::end_of_month:
        if (!arity(id, 1, 1, "one date")) return Type::null;
        return expect(args[0], types[0], Type::date, "the argument of end_of_month") ? Type::date
                                                                                     : Type::null;
      case Function::lower:
      case Function::upper:
        if (!arity(id, 1, 1, "one string")) return Type::null;
        return expect(args[0], types[0], Type::string, "the argument of " + n.text) ? Type::string
                                                                                    : Type::null;
      case Function::len:
        if (!arity(id, 1, 1, "one string")) return Type::null;
        return expect(args[0], types[0], Type::string, "the argument of len") ? Type::number
                                                                              : Type::null;
      case Function::contains:
      case Function::starts_with:
        if (!arity(id, 2, 2, "two strings")) return Type::null;
        return both(expect(args[0], types[0], Type::string, "argument 1 of " + n.text),
                    expect(args[1], types[1], Type::string, "argument 2 of " + n.text))
                   ? Type::boolean
                   : Type::null;
    }
    return Type::null;
  }

  // Constant thresholds of tier (every other argument from `first`) must ascend.
  bool ascending(Id id, std::size_t first, bool strictly) {
    const auto& args = node(id).children;
    const Node* previous = nullptr;
    for (std::size_t i = first; i < args.size(); i += 2) {
      const Node& current = node(args[i]);
      if (current.kind != NodeKind::number) {
        previous = nullptr;
        continue;
      }
      if (previous != nullptr &&
          (strictly ? current.number <= previous->number : current.number < previous->number)) {
        error("formula.check.unordered_thresholds",
              std::string("the thresholds of ") + node(id).text + " must be in " +
                  (strictly ? "strictly " : "") + "ascending order",
              current.span);
        return false;
      }
      previous = &current;
    }
    return true;
  }

  std::string_view text_;
  const Schema& schema_;
  CheckedProgram& checked_;
  std::vector<Diagnostic>& diagnostics_;
  std::map<std::string, std::size_t, std::less<>> defined_at_;
  std::size_t current_statement_ = 0;
  std::vector<bool> done_;
};

}  // namespace

void check(std::string_view text, const Schema& schema, CheckedProgram& checked,
           std::vector<Diagnostic>& diagnostics) {
  Checker(text, schema, checked, diagnostics).run();
}

}  // namespace arscore::formula::detail
