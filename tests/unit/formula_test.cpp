// arscore::formula: parsing, checking, evaluation (row and batch), explain, limits, and the
// golden diagnostic files under tests/data/formula.
#include "arscore/formula.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "test_support.hpp"

using namespace arscore::formula;
using arscore::Date;

using arscore::test::read_file;

namespace {

Value eval(std::string_view text, std::vector<Value> row = {}, const Schema& schema = {}) {
  CompileOptions options;
  options.schema = schema;
  const Program p = Program::compile_expression(text, options);
  row.resize(p.variables().size());
  return p.evaluate(row).at(0);
}

double num(std::string_view text, std::vector<Value> row = {}) {
  const Value v = eval(text, std::move(row));
  REQUIRE(std::holds_alternative<double>(v));
  return std::get<double>(v);
}

bool is_null(const Value& v) { return std::holds_alternative<std::monostate>(v); }

std::string first_code(std::string_view text, const Schema& schema = {}) {
  try {
    CompileOptions options;
    options.schema = schema;
    (void)Program::compile(text, options);
  } catch (const FormulaError& e) {
    return e.code();
  }
  return "ok";
}

}  // namespace

TEST_CASE("formula: literals, percent and arithmetic precedence") {
  CHECK(num("1 + 2 * 3") == 7);
  CHECK(num("(1 + 2) * 3") == 9);
  CHECK(num("70%") == 0.7);
  CHECK(num("12.5%") == 0.125);
  CHECK(num("0.1%") == 0.001);
  CHECK(num("1e6") == 1e6);
  CHECK(num("-2^2") == -4);    // unary minus binds looser than ^
  CHECK(num("2^3^2") == 512);  // ^ is right-associative
  CHECK(num("2^-1") == 0.5);
  CHECK(num("10 ÷ 4 × 2") == 5);
  CHECK(num("7 - 2 - 1") == 4);  // left-associative
  CHECK(num("（1 + 2）× 3") == 9);
  CHECK(num("max（1，5，3）") == 5);
  CHECK(num("1 + 2 # a comment") == 3);
}

TEST_CASE("formula: the seed performance rule, with its 80% gate") {
  const std::string rule =
      "业绩 = if 回款率 < 80% then 回款率 × 30% else 销售额 × 70% + 回款率 × 30%";
  const Program p = Program::compile(rule);
  REQUIRE(p.outputs().size() == 1);
  CHECK(p.outputs()[0].name == "业绩");
  REQUIRE(p.variables().size() == 2);
  CHECK(p.variables()[0].name == "回款率");
  CHECK(p.variables()[1].name == "销售额");
  CHECK(std::get<double>(p.evaluate(std::vector<Value>{0.9, 100.0})[0]) ==
        doctest::Approx(70.27).epsilon(1e-15));
  CHECK(std::get<double>(p.evaluate(std::vector<Value>{0.5, 100.0})[0]) == 0.5 * 0.3);
  CHECK(is_null(p.evaluate(std::vector<Value>{Value{}, 100.0})[0]));
}

TEST_CASE("formula: null rules") {
  CHECK(is_null(eval("x + 1", {Value{}})));
  CHECK(is_null(eval("1 / 0")));
  CHECK(is_null(eval("x > 1", {Value{}})));
  CHECK(std::get<bool>(eval("x > 1 or true", {Value{}})) == true);
  CHECK(std::get<bool>(eval("x > 1 and false", {Value{}})) == false);
  CHECK(is_null(eval("x > 1 and true", {Value{}})));
  CHECK(is_null(eval("not (x > 1)", {Value{}})));
  CHECK(num("if x > 1 then 1 else 2", {Value{}}) == 2);  // null takes the else branch
  CHECK(num("coalesce(x, y, 3)", {Value{}, Value{}}) == 3);
  CHECK(std::get<bool>(eval("is_null(x)", {Value{}})) == true);
  CHECK(is_null(eval("sqrt(-1)")));
  CHECK(is_null(eval("ln(0)")));
  CHECK(is_null(eval("10^400")));
  CHECK(is_null(eval("x in (1, 2)", {Value{}})));
  CHECK(is_null(eval("3 in (1, null)")));
  CHECK(std::get<bool>(eval("1 in (1, null)")) == true);
  CHECK(std::get<bool>(eval("3 not in (1, 2)")) == true);
}

