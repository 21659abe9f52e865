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
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <unordered_map>
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

// One id space (invoices, customers or salespeople) between the ledger and the engine. A
// ledger built from text ids keys them by dense codes 0..n−1, which change when the ledger
// gains ids, so the engine (its state and action ids) keys them by a stable key per code
// (`engine_keys`), and the host's ids are `labels` by code. A ledger built from integer ids
// keys them by the ids, as the engine does: nothing to map.
class IdSpace {
 public:
  IdSpace(const std::optional<Array<std::int64_t>>& engine_keys,
          const std::optional<py::array>& labels) {
    if (!engine_keys) {
      return;
    }
    if (!labels || labels->dtype().kind() != 'O' || labels->ndim() != 1 ||
        labels->shape(0) != engine_keys->size() || (labels->flags() & py::array::c_style) == 0) {
      throw Error("rules.input.key_map",
                  "a key map needs its labels: a contiguous object array of the same length");
    }
    engine_keys_ = {engine_keys->data(), static_cast<std::size_t>(engine_keys->size())};
    labels_ = *labels;
  }

  [[nodiscard]] bool mapped() const { return labels_.has_value(); }

  // The engine's key of a ledger key. Does not need the GIL.
  [[nodiscard]] std::int64_t engine_key(std::int64_t ledger_key) const {
    if (!mapped()) {
      return ledger_key;
    }
    if (ledger_key < 0 || static_cast<std::size_t>(ledger_key) >= engine_keys_.size()) {
      throw Error("rules.input.key_map", "ledger key " + std::to_string(ledger_key) +
                                             " is outside the key map of " +
                                             std::to_string(engine_keys_.size()) + " ids");
    }
    return engine_keys_[static_cast<std::size_t>(ledger_key)];
  }

  // The ledger's key of an engine key (a key not from this ledger, which cannot happen for
  // its own actions, is returned as it is). Does not need the GIL.
  std::int64_t ledger_key(std::int64_t engine_key) {
    if (!mapped()) {
      return engine_key;
    }
    if (code_of_.empty()) {
      code_of_.reserve(engine_keys_.size());
      for (std::size_t code = 0; code < engine_keys_.size(); ++code) {
        code_of_.emplace(engine_keys_[code], code);
      }
    }
    const auto it = code_of_.find(engine_key);
    return it == code_of_.end() ? engine_key : static_cast<std::int64_t>(it->second);
  }

  // The host's id of a ledger key. Needs the GIL.
  [[nodiscard]] py::object label(std::int64_t ledger_key) const {
    if (!mapped()) {
      return py::int_(ledger_key);
    }
    PyObject* const* objects = static_cast<PyObject* const*>(labels_->data());
    return py::reinterpret_borrow<py::object>(objects[ledger_key]);
  }

 private:
  std::span<const std::int64_t> engine_keys_;
  std::optional<py::array> labels_;
  std::unordered_map<std::int64_t, std::size_t> code_of_;
};

void to_engine_keys(std::vector<ledger::CustomerFeatures>& features, const IdSpace& customers) {
  if (!customers.mapped()) {
    return;
  }
  for (ledger::CustomerFeatures& f : features) {
    f.customer_id = customers.engine_key(f.customer_id);
  }
  std::sort(features.begin(), features.end(),
            [](const auto& a, const auto& b) { return a.customer_id < b.customer_id; });
}

void to_engine_keys(LedgerFacts& facts, const IdSpace& invoices, const IdSpace& customers,
                    const IdSpace& salespeople) {
  for (ledger::OpenItem& item : facts.open_items) {
    item.invoice_id = invoices.engine_key(item.invoice_id);
    item.customer_id = customers.engine_key(item.customer_id);
    item.salesperson_id = salespeople.engine_key(item.salesperson_id);
  }
  to_engine_keys(facts.features, customers);
  for (auto& month_end : facts.month_end_features) {
    to_engine_keys(month_end, customers);
  }
  for (ledger::CollectionRate& rate : facts.rates) {
    rate.key = salespeople.engine_key(rate.key);
  }
}

