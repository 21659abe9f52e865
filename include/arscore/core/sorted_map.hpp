#pragma once
/// \file
/// A map kept as one vector of (key, value) sorted by key: a million entries are one
/// allocation instead of a million tree nodes, iterate in key order, and look up in O(log n)
/// — or in O(1) amortised when the keys asked for ascend (find_from).

#include <algorithm>
#include <cstddef>
#include <stdexcept>
#include <utility>
#include <vector>

namespace arscore {

/// Keys ascending and unique; `Key` must be totally ordered by `<`.
template <typename Key, typename Value>
class SortedMap {
 public:
  /// One entry.
  using value_type = std::pair<Key, Value>;
  /// Iterates in ascending key order.
  using const_iterator = typename std::vector<value_type>::const_iterator;

  /// Empty.
  SortedMap() = default;

  /// The entries of `entries`, sorted by key; of equal keys the one that comes last in
  /// `entries` wins. O(n) when `entries` is already sorted with unique keys.
  explicit SortedMap(std::vector<value_type> entries) : entries_(std::move(entries)) {
    const auto by_key = [](const value_type& a, const value_type& b) { return a.first < b.first; };
    const auto not_before = [](const value_type& a, const value_type& b) {
      return !(a.first < b.first);
    };
    if (std::adjacent_find(entries_.begin(), entries_.end(), not_before) == entries_.end()) {
      return;  // strictly ascending already
    }
    std::stable_sort(entries_.begin(), entries_.end(), by_key);
    // Keep the last of each run of equal keys.
    std::size_t out = 0;
    for (std::size_t i = 0; i < entries_.size(); ++i) {
      if (i + 1 < entries_.size() && !(entries_[i].first < entries_[i + 1].first)) {
        continue;
      }
      if (out != i) {
        entries_[out] = std::move(entries_[i]);
      }
      ++out;
    }
    entries_.resize(out);
  }

  /// The value of `key`, or nullptr. Never throws.
  [[nodiscard]] const Value* find(const Key& key) const noexcept {
    const auto it = lower(entries_.begin(), key);
    return it != entries_.end() && !(key < it->first) ? &it->second : nullptr;
  }

  /// find() for keys asked in mostly ascending order: `hint` (start at 0) remembers where the
  /// last search ended and the search gallops forward from there (back to a full binary search
  /// when the key is smaller). Never throws.
  [[nodiscard]] const Value* find_from(std::size_t& hint, const Key& key) const noexcept {
    const std::size_t n = entries_.size();
    std::size_t lo = hint < n ? hint : n;
    if (lo > 0 && !(entries_[lo - 1].first < key)) {  // key ≤ the last one passed
      lo = 0;
    }
    std::size_t step = 1;
    std::size_t hi = lo;
    while (hi < n && entries_[hi].first < key) {  // gallop: hi − lo doubles
      lo = hi + 1;
      hi = lo + step;
      step *= 2;
    }
    hi = std::min(hi, n);
    const auto it = lower(entries_.begin() + static_cast<std::ptrdiff_t>(lo),
                          entries_.begin() + static_cast<std::ptrdiff_t>(hi), key);
    hint = static_cast<std::size_t>(it - entries_.begin());
    return it != entries_.end() && !(key < it->first) ? &it->second : nullptr;
  }

  /// The value of `key`. Throws std::out_of_range when absent.
  [[nodiscard]] const Value& at(const Key& key) const {
    const Value* value = find(key);
    if (value == nullptr) {
      throw std::out_of_range("SortedMap::at: no such key");
    }
    return *value;
  }

  /// 1 when `key` is present, else 0. Never throws.
  [[nodiscard]] std::size_t count(const Key& key) const noexcept { return find(key) ? 1 : 0; }

  /// Sets `key` to `value`: O(1) amortised when key is above every key, O(n) otherwise.
  void insert_or_assign(const Key& key, Value value) {
    if (entries_.empty() || entries_.back().first < key) {
      entries_.emplace_back(key, std::move(value));
      return;
    }
    const auto it = lower(entries_.begin(), key);
    if (it != entries_.end() && !(key < it->first)) {
      entries_[static_cast<std::size_t>(it - entries_.begin())].second = std::move(value);
    } else {
      entries_.emplace(it, key, std::move(value));
    }
  }

  /// Removes every entry. Never throws.
  void clear() noexcept { entries_.clear(); }

  /// Number of entries.
  [[nodiscard]] std::size_t size() const noexcept { return entries_.size(); }
  /// True when empty.
  [[nodiscard]] bool empty() const noexcept { return entries_.empty(); }
  /// First entry (smallest key).
  [[nodiscard]] const_iterator begin() const noexcept { return entries_.begin(); }
  /// Past the last entry.
  [[nodiscard]] const_iterator end() const noexcept { return entries_.end(); }

  /// Equal entries.
  friend bool operator==(const SortedMap&, const SortedMap&) = default;

 private:
  using iterator_type = typename std::vector<value_type>::const_iterator;

  static iterator_type lower(iterator_type first, iterator_type last, const Key& key) {
    return std::lower_bound(first, last, key,
                            [](const value_type& e, const Key& k) { return e.first < k; });
  }
  [[nodiscard]] iterator_type lower(iterator_type first, const Key& key) const {
    return lower(first, entries_.end(), key);
  }

  std::vector<value_type> entries_;
};

}  // namespace arscore
