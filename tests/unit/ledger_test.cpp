// arscore::ledger: money, calendar, ledger construction and point-in-time analytics, on
// hand-built ledgers with hand-checked values.
#include "arscore/ledger.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "test_support.hpp"

using arscore::Date;
using namespace arscore::ledger;

using namespace arscore::test;

namespace {

// Owns the columns a test ledger is built from.
struct Sample {
  std::vector<std::int64_t> invoice_id{101, 102, 103, 104, 105, 106};
  std::vector<std::int64_t> customer_id{1, 1, 2, 2, 3, 1};
  std::vector<std::int64_t> salesperson_id{10, 10, 11, 11, 10, 10};
  std::vector<Date> issue{d("2026-01-05"), d("2026-02-01"), d("2026-01-10"),
                          d("2026-03-01"), d("2026-01-15"), d("2026-03-10")};
  std::vector<Date> due{d("2026-02-04"), d("2026-03-03"), d("2026-01-31"),
                        d("2026-03-31"), d("2026-02-14"), d("2026-04-09")};
  std::vector<double> amount{100.00, 250.50, 200.00, 80.00, 60.00, 30.00};
  std::vector<std::int32_t> currency{0, 0, 1, 0, 0, 0};
  std::vector<std::int32_t> status{0, 0, 0, 1, 2, 3};
  std::vector<std::optional<Date>> hold{std::nullopt, std::nullopt, std::nullopt,
                                        std::nullopt, std::nullopt, d("2026-03-20")};
  std::vector<std::int64_t> paid_invoice{101, 101, 102, 103, 999, 103};
  std::vector<Date> paid_date{d("2026-02-01"), d("2026-02-10"), d("2026-03-01"),
                              d("2026-02-20"), d("2026-02-15"), d("2026-04-10")};
  std::vector<double> paid_amount{40.00, 60.00, 300.00, 100.00, 12.34, 100.00};
  std::vector<std::int64_t> sp_ids{10, 11};
  std::vector<std::int64_t> teams{7, 8};

  InvoiceColumns invoices() const {
    const InvoiceColumns c{
        .invoice_id = invoice_id,
        .customer_id = customer_id,
        .salesperson_id = salesperson_id,
        .issue_date = issue,
        .due_date = due,
        .amount = amount,
        .currency = {{"USD", "EUR"}, currency},
        .status = {{"open", "disputed", "written_off", "on_hold"}, status},
        .hold_until = hold,
    };
    return c;
  }
  PaymentColumns payments() const { return {paid_invoice, paid_date, paid_amount}; }
  static LedgerOptions options() {
    LedgerOptions o;
    o.fx.add("EUR", d("2026-01-01"), 1.1);
    o.fx.add("EUR", d("2026-02-01"), 1.2);
    return o;
  }
  Ledger build() const {
    const SalespersonColumns sp{sp_ids, teams, {}};
    return Ledger(invoices(), payments(), nullptr, &sp, options());
  }
};

}  // namespace

TEST_CASE("ledger: minor units are exact") {
  CHECK(to_minor_units(0.10, 2) + to_minor_units(0.20, 2) == to_minor_units(0.30, 2));
  CHECK(to_minor_units(2.675, 2) == 268);
  CHECK(to_minor_units(-2.675, 2) == -268);
  CHECK(to_minor_units(1.005, 2) == 101);
  CHECK(to_minor_units(1234.5, 0) == 1235);
  CHECK(to_minor_units(12.3449, 2) == 1234);
  CHECK(to_minor_units(1.0005, 3) == 1001);
  CHECK(to_major(1234, 2) == 12.34);
  CHECK(round_half_away(2.5) == 3);
  CHECK(round_half_away(-2.5) == -3);
  CHECK_THROWS_WITH_AS((void)to_minor_units(std::nan(""), 2),
                       "[ledger.money.not_finite] amount is not a finite number", arscore::Error);
  CHECK_THROWS_AS((void)to_minor_units(1e300, 2), arscore::Error);
}

