// Turns a checked syntax tree into registers and a flat list of steps, then folds constants.
#include <cassert>
#include <limits>
#include <optional>

#include "compiled.hpp"
#include "frame.hpp"

namespace arscore::formula::detail {
namespace {

constexpr std::uint32_t none = std::numeric_limits<std::uint32_t>::max();

class Compiler {
 public:
  explicit Compiler(CompiledProgram& program) : p_(program) {
    p_.node_register.assign(p_.checked.tree.nodes.size(), none);
  }

  void run() {
    const auto& statements = p_.checked.tree.statements;
    for (std::size_t i = 0; i < statements.size(); ++i) {
      const std::uint32_t reg = compile(statements[i].root);
      p_.output_register.push_back(reg);
    }
  }

 private:
  using Id = std::uint32_t;
  const Node& node(Id id) const { return p_.checked.tree.nodes[id]; }
  Type type(Id id) const { return p_.checked.info[id].type; }

  std::uint32_t new_register(Type t) {
    Register r;
    r.type = t == Type::null ? Type::number : t;
    r.kind = kind_of(r.type);
    p_.registers.push_back(std::move(r));
    return static_cast<std::uint32_t>(p_.registers.size() - 1);
  }

  std::uint32_t constant(Type t, Value value) {
    const std::uint32_t reg = new_register(t);
    p_.registers[reg].constant = true;
    p_.registers[reg].value = std::move(value);
    return reg;
  }

  std::uint32_t emit(Code code, Type result, std::vector<std::uint32_t> args, Id at) {
    const std::uint32_t dst = new_register(result);
    p_.steps.push_back(Step{code, dst, std::move(args), at});
    return dst;
  }

  // Compiles node `id`. Every node has a concrete type here: the checker settled `null`
  // literals to the type their context expects.
  // Compiles node `id` once. Long left-deep chains are compiled bottom-up along their left
  // spine first, so recursion depth stays bounded by the parser's nesting limit.
  std::uint32_t compile(Id id) {
    if (p_.node_register[id] != none) {
      return p_.node_register[id];
    }
    std::vector<Id> spine;
    for (Id at = id; node(at).kind == NodeKind::binary; at = node(at).children[0]) {
      const Id left = node(at).children[0];
      if (node(left).kind != NodeKind::binary || p_.node_register[left] != none) break;
      spine.push_back(left);
    }
    for (auto it = spine.rbegin(); it != spine.rend(); ++it) compile(*it);
    const std::uint32_t reg = compile_kind(id);
    p_.node_register[id] = reg;
    p_.explain_order.push_back(id);
    return reg;
  }

  std::uint32_t compile_kind(Id id) {
    const Node& n = node(id);
    const Type t = type(id);
    switch (n.kind) {
      case NodeKind::number:
        return constant(Type::number, n.number);
      case NodeKind::string:
        return constant(Type::string, n.text);
      case NodeKind::boolean:
        return constant(Type::boolean, n.boolean);
      case NodeKind::null:
        return constant(t, {});
      case NodeKind::name: {
        const NodeInfo& info = p_.checked.info[id];
        if (info.output >= 0) {
          return p_.output_register[static_cast<std::size_t>(info.output)];
        }
        const auto slot = static_cast<std::size_t>(info.variable);
        if (input_registers_.size() <= slot) input_registers_.resize(slot + 1, none);
        if (input_registers_[slot] == none) {
          input_registers_[slot] = new_register(t);
          p_.registers[input_registers_[slot]].input = static_cast<std::int32_t>(slot);
        }
        return input_registers_[slot];
      }
      case NodeKind::unary: {
        const std::uint32_t a = compile(n.children[0]);
        return emit(n.op == Op::not_ ? Code::logic_not : Code::neg, t, {a}, id);
      }
      case NodeKind::binary:
        return compile_binary(id);
      case NodeKind::conditional: {
        const std::uint32_t c = compile(n.children[0]);
        const std::uint32_t a = compile(n.children[1]);
        const std::uint32_t b = compile(n.children[2]);
        return emit(select_code(t), t, {c, a, b}, id);
      }
      case NodeKind::in_list: {
        const Type item_type = type(n.children[0]);
        const std::uint32_t needle = compile(n.children[0]);
        std::uint32_t result = none;
        for (std::size_t i = 1; i < n.children.size(); ++i) {
          const std::uint32_t item = compile(n.children[i]);
          const std::uint32_t eq =
              emit(compare_code(Op::eq, item_type), Type::boolean, {needle, item}, id);
          result = result == none ? eq : emit(Code::logic_or, Type::boolean, {result, eq}, id);
        }
        if (n.op == Op::not_in) {
          result = emit(Code::logic_not, Type::boolean, {result}, id);
        }
        return result;
      }
      case NodeKind::call:
        return compile_call(id);
    }
    return constant(Type::number, {});
  }

