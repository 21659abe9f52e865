#pragma once
/// \file
/// Collection performance: monthly collection rates, DSO and CEI.

#include <cstdint>
#include <string_view>
#include <vector>

#include "arscore/core/date.hpp"
#include "arscore/ledger/money.hpp"

namespace arscore::ledger {

/// The key collection rates are grouped by.
enum class GroupBy : std::uint8_t { salesperson = 0, customer = 1, team = 2 };

/// Parses "salesperson"/"salesperson_id", "customer"/"customer_id" or "team". Throws
/// arscore::Error "ledger.collection.bad_group" naming the text otherwise.
[[nodiscard]] GroupBy parse_group_by(std::string_view text);

/// One (month, key) cell of the collection-rate grid.
struct CollectionRate {
  Date period;           ///< first day of the month
  std::int64_t key;      ///< salesperson, customer or team key
  MinorUnits due;        ///< amount of invoices falling due in the month, on or before as_of
  MinorUnits collected;  ///< paid on those invoices by min(month end, as_of), capped at amount
  double rate;           ///< collected ÷ due; NaN when nothing fell due
};

}  // namespace arscore::ledger
