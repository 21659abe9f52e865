// arscore::core: dates, UTF-8, diagnostics and their rendering, errors.
#include "arscore/core.hpp"

#include <doctest/doctest.h>

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

using arscore::Date;

TEST_CASE("core: version comes from the CMake project") {
  CHECK(std::string(arscore::version_string) == std::to_string(ARSCORE_VERSION_MAJOR) + "." +
                                                    std::to_string(ARSCORE_VERSION_MINOR) + "." +
                                                    std::to_string(ARSCORE_VERSION_PATCH));
}

TEST_CASE("core: date serials match numpy datetime64[D]") {
  CHECK(Date::from_ymd(1970, 1, 1).serial() == 0);
  CHECK(Date::from_ymd(2026, 12, 4).serial() == 20791);
  CHECK(Date::from_ymd(2000, 2, 29).serial() == 11016);
  CHECK(Date::from_ymd(1969, 12, 31).serial() == -1);
  CHECK(Date::from_ymd(1, 1, 1).serial() == Date::min_serial);
  CHECK(Date::from_ymd(9999, 12, 31).serial() == Date::max_serial);
}

TEST_CASE("core: every serial round-trips through year, month and day") {
  for (std::int64_t serial = Date::min_serial; serial <= Date::max_serial; serial += 97) {
    const Date date = Date::from_serial(serial);
    const Date again = Date::from_ymd(date.year(), date.month(), date.day());
    REQUIRE(again.serial() == serial);
  }
}

TEST_CASE("core: date parsing and formatting") {
  CHECK(Date::parse("2026-12-04").to_string() == "2026-12-04");
  CHECK(Date::parse("0001-01-01").serial() == Date::min_serial);
  CHECK_THROWS_WITH_AS(Date::parse("2026-02-30"),
                       "[core.date.invalid] '2026-02-30' is not a date in the form YYYY-MM-DD: "
                       "day 30 does not exist in 2026-02",
                       arscore::Error);
  CHECK_THROWS_WITH_AS(Date::parse("2026-1-04"),
                       "[core.date.invalid] '2026-1-04' is not a date in the form YYYY-MM-DD: "
                       "expected 10 characters shaped YYYY-MM-DD",
                       arscore::Error);
  CHECK_THROWS_WITH_AS(Date::parse("2026-x1-04"),
                       "[core.date.invalid] '2026-x1-04' is not a date in the form YYYY-MM-DD: "
                       "character 6 is not a digit",
                       arscore::Error);
  CHECK_THROWS_AS(Date::parse("0000-01-01"), arscore::Error);
  CHECK_THROWS_AS(Date::from_ymd(2026, 13, 1), arscore::Error);
}

TEST_CASE("core: calendar arithmetic") {
  const Date d = Date::parse("2026-01-31");
  CHECK(d.add_days(1).to_string() == "2026-02-01");
  CHECK(d.add_days(-31).to_string() == "2025-12-31");
  CHECK(d.add_months(1).to_string() == "2026-02-28");
  CHECK(Date::parse("2024-01-31").add_months(1).to_string() == "2024-02-29");
  CHECK(d.add_months(-2).to_string() == "2025-11-30");
  CHECK(d.add_months(-13).to_string() == "2024-12-31");
  CHECK(d.add_months(12 * 7).to_string() == "2033-01-31");
  CHECK(Date::parse("2026-02-10").end_of_month().to_string() == "2026-02-28");
  CHECK(Date::parse("2026-12-04").weekday() == 4);  // Friday
  CHECK(Date::parse("1970-01-05").weekday() == 0);  // Monday
  CHECK(Date::parse("1969-12-28").weekday() == 6);  // Sunday
  CHECK(d.days_until(Date::parse("2026-03-01")) == 29);
  CHECK_THROWS_WITH_AS((void)Date::parse("9999-12-31").add_days(1),
                       "[core.date.out_of_range] date serial 2932897 is outside the supported "
                       "range 0001-01-01 .. 9999-12-31",
                       arscore::Error);
  CHECK_THROWS_AS((void)Date::parse("0001-01-31").add_months(-1), arscore::Error);
}

