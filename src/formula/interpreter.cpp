// The vectorised interpreter: every step runs over a block of rows in a tight loop; rows are
// never evaluated by walking a tree.
#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>

#include "arscore/core/utf8.hpp"
#include "frame.hpp"

namespace arscore::formula::detail {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr double max_finite = std::numeric_limits<double>::max();

// Null for numbers is NaN; a result that is not finite (division by zero, overflow, a domain
// error) is null too.
inline double finite(double x) { return std::fabs(x) <= max_finite ? x : nan; }
inline bool is_nan(double x) { return x != x; }

inline double to_date(std::int64_t serial) {
  return serial < Date::min_serial || serial > Date::max_serial ? nan : static_cast<double>(serial);
}
inline Date date_of(double serial) { return Date::from_serial(static_cast<std::int64_t>(serial)); }

}  // namespace

double round_decimal(double x, int digits) noexcept {
  if (is_nan(x) || !std::isfinite(x)) return nan;
  digits = std::clamp(digits, -20, 20);
  // Shortest decimal that round-trips to x: the number the user wrote or would read.
  std::array<char, 64> buffer{};
  const auto written =
      std::to_chars(buffer.data(), buffer.data() + buffer.size(), x, std::chars_format::scientific);
  const std::string_view text(buffer.data(), static_cast<std::size_t>(written.ptr - buffer.data()));
  // text = [-]d[.ddd]e±XX
  const bool negative = text.front() == '-';
  const std::size_t e = text.find('e');
  std::string mantissa_digits;
  for (std::size_t i = negative ? 1 : 0; i < e; ++i) {
    if (text[i] != '.') mantissa_digits.push_back(text[i]);
  }
  int exponent = 0;
  std::from_chars(text.data() + e + (text[e + 1] == '+' ? 2 : 1), text.data() + text.size(),
                  exponent);
  // The value is 0.d1d2d3… × 10^(exponent + 1); keep (exponent + 1 + digits) digits.
  const int keep = exponent + 1 + digits;
  if (keep >= static_cast<int>(mantissa_digits.size())) return x;  // nothing to round
  if (keep < 0) return negative ? -0.0 : 0.0;
  std::string kept = mantissa_digits.substr(0, static_cast<std::size_t>(keep));
  const bool round_up = mantissa_digits[static_cast<std::size_t>(keep)] >= '5';
  int scale = exponent + 1;  // position of the decimal point after the first digit group
  if (round_up) {
    int i = static_cast<int>(kept.size()) - 1;
    while (i >= 0 && kept[static_cast<std::size_t>(i)] == '9') {
      kept[static_cast<std::size_t>(i)] = '0';
      --i;
    }
    if (i >= 0) {
      ++kept[static_cast<std::size_t>(i)];
    } else {
      kept.insert(kept.begin(), '1');
      ++scale;
    }
  }
  if (kept.empty()) return negative ? -0.0 : 0.0;
  // kept × 10^(scale - kept.size())
  std::string out =
      (negative ? "-" : "") + kept + "e" + std::to_string(scale - static_cast<int>(kept.size()));
  double result = 0;
  std::from_chars(out.data(), out.data() + out.size(), result);
  return result;
}

Frame::Frame(const CompiledProgram& program, std::size_t capacity) : program_(program) {
  const std::size_t count = program.registers.size();
  num_.resize(count);
  num_in_.assign(count, nullptr);
  num_out_.assign(count, nullptr);
  bool_.resize(count);
  str_.resize(count);
  for (std::uint32_t r = 0; r < count; ++r) {
    const Register& reg = program.registers[r];
    switch (reg.kind) {
      case Kind::num:
        num_[r].assign(capacity, nan);
        num_in_[r] = num_[r].data();
        num_out_[r] = num_[r].data();
        break;
      case Kind::boolean:
        bool_[r].assign(capacity, null_bool);
        break;
      case Kind::str:
        str_[r].assign(capacity, std::string_view{});
        break;
    }
    if (reg.constant) set_constant(r);
  }
}