TEST_CASE("ledger: currencies and FX conversion") {
  const CurrencyTable table = CurrencyTable::standard();
  CHECK(table.digits("USD") == 2);
  CHECK(table.digits("JPY") == 0);
  CHECK(table.digits("KWD") == 3);
  CHECK_THROWS_WITH_AS((void)table.digits("XXX"),
                       "[ledger.currency.unknown] unknown currency 'XXX'", arscore::Error);
  FxTable fx;
  fx.add("JPY", d("2026-01-01"), 0.0064);
  fx.add("JPY", d("2026-02-01"), 0.0070);
  CHECK(fx.rate("JPY", d("2026-01-31")) == 0.0064);
  CHECK(fx.rate("JPY", d("2026-02-01")) == 0.0070);
  CHECK_THROWS_WITH_AS((void)fx.rate("JPY", d("2025-12-31")),
                       "[ledger.fx.missing_rate] no JPY rate in force on 2025-12-31",
                       arscore::Error);
  CHECK_THROWS_AS(fx.add("JPY", d("2026-01-01"), 0.0065), arscore::Error);
  CHECK_THROWS_AS(fx.add("EUR", d("2026-01-01"), -1.0), arscore::Error);
  // 12 345 JPY (0 decimals) at 0.0064 USD = 79.008 USD → 7901 cents (half away from zero).
  CHECK(convert_minor_units(12345, 0, 0.0064, 2) == 7901);
  // 1.005 KWD (3 decimals) at 3.25 → 3.26625 USD → 327 cents.
  CHECK(convert_minor_units(1005, 3, 3.25, 2) == 327);
  CHECK(convert_minor_units(-1005, 3, 3.25, 2) == -327);
  CHECK(convert_minor_units(1999, 2, 1.0, 2) == 1999);
  // Decimal, not binary: 0.006405 is not a double, but 1000 JPY at 0.006405 is 6.405 USD.
  CHECK(decimal_rate(0.006405).mantissa == 6405);
  CHECK(decimal_rate(0.006405).scale == 6);
  CHECK(decimal_rate(7.1).mantissa == 71);
  CHECK(decimal_rate(7.1).scale == 1);
  CHECK(decimal_rate(150.0).mantissa == 150);
  CHECK(decimal_rate(150.0).scale == 0);
  CHECK(convert_minor_units(1000, 0, 0.006405, 2) == 641);
  CHECK(convert_minor_units(1, 2, 0.5, 2) == 1);
  CHECK(convert_minor_units(-1, 2, 0.5, 2) == -1);
  CHECK(convert_minor_units(3, 2, 0.5, 2) == 2);
  // 1.15 USD into JPY at 150.3: 172.845 → 173 yen.
  CHECK(convert_minor_units(115, 2, 150.3, 0) == 173);
  CHECK_THROWS_AS((void)convert_minor_units(max_minor_units, 2, 1000.0, 2), arscore::Error);
}

TEST_CASE("ledger: calendar basics and numpy.busday_count conventions") {
  const Calendar cal;                            // Saturday and Sunday off
  CHECK(cal.is_business_day(d("2026-12-04")));   // Friday
  CHECK(!cal.is_business_day(d("2026-12-05")));  // Saturday
  CHECK(cal.business_days_between(d("2026-01-05"), d("2026-01-12")) == 5);
  CHECK(cal.business_days_between(d("2026-01-12"), d("2026-01-05")) == -5);
  CHECK(cal.business_days_between(d("2026-01-05"), d("2026-01-05")) == 0);
  CHECK(cal.business_days_between(d("2026-02-01"), d("2026-03-16")) == 30);
  CHECK(cal.add_business_days(d("2026-12-04"), 1) == d("2026-12-07"));
  CHECK(cal.add_business_days(d("2026-12-05"), 0) == d("2026-12-07"));  // rolled forward
  CHECK(cal.add_business_days(d("2026-12-07"), -1) == d("2026-12-04"));
  const std::vector<int> friday_saturday{4, 5};
  const Calendar gulf(friday_saturday, {}, {});
  CHECK(gulf.is_business_day(d("2026-12-06")));  // Sunday
  CHECK(!gulf.is_business_day(d("2026-12-04")));
  CHECK(error_message([] { Calendar(std::vector<int>{7}, {}, {}); }) ==
        "[ledger.calendar.bad_weekday] weekend day 7 is not a weekday number (Monday = 0 … "
        "Sunday = 6)");
  CHECK(error_message([] {
          const std::vector<Date> both{d("2026-01-01")};
          Calendar(std::vector<int>{5, 6}, both, both);
        }) == "[ledger.calendar.conflict] dates listed both as holiday and as workday: 2026-01-01");
  CHECK_THROWS_AS(Calendar(std::vector<int>{0, 1, 2, 3, 4, 5, 6}, {}, {}), arscore::Error);
}