  static Code select_code(Type t) {
    switch (kind_of(t)) {
      case Kind::boolean:
        return Code::select_bool;
      case Kind::str:
        return Code::select_str;
      default:
        return Code::select_num;
    }
  }

  static Code compare_code(Op op, Type operand) {
    const int offset = static_cast<int>(op) - static_cast<int>(Op::eq);
    if (operand == Type::string) {
      return static_cast<Code>(static_cast<int>(Code::str_eq) + offset);
    }
    if (operand == Type::boolean) {
      return op == Op::eq ? Code::bool_eq : Code::bool_ne;
    }
    return static_cast<Code>(static_cast<int>(Code::num_eq) + offset);
  }

  std::uint32_t compile_binary(Id id) {
    const Node& n = node(id);
    const Id left = n.children[0];
    const Id right = n.children[1];
    const Type t = type(id);
    switch (n.op) {
      case Op::and_:
      case Op::or_: {
        const std::uint32_t a = compile(left);
        const std::uint32_t b = compile(right);
        return emit(n.op == Op::and_ ? Code::logic_and : Code::logic_or, t, {a, b}, id);
      }
      case Op::eq:
      case Op::ne:
      case Op::lt:
      case Op::le:
      case Op::gt:
      case Op::ge: {
        const Type operand = type(left);
        const std::uint32_t a = compile(left);
        const std::uint32_t b = compile(right);
        return emit(compare_code(n.op, operand), Type::boolean, {a, b}, id);
      }
      default:
        break;
    }
    const Type lt = type(left);
    const Type rt = type(right);
    const std::uint32_t a = compile(left);
    const std::uint32_t b = compile(right);
    if (lt == Type::date && rt != Type::date) {  // date ± whole days (the number floored)
      return emit(n.op == Op::sub ? Code::sub_days : Code::add_days, Type::date, {a, b}, id);
    }
    switch (n.op) {
      case Op::add:
        return emit(Code::add, t, {a, b}, id);
      case Op::sub:
        return emit(Code::sub, t, {a, b}, id);
      case Op::mul:
        return emit(Code::mul, t, {a, b}, id);
      case Op::div:
        return emit(Code::div, t, {a, b}, id);
      default:
        return emit(Code::pow, t, {a, b}, id);
    }
  }

  std::vector<std::uint32_t> compile_args(Id id) {
    std::vector<std::uint32_t> args;
    for (Id child : node(id).children) {
      args.push_back(compile(child));
    }
    return args;
  }

  std::uint32_t compile_call(Id id) {
    const Type t = type(id);
    const Function f = p_.checked.info[id].function;
    switch (f) {
      case Function::tier: {
        auto args = compile_args(id);
        const Code code = kind_of(t) == Kind::str       ? Code::tier_str
                          : kind_of(t) == Kind::boolean ? Code::tier_bool
                                                        : Code::tier_num;
        return emit(code, t, std::move(args), id);
      }
      case Function::coalesce: {
        auto args = compile_args(id);
        std::uint32_t result = args[0];
        const Code code = kind_of(t) == Kind::str       ? Code::coalesce_str
                          : kind_of(t) == Kind::boolean ? Code::coalesce_bool
                                                        : Code::coalesce_num;
        for (std::size_t i = 1; i < args.size(); ++i) {
          result = emit(code, t, {result, args[i]}, id);
        }
        if (args.size() == 1) result = emit(code, t, {args[0], args[0]}, id);
        return result;
      }
      case Function::min:
      case Function::max: {
        auto args = compile_args(id);
        std::uint32_t result = args[0];
        for (std::size_t i = 1; i < args.size(); ++i) {
          result = emit(f == Function::min ? Code::min2 : Code::max2, t, {result, args[i]}, id);
        }
        if (args.size() == 1) result = emit(Code::min2, t, {args[0], args[0]}, id);
        return result;
      }
      case Function::clamp: {
        auto args = compile_args(id);
        const std::uint32_t low = emit(Code::max2, t, {args[0], args[1]}, id);
        return emit(Code::min2, t, {low, args[2]}, id);
      }
      case Function::is_null: {
        const Id child = node(id).children[0];
        const Type ct = type(child);
        auto args = compile_args(id);
        const Code code = kind_of(ct) == Kind::str       ? Code::is_null_str
                          : kind_of(ct) == Kind::boolean ? Code::is_null_bool
                                                         : Code::is_null_num;
        return emit(code, t, std::move(args), id);
      }
      case Function::round: {
        auto args = compile_args(id);
        if (args.size() == 1) args.push_back(constant(Type::number, 0.0));
        return emit(Code::round, t, std::move(args), id);
      }
      case Function::days_between: {
        auto args = compile_args(id);
        return emit(Code::sub, t, {args[1], args[0]}, id);
      }
      default:
        break;
    }
    static constexpr struct {
      Function f;
      Code c;
    } simple[] = {{Function::abs, Code::abs},
                  {Function::floor, Code::floor},
                  {Function::ceil, Code::ceil},
                  {Function::sqrt, Code::sqrt},
                  {Function::ln, Code::ln},
                  {Function::log10, Code::log10},
                  {Function::exp, Code::exp},
                  {Function::pow, Code::pow},
                  {Function::mod, Code::mod},
                  {Function::interp, Code::interp},
                  {Function::date, Code::date_parse},
                  {Function::add_days, Code::add_days},
                  {Function::add_months, Code::add_months},
                  {Function::year, Code::year},
                  {Function::month, Code::month},
                  {Function::day, Code::day},
                  {Function::end_of_month, Code::end_of_month},
                  {Function::weekday, Code::weekday},
                  {Function::lower, Code::lower},
                  {Function::upper, Code::upper},
                  {Function::len, Code::len},
                  {Function::contains, Code::contains},
                  {Function::starts_with, Code::starts_with}};
    for (const auto& entry : simple) {
      if (entry.f == f) {
        return emit(entry.c, t, compile_args(id), id);
      }
    }
    assert(false && "every function has a code");
    return constant(t, {});
  }

