// A tour of arscore's core: due dates, month-end terms and a diagnostic with a caret.
// Prints what an AR clerk would compute by hand.
#include <arscore/arscore.hpp>
#include <iostream>
#include <string>

int main() {
  std::cout << "arscore " << arscore::version_string << "\n\n";

  const auto issued = arscore::Date::parse("2026-01-31");
  std::cout << "invoice issued " << issued.to_string() << '\n';
  std::cout << "  net 30 due          " << issued.add_days(30).to_string() << '\n';
  std::cout << "  2026-01-31 + 1 month = " << issued.add_months(1).to_string() << '\n';
  std::cout << "  end of next month   " << issued.add_months(1).end_of_month().to_string() << '\n';

  const auto as_of = arscore::Date::parse("2026-12-04");
  const auto due = arscore::Date::parse("2026-11-03");
  std::cout << "\nas of " << as_of.to_string() << ", an invoice due " << due.to_string() << " is "
            << due.days_until(as_of) << " days past due\n\n";

  // Bad input is reported with its code, and positions count characters, not bytes.
  try {
    (void)arscore::Date::parse("2026-02-30");
  } catch (const arscore::Error& e) {
    std::cout << "rejected input: " << e.what() << "\n\n";
  }
  const std::string rule = "业绩 = 销售额 × 70% + 回款律 × 30%";
  const std::size_t at = rule.find("回款律");
  const auto diagnostic =
      arscore::make_diagnostic(rule, arscore::Severity::error, "formula.check.unknown_name",
                               "unknown variable '回款律' — did you mean '回款率'?",
                               {at, at + std::string("回款律").size()});
  std::cout << arscore::render(diagnostic, rule);
  return 0;
}
