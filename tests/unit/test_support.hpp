#pragma once
// Small helpers shared by the doctest files.

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "arscore/core/date.hpp"
#include "arscore/core/error.hpp"

namespace arscore::test {

/// The date written "YYYY-MM-DD".
inline Date d(const char* text) { return Date::parse(text); }

/// The whole of a file, byte for byte ("" when it cannot be read).
inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

/// What `f()` throws as an arscore::Error (its what()), or "no error".
std::string error_message(const auto& f) {
  try {
    f();
  } catch (const arscore::Error& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace arscore::test
