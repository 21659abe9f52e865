// arscore::rules: policy loading and validation, the engine's ladder, flags, gates and state,
// on hand-built ledgers with exact expected actions.
#include "arscore/rules.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "test_support.hpp"

using arscore::Date;
using namespace arscore::rules;
namespace ledger = arscore::ledger;

using namespace arscore::test;

namespace {

std::string standard_text() { return read_file(ARSCORE_TEST_DATA_DIR "/rules/standard.json"); }

// Owns the columns of a small test ledger (reporting currency CNY).
struct Book {
  std::vector<std::int64_t> invoice_id, customer_id, salesperson_id;
  std::vector<Date> issue, due;
  std::vector<double> amount;
  std::vector<std::int32_t> status;
  std::vector<std::optional<Date>> hold;
  std::vector<std::int64_t> paid_invoice;
  std::vector<Date> paid_date;
  std::vector<double> paid_amount;
  std::vector<std::string> currencies{"CNY"};  // the reporting currency first
  std::vector<std::int32_t> currency;          // per invoice, into currencies
  ledger::FxTable fx;

  Book& invoice(std::int64_t id, std::int64_t customer, std::int64_t salesperson,
                const char* due_date, double value, std::int32_t st = 0,
                std::optional<Date> hold_until = std::nullopt) {
    invoice_id.push_back(id);
    customer_id.push_back(customer);
    salesperson_id.push_back(salesperson);
    due.push_back(d(due_date));
    issue.push_back(d(due_date).add_days(-30));
    amount.push_back(value);
    status.push_back(st);
    hold.push_back(hold_until);
    currency.push_back(0);
    return *this;
  }
  // The last invoice is in `code` (FX rates go in `fx`).
  Book& in_currency(const std::string& code) {
    const auto it = std::find(currencies.begin(), currencies.end(), code);
    currency.back() = static_cast<std::int32_t>(it - currencies.begin());
    if (it == currencies.end()) {
      currencies.push_back(code);
    }
    return *this;
  }
  Book& pay(std::int64_t id, const char* day, double value) {
    paid_invoice.push_back(id);
    paid_date.push_back(d(day));
    paid_amount.push_back(value);
    return *this;
  }
  [[nodiscard]] ledger::Ledger build() const {
    const ledger::InvoiceColumns c{
        .invoice_id = invoice_id,
        .customer_id = customer_id,
        .salesperson_id = salesperson_id,
        .issue_date = issue,
        .due_date = due,
        .amount = amount,
        .currency = {currencies, currency},
        .status = {{"open", "disputed", "on_hold"}, status},
        .hold_until = hold,
    };
    ledger::LedgerOptions options;
    options.currency = "CNY";
    options.fx = fx;
    return ledger::Ledger(c, ledger::PaymentColumns{paid_invoice, paid_date, paid_amount}, nullptr,
                          nullptr, options);
  }
};

std::string join(const auto& values, const auto& show) {
  std::string out;
  for (const auto& v : values) {
    out += out.empty() ? "" : ",";
    out += show(v);
  }
  return out;
}

// One action as a line: rule customer/salesperson [invoices] channel→recipients template
// amount days | reason.
std::string line(const Action& a) {
  std::ostringstream s;
  auto key = [](std::optional<std::int64_t> k) { return k ? std::to_string(*k) : "-"; };
  s << to_string(a.kind) << " " << a.rule << " c" << key(a.customer_id) << "/s"
    << key(a.salesperson_id) << " ["
    << join(a.invoice_ids, [](std::int64_t i) { return std::to_string(i); }) << "] "
    << to_string(a.channel) << "→"
    << join(a.recipients, [](Recipient r) { return std::string(to_string(r)); }) << " "
    << a.template_name << " " << a.amount << " " << a.days_overdue << " | " << a.reason;
  return s.str();
}

std::vector<std::string> lines(const std::vector<Action>& actions) {
  std::vector<std::string> out;
  for (const Action& a : actions) {
    out.push_back(line(a));
  }
  return out;
}

// The standard policy without flags (ladder tests).
std::string ladder_text() {
  std::string text = standard_text();
  const auto begin = text.find(" \"flags\"");
  const auto end = text.find(" \"gates\"");
  return text.erase(begin, end - begin);
}

}  // namespace

TEST_CASE("rules: the issue's complete example policy loads as it stands") {
  const EscalationPolicy policy = EscalationPolicy::from_json(standard_text());
  CHECK(policy.id() == "standard");
  CHECK(policy.version() == 1);
  CHECK(policy.day_basis() == DayBasis::calendar);
  CHECK(policy.scope() == Scope::invoice);
  CHECK(policy.catch_up() == CatchUp::highest);
  CHECK(policy.exclude_status() == std::vector<std::string>{"disputed", "on_hold"});
  REQUIRE(policy.levels().size() == 4);
  CHECK(policy.levels()[2].id == "L3");
  CHECK(policy.levels()[2].min_amount == 100);
  CHECK(policy.levels()[2].actions.size() == 2);
  CHECK(policy.levels()[2].actions[1].to ==
        std::vector<Recipient>{Recipient::salesperson, Recipient::finance, Recipient::hr});
  CHECK(policy.levels()[3].when.text == "balance >= 10000 or credit_score < 500");
  CHECK(policy.levels()[3].when.program.has_value());
  REQUIRE(policy.flags().size() == 2);
  CHECK(policy.flags()[1].scope == FlagScope::salesperson);
  CHECK(policy.flags()[1].streak == 3);
  REQUIRE(policy.gates().size() == 2);
  CHECK(policy.gates()[1].decision == Decision::require_guarantee);
  CHECK(policy.level_index("L4") == 3);
  CHECK(!policy.level_index("L9").has_value());
}

