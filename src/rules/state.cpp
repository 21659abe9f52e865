#include "arscore/rules/state.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <utility>
#include <vector>

#include "arscore/core/error.hpp"
#include "arscore/rules/policy_error.hpp"
#include "core/json_text.hpp"

namespace arscore::rules {

namespace {
using nlohmann::json;
constexpr const char* format_name = "arscore.escalation_state";

// Collects problems while reading a state document.
struct StateReader {
  std::vector<PolicyProblem> problems;

  void problem(std::string path, std::string message) {
    problems.push_back(PolicyProblem{std::move(path), "rules.state.invalid", std::move(message)});
  }

  std::optional<Date> date(const json& value, const std::string& path) {
    if (!value.is_string()) {
      problem(path, "expected a date \"YYYY-MM-DD\", got " + value.dump());
      return std::nullopt;
    }
    try {
      return Date::parse(value.get<std::string>());
    } catch (const Error& e) {
      problem(path, e.message());
      return std::nullopt;
    }
  }

  std::optional<std::int64_t> integer(const json& value, const std::string& path) {
    if (!value.is_number_integer() ||
        (value.is_number_unsigned() &&
         value.get<std::uint64_t>() >
             static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))) {
      problem(path, "expected a 64-bit integer, got " + value.dump());
      return std::nullopt;
    }
    return value.get<std::int64_t>();
  }

  const json* member(const json& object, const std::string& path, const char* key) {
    if (!object.is_object() || !object.contains(key)) {
      problem(path + "/" + key, std::string("'") + key + "' is required");
      return nullptr;
    }
    return &object[key];
  }

  // One problem per entry whose key an earlier entry of the array already had.
  void duplicates(std::vector<std::pair<std::int64_t, std::size_t>> positions,
                  const std::string& array_path, const char* member, const char* what) {
    std::sort(positions.begin(), positions.end());
    for (std::size_t k = 1; k < positions.size(); ++k) {
      if (positions[k].first == positions[k - 1].first) {
        problem(array_path + "/" + std::to_string(positions[k].second) + "/" + member,
                std::string(what) + " " + std::to_string(positions[k].first) +
                    " is listed twice (already at " + array_path + "/" +
                    std::to_string(positions[k - 1].second) + ")");
      }
    }
  }

  const json* array(const json& object, const char* key) {
    const json* value = member(object, "", key);
    if (value != nullptr && !value->is_array()) {
      problem(std::string("/") + key, "expected an array, got " + value->dump());
      return nullptr;
    }
    return value;
  }
};
}  // namespace

std::string EscalationState::to_json() const {
  json doc;
  doc["format"] = format_name;
  doc["version"] = 1;
  doc["policy"] = {{"id", policy_id}, {"version", policy_version}};
  doc["last_run"] = last_run ? json(last_run->to_string()) : json(nullptr);
  json items = json::array();
  for (const auto& [id, progress] : invoices) {
    items.push_back(
        {{"invoice_id", id}, {"level", progress.level}, {"since", progress.since.to_string()}});
  }
  doc["invoices"] = std::move(items);
  json flags = json::array();
  for (const auto& [key, since] : active_flags) {
    flags.push_back({{"flag", key}, {"since", since.to_string()}});
  }
  doc["flags"] = std::move(flags);
  json last = json::array();
  for (const auto& [customer, day] : last_action) {
    last.push_back({{"customer_id", customer}, {"date", day.to_string()}});
  }
  doc["last_action"] = std::move(last);
  return doc.dump();
}

