// Python bindings of arscore::rules: arscore.EscalationPolicy and arscore.EscalationState, and
// the private _EscalationEngine that the pure-Python arscore.EscalationEngine
// (arscore/_rules.py) feeds with the ledger's tables as numpy columns.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "arscore/ledger/money.hpp"
#include "arscore/rules.hpp"
#include "bindings.hpp"

namespace py = pybind11;

namespace arscore::python {
namespace {

using namespace arscore::rules;

template <typename T>
using Array = py::array_t<T, py::array::c_style | py::array::forcecast>;

template <typename T>
Array<T> column(const py::dict& table, const char* name, py::ssize_t rows) {
  auto array = table[name].cast<Array<T>>();
  if (array.ndim() != 1 || array.shape(0) != rows) {
    throw Error("rules.input.length_mismatch",
                std::string("column '") + name + "' has the wrong length");
  }
  return array;
}

py::ssize_t rows_of(const py::dict& table, const char* key) {
  return static_cast<py::ssize_t>(py::len(table[key]));
}

Date date_of(std::int64_t serial) { return Date::from_serial(serial); }

std::vector<ledger::OpenItem> read_open_items(const py::dict& open) {
  std::vector<ledger::OpenItem> items;
  {
    const py::ssize_t n = rows_of(open, "invoice_id");
    const auto id = column<std::int64_t>(open, "invoice_id", n).unchecked<1>();
    const auto customer = column<std::int64_t>(open, "customer_id", n).unchecked<1>();
    const auto salesperson = column<std::int64_t>(open, "salesperson_id", n).unchecked<1>();
    const auto due = column<std::int64_t>(open, "due_date", n).unchecked<1>();
    const auto balance = column<std::int64_t>(open, "balance", n).unchecked<1>();
    const auto days = column<std::int64_t>(open, "days_past_due", n).unchecked<1>();
    const auto business = column<std::int64_t>(open, "business_days_past_due", n).unchecked<1>();
    const auto status = column<std::int32_t>(open, "status", n).unchecked<1>();
    items.reserve(static_cast<std::size_t>(n));
    for (py::ssize_t i = 0; i < n; ++i) {
      items.push_back(ledger::OpenItem{
          static_cast<std::size_t>(i), id(i), customer(i), salesperson(i), date_of(due(i)),
          balance(i), days(i), business(i), static_cast<ledger::InvoiceStatus>(status(i)),
          // Placeholders until the facts carry them: issue date, amount, currency index.
          date_of(due(i)), balance(i), 0});
    }
  }
  return items;
}

// Customer features, ascending by customer.
std::vector<ledger::CustomerFeatures> read_features(const py::dict& features) {
  std::vector<ledger::CustomerFeatures> out;
  {
    const py::ssize_t n = rows_of(features, "customer_id");
    const auto customer = column<std::int64_t>(features, "customer_id", n).unchecked<1>();
    auto number = [&](const char* name) { return column<double>(features, name, n); };
    auto minor = [&](const char* name) { return column<std::int64_t>(features, name, n); };
    const auto n_invoices = number("n_invoices");
    const auto n_paid = number("n_paid");
    const auto n_paid_late = number("n_paid_late");
    const auto late_ratio = number("late_ratio");
    const auto avg_days_late = number("avg_days_late");
    const auto max_days_late = number("max_days_late");
    const auto open_amount = minor("open_amount");
    const auto overdue_amount = minor("overdue_amount");
    const auto overdue_ratio = number("overdue_ratio");
    const auto max_days_past_due = number("max_days_past_due");
    const auto late_streak = number("late_streak");
    const auto tenure_days = number("tenure_days");
    const auto days_since_last_payment = number("days_since_last_payment");
    const auto avg_invoice_amount = number("avg_invoice_amount");
    const auto n_disputed = number("n_disputed");
    auto whole = [](const Array<double>& a, py::ssize_t i) {
      return static_cast<std::int64_t>(a.at(i));
    };
    for (py::ssize_t i = 0; i < n; ++i) {
      out.push_back(ledger::CustomerFeatures{
          customer(i), whole(n_invoices, i), whole(n_paid, i), whole(n_paid_late, i),
          late_ratio.at(i), avg_days_late.at(i), max_days_late.at(i), open_amount.at(i),
          overdue_amount.at(i), overdue_ratio.at(i), whole(max_days_past_due, i),
          whole(late_streak, i), whole(tenure_days, i), days_since_last_payment.at(i),
          avg_invoice_amount.at(i), whole(n_disputed, i)});
    }
    std::sort(out.begin(), out.end(),
              [](const auto& a, const auto& b) { return a.customer_id < b.customer_id; });
  }
  return out;
}

std::vector<ledger::CollectionRate> read_rates(const py::dict& rates) {
  std::vector<ledger::CollectionRate> out;
  {
    const py::ssize_t n = rows_of(rates, "key");
    const auto period = column<std::int64_t>(rates, "period", n).unchecked<1>();
    const auto key = column<std::int64_t>(rates, "key", n).unchecked<1>();
    const auto due = column<std::int64_t>(rates, "due", n).unchecked<1>();
    const auto collected = column<std::int64_t>(rates, "collected", n).unchecked<1>();
    const auto rate = column<double>(rates, "rate", n).unchecked<1>();
    for (py::ssize_t i = 0; i < n; ++i) {
      out.push_back(
          ledger::CollectionRate{date_of(period(i)), key(i), due(i), collected(i), rate(i)});
    }
  }
  return out;
}

Scores read_scores(const py::dict& scores) {
  Scores out;
  for (const auto& [key, value] : scores) {
    const auto pair = value.cast<std::pair<std::optional<double>, std::optional<double>>>();
    out[key.cast<std::int64_t>()] = CustomerScores{pair.first, pair.second};
  }
  return out;
}

// The actions as columns: numbers as numpy arrays, texts as lists (the keys are mapped back
// to the host's ids in Python). `invoice_ids` is flat, action i's ids being
// invoice_ids[invoice_offsets[i]:invoice_offsets[i + 1]].
py::dict actions_to_columns(const std::vector<Action>& actions) {
  const std::size_t n = actions.size();
  std::vector<std::int64_t> as_of(n), customer(n), salesperson(n), days(n), offsets(n + 1);
  std::vector<std::uint8_t> has_customer(n), has_salesperson(n);
  std::vector<double> amount(n);
  std::vector<std::int64_t> invoices;
  py::list action_id(n), kind(n), rule(n), channel(n), recipients(n), template_name(n), reason(n);
  // Few distinct texts: one Python object each, shared by every row that has it.
  std::map<std::string, py::str, std::less<>> texts;
  const auto text = [&](std::string_view value) -> py::str {
    auto it = texts.find(value);
    if (it == texts.end()) {
      it = texts.emplace(std::string(value), py::str(value.data(), value.size())).first;
    }
    return it->second;
  };
  std::map<std::vector<Recipient>, py::tuple> recipient_lists;
  for (std::size_t i = 0; i < n; ++i) {
    const Action& a = actions[i];
    const std::size_t at = i;
    action_id[at] = py::str(action_id_text(a.action_id));
    as_of[i] = a.as_of.serial();
    kind[at] = text(to_string(a.kind));
    rule[at] = text(a.rule);
    customer[i] = a.customer_id.value_or(0);
    has_customer[i] = a.customer_id.has_value() ? 1 : 0;
    salesperson[i] = a.salesperson_id.value_or(0);
    has_salesperson[i] = a.salesperson_id.has_value() ? 1 : 0;
    invoices.insert(invoices.end(), a.invoice_ids.begin(), a.invoice_ids.end());
    offsets[i + 1] = static_cast<std::int64_t>(invoices.size());
    channel[at] = text(to_string(a.channel));
    std::vector<Recipient> to(a.recipients.begin(), a.recipients.end());
    auto list = recipient_lists.find(to);
    if (list == recipient_lists.end()) {
      py::tuple names(to.size());
      for (std::size_t k = 0; k < to.size(); ++k) {
        names[k] = text(to_string(to[k]));
      }
      list = recipient_lists.emplace(std::move(to), std::move(names)).first;
    }
    recipients[at] = list->second;  // a tuple: Python makes each row its own list
    template_name[at] = text(a.template_name);
    amount[i] = a.amount;
    days[i] = a.days_overdue;
    reason[at] = py::str(a.reason);
  }
  const auto as_bool = [](std::vector<std::uint8_t> flags) {
    return to_array(std::move(flags)).attr("astype")("bool");
  };
  py::dict out;
  out["action_id"] = action_id;
  out["as_of"] = to_array(std::move(as_of));
  out["kind"] = kind;
  out["rule"] = rule;
  out["customer_id"] = to_array(std::move(customer));
  out["has_customer"] = as_bool(std::move(has_customer));
  out["salesperson_id"] = to_array(std::move(salesperson));
  out["has_salesperson"] = as_bool(std::move(has_salesperson));
  out["invoice_ids"] = to_array(std::move(invoices));
  out["invoice_offsets"] = to_array(std::move(offsets));
  out["channel"] = channel;
  out["recipients"] = recipients;
  out["template"] = template_name;
  out["amount"] = to_array(std::move(amount));
  out["days_overdue"] = to_array(std::move(days));
  out["reason"] = reason;
  return out;
}

py::list problems_of(const PolicyError& e) {
  py::list out;
  for (const PolicyProblem& p : e.problems()) {
    out.append(py::make_tuple(p.path, p.code, p.message));
  }
  return out;
}

}  // namespace

void bind_rules(py::module_& m) {
  // A PolicyError is an arscore.Error (ValueError) with .code and .problems, a list of
  // (json_pointer, code, message).
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) {
        std::rethrow_exception(p);
      }
    } catch (const PolicyError& e) {
      const py::object type = py::module_::import("arscore._arscore").attr("Error");
      py::object instance = type(e.what());
      instance.attr("code") = e.code();
      instance.attr("problems") = problems_of(e);
      PyErr_SetObject(type.ptr(), instance.ptr());
    }
  });

  py::class_<EscalationPolicy>(m, "EscalationPolicy",
                               "A validated escalation policy (see docs/policy.md).")
      .def_static("from_json", &EscalationPolicy::from_json, py::arg("text"),
                  "Parses and validates a policy; raises arscore.Error with .problems listing "
                  "every problem with its JSON pointer.")
      .def_static(
          "from_dict",
          [](const py::object& document) {
            const std::string text = py::module_::import("json")
                                         .attr("dumps")(document, py::arg("ensure_ascii") = false)
                                         .cast<std::string>();
            return EscalationPolicy::from_json(text);
          },
          py::arg("document"), "from_json(json.dumps(document)).")
      .def_property_readonly("id", &EscalationPolicy::id)
      .def_property_readonly("version", &EscalationPolicy::version)
      .def_property_readonly("day_basis",
                             [](const EscalationPolicy& p) { return to_string(p.day_basis()); })
      .def_property_readonly("scope",
                             [](const EscalationPolicy& p) { return to_string(p.scope()); })
      .def_property_readonly("catch_up",
                             [](const EscalationPolicy& p) { return to_string(p.catch_up()); })
      .def_property_readonly("min_interval_days", &EscalationPolicy::min_interval_days)
      .def_property_readonly("exclude_status", &EscalationPolicy::exclude_status)
      .def_property_readonly("levels",
                             [](const EscalationPolicy& p) {
                               std::vector<std::string> ids;
                               for (const Level& l : p.levels()) {
                                 ids.push_back(l.id);
                               }
                               return ids;
                             })
      .def_property_readonly("flags",
                             [](const EscalationPolicy& p) {
                               std::vector<std::string> ids;
                               for (const Flag& f : p.flags()) {
                                 ids.push_back(f.id);
                               }
                               return ids;
                             })
      .def_property_readonly("gates",
                             [](const EscalationPolicy& p) {
                               std::vector<std::string> ids;
                               for (const Gate& g : p.gates()) {
                                 ids.push_back(g.id);
                               }
                               return ids;
                             })
      .def("__repr__", [](const EscalationPolicy& p) {
        return "EscalationPolicy(id='" + p.id() + "', version=" + std::to_string(p.version()) +
               ", levels=" + std::to_string(p.levels().size()) + ")";
      });

  py::class_<EscalationState>(m, "EscalationState",
                              "What the engine remembers between runs; store it with to_json().")
      .def(py::init<>())
      .def("to_json", &EscalationState::to_json)
      .def_static("from_json", &EscalationState::from_json, py::arg("text"))
      .def_property_readonly("last_run",
                             [](const EscalationState& s) -> py::object {
                               if (!s.last_run) {
                                 return py::none();
                               }
                               return py::module_::import("datetime")
                                   .attr("date")(s.last_run->year(), s.last_run->month(),
                                                 s.last_run->day());
                             })
      .def("__eq__", [](const EscalationState& a, const EscalationState& b) { return a == b; })
      .def("__repr__", [](const EscalationState& s) {
        return "EscalationState(last_run=" + (s.last_run ? s.last_run->to_string() : "None") +
               ", invoices=" + std::to_string(s.invoices.size()) +
               ", active_flags=" + std::to_string(s.active_flags.size()) + ")";
      });

  m.def("_currency_digits", [](const std::string& code) -> std::optional<int> {
    const ledger::CurrencyTable table = ledger::CurrencyTable::standard();
    if (!table.contains(code)) {
      return std::nullopt;
    }
    return table.digits(code);
  });

  py::class_<EscalationEngine>(m, "_EscalationEngine")
      .def(py::init<EscalationPolicy, std::optional<ledger::Calendar>>(), py::arg("policy"),
           py::arg("calendar"))
      .def_property_readonly("policy", &EscalationEngine::policy)
      .def_property_readonly("month_ends_needed", &EscalationEngine::month_ends_needed)
      .def_property_readonly("needs_rates", &EscalationEngine::needs_rates)
      .def(
          "run",
          [](const EscalationEngine& engine, const py::dict& open, const py::dict& features,
             const py::list& month_end_features, const py::dict& rates, const std::string& currency,
             int digits, std::int64_t as_of, const EscalationState& state, const py::dict& scores) {
            LedgerFacts facts;
            facts.open_items = read_open_items(open);
            facts.features = read_features(features);
            for (const py::handle table : month_end_features) {
              facts.month_end_features.push_back(read_features(table.cast<py::dict>()));
            }
            facts.rates = read_rates(rates);
            facts.currency = currency;
            facts.currency_digits = digits;
            const Scores s = read_scores(scores);
            RunResult result;
            {
              py::gil_scoped_release release;
              result = engine.run(facts, Date::from_serial(as_of), state, s);
            }
            return py::make_tuple(actions_to_columns(result.actions), std::move(result.state));
          })
      .def("check_contract",
           [](const EscalationEngine& engine, const py::dict& features, std::int64_t customer,
              double amount, std::int64_t as_of, int digits, const py::dict& scores) {
             const std::vector<ledger::CustomerFeatures> known = read_features(features);
             const ledger::CustomerFeatures* row = nullptr;
             for (const auto& f : known) {
               if (f.customer_id == customer) {
                 row = &f;
               }
             }
             const ContractDecision d = engine.check_contract(
                 row, customer, amount, Date::from_serial(as_of), digits, read_scores(scores));
             return py::make_tuple(std::string(to_string(d.decision)), d.reasons);
           });
}

}  // namespace arscore::python
