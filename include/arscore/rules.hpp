#pragma once
/// \file
/// arscore::rules — escalation policies, streak flags and contract gates.
/// Depends on arscore::formula, arscore::risk and arscore::ledger.

#include "arscore/formula.hpp"
#include "arscore/ledger.hpp"
#include "arscore/risk.hpp"
#include "arscore/rules/action.hpp"
#include "arscore/rules/engine.hpp"
#include "arscore/rules/facts.hpp"
#include "arscore/rules/policy.hpp"
#include "arscore/rules/policy_error.hpp"
#include "arscore/rules/state.hpp"

/// Escalation decisions: what to send to whom, today.
namespace arscore::rules {}