TEST_CASE("core: UTF-8 decoding rejects what is not UTF-8") {
  const std::string text = "a\xE5\x9B\x9E";  // a回
  auto first = arscore::decode_utf8(text, 0);
  REQUIRE(first);
  CHECK(first->code_point == U'a');
  auto second = arscore::decode_utf8(text, 1);
  REQUIRE(second);
  CHECK(second->code_point == U'回');
  CHECK(second->length == 3);
  CHECK_FALSE(arscore::find_invalid_utf8(text));
  CHECK(arscore::find_invalid_utf8("ok\x80") == 2U);            // stray continuation
  CHECK(arscore::find_invalid_utf8("\xC0\xAF") == 0U);          // overlong '/'
  CHECK(arscore::find_invalid_utf8("\xED\xA0\x80") == 0U);      // surrogate
  CHECK(arscore::find_invalid_utf8("x\xE5\x9B") == 1U);         // truncated
  CHECK(arscore::find_invalid_utf8("\xF4\x90\x80\x80") == 0U);  // above U+10FFFF
  std::string round_trip;
  for (char32_t cp : {U'a', U'é', U'回', U'😀'}) {
    arscore::append_utf8(round_trip, cp);
  }
  CHECK(round_trip == "a\xC3\xA9\xE5\x9B\x9E\xF0\x9F\x98\x80");
  CHECK(arscore::count_code_points(round_trip) == 4);
  CHECK(arscore::display_width(U'回') == 2);
  CHECK(arscore::display_width(U'（') == 2);
  CHECK(arscore::display_width(U'a') == 1);
  CHECK(arscore::display_width(U'\u200B') == 0);
}

TEST_CASE("core: positions count characters, not bytes") {
  const std::string source = "业绩 = 回款率\r\n  x + y";
  CHECK(arscore::position_of(source, 0) == arscore::SourcePosition{1, 1});
  CHECK(arscore::position_of(source, source.find("回")) == arscore::SourcePosition{1, 6});
  CHECK(arscore::position_of(source, source.find('x')) == arscore::SourcePosition{2, 3});
  CHECK(arscore::position_of(source, source.size() + 10) == arscore::SourcePosition{2, 8});
}

TEST_CASE("core: diagnostics render the line with a caret aligned by display width") {
  const std::string source = "a = 1\n业绩 = 回款律 * 2";
  const std::size_t begin = source.find("回款律");
  const auto diagnostic = arscore::make_diagnostic(
      source, arscore::Severity::error, "formula.check.unknown_name",
      "unknown variable '回款律' — did you mean '回款率'?", {begin, begin + 9});
  CHECK(diagnostic.position == arscore::SourcePosition{2, 6});
  CHECK(arscore::render(diagnostic, source) ==
        "error[formula.check.unknown_name] at line 2, column 6: unknown variable '回款律' — did "
        "you mean '回款率'?\n"
        "  2 | 业绩 = 回款律 * 2\n"
        "    |        ^~~~~~\n");

  const auto at_end = arscore::make_diagnostic(source, arscore::Severity::warning, "x.y",
                                               "ends early", {source.size(), source.size()});
  CHECK(arscore::render(at_end, source) ==
        "warning[x.y] at line 2, column 13: ends early\n"
        "  2 | 业绩 = 回款律 * 2\n"
        "    |                  ^\n");

  const std::vector<arscore::Diagnostic> both{diagnostic, at_end};
  CHECK(arscore::render(both, source) ==
        arscore::render(diagnostic, source) + "\n" + arscore::render(at_end, source));
}

TEST_CASE("core: Error carries a stable code") {
  const arscore::Error error("core.example", "something is wrong");
  CHECK(error.code() == "core.example");
  CHECK(error.message() == "something is wrong");
  CHECK(std::string(error.what()) == "[core.example] something is wrong");
}

TEST_CASE("core: SortedMap keeps keys ascending, the last duplicate wins, find_from gallops") {
  using Map = arscore::SortedMap<int, std::string>;
  const Map map({{5, "e"}, {1, "a"}, {3, "c"}, {5, "E"}, {2, "b"}});
  CHECK(map.size() == 4);
  std::vector<int> keys;
  for (const auto& [key, value] : map) {
    keys.push_back(key);
  }
  CHECK(keys == std::vector<int>{1, 2, 3, 5});
  CHECK(map.at(5) == "E");
  CHECK(map.find(4) == nullptr);
  CHECK(map.count(3) == 1);
  CHECK_THROWS_AS((void)map.at(9), std::out_of_range);

  // find_from: ascending, repeated, descending and absent keys all answer like find().
  std::vector<std::pair<int, int>> many;
  for (int i = 0; i < 1000; ++i) {
    many.emplace_back(3 * i, i);
  }
  const arscore::SortedMap<int, int> big(std::move(many));
  std::size_t hint = 0;
  for (const int key : {0, 0, 3, 4, 300, 300, 301, 2997, 2998, 6, 3000, -1, 1500}) {
    const int* expected = big.find(key);
    const int* found = big.find_from(hint, key);
    CHECK(found == expected);
  }

  Map edited;
  edited.insert_or_assign(2, "b");
  edited.insert_or_assign(9, "i");
  edited.insert_or_assign(4, "d");  // in the middle
  edited.insert_or_assign(9, "I");  // replaces
  CHECK(edited == Map({{2, "b"}, {4, "d"}, {9, "I"}}));
}
