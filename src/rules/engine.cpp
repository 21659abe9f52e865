#include "arscore/rules/engine.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <iterator>
#include <map>
#include <numeric>
#include <string>
#include <unordered_map>
#include <utility>

#include "arscore/core/error.hpp"
#include "arscore/formula/value.hpp"

namespace arscore::rules {

namespace {

using formula::Value;
using ledger::CustomerFeatures;
using ledger::MinorUnits;
using ledger::OpenItem;

constexpr std::size_t fact_count = static_cast<std::size_t>(Fact::contract_amount) + 1;
using FactRow = std::array<Value, fact_count>;

void set(FactRow& row, Fact fact, Value value) {
  row[static_cast<std::size_t>(fact)] = std::move(value);
}

Value number_or_null(double value) { return std::isnan(value) ? Value{} : Value{value}; }

Value count(std::int64_t value) { return Value{static_cast<double>(value)}; }

// Which facts a set of conditions reads.
using FactSet = std::array<bool, fact_count>;

// The customer features, in Fact order.
constexpr std::array feature_facts{Fact::n_invoices,
                                   Fact::n_paid,
                                   Fact::n_paid_late,
                                   Fact::late_ratio,
                                   Fact::avg_days_late,
                                   Fact::max_days_late,
                                   Fact::open_amount,
                                   Fact::overdue_amount,
                                   Fact::overdue_ratio,
                                   Fact::max_days_past_due,
                                   Fact::late_streak,
                                   Fact::tenure_days,
                                   Fact::days_since_last_payment,
                                   Fact::avg_invoice_amount,
                                   Fact::n_disputed};

Value feature_value(const CustomerFeatures& f, Fact fact, int digits) {
  switch (fact) {
    case Fact::n_invoices:
      return count(f.n_invoices);
    case Fact::n_paid:
      return count(f.n_paid);
    case Fact::n_paid_late:
      return count(f.n_paid_late);
    case Fact::late_ratio:
      return number_or_null(f.late_ratio);
    case Fact::avg_days_late:
      return number_or_null(f.avg_days_late);
    case Fact::max_days_late:
      return number_or_null(f.max_days_late);
    case Fact::open_amount:
      return Value{ledger::to_major(f.open_amount, digits)};
    case Fact::overdue_amount:
      return Value{ledger::to_major(f.overdue_amount, digits)};
    case Fact::overdue_ratio:
      return number_or_null(f.overdue_ratio);
    case Fact::max_days_past_due:
      return count(f.max_days_past_due);
    case Fact::late_streak:
      return count(f.late_streak);
    case Fact::tenure_days:
      return count(f.tenure_days);
    case Fact::days_since_last_payment:
      return number_or_null(f.days_since_last_payment);
    case Fact::avg_invoice_amount:
      return number_or_null(f.avg_invoice_amount);
    case Fact::n_disputed:
      return count(f.n_disputed);
    default:
      return Value{};
  }
}

// Sets the customer features in `row` (null for a customer without features); only those in
// `only` when given.
void set_features(FactRow& row, const CustomerFeatures* f, int digits,
                  const FactSet* only = nullptr) {
  for (const Fact fact : feature_facts) {
    if (only == nullptr || (*only)[static_cast<std::size_t>(fact)]) {
      set(row, fact, f != nullptr ? feature_value(*f, fact, digits) : Value{});
    }
  }
}

void set_scores(FactRow& row, std::int64_t customer, const Scores& scores) {
  const auto it = scores.find(customer);
  const CustomerScores none;
  const CustomerScores& s = it == scores.end() ? none : it->second;
  set(row, Fact::credit_score, s.credit_score ? Value{*s.credit_score} : Value{});
  set(row, Fact::p_late, s.p_late ? Value{*s.p_late} : Value{});
}

// True when the condition holds (absent: always; null: does not hold).
bool holds(const Condition& condition, const FactRow& row) {
  if (!condition.program) {
    return true;
  }
  thread_local std::vector<Value> inputs;
  inputs.clear();
  for (const Fact fact : condition.slots) {
    inputs.push_back(row[static_cast<std::size_t>(fact)]);
  }
  const std::vector<Value> result = condition.program->evaluate(inputs);
  const bool* value = std::get_if<bool>(&result.front());
  return value != nullptr && *value;
}

// "balance = 12000, credit_score = null": the facts a condition read.
std::string fact_values(const Condition& condition, const FactRow& row) {
  std::string out;
  for (const Fact fact : condition.slots) {
    if (!out.empty()) {
      out += ", ";
    }
    out += to_string(fact);
    out += " = ";
    out += formula::to_display(row[static_cast<std::size_t>(fact)]);
  }
  return out;
}

// Customer id → features, searched in a compact array of the ids (a few hundred KB that stay
// in cache) rather than over the features themselves (one cache line each).
class FeatureIndex {
 public:
  explicit FeatureIndex(const std::vector<CustomerFeatures>& features) : features_(features) {
    ids_.reserve(features.size());
    for (const CustomerFeatures& f : features) {
      ids_.push_back(f.customer_id);
    }
  }
  [[nodiscard]] const CustomerFeatures* find(std::int64_t customer) const {
    const auto it = std::lower_bound(ids_.begin(), ids_.end(), customer);
    return it != ids_.end() && *it == customer
               ? &features_[static_cast<std::size_t>(it - ids_.begin())]
               : nullptr;
  }

