// The function table of the formula language: names and lookup.
#include <array>
#include <utility>

#include "compiled.hpp"

namespace arscore::formula::detail {
namespace {

constexpr std::array<std::pair<std::string_view, Function>, 31> table{{
    {"min", Function::min},
    {"max", Function::max},
    {"abs", Function::abs},
    {"round", Function::round},
    {"floor", Function::floor},
    {"ceil", Function::ceil},
    {"sqrt", Function::sqrt},
    {"ln", Function::ln},
    {"log10", Function::log10},
    {"exp", Function::exp},
    {"pow", Function::pow},
    {"mod", Function::mod},
    {"clamp", Function::clamp},
    {"coalesce", Function::coalesce},
    {"is_null", Function::is_null},
    {"tier", Function::tier},
    {"interp", Function::interp},
    {"date", Function::date},
    {"days_between", Function::days_between},
    {"add_days", Function::add_days},
    {"add_months", Function::add_months},
    {"year", Function::year},
    {"month", Function::month},
    {"day", Function::day},
    {"end_of_month", Function::end_of_month},
    {"weekday", Function::weekday},
    {"lower", Function::lower},
    {"upper", Function::upper},
    {"len", Function::len},
    {"contains", Function::contains},
    {"starts_with", Function::starts_with},
}};

}  // namespace

std::optional<Function> find_function(std::string_view name) noexcept {
  for (const auto& [known, function] : table) {
    if (known.size() != name.size()) {
      continue;
    }
    bool same = true;
    for (std::size_t i = 0; i < name.size() && same; ++i) {
      char c = name[i];
      if (c >= 'A' && c <= 'Z') {
        c = static_cast<char>(c - 'A' + 'a');
      }
      same = c == known[i];
    }
    if (same) {
      return function;
    }
  }
  return std::nullopt;
}

const std::vector<std::string>& function_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const auto& entry : table) {
      out.emplace_back(entry.first);
    }
    return out;
  }();
  return names;
}

Kind kind_of(Type type) noexcept {
  switch (type) {
    case Type::boolean:
      return Kind::boolean;
    case Type::string:
      return Kind::str;
    default:
      return Kind::num;
  }
}

}  // namespace arscore::formula::detail
