#pragma once
/// \file
/// The closed, documented set of facts a policy's formulas may use, per context
/// (docs/policy.md lists them with their meaning).

#include <cstdint>
#include <span>
#include <string_view>

#include "arscore/formula/types.hpp"

namespace arscore::rules {

/// One fact a condition can read. Which facts a condition sees depends on its context.
enum class Fact : std::uint8_t {
  // invoice (levels)
  days_overdue,           ///< by the policy's day basis
  calendar_days_overdue,  ///< as_of − due date (≥ 0)
  business_days_overdue,  ///< business days in (due date, as_of]
  balance,                ///< open balance, reporting currency major units
  amount,                 ///< the invoice's original amount, reporting currency major units
  currency,               ///< the invoice's own currency code (amounts are converted from it)
  status,                 ///< "open", "disputed" or "on_hold"
  issue_date,             ///< the invoice's issue date
  due_date,               ///< the invoice's due date
  as_of,                  ///< the run's date
  // customer features (levels, customer flags, gates)
  n_invoices,
  n_paid,
  n_paid_late,
  late_ratio,
  avg_days_late,
  max_days_late,
  open_amount,  ///< major units
  overdue_amount,
  overdue_ratio,
  max_days_past_due,
  late_streak,
  tenure_days,
  days_since_last_payment,
  avg_invoice_amount,
  n_disputed,
  // scores (levels, customer flags, gates); null when the customer has none
  credit_score,
  p_late,
  // salesperson flags: the month's collection figures
  rate,       ///< collected ÷ due (null when nothing fell due)
  due,        ///< amount falling due in the month, major units
  collected,  ///< collected on it, major units
  period,     ///< first day of the month
  // gates
  contract_amount,  ///< the amount of the contract being checked
};

/// Where a condition is evaluated.
enum class FactContext : std::uint8_t { level, customer_flag, salesperson_flag, gate };

/// A fact's formula name and type.
struct FactInfo {
  Fact fact;
  std::string_view name;
  formula::Type type;
};

/// Every fact visible in `context`, in declaration order. Never throws.
[[nodiscard]] std::span<const FactInfo> facts_of(FactContext context) noexcept;

/// The closed formula schema of `context` (exactly facts_of(context)).
[[nodiscard]] formula::Schema schema_of(FactContext context);

/// The formula name of a fact. Never throws.
[[nodiscard]] std::string_view to_string(Fact fact) noexcept;

}  // namespace arscore::rules
