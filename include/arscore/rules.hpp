#pragma once
/// \file
/// arscore::rules — escalation policies, streak flags and contract gates.
/// Depends on arscore::formula, arscore::risk and arscore::ledger.

#include "arscore/formula.hpp"
#include "arscore/ledger.hpp"
#include "arscore/risk.hpp"

/// Escalation decisions: what to send to whom, today.
namespace arscore::rules {}
