#pragma once
/// \file
/// A calendar date (proleptic Gregorian, no time zone) stored as days since 1970-01-01 —
/// the same count numpy uses for datetime64[D], so columns convert without arithmetic.

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

namespace arscore {

/// A calendar date as a day serial (days since 1970-01-01). Supported years are 1..9999;
/// constructors and arithmetic that leave that range throw arscore::Error
/// ("core.date.out_of_range"). Cheap to copy; comparisons are by day.
class Date {
 public:
  /// The first day of the supported range, 0001-01-01.
  static constexpr std::int32_t min_serial = -719162;
  /// The last day of the supported range, 9999-12-31.
  static constexpr std::int32_t max_serial = 2932896;

  /// 1970-01-01.
  constexpr Date() noexcept = default;

  /// The date `serial` days after 1970-01-01 (negative: before). Throws arscore::Error
  /// ("core.date.out_of_range") outside [min_serial, max_serial].
  static Date from_serial(std::int64_t serial);

  /// The date year-month-day. Throws arscore::Error ("core.date.invalid") when the triple
  /// is not a real date (month 13, 30 February, year 0 …).
  static Date from_ymd(int year, int month, int day);

  /// Parses an ISO 8601 calendar date "YYYY-MM-DD" (exactly that shape). Throws
  /// arscore::Error ("core.date.invalid") naming the text and what is wrong with it.
  static Date parse(std::string_view text);

  /// Days since 1970-01-01.
  [[nodiscard]] constexpr std::int32_t serial() const noexcept { return serial_; }
  /// The year, 1..9999.
  [[nodiscard]] int year() const noexcept;
  /// The month, 1..12.
  [[nodiscard]] int month() const noexcept;
  /// The day of the month, 1..31.
  [[nodiscard]] int day() const noexcept;
  /// Day of the week, Monday = 0 … Sunday = 6.
  [[nodiscard]] int weekday() const noexcept;

  /// This date plus `days` (may be negative). Throws on leaving the supported range.
  [[nodiscard]] Date add_days(std::int64_t days) const;
  /// This date plus `months` calendar months, clamped to the end of the target month
  /// (2026-01-31 + 1 month = 2026-02-28). Throws on leaving the supported range.
  [[nodiscard]] Date add_months(std::int64_t months) const;
  /// The last day of this date's month.
  [[nodiscard]] Date end_of_month() const;
  /// `other` − this, in days.
  [[nodiscard]] constexpr std::int64_t days_until(Date other) const noexcept {
    return static_cast<std::int64_t>(other.serial_) - serial_;
  }

  /// "YYYY-MM-DD".
  [[nodiscard]] std::string to_string() const;

  friend constexpr auto operator<=>(Date, Date) noexcept = default;

 private:
  constexpr explicit Date(std::int32_t serial) noexcept : serial_(serial) {}
  std::int32_t serial_ = 0;
};

/// True when `year` is a Gregorian leap year.
[[nodiscard]] constexpr bool is_leap_year(int year) noexcept {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

/// Number of days in `month` (1..12) of `year`. The month must be valid (asserted).
[[nodiscard]] int days_in_month(int year, int month) noexcept;

}  // namespace arscore
