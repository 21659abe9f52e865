#include "arscore/core/date.hpp"

#include <algorithm>
#include <array>
#include <cassert>
#include <cstdio>

#include "arscore/core/error.hpp"

namespace arscore {
namespace {

struct CivilDate {
  int year;
  int month;
  int day;
};

// Days from 1970-01-01 to the given civil date, counting in 400-year eras that start on
// 1 March so that the leap day is the last day of an era year.
std::int64_t serial_from_civil(std::int64_t y, int m, int d) noexcept {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t year_of_era = y - era * 400;                          // [0, 399]
  const std::int64_t shifted_month = m > 2 ? m - 3 : m + 9;                // March = 0
  const std::int64_t day_of_year = (153 * shifted_month + 2) / 5 + d - 1;  // [0, 365]
  const std::int64_t day_of_era =
      year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;  // [0, 146096]
  return era * 146097 + day_of_era - 719468;
}

CivilDate civil_from_serial(std::int64_t serial) noexcept {
  serial += 719468;
  const std::int64_t era = (serial >= 0 ? serial : serial - 146096) / 146097;
  const std::int64_t day_of_era = serial - era * 146097;
  const std::int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const std::int64_t day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const std::int64_t shifted_month = (5 * day_of_year + 2) / 153;
  const auto day = static_cast<int>(day_of_year - (153 * shifted_month + 2) / 5 + 1);
  const auto month = static_cast<int>(shifted_month < 10 ? shifted_month + 3 : shifted_month - 9);
  const std::int64_t year = year_of_era + era * 400 + (month <= 2 ? 1 : 0);
  return {static_cast<int>(year), month, day};
}

[[noreturn]] void throw_out_of_range(std::int64_t serial) {
  throw Error("core.date.out_of_range",
              "date serial " + std::to_string(serial) +
                  " is outside the supported range 0001-01-01 .. 9999-12-31");
}

}  // namespace

int days_in_month(int year, int month) noexcept {
  assert(month >= 1 && month <= 12);
  static constexpr std::array<int, 12> days{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && is_leap_year(year)) {
    return 29;
  }
  return days[static_cast<std::size_t>(month - 1)];
}

Date Date::from_serial(std::int64_t serial) {
  if (serial < min_serial || serial > max_serial) {
    throw_out_of_range(serial);
  }
  return Date(static_cast<std::int32_t>(serial));
}

Date Date::from_ymd(int year, int month, int day) {
  if (year < 1 || year > 9999) {
    throw Error("core.date.invalid", "year " + std::to_string(year) + " is outside 1..9999");
  }
  if (month < 1 || month > 12) {
    throw Error("core.date.invalid", "month " + std::to_string(month) + " is outside 1..12");
  }
  if (day < 1 || day > days_in_month(year, month)) {
    std::array<char, 16> year_month{};
    std::snprintf(year_month.data(), year_month.size(), "%04d-%02d", year, month);
    throw Error("core.date.invalid",
                "day " + std::to_string(day) + " does not exist in " + year_month.data());
  }
  return Date(static_cast<std::int32_t>(serial_from_civil(year, month, day)));
}

Date Date::parse(std::string_view text) {
  const auto fail = [&](const std::string& why) -> Error {
    return Error("core.date.invalid",
                 "'" + std::string(text) + "' is not a date in the form YYYY-MM-DD: " + why);
  };
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
    throw fail("expected 10 characters shaped YYYY-MM-DD");
  }
  const auto number = [&](std::size_t begin, std::size_t length) {
    int value = 0;
    for (std::size_t i = begin; i < begin + length; ++i) {
      const char c = text[i];
      if (c < '0' || c > '9') {
        throw fail("character " + std::to_string(i + 1) + " is not a digit");
      }
      value = value * 10 + (c - '0');
    }
    return value;
  };
  const int year = number(0, 4);
  const int month = number(5, 2);
  const int day = number(8, 2);
  try {
    return from_ymd(year, month, day);
  } catch (const Error& e) {
    throw fail(e.message());
  }
}

int Date::year() const noexcept { return civil_from_serial(serial_).year; }
int Date::month() const noexcept { return civil_from_serial(serial_).month; }
int Date::day() const noexcept { return civil_from_serial(serial_).day; }

int Date::weekday() const noexcept {
  // 1970-01-01 was a Thursday (Monday = 0, so Thursday = 3).
  const std::int64_t shifted = static_cast<std::int64_t>(serial_) + 3;
  return static_cast<int>(((shifted % 7) + 7) % 7);
}

Date Date::add_days(std::int64_t days) const {
  if (days > static_cast<std::int64_t>(max_serial) - min_serial ||
      days < static_cast<std::int64_t>(min_serial) - max_serial) {
    throw_out_of_range(days > 0 ? max_serial + std::int64_t{1} : min_serial - std::int64_t{1});
  }
  return from_serial(static_cast<std::int64_t>(serial_) + days);
}

Date Date::add_months(std::int64_t months) const {
  const CivilDate civil = civil_from_serial(serial_);
  constexpr std::int64_t max_months = 12 * 10000;
  if (months > max_months || months < -max_months) {
    throw_out_of_range(months > 0 ? max_serial + std::int64_t{1} : min_serial - std::int64_t{1});
  }
  const std::int64_t month_index =
      static_cast<std::int64_t>(civil.year) * 12 + (civil.month - 1) + months;
  const std::int64_t year = month_index >= 0 ? month_index / 12 : (month_index - 11) / 12;
  const auto month = static_cast<int>(month_index - year * 12 + 1);
  if (year < 1 || year > 9999) {
    throw_out_of_range(serial_from_civil(year, month, 1));
  }
  const int day = std::min(civil.day, days_in_month(static_cast<int>(year), month));
  return Date(static_cast<std::int32_t>(serial_from_civil(year, month, day)));
}

Date Date::end_of_month() const {
  const CivilDate civil = civil_from_serial(serial_);
  return Date(static_cast<std::int32_t>(
      serial_from_civil(civil.year, civil.month, days_in_month(civil.year, civil.month))));
}

std::string Date::to_string() const {
  const CivilDate civil = civil_from_serial(serial_);
  std::array<char, 16> buffer{};
  std::snprintf(buffer.data(), buffer.size(), "%04d-%02d-%02d", civil.year, civil.month, civil.day);
  return std::string(buffer.data());
}

}  // namespace arscore
