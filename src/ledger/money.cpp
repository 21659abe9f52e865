// Exact money: minor units, currency table, FX table.
#include "arscore/ledger/money.hpp"

#include <algorithm>
#include <array>
#include <cassert>
#include <charconv>
#include <cmath>
#include <string>

#include "arscore/core/error.hpp"

namespace arscore::ledger {

namespace {

constexpr std::array<std::int64_t, 10> powers_of_ten = {
    1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000};

MinorUnits checked(double rounded, double original) {
  if (!(std::fabs(rounded) <= static_cast<double>(max_minor_units))) {
    throw Error("ledger.money.out_of_range",
                "amount " + std::to_string(original) + " exceeds 2^53 minor units");
  }
  return static_cast<MinorUnits>(rounded);
}

// Rounds the decimal text of |amount| (shortest round-trip, fixed notation) to `digits`
// decimals, half away from zero. Used only when the fast path sees a value near a half.
MinorUnits decimal_round(double amount, int digits) {
  std::array<char, 400> buffer{};
  const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), std::fabs(amount),
                                    std::chars_format::fixed);
  assert(result.ec == std::errc{});
  const std::string_view text(buffer.data(), static_cast<std::size_t>(result.ptr - buffer.data()));
  const std::size_t point = text.find('.');
  const std::string_view whole = text.substr(0, point);
  const std::string_view fraction =
      point == std::string_view::npos ? std::string_view{} : text.substr(point + 1);
  if (whole.size() > 17) {
    throw Error("ledger.money.out_of_range",
                "amount " + std::string(text) + " exceeds 2^53 minor units");
  }
  std::int64_t value = 0;
  for (const char c : whole) {
    value = value * 10 + (c - '0');
  }
  const auto n_digits = static_cast<std::size_t>(digits);
  for (std::size_t i = 0; i < n_digits; ++i) {
    value = value * 10 + (i < fraction.size() ? fraction[i] - '0' : 0);
  }
  if (fraction.size() > n_digits && fraction[n_digits] >= '5') {
    ++value;
  }
  if (value > max_minor_units) {
    throw Error("ledger.money.out_of_range",
                "amount " + std::string(text) + " exceeds 2^53 minor units");
  }
  return amount < 0 ? -value : value;
}

}  // namespace

MinorUnits round_half_away(double value) noexcept {
  return static_cast<MinorUnits>(std::copysign(std::floor(std::fabs(value) + 0.5), value));
}

std::int64_t minor_per_major(int digits) noexcept {
  assert(digits >= 0 && digits <= 9);
  return powers_of_ten[static_cast<std::size_t>(digits)];
}

MinorUnits detail::to_minor_units_slow(double amount, int digits) {
  if (!std::isfinite(amount)) {
    throw Error("ledger.money.not_finite", "amount is not a finite number");
  }
  const double scaled = amount * static_cast<double>(minor_per_major(digits));
  const double nearest = std::nearbyint(scaled);
  if (std::fabs(scaled - nearest) < 1e-6 && std::fabs(scaled) < 1e15) {
    return checked(nearest, amount);
  }
  if (std::fabs(scaled) > 1e17) {
    return checked(scaled, amount);
  }
  return decimal_round(amount, digits);
}

double to_major(MinorUnits minor, int digits) noexcept {
  return static_cast<double>(minor) / static_cast<double>(minor_per_major(digits));
}

CurrencyTable CurrencyTable::standard() {
  CurrencyTable table;
  for (const char* code : {"USD", "EUR", "CNY", "GBP", "HKD", "SGD", "AUD", "CAD", "CHF", "SEK",
                           "NOK", "DKK", "NZD", "INR", "MXN", "BRL", "ZAR", "TWD", "THB", "MYR",
                           "PHP", "IDR", "RUB", "TRY", "PLN", "CZK", "HUF", "ILS", "AED", "SAR"}) {
    table.set(code, 2);
  }
  for (const char* code : {"JPY", "KRW", "VND", "CLP", "ISK"}) {
    table.set(code, 0);
  }
  for (const char* code : {"BHD", "KWD", "OMR", "JOD", "TND"}) {
    table.set(code, 3);
  }
  return table;
}

void CurrencyTable::set(std::string_view code, int digits) {
  if (code.empty() || digits < 0 || digits > 9) {
    throw Error("ledger.currency.invalid",
                "currency '" + std::string(code) + "' with " + std::to_string(digits) +
                    " decimals: the code must be non-empty and the decimals in 0..9");
  }
  digits_.insert_or_assign(std::string(code), digits);
}