TEST_CASE("ledger: China 2025 official schedule with make-up working days") {
  const char* csv =
      "date,kind,name\n"
      "2025-01-01,holiday,New Year\n"
      "2025-01-26,workday,Spring Festival make-up (Sunday)\n"
      "2025-01-28,holiday\n2025-01-29,holiday\n2025-01-30,holiday\n2025-01-31,holiday\n"
      "2025-02-01,holiday\n2025-02-02,holiday\n2025-02-03,holiday\n2025-02-04,holiday\n"
      "2025-02-08,workday,Spring Festival make-up (Saturday)\n"
      "2025-04-04,holiday\n2025-04-05,holiday\n2025-04-06,holiday\n"
      "2025-04-27,workday,Labour Day make-up (Sunday)\n"
      "2025-05-01,holiday\n2025-05-02,holiday\n2025-05-03,holiday\n2025-05-04,holiday\n"
      "2025-05-05,holiday\n"
      "# Dragon Boat\n"
      "2025-05-31,holiday\n2025-06-01,holiday\n2025-06-02,holiday\n"
      "2025-09-28,workday,National Day make-up (Sunday)\n"
      "2025-10-01,holiday\n2025-10-02,holiday\n2025-10-03,holiday\n2025-10-04,holiday\n"
      "2025-10-05,holiday\n2025-10-06,holiday\n2025-10-07,holiday\n2025-10-08,holiday\n"
      "2025-10-11,workday,National Day make-up (Saturday)\n";
  const Calendar cn = Calendar::from_csv(csv, std::vector<int>{5, 6});
  // 261 weekdays − 18 weekday holidays + 5 make-up weekend days.
  CHECK(cn.business_days_between(d("2025-01-01"), d("2026-01-01")) == 248);
  CHECK(cn.business_days_between(d("2026-01-01"), d("2025-01-01")) == -248);
  CHECK(cn.is_business_day(d("2025-01-26")));   // Sunday, worked
  CHECK(!cn.is_business_day(d("2025-01-28")));  // Tuesday, holiday
  CHECK(cn.holidays().size() == 18);
  CHECK(cn.workdays().size() == 5);
  // Friday + 1 business day is the worked Sunday.
  CHECK(cn.add_business_days(d("2025-01-24"), 1) == d("2025-01-26"));
  CHECK(cn.add_business_days(d("2025-01-27"), 1) == d("2025-02-05"));
  CHECK(cn.add_business_days(d("2025-02-05"), -1) == d("2025-01-27"));
  // Sep 26, 28 (Sunday, worked), 29, 30; Oct 9, 10, 11 (Saturday, worked).
  CHECK(cn.business_days_between(d("2025-09-26"), d("2025-10-13")) == 7);
  CHECK(error_message([] {
          (void)Calendar::from_csv("2025-01-01,vacation\n", std::vector<int>{5, 6});
        }) == "[ledger.calendar.csv] line 1: kind 'vacation' is neither 'holiday' nor 'workday'");
  CHECK(error_message([] {
          (void)Calendar::from_csv("date,kind\n2025-13-01,holiday\n", std::vector<int>{5, 6});
        }).starts_with("[ledger.calendar.csv] line 2: '2025-13-01' is not a date"));
  CHECK_THROWS_AS((void)Calendar::load_csv("/nonexistent/calendar.csv", std::vector<int>{5, 6}),
                  arscore::Error);
}

TEST_CASE("ledger: settlement, overpayments and unknown invoices") {
  const Sample s;
  const Ledger ledger = s.build();
  CHECK(ledger.size() == 6);
  CHECK(ledger.settled_date(0) == d("2026-02-10"));
  CHECK(ledger.settled_date(1) == d("2026-03-01"));
  CHECK(ledger.settled_date(2) == d("2026-04-10"));
  CHECK(!ledger.settled_date(3));
  const auto unapplied = ledger.unapplied_payments();
  REQUIRE(unapplied.size() == 2);
  CHECK(unapplied[0].payment_row == 2);
  CHECK(unapplied[0].invoice_id == 102);
  CHECK(unapplied[0].customer_id == 1);
  CHECK(unapplied[0].amount == 4950);
  CHECK(unapplied[0].reason == UnappliedReason::overpayment);
  CHECK(unapplied[1].payment_row == 4);
  CHECK(unapplied[1].invoice_id == 999);
  CHECK(!unapplied[1].customer_id);
  CHECK(unapplied[1].amount == 1234);
  CHECK(unapplied[1].reason == UnappliedReason::unknown_invoice);
  CHECK(ledger.unapplied_payments(d("2026-02-28")).size() == 1);
}

TEST_CASE("ledger: open items at a date") {
  const Ledger ledger = Sample{}.build();
  const auto items = ledger.open_items(d("2026-03-15"));
  REQUIRE(items.size() == 3);
  CHECK(items[0].invoice_id == 103);
  CHECK(items[0].customer_id == 2);
  CHECK(items[0].salesperson_id == 11);
  CHECK(items[0].due_date == d("2026-01-31"));
  CHECK(items[0].balance == 11000);  // 100 EUR left × 1.1 (rate on the issue date)
  CHECK(items[0].days_past_due == 43);
  CHECK(items[0].business_days_past_due == 30);
  CHECK(items[0].status == InvoiceStatus::open);
  CHECK(items[0].issue_date == d("2026-01-10"));
  CHECK(items[0].amount == 22000);  // 200 EUR × 1.1
  CHECK(ledger.currencies() == std::vector<std::string>{"USD", "EUR"});
  CHECK(items[0].currency == 1);
  CHECK(items[1].invoice_id == 104);
  CHECK(items[1].issue_date == d("2026-03-01"));
  CHECK(items[1].amount == 8000);
  CHECK(items[1].currency == 0);
  CHECK(items[1].balance == 8000);
  CHECK(items[1].days_past_due == 0);
  CHECK(items[1].business_days_past_due == 0);
  CHECK(items[1].status == InvoiceStatus::disputed);
  CHECK(items[2].invoice_id == 106);
  CHECK(items[2].status == InvoiceStatus::on_hold);
  // The hold ends after 2026-03-20; invoice 106 is not issued yet on 2026-03-09.
  CHECK(ledger.open_items(d("2026-03-21"))[2].status == InvoiceStatus::open);
  CHECK(ledger.open_items(d("2026-03-09")).size() == 2);
  // Before the second payment of 101, it is open with 60.00 left.
  const auto early = ledger.open_items(d("2026-02-05"));
  REQUIRE(!early.empty());
  CHECK(early[0].invoice_id == 101);
  CHECK(early[0].balance == 6000);
  CHECK(early[0].days_past_due == 1);
}

