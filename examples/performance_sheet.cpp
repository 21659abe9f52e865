// Salesperson performance that counts collections: the seed rule of the product brief,
// `业绩 = 销售额 × 70% + 回款率 × 30%` with the sales part counting 0 when 回款率 < 80%,
// evaluated over a month of bundled data (examples/data/salespeople_2026_11.csv) in one batch.
#include <arscore/formula.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace {

struct Month {
  std::vector<std::string> names, regions;
  std::vector<double> sales, collected, due;
};

Month read_csv(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  Month m;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::stringstream row(line);
    std::string name, region, sales, collected, due;
    std::getline(row, name, ',');
    std::getline(row, region, ',');
    std::getline(row, sales, ',');
    std::getline(row, collected, ',');
    std::getline(row, due, ',');
    m.names.push_back(name);
    m.regions.push_back(region);
    m.sales.push_back(std::stod(sales));
    m.collected.push_back(std::stod(collected));
    m.due.push_back(std::stod(due));
  }
  return m;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace arscore::formula;
  const std::string path = argc > 1 ? argv[1] : "data/salespeople_2026_11.csv";
  const Month month = read_csv(path);

  // The rule as an HR admin writes it: Chinese names, ×, %, and a sheet of named lines.
  const std::string rule =
      "回款率 = 回款 / 应收\n"
      "业绩 = if 回款率 < 80% then 回款率 × 30% × 100 else 销售额 / 1000 × 70% + 回款率 × 30% × "
      "100\n"
      "预警 = 回款率 < 80%";
  const Program sheet = Program::compile(rule);

  std::vector<ColumnView> columns;
  for (const auto& v : sheet.variables()) {
    if (v.name == "回款") columns.push_back(ColumnView::numbers(month.collected));
    if (v.name == "应收") columns.push_back(ColumnView::numbers(month.due));
    if (v.name == "销售额") columns.push_back(ColumnView::numbers(month.sales));
  }
  const std::size_t n = month.names.size();
  std::vector<double> rate(n), score(n);
  std::vector<std::uint8_t> warn(n);
  std::vector<OutputBuffer> outputs(3);
  outputs[0].numbers = rate.data();
  outputs[1].numbers = score.data();
  outputs[2].booleans = warn.data();
  sheet.evaluate_batch(columns, n, outputs);

  std::cout << "Rule:\n" << rule << "\n\n";
  std::printf("%-10s %-6s %10s %8s %8s  %s\n", "salesperson", "region", "sales", "rate", "score",
              "warning");
  for (std::size_t i = 0; i < n; ++i) {
    std::printf("%-11s %-6s %10.0f %7.1f%% %8.2f  %s\n", month.names[i].c_str(),
                month.regions[i].c_str(), month.sales[i], rate[i] * 100, score[i],
                warn[i] ? "collection below 80%: sales part counts 0" : "");
  }

  // Why did Wang Fang score so low? explain() shows every step.
  std::cout << "\nExplain for " << month.names[1] << ":\n";
  const std::vector<Value> row{month.collected[1], month.due[1], month.sales[1]};
  for (const auto& step : sheet.explain(row)) {
    std::cout << "  " << step.text << " = " << to_display(step.value) << '\n';
  }

  // A typo is caught before anything runs, with the nearest known name.
  try {
    (void)Program::compile(
        "业绩 = 销售额 × 70% + 回款律 × 30%",
        CompileOptions{Schema::closed({{"销售额", Type::number}, {"回款率", Type::number}}), {}});
  } catch (const FormulaError& e) {
    std::cout << '\n' << arscore::render(e.diagnostics(), e.source());
  }
  return 0;
}
