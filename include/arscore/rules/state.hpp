#pragma once
/// \file
/// What the engine remembers between runs, so that a run emits only what is new.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "arscore/core/date.hpp"
#include "arscore/core/sorted_map.hpp"

namespace arscore::rules {

/// Where an invoice stands on the ladder.
struct InvoiceProgress {
  std::string level;  ///< the id of the highest level emitted
  Date since;         ///< when it was emitted
  friend bool operator==(const InvoiceProgress&, const InvoiceProgress&) = default;
};

/// The engine's memory between runs: each open invoice's level, which flags are true since
/// when, and the last action date per customer. A value type; an empty state is a fresh start.
class EscalationState {
 public:
  /// A fresh start.
  EscalationState() = default;

  /// The document described in docs/policy.md ("format": "arscore.escalation_state",
  /// "version": 1), keys sorted, so equal states give equal text. Never throws (beyond
  /// std::bad_alloc).
  [[nodiscard]] std::string to_json() const;

  /// Parses to_json()'s output. Throws PolicyError ("rules.state.invalid") listing every
  /// problem with its JSON pointer (a wrong type, a bad date, an invoice, flag or customer
  /// listed twice), or "rules.state.json" when the text is not JSON.
  static EscalationState from_json(std::string_view text);

  /// The date of the last run (nullopt for a fresh start).
  std::optional<Date> last_run;
  /// Policy id and version that produced the state ("" / 0 for a fresh start).
  std::string policy_id;
  std::int64_t policy_version = 0;
  /// Invoice id → its progress on the ladder.
  SortedMap<std::int64_t, InvoiceProgress> invoices;
  /// "flag_id/key" → the date the flag became true (key: customer or salesperson id).
  std::map<std::string, Date, std::less<>> active_flags;
  /// Customer id → the date of its last level action (for min_interval_days).
  SortedMap<std::int64_t, Date> last_action;

  friend bool operator==(const EscalationState&, const EscalationState&) = default;
};

}  // namespace arscore::rules