 private:
  const std::vector<CustomerFeatures>& features_;
  std::vector<std::int64_t> ids_;
};

// The invoice's own currency code.
const std::string& currency_of(const LedgerFacts& facts, const OpenItem& item) {
  if (facts.currencies.empty() && item.currency == 0) {
    return facts.currency;
  }
  if (item.currency < 0 || static_cast<std::size_t>(item.currency) >= facts.currencies.size()) {
    throw Error("rules.run.bad_currency",
                "open item of invoice " + std::to_string(item.invoice_id) + " has currency index " +
                    std::to_string(item.currency) + ", but the facts list " +
                    std::to_string(facts.currencies.size()) + " currencies");
  }
  return facts.currencies[static_cast<std::size_t>(item.currency)];
}

bool excluded(const EscalationPolicy& policy, ledger::InvoiceStatus status) {
  const char* name = nullptr;
  if (status == ledger::InvoiceStatus::disputed) {
    name = "disputed";
  } else if (status == ledger::InvoiceStatus::on_hold) {
    name = "on_hold";
  } else {
    return false;
  }
  const auto& list = policy.exclude_status();
  return std::find(list.begin(), list.end(), name) != list.end();
}

// An invoice due for a level in this run.
struct Candidate {
  std::int64_t customer_id;
  std::int64_t invoice_id;
  std::int64_t salesperson_id;
  MinorUnits balance;
  std::int64_t days;     // days overdue by the policy's basis
  std::uint32_t item;    // index into the open items
  std::uint32_t level;   // index into the levels
  std::uint32_t values;  // index of the facts the level's condition read, or no_values
};
constexpr std::uint32_t no_values = ~std::uint32_t{0};

// The open items' indexes in ascending invoice id order, or nothing when they look ordered
// already: the usual case (a ledger lists invoices in id order), where a galloping lookup per
// item is as good as a merge and needs no pass over the items. Text ids keyed by hash (from
// Python) come in no order; for them a sorted index turns a binary search into a large state
// per item into one merge. Only a speed matter: either way every item is found.
std::vector<std::uint32_t> id_order(const std::vector<OpenItem>& items) {
  const auto by_id = [](const OpenItem& a, const OpenItem& b) {
    return a.invoice_id < b.invoice_id;
  };
  const auto sample =
      items.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(items.size(), 1024));
  if (std::is_sorted(items.begin(), sample, by_id)) {
    return {};
  }
  std::vector<std::uint32_t> order(items.size());
  std::iota(order.begin(), order.end(), std::uint32_t{0});
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    return items[a].invoice_id < items[b].invoice_id;
  });
  return order;
}

