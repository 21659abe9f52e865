#include "core/json_text.hpp"

namespace arscore::detail {

std::optional<nlohmann::json> parse_json(std::string_view text, JsonFailure& failure) {
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    failure = JsonFailure{e.what(), e.byte};
  } catch (const nlohmann::json::exception& e) {
    failure = JsonFailure{e.what(), std::nullopt};
  }
  return std::nullopt;
}

}  // namespace arscore::detail
