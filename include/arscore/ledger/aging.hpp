#pragma once
/// \file
/// The aging report: open balances per customer by days past due.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "arscore/ledger/money.hpp"

namespace arscore::ledger {

/// Bucket edges e0 < e1 < … < ek (days past due). The buckets are closed on the right:
/// "current" holds days past due ≤ e0, then (e0, e1], …, (e(k−1), ek], and "ek+" holds
/// days past due > ek. The default (0, 30, 60, 90) gives current, 1-30, 31-60, 61-90, 90+.
struct AgingBuckets {
  std::vector<std::int64_t> edges{0, 30, 60, 90};

  /// Checks the edges. Throws arscore::Error "ledger.aging.bad_buckets" when they are empty,
  /// negative or not strictly increasing.
  void validate() const;

  /// The column labels: "current", "e0+1-e1", …, "ek+". Assumes validate() passed.
  [[nodiscard]] std::vector<std::string> labels() const;

  /// The bucket index of `days_past_due` (0 = current). Assumes validate() passed.
  [[nodiscard]] std::size_t bucket_of(std::int64_t days_past_due) const noexcept;
};

/// Aged open balances, one row per customer with an open balance (ascending customer key),
/// in the reporting currency's minor units.
struct AgingTable {
  std::vector<std::string> labels;        ///< bucket labels (without "total")
  std::vector<std::int64_t> customer_id;  ///< one per row
  /// Row-major: amounts[r * labels.size() + b] is customer r's balance in bucket b.
  std::vector<MinorUnits> amounts;
  std::vector<MinorUnits> total;          ///< per customer, the sum over buckets
  std::vector<MinorUnits> bucket_totals;  ///< per bucket, the sum over customers
  MinorUnits grand_total = 0;
};

}  // namespace arscore::ledger
