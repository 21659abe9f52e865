#include "arscore/rules/facts.hpp"

#include <array>

namespace arscore::rules {
namespace {

using formula::Type;

#define ARSCORE_FACT(name, type) \
  FactInfo { Fact::name, #name, Type::type }

constexpr std::array feature_facts{
    ARSCORE_FACT(n_invoices, number),
    ARSCORE_FACT(n_paid, number),
    ARSCORE_FACT(n_paid_late, number),
    ARSCORE_FACT(late_ratio, number),
    ARSCORE_FACT(avg_days_late, number),
    ARSCORE_FACT(max_days_late, number),
    ARSCORE_FACT(open_amount, number),
    ARSCORE_FACT(overdue_amount, number),
    ARSCORE_FACT(overdue_ratio, number),
    ARSCORE_FACT(max_days_past_due, number),
    ARSCORE_FACT(late_streak, number),
    ARSCORE_FACT(tenure_days, number),
    ARSCORE_FACT(days_since_last_payment, number),
    ARSCORE_FACT(avg_invoice_amount, number),
    ARSCORE_FACT(n_disputed, number),
    ARSCORE_FACT(credit_score, number),
    ARSCORE_FACT(p_late, number),
};

template <std::size_t N, std::size_t M>
constexpr auto join(const std::array<FactInfo, N>& a, const std::array<FactInfo, M>& b) {
  std::array<FactInfo, N + M> out{};
  for (std::size_t i = 0; i < N; ++i) {
    out[i] = a[i];
  }
  for (std::size_t i = 0; i < M; ++i) {
    out[N + i] = b[i];
  }
  return out;
}

constexpr std::array invoice_facts{
    ARSCORE_FACT(days_overdue, number),
    ARSCORE_FACT(calendar_days_overdue, number),
    ARSCORE_FACT(business_days_overdue, number),
    ARSCORE_FACT(balance, number),
    ARSCORE_FACT(amount, number),
    ARSCORE_FACT(currency, string),
    ARSCORE_FACT(status, string),
    ARSCORE_FACT(issue_date, date),
    ARSCORE_FACT(due_date, date),
    ARSCORE_FACT(as_of, date),
};

constexpr std::array level_facts = join(invoice_facts, feature_facts);
constexpr std::array customer_flag_facts =
    join(std::array{ARSCORE_FACT(as_of, date)}, feature_facts);
constexpr std::array salesperson_flag_facts{
    ARSCORE_FACT(rate, number), ARSCORE_FACT(due, number), ARSCORE_FACT(collected, number),
    ARSCORE_FACT(period, date), ARSCORE_FACT(as_of, date),
};
constexpr std::array gate_facts = join(
    std::array{ARSCORE_FACT(contract_amount, number), ARSCORE_FACT(as_of, date)}, feature_facts);

#undef ARSCORE_FACT

constexpr auto all_facts =
    join(join(invoice_facts, feature_facts),
         join(std::array{salesperson_flag_facts[0], salesperson_flag_facts[1],
                         salesperson_flag_facts[2], salesperson_flag_facts[3]},
              std::array{gate_facts[0]}));

}  // namespace

std::span<const FactInfo> facts_of(FactContext context) noexcept {
  switch (context) {
    case FactContext::level:
      return level_facts;
    case FactContext::customer_flag:
      return customer_flag_facts;
    case FactContext::salesperson_flag:
      return salesperson_flag_facts;
    case FactContext::gate:
      return gate_facts;
  }
  return {};
}

formula::Schema schema_of(FactContext context) {
  std::map<std::string, formula::Type, std::less<>> types;
  for (const FactInfo& info : facts_of(context)) {
    types.emplace(std::string(info.name), info.type);
  }
  return formula::Schema::closed(std::move(types));
}

std::string_view to_string(Fact fact) noexcept {
  for (const FactInfo& info : all_facts) {
    if (info.fact == fact) {
      return info.name;
    }
  }
  return "?";
}

}  // namespace arscore::rules
