#pragma once
/// \file
/// One action the engine decides: what to send to whom, and why.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "arscore/core/date.hpp"
#include "arscore/rules/policy.hpp"

namespace arscore::rules {

/// What produced an action.
enum class ActionKind : std::uint8_t { level = 0, flag = 1, gate = 2 };

/// "level", "flag" or "gate". Never throws.
[[nodiscard]] std::string_view to_string(ActionKind kind) noexcept;

/// One action, with the columns of the Python `actions` DataFrame.
struct Action {
  std::string action_id;  ///< 16 hex digits; see action_id() for what it hashes.
  Date as_of;
  std::string policy_id;
  std::int64_t policy_version = 0;
  ActionKind kind = ActionKind::level;
  std::string rule;  ///< level or flag id
  /// The customer (none for salesperson flags).
  std::optional<std::int64_t> customer_id;
  /// The salesperson of the (first) invoice; a customer flag names the salesperson of the
  /// customer's first open invoice (none when nothing is open); a salesperson flag its subject.
  std::optional<std::int64_t> salesperson_id;
  std::vector<std::int64_t> invoice_ids;  ///< ascending; empty for flags
  Channel channel = Channel::email;
  std::vector<Recipient> recipients;
  std::string template_name;
  double amount = 0;              ///< open balance of the invoices, reporting major units
  std::int64_t days_overdue = 0;  ///< most days overdue among the invoices (policy basis)
  std::string reason;             ///< readable: the facts that made it fire
  friend bool operator==(const Action&, const Action&) = default;
};

/// The deterministic id of an action: FNV-1a (64 bit) over policy id, policy version, kind,
/// rule, customer, salesperson, the sorted invoice ids, channel, recipients, template and
/// `episode` (the date a flag became true; unused, 0, for levels, which fire once per invoice
/// and level) — never the run's date, so a repeated or replayed run gives the same ids.
/// Returned as 16 lower-case hex digits. Never throws (beyond std::bad_alloc).
[[nodiscard]] std::string action_id(const Action& action, std::int64_t episode);

}  // namespace arscore::rules