EscalationState EscalationState::from_json(std::string_view text) {
  detail::JsonFailure failure;
  const std::optional<json> parsed = detail::parse_json(text, failure);
  if (!parsed) {
    throw PolicyError("rules.state.json", {PolicyProblem{"", "rules.state.json", failure.message}});
  }
  const json& doc = *parsed;
  EscalationState state;
  StateReader r;
  if (!doc.is_object()) {
    r.problem("", "expected an object, got " + doc.dump());
    throw PolicyError("rules.state.invalid", std::move(r.problems));
  }
  if (const json* format = r.member(doc, "", "format");
      format != nullptr && *format != format_name) {
    r.problem("/format", std::string("expected \"") + format_name + "\", got " + format->dump());
  }
  if (const json* version = r.member(doc, "", "version"); version != nullptr && *version != 1) {
    r.problem("/version", "unsupported state version " + version->dump() + " (expected 1)");
  }
  if (const json* policy = r.member(doc, "", "policy"); policy != nullptr) {
    if (const json* id = r.member(*policy, "/policy", "id"); id != nullptr) {
      if (id->is_string()) {
        state.policy_id = id->get<std::string>();
      } else {
        r.problem("/policy/id", "expected a string, got " + id->dump());
      }
    }
    if (const json* v = r.member(*policy, "/policy", "version"); v != nullptr) {
      state.policy_version = r.integer(*v, "/policy/version").value_or(0);
    }
  }
  if (const json* last = r.member(doc, "", "last_run"); last != nullptr && !last->is_null()) {
    state.last_run = r.date(*last, "/last_run");
  }
  if (const json* items = r.array(doc, "invoices"); items != nullptr) {
    std::vector<std::pair<std::int64_t, InvoiceProgress>> invoices;
    std::vector<std::pair<std::int64_t, std::size_t>> positions;  // (invoice id, index)
    invoices.reserve(items->size());
    for (std::size_t i = 0; i < items->size(); ++i) {
      const std::string path = "/invoices/" + std::to_string(i);
      const json& item = (*items)[i];
      const json* id = r.member(item, path, "invoice_id");
      const json* level = r.member(item, path, "level");
      const json* since = r.member(item, path, "since");
      if (id == nullptr || level == nullptr || since == nullptr) {
        continue;
      }
      const auto key = r.integer(*id, path + "/invoice_id");
      const auto day = r.date(*since, path + "/since");
      if (!level->is_string()) {
        r.problem(path + "/level", "expected a level id, got " + level->dump());
        continue;
      }
      if (key && day) {
        invoices.emplace_back(*key, InvoiceProgress{level->get<std::string>(), *day});
        positions.emplace_back(*key, i);
      }
    }
    r.duplicates(std::move(positions), "/invoices", "invoice_id", "invoice");
    state.invoices = SortedMap<std::int64_t, InvoiceProgress>(std::move(invoices));
  }
  if (const json* flags = r.array(doc, "flags"); flags != nullptr) {
    for (std::size_t i = 0; i < flags->size(); ++i) {
      const std::string path = "/flags/" + std::to_string(i);
      const json* key = r.member((*flags)[i], path, "flag");
      const json* since = r.member((*flags)[i], path, "since");
      if (key == nullptr || since == nullptr) {
        continue;
      }
      const auto day = r.date(*since, path + "/since");
      if (!key->is_string()) {
        r.problem(path + "/flag", "expected a string, got " + key->dump());
      } else if (day && !state.active_flags.emplace(key->get<std::string>(), *day).second) {
        r.problem(path + "/flag", "flag " + key->dump() + " is listed twice");
      }
    }
  }
  if (const json* last = r.array(doc, "last_action"); last != nullptr) {
    std::vector<std::pair<std::int64_t, Date>> dates;
    std::vector<std::pair<std::int64_t, std::size_t>> positions;  // (customer id, index)
    for (std::size_t i = 0; i < last->size(); ++i) {
      const std::string path = "/last_action/" + std::to_string(i);
      const json* customer = r.member((*last)[i], path, "customer_id");
      const json* day = r.member((*last)[i], path, "date");
      if (customer == nullptr || day == nullptr) {
        continue;
      }
      const auto key = r.integer(*customer, path + "/customer_id");
      const auto when = r.date(*day, path + "/date");
      if (key && when) {
        dates.emplace_back(*key, *when);
        positions.emplace_back(*key, i);
      }
    }
    r.duplicates(std::move(positions), "/last_action", "customer_id", "customer");
    state.last_action = SortedMap<std::int64_t, Date>(std::move(dates));
  }
  if (!r.problems.empty()) {
    throw PolicyError("rules.state.invalid", std::move(r.problems));
  }
  return state;
}

}  // namespace arscore::rules