// Turns the actions' engine keys of text ids into the ledger's keys (their action ids are
// already made, from the engine keys), and puts the actions in the order of the host's ids,
// as the engine orders them when the keys are the ids: levels by customer, level and first
// invoice; then flags by customer (in policy order for one customer), salesperson flags last
// by salesperson. Hashed keys have no useful order; the ledger's codes follow the ids.
void to_ledger_keys(std::vector<Action>& actions, const EscalationPolicy& policy, IdSpace& invoices,
                    IdSpace& customers, IdSpace& salespeople) {
  using Key = std::tuple<int, int, std::int64_t, std::size_t, std::int64_t, std::int64_t>;
  std::vector<std::pair<Key, std::size_t>> keys;
  keys.reserve(actions.size());
  for (std::size_t i = 0; i < actions.size(); ++i) {
    Action& a = actions[i];
    for (std::int64_t& id : a.invoice_ids) {
      id = invoices.ledger_key(id);
    }
    if (a.customer_id) {
      a.customer_id = customers.ledger_key(*a.customer_id);
    }
    if (a.salesperson_id) {
      a.salesperson_id = salespeople.ledger_key(*a.salesperson_id);
    }
    const bool level = a.kind == ActionKind::level;
    keys.emplace_back(
        Key{static_cast<int>(a.kind), a.customer_id ? 0 : 1, a.customer_id.value_or(0),
            level ? policy.level_index(a.rule).value_or(0) : 0,
            level && !a.invoice_ids.empty() ? a.invoice_ids.front() : 0,
            a.customer_id ? 0 : a.salesperson_id.value_or(0)},
        i);
  }
  std::stable_sort(keys.begin(), keys.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<Action> ordered;
  ordered.reserve(actions.size());
  for (const auto& k : keys) {
    ordered.push_back(std::move(actions[k.second]));
  }
  actions = std::move(ordered);
}

Scores read_scores(const py::dict& scores) {
  Scores out;
  for (const auto& [key, value] : scores) {
    const auto pair = value.cast<std::pair<std::optional<double>, std::optional<double>>>();
    out[key.cast<std::int64_t>()] = CustomerScores{pair.first, pair.second};
  }
  return out;
}

// Pauses Python's cyclic garbage collector while it lives (restoring what it found).
class CollectorPause {
 public:
#if PY_VERSION_HEX >= 0x030A0000
  CollectorPause() : was_enabled_(PyGC_Disable() != 0) {}
  ~CollectorPause() {
    if (was_enabled_) {
      PyGC_Enable();
    }
  }
#else  // before 3.10: through the gc module
  CollectorPause()
      : gc_(py::module_::import("gc")), was_enabled_(gc_.attr("isenabled")().cast<bool>()) {
    gc_.attr("disable")();
  }
  ~CollectorPause() {
    if (was_enabled_) {
      gc_.attr("enable")();
    }
  }
#endif
  CollectorPause(const CollectorPause&) = delete;
  CollectorPause& operator=(const CollectorPause&) = delete;

 private:
#if PY_VERSION_HEX < 0x030A0000
  py::module_ gc_;
#endif
  bool was_enabled_;
};

// The actions (keyed by the ledger's keys) as the columns of the Python DataFrame: numbers as
// numpy arrays, the rest as object arrays, ids mapped back to the host's.
py::dict actions_to_columns(const std::vector<Action>& actions, const IdSpace& invoice_ids,
                            const IdSpace& customers, const IdSpace& salespeople) {
  // Millions of new lists would trigger the cyclic garbage collector again and again (a third
  // of the time); none of them can be part of a cycle.
  const CollectorPause pause;
  const std::size_t n = actions.size();
  std::vector<std::int64_t> as_of(n), days(n);
  std::vector<double> amount(n);
  // Object columns as numpy object arrays, which pandas takes as they are.
  const auto objects = [n] {
    return py::array(py::dtype("O"), std::vector<py::ssize_t>{static_cast<py::ssize_t>(n)});
  };
  py::array action_id = objects(), kind = objects(), rule = objects(), customer = objects(),
            salesperson = objects(), invoices = objects(), channel = objects(),
            recipients = objects(), template_name = objects(), reason = objects();
  // Few distinct texts: one Python object each, shared by every row that has it.
  std::map<std::string, py::str, std::less<>> texts;
  const auto text = [&](std::string_view value) -> py::str {
    auto it = texts.find(value);
    if (it == texts.end()) {
      it = texts.emplace(std::string(value), py::str(value.data(), value.size())).first;
    }
    return it->second;
  };
  // Raw CPython calls in this loop: a million actions make pybind11's accessors the cost.
  const auto put = [](auto& container, std::size_t i, py::object value) {
    if constexpr (std::is_same_v<std::decay_t<decltype(container)>, py::list>) {
      PyList_SET_ITEM(container.ptr(), static_cast<Py_ssize_t>(i), value.release().ptr());
    } else {
      PyObject** slots = static_cast<PyObject**>(container.mutable_data());
      Py_XDECREF(slots[i]);  // numpy fills a new object array with None
      slots[i] = value.release().ptr();
    }
  };
  for (std::size_t i = 0; i < n; ++i) {
    const Action& a = actions[i];
    put(action_id, i, py::str(action_id_text(a.action_id)));
    as_of[i] = a.as_of.serial();
    put(kind, i, text(to_string(a.kind)));
    put(rule, i, text(a.rule));
    put(customer, i, a.customer_id ? customers.label(*a.customer_id) : py::none());
    put(salesperson, i, a.salesperson_id ? salespeople.label(*a.salesperson_id) : py::none());
    py::list ids(a.invoice_ids.size());
    for (std::size_t k = 0; k < a.invoice_ids.size(); ++k) {
      put(ids, k, invoice_ids.label(a.invoice_ids[k]));
    }
    put(invoices, i, std::move(ids));
    put(channel, i, text(to_string(a.channel)));
    py::list to(a.recipients.size());  // each row its own list
    for (std::size_t k = 0; k < a.recipients.size(); ++k) {
      put(to, k, text(to_string(a.recipients[k])));
    }
    put(recipients, i, std::move(to));
    put(template_name, i, text(a.template_name));
    amount[i] = a.amount;
    days[i] = a.days_overdue;
    put(reason, i, py::str(a.reason));
  }
  py::dict out;
  out["action_id"] = action_id;
  out["as_of"] = to_array(std::move(as_of));
  out["kind"] = kind;
  out["rule"] = rule;
  out["customer_id"] = customer;
  out["salesperson_id"] = salesperson;
  out["invoice_ids"] = invoices;
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
          "run_ledger",
          [](const EscalationEngine& engine, const py::handle& native, std::int64_t as_of,
             const EscalationState& state, const py::dict& scores,
             const std::optional<Array<std::int64_t>>& invoice_keys,
             const std::optional<Array<std::int64_t>>& customer_keys,
             const std::optional<Array<std::int64_t>>& salesperson_keys,
             const std::optional<py::array>& invoice_ids,
             const std::optional<py::array>& customer_ids,
             const std::optional<py::array>& salesperson_ids) {
            const ledger::Ledger& book = native_ledger(native);
            const Scores s = read_scores(scores);
            IdSpace invoices(invoice_keys, invoice_ids), customers(customer_keys, customer_ids),
                salespeople(salesperson_keys, salesperson_ids);
            RunResult result;
            {
              py::gil_scoped_release release;
              const Date day = Date::from_serial(as_of);
              LedgerFacts facts = LedgerFacts::from_ledger(book, day, engine.needs_rates(),
                                                           engine.month_ends_needed());
              to_engine_keys(facts, invoices, customers, salespeople);
              result = engine.run(facts, day, state, s);
              if (invoices.mapped() || customers.mapped() || salespeople.mapped()) {
                to_ledger_keys(result.actions, engine.policy(), invoices, customers, salespeople);
              }
            }
            return py::make_tuple(
                actions_to_columns(result.actions, invoices, customers, salespeople),
                std::move(result.state));
          },
          py::arg("ledger"), py::arg("as_of"), py::arg("state"), py::arg("scores"),
          py::arg("invoice_keys"), py::arg("customer_keys"), py::arg("salesperson_keys"),
          py::arg("invoice_ids"), py::arg("customer_ids"), py::arg("salesperson_ids"),
          "run() on the native ledger; *_keys map the ledger's dense keys of text ids to the "
          "engine's stable keys and *_ids are those ids by dense key (None: the ledger's keys "
          "are the ids)")
      .def(
          "check_contract_ledger",
          [](const EscalationEngine& engine, const py::handle& native, std::int64_t customer,
             double amount, std::int64_t as_of, const py::dict& scores) {
            const ledger::Ledger& book = native_ledger(native);
            const Scores s = read_scores(scores);
            ContractDecision d;
            {
              py::gil_scoped_release release;
              d = engine.check_contract(customer, amount, book, Date::from_serial(as_of), s);
            }
            return py::make_tuple(std::string(to_string(d.decision)), d.reasons);
          },
          py::arg("ledger"), py::arg("customer"), py::arg("amount"), py::arg("as_of"),
          py::arg("scores"),
          "check_contract() on the native ledger; `customer` is the ledger's key and `scores` "
          "are keyed by it");
}

}  // namespace arscore::python
