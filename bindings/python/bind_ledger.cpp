// Python bindings of arscore::ledger: arscore.Calendar, and the private _Ledger that the
// pure-Python arscore.Ledger (arscore/_ledger.py) drives with numpy columns.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <array>
#include <bit>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "arscore/core/error.hpp"
#include "arscore/ledger.hpp"
#include "bindings.hpp"

namespace py = pybind11;

namespace arscore::python {
namespace {

using namespace arscore::ledger;

template <typename T>
using Array = py::array_t<T, py::array::c_style | py::array::forcecast>;

constexpr std::int64_t nat = std::numeric_limits<std::int64_t>::min();
static_assert(std::is_trivially_copyable_v<Date> && sizeof(Date) == sizeof(std::int32_t),
              "Date is a plain int32 day serial");

// A date from datetime.date / datetime.datetime / numpy.datetime64 / "YYYY-MM-DD".
Date to_date(const py::handle& value) {
  if (py::isinstance<py::str>(value)) {
    return Date::parse(value.cast<std::string>());
  }
  const py::module_ numpy = py::module_::import("numpy");
  if (py::isinstance(value, numpy.attr("datetime64"))) {
    const py::object day = value.attr("astype")("datetime64[D]");
    if (numpy.attr("isnat")(day).cast<bool>()) {
      throw Error("ledger.input.bad_date", "NaT is not a date");
    }
    return Date::from_serial(day.attr("astype")(numpy.attr("int64")).cast<std::int64_t>());
  }
  const py::module_ datetime = py::module_::import("datetime");
  if (py::isinstance(value, datetime.attr("date"))) {
    if (py::isinstance(value, py::module_::import("pandas").attr("NaT").get_type())) {
      throw Error("ledger.input.bad_date", "NaT is not a date");
    }
    return Date::from_ymd(value.attr("year").cast<int>(), value.attr("month").cast<int>(),
                          value.attr("day").cast<int>());
  }
  throw Error("ledger.input.bad_date",
              "expected a datetime.date, numpy.datetime64 or 'YYYY-MM-DD' string, got " +
                  py::repr(value).cast<std::string>());
}

py::object to_py_date(Date d) {
  return py::module_::import("datetime").attr("date")(d.year(), d.month(), d.day());
}

std::vector<Date> to_dates(const py::iterable& values) {
  std::vector<Date> out;
  for (const py::handle v : values) {
    out.push_back(to_date(v));
  }
  return out;
}

// datetime64[D] serials (int64, NaT = min) → Dates; missing or out-of-range rows are errors.
std::vector<Date> serials_to_dates(const Array<std::int64_t>& serials, const char* table,
                                   const char* column) {
  const auto view = serials.unchecked<1>();
  std::vector<Date> out(static_cast<std::size_t>(view.shape(0)));
  std::vector<std::size_t> bad;
  for (py::ssize_t i = 0; i < view.shape(0); ++i) {
    const std::int64_t s = view(i);
    if (s == nat || s < Date::min_serial || s > Date::max_serial) {
      bad.push_back(static_cast<std::size_t>(i));
      continue;
    }
    // In range (checked above), so the serial is a valid Date: skip the checked factory.
    out[static_cast<std::size_t>(i)] = std::bit_cast<Date>(static_cast<std::int32_t>(s));
  }
  if (!bad.empty()) {
    std::string rows;
    for (std::size_t k = 0; k < bad.size() && k < 10; ++k) {
      if (k > 0) {
        rows += ", ";
      }
      rows += std::to_string(bad[k]);
    }
    if (bad.size() > 10) {
      rows += ", … (first 10 of " + std::to_string(bad.size()) + ")";
    }
    throw Error("ledger.input.bad_date", std::string(column) + " is missing or not a date: " +
                                             table + (bad.size() == 1 ? " row " : " rows ") + rows);
  }
  return out;
}

template <typename T>
std::span<const T> span_of(const std::optional<Array<T>>& a) {
  if (!a) {
    return {};
  }
  return {a->data(), static_cast<std::size_t>(a->size())};
}

template <typename T>
std::span<const T> span_of(const Array<T>& a) {
  return {a.data(), static_cast<std::size_t>(a.size())};
}

py::array_t<double> money_array(const std::vector<MinorUnits>& minor, int digits) {
  std::vector<double> out(minor.size());
  for (std::size_t i = 0; i < minor.size(); ++i) {
    out[i] = to_major(minor[i], digits);
  }
  return to_array(std::move(out));
}

// Status codes (open = 0 … written_off = 3, anything else −1) of a 1-d numpy object array of
// strings. The same few string objects repeat in a column, so a small pointer cache answers
// most rows without comparing text; an order of magnitude faster than pandas.factorize.
py::array_t<std::int32_t> status_codes(const py::array& values) {
  if (values.ndim() != 1 || values.dtype().kind() != 'O' ||
      (values.shape(0) > 1 && values.strides(0) != static_cast<py::ssize_t>(sizeof(PyObject*)))) {
    throw Error("ledger.input.bad_status", "status must be a contiguous 1-d object array");
  }
  const auto n = static_cast<std::size_t>(values.shape(0));
  const auto* objects = static_cast<PyObject* const*>(values.data());
  std::vector<std::int32_t> codes(n, -1);
  constexpr std::size_t cache_size = 8;
  std::array<PyObject*, cache_size> seen{};
  std::array<std::int32_t, cache_size> seen_code{};
  std::size_t n_seen = 0;
  for (std::size_t i = 0; i < n; ++i) {
    PyObject* object = objects[i];
    std::size_t k = 0;
    while (k < n_seen && seen[k] != object) {
      ++k;
    }
    if (k < n_seen) {
      codes[i] = seen_code[k];
      continue;
    }
    std::int32_t code = -1;
    if (PyUnicode_Check(object)) {
      Py_ssize_t length = 0;
      const char* text = PyUnicode_AsUTF8AndSize(object, &length);
      if (text == nullptr) {
        PyErr_Clear();
      } else {
        const std::string_view view(text, static_cast<std::size_t>(length));
        for (std::int32_t s = 0; s < 4; ++s) {
          if (view == to_string(static_cast<InvoiceStatus>(s))) {
            code = s;
          }
        }
      }
    }
    codes[i] = code;
    if (n_seen < cache_size) {
      seen[n_seen] = object;
      seen_code[n_seen] = code;
      ++n_seen;
    }
  }
  return to_array(std::move(codes));
}

// The ledger as Python sees it: built from numpy columns, answering with dicts of arrays.
class PyLedger {
 public:
  PyLedger(const Array<std::int64_t>& invoice_id, const Array<std::int64_t>& customer_id,
           const Array<std::int64_t>& salesperson_id, const Array<std::int64_t>& issue_date,
           const Array<std::int64_t>& due_date, const Array<double>& amount,
           std::vector<std::string> currency_categories,
           const std::optional<Array<std::int32_t>>& currency_codes,
           std::vector<std::string> status_categories,
           const std::optional<Array<std::int32_t>>& status_codes,
           const std::optional<Array<std::int64_t>>& hold_until,
           const Array<std::int64_t>& payment_invoice_id, const Array<std::int64_t>& paid_date,
           const Array<double>& payment_amount, const std::optional<Array<std::int64_t>>& customers,
           const std::optional<Array<std::int64_t>>& salespeople,
           const std::optional<Array<std::int64_t>>& teams,
           const std::optional<Array<std::int64_t>>& managers, const std::string& currency,
           const std::optional<std::map<std::string, int>>& currencies,
           const std::optional<std::vector<std::string>>& fx_currency,
           const std::optional<Array<std::int64_t>>& fx_date,
           const std::optional<Array<double>>& fx_rate, const std::optional<Calendar>& calendar) {
    const std::vector<Date> issue = serials_to_dates(issue_date, "invoices", "issue_date");
    const std::vector<Date> due = serials_to_dates(due_date, "invoices", "due_date");
    const std::vector<Date> paid = serials_to_dates(paid_date, "payments", "paid_date");
    std::vector<std::optional<Date>> hold;
    if (hold_until) {
      const auto view = hold_until->unchecked<1>();
      for (py::ssize_t i = 0; i < view.shape(0); ++i) {
        hold.push_back(view(i) == nat ? std::nullopt
                                      : std::optional<Date>(Date::from_serial(view(i))));
      }
    }
    LedgerOptions options;
    options.currency = currency;
    if (currencies) {
      for (const auto& [code, digits] : *currencies) {
        options.currencies.set(code, digits);
      }
    }
    if (fx_currency && fx_date && fx_rate) {
      const std::vector<Date> fx_dates = serials_to_dates(*fx_date, "fx", "date");
      const auto rates = fx_rate->unchecked<1>();
      if (fx_currency->size() != fx_dates.size() ||
          static_cast<std::size_t>(rates.shape(0)) != fx_dates.size()) {
        throw Error("ledger.input.length_mismatch", "fx columns differ in length");
      }
      for (std::size_t i = 0; i < fx_dates.size(); ++i) {
        options.fx.add((*fx_currency)[i], fx_dates[i], rates(static_cast<py::ssize_t>(i)));
      }
    }
    if (calendar) {
      options.calendar = *calendar;
    }
    InvoiceColumns inv;
    inv.invoice_id = span_of(invoice_id);
    inv.customer_id = span_of(customer_id);
    inv.salesperson_id = span_of(salesperson_id);
    inv.issue_date = issue;
    inv.due_date = due;
    inv.amount = span_of(amount);
    inv.currency = {std::move(currency_categories), span_of(currency_codes)};
    inv.status = {std::move(status_categories), span_of(status_codes)};
    inv.hold_until = hold;
    const PaymentColumns pay{span_of(payment_invoice_id), paid, span_of(payment_amount)};
    const CustomerColumns cust{span_of(customers)};
    const SalespersonColumns sp{span_of(salespeople), span_of(teams), span_of(managers)};
    const py::gil_scoped_release release;
    ledger_.emplace(inv, pay, customers ? &cust : nullptr, salespeople ? &sp : nullptr,
                    std::move(options));
  }

