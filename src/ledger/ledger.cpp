// Ledger construction: validation, currency conversion and settlement.
#include "arscore/ledger/ledger.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>

#include "arscore/core/error.hpp"
#include "ledger/key_index.hpp"
#include "ledger/ledger_internal.hpp"
#include "ledger/row_report.hpp"

namespace arscore::ledger {

using detail::describe_rows;
using detail::throw_if_rows;

const char* to_string(InvoiceStatus status) noexcept {
  switch (status) {
    case InvoiceStatus::open:
      return "open";
    case InvoiceStatus::disputed:
      return "disputed";
    case InvoiceStatus::on_hold:
      return "on_hold";
    case InvoiceStatus::written_off:
      return "written_off";
  }
  return "open";
}

InvoiceStatus parse_invoice_status(const std::string& text) {
  for (const InvoiceStatus s : {InvoiceStatus::open, InvoiceStatus::disputed,
                                InvoiceStatus::on_hold, InvoiceStatus::written_off}) {
    if (text == to_string(s)) {
      return s;
    }
  }
  throw Error("ledger.invoice.bad_status",
              "status '" + text + "' is not one of open, disputed, on_hold, written_off");
}

const char* to_string(UnappliedReason reason) noexcept {
  return reason == UnappliedReason::unknown_invoice ? "unknown_invoice" : "overpayment";
}

namespace {

void check_length(std::size_t actual, std::size_t expected, const char* table, const char* column,
                  bool optional) {
  if (actual != expected && !(optional && actual == 0)) {
    throw Error("ledger.input.length_mismatch", std::string(table) + " column '" + column +
                                                    "' has " + std::to_string(actual) +
                                                    " rows, expected " + std::to_string(expected));
  }
}

// The row index of unique keys; reports duplicated keys with all their rows.
detail::KeyIndex check_unique(std::span<const std::int64_t> keys, const std::string& code,
                              const std::string& table, const std::string& column) {
  detail::KeyIndex index(keys);
  const auto& duplicated = index.duplicated_keys();
  if (!duplicated.empty()) {
    std::vector<std::size_t> rows;
    for (std::size_t i = 0; i < keys.size(); ++i) {
      if (std::binary_search(duplicated.begin(), duplicated.end(), keys[i])) {
        rows.push_back(i);
      }
    }
    std::string first_ids;
    for (std::size_t k = 0; k < duplicated.size() && k < 5; ++k) {
      first_ids += (k ? ", " : "") + std::to_string(duplicated[k]);
    }
    throw Error(code, std::to_string(duplicated.size()) + " duplicated " + column + " (" +
                          first_ids + (duplicated.size() > 5 ? ", …" : "") + "): " + table + " " +
                          describe_rows(rows));
  }
  return index;
}

}  // namespace

Ledger::Ledger(const InvoiceColumns& invoices, const PaymentColumns& payments,
               const CustomerColumns* customers, const SalespersonColumns* salespeople,
               LedgerOptions options)
    : options_(std::move(options)) {
  reporting_digits_ = options_.currencies.digits(options_.currency);
  const std::size_t n = invoices.invoice_id.size();
  if (n >= std::numeric_limits<std::uint32_t>::max()) {
    throw Error("ledger.input.too_large", "a ledger holds fewer than 2^32 invoices");
  }
  check_length(invoices.customer_id.size(), n, "invoices", "customer_id", false);
  check_length(invoices.salesperson_id.size(), n, "invoices", "salesperson_id", false);
  check_length(invoices.issue_date.size(), n, "invoices", "issue_date", false);
  check_length(invoices.due_date.size(), n, "invoices", "due_date", false);
  check_length(invoices.amount.size(), n, "invoices", "amount", false);
  check_length(invoices.currency.codes.size(), n, "invoices", "currency", true);
  check_length(invoices.status.codes.size(), n, "invoices", "status", true);
  check_length(invoices.hold_until.size(), n, "invoices", "hold_until", true);
  const std::size_t m = payments.invoice_id.size();
  check_length(payments.paid_date.size(), m, "payments", "paid_date", false);
  check_length(payments.amount.size(), m, "payments", "amount", false);

  const detail::KeyIndex invoice_index =
      check_unique(invoices.invoice_id, "ledger.invoice.duplicate_id", "invoices", "invoice_id");

  // Currencies: decimals and booking rate per category.
  const std::size_t n_currencies = invoices.currency.categories.size();
  std::vector<int> category_digits(n_currencies, -1);
  for (std::size_t c = 0; c < n_currencies; ++c) {
    if (options_.currencies.contains(invoices.currency.categories[c])) {
      category_digits[c] = options_.currencies.digits(invoices.currency.categories[c]);
    }
  }
  digits_.assign(n, reporting_digits_);
  rate_.assign(n, DecimalRate{});
  std::vector<std::int32_t> currency_code(n, -2);  // -2: the reporting currency
  std::vector<bool> foreign(n_currencies);
  for (std::size_t c = 0; c < n_currencies; ++c) {
    foreign[c] = invoices.currency.categories[c] != options_.currency;
  }
  bool any_foreign = false;
  {
    std::vector<std::size_t> bad;
    for (std::size_t i = 0; i < invoices.currency.codes.size(); ++i) {
      const std::int32_t code = invoices.currency.codes[i];
      if (code < 0 || static_cast<std::size_t>(code) >= n_currencies ||
          category_digits[static_cast<std::size_t>(code)] < 0) {
        bad.push_back(i);
        continue;
      }
      digits_[i] = category_digits[static_cast<std::size_t>(code)];
      if (foreign[static_cast<std::size_t>(code)]) {
        currency_code[i] = code;
        any_foreign = true;
      }
    }
    throw_if_rows(bad, "ledger.invoice.unknown_currency", "invoices",
                  "missing currency or one not in the currency table");
  }
  currencies_ = {options_.currency};
  if (any_foreign) {
    // Index per invoice into currencies_, numbered by first appearance (by text, so a
    // category listed twice still gets one index).
    std::vector<std::int32_t> category_index(n_currencies, -1);
    currency_.assign(n, 0);
    for (std::size_t i = 0; i < n; ++i) {
      if (currency_code[i] < 0) {
        continue;
      }
      const auto c = static_cast<std::size_t>(currency_code[i]);
      if (category_index[c] < 0) {
        const std::string& code = invoices.currency.categories[c];
        const auto found = std::find(currencies_.begin(), currencies_.end(), code);
        category_index[c] = static_cast<std::int32_t>(found - currencies_.begin());
        if (found == currencies_.end()) {
          currencies_.push_back(code);
        }
      }
      currency_[i] = category_index[c];
    }
  } else {  // one currency: no per-invoice decimals, rates or currency indices to keep
    digits_ = {};
    rate_ = {};
  }

  // Amounts, dates, statuses.
  amount_.resize(n);
  {
    std::vector<std::size_t> bad;
    for (std::size_t i = 0; i < n; ++i) {
      const double a = invoices.amount[i];
      if (!std::isfinite(a) || a <= 0) {
        bad.push_back(i);
        continue;
      }
      try {
        amount_[i] = to_minor_units(a, digits_of(i));
      } catch (const Error&) {
        bad.push_back(i);
        continue;
      }
      if (amount_[i] <= 0) {
        bad.push_back(i);
      }
    }
    throw_if_rows(bad, "ledger.invoice.bad_amount", "invoices",
                  "amount is NaN, infinite, not positive or beyond 2^53 minor units");
  }
  issue_.resize(n);
  due_.resize(n);
  {
    std::vector<std::size_t> bad;
    for (std::size_t i = 0; i < n; ++i) {
      issue_[i] = invoices.issue_date[i].serial();
      due_[i] = invoices.due_date[i].serial();
      if (due_[i] < issue_[i]) {
        bad.push_back(i);
      }
    }
    throw_if_rows(bad, "ledger.invoice.due_before_issue", "invoices",
                  "due_date is before issue_date");
  }
  status_.assign(n, InvoiceStatus::open);
  if (!invoices.status.codes.empty()) {
    std::vector<int> parsed(invoices.status.categories.size(), -1);
    for (std::size_t c = 0; c < parsed.size(); ++c) {
      try {
        parsed[c] = static_cast<int>(parse_invoice_status(invoices.status.categories[c]));
      } catch (const Error&) {
        parsed[c] = -1;
      }
    }
    std::vector<std::size_t> bad;
    for (std::size_t i = 0; i < n; ++i) {
      const std::int32_t code = invoices.status.codes[i];
      if (code < 0 || static_cast<std::size_t>(code) >= parsed.size() ||
          parsed[static_cast<std::size_t>(code)] < 0) {
        bad.push_back(i);
        continue;
      }
      status_[i] = static_cast<InvoiceStatus>(parsed[static_cast<std::size_t>(code)]);
    }
    throw_if_rows(bad, "ledger.invoice.bad_status", "invoices",
                  "status missing or not one of open, disputed, on_hold, written_off");
  }
  hold_until_.assign(n, detail::no_date);
  for (std::size_t i = 0; i < invoices.hold_until.size(); ++i) {
    if (invoices.hold_until[i]) {
      hold_until_[i] = invoices.hold_until[i]->serial();
    }
  }

  // Customers and salespeople: dense indices in ascending key order (over the listed keys
  // when a table is given, every invoice key must be among them).
  customer_.resize(n);
  salesperson_.resize(n);
  const auto assign_indices = [n](const detail::KeyDictionary& keys,
                                  std::span<const std::int64_t> column,
                                  std::vector<std::int32_t>& index) {
    std::vector<std::size_t> bad;
    for (std::size_t i = 0; i < n; ++i) {
      index[i] = keys.index_of(column[i]);
      if (index[i] < 0) {
        bad.push_back(i);
      }
    }
    return bad;
  };
  if (customers != nullptr) {
    (void)check_unique(customers->customer_id, "ledger.customer.duplicate_id", "customers",
                       "customer_id");
  }
  {
    const detail::KeyDictionary keys(
        {customers != nullptr ? customers->customer_id : invoices.customer_id});
    throw_if_rows(assign_indices(keys, invoices.customer_id, customer_),
                  "ledger.invoice.unknown_customer", "invoices",
                  "customer_id not in the customers table");
    customer_key_ = keys.keys();
  }
  if (salespeople != nullptr) {
    const std::size_t k = salespeople->salesperson_id.size();
    check_length(salespeople->team.size(), k, "salespeople", "team", true);
    check_length(salespeople->manager_id.size(), k, "salespeople", "manager_id", true);
    (void)check_unique(salespeople->salesperson_id, "ledger.salesperson.duplicate_id",
                       "salespeople", "salesperson_id");
  }
  {
    const detail::KeyDictionary keys(
        {salespeople != nullptr ? salespeople->salesperson_id : invoices.salesperson_id});
    throw_if_rows(assign_indices(keys, invoices.salesperson_id, salesperson_),
                  "ledger.invoice.unknown_salesperson", "invoices",
                  "salesperson_id not in the salespeople table");
    salesperson_key_ = keys.keys();
    if (salespeople != nullptr && !salespeople->team.empty()) {
      team_of_salesperson_.resize(salesperson_key_.size());
      for (std::size_t r = 0; r < salespeople->salesperson_id.size(); ++r) {
        team_of_salesperson_[static_cast<std::size_t>(
            keys.index_of(salespeople->salesperson_id[r]))] = salespeople->team[r];
      }
    }
  }
  invoice_id_.assign(invoices.invoice_id.begin(), invoices.invoice_id.end());

  // Booking rates and reporting amounts.
  {
    std::map<std::int32_t, std::vector<std::size_t>> missing;  // currency code → rows
    for (std::size_t i = 0; i < n; ++i) {
      if (currency_code[i] < 0) {
        continue;
      }
      const std::string& code =
          invoices.currency.categories[static_cast<std::size_t>(currency_code[i])];
      double rate = 0;
      try {
        rate = options_.fx.rate(code, Date::from_serial(issue_[i]));
      } catch (const Error&) {
        missing[currency_code[i]].push_back(i);
        continue;
      }
      rate_[i] = decimal_rate(rate);
    }
    if (!missing.empty()) {
      const auto& [code, rows] = *missing.begin();
      throw Error("ledger.fx.missing_rate",
                  "no " + invoices.currency.categories[static_cast<std::size_t>(code)] +
                      " rate in force on " + Date::from_serial(issue_[rows.front()]).to_string() +
                      " (the issue date of invoices " + describe_rows(rows) + ")");
    }
  }
  amount_reporting_.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    amount_reporting_[i] = to_reporting(i, amount_[i]);
  }

