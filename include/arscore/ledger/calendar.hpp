#pragma once
/// \file
/// A business calendar: weekend days, holidays and extra working days (the make-up working
/// weekends of, e.g., the Chinese official holiday schedule).
///
/// Implemented over arscore::Date serials rather than Boost.Date_Time: a count of business
/// days is weekday arithmetic on the serial plus two binary searches, and converting every
/// date to boost::gregorian::date (a second date representation) would cost more than the
/// whole computation; Boost's holiday generators also cannot express make-up working days.

#include <array>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "arscore/core/date.hpp"

namespace arscore::ledger {

/// Which days are business days. A day is a business day when it is listed as an extra
/// working day, or else when it is neither a weekend day nor a holiday. Immutable after
/// construction and safe to share across threads.
class Calendar {
 public:
  /// Saturday and Sunday off, no holidays.
  Calendar();

  /// A calendar with `weekend` days off (Monday = 0 … Sunday = 6), `holidays` off and
  /// `workdays` worked even when they fall on a weekend. Holidays on a weekend day and
  /// workdays on a weekday change nothing and are accepted. Throws arscore::Error
  /// "ledger.calendar.bad_weekday" for a weekday outside 0..6,
  /// "ledger.calendar.conflict" naming the dates listed both as holiday and as workday, and
  /// "ledger.calendar.no_business_days" when all seven days are weekend days.
  Calendar(std::span<const int> weekend, std::span<const Date> holidays,
           std::span<const Date> workdays);

  /// Parses a calendar from CSV text: one `date,kind[,name]` row per line with `kind`
  /// `holiday` or `workday` and the date as YYYY-MM-DD; an optional header row starting with
  /// `date`, blank lines and lines starting with `#` are skipped. Throws arscore::Error
  /// "ledger.calendar.csv" naming the line number and what is wrong, plus the errors of the
  /// constructor.
  static Calendar from_csv(std::string_view text, std::span<const int> weekend);

  /// Reads the file at `path` and parses it as from_csv does. Throws arscore::Error
  /// "ledger.calendar.io" when the file cannot be read, plus the errors of from_csv.
  static Calendar load_csv(const std::string& path, std::span<const int> weekend);

  /// True when `day` is a business day. Never throws.
  [[nodiscard]] bool is_business_day(Date day) const noexcept;

  /// The number of business days in [a, b); when b < a, minus the number in [b, a) — the
  /// convention of numpy.busday_count. O(log h) for h listed days. Never throws.
  [[nodiscard]] std::int64_t business_days_between(Date a, Date b) const noexcept;

  /// numpy.busday_offset(day, n, roll="forward"): `day` is first moved forward to the next
  /// business day when it is not one, then moved by `n` business days (backwards when n < 0).
  /// O(|n|). Throws arscore::Error "core.date.out_of_range" when it leaves the date range.
  [[nodiscard]] Date add_business_days(Date day, std::int64_t n) const;

  /// The weekend days, Monday = 0 … Sunday = 6, ascending.
  [[nodiscard]] std::vector<int> weekend() const;
  /// The holidays that fall on a non-weekend day, ascending.
  [[nodiscard]] std::vector<Date> holidays() const;
  /// The extra working days that fall on a weekend day, ascending.
  [[nodiscard]] std::vector<Date> workdays() const;

 private:
  [[nodiscard]] bool is_weekend(std::int32_t serial) const noexcept;
  [[nodiscard]] std::int64_t count_forward(std::int32_t a, std::int32_t b) const noexcept;

  std::array<bool, 7> weekend_{};
  std::int64_t working_per_week_ = 0;
  std::vector<std::int32_t> holidays_;  // serials of holidays on working weekdays, sorted
  std::vector<std::int32_t> workdays_;  // serials of make-up days on weekend days, sorted
};

}  // namespace arscore::ledger