  py::dict open_items(const py::handle& as_of) const {
    const Date day = to_date(as_of);
    std::vector<OpenItem> items;
    {
      const py::gil_scoped_release release;
      items = ledger_->open_items(day);
    }
    std::vector<std::int64_t> row, invoice, customer, salesperson, issue, due, dpd, bdpd;
    std::vector<MinorUnits> amount, balance;
    std::vector<std::int32_t> currency;
    std::vector<std::int8_t> status;
    for (const OpenItem& item : items) {
      row.push_back(static_cast<std::int64_t>(item.row));
      invoice.push_back(item.invoice_id);
      customer.push_back(item.customer_id);
      salesperson.push_back(item.salesperson_id);
      issue.push_back(item.issue_date.serial());
      due.push_back(item.due_date.serial());
      amount.push_back(item.amount);
      currency.push_back(item.currency);
      balance.push_back(item.balance);
      dpd.push_back(item.days_past_due);
      bdpd.push_back(item.business_days_past_due);
      status.push_back(static_cast<std::int8_t>(item.status));
    }
    py::dict out;
    out["row"] = to_array(std::move(row));
    out["invoice_id"] = to_array(std::move(invoice));
    out["customer_id"] = to_array(std::move(customer));
    out["salesperson_id"] = to_array(std::move(salesperson));
    out["issue_date"] = to_array(std::move(issue));
    out["due_date"] = to_array(std::move(due));
    out["amount"] = money_array(amount, ledger_->currency_digits());
    out["currency"] = to_array(std::move(currency));  // index into currencies
    out["balance"] = money_array(balance, ledger_->currency_digits());
    out["days_past_due"] = to_array(std::move(dpd));
    out["business_days_past_due"] = to_array(std::move(bdpd));
    out["status"] = to_array(std::move(status));
    return out;
  }