static_assert(std::is_aggregate_v<OpenItem> && std::is_trivially_copyable_v<OpenItem>);

TEST_CASE("ledger: open items carry issue date, converted amount and currency") {
  // CNY reporting; invoices in CNY, USD (at two booking rates) and EUR. The categories are
  // not in first-appearance order, and GBP is listed but used by no invoice.
  const std::vector<std::int64_t> invoice_id{1, 2, 3, 4};
  const std::vector<std::int64_t> customer_id{7, 7, 8, 8};
  const std::vector<std::int64_t> salesperson_id{3, 3, 3, 3};
  const std::vector<Date> issue{d("2026-01-05"), d("2026-01-10"), d("2026-01-20"), d("2026-02-05")};
  const std::vector<Date> due{d("2026-02-04"), d("2026-02-09"), d("2026-02-19"), d("2026-03-07")};
  const std::vector<double> amount{1000.00, 123.45, 50.00, 10.00};
  const std::vector<std::int32_t> currency{1, 3, 0, 3};
  const std::vector<std::int64_t> paid_invoice{2};
  const std::vector<Date> paid_date{d("2026-01-15")};
  const std::vector<double> paid_amount{23.45};
  const InvoiceColumns inv{
      .invoice_id = invoice_id,
      .customer_id = customer_id,
      .salesperson_id = salesperson_id,
      .issue_date = issue,
      .due_date = due,
      .amount = amount,
      .currency = {{"EUR", "CNY", "GBP", "USD"}, currency},
  };
  LedgerOptions options;
  options.currency = "CNY";
  options.fx.add("USD", d("2026-01-01"), 7.1);
  options.fx.add("USD", d("2026-02-01"), 7.2);
  options.fx.add("EUR", d("2026-01-01"), 7.8);
  const Ledger ledger(inv, {paid_invoice, paid_date, paid_amount}, nullptr, nullptr, options);
  CHECK(ledger.currencies() == std::vector<std::string>{"CNY", "USD", "EUR"});
  const auto items = ledger.open_items(d("2026-02-10"));
  REQUIRE(items.size() == 4);
  CHECK(items[0].issue_date == d("2026-01-05"));
  CHECK(items[0].amount == 100000);
  CHECK(items[0].balance == 100000);
  CHECK(ledger.currencies()[static_cast<std::size_t>(items[0].currency)] == "CNY");
  CHECK(items[1].issue_date == d("2026-01-10"));
  CHECK(items[1].amount == 87650);   // 123.45 USD × 7.1 = 876.495 CNY, half away from zero
  CHECK(items[1].balance == 71000);  // 100.00 USD left × 7.1
  CHECK(ledger.currencies()[static_cast<std::size_t>(items[1].currency)] == "USD");
  CHECK(items[2].issue_date == d("2026-01-20"));
  CHECK(items[2].amount == 39000);  // 50 EUR × 7.8
  CHECK(ledger.currencies()[static_cast<std::size_t>(items[2].currency)] == "EUR");
  CHECK(items[3].issue_date == d("2026-02-05"));
  CHECK(items[3].amount == 7200);  // 10 USD × 7.2, the rate in force on its issue date
  CHECK(items[3].currency == items[1].currency);
  // Invoice 4 is not issued yet on 2026-01-31.
  CHECK(ledger.open_items(d("2026-01-31")).size() == 3);

  // Reporting in USD: USD takes index 0 and CNY comes first among the others.
  LedgerOptions in_usd;
  in_usd.fx.add("CNY", d("2026-01-01"), 0.14);
  in_usd.fx.add("EUR", d("2026-01-01"), 1.1);
  const Ledger usd(inv, {paid_invoice, paid_date, paid_amount}, nullptr, nullptr, in_usd);
  CHECK(usd.currencies() == std::vector<std::string>{"USD", "CNY", "EUR"});
  const auto usd_items = usd.open_items(d("2026-02-10"));
  REQUIRE(usd_items.size() == 4);
  CHECK(usd_items[0].amount == 14000);  // 1000 CNY × 0.14
  CHECK(usd_items[0].currency == 1);
  CHECK(usd_items[1].amount == 12345);
  CHECK(usd_items[1].currency == 0);
  CHECK(usd_items[2].currency == 2);
}

