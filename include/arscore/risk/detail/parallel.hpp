#pragma once
/// \file
/// Row-block parallelism for the risk kernels. Rows are cut into fixed blocks whose partial
/// results are combined in block order, so results do not depend on the thread count.
/// Internal to arscore::risk.

#include <Eigen/Core>
#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

namespace arscore::risk::detail {

/// Rows per block: large enough to amortise a thread's start, small enough to balance.
inline constexpr Eigen::Index block_rows = 16384;

/// Number of blocks covering n rows (at least 1).
[[nodiscard]] inline Eigen::Index block_count(Eigen::Index n) noexcept {
  return std::max<Eigen::Index>(1, (n + block_rows - 1) / block_rows);
}

/// Calls f(block) for every block in [0, blocks), on up to hardware_concurrency threads.
/// f must not throw.
template <class F>
void for_each_block(Eigen::Index blocks, F&& f) noexcept {
  const auto hardware =
      static_cast<Eigen::Index>(std::max(1U, std::thread::hardware_concurrency()));
  const Eigen::Index threads = std::min(hardware, blocks);
  if (threads <= 1) {
    for (Eigen::Index b = 0; b < blocks; ++b) {
      f(b);
    }
    return;
  }
  std::atomic<Eigen::Index> next{0};
  const auto work = [&]() noexcept {
    for (Eigen::Index b = next++; b < blocks; b = next++) {
      f(b);
    }
  };
  std::vector<std::thread> pool;
  pool.reserve(static_cast<std::size_t>(threads - 1));
  for (Eigen::Index t = 1; t < threads; ++t) {
    try {
      pool.emplace_back(work);
    } catch (...) {
      break;  // no more threads available: the started ones and this one do the rest
    }
  }
  work();
  for (std::thread& thread : pool) {
    thread.join();
  }
}

}  // namespace arscore::risk::detail