  py::dict aging(const py::handle& as_of, const std::vector<std::int64_t>& edges) const {
    const Date day = to_date(as_of);
    AgingTable table;
    {
      const py::gil_scoped_release release;
      table = ledger_->aging(day, AgingBuckets{edges});
    }
    const int digits = ledger_->currency_digits();
    const auto rows = static_cast<py::ssize_t>(table.customer_id.size());
    const auto cols = static_cast<py::ssize_t>(table.labels.size());
    py::array_t<double> amounts({rows, cols});
    auto view = amounts.mutable_unchecked<2>();
    for (py::ssize_t r = 0; r < rows; ++r) {
      for (py::ssize_t c = 0; c < cols; ++c) {
        view(r, c) = to_major(table.amounts[static_cast<std::size_t>(r * cols + c)], digits);
      }
    }
    py::dict out;
    out["labels"] = table.labels;
    out["customer_id"] = to_array(std::move(table.customer_id));
    out["amounts"] = amounts;
    out["total"] = money_array(table.total, digits);
    out["bucket_totals"] = money_array(table.bucket_totals, digits);
    out["grand_total"] = to_major(table.grand_total, digits);
    return out;
  }

  double dso(const py::handle& as_of, std::int64_t days) const {
    const Date day = to_date(as_of);
    const py::gil_scoped_release release;
    return ledger_->dso(day, days);
  }