namespace {
// Customer 1 (salesperson 10) has a big, a small and a disputed invoice overdue; customer 2's
// overdue invoice is on hold until 2026-12-10; customer 3 owes a lot for 92 days.
Book sample_book() {
  Book book;
  book.invoice(101, 1, 10, "2026-11-01", 12000)
      .invoice(102, 1, 10, "2026-11-25", 50)
      .invoice(103, 1, 10, "2026-11-01", 50)
      .invoice(104, 1, 10, "2026-10-01", 800, 1)
      .invoice(105, 2, 11, "2026-10-01", 500, 2, d("2026-12-10"))
      .invoice(106, 2, 11, "2026-11-01", 300)
      .invoice(201, 3, 11, "2026-09-01", 20000)
      .invoice(202, 3, 11, "2026-12-10", 100)
      .pay(106, "2026-11-20", 300);
  return book;
}
}  // namespace

TEST_CASE("rules: the ladder, idempotent day after day") {
  const EscalationEngine engine(EscalationPolicy::from_json(ladder_text()));
  Book book = sample_book();
  const RunResult day1 = engine.run(book.build(), d("2026-12-02"), {});
  CHECK(lines(day1.actions) == std::vector<std::string>{
                                   "level L1 c1/s10 [102] email→customer,salesperson reminder 50 7 "
                                   "| L1: 7 days overdue ≥ 7; balance 50.00 CNY",
                                   "level L2 c1/s10 [103] sms→customer sms_reminder 50 31 | L2: 31 "
                                   "days overdue ≥ 10; balance 50.00 CNY",
                                   "level L3 c1/s10 [101] letter→customer collection_letter 12000 "
                                   "31 | L3: 31 days overdue ≥ 30; balance 12 000.00 CNY",
                                   "level L3 c1/s10 [101] notify→salesperson,finance,hr overdue_30 "
                                   "12000 31 | L3: 31 days overdue ≥ 30; balance 12 000.00 CNY",
                                   "level L4 c3/s11 [201] legal→legal legal_review 20000 92 | L4: "
                                   "92 days overdue ≥ 60; balance 20 000.00 CNY; balance >= 10000 "
                                   "or credit_score < 500 (balance = 20000, credit_score = null)",
                               });
  std::set<std::uint64_t> ids;
  for (const Action& a : day1.actions) {
    ids.insert(a.action_id);
    CHECK(action_id_text(a.action_id).size() == 16);
    CHECK(a.as_of == d("2026-12-02"));
    CHECK(a.policy_id == "standard");
    CHECK(a.policy_version == 1);
  }
  CHECK(ids.size() == day1.actions.size());

  // The same run twice: nothing new, the same state.
  const RunResult again = engine.run(book.build(), d("2026-12-02"), day1.state);
  CHECK(again.actions.empty());
  CHECK(again.state == day1.state);
  // A lost state replays the same ids (the run's date is not hashed).
  CHECK(engine.run(book.build(), d("2026-12-02"), {}).actions == day1.actions);

  // A partial payment keeps 101 at L3; the next day brings nothing new.
  book.pay(101, "2026-12-03", 11000);
  const RunResult day2 = engine.run(book.build(), d("2026-12-03"), day1.state);
  CHECK(day2.actions.empty());
  CHECK(day2.state.invoices.at(101) == InvoiceProgress{"L3", d("2026-12-02")});

  // 102 reaches 10 days on 2026-12-05: only that is new. 103 is paid in full and leaves.
  book.pay(103, "2026-12-04", 50);
  const RunResult day4 = engine.run(book.build(), d("2026-12-05"), day2.state);
  CHECK(lines(day4.actions) == std::vector<std::string>{
                                   "level L2 c1/s10 [102] sms→customer sms_reminder 50 10 | L2: 10 "
                                   "days overdue ≥ 10; balance 50.00 CNY",
                               });
  CHECK(day4.state.invoices.count(103) == 0);
  CHECK(day4.state.invoices.count(102) == 1);

  // The hold on 105 ends after 2026-12-10; without a credit score L4's condition is null,
  // so L3 applies (highest catch-up: L1 and L2 are skipped).
  const RunResult day11 = engine.run(book.build(), d("2026-12-11"), day4.state);
  CHECK(lines(day11.actions) ==
        std::vector<std::string>{
            "level L3 c2/s11 [105] letter→customer collection_letter 500 71 | L3: 71 days overdue "
            "≥ 30; balance 500.00 CNY",
            "level L3 c2/s11 [105] notify→salesperson,finance,hr overdue_30 500 71 | L3: 71 days "
            "overdue ≥ 30; balance 500.00 CNY",
        });
  // With a credit score below 500, L4 applies instead.
  const Scores scores{{2, CustomerScores{450.0, 0.9}}};
  const RunResult scored = engine.run(book.build(), d("2026-12-11"), day4.state, scores);
  CHECK(lines(scored.actions) == std::vector<std::string>{
                                     "level L4 c2/s11 [105] legal→legal legal_review 500 71 | L4: "
                                     "71 days overdue ≥ 60; balance 500.00 CNY; balance >= 10000 "
                                     "or credit_score < 500 (balance = 500, credit_score = 450)",
                                 });
  // The disputed 104 never escalates.
  for (const Action& a : day11.actions) {
    CHECK(a.invoice_ids != InvoiceIds{104});
  }
}

