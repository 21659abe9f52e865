#pragma once
/// \file
/// UTF-8 decoding and display widths: what formula positions and caret rendering count in.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace arscore {

/// The code point that starts at byte `pos` of `text`, and its length in bytes.
struct DecodedCodePoint {
  char32_t code_point;  ///< The decoded scalar value.
  std::size_t length;   ///< Bytes it occupies, 1..4.
};

/// Decodes the UTF-8 sequence that starts at byte `pos` (which must be < text.size()).
/// Returns nullopt for an invalid sequence: a stray continuation byte, a truncated or
/// overlong sequence, a surrogate, or a value above U+10FFFF. Never throws.
[[nodiscard]] std::optional<DecodedCodePoint> decode_utf8(std::string_view text,
                                                          std::size_t pos) noexcept;

/// Byte offset of the first invalid UTF-8 sequence in `text`, or nullopt when it is valid.
[[nodiscard]] std::optional<std::size_t> find_invalid_utf8(std::string_view text) noexcept;

/// Appends the UTF-8 encoding of `code_point` (a Unicode scalar value) to `out`.
void append_utf8(std::string& out, char32_t code_point);

/// Columns a code point occupies in a monospaced terminal: 2 for East Asian wide and
/// full-width characters (CJK ideographs, kana, Hangul, full-width forms), 0 for combining
/// marks and zero-width characters, 1 otherwise. Never throws.
[[nodiscard]] int display_width(char32_t code_point) noexcept;

/// Counts code points in `text`; an invalid byte counts as one. Never throws.
[[nodiscard]] std::size_t count_code_points(std::string_view text) noexcept;

}  // namespace arscore
