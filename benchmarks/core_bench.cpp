// Core value types on the hot paths of ledger and formula work: parsing ISO dates from text
// columns, and serial <-> civil conversions (year/month/day of a date column).
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "arscore/core/date.hpp"

namespace {

std::vector<std::string> make_date_strings(std::size_t n) {
  std::vector<std::string> out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    out.push_back(
        arscore::Date::from_serial(static_cast<std::int64_t>(18000 + i % 4000)).to_string());
  }
  return out;
}

void date_parse(benchmark::State& state) {
  const auto strings = make_date_strings(4096);
  for (auto _ : state) {
    for (const auto& s : strings) {
      benchmark::DoNotOptimize(arscore::Date::parse(s));
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(strings.size()));
}
BENCHMARK(date_parse);

void date_add_months(benchmark::State& state) {
  std::vector<arscore::Date> dates;
  for (std::int64_t i = 0; i < 4096; ++i) {
    dates.push_back(arscore::Date::from_serial(18000 + i));
  }
  for (auto _ : state) {
    for (const auto d : dates) {
      benchmark::DoNotOptimize(d.add_months(1));
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(dates.size()));
}
BENCHMARK(date_add_months);

}  // namespace
