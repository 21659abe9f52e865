// Business calendar over day serials.
#include "arscore/ledger/calendar.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "arscore/core/error.hpp"

namespace arscore::ledger {

namespace {

int weekday_of(std::int32_t serial) noexcept {
  // 1970-01-01 was a Thursday (3 with Monday = 0).
  return static_cast<int>(((static_cast<std::int64_t>(serial) + 3) % 7 + 7) % 7);
}

std::int64_t count_in(const std::vector<std::int32_t>& sorted, std::int32_t a,
                      std::int32_t b) noexcept {
  const auto first = std::lower_bound(sorted.begin(), sorted.end(), a);
  const auto last = std::lower_bound(first, sorted.end(), b);
  return last - first;
}

bool contains(const std::vector<std::int32_t>& sorted, std::int32_t serial) noexcept {
  return std::binary_search(sorted.begin(), sorted.end(), serial);
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}

}  // namespace

Calendar::Calendar() : Calendar(std::initializer_list<int>{5, 6}, {}, {}) {}

Calendar::Calendar(std::span<const int> weekend, std::span<const Date> holidays,
                   std::span<const Date> workdays) {
  for (const int day : weekend) {
    if (day < 0 || day > 6) {
      throw Error("ledger.calendar.bad_weekday",
                  "weekend day " + std::to_string(day) +
                      " is not a weekday number (Monday = 0 … Sunday = 6)");
    }
    weekend_[static_cast<std::size_t>(day)] = true;
  }
  working_per_week_ = std::count(weekend_.begin(), weekend_.end(), false);
  if (working_per_week_ == 0) {
    throw Error("ledger.calendar.no_business_days", "all seven weekdays are weekend days");
  }
  std::vector<std::int32_t> all_holidays;
  for (const Date d : holidays) {
    all_holidays.push_back(d.serial());
  }
  std::sort(all_holidays.begin(), all_holidays.end());
  all_holidays.erase(std::unique(all_holidays.begin(), all_holidays.end()), all_holidays.end());
  std::vector<std::int32_t> all_workdays;
  for (const Date d : workdays) {
    all_workdays.push_back(d.serial());
  }
  std::sort(all_workdays.begin(), all_workdays.end());
  all_workdays.erase(std::unique(all_workdays.begin(), all_workdays.end()), all_workdays.end());

  std::vector<std::int32_t> both;
  std::set_intersection(all_holidays.begin(), all_holidays.end(), all_workdays.begin(),
                        all_workdays.end(), std::back_inserter(both));
  if (!both.empty()) {
    std::string dates;
    for (std::size_t i = 0; i < both.size() && i < 10; ++i) {
      dates += (i ? ", " : "") + Date::from_serial(both[i]).to_string();
    }
    if (both.size() > 10) {
      dates += " and " + std::to_string(both.size() - 10) + " more";
    }
    throw Error("ledger.calendar.conflict",
                "dates listed both as holiday and as workday: " + dates);
  }
  for (const std::int32_t s : all_holidays) {
    if (!is_weekend(s)) {
      holidays_.push_back(s);
    }
  }
  for (const std::int32_t s : all_workdays) {
    if (is_weekend(s)) {
      workdays_.push_back(s);
    }
  }
}

Calendar Calendar::from_csv(std::string_view text, std::span<const int> weekend) {
  std::vector<Date> holidays;
  std::vector<Date> workdays;
  std::size_t line_number = 0;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    const std::string_view line = trim(text.substr(0, end));
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    ++line_number;
    if (line.empty() || line.front() == '#' || (line_number == 1 && line.starts_with("date"))) {
      continue;
    }
    const std::size_t comma = line.find(',');
    if (comma == std::string_view::npos) {
      throw Error("ledger.calendar.csv", "line " + std::to_string(line_number) +
                                             ": expected 'date,kind[,name]', got '" +
                                             std::string(line) + "'");
    }
    const std::string_view date_text = trim(line.substr(0, comma));
    std::string_view kind = line.substr(comma + 1);
    kind = trim(kind.substr(0, kind.find(',')));
    Date date;
    try {
      date = Date::parse(date_text);
    } catch (const Error& e) {
      throw Error("ledger.calendar.csv",
                  "line " + std::to_string(line_number) + ": " + e.message());
    }
    if (kind == "holiday") {
      holidays.push_back(date);
    } else if (kind == "workday") {
      workdays.push_back(date);
    } else {
      throw Error("ledger.calendar.csv", "line " + std::to_string(line_number) + ": kind '" +
                                             std::string(kind) +
                                             "' is neither 'holiday' nor 'workday'");
    }
  }
  return Calendar(weekend, holidays, workdays);
}

Calendar Calendar::load_csv(const std::string& path, std::span<const int> weekend) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    throw Error("ledger.calendar.io", "cannot read calendar file '" + path + "'");
  }
  std::ostringstream content;
  content << file.rdbuf();
  return from_csv(content.str(), weekend);
}

bool Calendar::is_weekend(std::int32_t serial) const noexcept {
  return weekend_[static_cast<std::size_t>(weekday_of(serial))];
}

bool Calendar::is_business_day(Date day) const noexcept {
  const std::int32_t s = day.serial();
  if (is_weekend(s)) {
    return contains(workdays_, s);
  }
  return !contains(holidays_, s);
}

std::int64_t Calendar::count_forward(std::int32_t a, std::int32_t b) const noexcept {
  const std::int64_t days = static_cast<std::int64_t>(b) - a;
  std::int64_t count = days / 7 * working_per_week_;
  int weekday = weekday_of(a);
  for (std::int64_t i = 0; i < days % 7; ++i) {
    count += weekend_[static_cast<std::size_t>(weekday)] ? 0 : 1;
    weekday = weekday == 6 ? 0 : weekday + 1;
  }
  return count - count_in(holidays_, a, b) + count_in(workdays_, a, b);
}

std::int64_t Calendar::business_days_between(Date a, Date b) const noexcept {
  return a <= b ? count_forward(a.serial(), b.serial()) : -count_forward(b.serial(), a.serial());
}

Date Calendar::add_business_days(Date day, std::int64_t n) const {
  while (!is_business_day(day)) {
    day = day.add_days(1);
  }
  const std::int64_t step = n >= 0 ? 1 : -1;
  for (std::int64_t left = n >= 0 ? n : -n; left > 0;) {
    day = day.add_days(step);
    if (is_business_day(day)) {
      --left;
    }
  }
  return day;
}

std::vector<int> Calendar::weekend() const {
  std::vector<int> days;
  for (int d = 0; d < 7; ++d) {
    if (weekend_[static_cast<std::size_t>(d)]) {
      days.push_back(d);
    }
  }
  return days;
}

std::vector<Date> Calendar::holidays() const {
  std::vector<Date> out;
  for (const std::int32_t s : holidays_) {
    out.push_back(Date::from_serial(s));
  }
  return out;
}

std::vector<Date> Calendar::workdays() const {
  std::vector<Date> out;
  for (const std::int32_t s : workdays_) {
    out.push_back(Date::from_serial(s));
  }
  return out;
}

}  // namespace arscore::ledger