void Frame::set_constant(std::uint32_t r) {
  const Register& reg = program_.registers[r];
  const Value& v = reg.value;
  switch (reg.kind) {
    case Kind::num: {
      double x = nan;
      if (const auto* d = std::get_if<double>(&v)) x = finite(*d);
      if (const auto* date = std::get_if<Date>(&v)) x = date->serial();
      std::fill(num_[r].begin(), num_[r].end(), x);
      num_in_[r] = num_[r].data();
      break;
    }
    case Kind::boolean: {
      const auto* b = std::get_if<bool>(&v);
      std::fill(bool_[r].begin(), bool_[r].end(),
                b == nullptr ? null_bool : (*b ? true_value : false_value));
      break;
    }
    case Kind::str: {
      const auto* s = std::get_if<std::string>(&v);
      std::fill(str_[r].begin(), str_[r].end(),
                s == nullptr ? std::string_view{} : std::string_view(s->data(), s->size()));
      break;
    }
  }
}

std::string_view Frame::keep(std::string s) {
  arena_.push_back(std::move(s));
  const std::string& kept = arena_.back();
  return {kept.data(), kept.size()};
}

void Frame::bind_columns(std::span<const ColumnView> columns, std::size_t first, std::size_t n) {
  for (std::uint32_t r = 0; r < program_.registers.size(); ++r) {
    const Register& reg = program_.registers[r];
    if (reg.input < 0) continue;
    const ColumnView& c = columns[static_cast<std::size_t>(reg.input)];
    switch (c.type()) {
      case Type::number:
        num_in_[r] = c.numbers_data() + first;
        break;
      case Type::date: {
        const std::int64_t* in = c.dates_data() + first;
        double* out = num_[r].data();
        for (std::size_t i = 0; i < n; ++i) out[i] = to_date(in[i]);
        num_in_[r] = out;
        break;
      }
      case Type::boolean: {
        const std::uint8_t* in = c.bools_data() + first;
        const std::uint8_t* valid = c.valid_data();
        std::uint8_t* out = bool_[r].data();
        for (std::size_t i = 0; i < n; ++i) {
          out[i] = (valid != nullptr && valid[first + i] == 0)
                       ? null_bool
                       : (in[i] != 0 ? true_value : false_value);
        }
        break;
      }
      case Type::string: {
        const std::int32_t* codes = c.codes_data() + first;
        const auto dictionary = c.dictionary();
        std::string_view* out = str_[r].data();
        for (std::size_t i = 0; i < n; ++i) {
          const std::int32_t code = codes[i];
          out[i] = code < 0 ? std::string_view{}
                            : std::string_view(dictionary[static_cast<std::size_t>(code)].data(),
                                               dictionary[static_cast<std::size_t>(code)].size());
        }
        break;
      }
      case Type::null:
        break;
    }
  }
}

void Frame::bind_row(std::span<const Value> row) {
  for (std::uint32_t r = 0; r < program_.registers.size(); ++r) {
    const Register& reg = program_.registers[r];
    if (reg.input < 0) continue;
    const Value& v = row[static_cast<std::size_t>(reg.input)];
    switch (reg.kind) {
      case Kind::num: {
        double x = nan;
        if (const auto* d = std::get_if<double>(&v)) x = finite(*d);
        if (const auto* date = std::get_if<Date>(&v)) x = date->serial();
        num_[r][0] = x;
        num_in_[r] = num_[r].data();
        break;
      }
      case Kind::boolean: {
        const auto* b = std::get_if<bool>(&v);
        bool_[r][0] = b == nullptr ? null_bool : (*b ? true_value : false_value);
        break;
      }
      case Kind::str: {
        const auto* s = std::get_if<std::string>(&v);
        str_[r][0] = s == nullptr ? std::string_view{} : std::string_view(s->data(), s->size());
        break;
      }
    }
  }
}

