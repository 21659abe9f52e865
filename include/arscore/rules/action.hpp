#pragma once
/// \file
/// One action the engine decides: what to send to whom, and why.

#include <boost/container/small_vector.hpp>
#include <boost/container/static_vector.hpp>
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

/// An action's invoices: inline (no allocation) for the usual one.
using InvoiceIds = boost::container::small_vector<std::int64_t, 1>;
/// An action's recipients: at most the six distinct ones, inline.
using Recipients = boost::container::static_vector<Recipient, 6>;

/// One action, with the columns of the Python `actions` DataFrame. Sized for a million a
/// run: the id is a number and the lists hold their usual contents inline.
struct Action {
  std::uint64_t action_id = 0;  ///< see action_id() for what it hashes; action_id_text() prints it
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
  InvoiceIds invoice_ids;  ///< ascending; empty for flags
  Channel channel = Channel::email;
  Recipients recipients;
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
/// Never throws.
[[nodiscard]] std::uint64_t action_id(const Action& action, std::int64_t episode) noexcept;

/// An action id as the 16 lower-case hex digits hosts store (the Python `action_id` column).
/// Never throws (beyond std::bad_alloc).
[[nodiscard]] std::string action_id_text(std::uint64_t id);

}  // namespace arscore::rules