  double cei(const py::handle& start, const py::handle& end) const {
    const Date first = to_date(start);
    const Date last = to_date(end);
    const py::gil_scoped_release release;
    return ledger_->cei(first, last);
  }

  py::dict collection_rates(const py::handle& as_of, const std::string& by) const {
    const Date day = to_date(as_of);
    const GroupBy group = parse_group_by(by);
    std::vector<CollectionRate> rates;
    {
      const py::gil_scoped_release release;
      rates = ledger_->collection_rates(day, group);
    }
    std::vector<std::int64_t> period, key;
    std::vector<MinorUnits> due, collected;
    std::vector<double> rate;
    for (const CollectionRate& r : rates) {
      period.push_back(r.period.serial());
      key.push_back(r.key);
      due.push_back(r.due);
      collected.push_back(r.collected);
      rate.push_back(r.rate);
    }
    const int digits = ledger_->currency_digits();
    py::dict out;
    out["period"] = to_array(std::move(period));
    out["key"] = to_array(std::move(key));
    out["due"] = money_array(due, digits);
    out["collected"] = money_array(collected, digits);
    out["rate"] = to_array(std::move(rate));
    return out;
  }

  py::dict customer_features(const py::handle& as_of) const {
    const Date day = to_date(as_of);
    std::vector<CustomerFeatures> features;
    {
      const py::gil_scoped_release release;
      features = ledger_->customer_features(day);
    }
    const std::size_t n = features.size();
    std::vector<std::int64_t> id(n), n_invoices(n), n_paid(n), n_paid_late(n), max_dpd(n),
        streak(n), tenure(n), n_disputed(n);
    std::vector<double> late_ratio(n), avg_late(n), max_late(n), overdue_ratio(n), since(n),
        avg_amount(n);
    std::vector<MinorUnits> open(n), overdue(n);
    for (std::size_t i = 0; i < n; ++i) {
      const CustomerFeatures& f = features[i];
      id[i] = f.customer_id;
      n_invoices[i] = f.n_invoices;
      n_paid[i] = f.n_paid;
      n_paid_late[i] = f.n_paid_late;
      late_ratio[i] = f.late_ratio;
      avg_late[i] = f.avg_days_late;
      max_late[i] = f.max_days_late;
      open[i] = f.open_amount;
      overdue[i] = f.overdue_amount;
      overdue_ratio[i] = f.overdue_ratio;
      max_dpd[i] = f.max_days_past_due;
      streak[i] = f.late_streak;
      tenure[i] = f.tenure_days;
      since[i] = f.days_since_last_payment;
      avg_amount[i] = f.avg_invoice_amount;
      n_disputed[i] = f.n_disputed;
    }
    const int digits = ledger_->currency_digits();
    py::dict out;
    out["customer_id"] = to_array(std::move(id));
    out["n_invoices"] = to_array(std::move(n_invoices));
    out["n_paid"] = to_array(std::move(n_paid));
    out["n_paid_late"] = to_array(std::move(n_paid_late));
    out["late_ratio"] = to_array(std::move(late_ratio));
    out["avg_days_late"] = to_array(std::move(avg_late));
    out["max_days_late"] = to_array(std::move(max_late));
    out["open_amount"] = money_array(open, digits);
    out["overdue_amount"] = money_array(overdue, digits);
    out["overdue_ratio"] = to_array(std::move(overdue_ratio));
    out["max_days_past_due"] = to_array(std::move(max_dpd));
    out["late_streak"] = to_array(std::move(streak));
    out["tenure_days"] = to_array(std::move(tenure));
    out["days_since_last_payment"] = to_array(std::move(since));
    out["avg_invoice_amount"] = to_array(std::move(avg_amount));
    out["n_disputed"] = to_array(std::move(n_disputed));
    return out;
  }

