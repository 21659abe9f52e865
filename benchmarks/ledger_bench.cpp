// arscore::ledger on a generated ledger (fixed seed): building it (validation, settlement) and
// the point-in-time queries, plus the calendar's business-day count.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>
#include <vector>

#include "arscore/ledger.hpp"

namespace {

using arscore::Date;
using namespace arscore::ledger;

struct Generated {
  std::vector<std::int64_t> invoice_id, customer_id, salesperson_id, paid_invoice;
  std::vector<Date> issue, due, paid;
  std::vector<double> amount, paid_amount;

  explicit Generated(std::size_t n) {
    std::mt19937_64 rng(20261204);
    const auto pick = [&](std::int64_t lo, std::int64_t hi) {
      return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
    };
    const Date start = Date::parse("2024-01-01");
    const std::int64_t terms[] = {0, 15, 30, 45, 60};
    const auto n_customers = static_cast<std::int64_t>(n / 20);
    for (std::size_t i = 0; i < n; ++i) {
      invoice_id.push_back(static_cast<std::int64_t>(i) + 1000000);
      customer_id.push_back(pick(0, n_customers - 1));
      salesperson_id.push_back(pick(0, static_cast<std::int64_t>(n / 200)));
      issue.push_back(start.add_days(pick(0, 729)));
      due.push_back(issue.back().add_days(terms[pick(0, 4)]));
      const std::int64_t cents = pick(100, 5000000);
      amount.push_back(static_cast<double>(cents) / 100.0);
      // 1.2 payments per invoice: most pay in full around the due date, some in two parts.
      const std::int64_t kind = pick(0, 9);
      if (kind < 2) {
        continue;
      }
      const Date when = std::max(issue.back(), due.back().add_days(pick(-20, 60)));
      if (kind < 6) {
        paid_invoice.push_back(invoice_id.back());
        paid.push_back(when);
        paid_amount.push_back(amount.back());
      } else {
        const std::int64_t part = cents * pick(30, 70) / 100;
        paid_invoice.insert(paid_invoice.end(), {invoice_id.back(), invoice_id.back()});
        paid.insert(paid.end(), {when, when.add_days(pick(1, 90))});
        paid_amount.insert(paid_amount.end(), {static_cast<double>(part) / 100.0,
                                               static_cast<double>(cents - part) / 100.0});
      }
    }
  }

  [[nodiscard]] Ledger build() const {
    const InvoiceColumns inv{
        .invoice_id = invoice_id,
        .customer_id = customer_id,
        .salesperson_id = salesperson_id,
        .issue_date = issue,
        .due_date = due,
        .amount = amount,
    };
    return Ledger(inv, PaymentColumns{paid_invoice, paid, paid_amount}, nullptr, nullptr);
  }
};

const Generated& generated(std::size_t n) {
  static const Generated small(100000);
  static const Generated large(1000000);
  return n == 100000 ? small : large;
}

const Ledger& built(std::size_t n) {
  static const Ledger small = generated(100000).build();
  static const Ledger large = generated(1000000).build();
  return n == 100000 ? small : large;
}

const Date as_of = Date::parse("2025-06-30");

void ledger_build(benchmark::State& state) {
  const Generated& g = generated(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    benchmark::DoNotOptimize(g.build());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

void ledger_aging(benchmark::State& state) {
  const Ledger& ledger = built(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    benchmark::DoNotOptimize(ledger.aging(as_of));
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

void ledger_open_items(benchmark::State& state) {
  const Ledger& ledger = built(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    benchmark::DoNotOptimize(ledger.open_items(as_of));
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

void ledger_collection_rates(benchmark::State& state) {
  const Ledger& ledger = built(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    benchmark::DoNotOptimize(ledger.collection_rates(as_of, GroupBy::salesperson));
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

void ledger_customer_features(benchmark::State& state) {
  const Ledger& ledger = built(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    benchmark::DoNotOptimize(ledger.customer_features(as_of));
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

void calendar_business_days_between(benchmark::State& state) {
  std::vector<Date> holidays;
  for (int k = 0; k < 200; ++k) {
    holidays.push_back(Date::parse("2020-01-01").add_days(k * 17));
  }
  const Calendar calendar(std::vector<int>{5, 6}, holidays, {});
  std::mt19937_64 rng(5);
  std::vector<Date> a;
  std::vector<Date> b;
  for (int k = 0; k < 4096; ++k) {
    a.push_back(Date::parse("2020-01-01").add_days(static_cast<std::int64_t>(rng() % 3000)));
    b.push_back(Date::parse("2020-01-01").add_days(static_cast<std::int64_t>(rng() % 3000)));
  }
  for (auto _ : state) {
    for (std::size_t k = 0; k < a.size(); ++k) {
      benchmark::DoNotOptimize(calendar.business_days_between(a[k], b[k]));
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(a.size()));
}

}  // namespace

BENCHMARK(ledger_build)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond);
BENCHMARK(ledger_open_items)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond);
BENCHMARK(ledger_aging)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond);
BENCHMARK(ledger_collection_rates)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond);
BENCHMARK(ledger_customer_features)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond);
BENCHMARK(calendar_business_days_between);
