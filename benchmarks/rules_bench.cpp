// arscore::rules on 1,000,000 generated open invoices (fixed seed): one engine run of a
// 5-level policy with one formula condition, against a hand-written C++ loop that applies the
// same ladder and builds the same actions (the limit), from a fresh state and from the state of
// the day before (the steady morning run: few actions).
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "arscore/rules.hpp"

namespace {

using arscore::Date;
using namespace arscore::rules;
namespace ledger = arscore::ledger;

constexpr const char* policy_text = R"({"id": "bench", "version": 1,
  "levels": [
    {"id": "L1", "days_overdue": 7, "actions": [{"channel": "email", "to": ["customer", "salesperson"], "template": "reminder"}]},
    {"id": "L2", "days_overdue": 10, "actions": [{"channel": "sms", "to": ["customer"], "template": "sms"}]},
    {"id": "L3", "days_overdue": 30, "min_amount": 100, "actions": [{"channel": "letter", "to": ["customer"], "template": "letter"}]},
    {"id": "L4", "days_overdue": 60, "when": "balance >= 10000 or late_streak >= 3", "actions": [{"channel": "notify", "to": ["salesperson", "finance"], "template": "n60"}]},
    {"id": "L5", "days_overdue": 90, "actions": [{"channel": "legal", "to": ["legal"], "template": "legal"}]}]})";

// The same ladder with a condition on every level (each reads a customer feature or the
// balance): the per-invoice formula evaluation at its heaviest.
constexpr const char* conditions_text = R"({"id": "bench", "version": 1,
  "levels": [
    {"id": "L1", "days_overdue": 7, "when": "balance >= 1 or late_streak >= 9", "actions": [{"channel": "email", "to": ["customer", "salesperson"], "template": "reminder"}]},
    {"id": "L2", "days_overdue": 10, "when": "days_overdue < 1000 and balance > 0", "actions": [{"channel": "sms", "to": ["customer"], "template": "sms"}]},
    {"id": "L3", "days_overdue": 30, "min_amount": 100, "when": "late_streak >= 0", "actions": [{"channel": "letter", "to": ["customer"], "template": "letter"}]},
    {"id": "L4", "days_overdue": 60, "when": "balance >= 10000 or late_streak >= 3", "actions": [{"channel": "notify", "to": ["salesperson", "finance"], "template": "n60"}]},
    {"id": "L5", "days_overdue": 90, "when": "status == \"open\"", "actions": [{"channel": "legal", "to": ["legal"], "template": "legal"}]}]})";

const Date as_of = Date::parse("2026-12-02");

// n open invoices at `day`, due between 150 days before and 30 days after as_of.
LedgerFacts generate(std::size_t n, Date day) {
  std::mt19937_64 rng(20261204);
  const auto pick = [&](std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
  };
  LedgerFacts facts;
  facts.currency = "CNY";
  const auto n_customers = static_cast<std::int64_t>(n / 20);
  for (std::size_t i = 0; i < n; ++i) {
    const std::int64_t days = pick(-30, 150);
    ledger::OpenItem item{};
    item.row = i;
    item.invoice_id = static_cast<std::int64_t>(i) + 1000000;
    item.customer_id = pick(0, n_customers - 1);
    item.salesperson_id = pick(0, 500);
    item.due_date = as_of.add_days(-days);
    item.balance = pick(100, 5000000);
    item.days_past_due = std::max<std::int64_t>(0, item.due_date.days_until(day));
    item.business_days_past_due = item.days_past_due * 5 / 7;
    item.status = ledger::InvoiceStatus::open;
    item.issue_date = item.due_date.add_days(-30);
    item.amount = item.balance;
    item.currency = 0;
    facts.open_items.push_back(item);
  }
  for (std::int64_t c = 0; c < n_customers; ++c) {
    ledger::CustomerFeatures f{};
    f.customer_id = c;
    f.late_streak = pick(0, 5);
    facts.features.push_back(f);
  }
  return facts;
}

const LedgerFacts& facts() {
  static const LedgerFacts generated = generate(1000000, as_of);
  return generated;
}

// The same invoices the day before.
const LedgerFacts& facts_yesterday() {
  static const LedgerFacts generated = generate(1000000, as_of.add_days(-1));
  return generated;
}

