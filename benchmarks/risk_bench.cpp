// arscore::risk benchmarks: logistic regression fit (Newton, L-BFGS), prediction, AUC.
// Synthetic standard-normal data with a fixed seed; see benchmarks/README.md (## risk).
#include <benchmark/benchmark.h>

#include <random>

#include "arscore/risk.hpp"

namespace {

using arscore::risk::RowMatrix;

struct Data {
  RowMatrix X;
  Eigen::VectorXd y;
};

Data make_data(Eigen::Index n, Eigen::Index d) {
  std::mt19937_64 rng(20261204);
  std::normal_distribution<double> normal;
  std::uniform_real_distribution<double> uniform;
  Data data{RowMatrix(n, d), Eigen::VectorXd(n)};
  for (Eigen::Index i = 0; i < n; ++i) {
    double z = -2.0;
    for (Eigen::Index j = 0; j < d; ++j) {
      data.X(i, j) = normal(rng);
      z += 0.5 * (j % 2 == 0 ? 1.0 : -1.0) * data.X(i, j) / static_cast<double>(1 + j % 4);
    }
    data.y(i) = uniform(rng) < 1.0 / (1.0 + std::exp(-z)) ? 1.0 : 0.0;
  }
  return data;
}

void fit(benchmark::State& state, arscore::risk::Solver solver) {
  const Data data = make_data(state.range(0), state.range(1));
  arscore::risk::LogisticOptions options;
  options.solver = solver;
  options.max_iter = 1000;
  for (auto _ : state) {
    arscore::risk::LogisticRegression model(options);
    model.fit(data.X, data.y);
    benchmark::DoNotOptimize(model.coef().data());
    state.counters["iterations"] = model.n_iter();
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

void fit_newton(benchmark::State& state) { fit(state, arscore::risk::Solver::newton); }
void fit_lbfgs(benchmark::State& state) { fit(state, arscore::risk::Solver::lbfgs); }

void predict_proba(benchmark::State& state) {
  const Data data = make_data(state.range(0), state.range(1));
  const arscore::risk::LogisticRegression model =
      arscore::risk::LogisticRegression::from_parameters(
          {}, Eigen::VectorXd::LinSpaced(state.range(1), -1.0, 1.0), -2.0,
          Eigen::VectorXd::Zero(state.range(1)), {});
  for (auto _ : state) {
    Eigen::VectorXd p = model.predict_proba(data.X);
    benchmark::DoNotOptimize(p.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

void roc_auc(benchmark::State& state) {
  const Data data = make_data(state.range(0), 1);
  for (auto _ : state) {
    benchmark::DoNotOptimize(arscore::risk::roc_auc(data.y, data.X.col(0)));
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

}  // namespace

BENCHMARK(fit_newton)->Args({100000, 20})->Args({1000000, 20})->Unit(benchmark::kMillisecond);
BENCHMARK(fit_lbfgs)->Args({100000, 20})->Args({1000000, 20})->Unit(benchmark::kMillisecond);
BENCHMARK(predict_proba)->Args({1000000, 20})->Unit(benchmark::kMillisecond);
BENCHMARK(roc_auc)->Arg(1000000)->Unit(benchmark::kMillisecond);