TEST_CASE("rules: the engine refuses a state from another policy or from the future") {
  const EscalationEngine engine(EscalationPolicy::from_json(ladder_text()));
  const ledger::Ledger ledger = sample_book().build();
  EscalationState state;
  state.policy_id = "other";
  CHECK(error_message([&] { (void)engine.run(ledger, d("2026-12-02"), state); }) ==
        "[rules.run.state_policy] the state was produced by policy 'other', not 'standard'");
  state.policy_id = "standard";
  state.last_run = d("2026-12-05");
  CHECK(error_message([&] { (void)engine.run(ledger, d("2026-12-02"), state); }) ==
        "[rules.run.backwards] as_of 2026-12-02 is before the state's last run 2026-12-05");
  state.last_run.reset();
  state.invoices.insert_or_assign(101, InvoiceProgress{"L9", d("2026-12-01")});
  CHECK(error_message([&] { (void)engine.run(ledger, d("2026-12-02"), state); }) ==
        "[rules.run.state_level] the state puts invoice 101 at level 'L9', which policy "
        "'standard' does not have");
}

TEST_CASE("rules: validation reports every problem with its JSON path") {
  const std::string text = R"({"id": "bad", "version": "1", "scope": "team", "colour": 1,
 "exclude_status": ["disputed", "paid"],
 "levels": [
   {"id": "L1", "days_overdue": 10, "actions": [{"channel": "fax", "to": ["customer", "boss"], "template": "a"}]},
   {"id": "L1", "days_overdue": 7, "actions": [{"channel": "email", "to": [], "template": "b"}]},
   {"id": "L3", "days_overdue": 7, "min_amount": -5, "actions": []},
   {"id": "L4", "days_overdue": 60, "when": "balanse >= 10000",
    "actions": [{"channel": "legal", "to": ["legal"], "template": "c"}]},
   {"id": "L5", "days_overdue": 90, "when": "balance + 1",
    "actions": [{"channel": "legal", "to": ["legal"]}]}],
 "flags": [{"id": "f", "scope": "region", "when": "late_streak >=", "notify": ["hr"]}],
 "gates": [{"id": "g", "when": "balance > 1", "decision": "maybe"}]})";
  try {
    (void)EscalationPolicy::from_json(text);
    FAIL("no error");
  } catch (const PolicyError& e) {
    CHECK(e.code() == "rules.policy.invalid");
    CHECK(std::string(e.what()) ==
          "[rules.policy.invalid] 19 problems\n"
          "/colour: unknown key 'colour' (expected one of: id, version, day_basis, scope, "
          "catch_up, min_interval_days, exclude_status, levels, flags, gates, description)\n"
          "/version: expected an integer ≥ 0, got string \"1\"\n"
          "/scope: unknown scope 'team' (expected invoice or customer)\n"
          "/exclude_status/1: unknown status 'paid' (expected disputed or on_hold)\n"
          "/levels/0/actions/0/channel: unknown channel 'fax' (expected email, sms, letter, "
          "call_task, notify, block_orders or legal)\n"
          "/levels/0/actions/0/to/1: unknown recipient 'boss' (expected customer, salesperson, "
          "sales_manager, finance, hr or legal)\n"
          "/levels/1/id: duplicate level id 'L1' (first at /levels/0)\n"
          "/levels/1/days_overdue: unsorted levels: days_overdue 7 must be greater than the 10 "
          "of /levels/0 (levels ascend strictly by days_overdue)\n"
          "/levels/1/actions/0/to: expected a non-empty array of recipients, got an empty array\n"
          "/levels/2/days_overdue: duplicate levels: days_overdue 7 must be greater than the 7 "
          "of /levels/1 (levels ascend strictly by days_overdue)\n"
          "/levels/2/min_amount: expected a number ≥ 0, got number -5\n"
          "/levels/2/actions: expected a non-empty array of actions, got an empty array\n"
          "/levels/3/when: error[formula.check.unknown_name] at line 1, column 1: unknown "
          "variable 'balanse' — did you mean 'balance'?\n"
          "  1 | balanse >= 10000\n"
          "    | ^~~~~~~\n"
          "/levels/4/when: the condition must be a bool, but 'balance + 1' is a number\n"
          "/levels/4/actions/0/template: 'template' is required\n"
          "/flags/0/scope: unknown scope 'region' (expected customer or salesperson)\n"
          "/flags/0/when: error[formula.parse.expected] at line 1, column 15: expected "
          "expression but found end of text\n"
          "  1 | late_streak >=\n"
          "    |               ^\n"
          "/gates/0/when: error[formula.check.unknown_name] at line 1, column 1: unknown "
          "variable 'balance'\n"
          "  1 | balance > 1\n"
          "    | ^~~~~~~\n"
          "/gates/0/decision: unknown decision 'maybe' (expected reject, require_guarantee or "
          "shorten_terms)");
    REQUIRE(e.problems().size() == 19);
    CHECK(e.problems()[12].path == "/levels/3/when");
    CHECK(e.problems()[12].code == "rules.policy.formula");
    CHECK(e.problems()[6].code == "rules.policy.duplicate_id");
    CHECK(e.problems()[7].code == "rules.policy.unsorted_levels");
    CHECK(e.problems()[9].code == "rules.policy.duplicate_level");
  }
}

