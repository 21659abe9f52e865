#include "arscore/core/error.hpp"

#include <utility>

namespace arscore {

Error::Error(std::string code, const std::string& message)
    : std::runtime_error("[" + code + "] " + message), code_(std::move(code)), message_(message) {}

}  // namespace arscore
