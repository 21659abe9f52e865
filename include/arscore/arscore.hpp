#pragma once
/// \file
/// Everything arscore offers, in one include.

#include "arscore/core.hpp"
#include "arscore/formula.hpp"
#include "arscore/ledger.hpp"
#include "arscore/risk.hpp"
#include "arscore/rules.hpp"