  // Payments: match, validate, order by (invoice, date, row).
  if (m >= std::numeric_limits<std::uint32_t>::max()) {
    throw Error("ledger.input.too_large", "a ledger holds fewer than 2^32 payments");
  }
  constexpr std::uint32_t unknown = std::numeric_limits<std::uint32_t>::max();
  std::vector<std::uint32_t> invoice_of(m, unknown);
  std::vector<MinorUnits> paid_minor(m, 0);
  payment_begin_.assign(n + 1, 0);
  {
    std::vector<std::size_t> bad_amount;
    for (std::size_t p = 0; p < m; ++p) {
      const std::size_t found = invoice_index.find(payments.invoice_id[p]);
      const bool known = found != detail::KeyIndex::npos;
      const double a = payments.amount[p];
      if (!std::isfinite(a) || a < 0) {
        bad_amount.push_back(p);
        continue;
      }
      try {
        paid_minor[p] = to_minor_units(a, known ? digits_of(found) : reporting_digits_);
      } catch (const Error&) {
        bad_amount.push_back(p);
        continue;
      }
      if (known) {
        invoice_of[p] = static_cast<std::uint32_t>(found);
        ++payment_begin_[found + 1];
      }
    }
    throw_if_rows(bad_amount, "ledger.payment.bad_amount", "payments",
                  "amount is NaN, infinite, negative or beyond 2^53 minor units");
  }
  std::partial_sum(payment_begin_.begin(), payment_begin_.end(), payment_begin_.begin());
  // Scatter (date, amount, row) into invoice order; row order is kept within an invoice.
  const std::size_t applied = payment_begin_.back();
  payment_date_.resize(applied);
  payment_cumulative_.resize(applied);
  std::vector<std::uint32_t> payment_row(applied);
  {
    std::vector<std::uint32_t> next(payment_begin_.begin(), payment_begin_.end() - 1);
    for (std::size_t p = 0; p < m; ++p) {
      if (invoice_of[p] != unknown) {
        const std::uint32_t k = next[invoice_of[p]]++;
        payment_date_[k] = payments.paid_date[p].serial();
        payment_cumulative_[k] = paid_minor[p];
        payment_row[k] = static_cast<std::uint32_t>(p);
        paid_minor[p] = 0;  // from here on: the overpaid part of an applied payment
      }
    }
  }
  settled_.assign(n, detail::never);
  std::vector<std::size_t> before_issue;
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t first = payment_begin_[i];
    const std::size_t last = payment_begin_[i + 1];
    // Insertion sort by date (an invoice has few payments); stable, so rows stay in order.
    for (std::size_t k = first + 1; k < last; ++k) {
      const std::int32_t date = payment_date_[k];
      const MinorUnits minor = payment_cumulative_[k];
      const std::uint32_t row = payment_row[k];
      std::size_t hole = k;
      while (hole > first && date < payment_date_[hole - 1]) {
        payment_date_[hole] = payment_date_[hole - 1];
        payment_cumulative_[hole] = payment_cumulative_[hole - 1];
        payment_row[hole] = payment_row[hole - 1];
        --hole;
      }
      payment_date_[hole] = date;
      payment_cumulative_[hole] = minor;
      payment_row[hole] = row;
    }
    // Sorted by date, so only the first payments can predate the issue date.
    for (std::size_t k = first; k < last && payment_date_[k] < issue_[i]; ++k) {
      before_issue.push_back(payment_row[k]);
    }
    MinorUnits total = 0;
    for (std::size_t k = first; k < last; ++k) {
      const MinorUnits before = total;
      total += payment_cumulative_[k];
      payment_cumulative_[k] = total;
      if (total >= amount_[i] && settled_[i] == detail::never) {
        settled_[i] = payment_date_[k];
      }
      if (total > amount_[i]) {
        paid_minor[payment_row[k]] = total - std::max(before, amount_[i]);
      }
    }
  }

  std::sort(before_issue.begin(), before_issue.end());
  throw_if_rows(before_issue, "ledger.payment.before_issue", "payments",
                "paid_date is before the invoice's issue_date");

  // Unapplied payments in payment-table order.
  for (std::size_t p = 0; p < m; ++p) {
    if (invoice_of[p] == unknown) {
      unapplied_.push_back(UnappliedPayment{p, payments.invoice_id[p], std::nullopt,
                                            payments.paid_date[p], paid_minor[p],
                                            UnappliedReason::unknown_invoice});
    } else if (paid_minor[p] > 0) {
      const std::size_t i = invoice_of[p];
      unapplied_.push_back(UnappliedPayment{
          p, payments.invoice_id[p], customer_key_[static_cast<std::size_t>(customer_[i])],
          payments.paid_date[p], to_reporting(i, paid_minor[p]), UnappliedReason::overpayment});
    }
  }
}

