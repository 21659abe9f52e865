// Internal: naming offending rows in error messages.
#include "ledger/row_report.hpp"

#include "arscore/core/error.hpp"

namespace arscore::ledger::detail {

std::string describe_rows(const std::vector<std::size_t>& rows) {
  constexpr std::size_t shown = 10;
  std::string text = rows.size() == 1 ? "row " : "rows ";
  for (std::size_t i = 0; i < rows.size() && i < shown; ++i) {
    text += (i ? ", " : "") + std::to_string(rows[i]);
  }
  if (rows.size() > shown) {
    text += ", … (first " + std::to_string(shown) + " of " + std::to_string(rows.size()) + ")";
  }
  return text;
}

void throw_if_rows(const std::vector<std::size_t>& rows, const std::string& code,
                   const std::string& table, const std::string& what) {
  if (!rows.empty()) {
    throw Error(code, what + ": " + table + " " + describe_rows(rows));
  }
}

}  // namespace arscore::ledger::detail