TEST_CASE("ledger: a single-currency ledger lists only the reporting currency") {
  Sample s;
  s.currency.assign(s.currency.size(), 0);  // every invoice in USD
  const Ledger ledger = s.build();
  CHECK(ledger.currencies() == std::vector<std::string>{"USD"});
  const auto items = ledger.open_items(d("2026-03-15"));
  REQUIRE(items.size() == 3);
  CHECK(items[0].invoice_id == 103);
  CHECK(items[0].amount == 20000);
  CHECK(items[0].balance == 10000);
  for (const OpenItem& item : items) {
    CHECK(item.currency == 0);
  }
  // Without a currency column every invoice is in the ledger's currency.
  InvoiceColumns inv = s.invoices();
  inv.currency = {};
  LedgerOptions in_jpy;
  in_jpy.currency = "JPY";
  const Ledger jpy(inv, s.payments(), nullptr, nullptr, in_jpy);
  CHECK(jpy.currencies() == std::vector<std::string>{"JPY"});
  CHECK(jpy.currency_digits() == 0);
  const auto jpy_items = jpy.open_items(d("2026-03-15"));
  REQUIRE(!jpy_items.empty());
  CHECK(jpy_items[0].invoice_id == 103);
  CHECK(jpy_items[0].amount == 200);
  CHECK(jpy_items[0].issue_date == d("2026-01-10"));
  CHECK(jpy_items[0].currency == 0);
}

TEST_CASE("ledger: aging with right-closed buckets") {
  const Ledger ledger = Sample{}.build();
  const AgingTable table = ledger.aging(d("2026-03-15"));
  CHECK(table.labels == std::vector<std::string>{"current", "1-30", "31-60", "61-90", "90+"});
  CHECK(table.customer_id == std::vector<std::int64_t>{1, 2});
  CHECK(table.amounts == std::vector<MinorUnits>{3000, 0, 0, 0, 0, 8000, 0, 11000, 0, 0});
  CHECK(table.total == std::vector<MinorUnits>{3000, 19000});
  CHECK(table.bucket_totals == std::vector<MinorUnits>{11000, 0, 11000, 0, 0});
  CHECK(table.grand_total == 22000);
  // 60 days past due (103 on 2026-04-01) is still in 31-60.
  CHECK(ledger.aging(d("2026-04-01")).amounts[5 + 2] == 11000);
  // 90 days past due falls in 61-90, 91 in 90+.
  AgingBuckets buckets;
  CHECK(buckets.bucket_of(90) == 3);
  CHECK(buckets.bucket_of(91) == 4);
  CHECK(buckets.bucket_of(0) == 0);
  CHECK(buckets.bucket_of(1) == 1);
  CHECK(AgingBuckets{{15, 45}}.labels() == std::vector<std::string>{"current", "16-45", "45+"});
  CHECK(error_message([&] {
          (void)ledger.aging(d("2026-03-15"), AgingBuckets{{30, 30}});
        }) ==
        "[ledger.aging.bad_buckets] bucket edges (30, 30) must be non-negative and strictly "
        "increasing");
}

TEST_CASE("ledger: customer features") {
  const Ledger ledger = Sample{}.build();
  const auto features = ledger.customer_features(d("2026-03-15"));
  REQUIRE(features.size() == 3);
  const CustomerFeatures& c1 = features[0];
  CHECK(c1.customer_id == 1);
  CHECK(c1.n_invoices == 3);
  CHECK(c1.n_paid == 2);
  CHECK(c1.n_paid_late == 1);
  CHECK(c1.late_ratio == 0.5);
  CHECK(c1.avg_days_late == 3.0);
  CHECK(c1.max_days_late == 6.0);
  CHECK(c1.open_amount == 3000);
  CHECK(c1.overdue_amount == 0);
  CHECK(c1.overdue_ratio == 0.0);
  CHECK(c1.max_days_past_due == 0);
  CHECK(c1.late_streak == 0);
  CHECK(c1.tenure_days == 69);
  CHECK(c1.days_since_last_payment == 14.0);
  CHECK(c1.avg_invoice_amount == 38050.0 / 3.0 / 100.0);
  CHECK(c1.n_disputed == 0);
  const CustomerFeatures& c2 = features[1];
  CHECK(c2.n_invoices == 2);
  CHECK(c2.n_paid == 0);
  CHECK(std::isnan(c2.late_ratio));
  CHECK(std::isnan(c2.avg_days_late));
  CHECK(std::isnan(c2.max_days_late));
  CHECK(c2.open_amount == 19000);
  CHECK(c2.overdue_amount == 11000);
  CHECK(c2.overdue_ratio == 11000.0 / 19000.0);
  CHECK(c2.max_days_past_due == 43);
  CHECK(c2.late_streak == 1);
  CHECK(c2.tenure_days == 64);
  CHECK(c2.days_since_last_payment == 23.0);
  CHECK(c2.avg_invoice_amount == 150.0);
  CHECK(c2.n_disputed == 1);
  const CustomerFeatures& c3 = features[2];
  CHECK(c3.n_invoices == 1);
  CHECK(c3.open_amount == 0);  // written off: not a receivable
  CHECK(std::isnan(c3.overdue_ratio));
  CHECK(c3.late_streak == 1);  // unpaid past due
  CHECK(std::isnan(c3.days_since_last_payment));
  CHECK(c3.avg_invoice_amount == 60.0);
  // On 2026-03-03 invoice 102 (due that day, paid 03-01) is on time: streak 0; on 2026-02-09
  // customer 1's 101 is unpaid past due: streak 1; invoice 102 does not exist yet on 01-31.
  CHECK(ledger.customer_features(d("2026-02-09"))[0].late_streak == 1);
  CHECK(ledger.customer_features(d("2026-01-04")).empty());
}

