#pragma once
// Internal: what a compiled program is made of — typed registers and a flat list of steps —
// and the phases that build and run it (checker.cpp, compiler.cpp, interpreter.cpp).

#include <cstdint>
#include <string>
#include <vector>

#include "arscore/formula/detail/syntax.hpp"
#include "arscore/formula/program.hpp"

namespace arscore::formula::detail {

/// Functions of the language (DESIGN.md, "Functions (v1)").
enum class Function : unsigned char {
  min,
  max,
  abs,
  round,
  floor,
  ceil,
  sqrt,
  ln,
  log10,
  exp,
  pow,
  mod,
  clamp,
  coalesce,
  is_null,
  tier,
  interp,
  date,
  days_between,
  add_days,
  add_months,
  year,
  month,
  day,
  end_of_month,
  weekday,
  lower,
  upper,
  len,
  contains,
  starts_with
};

/// Looks a function up by name (ASCII case-insensitive).
[[nodiscard]] std::optional<Function> find_function(std::string_view name) noexcept;
/// Every function name, for suggestions.
[[nodiscard]] const std::vector<std::string>& function_names();

/// What the checker learned about one node.
struct NodeInfo {
  Type type = Type::null;
  std::int32_t variable = -1;  ///< name nodes: input slot
  std::int32_t output = -1;    ///< name nodes: index of an earlier output
  Function function = Function::min;
};

/// The checked program, ready to compile.
struct CheckedProgram {
  SyntaxTree tree;
  std::vector<NodeInfo> info;  ///< one per node
  std::vector<Variable> variables;
  std::vector<Output> outputs;
};

/// The candidate nearest to `name` by edit distance over code points, or "" when none is
/// close enough (at most a third of the length, at least 1).
[[nodiscard]] std::string nearest_name(std::string_view name,
                                       const std::vector<std::string>& candidates);

/// Resolves names, checks types and arities, and fills `checked`. Appends diagnostics.
void check(std::string_view text, const Schema& schema, CheckedProgram& checked,
           std::vector<Diagnostic>& diagnostics);

/// Register kinds: numbers and dates share `num` (doubles; NaN is null); booleans are
/// bytes 0 / 1 / 2 (null); strings are string_views (a null data pointer is null).
enum class Kind : unsigned char { num, boolean, str };

[[nodiscard]] Kind kind_of(Type type) noexcept;

/// Operation codes of steps.
enum class Code : unsigned char {
  add,
  sub,
  mul,
  mul_add_mul,
  mul_sub_mul,
  div,
  pow,
  mod,
  neg,
  abs,
  floor,
  ceil,
  sqrt,
  ln,
  log10,
  exp,
  round,
  min2,
  max2,
  num_eq,
  num_ne,
  num_lt,
  num_le,
  num_gt,
  num_ge,
  str_eq,
  str_ne,
  str_lt,
  str_le,
  str_gt,
  str_ge,
  bool_eq,
  bool_ne,
  logic_and,
  logic_or,
  logic_not,
  is_null_num,
  is_null_bool,
  is_null_str,
  select_num,
  select_bool,
  select_str,
  coalesce_num,
  coalesce_bool,
  coalesce_str,
  tier_num,
  tier_bool,
  tier_str,
  interp,
  date_parse,
  add_days,
  sub_days,
  add_months,
  year,
  month,
  day,
  end_of_month,
  weekday,
  lower,
  upper,
  len,
  contains,
  starts_with
};

/// One register: a typed column of values for the current block of rows.
struct Register {
  Kind kind = Kind::num;
  Type type = Type::number;
  std::int32_t input = -1;  ///< bound to this input slot
  bool constant = false;    ///< holds `value` on every row
  Value value;              ///< the constant
};

/// One step: dst = code(args…). Each step remembers the syntax node it computes.
struct Step {
  Code code = Code::add;
  std::uint32_t dst = 0;
  std::vector<std::uint32_t> args;
  std::uint32_t node = 0;
};

/// A compiled program: immutable after compile.
struct CompiledProgram {
  std::string source;
  CheckedProgram checked;
  std::vector<Register> registers;
  std::vector<Step> steps;        ///< every step: rows and explain()
  std::vector<Step> batch_steps;  ///< the same program with fused steps: evaluate_batch()
  std::vector<std::uint32_t> node_register;    ///< node → register holding its value
  std::vector<std::uint32_t> output_register;  ///< output → register
  std::vector<std::uint32_t> explain_order;    ///< nodes in evaluation order

  void evaluate_batch(std::span<const ColumnView> columns, std::size_t rows,
                      std::span<const OutputBuffer> outputs) const;
  std::vector<Value> evaluate_row(std::span<const Value> row,
                                  std::vector<Value>* node_values) const;
};

/// Builds registers and steps from a checked program and folds constants.
void compile(CompiledProgram& program);

}  // namespace arscore::formula::detail
