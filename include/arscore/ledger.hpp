#pragma once
/// \file
/// arscore::ledger — invoices, payments, business calendars and point-in-time AR analytics.
/// Depends on arscore::core only.

#include "arscore/core.hpp"

/// Accounts-receivable facts: what is open, how late, who owns it.
namespace arscore::ledger {}