TEST_CASE("formula: functions") {
  CHECK(num("round(2.675, 2)") == 2.68);
  CHECK(num("round(-0.5)") == -1);
  CHECK(num("round(0.5)") == 1);
  CHECK(num("round(1.005, 2)") == 1.01);
  CHECK(num("round(1234.5, -2)") == 1200);
  CHECK(num("round(-2.675, 2)") == -2.68);
  CHECK(num("floor(-1.5) + ceil(1.2)") == 0);
  CHECK(num("abs(-3)") == 3);
  CHECK(num("min(3, 1, 2) + max(3, 1, 2)") == 4);
  CHECK(num("pow(2, 10)") == 1024);
  CHECK(num("mod(-1, 3)") == 2);
  CHECK(is_null(eval("mod(1, 0)")));
  CHECK(num("clamp(15, 0, 10)") == 10);
  CHECK(num("clamp(-5, 0, 10)") == 0);
  CHECK(num("exp(0) + ln(1) + log10(100)") == 3);
  CHECK(num("tier(55, 0, 1, 50, 2, 80, 3)") == 2);
  CHECK(num("tier(80, 0, 1, 50, 2, 80, 3)") == 3);
  CHECK(is_null(eval("tier(-1, 0, 1, 50, 2)")));
  CHECK(std::get<std::string>(eval("tier(x, 0, \"low\", 60, \"mid\")", {70.0})) == "mid");
  CHECK(num("interp(5, 0, 0, 10, 100)") == 50);
  CHECK(num("interp(-5, 0, 0, 10, 100)") == 0);
  CHECK(num("interp(50, 0, 0, 10, 100)") == 100);
  CHECK(num("interp(15, 0, 0, 10, 100, 20, 120)") == 110);
  CHECK(num("interp(30, 0, 114, 30, 2.675, 100, 1.1%)") == 2.675);  // a breakpoint's own y
  CHECK(is_null(eval("x ^ 0", {Value{}})));
  CHECK(std::get<Date>(eval("date(\"2026-07-30\") - 0.1")).to_string() == "2026-07-30");
  CHECK(std::get<Date>(eval("date(\"2026-07-30\") - 1.5")).to_string() == "2026-07-29");
  CHECK(num("days_between(date(\"2026-01-01\"), date(\"2026-03-01\"))") == 59);
  CHECK(std::get<Date>(eval("add_months(date(\"2026-01-31\"), 1)")).to_string() == "2026-02-28");
  CHECK(std::get<Date>(eval("add_days(date(\"2026-12-31\"), 1)")).to_string() == "2027-01-01");
  CHECK(std::get<Date>(eval("end_of_month(date(\"2024-02-10\"))")).to_string() == "2024-02-29");
  CHECK(num("year(date(\"2026-12-04\")) * 10000 + month(date(\"2026-12-04\")) * 100 + "
            "day(date(\"2026-12-04\"))") == 20261204);
  CHECK(num("weekday(date(\"2026-12-04\"))") == 4);
  CHECK(std::get<Date>(eval("date(\"2026-12-04\") - 3")).to_string() == "2026-12-01");
  CHECK(num("date(\"2026-12-04\") - date(\"2026-12-01\")") == 3);
  CHECK(std::get<std::string>(eval("lower(\"EaSt\") ")) == "east");
  CHECK(std::get<std::string>(eval("upper('east')")) == "EAST");
  CHECK(num("len(\"回款率\")") == 3);
  CHECK(std::get<bool>(eval("contains(\"North East\", \"East\")")) == true);
  CHECK(std::get<bool>(eval("starts_with(\"North East\", \"East\")")) == false);
  CHECK(std::get<std::string>(eval("'it\\'s'")) == "it's");
}

TEST_CASE("formula: typed schema and type errors") {
  Schema schema;
  schema.types = {{"region", Type::string}, {"due", Type::date}, {"vip", Type::boolean}};
  CHECK(std::get<bool>(eval("region in (\"East\", \"West\") and vip", {std::string("East"), true},
                            schema)) == true);
  CHECK(first_code("region + 1", schema) == "formula.check.type_mismatch");
  CHECK(first_code("if 1 then 2 else 3") == "formula.check.type_mismatch");
  CHECK(first_code("if true then 1 else \"a\"") == "formula.check.type_mismatch");
  CHECK(first_code("round(1, 2, 3)") == "formula.check.arity");
  CHECK(first_code("x == null") == "formula.check.null_comparison");
  CHECK(first_code("tier(x, 50, 1, 10, 2)") == "formula.check.unordered_thresholds");
  CHECK(first_code("date(\"2026-13-01\")") == "formula.check.bad_date");
  CHECK(first_code("a = 1\na = 2") == "formula.check.duplicate_output");
  CHECK(first_code("a = b + 1\nb = 2") == "formula.check.used_before_definition");
  CHECK(first_code("a = a + 1") == "formula.check.used_before_definition");
  CHECK(first_code("a < b < c") == "formula.parse.chained_comparison");
  CHECK(first_code("[]") == "formula.parse.empty_name");
  CHECK(first_code("") == "formula.parse.empty");
  CHECK(first_code("x\xE2\x80\x8By") == "formula.parse.invisible_character");
  CHECK(first_code("a\xC2\xA0"
                   "b") == "formula.parse.invisible_character");
  CHECK(first_code("\xFF") == "formula.parse.invalid_utf8");
}

