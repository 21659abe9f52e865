// The formula language against the limit (a hand-written C++ loop) and a peer (muparser, per
// row and in its bulk mode), over 10 million rows, for four formulas; plus compile time.
// Run: build/release/benchmarks/arscore_bench_formula
#include <benchmark/benchmark.h>
#include <muParser.h>

#include <cmath>
#include <limits>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "arscore/formula.hpp"

namespace {

using namespace arscore::formula;

constexpr std::size_t rows = 10'000'000;
constexpr double as_of = 20791;  // 2026-12-04

struct Data {
  std::vector<double> sales, rate, due_serial;
  std::vector<std::int64_t> due;
  Data() : sales(rows), rate(rows), due_serial(rows), due(rows) {
    std::mt19937_64 rng(42);
    std::uniform_real_distribution<double> money(0, 20000), unit(0, 1);
    for (std::size_t i = 0; i < rows; ++i) {
      sales[i] = money(rng);
      rate[i] = unit(rng);
      due[i] = 20700 + static_cast<std::int64_t>(rng() % 120);
      due_serial[i] = static_cast<double>(due[i]);
    }
  }
};

const Data& data() {
  static const Data d;
  return d;
}

struct Case {
  const char* arscore;
  const char* muparser;
};

// The four formulas of the issue, as arscore and as muparser spell them.
const Case cases[] = {
    {"sales*70% + rate*30%", "sales*0.7 + rate*0.3"},
    {"if rate < 80% then rate × 30% else sales × 70% + rate × 30%",
     "rate < 0.8 ? rate*0.3 : sales*0.7 + rate*0.3"},
    {"tier(sales, 0, 0.01, 5000, 0.02, 10000, 0.03, 15000, 0.05)",
     "sales >= 15000 ? 0.05 : (sales >= 10000 ? 0.03 : (sales >= 5000 ? 0.02 : (sales >= 0 ? 0.01 "
     ": 0)))"},
    {"if days_between(due, date(\"2026-12-04\")) > 30 then 1 else 0", "(asof - due) > 30 ? 1 : 0"},
};
const char* const names[] = {"linear", "gated", "tier4", "date_if"};

Program compile_case(std::int64_t which) {
  Schema schema;
  schema.types = {{"due", Type::date}};
  return Program::compile_expression(cases[which].arscore, CompileOptions{schema, {}});
}

std::vector<ColumnView> columns_for(const Program& p) {
  const auto& d = data();
  std::vector<ColumnView> columns;
  for (const auto& v : p.variables()) {
    if (v.name == "sales") columns.push_back(ColumnView::numbers(d.sales));
    if (v.name == "rate") columns.push_back(ColumnView::numbers(d.rate));
    if (v.name == "due") columns.push_back(ColumnView::dates(d.due));
  }
  return columns;
}

void arscore_batch(benchmark::State& state) {
  const Program p = compile_case(state.range(0));
  const std::vector<ColumnView> columns = columns_for(p);
  std::vector<double> out(rows);
  std::vector<OutputBuffer> outputs(1);
  outputs[0].numbers = out.data();
  for (auto _ : state) {
    p.evaluate_batch(columns, rows, outputs);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  state.SetLabel(names[state.range(0)]);
  state.counters["ns_per_row"] =
      benchmark::Counter(static_cast<double>(rows), benchmark::Counter::kIsIterationInvariantRate |
                                                        benchmark::Counter::kInvert);
}

// As arscore_batch, but every call writes a newly allocated output column (what a caller
// that keeps each result, like the Python binding, pays: the page faults of fresh memory).
void arscore_batch_fresh_output(benchmark::State& state) {
  const Program p = compile_case(state.range(0));
  const std::vector<ColumnView> columns = columns_for(p);
  for (auto _ : state) {
    std::unique_ptr<double[]> out(new double[rows]);
    std::vector<OutputBuffer> outputs(1);
    outputs[0].numbers = out.get();
    p.evaluate_batch(columns, rows, outputs);
    benchmark::DoNotOptimize(out.get());
    benchmark::ClobberMemory();
  }
  state.SetLabel(names[state.range(0)]);
  state.counters["ns_per_row"] =
      benchmark::Counter(static_cast<double>(rows), benchmark::Counter::kIsIterationInvariantRate |
                                                        benchmark::Counter::kInvert);
}

void hand_loop(benchmark::State& state) {
  const auto& d = data();
  std::vector<double> out(rows);
  const auto which = state.range(0);
  for (auto _ : state) {
    const double* s = d.sales.data();
    const double* r = d.rate.data();
    const std::int64_t* due = d.due.data();
    double* o = out.data();
    switch (which) {
      case 0:
        for (std::size_t i = 0; i < rows; ++i) o[i] = s[i] * 0.7 + r[i] * 0.3;
        break;
      case 1:
        for (std::size_t i = 0; i < rows; ++i)
          o[i] = r[i] < 0.8 ? r[i] * 0.3 : s[i] * 0.7 + r[i] * 0.3;
        break;
      case 2:
        for (std::size_t i = 0; i < rows; ++i) {  // branch-free, as a tuned loop would be
          const double x = s[i];
          double t = std::numeric_limits<double>::quiet_NaN();
          t = x >= 0 ? 0.01 : t;
          t = x >= 5000 ? 0.02 : t;
          t = x >= 10000 ? 0.03 : t;
          t = x >= 15000 ? 0.05 : t;
          o[i] = t;
        }
        break;
      default:
        for (std::size_t i = 0; i < rows; ++i)
          o[i] = (as_of - static_cast<double>(due[i])) > 30 ? 1 : 0;
    }
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  state.SetLabel(names[which]);
  state.counters["ns_per_row"] =
      benchmark::Counter(static_cast<double>(rows), benchmark::Counter::kIsIterationInvariantRate |
                                                        benchmark::Counter::kInvert);
}

void muparser_per_row(benchmark::State& state) {
  const auto& d = data();
  const Case& c = cases[state.range(0)];
  double sales = 0, rate = 0, due = 0, asof = as_of;
  mu::Parser parser;
  parser.DefineVar("sales", &sales);
  parser.DefineVar("rate", &rate);
  parser.DefineVar("due", &due);
  parser.DefineVar("asof", &asof);
  parser.SetExpr(c.muparser);
  std::vector<double> out(rows);
  for (auto _ : state) {
    for (std::size_t i = 0; i < rows; ++i) {
      sales = d.sales[i];
      rate = d.rate[i];
      due = d.due_serial[i];
      out[i] = parser.Eval();
    }
    benchmark::DoNotOptimize(out.data());
  }
  state.SetLabel(names[state.range(0)]);
  state.counters["ns_per_row"] =
      benchmark::Counter(static_cast<double>(rows), benchmark::Counter::kIsIterationInvariantRate |
                                                        benchmark::Counter::kInvert);
}

void muparser_bulk(benchmark::State& state) {
  const auto& d = data();
  const Case& c = cases[state.range(0)];
  std::vector<double> sales = d.sales, rate = d.rate, due = d.due_serial, asof(rows, as_of);
  mu::Parser parser;
  parser.DefineVar("sales", sales.data());
  parser.DefineVar("rate", rate.data());
  parser.DefineVar("due", due.data());
  parser.DefineVar("asof", asof.data());
  parser.SetExpr(c.muparser);
  std::vector<double> out(rows);
  for (auto _ : state) {
    parser.Eval(out.data(), static_cast<int>(rows));
    benchmark::DoNotOptimize(out.data());
  }
  state.SetLabel(names[state.range(0)]);
  state.counters["ns_per_row"] =
      benchmark::Counter(static_cast<double>(rows), benchmark::Counter::kIsIterationInvariantRate |
                                                        benchmark::Counter::kInvert);
}

// A 200-character rule: parse + check + compile.
void compile_200_chars(benchmark::State& state) {
  const std::string text =
      "业绩 = if 回款率 < 80% then 回款率 × 30% else 销售额 × 70% + 回款率 × 30% + "
      "tier(销售额, 0, 0, 5000, 100, 10000, 300) + max(0, min(回款率, 1)) * 50 - "
      "abs(目标 - 销售额) / 1000 + round(回款 / 应收, 2) * 10 + clamp(逾期天数, 0, 90) / 9";
  state.counters["chars"] = static_cast<double>(arscore::count_code_points(text));
  for (auto _ : state) {
    benchmark::DoNotOptimize(Program::compile(text));
  }
}

}  // namespace

BENCHMARK(hand_loop)->DenseRange(0, 3)->Unit(benchmark::kMillisecond);
BENCHMARK(arscore_batch)->DenseRange(0, 3)->Unit(benchmark::kMillisecond);
BENCHMARK(arscore_batch_fresh_output)->DenseRange(0, 3)->Unit(benchmark::kMillisecond);
BENCHMARK(muparser_bulk)->DenseRange(0, 3)->Unit(benchmark::kMillisecond);
BENCHMARK(muparser_per_row)->DenseRange(0, 3)->Unit(benchmark::kMillisecond)->Iterations(2);
BENCHMARK(compile_200_chars)->Unit(benchmark::kMicrosecond);
