// Aging buckets and Ledger::aging.
#include "arscore/ledger/aging.hpp"

#include <algorithm>

#include "arscore/core/error.hpp"
#include "arscore/ledger/ledger.hpp"

namespace arscore::ledger {

void AgingBuckets::validate() const {
  if (edges.empty()) {
    throw Error("ledger.aging.bad_buckets", "aging needs at least one bucket edge");
  }
  for (std::size_t k = 0; k < edges.size(); ++k) {
    if (edges[k] < 0 || (k > 0 && edges[k] <= edges[k - 1])) {
      std::string text;
      for (std::size_t j = 0; j < edges.size(); ++j) {
        text += (j ? ", " : "") + std::to_string(edges[j]);
      }
      throw Error("ledger.aging.bad_buckets",
                  "bucket edges (" + text + ") must be non-negative and strictly increasing");
    }
  }
}

std::vector<std::string> AgingBuckets::labels() const {
  std::vector<std::string> out{"current"};
  for (std::size_t k = 1; k < edges.size(); ++k) {
    out.push_back(std::to_string(edges[k - 1] + 1) + "-" + std::to_string(edges[k]));
  }
  out.push_back(std::to_string(edges.back()) + "+");
  return out;
}

std::size_t AgingBuckets::bucket_of(std::int64_t days_past_due) const noexcept {
  // The first edge ≥ days_past_due closes the bucket; past the last edge is the last bucket.
  return static_cast<std::size_t>(std::lower_bound(edges.begin(), edges.end(), days_past_due) -
                                  edges.begin());
}

AgingTable Ledger::aging(Date as_of, const AgingBuckets& buckets) const {
  buckets.validate();
  const std::int32_t day = as_of.serial();
  AgingTable table;
  table.labels = buckets.labels();
  const std::size_t width = table.labels.size();
  std::vector<MinorUnits> grid(customer_key_.size() * width, 0);
  std::vector<bool> has_open(customer_key_.size(), false);
  for (std::size_t i = 0; i < size(); ++i) {
    const MinorUnits balance = receivable(i, day);
    if (balance <= 0) {
      continue;
    }
    const auto c = static_cast<std::size_t>(customer_[i]);
    has_open[c] = true;
    grid[c * width + buckets.bucket_of(std::max<std::int64_t>(0, std::int64_t{day} - due_[i]))] +=
        balance;
  }
  table.bucket_totals.assign(width, 0);
  for (std::size_t c = 0; c < customer_key_.size(); ++c) {
    if (!has_open[c]) {
      continue;
    }
    table.customer_id.push_back(customer_key_[c]);
    MinorUnits total = 0;
    for (std::size_t b = 0; b < width; ++b) {
      const MinorUnits v = grid[c * width + b];
      table.amounts.push_back(v);
      table.bucket_totals[b] += v;
      total += v;
    }
    table.total.push_back(total);
    table.grand_total += total;
  }
  return table;
}

}  // namespace arscore::ledger
