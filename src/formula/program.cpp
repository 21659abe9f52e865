// The public face of the formula component: compile, evaluate, evaluate_batch, explain.
#include "arscore/formula/program.hpp"

#include <algorithm>
#include <cassert>
#include <limits>

#include "compiled.hpp"
#include "frame.hpp"

namespace arscore::formula {

using detail::CompiledProgram;
using detail::Frame;

ColumnView ColumnView::numbers(std::span<const double> values) {
  ColumnView c;
  c.type_ = Type::number;
  c.size_ = values.size();
  c.numbers_ = values.data();
  return c;
}

ColumnView ColumnView::booleans(std::span<const std::uint8_t> values,
                                std::span<const std::uint8_t> valid) {
  assert(valid.empty() || valid.size() == values.size());
  ColumnView c;
  c.type_ = Type::boolean;
  c.size_ = values.size();
  c.bools_ = values.data();
  c.valid_ = valid.empty() ? nullptr : valid.data();
  return c;
}

ColumnView ColumnView::dates(std::span<const std::int64_t> serials) {
  ColumnView c;
  c.type_ = Type::date;
  c.size_ = serials.size();
  c.dates_ = serials.data();
  return c;
}

ColumnView ColumnView::strings(std::span<const std::int32_t> codes,
                               std::span<const std::string> dictionary) {
  ColumnView c;
  c.type_ = Type::string;
  c.size_ = codes.size();
  c.codes_ = codes.data();
  c.dictionary_ = dictionary;
  return c;
}

namespace {

[[noreturn]] void input_error(const std::string& source, std::string code, std::string message) {
  std::vector<Diagnostic> diagnostics{
      make_diagnostic(source, Severity::error, std::move(code), std::move(message), {0, 0})};
  throw FormulaError(std::move(diagnostics), source);
}

}  // namespace

namespace detail {

void CompiledProgram::evaluate_batch(std::span<const ColumnView> columns, std::size_t rows,
                                     std::span<const OutputBuffer> outputs) const {
  const auto& variables = checked.variables;
  if (columns.size() != variables.size()) {
    input_error(source, "formula.eval.column_count",
                "expected " + std::to_string(variables.size()) +
                    " columns (one per variable), got " + std::to_string(columns.size()));
  }
  for (std::size_t slot = 0; slot < variables.size(); ++slot) {
    const ColumnView& c = columns[slot];
    if (c.type() != variables[slot].type) {
      input_error(source, "formula.eval.column_type",
                  "column '" + variables[slot].name + "' holds " +
                      std::string(to_string(c.type())) + " values, but the formula uses it as a " +
                      std::string(to_string(variables[slot].type)));
    }
    if (c.size() < rows) {
      input_error(source, "formula.eval.column_length",
                  "column '" + variables[slot].name + "' has " + std::to_string(c.size()) +
                      " rows, fewer than the " + std::to_string(rows) + " asked for");
    }
    if (c.type() == Type::string) {
      const auto size = static_cast<std::int64_t>(c.dictionary().size());
      for (std::size_t i = 0; i < rows; ++i) {
        if (c.codes_data()[i] >= size) {
          input_error(source, "formula.eval.bad_string_code",
                      "column '" + variables[slot].name + "' row " + std::to_string(i) +
                          " has code " + std::to_string(c.codes_data()[i]) +
                          " but its dictionary has " + std::to_string(size) + " entries");
        }
      }
    }
  }
  assert(outputs.size() == checked.outputs.size());

  // Number outputs computed by a step are written straight into the caller's buffer.
  std::vector<bool> direct(outputs.size(), false);
  std::vector<std::uint32_t> steps_writing(registers.size(), 0);
  for (const Step& step : batch_steps) ++steps_writing[step.dst];
  for (std::size_t o = 0; o < outputs.size(); ++o) {
    const std::uint32_t reg = output_register[o];
    const bool shared = std::count(output_register.begin(), output_register.end(), reg) > 1;
    direct[o] = registers[reg].type == Type::number && steps_writing[reg] == 1 && !shared;
  }
  // Blocks of up to 4096 rows, fewer for big programs so that the registers of one block stay
  // within about 2 MiB (a 2 000-term sum must not allocate hundreds of megabytes).
  const std::size_t block = std::clamp<std::size_t>(
      register_budget_bytes / (sizeof(double) * std::max<std::size_t>(1, registers.size())),
      min_block_rows, block_rows);
  Frame frame(*this, std::max<std::size_t>(1, std::min(rows, block)));
  for (std::size_t first = 0; first < rows; first += block) {
    const std::size_t n = std::min(block, rows - first);
    frame.clear_strings();
    frame.bind_columns(columns, first, n);
    for (std::size_t o = 0; o < outputs.size(); ++o) {
      if (direct[o]) frame.redirect(output_register[o], outputs[o].numbers + first);
    }
    for (const Step& step : batch_steps) frame.run_step(step, n);
    for (std::size_t o = 0; o < outputs.size(); ++o) {
      const std::uint32_t reg = output_register[o];
      const OutputBuffer& buffer = outputs[o];
      if (direct[o]) continue;
      switch (registers[reg].type) {
        case Type::number:
        case Type::null: {
          assert(buffer.numbers != nullptr);
          std::copy_n(frame.num(reg), n, buffer.numbers + first);
          break;
        }
        case Type::date: {
          assert(buffer.dates != nullptr);
          const double* x = frame.num(reg);
          for (std::size_t i = 0; i < n; ++i) {
            buffer.dates[first + i] = x[i] != x[i] ? std::numeric_limits<std::int64_t>::min()
                                                   : static_cast<std::int64_t>(x[i]);
          }
          break;
        }
        case Type::boolean: {
          assert(buffer.booleans != nullptr);
          const std::uint8_t* x = frame.boolean(reg);
          for (std::size_t i = 0; i < n; ++i) {
            buffer.booleans[first + i] = x[i] == detail::true_value ? 1 : 0;
            if (buffer.null_mask != nullptr) {
              buffer.null_mask[first + i] = x[i] == detail::null_bool ? 1 : 0;
            }
          }
          break;
        }
        case Type::string: {
          assert(buffer.strings != nullptr);
          if (first == 0) buffer.strings->assign(rows, std::nullopt);
          const std::string_view* x = frame.str(reg);
          for (std::size_t i = 0; i < n; ++i) {
            if (x[i].data() != nullptr) (*buffer.strings)[first + i] = std::string(x[i]);
          }
          break;
        }
      }
    }
  }
  if (rows == 0) {
    for (std::size_t o = 0; o < outputs.size(); ++o) {
      if (outputs[o].strings != nullptr) outputs[o].strings->clear();
    }
  }
}

std::vector<Value> CompiledProgram::evaluate_row(std::span<const Value> row,
                                                 std::vector<Value>* node_values) const {
  const auto& variables = checked.variables;
  if (row.size() != variables.size()) {
    input_error(source, "formula.eval.row_size",
                "expected " + std::to_string(variables.size()) +
                    " values (one per variable), got " + std::to_string(row.size()));
  }
  for (std::size_t slot = 0; slot < row.size(); ++slot) {
    const Type given = type_of(row[slot]);
    if (given != Type::null && given != variables[slot].type) {
      input_error(source, "formula.eval.type_mismatch",
                  "variable '" + variables[slot].name + "' is a " +
                      std::string(to_string(variables[slot].type)) + ", but the row gives a " +
                      std::string(to_string(given)));
    }
  }
  Frame frame(*this, 1);
  frame.bind_row(row);
  for (const Step& step : steps) frame.run_step(step, 1);
  std::vector<Value> results;
  for (std::uint32_t reg : output_register) results.push_back(frame.value_of(reg, 0));
  if (node_values != nullptr) {
    node_values->clear();
    for (std::uint32_t node : explain_order) {
      node_values->push_back(frame.value_of(node_register[node], 0));
    }
  }
  return results;
}

}  // namespace detail

Program::Program(std::shared_ptr<const CompiledProgram> compiled)
    : compiled_(std::move(compiled)) {}

Program Program::compile(std::string_view text, const CompileOptions& options) {
  auto program = std::make_shared<CompiledProgram>();
  program->source = std::string(text);
  std::vector<Diagnostic> diagnostics;
  detail::parse_sheet(program->source, options.limits, program->checked.tree, diagnostics);
  if (diagnostics.empty() && program->checked.tree.statements.empty()) {
    diagnostics.push_back(make_diagnostic(program->source, Severity::error, "formula.parse.empty",
                                          "the text holds no formula", {0, 0}));
  }
  if (!diagnostics.empty()) {
    throw FormulaError(std::move(diagnostics), program->source);
  }
  detail::check(program->source, options.schema, program->checked, diagnostics);
  if (!diagnostics.empty()) {
    std::stable_sort(
        diagnostics.begin(), diagnostics.end(),
        [](const Diagnostic& a, const Diagnostic& b) { return a.span.begin < b.span.begin; });
    throw FormulaError(std::move(diagnostics), program->source);
  }
  detail::compile(*program);
  return Program(std::move(program));
}

Program Program::compile_expression(std::string_view text, const CompileOptions& options) {
  Program program = compile(text, options);
  if (program.outputs().size() != 1) {
    const auto& statements = program.compiled_->checked.tree.statements;
    std::vector<Diagnostic> diagnostics{make_diagnostic(
        text, Severity::error, "formula.parse.not_single_expression",
        "a formula is one expression; use a sheet for several lines", statements[1].span)};
    throw FormulaError(std::move(diagnostics), std::string(text));
  }
  return program;
}

const std::string& Program::source() const noexcept { return compiled_->source; }
const std::vector<Variable>& Program::variables() const noexcept {
  return compiled_->checked.variables;
}
const std::vector<Output>& Program::outputs() const noexcept { return compiled_->checked.outputs; }
std::size_t Program::step_count() const noexcept { return compiled_->steps.size(); }

std::optional<std::size_t> Program::slot_of(std::string_view name) const noexcept {
  const auto& variables = compiled_->checked.variables;
  for (std::size_t i = 0; i < variables.size(); ++i) {
    if (variables[i].name == name) return i;
  }
  return std::nullopt;
}

std::vector<Value> Program::evaluate(std::span<const Value> row) const {
  return compiled_->evaluate_row(row, nullptr);
}

std::vector<Value> Program::evaluate(const std::map<std::string, Value, std::less<>>& row) const {
  std::vector<Value> values;
  for (const auto& variable : variables()) {
    const auto it = row.find(variable.name);
    if (it == row.end()) {
      std::vector<std::string> present;
      for (const auto& [name, value] : row) present.push_back(name);
      const std::string nearest = detail::nearest_name(variable.name, present);
      input_error(compiled_->source, "formula.eval.missing_variable",
                  "the row has no value for variable '" + variable.name + "'" +
                      (nearest.empty() ? std::string() : " — did you mean '" + nearest + "'?"));
    }
    values.push_back(it->second);
  }
  return evaluate(values);
}

void Program::evaluate_batch(std::span<const ColumnView> columns, std::size_t rows,
                             std::span<const OutputBuffer> outputs) const {
  compiled_->evaluate_batch(columns, rows, outputs);
}

std::vector<ExplainStep> Program::explain(std::span<const Value> row) const {
  std::vector<Value> values;
  compiled_->evaluate_row(row, &values);
  std::vector<ExplainStep> steps;
  const auto& order = compiled_->explain_order;
  for (std::size_t i = 0; i < order.size(); ++i) {
    const SourceSpan span = compiled_->checked.tree.nodes[order[i]].span;
    steps.push_back(ExplainStep{compiled_->source.substr(span.begin, span.end - span.begin),
                                std::move(values[i])});
  }
  return steps;
}

std::string Program::disassemble() const {
  std::string out;
  for (const auto& step : compiled_->steps) {
    out += "r" + std::to_string(step.dst) + " = op" + std::to_string(static_cast<int>(step.code));
    for (auto arg : step.args) out += " r" + std::to_string(arg);
    out += '\n';
  }
  return out;
}

}  // namespace arscore::formula