// Each open item's progress in `invoices` (nullptr: none), by merging the two in id order
// (`order` as id_order() gives it).
std::vector<const InvoiceProgress*> progress_of(
    const std::vector<OpenItem>& items, std::span<const std::uint32_t> order,
    const SortedMap<std::int64_t, InvoiceProgress>& invoices) {
  std::vector<const InvoiceProgress*> out(items.size(), nullptr);
  auto entry = invoices.begin();
  for (std::size_t k = 0; k < items.size() && entry != invoices.end(); ++k) {
    const std::size_t i = order.empty() ? k : order[k];
    while (entry != invoices.end() && entry->first < items[i].invoice_id) {
      ++entry;
    }
    if (entry != invoices.end() && entry->first == items[i].invoice_id) {
      out[i] = &entry->second;
    }
  }
  return out;
}

// Where an open invoice stands on the ladder after this run (level −1: not on it).
struct Standing {
  std::int32_t level = -1;
  Date since;
};

// Appends minor units with the currency's decimals, thousands separated by spaces
// ("12 000.00").
void append_money(std::string& out, MinorUnits minor, int digits) {
  const bool negative = minor < 0;
  const auto magnitude = static_cast<std::uint64_t>(negative ? -minor : minor);
  const auto unit = static_cast<std::uint64_t>(ledger::minor_per_major(digits));
  const fmt::format_int whole(magnitude / unit);
  const std::string_view text(whole.data(), whole.size());
  if (negative) {
    out += '-';
  }
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (i > 0 && (text.size() - i) % 3 == 0) {
      out += ' ';
    }
    out += text[i];
  }
  if (digits > 0) {
    fmt::format_to(std::back_inserter(out), ".{:0{}}", magnitude % unit, digits);
  }
}

}  // namespace

LedgerFacts LedgerFacts::from_ledger(const ledger::Ledger& ledger, Date as_of, bool with_rates,
                                     std::int64_t month_ends) {
  LedgerFacts facts;
  facts.open_items = ledger.open_items(as_of);
  facts.features = ledger.customer_features(as_of);
  if (with_rates) {
    facts.rates = ledger.collection_rates(as_of, ledger::GroupBy::salesperson);
  }
  for (std::int64_t k = 1; k <= month_ends; ++k) {
    facts.month_end_features.push_back(
        ledger.customer_features(as_of.add_months(-k).end_of_month()));
  }
  facts.currency = ledger.currency();
  facts.currency_digits = ledger.currency_digits();
  facts.currencies = ledger.currencies();
  return facts;
}

EscalationEngine::EscalationEngine(EscalationPolicy policy,
                                   std::optional<ledger::Calendar> calendar)
    : policy_(std::move(policy)), calendar_(std::move(calendar)) {}

std::int64_t EscalationEngine::month_ends_needed() const noexcept {
  std::int64_t most = 0;
  for (const Flag& f : policy_.flags()) {
    if (f.scope == FlagScope::customer) {
      most = std::max(most, f.streak - 1);
    }
  }
  return most;
}

bool EscalationEngine::needs_rates() const noexcept {
  return std::any_of(policy_.flags().begin(), policy_.flags().end(),
                     [](const Flag& f) { return f.scope == FlagScope::salesperson; });
}

RunResult EscalationEngine::run(const ledger::Ledger& ledger, Date as_of,
                                const EscalationState& state, const Scores& scores) const {
  return run(LedgerFacts::from_ledger(ledger, as_of, needs_rates(), month_ends_needed()), as_of,
             state, scores);
}

