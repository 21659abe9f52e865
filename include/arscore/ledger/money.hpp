#pragma once
/// \file
/// Exact money: amounts as integer minor units of a currency, the currency table that knows
/// each currency's minor unit, and the FX table that converts into the reporting currency.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "arscore/core/date.hpp"

namespace arscore::ledger {

/// An amount in minor units (cents, fen; yen for JPY). Sums of these are exact.
using MinorUnits = std::int64_t;

/// The largest magnitude an amount may have in minor units (2^53): every such amount is also
/// exact as a double, so conversions to float64 never lose a unit.
inline constexpr MinorUnits max_minor_units = MinorUnits{1} << 53;

/// Rounds `value` to the nearest integer, halves away from zero (2.5 → 3, −2.5 → −3).
/// Never throws; the caller ensures |value| < 2^63.
[[nodiscard]] MinorUnits round_half_away(double value) noexcept;

/// Converts a decimal amount given as a double (e.g. 12.34) into minor units with `digits`
/// decimals, rounding half away from zero on the decimal value the double denotes (its
/// shortest round-trip representation), so 0.1 → 10, 2.675 → 268 (not 267). Throws
/// arscore::Error "ledger.money.not_finite" for NaN/inf and "ledger.money.out_of_range" when
/// the result exceeds max_minor_units.
[[nodiscard]] inline MinorUnits to_minor_units(double amount, int digits);

/// The decimal value of `minor` minor units with `digits` decimals as the nearest double
/// (exact to the minor unit: 1234 with 2 digits gives the double nearest 12.34). Never throws.
[[nodiscard]] double to_major(MinorUnits minor, int digits) noexcept;

/// 10^digits for digits in 0..9. Never throws (digits is validated on entry to the table).
[[nodiscard]] std::int64_t minor_per_major(int digits) noexcept;

/// The currencies a ledger accepts and their number of decimals (minor-unit digits).
/// Codes are compared exactly (case-sensitive, "USD" ≠ "usd").
class CurrencyTable {
 public:
  /// A table holding the common ISO 4217 currencies: 2 decimals by default, 0 for JPY, KRW,
  /// VND, CLP, ISK; 3 for BHD, KWD, OMR, JOD, TND.
  static CurrencyTable standard();

  /// An empty table.
  CurrencyTable() = default;

  /// Adds or replaces `code` with `digits` decimals. Throws arscore::Error
  /// "ledger.currency.invalid" when the code is empty or digits is outside 0..9.
  void set(std::string_view code, int digits);

  /// True when `code` is known.
  [[nodiscard]] bool contains(std::string_view code) const;

  /// The decimals of `code`. Throws arscore::Error "ledger.currency.unknown" naming the code.
  [[nodiscard]] int digits(std::string_view code) const;

 private:
  std::map<std::string, int, std::less<>> digits_;
};

/// Exchange rates into the reporting currency. A rate is in force from its date until the
/// next rate of the same currency; `rate` is reporting-currency major units per one major
/// unit of the currency. The reporting currency itself always converts at exactly 1.
class FxTable {
 public:
  /// An empty table (only the reporting currency converts).
  FxTable() = default;

  /// Adds a rate for `currency` in force from `from`. Throws arscore::Error
  /// "ledger.fx.invalid_rate" when the rate is not finite and positive, and
  /// "ledger.fx.duplicate" when the currency already has a rate from that date.
  void add(std::string_view currency, Date from, double rate);

  /// The rate of `currency` in force on `on`. Throws arscore::Error "ledger.fx.missing_rate"
  /// naming the currency and the date when no rate of that currency starts on or before `on`.
  [[nodiscard]] double rate(std::string_view currency, Date on) const;

  /// True when the table has at least one rate for `currency`.
  [[nodiscard]] bool has_currency(std::string_view currency) const;

 private:
  struct Entry {
    Date from;
    double rate;
  };
  std::map<std::string, std::vector<Entry>, std::less<>> rates_;
};

/// An exchange rate as the exact decimal mantissa × 10^−scale, taken from the shortest
/// decimal text that round-trips the double (0.006405 → 6405 × 10^−6), so conversions use the
/// rate the user wrote, not its binary approximation.
struct DecimalRate {
  std::int64_t mantissa = 1;
  int scale = 0;
};

/// The decimal form of `rate`. Throws arscore::Error "ledger.fx.invalid_rate" when the rate is
/// not finite and positive or needs more than 30 decimals.
[[nodiscard]] DecimalRate decimal_rate(double rate);

/// Converts `minor` units of a currency with `from_digits` decimals into minor units of the
/// reporting currency with `to_digits` decimals: the exact decimal product
/// minor × rate × 10^(to_digits − from_digits), rounded half away from zero to an integer
/// (computed in 128-bit integers, so 1000 JPY at 0.006405 is exactly 6.405 USD → 641 cents).
/// Throws arscore::Error "ledger.money.out_of_range" when the result exceeds max_minor_units
/// or the intermediate product overflows.
[[nodiscard]] MinorUnits convert_minor_units(MinorUnits minor, int from_digits, DecimalRate rate,
                                             int to_digits);

/// convert_minor_units with decimal_rate(rate). Throws as both do.
[[nodiscard]] MinorUnits convert_minor_units(MinorUnits minor, int from_digits, double rate,
                                             int to_digits);

namespace detail {
/// The careful path of to_minor_units (values near a half, huge or not finite).
[[nodiscard]] MinorUnits to_minor_units_slow(double amount, int digits);
inline constexpr double powers_of_ten_double[10] = {1e0, 1e1, 1e2, 1e3, 1e4,
                                                    1e5, 1e6, 1e7, 1e8, 1e9};
}  // namespace detail

inline MinorUnits to_minor_units(double amount, int digits) {
  // Fast path, inline and without libm: an amount within 1e-6 of a whole number of minor
  // units (every amount that has at most `digits` decimals) is that number.
  const double scaled = amount * detail::powers_of_ten_double[digits];
  if (scaled > -1e15 && scaled < 1e15) {
    const auto nearest = static_cast<MinorUnits>(scaled + (scaled >= 0 ? 0.5 : -0.5));
    const double error = scaled - static_cast<double>(nearest);
    if (error < 1e-6 && error > -1e-6) {
      return nearest;
    }
  }
  return detail::to_minor_units_slow(amount, digits);
}

}  // namespace arscore::ledger
