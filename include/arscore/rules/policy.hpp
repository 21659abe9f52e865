#pragma once
/// \file
/// An escalation policy: the ladder of levels, the flags and the contract gates, with every
/// condition compiled once when the policy is loaded (see docs/policy.md).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "arscore/formula/program.hpp"
#include "arscore/rules/facts.hpp"

namespace arscore::rules {

/// Which day count `days_overdue` uses.
enum class DayBasis : std::uint8_t { calendar = 0, business = 1 };
/// One action per invoice and level, or one per customer and level listing its invoices.
enum class Scope : std::uint8_t { invoice = 0, customer = 1 };
/// `highest`: an invoice first seen late gets the highest level that applies only;
/// `stepwise`: one level per run.
enum class CatchUp : std::uint8_t { highest = 0, stepwise = 1 };
/// How an action reaches its recipients.
enum class Channel : std::uint8_t { email, sms, letter, call_task, notify, block_orders, legal };
/// Who an action is for.
enum class Recipient : std::uint8_t { customer, salesperson, sales_manager, finance, hr, legal };
/// A contract decision; `approve` is what no gate holding gives.
enum class Decision : std::uint8_t { approve, reject, require_guarantee, shorten_terms };
/// What a flag is evaluated over.
enum class FlagScope : std::uint8_t { customer = 0, salesperson = 1 };

/// The JSON names of the enums ("email", "sales_manager", "require_guarantee" …). Never throw.
[[nodiscard]] std::string_view to_string(DayBasis value) noexcept;
[[nodiscard]] std::string_view to_string(Scope value) noexcept;
[[nodiscard]] std::string_view to_string(CatchUp value) noexcept;
[[nodiscard]] std::string_view to_string(Channel value) noexcept;
[[nodiscard]] std::string_view to_string(Recipient value) noexcept;
[[nodiscard]] std::string_view to_string(Decision value) noexcept;
[[nodiscard]] std::string_view to_string(FlagScope value) noexcept;

/// A condition: its source text and the program compiled from it against a fact context.
/// An absent condition (`text` empty) always holds.
struct Condition {
  std::string text;                         ///< As written in the policy ("" when absent).
  std::optional<formula::Program> program;  ///< Compiled; nullopt when absent.
  std::vector<Fact> slots;                  ///< The fact feeding each program variable.
};

/// One action of a level: a channel, its recipients and a template name.
struct ActionSpec {
  Channel channel = Channel::email;
  std::vector<Recipient> to;  ///< At least one, no duplicates.
  std::string template_name;  ///< The JSON `template`.
};

/// One rung of the ladder.
struct Level {
  std::string id;
  std::int64_t days_overdue = 0;  ///< Applies from this many days overdue (≥ 0).
  double min_amount = 0;          ///< …when the balance is at least this (reporting major units).
  Condition when;                 ///< …and this holds (invoice facts).
  std::vector<ActionSpec> actions;
};

/// The longest `streak` a flag may ask for, in months (three years).
inline constexpr std::int64_t max_streak_months = 36;

/// A named condition over a customer or a salesperson, notifying when it becomes true.
struct Flag {
  std::string id;
  FlagScope scope = FlagScope::customer;
  Condition when;
  /// Months the condition must hold in a row (1..max_streak_months): for a salesperson the
  /// last `streak` complete months; for a customer as_of and the ends of the `streak` − 1
  /// months before it.
  std::int64_t streak = 1;
  std::vector<Recipient> notify;
};

/// A contract gate: the first that holds decides.
struct Gate {
  std::string id;
  Condition when;
  Decision decision = Decision::reject;
};

/// A validated escalation policy. Immutable after loading; safe to share across threads.
class EscalationPolicy {
 public:
  /// Parses and validates a policy from JSON text. Throws PolicyError listing every problem
  /// with its JSON pointer ("rules.policy.invalid"), or with code "rules.policy.json" when the
  /// text is not JSON at all.
  static EscalationPolicy from_json(std::string_view text);

  /// The policy's id.
  [[nodiscard]] const std::string& id() const noexcept { return id_; }
  /// The policy's version.
  [[nodiscard]] std::int64_t version() const noexcept { return version_; }
  [[nodiscard]] DayBasis day_basis() const noexcept { return day_basis_; }
  [[nodiscard]] Scope scope() const noexcept { return scope_; }
  [[nodiscard]] CatchUp catch_up() const noexcept { return catch_up_; }
  /// Least number of days between two actions to the same customer (0: no limit).
  [[nodiscard]] std::int64_t min_interval_days() const noexcept { return min_interval_days_; }
  /// Statuses that suppress escalation: any of "disputed", "on_hold".
  [[nodiscard]] const std::vector<std::string>& exclude_status() const noexcept {
    return exclude_status_;
  }
  /// Levels by ascending days_overdue.
  [[nodiscard]] const std::vector<Level>& levels() const noexcept { return levels_; }
  [[nodiscard]] const std::vector<Flag>& flags() const noexcept { return flags_; }
  [[nodiscard]] const std::vector<Gate>& gates() const noexcept { return gates_; }
  /// The index of the level with id `id`, or nullopt.
  [[nodiscard]] std::optional<std::size_t> level_index(std::string_view id) const noexcept;

 private:
  friend class PolicyReader;
  EscalationPolicy() = default;

  std::string id_;
  std::int64_t version_ = 0;
  DayBasis day_basis_ = DayBasis::calendar;
  Scope scope_ = Scope::invoice;
  CatchUp catch_up_ = CatchUp::highest;
  std::int64_t min_interval_days_ = 0;
  std::vector<std::string> exclude_status_;
  std::vector<Level> levels_;
  std::vector<Flag> flags_;
  std::vector<Gate> gates_;
};

}  // namespace arscore::rules
