#pragma once
// Internal constants of the ledger's storage.
#include <cstdint>
#include <limits>

namespace arscore::ledger::detail {

/// Serial standing for "no date" (hold_until not given).
inline constexpr std::int32_t no_date = std::numeric_limits<std::int32_t>::min();
/// Serial standing for "never" (an invoice never settled); later than every date.
inline constexpr std::int32_t never = std::numeric_limits<std::int32_t>::max();

}  // namespace arscore::ledger::detail
