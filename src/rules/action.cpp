#include "arscore/rules/action.hpp"

#include <array>

namespace arscore::rules {

namespace {
// FNV-1a, 64 bit: small, stable across platforms and library versions.
class Fnv1a {
 public:
  void add(std::string_view text) noexcept {
    for (const char c : text) {
      byte(static_cast<unsigned char>(c));
    }
    byte(0);  // separator: ("ab", "c") ≠ ("a", "bc")
  }
  void add(std::int64_t value) noexcept {
    auto bits = static_cast<std::uint64_t>(value);
    for (int i = 0; i < 8; ++i) {
      byte(static_cast<unsigned char>(bits & 0xFFU));
      bits >>= 8U;
    }
  }
  [[nodiscard]] std::uint64_t value() const noexcept { return hash_; }

 private:
  void byte(unsigned char b) noexcept {
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

std::uint64_t action_id(const Action& action, std::int64_t episode) noexcept {
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
  return h.value();
}

std::string action_id_text(std::uint64_t id) {
  constexpr std::string_view digits = "0123456789abcdef";
  std::string text(16, '0');
  for (std::size_t i = 16; i-- > 0; id >>= 4U) {
    text[i] = digits[id & 0xFU];
  }
  return text;
}

}  // namespace arscore::rules
