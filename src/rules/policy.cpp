#include "arscore/rules/policy.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "arscore/core/diagnostic.hpp"
#include "arscore/formula/formula_error.hpp"
#include "arscore/rules/policy_error.hpp"
#include "core/json_text.hpp"

namespace arscore::rules {

namespace {

using nlohmann::json;

constexpr std::array<std::string_view, 2> day_basis_names{"calendar", "business"};
constexpr std::array<std::string_view, 2> scope_names{"invoice", "customer"};
constexpr std::array<std::string_view, 2> catch_up_names{"highest", "stepwise"};
constexpr std::array<std::string_view, 7> channel_names{
    "email", "sms", "letter", "call_task", "notify", "block_orders", "legal"};
constexpr std::array<std::string_view, 6> recipient_names{
    "customer", "salesperson", "sales_manager", "finance", "hr", "legal"};
constexpr std::array<std::string_view, 4> decision_names{"approve", "reject", "require_guarantee",
                                                         "shorten_terms"};
constexpr std::array<std::string_view, 2> flag_scope_names{"customer", "salesperson"};
constexpr std::array<std::string_view, 2> status_names{"disputed", "on_hold"};

template <std::size_t N>
std::string listing(const std::array<std::string_view, N>& names, std::size_t from = 0) {
  std::string out;
  for (std::size_t i = from; i < N; ++i) {
    if (i > from) {
      out += i + 1 == N ? " or " : ", ";
    }
    out += names[i];
  }
  return out;
}

std::string describe(const json& value) {
  switch (value.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::boolean:
      return std::string("bool ") + (value.get<bool>() ? "true" : "false");
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
      return "number " + value.dump();
    case json::value_t::string:
      return "string " + value.dump();
    case json::value_t::array:
      return value.empty() ? "an empty array" : "an array";
    case json::value_t::object:
      return "an object";
    default:
      return "a binary value";
  }
}

std::string pointer_token(std::string_view key) {
  std::string out;
  for (const char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

// Reads a policy document, collecting every problem instead of stopping at the first.
class PolicyReader {
 public:
  EscalationPolicy read(const json& doc) {
    EscalationPolicy policy;
    if (!doc.is_object()) {
      problem("", "rules.policy.bad_type", "expected an object, got " + describe(doc));
      throw PolicyError("rules.policy.invalid", std::move(problems_));
    }
    check_keys(doc, "",
               {"id", "version", "day_basis", "scope", "catch_up", "min_interval_days",
                "exclude_status", "levels", "flags", "gates", "description"});
    policy.id_ = required_string(doc, "", "id");
    policy.version_ = required_integer(doc, "", "version", 0).value_or(0);
    policy.day_basis_ = static_cast<DayBasis>(
        optional_enum(doc, "", "day_basis", day_basis_names, "rules.policy.unknown_day_basis"));
    policy.scope_ = static_cast<Scope>(
        optional_enum(doc, "", "scope", scope_names, "rules.policy.unknown_scope"));
    policy.catch_up_ = static_cast<CatchUp>(
        optional_enum(doc, "", "catch_up", catch_up_names, "rules.policy.unknown_catch_up"));
    if (doc.contains("min_interval_days")) {
      policy.min_interval_days_ = required_integer(doc, "", "min_interval_days", 0).value_or(0);
    }
    if (doc.contains("exclude_status")) {
      const json& list = doc["exclude_status"];
      if (!list.is_array()) {
        problem("/exclude_status", "rules.policy.bad_type",
                "expected an array of statuses, got " + describe(list));
      } else {
        for (std::size_t i = 0; i < list.size(); ++i) {
          const std::string path = "/exclude_status/" + std::to_string(i);
          const auto index =
              enum_value(list[i], path, status_names, "rules.policy.unknown_status", "status");
          if (index) {
            policy.exclude_status_.emplace_back(status_names[*index]);
          }
        }
      }
    }
    read_levels(doc, policy);
    read_flags(doc, policy);
    read_gates(doc, policy);
    if (!problems_.empty()) {
      throw PolicyError("rules.policy.invalid", std::move(problems_));
    }
    return policy;
  }

 private:
  void problem(std::string path, std::string code, std::string message) {
    problems_.push_back(PolicyProblem{std::move(path), std::move(code), std::move(message)});
  }

  void check_keys(const json& object, const std::string& path,
                  std::initializer_list<std::string_view> known) {
    for (const auto& [key, value] : object.items()) {
      if (std::find(known.begin(), known.end(), key) == known.end()) {
        std::string expected;
        for (const std::string_view k : known) {
          expected += expected.empty() ? "" : ", ";
          expected += k;
        }
        problem(path + "/" + pointer_token(key), "rules.policy.unknown_key",
                "unknown key '" + key + "' (expected one of: " + expected + ")");
      }
    }
  }

  std::string required_string(const json& object, const std::string& path, const char* key) {
    const std::string here = path + "/" + key;
    if (!object.contains(key)) {
      problem(here, "rules.policy.missing", std::string("'") + key + "' is required");
      return {};
    }
    const json& value = object[key];
    if (!value.is_string() || value.get<std::string>().empty()) {
      problem(here, "rules.policy.bad_type", "expected a non-empty string, got " + describe(value));
      return {};
    }
    return value.get<std::string>();
  }

  std::optional<std::int64_t> required_integer(const json& object, const std::string& path,
                                               const char* key, std::int64_t minimum) {
    const std::string here = path + "/" + key;
    if (!object.contains(key)) {
      problem(here, "rules.policy.missing", std::string("'") + key + "' is required");
      return std::nullopt;
    }
    const json& value = object[key];
    if (!value.is_number_integer() || value.get<std::int64_t>() < minimum) {
      problem(here, "rules.policy.bad_type",
              "expected an integer ≥ " + std::to_string(minimum) + ", got " + describe(value));
      return std::nullopt;
    }
    return value.get<std::int64_t>();
  }

  template <std::size_t N>
  std::optional<std::size_t> enum_value(const json& value, const std::string& path,
                                        const std::array<std::string_view, N>& names,
                                        const char* code, const char* what, std::size_t from = 0) {
    if (!value.is_string()) {
      problem(path, "rules.policy.bad_type",
              std::string("expected a ") + what + " (" + listing(names, from) + "), got " +
                  describe(value));
      return std::nullopt;
    }
    const auto text = value.get<std::string>();
    for (std::size_t i = from; i < N; ++i) {
      if (names[i] == text) {
        return i;
      }
    }
    problem(
        path, code,
        "unknown " + std::string(what) + " '" + text + "' (expected " + listing(names, from) + ")");
    return std::nullopt;
  }

  template <std::size_t N>
  std::size_t optional_enum(const json& object, const std::string& path, const char* key,
                            const std::array<std::string_view, N>& names, const char* code) {
    if (!object.contains(key)) {
      return 0;
    }
    std::string what(key);
    std::replace(what.begin(), what.end(), '_', ' ');
    return enum_value(object[key], path + "/" + key, names, code, what.c_str()).value_or(0);
  }

  std::vector<Recipient> recipients(const json& object, const std::string& path, const char* key) {
    const std::string here = path + "/" + key;
    std::vector<Recipient> out;
    if (!object.contains(key)) {
      problem(here, "rules.policy.missing", std::string("'") + key + "' is required");
      return out;
    }
    const json& list = object[key];
    if (!list.is_array() || list.empty()) {
      problem(here, "rules.policy.bad_type",
              "expected a non-empty array of recipients, got " + describe(list));
      return out;
    }
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string item = here + "/" + std::to_string(i);
      const auto index =
          enum_value(list[i], item, recipient_names, "rules.policy.unknown_recipient", "recipient");
      if (!index) {
        continue;
      }
      const auto r = static_cast<Recipient>(*index);
      if (std::find(out.begin(), out.end(), r) != out.end()) {
        problem(item, "rules.policy.duplicate_recipient",
                "recipient '" + std::string(recipient_names[*index]) + "' is listed twice");
        continue;
      }
      out.push_back(r);
    }
    return out;
  }

  Condition condition(const json& object, const std::string& path, const char* key,
                      FactContext context, bool required) {
    Condition out;
    const std::string here = path + "/" + key;
    if (!object.contains(key)) {
      if (required) {
        problem(here, "rules.policy.missing", std::string("'") + key + "' is required");
      }
      return out;
    }
    const json& value = object[key];
    if (!value.is_string()) {
      problem(here, "rules.policy.bad_type", "expected a formula string, got " + describe(value));
      return out;
    }
    out.text = value.get<std::string>();
    try {
      formula::CompileOptions options;
      options.schema = schema_of(context);
      formula::Program program = formula::Program::compile_expression(out.text, options);
      const formula::Type type = program.outputs().front().type;
      if (type != formula::Type::boolean) {
        problem(here, "rules.policy.not_bool",
                "the condition must be a bool, but '" + out.text + "' is a " +
                    std::string(formula::to_string(type)));
        return out;
      }
      for (const formula::Variable& variable : program.variables()) {
        for (const FactInfo& info : facts_of(context)) {
          if (info.name == variable.name) {
            out.slots.push_back(info.fact);
            break;
          }
        }
      }
      out.program = std::move(program);
    } catch (const formula::FormulaError& e) {
      std::string rendered = render(e.diagnostics(), e.source());
      while (!rendered.empty() && rendered.back() == '\n') {
        rendered.pop_back();
      }
      problem(here, "rules.policy.formula", std::move(rendered));
    }
    return out;
  }

  // An array at `key`, or nothing (with a problem when present but not an array).
  const json* array_at(const json& doc, const char* key, bool required) {
    if (!doc.contains(key)) {
      if (required) {
        problem(std::string("/") + key, "rules.policy.missing",
                std::string("'") + key + "' is required");
      }
      return nullptr;
    }
    const json& value = doc[key];
    if (!value.is_array()) {
      problem(std::string("/") + key, "rules.policy.bad_type",
              "expected an array, got " + describe(value));
      return nullptr;
    }
    return &value;
  }

  void read_levels(const json& doc, EscalationPolicy& policy) {
    const json* levels = array_at(doc, "levels", true);
    if (levels == nullptr) {
      return;
    }
    if (levels->empty()) {
      problem("/levels", "rules.policy.no_levels", "a policy needs at least one level");
    }
    std::map<std::string, std::string, std::less<>> ids;           // id → path
    std::optional<std::pair<std::int64_t, std::string>> previous;  // days, path
    for (std::size_t i = 0; i < levels->size(); ++i) {
      const std::string path = "/levels/" + std::to_string(i);
      const json& item = (*levels)[i];
      if (!item.is_object()) {
        problem(path, "rules.policy.bad_type", "expected a level object, got " + describe(item));
        continue;
      }
      check_keys(item, path,
                 {"id", "days_overdue", "min_amount", "when", "actions", "description"});
      Level level;
      level.id = required_string(item, path, "id");
      if (!level.id.empty()) {
        const auto [it, inserted] = ids.emplace(level.id, path);
        if (!inserted) {
          problem(path + "/id", "rules.policy.duplicate_id",
                  "duplicate level id '" + level.id + "' (first at " + it->second + ")");
        }
      }
      const auto days = required_integer(item, path, "days_overdue", 0);
      if (days) {
        level.days_overdue = *days;
        if (previous && *days <= previous->first) {
          problem(path + "/days_overdue",
                  *days == previous->first ? "rules.policy.duplicate_level"
                                           : "rules.policy.unsorted_levels",
                  std::string(*days == previous->first ? "duplicate" : "unsorted") +
                      " levels: days_overdue " + std::to_string(*days) +
                      " must be greater than the " + std::to_string(previous->first) + " of " +
                      previous->second + " (levels ascend strictly by days_overdue)");
        }
        previous = std::pair{*days, path};
      }
      if (item.contains("min_amount")) {
        const json& value = item["min_amount"];
        if (!value.is_number() || !(value.get<double>() >= 0) ||
            !std::isfinite(value.get<double>())) {
          problem(path + "/min_amount", "rules.policy.bad_type",
                  "expected a number ≥ 0, got " + describe(value));
        } else {
          level.min_amount = value.get<double>();
        }
      }
      level.when = condition(item, path, "when", FactContext::level, false);
      if (!item.contains("actions")) {
        problem(path + "/actions", "rules.policy.missing", "'actions' is required");
      } else if (const json& actions = item["actions"]; !actions.is_array() || actions.empty()) {
        problem(path + "/actions", "rules.policy.bad_type",
                "expected a non-empty array of actions, got " + describe(actions));
      } else {
        for (std::size_t k = 0; k < actions.size(); ++k) {
          const std::string apath = path + "/actions/" + std::to_string(k);
          const json& a = actions[k];
          if (!a.is_object()) {
            problem(apath, "rules.policy.bad_type",
                    "expected an action object, got " + describe(a));
            continue;
          }
          check_keys(a, apath, {"channel", "to", "template"});
          ActionSpec spec;
          if (!a.contains("channel")) {
            problem(apath + "/channel", "rules.policy.missing", "'channel' is required");
          } else {
            spec.channel =
                static_cast<Channel>(enum_value(a["channel"], apath + "/channel", channel_names,
                                                "rules.policy.unknown_channel", "channel")
                                         .value_or(0));
          }
          spec.to = recipients(a, apath, "to");
          spec.template_name = required_string(a, apath, "template");
          level.actions.push_back(std::move(spec));
        }
      }
      policy.levels_.push_back(std::move(level));
    }
  }

  void read_flags(const json& doc, EscalationPolicy& policy) {
    const json* flags = array_at(doc, "flags", false);
    if (flags == nullptr) {
      return;
    }
    std::map<std::string, std::string, std::less<>> ids;
    for (std::size_t i = 0; i < flags->size(); ++i) {
      const std::string path = "/flags/" + std::to_string(i);
      const json& item = (*flags)[i];
      if (!item.is_object()) {
        problem(path, "rules.policy.bad_type", "expected a flag object, got " + describe(item));
        continue;
      }
      check_keys(item, path, {"id", "scope", "when", "streak", "notify", "description"});
      Flag flag;
      flag.id = required_string(item, path, "id");
      if (!flag.id.empty()) {
        const auto [it, inserted] = ids.emplace(flag.id, path);
        if (!inserted) {
          problem(path + "/id", "rules.policy.duplicate_id",
                  "duplicate flag id '" + flag.id + "' (first at " + it->second + ")");
        }
      }
      if (!item.contains("scope")) {
        problem(path + "/scope", "rules.policy.missing", "'scope' is required");
      } else {
        flag.scope =
            static_cast<FlagScope>(enum_value(item["scope"], path + "/scope", flag_scope_names,
                                              "rules.policy.unknown_scope", "scope")
                                       .value_or(0));
      }
      flag.when = condition(item, path, "when",
                            flag.scope == FlagScope::customer ? FactContext::customer_flag
                                                              : FactContext::salesperson_flag,
                            true);
      if (item.contains("streak")) {
        flag.streak = required_integer(item, path, "streak", 1).value_or(1);
        if (flag.streak > max_streak_months) {
          // A customer streak reads the ledger at every month end it spans: bounded.
          problem(path + "/streak", "rules.policy.bad_type",
                  "expected an integer ≥ 1 and ≤ " + std::to_string(max_streak_months) +
                      " (months), got " + std::to_string(flag.streak));
        }
      }
      flag.notify = recipients(item, path, "notify");
      policy.flags_.push_back(std::move(flag));
    }
  }

  void read_gates(const json& doc, EscalationPolicy& policy) {
    const json* gates = array_at(doc, "gates", false);
    if (gates == nullptr) {
      return;
    }
    std::map<std::string, std::string, std::less<>> ids;
    for (std::size_t i = 0; i < gates->size(); ++i) {
      const std::string path = "/gates/" + std::to_string(i);
      const json& item = (*gates)[i];
      if (!item.is_object()) {
        problem(path, "rules.policy.bad_type", "expected a gate object, got " + describe(item));
        continue;
      }
      check_keys(item, path, {"id", "when", "decision", "description"});
      Gate gate;
      gate.id = required_string(item, path, "id");
      if (!gate.id.empty()) {
        const auto [it, inserted] = ids.emplace(gate.id, path);
        if (!inserted) {
          problem(path + "/id", "rules.policy.duplicate_id",
                  "duplicate gate id '" + gate.id + "' (first at " + it->second + ")");
        }
      }
      gate.when = condition(item, path, "when", FactContext::gate, true);
      if (!item.contains("decision")) {
        problem(path + "/decision", "rules.policy.missing", "'decision' is required");
      } else {
        gate.decision =
            static_cast<Decision>(enum_value(item["decision"], path + "/decision", decision_names,
                                             "rules.policy.unknown_decision", "decision", 1)
                                      .value_or(1));
      }
      policy.gates_.push_back(std::move(gate));
    }
  }

  std::vector<PolicyProblem> problems_;
};

EscalationPolicy EscalationPolicy::from_json(std::string_view text) {
  detail::JsonFailure failure;
  const std::optional<json> parsed = detail::parse_json(text, failure);
  if (!parsed) {
    throw PolicyError("rules.policy.json",
                      {PolicyProblem{"", "rules.policy.json", failure.message}});
  }
  const json& doc = *parsed;
  return PolicyReader().read(doc);
}

std::optional<std::size_t> EscalationPolicy::level_index(std::string_view id) const noexcept {
  for (std::size_t i = 0; i < levels_.size(); ++i) {
    if (levels_[i].id == id) {
      return i;
    }
  }
  return std::nullopt;
}

std::string_view to_string(DayBasis value) noexcept {
  return day_basis_names[static_cast<std::size_t>(value)];
}
std::string_view to_string(Scope value) noexcept {
  return scope_names[static_cast<std::size_t>(value)];
}
std::string_view to_string(CatchUp value) noexcept {
  return catch_up_names[static_cast<std::size_t>(value)];
}
std::string_view to_string(Channel value) noexcept {
  return channel_names[static_cast<std::size_t>(value)];
}
std::string_view to_string(Recipient value) noexcept {
  return recipient_names[static_cast<std::size_t>(value)];
}
std::string_view to_string(Decision value) noexcept {
  return decision_names[static_cast<std::size_t>(value)];
}
std::string_view to_string(FlagScope value) noexcept {
  return flag_scope_names[static_cast<std::size_t>(value)];
}

}  // namespace arscore::rules