std::optional<Date> Ledger::settled_date(std::size_t row) const {
  assert(row < size());
  if (settled_[row] == detail::never) {
    return std::nullopt;
  }
  return Date::from_serial(settled_[row]);
}

MinorUnits Ledger::paid_until(std::size_t i, std::int32_t day) const noexcept {
  const auto first = payment_date_.begin() + static_cast<std::ptrdiff_t>(payment_begin_[i]);
  const auto last = payment_date_.begin() + static_cast<std::ptrdiff_t>(payment_begin_[i + 1]);
  const auto it = std::upper_bound(first, last, day);
  if (it == first) {
    return 0;
  }
  return payment_cumulative_[static_cast<std::size_t>(it - payment_date_.begin()) - 1];
}

MinorUnits Ledger::to_reporting(std::size_t i, MinorUnits minor) const {
  if (rate_.empty()) {
    return minor;
  }
  return convert_minor_units(minor, digits_[i], rate_[i], reporting_digits_);
}

MinorUnits Ledger::receivable(std::size_t i, std::int32_t day) const {
  if (issue_[i] > day || status_[i] == InvoiceStatus::written_off || settled_[i] <= day) {
    return 0;
  }
  return to_reporting(i, amount_[i] - paid_until(i, day));
}

std::vector<UnappliedPayment> Ledger::unapplied_payments(std::optional<Date> as_of) const {
  if (!as_of) {
    return unapplied_;
  }
  std::vector<UnappliedPayment> out;
  for (const UnappliedPayment& u : unapplied_) {
    if (u.paid_date <= *as_of) {
      out.push_back(u);
    }
  }
  return out;
}

}  // namespace arscore::ledger