// The same ladder, written by hand: the limit the engine is measured against.
RunResult hand_loop(const LedgerFacts& f, Date day, const EscalationState& state) {
  static const std::int64_t thresholds[] = {7, 10, 30, 60, 90};
  static const char* ids[] = {"L1", "L2", "L3", "L4", "L5"};
  static const Channel channels[] = {Channel::email, Channel::sms, Channel::letter, Channel::notify,
                                     Channel::legal};
  static const std::vector<Recipient> to[] = {{Recipient::customer, Recipient::salesperson},
                                              {Recipient::customer},
                                              {Recipient::customer},
                                              {Recipient::salesperson, Recipient::finance},
                                              {Recipient::legal}};
  static const char* templates[] = {"reminder", "sms", "letter", "n60", "legal"};
  RunResult out;
  out.state.last_run = day;
  out.state.policy_id = "bench";
  out.state.policy_version = 1;
  std::vector<std::pair<std::int64_t, InvoiceProgress>> progress;
  std::vector<std::pair<std::int64_t, Date>> last_action(state.last_action.begin(),
                                                         state.last_action.end());
  std::size_t hint = 0;
  for (const ledger::OpenItem& item : f.open_items) {
    int previous = -1;
    const InvoiceProgress* was = state.invoices.find_from(hint, item.invoice_id);
    if (was != nullptr) {
      previous = was->level[1] - '1';
    }
    const double balance = ledger::to_major(item.balance, 2);
    int target = -1;
    for (int j = 4; j > previous; --j) {
      const auto k = static_cast<std::size_t>(j);
      if (item.days_past_due < thresholds[k] || (j == 2 && balance < 100)) {
        continue;
      }
      if (j == 3 && balance < 10000) {  // the streak only when the balance does not decide
        const auto fit = std::lower_bound(f.features.begin(), f.features.end(), item.customer_id,
                                          [](const ledger::CustomerFeatures& c, std::int64_t key) {
                                            return c.customer_id < key;
                                          });
        if (fit->late_streak < 3) {
          continue;
        }
      }
      target = j;
      break;
    }
    if (target < 0) {
      if (was != nullptr) {
        progress.emplace_back(item.invoice_id, *was);
      }
      continue;
    }
    const auto k = static_cast<std::size_t>(target);
    Action a;
    a.as_of = day;
    a.policy_id = "bench";
    a.policy_version = 1;
    a.rule = ids[k];
    a.customer_id = item.customer_id;
    a.salesperson_id = item.salesperson_id;
    a.invoice_ids = {item.invoice_id};
    a.channel = channels[k];
    a.recipients.assign(to[k].begin(), to[k].end());
    a.template_name = templates[k];
    a.amount = balance;
    a.days_overdue = item.days_past_due;
    fmt::format_to(std::back_inserter(a.reason), "{}: {} days overdue ≥ {}; balance {:.2f} CNY",
                   a.rule, item.days_past_due, thresholds[k], balance);
    a.action_id = action_id(a, 0);
    progress.emplace_back(item.invoice_id, InvoiceProgress{a.rule, day});
    last_action.emplace_back(item.customer_id, day);
    out.actions.push_back(std::move(a));
  }
  out.state.invoices = arscore::SortedMap<std::int64_t, InvoiceProgress>(std::move(progress));
  out.state.last_action = arscore::SortedMap<std::int64_t, Date>(std::move(last_action));
  return out;
}

// Times `run` (a RunResult per call) over the generated invoices.
template <typename Run>
void measure(benchmark::State& s, const Run& run) {
  std::size_t actions = 0;
  for (auto _ : s) {
    RunResult r = run();
    actions = r.actions.size();
    benchmark::DoNotOptimize(r);
  }
  s.counters["actions"] = static_cast<double>(actions);
  s.SetItemsProcessed(s.iterations() * static_cast<std::int64_t>(facts().open_items.size()));
}

void rules_run_fresh(benchmark::State& s) {
  const EscalationEngine engine(EscalationPolicy::from_json(policy_text));
  measure(s, [&] { return engine.run(facts(), as_of, {}); });
}

// Every level with a condition (each condition holds where the plain ladder's level applies,
// so the actions are the same as rules_run_fresh's).
void rules_run_fresh_conditions(benchmark::State& s) {
  const EscalationEngine engine(EscalationPolicy::from_json(conditions_text));
  measure(s, [&] { return engine.run(facts(), as_of, {}); });
}

void hand_loop_fresh(benchmark::State& s) {
  measure(s, [&] { return hand_loop(facts(), as_of, {}); });
}

// The next morning: the state of yesterday's run, few new actions.
void rules_run_next_day(benchmark::State& s) {
  const EscalationEngine engine(EscalationPolicy::from_json(policy_text));
  const EscalationState yesterday = engine.run(facts_yesterday(), as_of.add_days(-1), {}).state;
  measure(s, [&] { return engine.run(facts(), as_of, yesterday); });
}

void hand_loop_next_day(benchmark::State& s) {
  const EscalationState yesterday = hand_loop(facts_yesterday(), as_of.add_days(-1), {}).state;
  measure(s, [&] { return hand_loop(facts(), as_of, yesterday); });
}

}  // namespace

BENCHMARK(rules_run_fresh)->Unit(benchmark::kMillisecond)->MinTime(1.0);
BENCHMARK(rules_run_fresh_conditions)->Unit(benchmark::kMillisecond)->MinTime(1.0);
BENCHMARK(hand_loop_fresh)->Unit(benchmark::kMillisecond)->MinTime(1.0);
BENCHMARK(rules_run_next_day)->Unit(benchmark::kMillisecond)->MinTime(1.0);
BENCHMARK(hand_loop_next_day)->Unit(benchmark::kMillisecond)->MinTime(1.0);
