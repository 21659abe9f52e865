// Collection rates, DSO and CEI.
#include "arscore/ledger/collection.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "arscore/core/error.hpp"
#include "arscore/ledger/ledger.hpp"
#include "ledger/ledger_internal.hpp"

namespace arscore::ledger {

GroupBy parse_group_by(std::string_view text) {
  if (text == "salesperson" || text == "salesperson_id") {
    return GroupBy::salesperson;
  }
  if (text == "customer" || text == "customer_id") {
    return GroupBy::customer;
  }
  if (text == "team") {
    return GroupBy::team;
  }
  throw Error("ledger.collection.bad_group", "cannot group by '" + std::string(text) +
                                                 "': expected salesperson_id, customer_id or team");
}

namespace {
std::int64_t month_number(Date d) noexcept { return std::int64_t{d.year()} * 12 + d.month() - 1; }
}  // namespace

std::vector<CollectionRate> Ledger::collection_rates(Date as_of, GroupBy by) const {
  if (by == GroupBy::team && team_of_salesperson_.empty()) {
    throw Error("ledger.collection.no_teams",
                "grouping by team needs a salespeople table with a team column");
  }
  const std::int32_t day = as_of.serial();
  // Keys as dense indices into a sorted key list.
  std::vector<std::int64_t> keys;
  switch (by) {
    case GroupBy::salesperson:
      keys = salesperson_key_;
      break;
    case GroupBy::customer:
      keys = customer_key_;
      break;
    case GroupBy::team:
      keys = team_of_salesperson_;
      std::sort(keys.begin(), keys.end());
      keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
      break;
  }
  std::vector<std::size_t> team_index;
  if (by == GroupBy::team) {
    for (const std::int64_t t : team_of_salesperson_) {
      team_index.push_back(
          static_cast<std::size_t>(std::lower_bound(keys.begin(), keys.end(), t) - keys.begin()));
    }
  }
  const auto key_of = [&](std::size_t i) -> std::size_t {
    switch (by) {
      case GroupBy::salesperson:
        return static_cast<std::size_t>(salesperson_[i]);
      case GroupBy::customer:
        return static_cast<std::size_t>(customer_[i]);
      case GroupBy::team:
        return team_index[static_cast<std::size_t>(salesperson_[i])];
    }
    return 0;
  };

  std::int32_t first_due = detail::never;
  for (std::size_t i = 0; i < size(); ++i) {
    if (due_[i] <= day) {
      first_due = std::min(first_due, due_[i]);
    }
  }
  std::vector<CollectionRate> out;
  if (first_due == detail::never) {
    return out;
  }
  // For every day from the first due date to as_of: its month (counted from the first) and
  // the cut-off of its month, min(month end, as_of).
  const auto n_days = static_cast<std::size_t>(std::int64_t{day} - first_due + 1);
  std::vector<std::uint32_t> month_of(n_days);
  std::vector<std::int32_t> cutoff_of(n_days);
  const std::int64_t first_month = month_number(Date::from_serial(first_due));
  {
    std::uint32_t month = 0;
    std::int32_t month_end = Date::from_serial(first_due).end_of_month().serial();
    for (std::size_t k = 0; k < n_days; ++k) {
      const auto serial = static_cast<std::int32_t>(first_due + static_cast<std::int32_t>(k));
      if (serial > month_end) {
        ++month;
        month_end = Date::from_serial(serial).end_of_month().serial();
      }
      month_of[k] = month;
      cutoff_of[k] = std::min(month_end, day);
    }
  }
  const std::int64_t last_month = month_number(as_of);
  const auto n_periods = static_cast<std::size_t>(last_month - first_month + 1);
  std::vector<MinorUnits> due(keys.size() * n_periods, 0);
  std::vector<MinorUnits> collected(keys.size() * n_periods, 0);
  std::vector<bool> present(keys.size(), false);
  for (std::size_t i = 0; i < size(); ++i) {
    if (due_[i] > day) {
      continue;
    }
    const auto offset = static_cast<std::size_t>(due_[i] - first_due);
    const MinorUnits paid = std::min(paid_until(i, cutoff_of[offset]), amount_[i]);
    const std::size_t k = key_of(i);
    const std::size_t cell = k * n_periods + month_of[offset];
    present[k] = true;
    due[cell] += amount_reporting_[i];
    collected[cell] += to_reporting(i, paid);
  }
  Date period =
      Date::from_ymd(static_cast<int>(first_month / 12), static_cast<int>(first_month % 12) + 1, 1);
  for (std::size_t t = 0; t < n_periods; ++t, period = period.add_months(1)) {
    for (std::size_t k = 0; k < keys.size(); ++k) {
      if (!present[k]) {
        continue;
      }
      const std::size_t cell = k * n_periods + t;
      out.push_back(CollectionRate{
          period, keys[k], due[cell], collected[cell],
          due[cell] == 0 ? std::numeric_limits<double>::quiet_NaN()
                         : static_cast<double>(collected[cell]) / static_cast<double>(due[cell])});
    }
  }
  return out;
}

double Ledger::dso(Date as_of, std::int64_t days) const {
  if (days <= 0) {
    throw Error("ledger.dso.bad_days",
                "the DSO window must be a positive number of days, got " + std::to_string(days));
  }
  const std::int32_t day = as_of.serial();
  const std::int64_t window_start = std::int64_t{day} - days;  // exclusive
  MinorUnits receivables = 0;
  MinorUnits sales = 0;
  for (std::size_t i = 0; i < size(); ++i) {
    receivables += receivable(i, day);
    if (issue_[i] > window_start && issue_[i] <= day) {
      sales += amount_reporting_[i];
    }
  }
  if (sales == 0) {
    return std::numeric_limits<double>::quiet_NaN();
  }
  return static_cast<double>(receivables) / static_cast<double>(sales) * static_cast<double>(days);
}

double Ledger::cei(Date start, Date end) const {
  if (end < start) {
    throw Error("ledger.cei.bad_period", "CEI period ends (" + end.to_string() +
                                             ") before it starts (" + start.to_string() + ")");
  }
  const std::int32_t before = start.serial() - 1;
  const std::int32_t last = end.serial();
  MinorUnits beginning = 0;
  MinorUnits sales = 0;
  MinorUnits ending = 0;
  MinorUnits ending_current = 0;
  for (std::size_t i = 0; i < size(); ++i) {
    beginning += receivable(i, before);
    if (issue_[i] >= start.serial() && issue_[i] <= last) {
      sales += amount_reporting_[i];
    }
    const MinorUnits open = receivable(i, last);
    ending += open;
    if (due_[i] >= last) {
      ending_current += open;
    }
  }
  const MinorUnits denominator = beginning + sales - ending_current;
  if (denominator == 0) {
    return std::numeric_limits<double>::quiet_NaN();
  }
  return static_cast<double>(beginning + sales - ending) / static_cast<double>(denominator) * 100.0;
}

}  // namespace arscore::ledger
