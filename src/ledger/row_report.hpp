#pragma once
// Internal: naming offending rows in error messages.
#include <cstddef>
#include <string>
#include <vector>

namespace arscore::ledger::detail {

/// "rows 3, 7, 9" for up to 10 rows; "rows 3, 7, … (first 10 of 25)" beyond.
std::string describe_rows(const std::vector<std::size_t>& rows);

/// Throws arscore::Error(code, "<what> in <table> rows …") when `rows` is not empty.
void throw_if_rows(const std::vector<std::size_t>& rows, const std::string& code,
                   const std::string& table, const std::string& what);

}  // namespace arscore::ledger::detail
