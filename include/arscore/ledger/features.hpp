#pragma once
/// \file
/// Point-in-time payment-behaviour features per customer.

#include <cstdint>

#include "arscore/ledger/money.hpp"

namespace arscore::ledger {

/// A customer's behaviour as known at `as_of`. Counts and days are integers; ratios and
/// means are NaN where undefined (no paid invoice, no open amount, no payment), never 0.
/// Amounts are in the reporting currency's minor units.
struct CustomerFeatures {
  std::int64_t customer_id;
  std::int64_t n_invoices;         ///< issued on or before as_of (any status)
  std::int64_t n_paid;             ///< settled on or before as_of
  std::int64_t n_paid_late;        ///< settled on or before as_of, after the due date
  double late_ratio;               ///< n_paid_late ÷ n_paid
  double avg_days_late;            ///< mean over paid invoices of max(0, settled − due)
  double max_days_late;            ///< max over paid invoices of max(0, settled − due)
  MinorUnits open_amount;          ///< sum of open balances (not written off)
  MinorUnits overdue_amount;       ///< the part of open_amount past its due date
  double overdue_ratio;            ///< overdue_amount ÷ open_amount
  std::int64_t max_days_past_due;  ///< over open items; 0 when nothing is open
  /// Over invoices due on or before as_of, by due date (then issue date, then row), how many
  /// of the latest in a row were paid late or are unpaid past due; an on-time payment ends
  /// it, an unpaid invoice due exactly on as_of is skipped.
  std::int64_t late_streak;
  std::int64_t tenure_days;        ///< as_of − first issue date
  double days_since_last_payment;  ///< as_of − latest payment on its invoices; NaN if none
  double avg_invoice_amount;  ///< mean invoice amount, in major units of the reporting currency
  std::int64_t n_disputed;    ///< invoices issued on or before as_of with status disputed
};

}  // namespace arscore::ledger
