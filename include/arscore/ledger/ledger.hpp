#pragma once
/// \file
/// The ledger: validated invoices and payments with their settlement history, queried at any
/// date `as_of`. Invoices issued and payments made after `as_of` do not exist for a query, so
/// a query on the full ledger equals the same query on the ledger truncated at `as_of`.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "arscore/core/date.hpp"
#include "arscore/ledger/aging.hpp"
#include "arscore/ledger/calendar.hpp"
#include "arscore/ledger/collection.hpp"
#include "arscore/ledger/features.hpp"
#include "arscore/ledger/money.hpp"
#include "arscore/ledger/open_items.hpp"
#include "arscore/ledger/tables.hpp"

namespace arscore::ledger {

/// How a ledger reads its inputs.
struct LedgerOptions {
  /// The reporting currency, and the currency of invoices without one.
  std::string currency = "USD";
  /// The accepted currencies and their decimals.
  CurrencyTable currencies = CurrencyTable::standard();
  /// Rates into the reporting currency (needed for every other currency used).
  FxTable fx;
  /// The calendar of business_days_past_due.
  Calendar calendar;
};

/// Invoices and payments, validated and settled. Immutable after construction and safe to
/// query from several threads.
///
/// Money: each invoice's amount and payments are held in minor units of its own currency;
/// settlement is exact in that currency. Reporting amounts convert each invoice's figures at
/// the rate in force on its issue date (its booking rate), as exact decimal arithmetic
/// rounded half away from zero to the reporting currency's minor unit (see
/// convert_minor_units). Balances are converted as a whole (not as converted amount minus
/// converted payments).
///
/// Settlement: an invoice is settled on the date its payments (ordered by date, then row)
/// first reach its amount. Payments beyond the amount are overpayments, reported by
/// unapplied_payments(); balances never go below zero.
///
/// Status is a snapshot without history: a written-off invoice is no receivable at any
/// as_of (it still counts as issued, as due in collection rates and in the late streak), a
/// disputed one stays receivable, and on_hold becomes open once as_of is after hold_until.
class Ledger {
 public:
  /// Validates and builds a ledger. `customers` and `salespeople` may be null; when given,
  /// every invoice must name a listed customer / salesperson. Throws arscore::Error naming
  /// the offending rows (0-based; all of them, or the first 10 and a count):
  /// "ledger.input.length_mismatch" (a column of the wrong length),
  /// "ledger.invoice.duplicate_id", "ledger.invoice.due_before_issue",
  /// "ledger.invoice.bad_amount" (NaN, infinite, ≤ 0 or beyond 2^53 minor units),
  /// "ledger.invoice.unknown_currency" (missing or not in the currency table),
  /// "ledger.invoice.bad_status", "ledger.invoice.unknown_customer",
  /// "ledger.invoice.unknown_salesperson", "ledger.fx.missing_rate" (naming currency, date
  /// and rows), "ledger.payment.bad_amount" (NaN, infinite or negative),
  /// "ledger.payment.before_issue" (a payment dated before its invoice's issue date),
  /// "ledger.customer.duplicate_id", "ledger.salesperson.duplicate_id";
  /// "ledger.currency.unknown" when the reporting currency is not in the currency table and
  /// "ledger.input.too_large" beyond 2^32 − 1 invoices or payments.
  Ledger(const InvoiceColumns& invoices, const PaymentColumns& payments,
         const CustomerColumns* customers, const SalespersonColumns* salespeople,
         LedgerOptions options = {});

  /// The number of invoices.
  [[nodiscard]] std::size_t size() const noexcept { return invoice_id_.size(); }
  /// The reporting currency.
  [[nodiscard]] const std::string& currency() const noexcept { return options_.currency; }
  /// Decimals of the reporting currency.
  [[nodiscard]] int currency_digits() const noexcept { return reporting_digits_; }
  /// The distinct currency codes of the invoices: index 0 is always the reporting currency
  /// (whether or not an invoice uses it), then every other currency some invoice is in, in
  /// order of first appearance in the invoices table. OpenItem::currency indexes this list.
  [[nodiscard]] const std::vector<std::string>& currencies() const noexcept { return currencies_; }
  /// The calendar.
  [[nodiscard]] const Calendar& calendar() const noexcept { return options_.calendar; }
  /// True when the ledger was given a salespeople table with teams.
  [[nodiscard]] bool has_teams() const noexcept { return !team_of_salesperson_.empty(); }

  /// The date invoice `row` was settled, or nothing when its payments never reach its
  /// amount. Asserts row < size().
  [[nodiscard]] std::optional<Date> settled_date(std::size_t row) const;

  /// Invoices with a positive balance at `as_of`, in invoice-table order. Never throws
  /// (beyond std::bad_alloc).
  [[nodiscard]] std::vector<OpenItem> open_items(Date as_of) const;