TEST_CASE("rules: a text that is not JSON, or not an object") {
  CHECK(error_message([] {
          (void)EscalationPolicy::from_json("{\"id\": ");
        }).starts_with("[rules.policy.json] 1 problem\n/: [json.exception.parse_error.101]"));
  // A number beyond double range (nlohmann's out_of_range, found by fuzzing).
  CHECK(error_message([] { (void)EscalationPolicy::from_json("{\"version\": 1e999}"); }) ==
        "[rules.policy.json] 1 problem\n/: [json.exception.out_of_range.406] number overflow "
        "parsing '1e999'");
  CHECK(error_message([] { (void)EscalationState::from_json("{\"flags\": [1e999]}"); }) ==
        "[rules.state.json] 1 problem\n/: [json.exception.out_of_range.406] number overflow "
        "parsing '1e999'");
  CHECK(error_message([] { (void)EscalationPolicy::from_json("[1]"); }) ==
        "[rules.policy.invalid] 1 problem\n/: expected an object, got an array");
  CHECK(error_message([] { (void)EscalationPolicy::from_json("{}"); }) ==
        "[rules.policy.invalid] 3 problems\n/id: 'id' is required\n"
        "/version: 'version' is required\n/levels: 'levels' is required");
}

namespace {
std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}
}  // namespace

TEST_CASE("rules: state JSON round-trips, and bad state documents name their paths") {
  EscalationState state;
  state.last_run = d("2026-12-02");
  state.policy_id = "standard";
  state.policy_version = 1;
  state.invoices.insert_or_assign(101, InvoiceProgress{"L3", d("2026-12-02")});
  state.active_flags["high_risk/1"] = d("2026-12-01");
  state.last_action.insert_or_assign(1, d("2026-12-02"));
  const std::string text = state.to_json();
  CHECK(text == R"({"flags":[{"flag":"high_risk/1","since":"2026-12-01"}],)"
                R"("format":"arscore.escalation_state",)"
                R"("invoices":[{"invoice_id":101,"level":"L3","since":"2026-12-02"}],)"
                R"("last_action":[{"customer_id":1,"date":"2026-12-02"}],"last_run":"2026-12-02",)"
                R"("policy":{"id":"standard","version":1},"version":1})");
  CHECK(EscalationState::from_json(text) == state);
  CHECK(EscalationState::from_json(EscalationState().to_json()) == EscalationState());

  // The sample state (also the fuzzer's seed) is what to_json writes.
  std::string sample = read_file(ARSCORE_TEST_DATA_DIR "/rules/state.json");
  sample.erase(sample.find_last_not_of('\n') + 1);
  CHECK(EscalationState::from_json(sample).to_json() == sample);
  CHECK(EscalationState::from_json(sample) == state);

  // A real run's state round-trips too.
  const EscalationEngine engine(EscalationPolicy::from_json(standard_text()));
  const RunResult run = engine.run(sample_book().build(), d("2026-12-02"), {});
  CHECK(EscalationState::from_json(run.state.to_json()) == run.state);

  CHECK(error_message([] {
          (void)EscalationState::from_json(
              R"({"format":"x","version":2,"policy":{"id":1,"version":1},"last_run":"2026-13-01",)"
              R"("invoices":[{"invoice_id":"a","level":"L1","since":"2026-12-01"}],"flags":{}})");
        }) ==
        "[rules.state.invalid] 7 problems\n"
        "/format: expected \"arscore.escalation_state\", got \"x\"\n"
        "/version: unsupported state version 2 (expected 1)\n"
        "/policy/id: expected a string, got 1\n"
        "/last_run: '2026-13-01' is not a date in the form YYYY-MM-DD: month 13 is "
        "outside 1..12\n"
        "/invoices/0/invoice_id: expected a 64-bit integer, got \"a\"\n"
        "/flags: expected an array, got {}\n"
        "/last_action: 'last_action' is required");

  // An id beyond 64 bits is refused, not wrapped.
  CHECK(
      error_message([] {
        (void)EscalationState::from_json(
            R"({"format":"arscore.escalation_state","version":1,)"
            R"("policy":{"id":"standard","version":1},"last_run":null,"flags":[],)"
            R"("invoices":[{"invoice_id":18446744073709551615,"level":"L1","since":"2026-12-01"}],)"
            R"("last_action":[]})");
      }) ==
      "[rules.state.invalid] 1 problem\n/invoices/0/invoice_id: expected a 64-bit "
      "integer, got 18446744073709551615");

  // Nothing listed twice is silently dropped.
  CHECK(error_message([] {
          (void)EscalationState::from_json(
              R"({"format":"arscore.escalation_state","version":1,)"
              R"("policy":{"id":"standard","version":1},"last_run":"2026-12-01",)"
              R"("invoices":[{"invoice_id":7,"level":"L1","since":"2026-12-01"},)"
              R"({"invoice_id":5,"level":"L1","since":"2026-12-01"},)"
              R"({"invoice_id":7,"level":"L2","since":"2026-12-01"}],)"
              R"("flags":[{"flag":"high_risk/1","since":"2026-12-01"},)"
              R"({"flag":"high_risk/1","since":"2026-11-01"}],)"
              R"("last_action":[{"customer_id":1,"date":"2026-12-01"},)"
              R"({"customer_id":1,"date":"2026-12-01"}]})");
        }) ==
        "[rules.state.invalid] 3 problems\n"
        "/invoices/2/invoice_id: invoice 7 is listed twice (already at /invoices/0)\n"
        "/flags/1/flag: flag \"high_risk/1\" is listed twice\n"
        "/last_action/1/customer_id: customer 1 is listed twice (already at /last_action/0)");
}