  py::dict unapplied_payments(const py::object& as_of) const {
    std::optional<Date> day;
    if (!as_of.is_none()) {
      day = to_date(as_of);
    }
    const std::vector<UnappliedPayment> unapplied = ledger_->unapplied_payments(day);
    std::vector<std::int64_t> row, invoice, customer, paid;
    std::vector<bool> has_customer;
    std::vector<MinorUnits> amount;
    std::vector<std::string> reason;
    for (const UnappliedPayment& u : unapplied) {
      row.push_back(static_cast<std::int64_t>(u.payment_row));
      invoice.push_back(u.invoice_id);
      customer.push_back(u.customer_id.value_or(-1));
      has_customer.push_back(u.customer_id.has_value());
      paid.push_back(u.paid_date.serial());
      amount.push_back(u.amount);
      reason.emplace_back(to_string(u.reason));
    }
    py::dict out;
    out["row"] = to_array(std::move(row));
    out["invoice_id"] = to_array(std::move(invoice));
    out["customer_id"] = to_array(std::move(customer));
    out["has_customer"] = has_customer;
    out["paid_date"] = to_array(std::move(paid));
    out["amount"] = money_array(amount, ledger_->currency_digits());
    out["reason"] = reason;
    return out;
  }

  [[nodiscard]] std::size_t size() const { return ledger_->size(); }
  [[nodiscard]] const std::string& currency() const { return ledger_->currency(); }
  [[nodiscard]] int currency_digits() const { return ledger_->currency_digits(); }
  [[nodiscard]] const std::vector<std::string>& currencies() const { return ledger_->currencies(); }
  [[nodiscard]] const Ledger& native() const { return *ledger_; }

