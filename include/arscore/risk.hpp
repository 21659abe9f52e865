#pragma once
/// \file
/// arscore::risk — logistic regression, inference, metrics, scorecards and model JSON.
/// Depends on arscore::core only.

#include "arscore/core.hpp"
#include "arscore/risk/inference.hpp"
#include "arscore/risk/logistic.hpp"
#include "arscore/risk/metrics.hpp"
#include "arscore/risk/model_json.hpp"
#include "arscore/risk/scorecard.hpp"

/// Credit-risk models: will this invoice be paid late?
namespace arscore::risk {}
