#pragma once
/// \file
/// arscore::formula — the formula language: parse, check, compile, evaluate, explain.
/// Depends on arscore::core only.

#include "arscore/core.hpp"
#include "arscore/formula/formula_error.hpp"
#include "arscore/formula/program.hpp"
#include "arscore/formula/types.hpp"
#include "arscore/formula/value.hpp"
