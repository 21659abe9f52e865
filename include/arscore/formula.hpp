#pragma once
/// \file
/// arscore::formula — the formula language: parse, check, compile, evaluate, explain.
/// Depends on arscore::core only.

#include "arscore/core.hpp"

/// The formula language (see DESIGN.md, "The formula language").
namespace arscore::formula {}
