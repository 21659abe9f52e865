// libFuzzer target: any text as an escalation policy and as an escalation state. A policy
// that loads runs over a small fixed ledger on two days (state carried forward) and checks a
// contract; a state that loads must survive to_json → from_json unchanged. The only
// exceptions allowed out of arscore are arscore::Error (PolicyError and FormulaError are
// ones); sanitizers catch the rest.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "arscore/rules.hpp"

namespace {

using arscore::Date;
namespace ledger = arscore::ledger;
namespace rules = arscore::rules;

// Three customers, two salespeople, invoices late by various amounts, one part paid, one
// disputed, one on hold.
const ledger::Ledger& sample() {
  static const std::vector<std::int64_t> ids{1, 2, 3, 4, 5, 6};
  static const std::vector<std::int64_t> customers{1, 1, 2, 2, 3, 3};
  static const std::vector<std::int64_t> salespeople{10, 10, 11, 11, 10, 11};
  static const std::vector<Date> due{Date::parse("2026-08-01"), Date::parse("2026-10-20"),
                                     Date::parse("2026-11-25"), Date::parse("2026-09-10"),
                                     Date::parse("2026-11-01"), Date::parse("2026-12-10")};
  static const std::vector<Date> issue = [] {
    std::vector<Date> out;
    for (const Date d : due) {
      out.push_back(d.add_days(-30));
    }
    return out;
  }();
  static const std::vector<double> amounts{12000, 50, 800, 20000, 300, 99.5};
  static const std::vector<std::int32_t> status{0, 0, 1, 0, 2, 0};
  static const std::vector<std::optional<Date>> hold{
      std::nullopt, std::nullopt, std::nullopt, std::nullopt, Date::parse("2026-12-01"),
      std::nullopt};
  static const std::vector<std::int64_t> paid_ids{1, 4};
  static const std::vector<Date> paid_dates{Date::parse("2026-09-01"), Date::parse("2026-10-01")};
  static const std::vector<double> paid{500, 20000};
  static const ledger::Ledger book = [] {
    const ledger::InvoiceColumns c{
        .invoice_id = ids,
        .customer_id = customers,
        .salesperson_id = salespeople,
        .issue_date = issue,
        .due_date = due,
        .amount = amounts,
        .status = {{"open", "disputed", "on_hold"}, status},
        .hold_until = hold,
    };
    ledger::LedgerOptions options;
    options.currency = "CNY";
    return ledger::Ledger(c, ledger::PaymentColumns{paid_ids, paid_dates, paid}, nullptr, nullptr,
                          options);
  }();
  return book;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const rules::EscalationEngine engine(rules::EscalationPolicy::from_json(text));
    const rules::Scores scores{{2, rules::CustomerScores{480.0, 0.7}}};
    const rules::RunResult day1 = engine.run(sample(), Date::parse("2026-12-02"), {}, scores);
    const rules::RunResult again =
        engine.run(sample(), Date::parse("2026-12-02"), day1.state, scores);
    if (!again.actions.empty()) {
      std::abort();  // idempotence: the same day twice emits nothing new
    }
    (void)engine.run(sample(), Date::parse("2026-12-31"), day1.state, scores);
    (void)engine.check_contract(2, 5000, sample(), Date::parse("2026-12-02"), scores);
  } catch (const arscore::Error&) {
  }
  try {
    const rules::EscalationState state = rules::EscalationState::from_json(text);
    if (rules::EscalationState::from_json(state.to_json()) != state) {
      std::abort();
    }
  } catch (const arscore::Error&) {
  }
  return 0;
}