bool CurrencyTable::contains(std::string_view code) const {
  return digits_.find(code) != digits_.end();
}

int CurrencyTable::digits(std::string_view code) const {
  const auto it = digits_.find(code);
  if (it == digits_.end()) {
    throw Error("ledger.currency.unknown", "unknown currency '" + std::string(code) + "'");
  }
  return it->second;
}

void FxTable::add(std::string_view currency, Date from, double rate) {
  if (!std::isfinite(rate) || rate <= 0) {
    throw Error("ledger.fx.invalid_rate", "rate " + std::to_string(rate) + " of " +
                                              std::string(currency) + " from " + from.to_string() +
                                              " is not a positive number");
  }
  auto& entries = rates_[std::string(currency)];
  const auto it = std::lower_bound(entries.begin(), entries.end(), from,
                                   [](const Entry& e, Date d) { return e.from < d; });
  if (it != entries.end() && it->from == from) {
    throw Error("ledger.fx.duplicate",
                "two rates of " + std::string(currency) + " from " + from.to_string());
  }
  entries.insert(it, Entry{from, rate});
}

double FxTable::rate(std::string_view currency, Date on) const {
  const auto found = rates_.find(currency);
  if (found != rates_.end()) {
    const auto& entries = found->second;
    const auto it = std::upper_bound(entries.begin(), entries.end(), on,
                                     [](Date d, const Entry& e) { return d < e.from; });
    if (it != entries.begin()) {
      return std::prev(it)->rate;
    }
  }
  throw Error("ledger.fx.missing_rate",
              "no " + std::string(currency) + " rate in force on " + on.to_string());
}

bool FxTable::has_currency(std::string_view currency) const {
  return rates_.find(currency) != rates_.end();
}

DecimalRate decimal_rate(double rate) {
  if (!std::isfinite(rate) || rate <= 0) {
    throw Error("ledger.fx.invalid_rate",
                "rate " + std::to_string(rate) + " is not a positive number");
  }
  std::array<char, 400> buffer{};
  const auto result =
      std::to_chars(buffer.data(), buffer.data() + buffer.size(), rate, std::chars_format::fixed);
  assert(result.ec == std::errc{});
  const std::string_view text(buffer.data(), static_cast<std::size_t>(result.ptr - buffer.data()));
  DecimalRate out{0, 0};
  bool after_point = false;
  int significant = 0;
  for (const char c : text) {
    if (c == '.') {
      after_point = true;
      continue;
    }
    if (out.mantissa != 0 || c != '0') {
      ++significant;
    }
    if (significant > 18) {
      break;  // cannot happen for a shortest round-trip double (at most 17 digits)
    }
    out.mantissa = out.mantissa * 10 + (c - '0');
    out.scale += after_point ? 1 : 0;
  }
  if (out.scale > 30 || significant > 18) {
    throw Error("ledger.fx.invalid_rate",
                "rate " + std::string(text) + " has more than 30 decimals");
  }
  return out;
}

MinorUnits convert_minor_units(MinorUnits minor, int from_digits, DecimalRate rate, int to_digits) {
  __extension__ using Int128 = __int128;
  if (rate.mantissa == 1 && rate.scale == 0 && from_digits == to_digits) {
    return minor;
  }
  const Int128 magnitude = minor < 0 ? -Int128{minor} : Int128{minor};
  Int128 numerator = 0;
  if (__builtin_mul_overflow(magnitude, Int128{rate.mantissa}, &numerator)) {
    throw Error("ledger.money.out_of_range", "currency conversion overflows");
  }
  int denominator_digits = rate.scale;
  if (to_digits >= from_digits) {
    if (__builtin_mul_overflow(numerator, Int128{minor_per_major(to_digits - from_digits)},
                               &numerator)) {
      throw Error("ledger.money.out_of_range", "currency conversion overflows");
    }
  } else {
    denominator_digits += from_digits - to_digits;
  }
  Int128 denominator = 1;
  for (int k = 0; k < denominator_digits; ++k) {
    denominator *= 10;
  }
  Int128 quotient = numerator / denominator;
  if (2 * (numerator % denominator) >= denominator) {
    ++quotient;
  }
  if (quotient > Int128{max_minor_units}) {
    throw Error("ledger.money.out_of_range", "converted amount exceeds 2^53 minor units");
  }
  const auto value = static_cast<MinorUnits>(quotient);
  return minor < 0 ? -value : value;
}

MinorUnits convert_minor_units(MinorUnits minor, int from_digits, double rate, int to_digits) {
  return convert_minor_units(minor, from_digits, decimal_rate(rate), to_digits);
}

}  // namespace arscore::ledger
