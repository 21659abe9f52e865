// A program a user of arscore would write: include the umbrella header, link arscore::arscore.
#include <arscore/arscore.hpp>
#include <iostream>

int main() {
  const auto date = arscore::Date::parse("2026-12-04");
  static const char* const names[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                      "Friday", "Saturday", "Sunday"};
  std::cout << "arscore " << arscore::version_string << ": " << date.to_string() << " is a "
            << names[date.weekday()] << '\n';
  return 0;
}
