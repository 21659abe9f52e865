#include "arscore/core/utf8.hpp"

#include <cassert>

namespace arscore {

std::optional<DecodedCodePoint> decode_utf8(std::string_view text, std::size_t pos) noexcept {
  assert(pos < text.size());
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(pos);
  if (lead < 0x80) {
    return DecodedCodePoint{lead, 1};
  }
  std::size_t length = 0;
  char32_t value = 0;
  char32_t minimum = 0;
  if ((lead & 0xE0U) == 0xC0U) {
    length = 2;
    value = lead & 0x1FU;
    minimum = 0x80;
  } else if ((lead & 0xF0U) == 0xE0U) {
    length = 3;
    value = lead & 0x0FU;
    minimum = 0x800;
  } else if ((lead & 0xF8U) == 0xF0U) {
    length = 4;
    value = lead & 0x07U;
    minimum = 0x10000;
  } else {
    return std::nullopt;  // continuation byte or 0xF8..0xFF as a lead byte
  }
  if (pos + length > text.size()) {
    return std::nullopt;
  }
  for (std::size_t i = 1; i < length; ++i) {
    const unsigned char next = byte(pos + i);
    if ((next & 0xC0U) != 0x80U) {
      return std::nullopt;
    }
    value = (value << 6U) | (next & 0x3FU);
  }
  if (value < minimum || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) {
    return std::nullopt;
  }
  return DecodedCodePoint{value, length};
}

std::optional<std::size_t> find_invalid_utf8(std::string_view text) noexcept {
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto decoded = decode_utf8(text, pos);
    if (!decoded) {
      return pos;
    }
    pos += decoded->length;
  }
  return std::nullopt;
}

void append_utf8(std::string& out, char32_t cp) {
  const auto put = [&](char32_t bits) { out.push_back(static_cast<char>(bits)); };
  if (cp < 0x80) {
    put(cp);
  } else if (cp < 0x800) {
    put(0xC0U | (cp >> 6U));
    put(0x80U | (cp & 0x3FU));
  } else if (cp < 0x10000) {
    put(0xE0U | (cp >> 12U));
    put(0x80U | ((cp >> 6U) & 0x3FU));
    put(0x80U | (cp & 0x3FU));
  } else {
    put(0xF0U | (cp >> 18U));
    put(0x80U | ((cp >> 12U) & 0x3FU));
    put(0x80U | ((cp >> 6U) & 0x3FU));
    put(0x80U | (cp & 0x3FU));
  }
}

int display_width(char32_t cp) noexcept {
  // Zero width: combining marks, zero-width space/joiners, variation selectors, BOM.
  if ((cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x200B && cp <= 0x200F) ||
      (cp >= 0x2060 && cp <= 0x2064) || (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0xFEFF) {
    return 0;
  }
  // East Asian Wide (W) and Fullwidth (F) blocks.
  const bool wide = (cp >= 0x1100 && cp <= 0x115F) ||    // Hangul Jamo initials
                    (cp >= 0x2E80 && cp <= 0x303E) ||    // CJK radicals, punctuation
                    (cp >= 0x3041 && cp <= 0x33FF) ||    // kana, CJK symbols
                    (cp >= 0x3400 && cp <= 0x4DBF) ||    // CJK extension A
                    (cp >= 0x4E00 && cp <= 0x9FFF) ||    // CJK unified ideographs
                    (cp >= 0xA000 && cp <= 0xA4CF) ||    // Yi
                    (cp >= 0xAC00 && cp <= 0xD7A3) ||    // Hangul syllables
                    (cp >= 0xF900 && cp <= 0xFAFF) ||    // CJK compatibility ideographs
                    (cp >= 0xFE30 && cp <= 0xFE4F) ||    // CJK compatibility forms
                    (cp >= 0xFF00 && cp <= 0xFF60) ||    // full-width forms
                    (cp >= 0xFFE0 && cp <= 0xFFE6) ||    // full-width signs
                    (cp >= 0x1F300 && cp <= 0x1F64F) ||  // pictographs, emoticons
                    (cp >= 0x1F900 && cp <= 0x1F9FF) ||  // supplemental symbols
                    (cp >= 0x20000 && cp <= 0x3FFFD);    // CJK extensions B..
  return wide ? 2 : 1;
}

std::size_t count_code_points(std::string_view text) noexcept {
  std::size_t count = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto decoded = decode_utf8(text, pos);
    pos += decoded ? decoded->length : 1;
    ++count;
  }
  return count;
}

}  // namespace arscore
