#pragma once
/// \file
/// Compiled formulas and sheets: per-row evaluation, column-at-a-time batch evaluation,
/// and explanations. A compiled program is immutable and safe to share across threads.

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "arscore/formula/formula_error.hpp"
#include "arscore/formula/types.hpp"
#include "arscore/formula/value.hpp"

namespace arscore::formula {

namespace detail {
struct CompiledProgram;
}

/// An input variable of a compiled program: its name and type. The position in
/// Program::variables() is its *slot*.
struct Variable {
  std::string name;  ///< As written (without brackets).
  Type type;         ///< From the schema.
};

/// A named result of a program.
struct Output {
  std::string name;  ///< The name left of '=' (a plain formula's output is named "").
  Type type;         ///< The checked type of its expression.
};

/// One step of an explanation: a sub-expression's source text and its value for the row.
struct ExplainStep {
  std::string text;  ///< The sub-expression as written in the source.
  Value value;       ///< Its value for the explained row.
};

/// A read-only view of one input column for batch evaluation. The viewed memory must
/// outlive the evaluate_batch call; nothing is copied for number columns.
class ColumnView {
 public:
  /// float64 numbers; NaN is null.
  static ColumnView numbers(std::span<const double> values);
  /// Booleans as bytes (0 false, anything else true); `valid`, when not empty, has one byte
  /// per row and 0 marks null.
  static ColumnView booleans(std::span<const std::uint8_t> values,
                             std::span<const std::uint8_t> valid = {});
  /// Dates as day serials since 1970-01-01 (numpy datetime64[D]); INT64_MIN (NaT) is null.
  static ColumnView dates(std::span<const std::int64_t> serials);
  /// Dictionary-encoded strings: row i is dictionary[codes[i]]; a negative code is null.
  /// Codes at or past the dictionary's size are an error at evaluation time.
  static ColumnView strings(std::span<const std::int32_t> codes,
                            std::span<const std::string> dictionary);

  /// The column's formula type.
  [[nodiscard]] Type type() const noexcept { return type_; }
  /// The number of rows.
  [[nodiscard]] std::size_t size() const noexcept { return size_; }

  /// Raw access for evaluators: the pointer matching type() is set, the others are null.
  [[nodiscard]] const double* numbers_data() const noexcept { return numbers_; }
  [[nodiscard]] const std::uint8_t* bools_data() const noexcept { return bools_; }
  [[nodiscard]] const std::uint8_t* valid_data() const noexcept { return valid_; }
  [[nodiscard]] const std::int64_t* dates_data() const noexcept { return dates_; }
  [[nodiscard]] const std::int32_t* codes_data() const noexcept { return codes_; }
  [[nodiscard]] std::span<const std::string> dictionary() const noexcept { return dictionary_; }

 private:
  Type type_ = Type::number;
  std::size_t size_ = 0;
  const double* numbers_ = nullptr;
  const std::uint8_t* bools_ = nullptr;
  const std::uint8_t* valid_ = nullptr;
  const std::int64_t* dates_ = nullptr;
  const std::int32_t* codes_ = nullptr;
  std::span<const std::string> dictionary_;
};

/// Where batch evaluation writes one output. Exactly the member matching the output's type
/// must be set, with room for every row.
struct OutputBuffer {
  double* numbers = nullptr;          ///< number outputs: NaN for null
  std::uint8_t* booleans = nullptr;   ///< bool outputs: 0 / 1 (0 where null)
  std::uint8_t* null_mask = nullptr;  ///< bool outputs, optional: 1 where null
  std::int64_t* dates = nullptr;      ///< date outputs: day serials, INT64_MIN for null
  std::vector<std::optional<std::string>>* strings = nullptr;  ///< string outputs: resized
};

/// Options for compiling.
struct CompileOptions {
  Schema schema;  ///< Types of the variables (open by default: every name is a number).
  Limits limits;  ///< Text length, nesting depth and node count limits.
};

/// A compiled sheet: one or more `name = expression` lines (or `;`-separated), later lines
/// using earlier outputs, or a single expression whose output is named "".
/// Immutable after compile; copies share the compiled code; safe to use from many threads.
class Program {
 public:
  /// Parses, checks and compiles `text`. Throws FormulaError holding every diagnostic found
  /// (syntax errors in independent statements, type errors, unknown names, limits).
  static Program compile(std::string_view text, const CompileOptions& options = {});

  /// Like compile(), but a text that is a single expression is required: a sheet with more
  /// than one statement is the diagnostic `formula.parse.not_single_expression`.
  static Program compile_expression(std::string_view text, const CompileOptions& options = {});

  /// The source text.
  [[nodiscard]] const std::string& source() const noexcept;
  /// Input variables in order of first use; a variable's index is its slot.
  [[nodiscard]] const std::vector<Variable>& variables() const noexcept;
  /// Outputs in source order.
  [[nodiscard]] const std::vector<Output>& outputs() const noexcept;
  /// The slot of a variable, or nullopt when the program does not use it.
  [[nodiscard]] std::optional<std::size_t> slot_of(std::string_view name) const noexcept;
  /// Number of steps in the compiled (constant-folded) program.
  [[nodiscard]] std::size_t step_count() const noexcept;

  /// Evaluates one row. `row` holds one value per slot (variables() order). A value whose
  /// type does not match its variable throws FormulaError (`formula.eval.type_mismatch`,
  /// naming the variable); null is accepted for every type. Returns one value per output.
  [[nodiscard]] std::vector<Value> evaluate(std::span<const Value> row) const;

  /// Evaluates one row given by name. A variable missing from `row` throws FormulaError
  /// (`formula.eval.missing_variable`, naming it and the nearest name present); names the
  /// program does not use are ignored. Otherwise as evaluate(span).
  [[nodiscard]] std::vector<Value> evaluate(
      const std::map<std::string, Value, std::less<>>& row) const;

  /// Evaluates `rows` rows column at a time. `columns` holds one column per slot, each
  /// with at least `rows` rows and the variable's type; `outputs` one buffer per output.
  /// Throws FormulaError (`formula.eval.column_type`, `formula.eval.column_length`,
  /// `formula.eval.bad_string_code`) naming the column on bad input. Chunked: the
  /// program runs over blocks of rows, never walking a tree per row.
  void evaluate_batch(std::span<const ColumnView> columns, std::size_t rows,
                      std::span<const OutputBuffer> outputs) const;

  /// Evaluates one row and returns every sub-expression's source text and value, in
  /// evaluation order (children before parents), the outputs' expressions last.
  [[nodiscard]] std::vector<ExplainStep> explain(std::span<const Value> row) const;

  /// A listing of the compiled steps, one per line (for debugging and tests).
  [[nodiscard]] std::string disassemble() const;

 private:
  explicit Program(std::shared_ptr<const detail::CompiledProgram> compiled);
  std::shared_ptr<const detail::CompiledProgram> compiled_;
};

}  // namespace arscore::formula