TEST_CASE("formula: unknown names suggest the nearest known one") {
  Schema schema = Schema::closed({{"回款率", Type::number}, {"销售额", Type::number}});
  try {
    (void)Program::compile("业绩 = 回款律 * 2", CompileOptions{schema, {}});
    FAIL("expected an error");
  } catch (const FormulaError& e) {
    REQUIRE(e.diagnostics().size() == 1);
    const auto& d = e.diagnostics()[0];
    CHECK(d.code == "formula.check.unknown_name");
    CHECK(d.message == "unknown variable '回款律' — did you mean '回款率'?");
    CHECK(d.position == arscore::SourcePosition{1, 6});
  }
  CHECK(first_code("mxa(1, 2)") == "formula.check.unknown_function");
}

TEST_CASE("formula: several independent errors are all reported") {
  try {
    (void)Program::compile("a = 1 +\nb = (2\nc = 3 *\nd = foo(1)");
    FAIL("expected an error");
  } catch (const FormulaError& e) {
    REQUIRE(e.diagnostics().size() == 3);
    CHECK(e.diagnostics()[0].code == "formula.parse.expected");
    CHECK(e.diagnostics()[0].position == arscore::SourcePosition{1, 8});
    CHECK(e.diagnostics()[1].position == arscore::SourcePosition{2, 7});
    CHECK(e.diagnostics()[2].position == arscore::SourcePosition{3, 8});
  }
  try {
    (void)Program::compile("a = (1\nb = 2 +\n\nc = )");
    FAIL("expected an error");
  } catch (const FormulaError& e) {
    CHECK(e.diagnostics().size() == 3);
  }
}

TEST_CASE("formula: limits are diagnostics, never a stack overflow") {
  const std::string deep = std::string(100000, '(') + "1" + std::string(100000, ')');
  CHECK(first_code(deep) == "formula.limit.depth");
  std::string minus(100000, '-');
  CHECK(first_code(minus + "1") == "formula.limit.depth");
  std::string nots;
  for (int i = 0; i < 50000; ++i) nots += "not ";
  CHECK(first_code(nots + "true") == "formula.limit.depth");
  std::string powers = "2";
  for (int i = 0; i < 50000; ++i) powers += "^2";
  CHECK(first_code(powers) == "formula.limit.depth");
  CompileOptions small;
  small.limits.max_text_bytes = 10;
  CHECK_THROWS_WITH_AS((void)Program::compile("1 + 2 + 3 + 4", small),
                       doctest::Contains("formula.limit.text_length"), FormulaError);
  small.limits = {};
  small.limits.max_nodes = 5;
  CHECK_THROWS_WITH_AS((void)Program::compile("1 + 2 + 3 + 4", small),
                       doctest::Contains("formula.limit.nodes"), FormulaError);
  std::string wide = "x0";
  for (int i = 1; i < 2000; ++i) wide += " + x" + std::to_string(i);
  const Program wide_program = Program::compile(wide);
  CHECK(wide_program.variables().size() == 2000);
  // Batch over a program with thousands of registers uses small blocks and stays correct.
  std::vector<std::vector<double>> data(2000, std::vector<double>(300));
  std::vector<ColumnView> columns;
  for (std::size_t i = 0; i < 2000; ++i) {
    for (std::size_t r = 0; r < 300; ++r) data[i][r] = static_cast<double>(i + r);
    columns.push_back(ColumnView::numbers(data[i]));
  }
  std::vector<double> out(300);
  OutputBuffer buffer;
  buffer.numbers = out.data();
  wide_program.evaluate_batch(columns, 300, {&buffer, 1});
  CHECK(out[0] == 1999.0 * 2000.0 / 2.0);
  CHECK(out[299] == 1999.0 * 2000.0 / 2.0 + 299.0 * 2000.0);
}