TEST_CASE("rules: contract gates in order, the first that holds decides") {
  const EscalationEngine engine(EscalationPolicy::from_json(standard_text()));
  const ledger::Ledger ledger = sample_book().build();
  const Date as_of = d("2026-12-02");
  auto check = [&](std::int64_t customer, std::optional<double> score) {
    Scores scores;
    if (score) {
      scores[customer] = CustomerScores{score, std::nullopt};
    }
    return engine.check_contract(customer, 5000, ledger, as_of, scores);
  };
  CHECK(check(1, 540) ==
        ContractDecision{Decision::reject,
                         {"credit_floor: credit_score < 550 (credit_score = 540)"}});
  CHECK(check(1, 600) == ContractDecision{Decision::require_guarantee,
                                          {"watch: credit_score < 620 (credit_score = 600)"}});
  CHECK(check(1, 620) == ContractDecision{Decision::approve, {}});
  CHECK(check(1, std::nullopt) == ContractDecision{Decision::approve, {}});  // null holds nothing
  CHECK(check(99, 500).decision == Decision::reject);  // a customer without invoices

  const EscalationEngine features(EscalationPolicy::from_json(
      replaced(standard_text(), R"("when": "credit_score < 550")",
               R"("when": "overdue_amount > 10000 and contract_amount >= 5000")")));
  CHECK(features.check_contract(1, 5000, ledger, as_of) ==
        ContractDecision{Decision::reject,
                         {"credit_floor: overdue_amount > 10000 and contract_amount >= 5000 "
                          "(overdue_amount = 12900, contract_amount = 5000)"}});
  CHECK(features.check_contract(1, 4999, ledger, as_of).decision == Decision::approve);
}

TEST_CASE("rules: customer flags notify once while true, again after they end") {
  const EscalationEngine engine(EscalationPolicy::from_json(standard_text()));
  Book book = sample_book();
  const RunResult day1 = engine.run(book.build(), d("2026-12-02"), {});
  std::vector<std::string> flags;
  for (const Action& a : day1.actions) {
    if (a.kind == ActionKind::flag) {
      flags.push_back(line(a));
    }
  }
  CHECK(
      flags ==
      std::vector<std::string>{
          "flag high_risk c1/s10 [] notify→salesperson,finance,hr high_risk 12900 62 | high_risk: "
          "late_streak >= 3 or max_days_past_due >= 30 (late_streak = 4, max_days_past_due = 62)",
          "flag high_risk c2/s11 [] notify→salesperson,finance,hr high_risk 500 62 | high_risk: "
          "late_streak >= 3 or max_days_past_due >= 30 (late_streak = 2, max_days_past_due = 62)",
          "flag high_risk c3/s11 [] notify→salesperson,finance,hr high_risk 20000 92 | high_risk: "
          "late_streak >= 3 or max_days_past_due >= 30 (late_streak = 1, max_days_past_due = 92)",
      });
  CHECK(day1.state.active_flags.at("high_risk/2") == d("2026-12-02"));
  // Still true the next day: nothing new.
  CHECK(engine.run(book.build(), d("2026-12-03"), day1.state).actions.empty());
}

namespace {
std::vector<Action> of_kind(const std::vector<Action>& actions, ActionKind kind) {
  std::vector<Action> out;
  for (const Action& a : actions) {
    if (a.kind == kind) {
      out.push_back(a);
    }
  }
  return out;
}
}  // namespace

TEST_CASE("rules: a flag that ends and comes back notifies again, with a new id") {
  const EscalationEngine engine(EscalationPolicy::from_json(replaced(
      standard_text(), "late_streak >= 3 or max_days_past_due >= 30", "max_days_past_due >= 30")));
  Book book = sample_book();
  book.invoice(107, 2, 11, "2026-11-20", 10);
  const RunResult day1 = engine.run(book.build(), d("2026-12-02"), {});
  const auto first = of_kind(day1.actions, ActionKind::flag);
  REQUIRE(first.size() == 3);
  CHECK(first[1].customer_id == 2);
  book.pay(105, "2026-12-03", 500);  // c2 now owes only 107, 13 days overdue
  const RunResult day2 = engine.run(book.build(), d("2026-12-03"), day1.state);
  CHECK(of_kind(day2.actions, ActionKind::flag).empty());
  CHECK(day2.state.active_flags.count("high_risk/2") == 0);
  CHECK(day2.state.active_flags.count("high_risk/1") == 1);
  const RunResult day20 = engine.run(book.build(), d("2026-12-20"), day2.state);
  const auto again = of_kind(day20.actions, ActionKind::flag);
  REQUIRE(again.size() == 1);
  CHECK(line(again[0]) ==
        "flag high_risk c2/s11 [] notify→salesperson,finance,hr high_risk 10 30 | high_risk: "
        "max_days_past_due >= 30 (max_days_past_due = 30)");
  CHECK(again[0].action_id != first[1].action_id);
}

TEST_CASE("rules: salesperson flags need the condition for N complete months running") {
  const std::string policy = R"({"id": "sp", "version": 2,
    "levels": [{"id": "never", "days_overdue": 10000,
                "actions": [{"channel": "email", "to": ["customer"], "template": "x"}]}],
    "flags": [{"id": "collection_risk", "scope": "salesperson", "when": "rate < 80%",
               "streak": 3, "notify": ["sales_manager", "hr"]}]})";
  const EscalationEngine engine(EscalationPolicy::from_json(policy));
  Book book;
  // Salesperson 20: August collected on time, then three months with nothing collected.
  book.invoice(1, 1, 20, "2026-08-10", 100)
      .invoice(2, 1, 20, "2026-09-10", 100)
      .invoice(3, 1, 20, "2026-10-10", 100)
      .invoice(4, 1, 20, "2026-11-10", 100)
      .pay(1, "2026-08-10", 100)
      // Salesperson 21: only two months so far, both uncollected.
      .invoice(5, 2, 21, "2026-10-05", 100)
      .invoice(6, 2, 21, "2026-11-05", 100);
  const RunResult mid = engine.run(book.build(), d("2026-11-15"), {});
  CHECK(mid.actions.empty());  // complete months: August (100 %), September, October
  const RunResult end = engine.run(book.build(), d("2026-11-30"), mid.state);
  CHECK(
      lines(end.actions) ==
      std::vector<std::string>{
          "flag collection_risk c-/s20 [] notify→sales_manager,hr collection_risk 0 0 | "
          "collection_risk: rate < 80% for 3 months running (2026-09: rate = 0; 2026-10: rate = 0; "
          "2026-11: rate = 0)",
      });
  CHECK(engine.run(book.build(), d("2026-12-02"), end.state).actions.empty());
}

