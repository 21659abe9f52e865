// Ledger::customer_features.
#include <algorithm>
#include <cmath>
#include <limits>

#include "arscore/ledger/ledger.hpp"
#include "ledger/ledger_internal.hpp"

namespace arscore::ledger {

namespace {

// Per-customer running totals while the invoices are scanned in row order.
struct Totals {
  std::int32_t first_issue = detail::never;
  std::int32_t last_payment = detail::no_date;
  std::int64_t days_late_sum = 0;
  std::int64_t days_late_max = -1;
  MinorUnits invoiced = 0;
  // The latest invoice due on or before as_of and paid on time, by (due, issue, row); the
  // late streak counts the late or unpaid-past-due invoices after it.
  std::int32_t on_time_due = detail::no_date;
  std::int32_t on_time_issue = detail::no_date;
  std::size_t on_time_row = 0;
};

// Orders invoices by (due, issue, row).
bool is_later(std::int32_t due, std::int32_t issue, std::size_t row, const Totals& t) noexcept {
  if (due != t.on_time_due) {
    return due > t.on_time_due;
  }
  if (issue != t.on_time_issue) {
    return issue > t.on_time_issue;
  }
  return row > t.on_time_row;
}

}  // namespace

std::vector<CustomerFeatures> Ledger::customer_features(Date as_of) const {
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  const std::int32_t day = as_of.serial();
  const double unit = static_cast<double>(minor_per_major(reporting_digits_));
  const std::size_t n_customers = customer_key_.size();
  std::vector<CustomerFeatures> features(n_customers);
  std::vector<Totals> totals(n_customers);
  // One pass in row order (the payment arrays are laid out in that order too).
  for (std::size_t i = 0; i < size(); ++i) {
    if (issue_[i] > day) {
      continue;
    }
    const auto c = static_cast<std::size_t>(customer_[i]);
    CustomerFeatures& f = features[c];
    Totals& t = totals[c];
    ++f.n_invoices;
    t.invoiced += amount_reporting_[i];
    t.first_issue = std::min(t.first_issue, issue_[i]);
    if (status_[i] == InvoiceStatus::disputed) {
      ++f.n_disputed;
    }
    const auto first_payment =
        payment_date_.begin() + static_cast<std::ptrdiff_t>(payment_begin_[i]);
    const auto end_payment =
        payment_date_.begin() + static_cast<std::ptrdiff_t>(payment_begin_[i + 1]);
    const auto after = std::upper_bound(first_payment, end_payment, day);
    if (after != first_payment) {
      t.last_payment = std::max(t.last_payment, *(after - 1));
    }
    if (due_[i] <= day && settled_[i] <= day && settled_[i] <= due_[i] &&
        is_later(due_[i], issue_[i], i, t)) {
      t.on_time_due = due_[i];
      t.on_time_issue = issue_[i];
      t.on_time_row = i;
    }
    if (settled_[i] <= day) {
      ++f.n_paid;
      const std::int64_t late = std::max<std::int64_t>(0, std::int64_t{settled_[i]} - due_[i]);
      f.n_paid_late += late > 0 ? 1 : 0;
      t.days_late_sum += late;
      t.days_late_max = std::max(t.days_late_max, late);
      continue;
    }
    const MinorUnits open = receivable(i, day);
    if (open > 0) {
      f.open_amount += open;
      const std::int64_t past_due = std::max<std::int64_t>(0, std::int64_t{day} - due_[i]);
      if (past_due > 0) {
        f.overdue_amount += open;
      }
      f.max_days_past_due = std::max(f.max_days_past_due, past_due);
    }
  }
  // Second pass: the late streak counts, over invoices due on or before as_of, those after
  // the latest on-time one that were paid late or are unpaid past due (an unpaid invoice due
  // exactly on as_of is neither).
  for (std::size_t i = 0; i < size(); ++i) {
    if (due_[i] > day) {
      continue;
    }
    const auto c = static_cast<std::size_t>(customer_[i]);
    const bool late = settled_[i] <= day ? settled_[i] > due_[i] : due_[i] < day;
    if (late && is_later(due_[i], issue_[i], i, totals[c])) {
      ++features[c].late_streak;
    }
  }
  std::vector<CustomerFeatures> out;
  for (std::size_t c = 0; c < n_customers; ++c) {
    CustomerFeatures f = features[c];
    const Totals& t = totals[c];
    if (f.n_invoices == 0) {
      continue;
    }
    f.customer_id = customer_key_[c];
    f.late_ratio =
        f.n_paid > 0 ? static_cast<double>(f.n_paid_late) / static_cast<double>(f.n_paid) : nan;
    f.avg_days_late =
        f.n_paid > 0 ? static_cast<double>(t.days_late_sum) / static_cast<double>(f.n_paid) : nan;
    f.max_days_late = f.n_paid > 0 ? static_cast<double>(t.days_late_max) : nan;
    f.overdue_ratio = f.open_amount > 0 ? static_cast<double>(f.overdue_amount) /
                                              static_cast<double>(f.open_amount)
                                        : nan;
    f.tenure_days = std::int64_t{day} - t.first_issue;
    f.days_since_last_payment = t.last_payment == detail::no_date
                                    ? nan
                                    : static_cast<double>(std::int64_t{day} - t.last_payment);
    f.avg_invoice_amount =
        static_cast<double>(t.invoiced) / static_cast<double>(f.n_invoices) / unit;
    out.push_back(f);
  }
  return out;
}

}  // namespace arscore::ledger
