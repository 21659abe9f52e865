#pragma once
/// \file
/// The columnar inputs of a ledger: invoices, payments, customers and salespeople as spans
/// over caller-owned arrays (the Python module passes numpy buffers without copying).
/// Entities are identified by 64-bit integer keys; callers with text ids map them to keys
/// (the Python module does, with pandas.factorize) and back.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "arscore/core/date.hpp"

namespace arscore::ledger {

/// The state of an invoice as recorded by the host system (a snapshot: it has no history).
enum class InvoiceStatus : std::uint8_t {
  open = 0,         ///< collectible
  disputed = 1,     ///< the customer disputes it; still receivable
  on_hold = 2,      ///< collection paused, until `hold_until` when given
  written_off = 3,  ///< written off: no longer a receivable
};

/// "open", "disputed", "on_hold" or "written_off". Never throws.
[[nodiscard]] const char* to_string(InvoiceStatus status) noexcept;

/// Parses the four names of InvoiceStatus. Throws arscore::Error "ledger.invoice.bad_status"
/// naming the text otherwise.
[[nodiscard]] InvoiceStatus parse_invoice_status(const std::string& text);

/// A text column as dictionary codes: row i holds categories[codes[i]], or is missing when
/// codes[i] is −1 (pandas.factorize's convention).
struct CategoricalColumn {
  std::vector<std::string> categories;  ///< the distinct values
  std::span<const std::int32_t> codes;  ///< one per row; −1 = missing
};

/// The invoices table. Every non-empty span must have one entry per invoice.
struct InvoiceColumns {
  std::span<const std::int64_t> invoice_id;      ///< unique
  std::span<const std::int64_t> customer_id;     ///< required
  std::span<const std::int64_t> salesperson_id;  ///< required
  std::span<const Date> issue_date;              ///< required
  std::span<const Date> due_date;                ///< required, on or after issue_date
  std::span<const double> amount;                ///< decimal amount in the invoice's currency, > 0
  /// Optional (empty codes: every invoice in the ledger's currency).
  CategoricalColumn currency{};
  CategoricalColumn status{};  ///< optional (empty codes: every invoice "open")
  std::span<const std::optional<Date>> hold_until{};  ///< optional; end of an on_hold period
};

/// The payments table; amounts are in the currency of the invoice paid.
struct PaymentColumns {
  std::span<const std::int64_t> invoice_id;  ///< may name an unknown invoice (kept, reported)
  std::span<const Date> paid_date;
  std::span<const double> amount;  ///< decimal amount, ≥ 0
};

/// The optional customers table (other attributes stay with the caller).
struct CustomerColumns {
  std::span<const std::int64_t> customer_id;  ///< unique
};

/// The optional salespeople table.
struct SalespersonColumns {
  std::span<const std::int64_t> salesperson_id;  ///< unique
  std::span<const std::int64_t> team;            ///< optional: team key per salesperson
  /// Optional: manager key per salesperson (length-checked; no ledger output uses it yet).
  std::span<const std::int64_t> manager_id;
};

}  // namespace arscore::ledger
