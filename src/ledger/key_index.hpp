#pragma once
// Internal: fast lookup of 64-bit entity keys. Keys from host systems are usually dense
// ranges (auto-increment ids, factorized codes), so a direct table over [min, max] is used
// when the range is at most a few times the number of keys; otherwise sorted arrays and
// binary search.
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <utility>
#include <vector>

namespace arscore::ledger::detail {

/// Row of each key in one column (for unique keys such as invoice ids).
class KeyIndex {
 public:
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);

  explicit KeyIndex(std::span<const std::int64_t> keys);

  /// The row holding `key` (the first one when duplicated), or npos.
  [[nodiscard]] std::size_t find(std::int64_t key) const noexcept;

  /// The keys held by more than one row, ascending.
  [[nodiscard]] const std::vector<std::int64_t>& duplicated_keys() const noexcept {
    return duplicated_;
  }

 private:
  std::int64_t min_ = 0;
  std::vector<std::uint32_t> table_;  // dense: key − min → row + 1 (0 = absent)
  std::vector<std::pair<std::int64_t, std::size_t>> sorted_;  // sparse: (key, row)
  std::vector<std::int64_t> duplicated_;
};

/// The distinct keys of several columns, ascending, and the dense index of each.
class KeyDictionary {
 public:
  explicit KeyDictionary(std::initializer_list<std::span<const std::int64_t>> columns);

  /// The distinct keys, ascending.
  [[nodiscard]] const std::vector<std::int64_t>& keys() const noexcept { return keys_; }

  /// The position of `key` in keys(), or −1 when absent.
  [[nodiscard]] std::int32_t index_of(std::int64_t key) const noexcept;

 private:
  std::int64_t min_ = 0;
  std::vector<std::int32_t> table_;  // dense: key − min → index (−1 = absent)
  std::vector<std::int64_t> keys_;
};

}  // namespace arscore::ledger::detail