TEST_CASE("ledger: late streak counts the latest late or unpaid invoices in a row") {
  // Customer 1: five invoices due on consecutive months; on time, late, late, unpaid, and one
  // due exactly on as_of (skipped); a sixth, paid early but due later, is not yet counted
  // (it must not end the streak before its due date).
  const std::vector<std::int64_t> ids{1, 2, 3, 4, 5, 6};
  const std::vector<std::int64_t> cust(6, 1);
  const std::vector<Date> issue{d("2026-01-01"), d("2026-02-01"), d("2026-03-01"),
                                d("2026-04-01"), d("2026-05-01"), d("2026-05-15")};
  const std::vector<Date> due{d("2026-01-31"), d("2026-02-28"), d("2026-03-31"),
                              d("2026-04-30"), d("2026-05-31"), d("2026-07-31")};
  const std::vector<double> amount(6, 10.0);
  const std::vector<std::int64_t> pay_ids{1, 2, 3, 6};
  const std::vector<Date> paid{d("2026-01-30"), d("2026-03-05"), d("2026-04-02"), d("2026-05-20")};
  const std::vector<double> paid_amount(4, 10.0);
  const InvoiceColumns inv{
      .invoice_id = ids,
      .customer_id = cust,
      .salesperson_id = cust,
      .issue_date = issue,
      .due_date = due,
      .amount = amount,
  };
  const Ledger ledger(inv, PaymentColumns{pay_ids, paid, paid_amount}, nullptr, nullptr);
  CHECK(ledger.customer_features(d("2026-05-31"))[0].late_streak == 3);
  CHECK(ledger.customer_features(d("2026-06-01"))[0].late_streak == 4);
  // On 2026-03-04 invoice 2 is unpaid past due; invoice 1 was on time.
  CHECK(ledger.customer_features(d("2026-03-04"))[0].late_streak == 1);
  CHECK(ledger.customer_features(d("2026-01-31"))[0].late_streak == 0);
  // Once invoice 6 is due (paid on time), it ends the streak.
  CHECK(ledger.customer_features(d("2026-07-31"))[0].late_streak == 0);
}

TEST_CASE("ledger: collection rates by salesperson, customer and team") {
  const Ledger ledger = Sample{}.build();
  const auto rates = ledger.collection_rates(d("2026-03-15"), GroupBy::salesperson);
  REQUIRE(rates.size() == 6);
  const auto check_row = [&](std::size_t r, const char* period, std::int64_t key, MinorUnits due,
                             MinorUnits collected) {
    CAPTURE(r);
    CHECK(rates[r].period == d(period));
    CHECK(rates[r].key == key);
    CHECK(rates[r].due == due);
    CHECK(rates[r].collected == collected);
    if (due == 0) {
      CHECK(std::isnan(rates[r].rate));
    } else {
      CHECK(rates[r].rate == static_cast<double>(collected) / static_cast<double>(due));
    }
  };
  check_row(0, "2026-01-01", 10, 0, 0);
  check_row(1, "2026-01-01", 11, 22000, 0);
  check_row(2, "2026-02-01", 10, 16000, 10000);
  check_row(3, "2026-02-01", 11, 0, 0);
  check_row(4, "2026-03-01", 10, 25050, 25050);  // overpaid: capped at the amount
  check_row(5, "2026-03-01", 11, 0, 0);
  const auto teams = ledger.collection_rates(d("2026-03-15"), GroupBy::team);
  REQUIRE(teams.size() == 6);
  CHECK(teams[1].key == 8);
  CHECK(teams[1].due == 22000);
  const auto by_customer = ledger.collection_rates(d("2026-03-15"), GroupBy::customer);
  CHECK(by_customer.size() == 9);  // customers 1, 2, 3 × Jan, Feb, Mar
  CHECK(parse_group_by("salesperson_id") == GroupBy::salesperson);
  CHECK_THROWS_AS((void)parse_group_by("region"), arscore::Error);
  const Sample s;
  const Ledger no_teams(s.invoices(), s.payments(), nullptr, nullptr, Sample::options());
  CHECK(error_message([&] { (void)no_teams.collection_rates(d("2026-03-15"), GroupBy::team); }) ==
        "[ledger.collection.no_teams] grouping by team needs a salespeople table with a team "
        "column");
}

