// Internal: fast lookup of 64-bit entity keys.
#include "ledger/key_index.hpp"

#include <algorithm>
#include <limits>

namespace arscore::ledger::detail {

namespace {

// The range [min, max] of the keys, and whether a direct table over it is affordable.
bool dense_range(std::initializer_list<std::span<const std::int64_t>> columns, std::int64_t& min,
                 std::uint64_t& width) {
  std::size_t count = 0;
  min = std::numeric_limits<std::int64_t>::max();
  std::int64_t max = std::numeric_limits<std::int64_t>::min();
  for (const auto column : columns) {
    count += column.size();
    for (const std::int64_t k : column) {
      min = std::min(min, k);
      max = std::max(max, k);
    }
  }
  if (count == 0) {
    return false;
  }
  width = static_cast<std::uint64_t>(max) - static_cast<std::uint64_t>(min) + 1;
  return width != 0 && width <= 4 * static_cast<std::uint64_t>(count) + 1024 &&
         count < std::numeric_limits<std::uint32_t>::max();
}

}  // namespace

KeyIndex::KeyIndex(std::span<const std::int64_t> keys) {
  std::uint64_t width = 0;
  if (dense_range({keys}, min_, width)) {
    table_.assign(width, 0);
    for (std::size_t i = 0; i < keys.size(); ++i) {
      std::uint32_t& slot =
          table_[static_cast<std::uint64_t>(keys[i]) - static_cast<std::uint64_t>(min_)];
      if (slot == 0) {
        slot = static_cast<std::uint32_t>(i + 1);
      } else {
        duplicated_.push_back(keys[i]);
      }
    }
  } else {
    sorted_.reserve(keys.size());
    for (std::size_t i = 0; i < keys.size(); ++i) {
      sorted_.emplace_back(keys[i], i);
    }
    std::sort(sorted_.begin(), sorted_.end());
    for (std::size_t i = 1; i < sorted_.size(); ++i) {
      if (sorted_[i].first == sorted_[i - 1].first) {
        duplicated_.push_back(sorted_[i].first);
      }
    }
  }
  std::sort(duplicated_.begin(), duplicated_.end());
  duplicated_.erase(std::unique(duplicated_.begin(), duplicated_.end()), duplicated_.end());
}

std::size_t KeyIndex::find(std::int64_t key) const noexcept {
  if (!table_.empty()) {
    const std::uint64_t offset = static_cast<std::uint64_t>(key) - static_cast<std::uint64_t>(min_);
    if (key < min_ || offset >= table_.size() || table_[offset] == 0) {
      return npos;
    }
    return table_[offset] - 1;
  }
  const auto it =
      std::lower_bound(sorted_.begin(), sorted_.end(), key,
                       [](const auto& entry, std::int64_t k) { return entry.first < k; });
  return it != sorted_.end() && it->first == key ? it->second : npos;
}

KeyDictionary::KeyDictionary(std::initializer_list<std::span<const std::int64_t>> columns) {
  std::uint64_t width = 0;
  if (dense_range(columns, min_, width)) {
    table_.assign(width, -1);
    for (const auto column : columns) {
      for (const std::int64_t k : column) {
        table_[static_cast<std::uint64_t>(k) - static_cast<std::uint64_t>(min_)] = 0;
      }
    }
    std::int32_t next = 0;
    for (std::size_t offset = 0; offset < table_.size(); ++offset) {
      if (table_[offset] == 0) {
        table_[offset] = next++;
        keys_.push_back(static_cast<std::int64_t>(static_cast<std::uint64_t>(min_) + offset));
      }
    }
    return;
  }
  for (const auto column : columns) {
    keys_.insert(keys_.end(), column.begin(), column.end());
  }
  std::sort(keys_.begin(), keys_.end());
  keys_.erase(std::unique(keys_.begin(), keys_.end()), keys_.end());
}

std::int32_t KeyDictionary::index_of(std::int64_t key) const noexcept {
  if (!table_.empty()) {
    const std::uint64_t offset = static_cast<std::uint64_t>(key) - static_cast<std::uint64_t>(min_);
    return key < min_ || offset >= table_.size() ? -1 : table_[offset];
  }
  const auto it = std::lower_bound(keys_.begin(), keys_.end(), key);
  return it != keys_.end() && *it == key ? static_cast<std::int32_t>(it - keys_.begin()) : -1;
}

}  // namespace arscore::ledger::detail
