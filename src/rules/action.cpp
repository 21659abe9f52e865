#include "arscore/rules/action.hpp"

#include <array>
#include <cstdio>

namespace arscore::rules {

namespace {
// FNV-1a, 64 bit: small, stable across platforms and library versions.
class Fnv1a {
 public:
  void add(std::string_view text) {
    for (const char c : text) {
      byte(static_cast<unsigned char>(c));
    }
    byte(0);  // separator: ("ab", "c") ≠ ("a", "bc")
  }
  void add(std::int64_t value) {
    auto bits = static_cast<std::uint64_t>(value);
    for (int i = 0; i < 8; ++i) {
      byte(static_cast<unsigned char>(bits & 0xFFU));
      bits >>= 8U;
    }
  }
  [[nodiscard]] std::uint64_t value() const noexcept { return hash_; }

 private:
  void byte(unsigned char b) {
    hash_ ^= b;
    hash_ *= 0x100000001b3ULL;
  }
  std::uint64_t hash_ = 0xcbf29ce484222325ULL;
};
}  // namespace

std::string_view to_string(ActionKind kind) noexcept {
  constexpr std::array<std::string_view, 3> names{"level", "flag", "gate"};
  return names[static_cast<std::size_t>(kind)];
}

std::string action_id(const Action& action, std::int64_t episode) {
  Fnv1a h;
  h.add(action.policy_id);
  h.add(action.policy_version);
  h.add(to_string(action.kind));
  h.add(action.rule);
  for (const auto& key : {action.customer_id, action.salesperson_id}) {
    h.add(key ? std::int64_t{1} : std::int64_t{0});
    h.add(key.value_or(0));
  }
  h.add(static_cast<std::int64_t>(action.invoice_ids.size()));
  for (const std::int64_t id : action.invoice_ids) {
    h.add(id);
  }
  h.add(to_string(action.channel));
  for (const Recipient r : action.recipients) {
    h.add(to_string(r));
  }
  h.add(action.template_name);
  h.add(episode);
  std::array<char, 17> text{};
  std::snprintf(text.data(), text.size(), "%016llx", static_cast<unsigned long long>(h.value()));
  return std::string(text.data(), 16);
}

}  // namespace arscore::rules
