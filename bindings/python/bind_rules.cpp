// Python bindings of arscore::rules: arscore.EscalationPolicy and arscore.EscalationState, and
// the private _EscalationEngine that the pure-Python arscore.EscalationEngine
// (arscore/_rules.py) feeds with the ledger's tables as numpy columns.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
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

LedgerFacts read_facts(const py::dict& open, const py::dict& features, const py::dict& rates,
                       const std::string& currency, int digits) {
  LedgerFacts facts;
  facts.currency = currency;
  facts.currency_digits = digits;
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
    facts.open_items.reserve(static_cast<std::size_t>(n));
    for (py::ssize_t i = 0; i < n; ++i) {
      facts.open_items.push_back(ledger::OpenItem{
          static_cast<std::size_t>(i), id(i), customer(i), salesperson(i), date_of(due(i)),
          balance(i), days(i), business(i), static_cast<ledger::InvoiceStatus>(status(i)),
          // Placeholders until the facts carry them: issue date, amount, currency index.
          date_of(due(i)), balance(i), 0});
    }
  }
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
      facts.features.push_back(ledger::CustomerFeatures{
          customer(i), whole(n_invoices, i), whole(n_paid, i), whole(n_paid_late, i),
          late_ratio.at(i), avg_days_late.at(i), max_days_late.at(i), open_amount.at(i),
          overdue_amount.at(i), overdue_ratio.at(i), whole(max_days_past_due, i),
          whole(late_streak, i), whole(tenure_days, i), days_since_last_payment.at(i),
          avg_invoice_amount.at(i), whole(n_disputed, i)});
    }
    std::sort(facts.features.begin(), facts.features.end(),
              [](const auto& a, const auto& b) { return a.customer_id < b.customer_id; });
  }
  {
    const py::ssize_t n = rows_of(rates, "key");
    const auto period = column<std::int64_t>(rates, "period", n).unchecked<1>();
    const auto key = column<std::int64_t>(rates, "key", n).unchecked<1>();
    const auto due = column<std::int64_t>(rates, "due", n).unchecked<1>();
    const auto collected = column<std::int64_t>(rates, "collected", n).unchecked<1>();
    const auto rate = column<double>(rates, "rate", n).unchecked<1>();
    for (py::ssize_t i = 0; i < n; ++i) {
      facts.rates.push_back(
          ledger::CollectionRate{date_of(period(i)), key(i), due(i), collected(i), rate(i)});
    }
  }
  return facts;
}

Scores read_scores(const py::dict& scores) {
  Scores out;
  for (const auto& [key, value] : scores) {
    const auto pair = value.cast<std::pair<std::optional<double>, std::optional<double>>>();
    out[key.cast<std::int64_t>()] = CustomerScores{pair.first, pair.second};
  }
  return out;
}

py::object optional_key(const std::optional<std::int64_t>& key) {
  return key ? py::object(py::int_(*key)) : py::object(py::none());
}

py::dict actions_to_columns(const std::vector<Action>& actions) {
  py::list action_id, as_of, kind, rule, customer, salesperson, invoices, channel, recipients,
      template_name, amount, days, reason;
  for (const Action& a : actions) {
    action_id.append(a.action_id);
    as_of.append(a.as_of.serial());
    kind.append(std::string(to_string(a.kind)));
    rule.append(a.rule);
    customer.append(optional_key(a.customer_id));
    salesperson.append(optional_key(a.salesperson_id));
    invoices.append(py::cast(a.invoice_ids));
    channel.append(std::string(to_string(a.channel)));
    py::list to;
    for (const Recipient r : a.recipients) {
      to.append(std::string(to_string(r)));
    }
    recipients.append(std::move(to));
    template_name.append(a.template_name);
    amount.append(a.amount);
    days.append(a.days_overdue);
    reason.append(a.reason);
  }
  py::dict out;
  out["action_id"] = action_id;
  out["as_of"] = as_of;
  out["kind"] = kind;
  out["rule"] = rule;
  out["customer_id"] = customer;
  out["salesperson_id"] = salesperson;
  out["invoice_ids"] = invoices;
  out["channel"] = channel;
  out["recipients"] = recipients;
  out["template"] = template_name;
  out["amount"] = amount;
  out["days_overdue"] = days;
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
      .def("run",
           [](const EscalationEngine& engine, const py::dict& open, const py::dict& features,
              const py::dict& rates, const std::string& currency, int digits, std::int64_t as_of,
              const EscalationState& state, const py::dict& scores) {
             const LedgerFacts facts = read_facts(open, features, rates, currency, digits);
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
             const LedgerFacts facts = read_facts(
                 py::dict(py::arg("invoice_id") = py::list(), py::arg("customer_id") = py::list(),
                          py::arg("salesperson_id") = py::list(), py::arg("due_date") = py::list(),
                          py::arg("balance") = py::list(), py::arg("days_past_due") = py::list(),
                          py::arg("business_days_past_due") = py::list(),
                          py::arg("status") = py::list()),
                 features,
                 py::dict(py::arg("period") = py::list(), py::arg("key") = py::list(),
                          py::arg("due") = py::list(), py::arg("collected") = py::list(),
                          py::arg("rate") = py::list()),
                 "", digits);
             const ledger::CustomerFeatures* row = nullptr;
             for (const auto& f : facts.features) {
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