RunResult EscalationEngine::run(const LedgerFacts& facts, Date as_of, const EscalationState& state,
                                const Scores& scores) const {
  if (!state.policy_id.empty() && state.policy_id != policy_.id()) {
    throw Error("rules.run.state_policy", "the state was produced by policy '" + state.policy_id +
                                              "', not '" + policy_.id() + "'");
  }
  if (state.last_run && as_of < *state.last_run) {
    throw Error("rules.run.backwards", "as_of " + as_of.to_string() +
                                           " is before the state's last run " +
                                           state.last_run->to_string());
  }
  RunResult result;
  result.state.last_run = as_of;
  result.state.policy_id = policy_.id();
  result.state.policy_version = policy_.version();
  add_level_actions(facts, as_of, state, scores, result);
  add_flag_actions(facts, as_of, state, scores, result);
  return result;
}

void EscalationEngine::add_level_actions(const LedgerFacts& facts, Date as_of,
                                         const EscalationState& state, const Scores& scores,
                                         RunResult& result) const {
  EscalationState& next = result.state;
  const int digits = facts.currency_digits;
  const auto& levels = policy_.levels();
  const std::vector<OpenItem>& items = facts.open_items;

  // Levels: which invoices move up the ladder today.
  FactSet used{};
  for (const Level& level : levels) {
    for (const Fact fact : level.when.slots) {
      used[static_cast<std::size_t>(fact)] = true;
    }
  }
  const auto is_used = [&](Fact fact) { return used[static_cast<std::size_t>(fact)]; };
  const bool uses_scores = is_used(Fact::credit_score) || is_used(Fact::p_late);
  const bool uses_features = std::any_of(feature_facts.begin(), feature_facts.end(),
                                         [&](Fact fact) { return is_used(fact); });
  FactRow invoice_row;  // reused: every fact a condition reads is set for each invoice
  std::optional<FeatureIndex> feature_index;
  if (uses_features) {
    feature_index.emplace(facts.features);
  }
  std::vector<Standing> standing(items.size());
  std::vector<Candidate> candidates;
  std::vector<std::string> condition_values;  // the facts a firing level's condition read
  const std::vector<std::uint32_t> order = id_order(items);
  const std::vector<const InvoiceProgress*> merged =
      order.empty() ? std::vector<const InvoiceProgress*>{}
                    : progress_of(items, order, state.invoices);
  std::size_t hint = 0;  // for the galloping lookup when the items come in id order
  const auto reached = [&](std::size_t i) {
    return order.empty() ? state.invoices.find_from(hint, items[i].invoice_id) : merged[i];
  };
  for (std::size_t i = 0; i < items.size(); ++i) {
    const OpenItem& item = items[i];
    std::optional<std::size_t> previous;
    if (const InvoiceProgress* p = reached(i)) {
      previous = policy_.level_index(p->level);
      if (!previous) {
        throw Error("rules.run.state_level",
                    "the state puts invoice " + std::to_string(item.invoice_id) + " at level '" +
                        p->level + "', which policy '" + policy_.id() + "' does not have");
      }
      standing[i] = Standing{static_cast<std::int32_t>(*previous), p->since};  // keeps it
    }
    if (excluded(policy_, item.status)) {
      continue;
    }
    std::int64_t days = item.days_past_due;
    if (policy_.day_basis() == DayBasis::business) {
      days = !calendar_ ? item.business_days_past_due
             : item.days_past_due > 0
                 ? calendar_->business_days_between(item.due_date.add_days(1), as_of.add_days(1))
                 : 0;
    }
    const std::size_t first_level = previous ? *previous + 1 : 0;
    if (first_level >= levels.size() || days < levels[first_level].days_overdue) {
      continue;  // nothing new can apply (levels ascend by days_overdue)
    }
    const double balance = ledger::to_major(item.balance, digits);
    // The facts some level condition reads (most ladders read none or a few), set once per
    // invoice, and only when a condition is about to be evaluated.
    bool row_ready = false;
    const auto fill_row = [&] {
      row_ready = true;
      if (is_used(Fact::days_overdue)) {
        set(invoice_row, Fact::days_overdue, count(days));
      }
      if (is_used(Fact::calendar_days_overdue)) {
        set(invoice_row, Fact::calendar_days_overdue, count(item.days_past_due));
      }
      if (is_used(Fact::business_days_overdue)) {
        set(invoice_row, Fact::business_days_overdue,
            count(policy_.day_basis() == DayBasis::business ? days : item.business_days_past_due));
      }
      set(invoice_row, Fact::balance, Value{balance});
      if (is_used(Fact::amount)) {
        set(invoice_row, Fact::amount, Value{ledger::to_major(item.amount, digits)});
      }
      if (is_used(Fact::currency)) {
        set(invoice_row, Fact::currency, Value{currency_of(facts, item)});
      }
      if (is_used(Fact::status)) {
        set(invoice_row, Fact::status, Value{std::string(ledger::to_string(item.status))});
      }
      set(invoice_row, Fact::issue_date, Value{item.issue_date});
      set(invoice_row, Fact::due_date, Value{item.due_date});
      set(invoice_row, Fact::as_of, Value{as_of});
      if (uses_features) {
        set_features(invoice_row, feature_index->find(item.customer_id), digits, &used);
      }
      if (uses_scores) {
        set_scores(invoice_row, item.customer_id, scores);
      }
    };
    const auto applies = [&](std::size_t j) {
      const Level& level = levels[j];
      if (days < level.days_overdue || balance < level.min_amount) {
        return false;
      }
      if (!level.when.program) {
        return true;
      }
      if (!row_ready) {
        fill_row();
      }
      return holds(level.when, invoice_row);
    };
    // highest: the highest level above the one reached that applies; stepwise: the lowest.
    std::optional<std::size_t> target;
    if (policy_.catch_up() == CatchUp::stepwise) {
      for (std::size_t j = first_level; j < levels.size() && !target; ++j) {
        if (applies(j)) {
          target = j;
        }
      }
    } else {
      for (std::size_t j = levels.size(); j-- > first_level && !target;) {
        if (applies(j)) {
          target = j;
        }
      }
    }
    if (!target) {
      continue;
    }
    // min_interval_days: a customer contacted too recently waits (its invoices stay where
    // they are, so they come up again on a later run).
    if (policy_.min_interval_days() > 0) {
      const Date* last = state.last_action.find(item.customer_id);
      if (last != nullptr && last->days_until(as_of) < policy_.min_interval_days()) {
        continue;
      }
    }
    standing[i] = Standing{static_cast<std::int32_t>(*target), as_of};
    std::uint32_t values = no_values;
    if (const Condition& when = levels[*target].when; when.program) {
      values = static_cast<std::uint32_t>(condition_values.size());
      condition_values.push_back(fact_values(when, invoice_row));
    }
    candidates.push_back(Candidate{item.customer_id, item.invoice_id, item.salesperson_id,
                                   item.balance, days, static_cast<std::uint32_t>(i),
                                   static_cast<std::uint32_t>(*target), values});
  }

  // By customer, level, invoice (invoice ids are unique, so the order is total).
  std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
    return std::tie(a.customer_id, a.level, a.invoice_id) <
           std::tie(b.customer_id, b.level, b.invoice_id);
  });

  std::size_t n_actions = 0;
  for (const Candidate& c : candidates) {
    n_actions += levels[c.level].actions.size();
  }
  result.actions.reserve(n_actions);
  const std::string_view days_word =
      policy_.day_basis() == DayBasis::business ? " business days overdue ≥ " : " days overdue ≥ ";
  std::vector<std::int64_t> acted;  // customers with a level action today, ascending
  auto emit_level = [&](std::span<const Candidate> group) {
    const Candidate& first = group.front();
    const Level& level = levels[first.level];
    Action base;
    base.as_of = as_of;
    base.policy_id = policy_.id();
    base.policy_version = policy_.version();
    base.kind = ActionKind::level;
    base.rule = level.id;
    base.customer_id = first.customer_id;
    base.salesperson_id = first.salesperson_id;
    base.invoice_ids.reserve(group.size());
    MinorUnits total = 0;
    for (const Candidate& c : group) {
      base.invoice_ids.push_back(c.invoice_id);
      total += c.balance;
      base.days_overdue = std::max(base.days_overdue, c.days);
    }
    base.amount = ledger::to_major(total, digits);
    std::string& reason = base.reason;
    reason.reserve(64);
    fmt::format_to(std::back_inserter(reason), "{}: {}{}{}; balance ", level.id, base.days_overdue,
                   days_word, level.days_overdue);
    append_money(reason, total, digits);
    reason += ' ';
    reason += facts.currency;
    if (group.size() > 1) {
      fmt::format_to(std::back_inserter(reason), " ({} invoices)", group.size());
    }
    if (first.values != no_values) {
      fmt::format_to(std::back_inserter(reason), "; {} ({})", level.when.text,
                     condition_values[first.values]);
    }
    if (acted.empty() || acted.back() != first.customer_id) {
      acted.push_back(first.customer_id);
    }
    for (std::size_t k = 0; k < level.actions.size(); ++k) {
      const ActionSpec& spec = level.actions[k];
      Action action = k + 1 < level.actions.size() ? base : std::move(base);
      action.channel = spec.channel;
      action.recipients.assign(spec.to.begin(), spec.to.end());
      action.template_name = spec.template_name;
      action.action_id = action_id(action, 0);
      result.actions.push_back(std::move(action));
    }
  };
  if (policy_.scope() == Scope::invoice) {
    for (const Candidate& c : candidates) {
      emit_level(std::span<const Candidate>(&c, 1));
    }
  } else {
    for (std::size_t begin = 0; begin < candidates.size();) {
      std::size_t end = begin + 1;
      while (end < candidates.size() &&
             candidates[end].customer_id == candidates[begin].customer_id &&
             candidates[end].level == candidates[begin].level) {
        ++end;
      }
      emit_level(std::span<const Candidate>(candidates.data() + begin, end - begin));
      begin = end;
    }
  }

  // The new state: each open invoice's standing, in id order (so the map is built as it
  // is; when the items only looked ordered, SortedMap sorts what is not) ...
  {
    std::vector<std::pair<std::int64_t, InvoiceProgress>> progress;
    progress.reserve(state.invoices.size() + candidates.size());
    for (std::size_t k = 0; k < items.size(); ++k) {
      const std::size_t i = order.empty() ? k : order[k];
      if (standing[i].level >= 0) {
        progress.emplace_back(
            items[i].invoice_id,
            InvoiceProgress{levels[static_cast<std::size_t>(standing[i].level)].id,
                            standing[i].since});
      }
    }
    next.invoices = SortedMap<std::int64_t, InvoiceProgress>(std::move(progress));
  }
  // ... and each customer's last level action: yesterday's, updated by today's.
  {
    std::vector<std::pair<std::int64_t, Date>> last;
    last.reserve(state.last_action.size() + acted.size());
    auto old = state.last_action.begin();
    for (const std::int64_t customer : acted) {
      for (; old != state.last_action.end() && old->first < customer; ++old) {
        last.push_back(*old);
      }
      if (old != state.last_action.end() && old->first == customer) {
        ++old;
      }
      last.emplace_back(customer, as_of);
    }
    last.insert(last.end(), old, state.last_action.end());
    next.last_action = SortedMap<std::int64_t, Date>(std::move(last));
  }
}

