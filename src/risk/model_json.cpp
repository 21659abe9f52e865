// Model JSON writer and reader. Every reader error names the JSON path it concerns.
#include "arscore/risk/model_json.hpp"

#include <fmt/format.h>

#include <cassert>
#include <nlohmann/json.hpp>
#include <utility>
#include <vector>

#include "arscore/core/error.hpp"
#include "core/json_text.hpp"

namespace arscore::risk {
namespace {

using nlohmann::json;

json vector_json(const Eigen::VectorXd& v) {
  json a = json::array();
  for (Eigen::Index i = 0; i < v.size(); ++i) {
    a.push_back(v(i));
  }
  return a;
}

[[noreturn]] void invalid(const std::string& path, const std::string& what) {
  throw Error("risk.model_json.invalid", fmt::format("{}: {}", path, what));
}

std::string type_of(const json& j) { return j.type_name(); }

// A reader over one JSON object that knows its path.
class ObjectReader {
 public:
  ObjectReader(const json& object, std::string path) : object_(object), path_(std::move(path)) {
    if (!object_.is_object()) {
      invalid(path_.empty() ? "/" : path_, "expected an object, got " + type_of(object_));
    }
  }

  [[nodiscard]] const json& member(const char* name) const {
    const auto it = object_.find(name);
    if (it == object_.end()) {
      invalid(child(name), "missing member");
    }
    return *it;
  }

  [[nodiscard]] bool has(const char* name) const {
    const auto it = object_.find(name);
    return it != object_.end() && !it->is_null();
  }

  [[nodiscard]] std::string child(const char* name) const { return path_ + "/" + name; }

  [[nodiscard]] double number(const char* name) const {
    const json& j = member(name);
    if (!j.is_number()) {
      invalid(child(name), "expected a number, got " + type_of(j));
    }
    return j.get<double>();
  }

  [[nodiscard]] bool boolean(const char* name) const {
    const json& j = member(name);
    if (!j.is_boolean()) {
      invalid(child(name), "expected true or false, got " + type_of(j));
    }
    return j.get<bool>();
  }

  [[nodiscard]] std::string string(const char* name) const {
    const json& j = member(name);
    if (!j.is_string()) {
      invalid(child(name), "expected a string, got " + type_of(j));
    }
    return j.get<std::string>();
  }

  [[nodiscard]] std::int64_t integer(const char* name, std::int64_t low) const {
    const json& j = member(name);
    if (!j.is_number_integer() || j.get<std::int64_t>() < low) {
      invalid(child(name), fmt::format("expected an integer >= {}, got {}", low, j.dump()));
    }
    return j.get<std::int64_t>();
  }

  [[nodiscard]] Eigen::VectorXd numbers(const char* name) const {
    const json& j = member(name);
    if (!j.is_array()) {
      invalid(child(name), "expected an array of numbers, got " + type_of(j));
    }
    Eigen::VectorXd v(static_cast<Eigen::Index>(j.size()));
    for (std::size_t i = 0; i < j.size(); ++i) {
      if (!j[i].is_number()) {
        invalid(fmt::format("{}/{}", child(name), i), "expected a number, got " + type_of(j[i]));
      }
      v(static_cast<Eigen::Index>(i)) = j[i].get<double>();
    }
    return v;
  }

  [[nodiscard]] std::vector<std::string> strings(const char* name) const {
    const json& j = member(name);
    if (!j.is_array()) {
      invalid(child(name), "expected an array of strings, got " + type_of(j));
    }
    std::vector<std::string> v;
    for (std::size_t i = 0; i < j.size(); ++i) {
      if (!j[i].is_string()) {
        invalid(fmt::format("{}/{}", child(name), i), "expected a string, got " + type_of(j[i]));
      }
      v.push_back(j[i].get<std::string>());
    }
    return v;
  }