TEST_CASE("ledger: DSO and CEI") {
  const Ledger ledger = Sample{}.build();
  // Receivables 220.00 (110 + 80 + 30); sales in (2025-12-15, 2026-03-15] 740.50.
  CHECK(ledger.dso(d("2026-03-15"), 90) == 22000.0 / 74050.0 * 90.0);
  CHECK(std::isnan(ledger.dso(d("2025-12-01"), 30)));
  CHECK_THROWS_AS((void)ledger.dso(d("2026-03-15"), 0), arscore::Error);
  // February: B = 320.00 (101, 103), S = 250.50 (102), E = 360.50 (102, 103), Ec = 250.50.
  CHECK(ledger.cei(d("2026-02-01"), d("2026-02-28")) == 21000.0 / 32000.0 * 100.0);
  CHECK_THROWS_AS((void)ledger.cei(d("2026-02-28"), d("2026-02-01")), arscore::Error);
}

TEST_CASE("ledger: a ledger truncated at as_of gives the same answers") {
  const Sample s;
  const Ledger full = s.build();
  Sample cut;  // drop invoice 106 (issued 2026-03-10) and the payment of 2026-04-10
  for (auto* v : {&cut.invoice_id, &cut.customer_id, &cut.salesperson_id}) {
    v->pop_back();
  }
  cut.issue.pop_back();
  cut.due.pop_back();
  cut.amount.pop_back();
  cut.currency.pop_back();
  cut.status.pop_back();
  cut.hold.pop_back();
  cut.paid_invoice.pop_back();
  cut.paid_date.pop_back();
  cut.paid_amount.pop_back();
  const Ledger truncated = cut.build();
  const Date as_of = d("2026-03-05");
  CHECK(full.aging(as_of).amounts == truncated.aging(as_of).amounts);
  CHECK(full.open_items(as_of).size() == truncated.open_items(as_of).size());
  CHECK(full.dso(as_of) == truncated.dso(as_of));
  CHECK(full.cei(d("2026-02-01"), as_of) == truncated.cei(d("2026-02-01"), as_of));
  CHECK(full.customer_features(as_of)[1].late_streak ==
        truncated.customer_features(as_of)[1].late_streak);
  CHECK(full.collection_rates(as_of, GroupBy::customer).size() ==
        truncated.collection_rates(as_of, GroupBy::customer).size());
}

TEST_CASE("ledger: bad input is an error naming the rows") {
  {
    Sample s;
    s.invoice_id = {101, 102, 101, 104, 102, 106};
    CHECK(error_message([&] { (void)s.build(); }) ==
          "[ledger.invoice.duplicate_id] 2 duplicated invoice_id (101, 102): invoices rows 0, 1, "
          "2, 4");
  }
  {
    Sample s;
    s.due[3] = d("2026-02-01");
    CHECK(error_message([&] { (void)s.build(); }) ==
          "[ledger.invoice.due_before_issue] due_date is before issue_date: invoices row 3");
  }
  {
    Sample s;
    s.amount[1] = std::nan("");
    s.amount[4] = -5.0;
    CHECK(error_message([&] { (void)s.build(); }) ==
          "[ledger.invoice.bad_amount] amount is NaN, infinite, not positive or beyond 2^53 "
          "minor units: invoices rows 1, 4");
  }
  {
    Sample s;
    s.currency[0] = -1;
    s.currency[5] = 2;
    InvoiceColumns inv = s.invoices();
    inv.currency.categories.push_back("XYZ");
    CHECK(error_message(
              [&] { (void)Ledger(inv, s.payments(), nullptr, nullptr, Sample::options()); }) ==
          "[ledger.invoice.unknown_currency] missing currency or one not in the currency "
          "table: invoices rows 0, 5");
  }
  {
    const Sample s;
    CHECK(error_message([&] { (void)Ledger(s.invoices(), s.payments(), nullptr, nullptr); }) ==
          "[ledger.fx.missing_rate] no EUR rate in force on 2026-01-10 (the issue date of "
          "invoices row 2)");
  }
  {
    Sample s;
    s.paid_date[0] = d("2026-01-01");
    s.paid_amount[3] = std::nan("");
    CHECK(error_message([&] { (void)s.build(); }) ==
          "[ledger.payment.bad_amount] amount is NaN, infinite, negative or beyond 2^53 minor "
          "units: payments row 3");
    s.paid_amount[3] = 1.0;
    CHECK(error_message([&] { (void)s.build(); }) ==
          "[ledger.payment.before_issue] paid_date is before the invoice's issue_date: payments "
          "row 0");
  }
  {
    Sample s;
    s.sp_ids = {10, 12};
    CHECK(error_message([&] { (void)s.build(); }) ==
          "[ledger.invoice.unknown_salesperson] salesperson_id not in the salespeople table: "
          "invoices rows 2, 3");
  }
  {
    Sample s;
    s.status[2] = 9;
    CHECK(error_message([&] { (void)s.build(); }).starts_with("[ledger.invoice.bad_status]"));
    s.status[2] = 0;
    s.customer_id.pop_back();
    CHECK(error_message([&] { (void)s.build(); }) ==
          "[ledger.input.length_mismatch] invoices column 'customer_id' has 5 rows, expected 6");
  }
  {
    std::vector<std::int64_t> ids(25, 7);
    const std::vector<std::int64_t> cust(25, 1);
    const std::vector<Date> dates(25, d("2026-01-01"));
    const std::vector<double> amount(25, 1.0);
    const InvoiceColumns inv{
        .invoice_id = ids,
        .customer_id = cust,
        .salesperson_id = cust,
        .issue_date = dates,
        .due_date = dates,
        .amount = amount,
    };
    CHECK(error_message([&] { (void)Ledger(inv, PaymentColumns{}, nullptr, nullptr); }) ==
          "[ledger.invoice.duplicate_id] 1 duplicated invoice_id (7): invoices rows 0, 1, 2, 3, "
          "4, 5, 6, 7, 8, 9, … (first 10 of 25)");
  }
}