TEST_CASE("formula: rows by name") {
  const Program p = Program::compile("回款率 * 销售额");
  CHECK(std::get<double>(
            p.evaluate({{"销售额", Value{10.0}}, {"回款率", Value{0.5}}, {"x", Value{}}})[0]) == 5);
  CHECK_THROWS_WITH_AS((void)p.evaluate({{"销售额", Value{10.0}}, {"回款律", Value{0.5}}}),
                       doctest::Contains("the row has no value for variable '回款率' — did you "
                                         "mean '回款律'?"),
                       FormulaError);
}

TEST_CASE("formula: sheets evaluate every output, later lines using earlier ones") {
  const Program p = Program::compile(
      "base = sales * 70%; rate_part = rate * 30%\n"
      "total = base +\n  rate_part\n"
      "flag = total > 50");
  REQUIRE(p.outputs().size() == 4);
  CHECK(p.outputs()[3].type == Type::boolean);
  const auto out = p.evaluate(std::vector<Value>{100.0, 0.5});
  CHECK(std::get<double>(out[0]) == 70);
  CHECK(std::get<double>(out[2]) == 70.15);
  CHECK(std::get<bool>(out[3]) == true);
  // A comment ending in an operator does not continue the line; a '#' inside a string is text.
  const Program commented =
      Program::compile("a = 1 # plus +\nb = a + 1\nc = starts_with(\"#a\", \"#\") and\n  true");
  REQUIRE(commented.outputs().size() == 3);
  const auto values = commented.evaluate(std::vector<Value>{});
  CHECK(std::get<double>(values[1]) == 2);
  CHECK(std::get<bool>(values[2]) == true);
}

TEST_CASE("formula: constants are folded") {
  CHECK(Program::compile("x * (70% + 2 * 3)").step_count() == 1);
  CHECK(Program::compile("1 + 2 + 3").step_count() == 0);
}

TEST_CASE("formula: explain lists every sub-expression in evaluation order") {
  const Program p = Program::compile("if rate < 80% then rate × 30% else sales");
  const auto steps = p.explain(std::vector<Value>{0.5, 10.0});
  std::vector<std::string> lines;
  for (const auto& s : steps) lines.push_back(s.text + " = " + to_display(s.value));
  CHECK(lines == std::vector<std::string>{"rate = 0.5", "80% = 0.8", "rate < 80% = true",
                                          "rate = 0.5", "30% = 0.3", "rate × 30% = 0.15",
                                          "sales = 10",
                                          "if rate < 80% then rate × 30% else sales = 0.15"});
}