  CompiledProgram& p_;
  std::vector<std::uint32_t> input_registers_;
};

// Folds every step whose arguments are all constants into a constant register.
void fold_constants(CompiledProgram& p) {
  Frame frame(p, 1);
  std::vector<Step> kept;
  for (const Step& step : p.steps) {
    bool all_constant = true;
    for (std::uint32_t arg : step.args) all_constant &= p.registers[arg].constant;
    if (!all_constant) {
      kept.push_back(step);
      continue;
    }
    frame.run_step(step, 1);
    Register& dst = p.registers[step.dst];
    dst.value = frame.value_of(step.dst, 0);
    dst.constant = true;
    frame.set_constant(step.dst);
  }
  p.steps = std::move(kept);
}

// The batch program: the row program with `x * c1 ± y * c2` (weights on two columns, the most
// common rule shape) fused into one pass. The fused kernel does the same operations in the
// same order, so results are bit-identical; the row program keeps every step for explain().
void fuse_for_batch(CompiledProgram& p) {
  std::vector<std::uint32_t> uses(p.registers.size(), 0);
  for (const Step& step : p.steps) {
    for (std::uint32_t arg : step.args) ++uses[arg];
  }
  for (std::uint32_t reg : p.output_register) ++uses[reg];
  std::vector<std::int64_t> producer(p.registers.size(), -1);
  for (std::size_t i = 0; i < p.steps.size(); ++i) {
    producer[p.steps[i].dst] = static_cast<std::int64_t>(i);
  }
  // A mul step with one constant argument whose result is used once: (variable, constant).
  const auto scaled =
      [&](std::uint32_t reg) -> std::optional<std::pair<std::uint32_t, std::uint32_t>> {
    if (uses[reg] != 1 || producer[reg] < 0) return std::nullopt;
    const Step& step = p.steps[static_cast<std::size_t>(producer[reg])];
    if (step.code != Code::mul) return std::nullopt;
    const bool first_constant = p.registers[step.args[0]].constant;
    const bool second_constant = p.registers[step.args[1]].constant;
    if (first_constant == second_constant) return std::nullopt;
    return first_constant ? std::pair{step.args[1], step.args[0]}
                          : std::pair{step.args[0], step.args[1]};
  };
  std::vector<bool> removed(p.steps.size(), false);
  std::vector<Step> fused = p.steps;
  for (std::size_t i = 0; i < p.steps.size(); ++i) {
    const Step& step = p.steps[i];
    if (step.code != Code::add && step.code != Code::sub) continue;
    const auto left = scaled(step.args[0]);
    const auto right = scaled(step.args[1]);
    if (!left || !right) continue;
    removed[static_cast<std::size_t>(producer[step.args[0]])] = true;
    removed[static_cast<std::size_t>(producer[step.args[1]])] = true;
    fused[i].code = step.code == Code::add ? Code::mul_add_mul : Code::mul_sub_mul;
    fused[i].args = {left->first, left->second, right->first, right->second};
  }
  p.batch_steps.clear();
  for (std::size_t i = 0; i < fused.size(); ++i) {
    if (!removed[i]) p.batch_steps.push_back(fused[i]);
  }
}

}  // namespace

void compile(CompiledProgram& program) {
  Compiler(program).run();
  fold_constants(program);
  fuse_for_batch(program);
}

}  // namespace arscore::formula::detail