TEST_CASE("rules: stepwise catch-up climbs one level per run") {
  const EscalationEngine engine(EscalationPolicy::from_json(
      replaced(ladder_text(), R"("catch_up": "highest")", R"("catch_up": "stepwise")")));
  const ledger::Ledger ledger = sample_book().build();
  std::vector<std::string> seen;
  EscalationState state;
  for (const char* day : {"2026-12-02", "2026-12-03", "2026-12-04", "2026-12-05"}) {
    RunResult r = engine.run(ledger, d(day), state);
    for (const Action& a : r.actions) {
      seen.push_back(std::string(day) + " " + a.rule + " " + std::to_string(a.invoice_ids[0]) +
                     " " + std::string(to_string(a.channel)));
    }
    state = std::move(r.state);
  }
  CHECK(seen == std::vector<std::string>{
                    "2026-12-02 L1 101 email",
                    "2026-12-02 L1 102 email",
                    "2026-12-02 L1 103 email",
                    "2026-12-02 L1 201 email",
                    "2026-12-03 L2 101 sms",
                    "2026-12-03 L2 103 sms",
                    "2026-12-03 L2 201 sms",
                    "2026-12-04 L3 101 letter",
                    "2026-12-04 L3 101 notify",
                    "2026-12-04 L3 201 letter",
                    "2026-12-04 L3 201 notify",
                    "2026-12-05 L2 102 sms",
                    "2026-12-05 L4 201 legal",
                });
}

TEST_CASE("rules: customer scope sends one message per customer and level") {
  const EscalationEngine engine(EscalationPolicy::from_json(
      replaced(ladder_text(), R"("scope": "invoice")", R"("scope": "customer")")));
  Book book = sample_book();
  book.invoice(107, 1, 10, "2026-11-24", 70);
  const RunResult r = engine.run(book.build(), d("2026-12-02"), {});
  CHECK(lines(r.actions) == std::vector<std::string>{
                                "level L1 c1/s10 [102,107] email→customer,salesperson reminder 120 "
                                "8 | L1: 8 days overdue ≥ 7; balance 120.00 CNY (2 invoices)",
                                "level L2 c1/s10 [103] sms→customer sms_reminder 50 31 | L2: 31 "
                                "days overdue ≥ 10; balance 50.00 CNY",
                                "level L3 c1/s10 [101] letter→customer collection_letter 12000 31 "
                                "| L3: 31 days overdue ≥ 30; balance 12 000.00 CNY",
                                "level L3 c1/s10 [101] notify→salesperson,finance,hr overdue_30 "
                                "12000 31 | L3: 31 days overdue ≥ 30; balance 12 000.00 CNY",
                                "level L4 c3/s11 [201] legal→legal legal_review 20000 92 | L4: 92 "
                                "days overdue ≥ 60; balance 20 000.00 CNY; balance >= 10000 or "
                                "credit_score < 500 (balance = 20000, credit_score = null)",
                            });
  CHECK(r.state.invoices.at(107) == InvoiceProgress{"L1", d("2026-12-02")});
}

TEST_CASE("rules: min_interval_days holds back a customer contacted too recently") {
  const EscalationEngine engine(EscalationPolicy::from_json(
      replaced(replaced(ladder_text(), R"("catch_up": "highest")", R"("catch_up": "stepwise")"),
               R"("min_interval_days": 0)", R"("min_interval_days": 2)")));
  const ledger::Ledger ledger = sample_book().build();
  const RunResult day1 = engine.run(ledger, d("2026-12-02"), {});
  CHECK(day1.actions.size() == 4);
  const RunResult day2 = engine.run(ledger, d("2026-12-03"), day1.state);
  CHECK(day2.actions.empty());  // 1 day after the last action to customers 1 and 3
  CHECK(day2.state.invoices.at(101).level == "L1");
  const RunResult day3 = engine.run(ledger, d("2026-12-04"), day2.state);
  std::vector<std::string> seen;
  for (const Action& a : day3.actions) {
    seen.push_back(a.rule + " " + std::to_string(a.invoice_ids[0]));
  }
  CHECK(seen == std::vector<std::string>{"L2 101", "L2 103", "L2 201"});
  CHECK(day3.state.last_action.at(1) == d("2026-12-04"));
}

