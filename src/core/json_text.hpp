#pragma once
// Parsing JSON text for the library's readers (policy, state, model). Internal.

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace arscore::detail {

/// Why a text is not a JSON document.
struct JsonFailure {
  std::string message;              ///< nlohmann's what()
  std::optional<std::size_t> byte;  ///< where, for a syntax error
};

/// The document in `text`, or nothing with `failure` set: a syntax error, or a number beyond
/// double range (nlohmann reports that as out_of_range, not as a parse error). Never throws
/// (beyond std::bad_alloc).
std::optional<nlohmann::json> parse_json(std::string_view text, JsonFailure& failure);

}  // namespace arscore::detail
