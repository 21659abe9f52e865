// Ledger::open_items.
#include <algorithm>

#include "arscore/ledger/ledger.hpp"
#include "ledger/ledger_internal.hpp"

namespace arscore::ledger {

std::vector<OpenItem> Ledger::open_items(Date as_of) const {
  const std::int32_t day = as_of.serial();
  std::vector<OpenItem> items;
  for (std::size_t i = 0; i < size(); ++i) {
    const MinorUnits balance = receivable(i, day);
    if (balance <= 0) {
      continue;
    }
    const std::int64_t past_due = std::max<std::int64_t>(0, std::int64_t{day} - due_[i]);
    const Date due = Date::from_serial(due_[i]);
    InvoiceStatus status = status_[i];
    if (status == InvoiceStatus::on_hold && hold_until_[i] != detail::no_date &&
        day > hold_until_[i]) {
      status = InvoiceStatus::open;
    }
    items.push_back(OpenItem{
        i, invoice_id_[i], customer_key_[static_cast<std::size_t>(customer_[i])],
        salesperson_key_[static_cast<std::size_t>(salesperson_[i])], due, balance, past_due,
        past_due > 0 ? options_.calendar.business_days_between(due.add_days(1), as_of.add_days(1))
                     : 0,
        status, Date::from_serial(issue_[i]), amount_reporting_[i], currency_of(i)});
  }
  return items;
}

}  // namespace arscore::ledger