void EscalationEngine::add_flag_actions(const LedgerFacts& facts, Date as_of,
                                        const EscalationState& state, const Scores& scores,
                                        RunResult& result) const {
  EscalationState& next = result.state;
  const int digits = facts.currency_digits;
  // Flags: notify when one becomes true, not again while it stays true. Records that the
  // flag `key` holds today; true when it did not yesterday (a new episode, to notify).
  const auto becomes_true = [&](const std::string& key) {
    const auto it = state.active_flags.find(key);
    const bool fresh = it == state.active_flags.end();
    next.active_flags[key] = fresh ? as_of : it->second;
    return fresh;
  };
  const auto notify = [&](const Flag& flag, std::optional<std::int64_t> customer,
                          std::optional<std::int64_t> salesperson, std::string reason,
                          double amount, std::int64_t days) {
    Action action;
    action.as_of = as_of;
    action.policy_id = policy_.id();
    action.policy_version = policy_.version();
    action.kind = ActionKind::flag;
    action.rule = flag.id;
    action.customer_id = customer;
    action.salesperson_id = salesperson;
    action.channel = Channel::notify;
    action.recipients.assign(flag.notify.begin(), flag.notify.end());
    action.template_name = flag.id;
    action.amount = amount;
    action.days_overdue = days;
    action.reason = std::move(reason);
    action.action_id = action_id(action, as_of.serial());  // the episode starts today
    result.actions.push_back(std::move(action));
  };
  // Customer → the salesperson of its first open item; made when a customer flag first
  // notifies (most runs notify nobody new).
  std::optional<std::unordered_map<std::int64_t, std::int64_t>> salesperson_of;
  const auto salesperson_of_customer = [&](std::int64_t customer) -> std::optional<std::int64_t> {
    if (!salesperson_of) {
      salesperson_of.emplace();
      for (const OpenItem& item : facts.open_items) {
        salesperson_of->emplace(item.customer_id, item.salesperson_id);
      }
    }
    const auto it = salesperson_of->find(customer);
    return it == salesperson_of->end() ? std::nullopt : std::optional(it->second);
  };
  for (const Flag& flag : policy_.flags()) {
    if (flag.scope == FlagScope::customer) {
      const auto earlier = static_cast<std::size_t>(flag.streak - 1);  // month ends to check
      std::vector<FeatureIndex> month_end_index;
      for (std::size_t k = 0; k < std::min(earlier, facts.month_end_features.size()); ++k) {
        month_end_index.emplace_back(facts.month_end_features[k]);
      }
      std::vector<Date> month_ends(earlier);  // oldest first
      for (std::size_t k = 0; k < earlier; ++k) {
        month_ends[k] = as_of.add_months(-static_cast<std::int64_t>(earlier - k)).end_of_month();
      }
      std::vector<FactRow> past(earlier);  // their facts
      for (const CustomerFeatures& f : facts.features) {
        FactRow row;
        set(row, Fact::as_of, Value{as_of});
        set_features(row, &f, digits);
        set_scores(row, f.customer_id, scores);
        if (!holds(flag.when, row)) {
          continue;
        }
        // streak N: it held at each of the N − 1 month ends before as_of's month too. The
        // scores are today's: there is no score history.
        bool all = earlier <= facts.month_end_features.size();
        for (std::size_t k = 0; all && k < earlier; ++k) {
          const std::size_t back = earlier - 1 - k;  // month ends back from as_of's month
          const CustomerFeatures* then = month_end_index[back].find(f.customer_id);
          set(past[k], Fact::as_of, Value{month_ends[k]});
          set_features(past[k], then, digits);
          set_scores(past[k], f.customer_id, scores);
          all = then != nullptr && holds(flag.when, past[k]);
        }
        if (!all || !becomes_true(flag.id + "/" + std::to_string(f.customer_id))) {
          continue;
        }
        std::string reason = flag.id + ": " + flag.when.text;
        if (earlier > 0) {
          reason += " for " + std::to_string(flag.streak) + " months running (";
          for (std::size_t k = 0; k < earlier; ++k) {
            reason += month_ends[k].to_string() + ": " + fact_values(flag.when, past[k]) + "; ";
          }
          reason += as_of.to_string() + ": " + fact_values(flag.when, row) + ")";
        } else {
          reason += " (" + fact_values(flag.when, row) + ")";
        }
        notify(flag, f.customer_id, salesperson_of_customer(f.customer_id), std::move(reason),
               ledger::to_major(f.overdue_amount, digits), f.max_days_past_due);
      }
    } else {
      // Complete months only (the month of as_of counts once as_of is its last day), by
      // salesperson and month.
      std::vector<const ledger::CollectionRate*> complete;
      for (const ledger::CollectionRate& r : facts.rates) {
        if (r.period.end_of_month() <= as_of) {
          complete.push_back(&r);
        }
      }
      std::sort(complete.begin(), complete.end(), [](const auto* a, const auto* b) {
        return std::tie(a->key, a->period) < std::tie(b->key, b->period);
      });
      for (std::size_t begin = 0; begin < complete.size();) {
        std::size_t end = begin;
        while (end < complete.size() && complete[end]->key == complete[begin]->key) {
          ++end;
        }
        const std::vector<const ledger::CollectionRate*> months(
            complete.begin() + static_cast<std::ptrdiff_t>(begin),
            complete.begin() + static_cast<std::ptrdiff_t>(end));
        begin = end;
        const auto n = static_cast<std::size_t>(flag.streak);
        if (months.size() < n) {
          continue;
        }
        std::string details;
        bool all = true;
        for (std::size_t k = months.size() - n; k < months.size(); ++k) {
          const ledger::CollectionRate& m = *months[k];
          FactRow row;
          set(row, Fact::rate, number_or_null(m.rate));
          set(row, Fact::due, Value{ledger::to_major(m.due, digits)});
          set(row, Fact::collected, Value{ledger::to_major(m.collected, digits)});
          set(row, Fact::period, Value{m.period});
          set(row, Fact::as_of, Value{as_of});
          if (!holds(flag.when, row)) {
            all = false;
            break;
          }
          details += details.empty() ? "" : "; ";
          details += m.period.to_string().substr(0, 7) + ": " + fact_values(flag.when, row);
        }
        if (!all) {
          continue;
        }
        const std::int64_t salesperson = months.back()->key;
        if (!becomes_true(flag.id + "/" + std::to_string(salesperson))) {
          continue;
        }
        std::string reason = flag.id + ": " + flag.when.text;
        if (n > 1) {
          reason += " for " + std::to_string(n) + " months running";
        }
        reason += " (" + details + ")";
        notify(flag, std::nullopt, salesperson, std::move(reason), 0, 0);
      }
    }
  }
}

