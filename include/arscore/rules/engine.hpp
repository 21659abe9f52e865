#pragma once
/// \file
/// The escalation engine: runs a policy over a ledger at a date, checks contracts.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "arscore/core/date.hpp"
#include "arscore/ledger/calendar.hpp"
#include "arscore/ledger/collection.hpp"
#include "arscore/ledger/features.hpp"
#include "arscore/ledger/ledger.hpp"
#include "arscore/ledger/open_items.hpp"
#include "arscore/rules/action.hpp"
#include "arscore/rules/policy.hpp"
#include "arscore/rules/state.hpp"

namespace arscore::rules {

/// A customer's scores; a missing one reads as null in formulas.
struct CustomerScores {
  std::optional<double> credit_score;
  std::optional<double> p_late;
};

/// Scores by customer id.
using Scores = std::map<std::int64_t, CustomerScores>;

/// What the engine reads from a ledger at one date. Built from a Ledger by from_ledger(), or
/// by a host (the Python module) from the ledger's tables.
struct LedgerFacts {
  std::vector<ledger::OpenItem> open_items;        ///< at as_of
  std::vector<ledger::CustomerFeatures> features;  ///< at as_of, ascending by customer
  std::vector<ledger::CollectionRate> rates;       ///< by salesperson at as_of
  /// Customer features at the last day of each month before as_of's, most recent first
  /// (element k: the end of the month k + 1 months before as_of's), ascending by customer;
  /// as many as the policy's customer streaks need (streak − 1), and no more.
  std::vector<std::vector<ledger::CustomerFeatures>> month_end_features;
  std::string currency = "USD";  ///< reporting currency
  int currency_digits = 2;       ///< its decimals
  /// The invoices' own currency codes by OpenItem::currency (Ledger::currencies()); empty:
  /// every invoice is in the reporting currency.
  std::vector<std::string> currencies;

  /// Reads open items, customer features, (when `with_rates`) salesperson collection rates
  /// at `as_of`, and customer features at the `month_ends` month ends before as_of's month.
  /// Never throws (beyond std::bad_alloc).
  static LedgerFacts from_ledger(const ledger::Ledger& ledger, Date as_of, bool with_rates,
                                 std::int64_t month_ends = 0);
};

/// What run() returns.
struct RunResult {
  std::vector<Action> actions;  ///< levels (by customer, invoice, level) then flags
  EscalationState state;        ///< to pass to the next run
};

/// What check_contract() returns.
struct ContractDecision {
  Decision decision = Decision::approve;
  std::vector<std::string> reasons;  ///< the deciding gate and its facts; empty for approve
  friend bool operator==(const ContractDecision&, const ContractDecision&) = default;
};

/// Runs a policy. Holds the policy and an optional calendar (for `day_basis: business`;
/// without one the ledger's business days are used). Immutable; safe to share across threads.
class EscalationEngine {
 public:
  /// An engine for `policy`.
  explicit EscalationEngine(EscalationPolicy policy,
                            std::optional<ledger::Calendar> calendar = std::nullopt);

  /// The actions due at `as_of` given what `state` says was already done, and the new state.
  /// Throws arscore::Error "rules.run.state_policy" when the state was produced by another
  /// policy id, "rules.run.state_level" when it names a level the policy does not have, and
  /// "rules.run.backwards" when as_of is before the state's last run; a formula error
  /// while evaluating is rethrown as formula::FormulaError.
  [[nodiscard]] RunResult run(const ledger::Ledger& ledger, Date as_of,
                              const EscalationState& state, const Scores& scores = {}) const;

  /// run() over facts already read from a ledger at `as_of` (with the rates and month-end
  /// features that needs_rates() and month_ends_needed() ask for; a customer streak longer
  /// than the month ends given does not hold). Throws as run(), and arscore::Error
  /// "rules.run.bad_currency" when an open item's currency index is not in `currencies`.
  [[nodiscard]] RunResult run(const LedgerFacts& facts, Date as_of, const EscalationState& state,
                              const Scores& scores = {}) const;

  /// Runs every day from `start` to `end` (inclusive) with the state carried forward from
  /// `state`, and returns every day's actions in order and the final state — to try a policy
  /// on history before it goes live. Throws as run(), and arscore::Error
  /// "rules.simulate.bad_period" when end < start.
  [[nodiscard]] RunResult simulate(const ledger::Ledger& ledger, Date start, Date end,
                                   const Scores& scores = {},
                                   const EscalationState& state = {}) const;

  /// The gates in order: the first whose condition holds (null does not hold) decides;
  /// none holding is `approve`. Facts: the customer's features at `as_of` (nulls for a
  /// customer without invoices), scores, and `contract_amount`. Never throws (beyond
  /// std::bad_alloc and formula evaluation errors).
  [[nodiscard]] ContractDecision check_contract(std::int64_t customer_id, double amount,
                                                const ledger::Ledger& ledger, Date as_of,
                                                const Scores& scores = {}) const;

  /// check_contract() over a customer's features (nullptr: none known).
  [[nodiscard]] ContractDecision check_contract(const ledger::CustomerFeatures* features,
                                                std::int64_t customer_id, double amount, Date as_of,
                                                int currency_digits,
                                                const Scores& scores = {}) const;

  /// The policy.
  [[nodiscard]] const EscalationPolicy& policy() const noexcept { return policy_; }

  /// How many month ends of customer features before as_of's month a run needs in
  /// LedgerFacts::month_end_features: the longest customer-flag streak − 1. Never throws.
  [[nodiscard]] std::int64_t month_ends_needed() const noexcept;

  /// True when a run reads salesperson collection rates (a salesperson flag). Never throws.
  [[nodiscard]] bool needs_rates() const noexcept;

 private:
  // The level actions of run() and the new state's invoices and last actions.
  void add_level_actions(const LedgerFacts& facts, Date as_of, const EscalationState& state,
                         const Scores& scores, RunResult& result) const;
  // The flag actions of run() and the new state's active flags.
  void add_flag_actions(const LedgerFacts& facts, Date as_of, const EscalationState& state,
                        const Scores& scores, RunResult& result) const;

  EscalationPolicy policy_;
  std::optional<ledger::Calendar> calendar_;
};

}  // namespace arscore::rules
