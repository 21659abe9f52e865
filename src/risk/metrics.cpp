// Ranking metrics (AUC, KS, Gini) by one sort; probability metrics; PSI; calibration table.
#include "arscore/risk/metrics.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string_view>

#include "arscore/core/error.hpp"
#include "arscore/risk/detail/input_checks.hpp"

namespace arscore::risk {
namespace {

using Eigen::Index;

void check_pair(VectorView y, VectorView values, std::string_view name) {
  if (y.size() != values.size()) {
    throw Error("risk.input.shape",
                fmt::format("y has {} entries but {} has {}", y.size(), name, values.size()));
  }
  if (y.size() == 0) {
    throw Error("risk.input.empty", "y is empty");
  }
  detail::check_finite(y, "y");
  detail::check_finite(values, name);
  detail::check_target(y);
}

void check_probabilities(VectorView p) {
  for (Index i = 0; i < p.size(); ++i) {
    if (p(i) < 0.0 || p(i) > 1.0) {
      throw Error("risk.input.probability",
                  fmt::format("p[{}] = {} is not a probability in [0, 1]", i, p(i)));
    }
  }
}

std::vector<Index> order_by(VectorView v) {
  std::vector<Index> order(static_cast<std::size_t>(v.size()));
  std::iota(order.begin(), order.end(), Index{0});
  std::stable_sort(order.begin(), order.end(), [&](Index a, Index b) { return v(a) < v(b); });
  return order;
}

struct ClassCounts {
  double bad = 0.0;
  double good = 0.0;
};

ClassCounts count_classes(VectorView y) {
  ClassCounts c;
  c.bad = y.sum();
  c.good = static_cast<double>(y.size()) - c.bad;
  if (c.bad == 0.0 || c.good == 0.0) {
    throw Error("risk.input.single_class",
                fmt::format("y holds only class {}; the metric needs both 0 (good) and 1 (bad)",
                            c.bad == 0.0 ? 0 : 1));
  }
  return c;
}

}  // namespace

double roc_auc(VectorView y, VectorView score) {
  check_pair(y, score, "score");
  const ClassCounts c = count_classes(y);
  const std::vector<Index> order = order_by(score);
  // Mann–Whitney U with mid-ranks for ties.
  double rank_sum = 0.0;
  std::size_t i = 0;
  while (i < order.size()) {
    std::size_t j = i;
    double bad_in_group = 0.0;
    while (j < order.size() && score(order[j]) == score(order[i])) {
      bad_in_group += y(order[j]);
      ++j;
    }
    const double mid_rank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2.0;
    rank_sum += bad_in_group * mid_rank;
    i = j;
  }
  return (rank_sum - c.bad * (c.bad + 1.0) / 2.0) / (c.bad * c.good);
}

double ks(VectorView y, VectorView score) {
  check_pair(y, score, "score");
  const ClassCounts c = count_classes(y);
  const std::vector<Index> order = order_by(score);
  double bad = 0.0;
  double good = 0.0;
  double best = 0.0;
  std::size_t i = 0;
  while (i < order.size()) {
    std::size_t j = i;
    while (j < order.size() && score(order[j]) == score(order[i])) {
      (y(order[j]) == 1.0 ? bad : good) += 1.0;
      ++j;
    }
    best = std::max(best, std::abs(bad / c.bad - good / c.good));
    i = j;
  }
  return best;
}

double gini(VectorView y, VectorView score) { return 2.0 * roc_auc(y, score) - 1.0; }

double log_loss(VectorView y, VectorView p) {
  check_pair(y, p, "p");
  check_probabilities(p);
  constexpr double eps = std::numeric_limits<double>::epsilon();
  double total = 0.0;
  for (Index i = 0; i < y.size(); ++i) {
    // As scikit-learn: clip p to [ε, 1 − ε], form the row [1 − p, p] and renormalise it.
    const double bad = std::clamp(p(i), eps, 1.0 - eps);
    const double good = 1.0 - bad;
    const double own = y(i) == 1.0 ? bad : good;
    total -= std::log(own / (bad + good));
  }
  return total / static_cast<double>(y.size());
}

double brier(VectorView y, VectorView p) {
  check_pair(y, p, "p");
  check_probabilities(p);
  return (y - p).squaredNorm() / static_cast<double>(y.size());
}

double psi(VectorView expected, VectorView actual, int bins) {
  if (bins < 2) {
    throw Error("risk.input.option", fmt::format("psi needs bins >= 2, got {}", bins));
  }
  if (expected.size() == 0 || actual.size() == 0) {
    throw Error("risk.input.empty",
                fmt::format("psi needs non-empty samples, got {} expected and {} actual values",
                            expected.size(), actual.size()));
  }
  detail::check_finite(expected, "expected");
  detail::check_finite(actual, "actual");
  std::vector<double> sorted(expected.begin(), expected.end());
  std::sort(sorted.begin(), sorted.end());
  std::vector<double> edges;
  const auto last = static_cast<double>(sorted.size() - 1);
  for (int k = 1; k < bins; ++k) {
    const double position = last * static_cast<double>(k) / static_cast<double>(bins);
    const auto below = static_cast<std::size_t>(std::floor(position));
    const std::size_t above = std::min(below + 1, sorted.size() - 1);
    const double fraction = position - static_cast<double>(below);
    const double edge = sorted[below] + fraction * (sorted[above] - sorted[below]);
    if (edges.empty() || edge > edges.back()) {
      edges.push_back(edge);
    }
  }
  const auto shares = [&](VectorView v) {
    std::vector<double> counts(edges.size() + 1, 0.0);
    for (Index i = 0; i < v.size(); ++i) {
      const auto bin = std::lower_bound(edges.begin(), edges.end(), v(i)) - edges.begin();
      counts[static_cast<std::size_t>(bin)] += 1.0;
    }
    for (double& c : counts) {
      c = std::max(c / static_cast<double>(v.size()), psi_floor);
    }
    return counts;
  };
  const std::vector<double> e = shares(expected);
  const std::vector<double> a = shares(actual);
  double total = 0.0;
  for (std::size_t k = 0; k < e.size(); ++k) {
    total += (a[k] - e[k]) * std::log(a[k] / e[k]);
  }
  return total;
}

std::vector<CalibrationBin> calibration_table(VectorView y, VectorView p, int bins) {
  if (bins < 1) {
    throw Error("risk.input.option",
                fmt::format("calibration_table needs bins >= 1, got {}", bins));
  }
  check_pair(y, p, "p");
  check_probabilities(p);
  const std::vector<Index> order = order_by(p);
  const std::size_t n = order.size();
  const auto groups = static_cast<std::size_t>(bins);
  std::vector<CalibrationBin> table;
  for (std::size_t k = 0; k < groups; ++k) {
    const std::size_t begin = n * k / groups;
    const std::size_t end = n * (k + 1) / groups;
    if (begin == end) {
      continue;
    }
    CalibrationBin bin;
    bin.count = end - begin;
    bin.p_min = p(order[begin]);
    bin.p_max = p(order[end - 1]);
    double sum_p = 0.0;
    for (std::size_t i = begin; i < end; ++i) {
      sum_p += p(order[i]);
      bin.n_bad += y(order[i]) == 1.0 ? 1U : 0U;
    }
    bin.mean_predicted = sum_p / static_cast<double>(bin.count);
    bin.observed_rate = static_cast<double>(bin.n_bad) / static_cast<double>(bin.count);
    table.push_back(bin);
  }
  return table;
}

}  // namespace arscore::risk
