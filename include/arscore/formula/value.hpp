#pragma once
/// \file
/// One formula value, as rows are evaluated and explained.

#include <string>
#include <variant>

#include "arscore/core/date.hpp"
#include "arscore/formula/types.hpp"

namespace arscore::formula {

/// A formula value: null (std::monostate), a number, a bool, a string or a date.
using Value = std::variant<std::monostate, double, bool, std::string, Date>;

/// The formula type of a value (`Type::null` for std::monostate).
[[nodiscard]] Type type_of(const Value& value) noexcept;

/// A readable rendering: "null", numbers in shortest round-trip form ("0.7", "12"),
/// "true"/"false", strings quoted ("\"East\""), dates as "date(\"2026-12-04\")".
[[nodiscard]] std::string to_display(const Value& value);

}  // namespace arscore::formula
