// libFuzzer target: parse + check + compile any text, and run what compiles on a few rows
// (all nulls, and ones) in row, batch and explain mode. The only exceptions allowed out of
// arscore are FormulaError and arscore::Error; sanitizers catch the rest.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "arscore/formula.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace arscore::formula;
  const std::string text(reinterpret_cast<const char*>(data), size);
  CompileOptions options;
  options.limits.max_text_bytes = 4096;
  options.schema.types = {{"s", Type::string}, {"d", Type::date}, {"b", Type::boolean}};
  try {
    const Program program = Program::compile(text, options);
    const auto& variables = program.variables();
    std::vector<Value> nulls(variables.size());
    (void)program.evaluate(nulls);
    std::vector<Value> ones;
    std::vector<double> numbers{1.0, -2.5, std::numeric_limits<double>::quiet_NaN()};
    std::vector<std::int64_t> dates{20791, std::numeric_limits<std::int64_t>::min(), -719162};
    std::vector<std::uint8_t> bools{1, 0, 1}, valid{1, 1, 0};
    std::vector<std::int32_t> codes{0, -1, 1};
    std::vector<std::string> dictionary{"East", ""};
    std::vector<ColumnView> columns;
    for (const auto& v : variables) {
      switch (v.type) {
        case Type::string:
          ones.emplace_back(std::string("East"));
          columns.push_back(ColumnView::strings(codes, dictionary));
          break;
        case Type::date:
          ones.emplace_back(arscore::Date::from_serial(20791));
          columns.push_back(ColumnView::dates(dates));
          break;
        case Type::boolean:
          ones.emplace_back(true);
          columns.push_back(ColumnView::booleans(bools, valid));
          break;
        default:
          ones.emplace_back(1.0);
          columns.push_back(ColumnView::numbers(numbers));
      }
    }
    (void)program.explain(ones);
    const auto& outputs = program.outputs();
    std::vector<std::vector<double>> number_out(outputs.size(), std::vector<double>(3));
    std::vector<std::vector<std::int64_t>> date_out(outputs.size(), std::vector<std::int64_t>(3));
    std::vector<std::vector<std::uint8_t>> bool_out(outputs.size(), std::vector<std::uint8_t>(3));
    std::vector<std::vector<std::optional<std::string>>> string_out(outputs.size());
    std::vector<OutputBuffer> buffers(outputs.size());
    for (std::size_t o = 0; o < outputs.size(); ++o) {
      buffers[o].numbers = number_out[o].data();
      buffers[o].dates = date_out[o].data();
      buffers[o].booleans = bool_out[o].data();
      buffers[o].strings = &string_out[o];
    }
    program.evaluate_batch(columns, 3, buffers);
  } catch (const FormulaError&) {
  } catch (const arscore::Error&) {
  }
  return 0;
}