 private:
  const json& object_;
  std::string path_;
};

void check_length(const std::string& path, std::size_t size, Eigen::Index expected) {
  if (static_cast<Eigen::Index>(size) != expected) {
    throw Error("risk.model_json.mismatch",
                fmt::format("{}: has {} entries but /model/coef has {}", path, size, expected));
  }
}

template <class Parse>
auto parse_option(const ObjectReader& reader, const char* name, Parse&& parse) {
  try {
    return parse(reader.string(name));
  } catch (const Error& e) {
    if (e.code() == "risk.input.option") {
      invalid(reader.child(name), e.message());
    }
    throw;
  }
}

}  // namespace

std::string to_json(const LogisticRegression& model, const Scorecard* scorecard) {
  assert(model.fitted());
  const LogisticOptions& o = model.options();
  json class_weight;
  if (o.class_weight.balanced) {
    class_weight = "balanced";
  } else {
    class_weight = json{{"0", o.class_weight.weight0}, {"1", o.class_weight.weight1}};
  }
  json doc;
  doc["format"] = model_json_format;
  doc["version"] = model_json_version;
  doc["model"] = json{{"type", "logistic_regression"},
                      {"feature_names", model.feature_names()},
                      {"coef", vector_json(model.coef())},
                      {"intercept", model.intercept()},
                      {"feature_means", vector_json(model.feature_means())},
                      {"options", json{{"penalty", to_string(o.penalty)},
                                       {"C", o.C},
                                       {"fit_intercept", o.fit_intercept},
                                       {"solver", to_string(o.solver)},
                                       {"tol", o.tol},
                                       {"max_iter", o.max_iter},
                                       {"class_weight", class_weight}}}};
  doc["training"] = json{{"n_samples", model.n_samples()},
                         {"n_iter", model.n_iter()},
                         {"converged", model.converged()},
                         {"solver", to_string(model.solver_used())}};
  if (scorecard != nullptr) {
    doc["scorecard"] = json{{"base_score", scorecard->options().base_score},
                            {"base_odds", scorecard->options().base_odds},
                            {"pdo", scorecard->options().pdo},
                            {"reference", vector_json(scorecard->reference())}};
  } else {
    doc["scorecard"] = nullptr;
  }
  return doc.dump(2);
}

LoadedModel model_from_json(std::string_view text) {
  detail::JsonFailure failure;
  const std::optional<json> parsed = detail::parse_json(text, failure);
  if (!parsed) {
    throw Error("risk.model_json.parse",
                failure.byte ? fmt::format("the text is not JSON (at byte {}): {}", *failure.byte,
                                           failure.message)
                             : fmt::format("the text is not JSON: {}", failure.message));
  }
  const json& doc = *parsed;
  const ObjectReader root(doc, "");
  if (root.string("format") != model_json_format) {
    throw Error("risk.model_json.format", fmt::format("/format: expected \"{}\", got \"{}\"",
                                                      model_json_format, root.string("format")));
  }
  const std::int64_t version = root.integer("version", 1);
  if (version > model_json_version) {
    throw Error("risk.model_json.version",
                fmt::format("/version: this arscore reads versions up to {}, the file has {}",
                            model_json_version, version));
  }
  const ObjectReader model(root.member("model"), "/model");
  if (model.string("type") != "logistic_regression") {
    invalid("/model/type",
            fmt::format("expected \"logistic_regression\", got \"{}\"", model.string("type")));
  }
  const ObjectReader opts(model.member("options"), "/model/options");
  LogisticOptions options;
  options.penalty =
      parse_option(opts, "penalty", [](const std::string& s) { return parse_penalty(s); });
  options.solver =
      parse_option(opts, "solver", [](const std::string& s) { return parse_solver(s); });
  options.C = opts.number("C");
  options.fit_intercept = opts.boolean("fit_intercept");
  options.tol = opts.number("tol");
  options.max_iter = static_cast<int>(opts.integer("max_iter", 1));
  const json& cw = opts.member("class_weight");
  if (cw.is_string() && cw.get<std::string>() == "balanced") {
    options.class_weight.balanced = true;
  } else if (cw.is_object()) {
    const ObjectReader weights(cw, "/model/options/class_weight");
    options.class_weight.weight0 = weights.number("0");
    options.class_weight.weight1 = weights.number("1");
  } else {
    invalid("/model/options/class_weight",
            "expected \"balanced\" or an object {\"0\": w0, \"1\": w1}, got " + cw.dump());
  }

  Eigen::VectorXd coef = model.numbers("coef");
  std::vector<std::string> names = model.strings("feature_names");
  check_length("/model/feature_names", names.size(), coef.size());
  Eigen::VectorXd means = model.numbers("feature_means");
  check_length("/model/feature_means", static_cast<std::size_t>(means.size()), coef.size());
  const double intercept = model.number("intercept");

  std::optional<LogisticRegression> rebuilt;
  try {
    rebuilt = LogisticRegression::from_parameters(options, std::move(coef), intercept,
                                                  std::move(means), std::move(names));
  } catch (const Error& e) {
    if (e.code() == "risk.input.option") {
      invalid("/model/options", e.message());
    }
    throw;
  }
  LoadedModel loaded{std::move(*rebuilt), TrainingInfo{}, std::nullopt, std::nullopt};
  if (root.has("training")) {
    const ObjectReader training(root.member("training"), "/training");
    loaded.training.n_samples = static_cast<std::size_t>(training.integer("n_samples", 0));
    loaded.training.n_iter = static_cast<int>(training.integer("n_iter", 0));
    loaded.training.converged = training.boolean("converged");
    loaded.training.solver =
        parse_option(training, "solver", [](const std::string& s) { return parse_solver(s); });
  }
  if (root.has("scorecard")) {
    const ObjectReader card(root.member("scorecard"), "/scorecard");
    ScorecardOptions so;
    so.base_score = card.number("base_score");
    so.base_odds = card.number("base_odds");
    so.pdo = card.number("pdo");
    Eigen::VectorXd reference = card.numbers("reference");
    check_length("/scorecard/reference", static_cast<std::size_t>(reference.size()),
                 loaded.model.coef().size());
    try {
      static_cast<void>(Scorecard(loaded.model, so, reference));
    } catch (const Error& e) {
      invalid("/scorecard", e.message());
    }
    loaded.scorecard = so;
    loaded.scorecard_reference = std::move(reference);
  }
  return loaded;
}

}  // namespace arscore::risk
