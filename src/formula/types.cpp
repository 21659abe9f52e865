#include "arscore/formula/types.hpp"

#include <array>
#include <charconv>
#include <cmath>

#include "arscore/formula/detail/syntax.hpp"
#include "arscore/formula/value.hpp"

namespace arscore::formula {

std::string_view to_string(Type type) noexcept {
  switch (type) {
    case Type::number:
      return "number";
    case Type::boolean:
      return "bool";
    case Type::string:
      return "string";
    case Type::date:
      return "date";
    case Type::null:
      return "null";
  }
  return "null";
}

std::optional<Type> parse_type(std::string_view name) noexcept {
  if (name == "number") return Type::number;
  if (name == "bool" || name == "boolean") return Type::boolean;
  if (name == "string") return Type::string;
  if (name == "date") return Type::date;
  return std::nullopt;
}

Type type_of(const Value& value) noexcept {
  switch (value.index()) {
    case 1:
      return Type::number;
    case 2:
      return Type::boolean;
    case 3:
      return Type::string;
    case 4:
      return Type::date;
    default:
      return Type::null;
  }
}

std::string to_display(const Value& value) {
  switch (value.index()) {
    case 1: {
      const double x = std::get<double>(value);
      std::array<char, 32> buffer{};
      const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), x);
      return std::string(buffer.data(), result.ptr);
    }
    case 2:
      return std::get<bool>(value) ? "true" : "false";
    case 3:
      return "\"" + std::get<std::string>(value) + "\"";
    case 4:
      return "date(\"" + std::get<Date>(value).to_string() + "\")";
    default:
      return "null";
  }
}

namespace detail {

std::string_view op_text(Op op) noexcept {
  switch (op) {
    case Op::or_:
      return "or";
    case Op::and_:
      return "and";
    case Op::not_:
      return "not";
    case Op::eq:
      return "==";
    case Op::ne:
      return "!=";
    case Op::lt:
      return "<";
    case Op::le:
      return "<=";
    case Op::gt:
      return ">";
    case Op::ge:
      return ">=";
    case Op::in:
      return "in";
    case Op::not_in:
      return "not in";
    case Op::add:
      return "+";
    case Op::sub:
      return "-";
    case Op::mul:
      return "*";
    case Op::div:
      return "/";
    case Op::neg:
      return "-";
    case Op::plus:
      return "+";
    case Op::pow:
      return "^";
  }
  return "?";
}

}  // namespace detail
}  // namespace arscore::formula