Value Frame::value_of(std::uint32_t r, std::size_t i) const {
  const Register& reg = program_.registers[r];
  switch (reg.kind) {
    case Kind::num: {
      const double x = num_in_[r][i];
      if (is_nan(x)) return {};
      if (reg.type == Type::date) return date_of(x);
      return x;
    }
    case Kind::boolean: {
      const std::uint8_t b = bool_[r][i];
      if (b == null_bool) return {};
      return b == true_value;
    }
    case Kind::str: {
      const std::string_view s = str_[r][i];
      if (s.data() == nullptr) return {};
      return std::string(s);
    }
  }
  return {};
}

namespace {

// tier() with K constant thresholds and constant results: one pass, K selects per row,
// unrolled so that the compiler vectorises across rows.
template <std::size_t K>
void tier_pass(const double* __restrict x, const double* t, const double* r, double* __restrict out,
               std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    const double xi = x[i];
    double v = nan;
    for (std::size_t k = 0; k < K; ++k) v = xi >= t[k] ? r[k] : v;
    out[i] = v;
  }
}

}  // namespace

bool Frame::tier_with_constant_results(const Step& step, std::size_t n, const double* x,
                                       double* out) const {
  constexpr std::size_t max_pairs = 8;
  std::array<double, max_pairs> thresholds{};
  std::array<double, max_pairs> results{};
  const std::size_t pairs = (step.args.size() - 1) / 2;
  if (pairs > max_pairs) return false;
  for (std::size_t k = 0; k < pairs; ++k) {
    if (!program_.registers[step.args[2 + 2 * k]].constant) return false;
    thresholds[k] = num_in_[step.args[1 + 2 * k]][0];
    results[k] = num_in_[step.args[2 + 2 * k]][0];
  }
  switch (pairs) {
    case 1:
      tier_pass<1>(x, thresholds.data(), results.data(), out, n);
      break;
    case 2:
      tier_pass<2>(x, thresholds.data(), results.data(), out, n);
      break;
    case 3:
      tier_pass<3>(x, thresholds.data(), results.data(), out, n);
      break;
    case 4:
      tier_pass<4>(x, thresholds.data(), results.data(), out, n);
      break;
    case 5:
      tier_pass<5>(x, thresholds.data(), results.data(), out, n);
      break;
    case 6:
      tier_pass<6>(x, thresholds.data(), results.data(), out, n);
      break;
    case 7:
      tier_pass<7>(x, thresholds.data(), results.data(), out, n);
      break;
    default:
      tier_pass<8>(x, thresholds.data(), results.data(), out, n);
      break;
  }
  return true;
}

bool Frame::constant_ascending_thresholds(const Step& step) const {
  double previous = -std::numeric_limits<double>::infinity();
  for (std::size_t k = 1; k + 1 < step.args.size(); k += 2) {
    const Register& reg = program_.registers[step.args[k]];
    const auto* t = std::get_if<double>(&reg.value);
    if (!reg.constant || t == nullptr || *t < previous) return false;
    previous = *t;
  }
  return true;
}

