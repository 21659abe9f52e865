#pragma once
/// \file
/// arscore::core — values, dates, diagnostics and errors shared by every component.

#include "arscore/core/date.hpp"
#include "arscore/core/diagnostic.hpp"
#include "arscore/core/error.hpp"
#include "arscore/core/sorted_map.hpp"
#include "arscore/core/utf8.hpp"
#include "arscore/core/version.hpp"