TEST_CASE("formula: batch evaluation equals row evaluation, nulls and types included") {
  Schema schema;
  schema.types = {{"region", Type::string}, {"due", Type::date}, {"vip", Type::boolean}};
  const Program p = Program::compile(
      "a = if region == \"East\" and vip then sales * 70% else coalesce(rate, 0)\n"
      "b = days_between(due, date(\"2026-12-04\"))\n"
      "c = tier(sales, 0, \"low\", 100, \"high\")\n"
      "d = add_days(due, 30)\n"
      "e = is_null(rate) or vip",
      CompileOptions{schema, {}});
  const std::size_t rows = 3000;  // spans several blocks
  std::mt19937 rng(7);
  std::vector<double> sales(rows), rate(rows);
  std::vector<std::int32_t> region(rows);
  std::vector<std::int64_t> due(rows);
  std::vector<std::uint8_t> vip(rows), vip_valid(rows);
  const std::vector<std::string> dictionary{"East", "West", "North"};
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (std::size_t i = 0; i < rows; ++i) {
    sales[i] = (rng() % 10 == 0) ? nan : static_cast<double>(rng() % 20000) / 100.0;
    rate[i] = (rng() % 7 == 0) ? nan : static_cast<double>(rng() % 100) / 100.0;
    region[i] = static_cast<std::int32_t>(rng() % 4) - 1;
    due[i] = (rng() % 9 == 0) ? std::numeric_limits<std::int64_t>::min()
                              : 20700 + static_cast<std::int64_t>(rng() % 200);
    vip[i] = static_cast<std::uint8_t>(rng() % 2);
    vip_valid[i] = static_cast<std::uint8_t>(rng() % 5 != 0);
  }
  std::vector<ColumnView> columns;
  for (const auto& v : p.variables()) {
    if (v.name == "region") columns.push_back(ColumnView::strings(region, dictionary));
    if (v.name == "vip") columns.push_back(ColumnView::booleans(vip, vip_valid));
    if (v.name == "sales") columns.push_back(ColumnView::numbers(sales));
    if (v.name == "rate") columns.push_back(ColumnView::numbers(rate));
    if (v.name == "due") columns.push_back(ColumnView::dates(due));
  }
  REQUIRE(columns.size() == 5);
  std::vector<double> a(rows), b(rows);
  std::vector<std::optional<std::string>> c;
  std::vector<std::int64_t> d(rows);
  std::vector<std::uint8_t> e(rows), e_null(rows);
  std::vector<OutputBuffer> outputs(5);
  outputs[0].numbers = a.data();
  outputs[1].numbers = b.data();
  outputs[2].strings = &c;
  outputs[3].dates = d.data();
  outputs[4].booleans = e.data();
  outputs[4].null_mask = e_null.data();
  p.evaluate_batch(columns, rows, outputs);
  for (std::size_t i = 0; i < rows; ++i) {
    std::vector<Value> row;
    for (const auto& v : p.variables()) {
      if (v.name == "region")
        row.push_back(region[i] < 0 ? Value{}
                                    : Value{dictionary[static_cast<std::size_t>(region[i])]});
      if (v.name == "vip") row.push_back(vip_valid[i] ? Value{vip[i] != 0} : Value{});
      if (v.name == "sales") row.push_back(std::isnan(sales[i]) ? Value{} : Value{sales[i]});
      if (v.name == "rate") row.push_back(std::isnan(rate[i]) ? Value{} : Value{rate[i]});
      if (v.name == "due")
        row.push_back(due[i] == std::numeric_limits<std::int64_t>::min()
                          ? Value{}
                          : Value{Date::from_serial(due[i])});
    }
    const auto expected = p.evaluate(row);
    const auto same_number = [](const Value& v, double x) {
      return is_null(v) ? std::isnan(x) : std::get<double>(v) == x;
    };
    REQUIRE(same_number(expected[0], a[i]));
    REQUIRE(same_number(expected[1], b[i]));
    REQUIRE(
        (is_null(expected[2]) ? !c[i].has_value() : c[i] == std::get<std::string>(expected[2])));
    REQUIRE((is_null(expected[3]) ? d[i] == std::numeric_limits<std::int64_t>::min()
                                  : d[i] == std::get<Date>(expected[3]).serial()));
    REQUIRE((is_null(expected[4])
                 ? e_null[i] == 1
                 : (e_null[i] == 0 && (e[i] == 1) == std::get<bool>(expected[4]))));
  }
}

TEST_CASE("formula: batch input errors name the column") {
  const Program p = Program::compile("x + y");
  std::vector<double> x{1, 2};
  std::vector<std::int64_t> y{1, 2};
  std::vector<double> out(2);
  std::vector<OutputBuffer> outputs(1);
  outputs[0].numbers = out.data();
  std::vector<ColumnView> columns{ColumnView::numbers(x), ColumnView::dates(y)};
  CHECK_THROWS_WITH_AS(
      p.evaluate_batch(columns, 2, outputs),
      doctest::Contains("column 'y' holds date values, but the formula uses it as a number"),
      FormulaError);
  columns[1] = ColumnView::numbers(x);
  CHECK_THROWS_WITH_AS(p.evaluate_batch(columns, 3, outputs),
                       doctest::Contains("column 'x' has 2 rows, fewer than the 3 asked for"),
                       FormulaError);
  CHECK_THROWS_WITH_AS((void)p.evaluate(std::vector<Value>{1.0, std::string("a")}),
                       doctest::Contains("variable 'y' is a number, but the row gives a string"),
                       FormulaError);
}

TEST_CASE("formula: golden diagnostics (tests/data/formula/*.input)") {
  const std::filesystem::path dir = std::filesystem::path(ARSCORE_TEST_DATA_DIR) / "formula";
  int checked = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".input") continue;
    const std::string input = read_file(entry.path());
    auto expect_path = entry.path();
    expect_path.replace_extension(".expect");
    std::string actual;
    try {
      const Program p = Program::compile(input);
      std::vector<Value> row(p.variables().size(), Value{1.0});
      for (const auto& step : p.explain(row))
        actual += step.text + " = " + to_display(step.value) + "\n";
    } catch (const FormulaError& e) {
      actual = render(e.diagnostics(), e.source());
    }
    INFO(entry.path().filename().string());
    CHECK(actual == read_file(expect_path));
    ++checked;
  }
  CHECK(checked >= 8);
}
