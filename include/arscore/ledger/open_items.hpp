#pragma once
/// \file
/// What is open at a date, and the money that could not be applied to an invoice.

#include <cstddef>
#include <cstdint>

#include "arscore/core/date.hpp"
#include "arscore/ledger/money.hpp"
#include "arscore/ledger/tables.hpp"

namespace arscore::ledger {

/// One invoice with a positive balance at `as_of` (written-off invoices are not receivables
/// and never appear). Amounts are in the reporting currency's minor units. A trivially
/// copyable aggregate; members are only ever appended, so existing aggregate initialisations
/// keep their meaning.
struct OpenItem {
  std::size_t row;  ///< row of the invoice in the invoices table
  std::int64_t invoice_id;
  std::int64_t customer_id;
  std::int64_t salesperson_id;
  Date due_date;
  MinorUnits balance;          ///< amount − payments up to as_of, converted; > 0
  std::int64_t days_past_due;  ///< max(0, as_of − due_date)
  /// Business days in (due_date, as_of] by the ledger's calendar; 0 when not yet due.
  std::int64_t business_days_past_due;
  /// The recorded status; on_hold becomes open once as_of is after hold_until.
  InvoiceStatus status;
  /// The invoice's issue date.
  Date issue_date;
  /// The invoice's original amount (before any payment), converted like `balance`: at the
  /// booking rate (in force on issue_date), rounded half away from zero; > 0.
  MinorUnits amount;
  /// The invoice's own currency, as an index into Ledger::currencies() (0: the reporting
  /// currency).
  std::int32_t currency;
};

/// Why a payment (or part of it) was not applied to an invoice.
enum class UnappliedReason : std::uint8_t {
  unknown_invoice = 0,  ///< the invoice id is not in the invoices table
  overpayment = 1,      ///< the part that took the invoice's payments above its amount
};

/// "unknown_invoice" or "overpayment". Never throws.
[[nodiscard]] const char* to_string(UnappliedReason reason) noexcept;

/// A payment, or the part of one, that is not applied: a credit the customer holds (or, for
/// an unknown invoice, money nobody has matched yet).
struct UnappliedPayment {
  std::size_t payment_row;  ///< row in the payments table
  std::int64_t invoice_id;
  std::optional<std::int64_t> customer_id;  ///< missing for an unknown invoice
  Date paid_date;
  /// In the reporting currency: an unknown invoice's payment is taken to be in the
  /// reporting currency; an overpayment converts like its invoice.
  MinorUnits amount;
  UnappliedReason reason;
};

}  // namespace arscore::ledger