TEST_CASE("rules: business days — due on a Friday before a Monday holiday") {
  const std::string policy = R"({"id": "biz", "version": 1, "day_basis": "business",
    "levels": [{"id": "B1", "days_overdue": 1,
                "actions": [{"channel": "call_task", "to": ["salesperson"], "template": "call"}]},
               {"id": "B3", "days_overdue": 3,
                "actions": [{"channel": "email", "to": ["customer"], "template": "late"}]}]})";
  const std::array<int, 2> weekend{5, 6};
  const std::array<Date, 1> holidays{d("2026-12-07")};
  const ledger::Calendar calendar(weekend, holidays, {});
  const EscalationEngine engine(EscalationPolicy::from_json(policy), calendar);
  Book book;
  book.invoice(1, 1, 10, "2026-12-04", 100);  // a Friday
  const ledger::Ledger ledger = book.build();
  CHECK(engine.run(ledger, d("2026-12-05"), {}).actions.empty());  // Saturday
  CHECK(engine.run(ledger, d("2026-12-07"), {}).actions.empty());  // the holiday
  const RunResult tuesday = engine.run(ledger, d("2026-12-08"), {});
  CHECK(lines(tuesday.actions) == std::vector<std::string>{
                                      "level B1 c1/s10 [1] call_task→salesperson call 100 1 | B1: "
                                      "1 business days overdue ≥ 1; balance 100.00 CNY",
                                  });
  const RunResult thursday = engine.run(ledger, d("2026-12-10"), tuesday.state);
  CHECK(lines(thursday.actions) == std::vector<std::string>{
                                       "level B3 c1/s10 [1] email→customer late 100 3 | B3: 3 "
                                       "business days overdue ≥ 3; balance 100.00 CNY",
                                   });
  // Without its own calendar the engine uses the ledger's (weekends only): Monday counts.
  const EscalationEngine plain(EscalationPolicy::from_json(policy));
  CHECK(plain.run(ledger, d("2026-12-07"), {}).actions.size() == 1);
}

TEST_CASE("rules: a 90-day simulation emits every action once, with unique ids") {
  const EscalationEngine engine(EscalationPolicy::from_json(standard_text()));
  Book book;
  // 40 invoices over 8 customers and 2 salespeople, due every other day from October on,
  // a third of them paid (some late), one in four partially.
  for (std::int64_t i = 0; i < 40; ++i) {
    const Date due = d("2026-10-01").add_days(2 * i);
    book.invoice(1000 + i, i % 8, 10 + i % 2, due.to_string().c_str(),
                 static_cast<double>(50 + 997 * i % 20000));
    if (i % 3 == 0) {
      book.pay(1000 + i, due.add_days(i % 40).to_string().c_str(),
               static_cast<double>(50 + 997 * i % 20000));
    } else if (i % 4 == 1) {
      book.pay(1000 + i, due.add_days(20).to_string().c_str(), 10);
    }
  }
  const Scores scores{{3, CustomerScores{480.0, 0.7}}};
  const RunResult sim = engine.simulate(book.build(), d("2026-10-01"), d("2026-12-29"), scores);
  std::set<std::uint64_t> ids;
  std::set<std::string> level_steps;  // (invoice, level) pairs
  for (const Action& a : sim.actions) {
    CHECK(ids.insert(a.action_id).second);
    if (a.kind == ActionKind::level) {
      level_steps.insert(std::to_string(a.invoice_ids[0]) + a.rule + a.template_name);
    }
  }
  CHECK(level_steps.size() == of_kind(sim.actions, ActionKind::level).size());
  CHECK(sim.actions.size() > 40);
  // Running the same period again from the final state adds nothing.
  CHECK(engine.run(book.build(), d("2026-12-29"), sim.state, scores).actions.empty());
  // Day-by-day runs equal the simulation.
  EscalationState state;
  std::vector<Action> by_day;
  for (Date day = d("2026-10-01"); day <= d("2026-12-29"); day = day.add_days(1)) {
    RunResult r = engine.run(book.build(), day, state, scores);
    by_day.insert(by_day.end(), r.actions.begin(), r.actions.end());
    state = std::move(r.state);
  }
  CHECK(by_day == sim.actions);
  CHECK(state == sim.state);
  CHECK(error_message([&] {
          (void)engine.simulate(book.build(), d("2026-10-02"), d("2026-10-01"));
        }) == "[rules.simulate.bad_period] end 2026-10-01 is before start 2026-10-02");
}