  /// Open balances per customer by days past due at `as_of`. Throws arscore::Error
  /// "ledger.aging.bad_buckets" for invalid edges.
  [[nodiscard]] AgingTable aging(Date as_of, const AgingBuckets& buckets = {}) const;

  /// Days sales outstanding: receivables at as_of ÷ credit sales issued in
  /// (as_of − days, as_of] × days. Receivables are the open balances (not written off);
  /// credit sales are the amounts of all invoices issued in the window. NaN when there were
  /// no sales in the window. Throws arscore::Error "ledger.dso.bad_days" when days ≤ 0.
  [[nodiscard]] double dso(Date as_of, std::int64_t days = 90) const;

  /// Collection effectiveness index over [start, end], in percent:
  /// (B + S − E) ÷ (B + S − Ec) × 100, with B the receivables at the day before start,
  /// S the credit sales issued in [start, end], E the receivables at end and Ec the part of
  /// E not yet due (due on or after end). NaN when the denominator is 0. Throws
  /// arscore::Error "ledger.cei.bad_period" when end < start.
  [[nodiscard]] double cei(Date start, Date end) const;

  /// Monthly collection rates at `as_of` grouped by `by`: the full grid of every month from
  /// the earliest due date (among invoices due on or before as_of) to as_of's month, times
  /// every key with at least one such invoice, sorted by (period, key). Written-off and
  /// disputed invoices count as due. Throws arscore::Error "ledger.collection.no_teams"
  /// when grouping by team without a salespeople table with teams.
  [[nodiscard]] std::vector<CollectionRate> collection_rates(Date as_of, GroupBy by) const;

  /// Behaviour features of every customer with an invoice issued on or before `as_of`,
  /// ascending by customer key. Never throws (beyond std::bad_alloc).
  [[nodiscard]] std::vector<CustomerFeatures> customer_features(Date as_of) const;

  /// Payments (or parts) not applied to an invoice, in payment-table order (an overpaying
  /// payment's excess where it occurs), limited to payments made on or before `as_of` when
  /// given. Never throws (beyond std::bad_alloc).
  [[nodiscard]] std::vector<UnappliedPayment> unapplied_payments(
      std::optional<Date> as_of = std::nullopt) const;

 private:
  // Paid on invoice `i` up to and including `day`, in the invoice's minor units (uncapped).
  [[nodiscard]] MinorUnits paid_until(std::size_t i, std::int32_t day) const noexcept;
  // Index of invoice i's currency in currencies_.
  [[nodiscard]] std::int32_t currency_of(std::size_t i) const noexcept {
    return currency_.empty() ? 0 : currency_[i];
  }
  // Decimals of invoice i's currency.
  [[nodiscard]] int digits_of(std::size_t i) const noexcept {
    return digits_.empty() ? reporting_digits_ : digits_[i];
  }
  // `minor` units of invoice i's currency in the reporting currency.
  [[nodiscard]] MinorUnits to_reporting(std::size_t i, MinorUnits minor) const;
  // Receivable balance of invoice i at `day` in reporting units (0 if written off / not issued).
  [[nodiscard]] MinorUnits receivable(std::size_t i, std::int32_t day) const;

  LedgerOptions options_;
  int reporting_digits_ = 2;
  std::vector<std::string> currencies_;  // reporting currency first, then first appearance

  // Invoices, one entry each, in input order.
  std::vector<std::int64_t> invoice_id_;
  std::vector<std::int32_t> customer_;     // dense customer index (ascending key order)
  std::vector<std::int32_t> salesperson_;  // dense salesperson index (ascending key order)
  std::vector<std::int32_t> issue_;
  std::vector<std::int32_t> due_;
  std::vector<MinorUnits> amount_;  // in the invoice's currency
  std::vector<MinorUnits> amount_reporting_;
  // Per invoice, only when some invoice is in another currency than the reporting one.
  std::vector<std::int32_t> digits_;    // decimals of the invoice's currency
  std::vector<DecimalRate> rate_;       // booking rate (1 for the reporting currency)
  std::vector<std::int32_t> currency_;  // index into currencies_
  std::vector<InvoiceStatus> status_;
  std::vector<std::int32_t> hold_until_;  // serial, or no_date
  std::vector<std::int32_t> settled_;     // serial, or never

  // Payments applied to each invoice, by (date, row): CSR over invoices.
  std::vector<std::uint32_t> payment_begin_;  // size() + 1 offsets
  std::vector<std::int32_t> payment_date_;
  std::vector<MinorUnits> payment_cumulative_;  // running total in the invoice's currency

  std::vector<std::int64_t> customer_key_;         // dense index → key
  std::vector<std::int64_t> salesperson_key_;      // dense index → key
  std::vector<std::int64_t> team_of_salesperson_;  // dense salesperson index → team key

  std::vector<UnappliedPayment> unapplied_;  // in payment-table order
};

}  // namespace arscore::ledger
