#pragma once
/// \file
/// arscore::ledger — invoices, payments, business calendars and point-in-time AR analytics.
/// Depends on arscore::core only.

#include "arscore/core.hpp"
#include "arscore/ledger/aging.hpp"
#include "arscore/ledger/calendar.hpp"
#include "arscore/ledger/collection.hpp"
#include "arscore/ledger/features.hpp"
#include "arscore/ledger/ledger.hpp"
#include "arscore/ledger/money.hpp"
#include "arscore/ledger/open_items.hpp"
#include "arscore/ledger/tables.hpp"

/// Accounts-receivable facts: what is open, how late, who owns it.
namespace arscore::ledger {}