TEST_CASE("rules: only the listed statuses suppress escalation") {
  const EscalationEngine engine(EscalationPolicy::from_json(replaced(
      ladder_text(), R"("exclude_status": ["disputed", "on_hold"])", R"("exclude_status": [])")));
  const RunResult r = engine.run(sample_book().build(), d("2026-12-02"), {});
  std::vector<std::string> seen;
  for (const Action& a : r.actions) {
    seen.push_back(a.rule + " " + std::to_string(a.invoice_ids[0]) + " " +
                   std::string(to_string(a.channel)));
  }
  CHECK(seen == std::vector<std::string>{"L1 102 email", "L2 103 sms", "L3 101 letter",
                                         "L3 101 notify", "L3 104 letter", "L3 104 notify",
                                         "L3 105 letter", "L3 105 notify", "L4 201 legal"});
  // The facts a condition reads include the status.
  const EscalationEngine by_status(
      EscalationPolicy::from_json(replaced(ladder_text(), R"("days_overdue": 7,)",
                                           R"("days_overdue": 7, "when": "status == \"open\"",)")));
  const RunResult s = by_status.run(sample_book().build(), d("2026-12-02"), {});
  CHECK(s.actions.front().reason ==
        "L1: 7 days overdue ≥ 7; balance 50.00 CNY; status == \"open\" (status = \"open\")");
}

TEST_CASE("rules: a run over LedgerFacts equals a run over the ledger") {
  const EscalationEngine engine(EscalationPolicy::from_json(standard_text()));
  const ledger::Ledger ledger = sample_book().build();
  const Date as_of = d("2026-12-02");
  const RunResult direct = engine.run(ledger, as_of, {});
  const RunResult via = engine.run(LedgerFacts::from_ledger(ledger, as_of, true), as_of, {});
  CHECK(direct.actions == via.actions);
  CHECK(direct.state == via.state);

  // Open items in any order (a host's, or text ids keyed by hash) give the same run, also
  // when the state has invoices to find.
  const Date later = d("2026-12-12");
  LedgerFacts reversed = LedgerFacts::from_ledger(ledger, later, true);
  std::reverse(reversed.open_items.begin(), reversed.open_items.end());
  const RunResult in_order =
      engine.run(LedgerFacts::from_ledger(ledger, later, true), later, direct.state);
  const RunResult out_of_order = engine.run(reversed, later, direct.state);
  CHECK(!in_order.actions.empty());
  // Invoice 101 reached L3 on 2026-12-02 and stays there (found in the state, not re-sent).
  CHECK(out_of_order.state.invoices.at(101) == InvoiceProgress{"L3", d("2026-12-02")});
  CHECK(out_of_order.actions == in_order.actions);
  CHECK(out_of_order.state == in_order.state);
}

TEST_CASE("rules: a customer flag with a streak holds today and at the month ends before") {
  const std::string policy = R"({"id": "cs", "version": 1,
    "levels": [{"id": "never", "days_overdue": 10000,
                "actions": [{"channel": "email", "to": ["customer"], "template": "x"}]}],
    "flags": [{"id": "chronic", "scope": "customer", "when": "max_days_past_due >= 10",
               "streak": 3, "notify": ["finance"]}]})";
  const EscalationEngine engine(EscalationPolicy::from_json(policy));
  CHECK(engine.month_ends_needed() == 2);
  CHECK_FALSE(engine.needs_rates());
  Book book;
  // Customer 1: late since 2026-10-15 and still unpaid.
  book.invoice(1, 1, 10, "2026-10-15", 100)
      // Customer 2: late in September and October, paid in November, late again in December.
      .invoice(2, 2, 11, "2026-09-01", 100)
      .pay(2, "2026-11-05", 100)
      .invoice(3, 2, 11, "2026-11-25", 100);
  const ledger::Ledger ledger = book.build();
  // 2026-11-20: customer 1 was not late on 2026-09-30, customer 2 is not late today.
  const RunResult nov = engine.run(ledger, d("2026-11-20"), {});
  CHECK(nov.actions.empty());
  const RunResult dec1 = engine.run(ledger, d("2026-12-01"), nov.state);
  CHECK(lines(dec1.actions) ==
        std::vector<std::string>{
            "flag chronic c1/s10 [] notify→finance chronic 100 47 | chronic: max_days_past_due "
            ">= 10 for 3 months running (2026-10-31: max_days_past_due = 16; 2026-11-30: "
            "max_days_past_due = 46; 2026-12-01: max_days_past_due = 47)",
        });
  // 2026-12-10: customer 2 is late today and was on 2026-10-31, but not on 2026-11-30.
  CHECK(engine.run(ledger, d("2026-12-10"), dec1.state).actions.empty());

  // Facts without the month ends the streak needs: it does not hold (never a guess).
  LedgerFacts facts = LedgerFacts::from_ledger(ledger, d("2026-12-01"), false);
  CHECK(engine.run(facts, d("2026-12-01"), {}).actions.empty());
  facts = LedgerFacts::from_ledger(ledger, d("2026-12-01"), false, engine.month_ends_needed());
  CHECK(lines(engine.run(facts, d("2026-12-01"), {}).actions) == lines(dec1.actions));

  // A streak is bounded: each month of it is a ledger query.
  CHECK(error_message([&] {
          (void)EscalationPolicy::from_json(replaced(policy, R"("streak": 3)", R"("streak": 37)"));
        }) ==
        "[rules.policy.invalid] 1 problem\n/flags/0/streak: expected an integer ≥ 1 and "
        "≤ 36 (months), got 37");
}

TEST_CASE("rules: invoice facts — original amount, the invoice's own currency, issue date") {
  // A CNY ledger with one USD invoice (booked at 7.1) and one CNY invoice, both part paid.
  Book usd;
  usd.invoice(1, 1, 10, "2026-10-15", 1000)
      .in_currency("USD")
      .invoice(2, 2, 10, "2026-11-01", 2000)
      .pay(1, "2026-11-01", 900)
      .pay(2, "2026-11-02", 100);
  usd.fx.add("USD", d("2026-01-01"), 7.1);
  const ledger::Ledger book = usd.build();
  const EscalationEngine engine(EscalationPolicy::from_json(R"json({"id": "fx", "version": 1,
    "levels": [{"id": "usd_big", "days_overdue": 0,
                "when": "currency == \"USD\" and amount >= 7000 and issue_date < date(\"2026-10-01\")",
                "actions": [{"channel": "email", "to": ["finance"], "template": "usd"}]}]})json"));
  const RunResult r = engine.run(book, d("2026-12-02"), {});
  // Invoice 1: 1 000 USD = 7 100 CNY, 100 USD = 710 CNY still open; invoice 2 is in CNY.
  CHECK(lines(r.actions) ==
        std::vector<std::string>{
            "level usd_big c1/s10 [1] email→finance usd 710 48 | usd_big: 48 days overdue ≥ 0; "
            "balance 710.00 CNY; currency == \"USD\" and amount >= 7000 and issue_date < "
            "date(\"2026-10-01\") (currency = \"USD\", amount = 7100, issue_date = "
            "date(\"2026-09-15\"))",
        });

  // Host-built facts naming a currency index the facts do not list are refused.
  LedgerFacts facts = LedgerFacts::from_ledger(book, d("2026-12-02"), false);
  REQUIRE(facts.currencies == std::vector<std::string>{"CNY", "USD"});
  facts.open_items[0].currency = 5;
  CHECK(error_message([&] { (void)engine.run(facts, d("2026-12-02"), {}); }) ==
        "[rules.run.bad_currency] open item of invoice 1 has currency index 5, but the facts "
        "list 2 currencies");
}