TEST_CASE("ledger: sparse keys (far apart, negative) use the sorted index") {
  // Keys spread over a range far larger than the row count take the binary-search path of
  // the key index; the answers must not depend on it.
  Sample sparse;
  sparse.invoice_id = {-7, 1'000'000'000'000'000, 3, 42, -1'000'000'000'000, 9};
  sparse.customer_id = {-5, -5, 4'000'000'000'000, 4'000'000'000'000, 12, -5};
  sparse.salesperson_id = {10, 10, 900'000'000'000, 900'000'000'000, 10, 10};
  sparse.sp_ids = {10, 900'000'000'000};
  sparse.paid_invoice = {-7, -7, 1'000'000'000'000'000, 3, 77'777'777'777, 3};
  const Ledger a = sparse.build();
  const Ledger b = Sample{}.build();
  const auto items = a.open_items(d("2026-03-15"));
  REQUIRE(items.size() == 3);
  CHECK(items[0].invoice_id == 3);
  CHECK(items[0].customer_id == 4'000'000'000'000);
  CHECK(items[0].salesperson_id == 900'000'000'000);
  CHECK(items[0].balance == b.open_items(d("2026-03-15"))[0].balance);
  CHECK(a.aging(d("2026-03-15")).customer_id == std::vector<std::int64_t>{-5, 4'000'000'000'000});
  CHECK(a.aging(d("2026-03-15")).amounts == b.aging(d("2026-03-15")).amounts);
  const auto fa = a.customer_features(d("2026-03-15"));
  const auto fb = b.customer_features(d("2026-03-15"));
  REQUIRE(fa.size() == 3);
  CHECK(fa[0].customer_id == -5);
  CHECK(fa[0].late_streak == fb[0].late_streak);
  CHECK(fa[1].customer_id == 12);  // ascending keys: -5, 12, 4e12
  CHECK(fa[2].customer_id == 4'000'000'000'000);
  CHECK(fa[2].open_amount == fb[1].open_amount);
  CHECK(fa[2].late_streak == fb[1].late_streak);
  const auto unapplied = a.unapplied_payments();
  REQUIRE(unapplied.size() == 2);
  CHECK(unapplied[1].invoice_id == 77'777'777'777);
  CHECK(unapplied[1].reason == UnappliedReason::unknown_invoice);
  sparse.invoice_id[5] = 1'000'000'000'000'000;
  CHECK(error_message([&] { (void)sparse.build(); }) ==
        "[ledger.invoice.duplicate_id] 1 duplicated invoice_id (1000000000000000): invoices "
        "rows 1, 5");
}

TEST_CASE("ledger: calendar from a CSV file") {
  const std::string path = "ledger_test_calendar.csv";
  {
    std::ofstream file(path);
    file << "date,kind,name\n2026-01-01,holiday,New Year\n2026-01-04,workday,make-up\n";
  }
  const Calendar cal = Calendar::load_csv(path, std::vector<int>{5, 6});
  std::remove(path.c_str());
  CHECK(!cal.is_business_day(d("2026-01-01")));
  CHECK(cal.is_business_day(d("2026-01-04")));  // a Sunday, worked
  CHECK(cal.business_days_between(d("2026-01-01"), d("2026-01-08")) == 5);
}
