#pragma once
// Internal: the working memory of one evaluation — a block of rows for every register — and
// the kernels that run one step over the block.

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "compiled.hpp"

namespace arscore::formula::detail {

/// Rows per block of batch evaluation: small enough that a program's registers stay in cache.
inline constexpr std::size_t block_rows = 4096;
/// Fewest rows per block, however many registers a program has.
inline constexpr std::size_t min_block_rows = 64;
/// Memory the registers of one block may take, which shrinks blocks of very large programs.
inline constexpr std::size_t register_budget_bytes = std::size_t{2} << 20U;

/// Bool register values.
inline constexpr std::uint8_t false_value = 0;
inline constexpr std::uint8_t true_value = 1;
inline constexpr std::uint8_t null_bool = 2;

/// Rounds half away from zero at `digits` decimals, on the shortest decimal representation
/// of `x`, so that round(2.675, 2) = 2.68 although the double 2.675 is slightly below it.
[[nodiscard]] double round_decimal(double x, int digits) noexcept;

class Frame {
 public:
  Frame(const CompiledProgram& program, std::size_t capacity);

  /// Points input registers at rows [first, first + n) of the columns (numbers without
  /// copying; other types converted into the register's buffer).
  void bind_columns(std::span<const ColumnView> columns, std::size_t first, std::size_t n);
  /// Sets input registers from one row of values (n = 1).
  void bind_row(std::span<const Value> row);
  /// Runs one step over n rows.
  void run_step(const Step& step, std::size_t n);
  /// Fills a register's buffer with its constant value.
  void set_constant(std::uint32_t reg);
  /// The value of register `reg` at row i of the block.
  [[nodiscard]] Value value_of(std::uint32_t reg, std::size_t i) const;
  /// Makes step results for number register `reg` go straight to `destination` (an output
  /// buffer) for the current block, saving a copy.
  void redirect(std::uint32_t reg, double* destination) {
    num_out_[reg] = destination;
    num_in_[reg] = destination;
  }
  /// Forgets strings made by the previous block.
  void clear_strings() { arena_.clear(); }

  const double* num(std::uint32_t r) const { return num_in_[r]; }
  const std::uint8_t* boolean(std::uint32_t r) const { return bool_[r].data(); }
  const std::string_view* str(std::uint32_t r) const { return str_[r].data(); }

 private:
  std::string_view keep(std::string s);
  bool constant_ascending_thresholds(const Step& step) const;
  bool tier_with_constant_results(const Step& step, std::size_t n, const double* x,
                                  double* out) const;

  const CompiledProgram& program_;
  std::vector<std::vector<double>> num_;
  std::vector<const double*> num_in_;
  std::vector<double*> num_out_;
  std::vector<std::vector<std::uint8_t>> bool_;
  std::vector<std::vector<std::string_view>> str_;
  std::deque<std::string> arena_;
};

}  // namespace arscore::formula::detail
