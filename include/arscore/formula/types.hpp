#pragma once
/// \file
/// The types of the formula language, the schema that types variables, and compile limits.

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace arscore::formula {

/// The type of a formula value. `null` is only the type of the literal `null` before the
/// checker unifies it with its context; no variable or result has it.
enum class Type : unsigned char { number, boolean, string, date, null };

/// "number", "bool", "string", "date" or "null".
[[nodiscard]] std::string_view to_string(Type type) noexcept;

/// Parses "number", "bool" (or "boolean"), "string" or "date"; nullopt for anything else.
[[nodiscard]] std::optional<Type> parse_type(std::string_view name) noexcept;

/// Types the variables a formula may use.
///
/// An *open* schema (the default, and what `Formula(text)` uses without types) accepts any
/// name: listed names have their listed type, every other name is a number. A *closed*
/// schema accepts only the listed names; any other name is the diagnostic
/// `formula.check.unknown_name`, with the nearest listed name suggested.
struct Schema {
  /// Variable name → type. Names compare by exact code points.
  std::map<std::string, Type, std::less<>> types;
  /// False: unlisted names are errors. True: unlisted names are numbers.
  bool open = true;

  /// An open schema: every name is a number unless listed.
  static Schema open_schema(std::map<std::string, Type, std::less<>> types = {}) {
    return Schema{std::move(types), true};
  }
  /// A closed schema: exactly the listed names.
  static Schema closed(std::map<std::string, Type, std::less<>> types) {
    return Schema{std::move(types), false};
  }
};

/// Limits on what a formula text may cost to compile. Exceeding one is a diagnostic
/// (`formula.limit.text_length`, `formula.limit.depth`, `formula.limit.nodes`), never a
/// crash or a stack overflow.
struct Limits {
  std::size_t max_text_bytes = 1U << 20U;  ///< Longest accepted text, in bytes (1 MiB).
  std::size_t max_depth = 100;             ///< Deepest nesting of sub-expressions.
  std::size_t max_nodes = 100000;          ///< Most syntax nodes in one text.
};

}  // namespace arscore::formula