void Frame::run_step(const Step& step, std::size_t n) {
  const auto& a = step.args;
  const std::uint32_t d = step.dst;
  double* out = num_out_[d];
  std::uint8_t* bout = bool_[d].data();
  std::string_view* sout = str_[d].data();

  // Constant operands are read as scalars, so `sales * 70%` is one pass over `sales`.
  const auto num_binary = [&](auto f) {
    const double* x = num_in_[a[0]];
    const double* y = num_in_[a[1]];
    const bool x_constant = program_.registers[a[0]].constant;
    const bool y_constant = program_.registers[a[1]].constant;
    if (y_constant && !x_constant) {
      const double c = y[0];
      for (std::size_t i = 0; i < n; ++i) out[i] = finite(f(x[i], c));
    } else if (x_constant && !y_constant) {
      const double c = x[0];
      for (std::size_t i = 0; i < n; ++i) out[i] = finite(f(c, y[i]));
    } else {
      for (std::size_t i = 0; i < n; ++i) out[i] = finite(f(x[i], y[i]));
    }
  };
  const auto num_unary = [&](auto f) {
    const double* x = num_in_[a[0]];
    for (std::size_t i = 0; i < n; ++i) out[i] = finite(f(x[i]));
  };
  const auto num_compare = [&](auto f) {
    const double* x = num_in_[a[0]];
    const double* y = num_in_[a[1]];
    if (program_.registers[a[1]].constant && !is_nan(y[0])) {
      const double c = y[0];
      for (std::size_t i = 0; i < n; ++i) {
        bout[i] = is_nan(x[i]) ? null_bool : static_cast<std::uint8_t>(f(x[i], c) ? 1 : 0);
      }
      return;
    }
    for (std::size_t i = 0; i < n; ++i) {
      bout[i] = (is_nan(x[i]) || is_nan(y[i])) ? null_bool
                                               : static_cast<std::uint8_t>(f(x[i], y[i]) ? 1 : 0);
    }
  };
  const auto str_compare = [&](auto f) {
    const std::string_view* x = str_[a[0]].data();
    const std::string_view* y = str_[a[1]].data();
    for (std::size_t i = 0; i < n; ++i) {
      bout[i] = (x[i].data() == nullptr || y[i].data() == nullptr)
                    ? null_bool
                    : static_cast<std::uint8_t>(f(x[i].compare(y[i])) ? 1 : 0);
    }
  };
  const auto date_unary = [&](auto f) {
    const double* x = num_in_[a[0]];
    for (std::size_t i = 0; i < n; ++i) out[i] = is_nan(x[i]) ? nan : f(date_of(x[i]));
  };
  const auto str_unary_to_bool = [&](auto f) {
    const std::string_view* x = str_[a[0]].data();
    const std::string_view* y = str_[a[1]].data();
    for (std::size_t i = 0; i < n; ++i) {
      bout[i] = (x[i].data() == nullptr || y[i].data() == nullptr)
                    ? null_bool
                    : static_cast<std::uint8_t>(f(x[i], y[i]) ? 1 : 0);
    }
  };

  switch (step.code) {
    case Code::add:
      num_binary([](double x, double y) { return x + y; });
      break;
    case Code::mul_add_mul:
    case Code::mul_sub_mul: {
      const double* __restrict x = num_in_[a[0]];
      const double* __restrict y = num_in_[a[2]];
      const double cx = num_in_[a[1]][0];
      const double cy = num_in_[a[3]][0];
      double* __restrict o = out;
      if (step.code == Code::mul_add_mul) {
        for (std::size_t i = 0; i < n; ++i) o[i] = finite(x[i] * cx + y[i] * cy);
      } else {
        for (std::size_t i = 0; i < n; ++i) o[i] = finite(x[i] * cx - y[i] * cy);
      }
      break;
    }
    case Code::sub:
      num_binary([](double x, double y) { return x - y; });
      break;
    case Code::mul:
      num_binary([](double x, double y) { return x * y; });
      break;
    case Code::div:
      num_binary([](double x, double y) { return y == 0 ? nan : x / y; });
      break;
    case Code::pow:  // IEEE gives pow(NaN, 0) = pow(1, NaN) = 1; null must stay null
      num_binary(
          [](double x, double y) { return (is_nan(x) || is_nan(y)) ? nan : std::pow(x, y); });
      break;
    case Code::mod:
      num_binary([](double x, double y) { return y == 0 ? nan : x - y * std::floor(x / y); });
      break;
    case Code::min2:
      num_binary(
          [](double x, double y) { return (is_nan(x) || is_nan(y)) ? nan : std::min(x, y); });
      break;
    case Code::max2:
      num_binary(
          [](double x, double y) { return (is_nan(x) || is_nan(y)) ? nan : std::max(x, y); });
      break;
    case Code::neg:
      num_unary([](double x) { return -x; });
      break;
    case Code::abs:
      num_unary([](double x) { return std::fabs(x); });
      break;
    case Code::floor:
      num_unary([](double x) { return std::floor(x); });
      break;
    case Code::ceil:
      num_unary([](double x) { return std::ceil(x); });
      break;
    case Code::sqrt:
      num_unary([](double x) { return x < 0 ? nan : std::sqrt(x); });
      break;
    case Code::ln:
      num_unary([](double x) { return x <= 0 ? nan : std::log(x); });
      break;
    case Code::log10:
      num_unary([](double x) { return x <= 0 ? nan : std::log10(x); });
      break;
    case Code::exp:
      num_unary([](double x) { return std::exp(x); });
      break;
    case Code::round:
      num_binary([](double x, double digits) {
        return is_nan(digits)
                   ? nan
                   : round_decimal(x,
                                   static_cast<int>(std::trunc(std::clamp(digits, -20.0, 20.0))));
      });
      break;
    case Code::num_eq:
      num_compare([](double x, double y) { return x == y; });
      break;
    case Code::num_ne:
      num_compare([](double x, double y) { return x != y; });
      break;
    case Code::num_lt:
      num_compare([](double x, double y) { return x < y; });
      break;
    case Code::num_le:
      num_compare([](double x, double y) { return x <= y; });
      break;
    case Code::num_gt:
      num_compare([](double x, double y) { return x > y; });
      break;
    case Code::num_ge:
      num_compare([](double x, double y) { return x >= y; });
      break;
    case Code::str_eq:
      str_compare([](int c) { return c == 0; });
      break;
    case Code::str_ne:
      str_compare([](int c) { return c != 0; });
      break;
    case Code::str_lt:
      str_compare([](int c) { return c < 0; });
      break;
    case Code::str_le:
      str_compare([](int c) { return c <= 0; });
      break;
    case Code::str_gt:
      str_compare([](int c) { return c > 0; });
      break;
    case Code::str_ge:
      str_compare([](int c) { return c >= 0; });
      break;
    case Code::bool_eq:
    case Code::bool_ne: {
      const std::uint8_t* x = bool_[a[0]].data();
      const std::uint8_t* y = bool_[a[1]].data();
      const bool eq = step.code == Code::bool_eq;
      for (std::size_t i = 0; i < n; ++i) {
        bout[i] = (x[i] == null_bool || y[i] == null_bool)
                      ? null_bool
                      : static_cast<std::uint8_t>((x[i] == y[i]) == eq ? 1 : 0);
      }
      break;
    }
    case Code::logic_and: {
      const std::uint8_t* x = bool_[a[0]].data();
      const std::uint8_t* y = bool_[a[1]].data();
      for (std::size_t i = 0; i < n; ++i) {
        bout[i] = (x[i] == false_value || y[i] == false_value) ? false_value
                  : (x[i] == null_bool || y[i] == null_bool)   ? null_bool
                                                               : true_value;
      }
      break;
    }
    case Code::logic_or: {
      const std::uint8_t* x = bool_[a[0]].data();
      const std::uint8_t* y = bool_[a[1]].data();
      for (std::size_t i = 0; i < n; ++i) {
        bout[i] = (x[i] == true_value || y[i] == true_value) ? true_value
                  : (x[i] == null_bool || y[i] == null_bool) ? null_bool
                                                             : false_value;
      }
      break;
    }
    case Code::logic_not: {
      const std::uint8_t* x = bool_[a[0]].data();
      for (std::size_t i = 0; i < n; ++i) {
        bout[i] = x[i] == null_bool ? null_bool : static_cast<std::uint8_t>(1 - x[i]);
      }
      break;
    }
    case Code::is_null_num: {
      const double* x = num_in_[a[0]];
      for (std::size_t i = 0; i < n; ++i) bout[i] = is_nan(x[i]) ? true_value : false_value;
      break;
    }
    case Code::is_null_bool: {
      const std::uint8_t* x = bool_[a[0]].data();
      for (std::size_t i = 0; i < n; ++i) bout[i] = x[i] == null_bool ? true_value : false_value;
      break;
    }
    case Code::is_null_str: {
      const std::string_view* x = str_[a[0]].data();
      for (std::size_t i = 0; i < n; ++i)
        bout[i] = x[i].data() == nullptr ? true_value : false_value;
      break;
    }
    case Code::select_num: {
      const std::uint8_t* c = bool_[a[0]].data();
      const double* x = num_in_[a[1]];
      const double* y = num_in_[a[2]];
      for (std::size_t i = 0; i < n; ++i) out[i] = c[i] == true_value ? x[i] : y[i];
      break;
    }
    case Code::select_bool: {
      const std::uint8_t* c = bool_[a[0]].data();
      const std::uint8_t* x = bool_[a[1]].data();
      const std::uint8_t* y = bool_[a[2]].data();
      for (std::size_t i = 0; i < n; ++i) bout[i] = c[i] == true_value ? x[i] : y[i];
      break;
    }
    case Code::select_str: {
      const std::uint8_t* c = bool_[a[0]].data();
      const std::string_view* x = str_[a[1]].data();
      const std::string_view* y = str_[a[2]].data();
      for (std::size_t i = 0; i < n; ++i) sout[i] = c[i] == true_value ? x[i] : y[i];
      break;
    }
    case Code::coalesce_num: {
      const double* x = num_in_[a[0]];
      const double* y = num_in_[a[1]];
      for (std::size_t i = 0; i < n; ++i) out[i] = is_nan(x[i]) ? y[i] : x[i];
      break;
    }
    case Code::coalesce_bool: {
      const std::uint8_t* x = bool_[a[0]].data();
      const std::uint8_t* y = bool_[a[1]].data();
      for (std::size_t i = 0; i < n; ++i) bout[i] = x[i] == null_bool ? y[i] : x[i];
      break;
    }
    case Code::coalesce_str: {
      const std::string_view* x = str_[a[0]].data();
      const std::string_view* y = str_[a[1]].data();
      for (std::size_t i = 0; i < n; ++i) sout[i] = x[i].data() == nullptr ? y[i] : x[i];
      break;
    }
    case Code::tier_num:
    case Code::tier_bool:
    case Code::tier_str: {
      const double* x = num_in_[a[0]];
      if (step.code == Code::tier_num && constant_ascending_thresholds(step)) {
        // Thresholds known and ascending: one branch-free select pass per threshold.
        if (tier_with_constant_results(step, n, x, out)) break;
        double* __restrict o = out;
        const double* __restrict xs = x;
        std::fill_n(o, n, nan);
        for (std::size_t k = 1; k + 1 < a.size(); k += 2) {
          const double t = num_in_[a[k]][0];
          if (program_.registers[a[k + 1]].constant) {
            const double r = num_in_[a[k + 1]][0];
            for (std::size_t i = 0; i < n; ++i) {
              const double current = o[i];
              o[i] = xs[i] >= t ? r : current;
            }
          } else {
            const double* __restrict r = num_in_[a[k + 1]];
            for (std::size_t i = 0; i < n; ++i) {
              const double current = o[i];
              o[i] = xs[i] >= t ? r[i] : current;
            }
          }
        }
        break;
      }
      for (std::size_t i = 0; i < n; ++i) {
        std::size_t best = 0;  // 0: none
        double best_threshold = 0;
        if (!is_nan(x[i])) {
          for (std::size_t k = 1; k + 1 < a.size(); k += 2) {
            const double t = num_in_[a[k]][i];
            if (!is_nan(t) && t <= x[i] && (best == 0 || t >= best_threshold)) {
              best = k + 1;
              best_threshold = t;
            }
          }
        }
        if (step.code == Code::tier_num) {
          out[i] = best == 0 ? nan : num_in_[a[best]][i];
        } else if (step.code == Code::tier_bool) {
          bout[i] = best == 0 ? null_bool : bool_[a[best]][i];
        } else {
          sout[i] = best == 0 ? std::string_view{} : str_[a[best]][i];
        }
      }
      break;
    }
    case Code::interp: {
      const double* x = num_in_[a[0]];
      const std::size_t points = (a.size() - 1) / 2;
      for (std::size_t i = 0; i < n; ++i) {
        double result = x[i];
        for (std::size_t k = 1; k < a.size() && !is_nan(result); ++k) {
          if (is_nan(num_in_[a[k]][i])) result = nan;
        }
        if (!is_nan(result)) {
          const auto px = [&](std::size_t k) { return num_in_[a[1 + 2 * k]][i]; };
          const auto py = [&](std::size_t k) { return num_in_[a[2 + 2 * k]][i]; };
          if (x[i] <= px(0)) {
            result = py(0);
          } else if (x[i] >= px(points - 1)) {
            result = py(points - 1);
          } else {
            for (std::size_t k = 1; k < points; ++k) {
              if (x[i] == px(k)) {  // on a breakpoint: its y exactly
                result = py(k);
                break;
              }
              if (x[i] < px(k)) {
                const double span = px(k) - px(k - 1);
                result =
                    span <= 0 ? py(k) : py(k - 1) + (py(k) - py(k - 1)) * (x[i] - px(k - 1)) / span;
                break;
              }
            }
          }
        }
        out[i] = finite(result);
      }
      break;
    }
    case Code::date_parse: {
      const std::string_view* s = str_[a[0]].data();
      for (std::size_t i = 0; i < n; ++i) {
        out[i] = nan;
        if (s[i].data() == nullptr) continue;
        try {
          out[i] = Date::parse(s[i]).serial();
        } catch (const Error&) {
          // a string that is not a date gives null
        }
      }
      break;
    }
    case Code::add_days:
    case Code::sub_days: {
      const double* x = num_in_[a[0]];
      const double* y = num_in_[a[1]];
      const double sign = step.code == Code::add_days ? 1.0 : -1.0;
      for (std::size_t i = 0; i < n; ++i) {
        const double r = x[i] + sign * std::floor(y[i]);
        out[i] = (is_nan(r) || r < Date::min_serial || r > Date::max_serial) ? nan : r;
      }
      break;
    }
    case Code::add_months: {
      const double* x = num_in_[a[0]];
      const double* y = num_in_[a[1]];
      for (std::size_t i = 0; i < n; ++i) {
        out[i] = nan;
        if (is_nan(x[i]) || is_nan(y[i]) || std::fabs(y[i]) > 120000) continue;
        try {
          out[i] = date_of(x[i]).add_months(static_cast<std::int64_t>(std::floor(y[i]))).serial();
        } catch (const Error&) {
          // out of the supported range: null
        }
      }
      break;
    }
    case Code::year:
      date_unary([](Date t) { return static_cast<double>(t.year()); });
      break;
    case Code::month:
      date_unary([](Date t) { return static_cast<double>(t.month()); });
      break;
    case Code::day:
      date_unary([](Date t) { return static_cast<double>(t.day()); });
      break;
    case Code::weekday:
      date_unary([](Date t) { return static_cast<double>(t.weekday()); });
      break;
    case Code::end_of_month:
      date_unary([](Date t) { return static_cast<double>(t.end_of_month().serial()); });
      break;
    case Code::lower:
    case Code::upper: {
      const std::string_view* s = str_[a[0]].data();
      const bool lower = step.code == Code::lower;
      for (std::size_t i = 0; i < n; ++i) {
        if (s[i].data() == nullptr) {
          sout[i] = {};
          continue;
        }
        std::string t(s[i]);
        for (char& c : t) {
          if (lower && c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
          if (!lower && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
        }
        sout[i] = keep(std::move(t));
      }
      break;
    }
    case Code::len: {
      const std::string_view* s = str_[a[0]].data();
      for (std::size_t i = 0; i < n; ++i) {
        out[i] = s[i].data() == nullptr ? nan : static_cast<double>(count_code_points(s[i]));
      }
      break;
    }
    case Code::contains:
      str_unary_to_bool([](std::string_view x, std::string_view y) {
        return x.find(y) != std::string_view::npos;
      });
      break;
    case Code::starts_with:
      str_unary_to_bool(
          [](std::string_view x, std::string_view y) { return x.substr(0, y.size()) == y; });
      break;
  }
}

}  // namespace arscore::formula::detail