 private:
  std::optional<Ledger> ledger_;
};

}  // namespace

const ledger::Ledger& native_ledger(const py::handle& object) {
  return object.cast<const PyLedger&>().native();
}

void bind_ledger(py::module_& m) {
  py::class_<Calendar>(m, "Calendar",
                       "Business days: weekend days, holidays and extra working days.")
      .def(py::init([](const std::vector<int>& weekend, const py::iterable& holidays,
                       const py::iterable& workdays) {
             return Calendar(weekend, to_dates(holidays), to_dates(workdays));
           }),
           py::arg("weekend") = std::vector<int>{5, 6}, py::arg("holidays") = py::tuple(),
           py::arg("workdays") = py::tuple())
      .def_static(
          "from_csv",
          [](const std::string& path, const std::vector<int>& weekend) {
            return Calendar::load_csv(path, weekend);
          },
          py::arg("path"), py::arg("weekend") = std::vector<int>{5, 6},
          "Reads 'date,kind[,name]' rows (kind: holiday or workday) from a CSV file.")
      .def_static(
          "parse_csv",
          [](const std::string& text, const std::vector<int>& weekend) {
            return Calendar::from_csv(text, weekend);
          },
          py::arg("text"), py::arg("weekend") = std::vector<int>{5, 6},
          "Parses 'date,kind[,name]' rows (kind: holiday or workday) from CSV text.")
      .def(
          "is_business_day",
          [](const Calendar& c, const py::handle& day) { return c.is_business_day(to_date(day)); },
          py::arg("day"))
      .def(
          "business_days_between",
          [](const Calendar& c, const py::handle& a, const py::handle& b) {
            return c.business_days_between(to_date(a), to_date(b));
          },
          py::arg("a"), py::arg("b"),
          "Business days in [a, b); negative when b < a (numpy.busday_count).")
      .def(
          "add_business_days",
          [](const Calendar& c, const py::handle& day, std::int64_t n) {
            return to_py_date(c.add_business_days(to_date(day), n));
          },
          py::arg("day"), py::arg("n"),
          "numpy.busday_offset(day, n, roll='forward') as a datetime.date.")
      .def_property_readonly("weekend", &Calendar::weekend)
      .def_property_readonly("holidays",
                             [](const Calendar& c) {
                               py::list out;
                               for (const Date d : c.holidays()) {
                                 out.append(to_py_date(d));
                               }
                               return out;
                             })
      .def_property_readonly("workdays", [](const Calendar& c) {
        py::list out;
        for (const Date d : c.workdays()) {
          out.append(to_py_date(d));
        }
        return out;
      });

  m.def("_status_codes", &status_codes, py::arg("values"));

  py::class_<PyLedger>(m, "_Ledger")
      .def(py::init<
               const Array<std::int64_t>&, const Array<std::int64_t>&, const Array<std::int64_t>&,
               const Array<std::int64_t>&, const Array<std::int64_t>&, const Array<double>&,
               std::vector<std::string>, const std::optional<Array<std::int32_t>>&,
               std::vector<std::string>, const std::optional<Array<std::int32_t>>&,
               const std::optional<Array<std::int64_t>>&, const Array<std::int64_t>&,
               const Array<std::int64_t>&, const Array<double>&,
               const std::optional<Array<std::int64_t>>&, const std::optional<Array<std::int64_t>>&,
               const std::optional<Array<std::int64_t>>&, const std::optional<Array<std::int64_t>>&,
               const std::string&, const std::optional<std::map<std::string, int>>&,
               const std::optional<std::vector<std::string>>&,
               const std::optional<Array<std::int64_t>>&, const std::optional<Array<double>>&,
               const std::optional<Calendar>&>(),
           py::arg("invoice_id"), py::arg("customer_id"), py::arg("salesperson_id"),
           py::arg("issue_date"), py::arg("due_date"), py::arg("amount"),
           py::arg("currency_categories"), py::arg("currency_codes"), py::arg("status_categories"),
           py::arg("status_codes"), py::arg("hold_until"), py::arg("payment_invoice_id"),
           py::arg("paid_date"), py::arg("payment_amount"), py::arg("customers"),
           py::arg("salespeople"), py::arg("teams"), py::arg("managers"), py::arg("currency"),
           py::arg("currencies"), py::arg("fx_currency"), py::arg("fx_date"), py::arg("fx_rate"),
           py::arg("calendar"))
      .def("open_items", &PyLedger::open_items, py::arg("as_of"))
      .def("aging", &PyLedger::aging, py::arg("as_of"), py::arg("edges"))
      .def("dso", &PyLedger::dso, py::arg("as_of"), py::arg("days"))
      .def("cei", &PyLedger::cei, py::arg("start"), py::arg("end"))
      .def("collection_rates", &PyLedger::collection_rates, py::arg("as_of"), py::arg("by"))
      .def("customer_features", &PyLedger::customer_features, py::arg("as_of"))
      .def("unapplied_payments", &PyLedger::unapplied_payments, py::arg("as_of"))
      .def("__len__", &PyLedger::size)
      .def_property_readonly("currency", &PyLedger::currency)
      .def_property_readonly("currency_digits", &PyLedger::currency_digits)
      .def_property_readonly("currencies", &PyLedger::currencies);
}

}  // namespace arscore::python