RunResult EscalationEngine::simulate(const ledger::Ledger& ledger, Date start, Date end,
                                     const Scores& scores, const EscalationState& state) const {
  if (end < start) {
    throw Error("rules.simulate.bad_period",
                "end " + end.to_string() + " is before start " + start.to_string());
  }
  RunResult out;
  out.state = state;
  for (Date day = start; day <= end; day = day.add_days(1)) {
    RunResult r = run(ledger, day, out.state, scores);
    out.actions.insert(out.actions.end(), std::make_move_iterator(r.actions.begin()),
                       std::make_move_iterator(r.actions.end()));
    out.state = std::move(r.state);
  }
  return out;
}

ContractDecision EscalationEngine::check_contract(std::int64_t customer_id, double amount,
                                                  const ledger::Ledger& ledger, Date as_of,
                                                  const Scores& scores) const {
  const std::vector<CustomerFeatures> features = ledger.customer_features(as_of);
  return check_contract(FeatureIndex(features).find(customer_id), customer_id, amount, as_of,
                        ledger.currency_digits(), scores);
}

ContractDecision EscalationEngine::check_contract(const CustomerFeatures* features,
                                                  std::int64_t customer_id, double amount,
                                                  Date as_of, int currency_digits,
                                                  const Scores& scores) const {
  FactRow row;
  set(row, Fact::contract_amount, number_or_null(amount));
  set(row, Fact::as_of, Value{as_of});
  set_features(row, features, currency_digits);
  set_scores(row, customer_id, scores);
  for (const Gate& gate : policy_.gates()) {
    if (holds(gate.when, row)) {
      return ContractDecision{
          gate.decision,
          {gate.id + ": " + gate.when.text + " (" + fact_values(gate.when, row) + ")"}};
    }
  }
  return ContractDecision{};
}

}  // namespace arscore::rules
