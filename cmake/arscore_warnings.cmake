# Warnings for arscore's own targets only. They live in an INTERFACE target that is linked
# through $<BUILD_INTERFACE:...>, so they never reach a consumer of the installed package or
# of add_subdirectory(arscore).
add_library(arscore_warnings INTERFACE)
if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
  target_compile_options(arscore_warnings INTERFACE
    -Wall -Wextra -Wpedantic -Wconversion -Wsign-conversion -Wshadow
    -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Woverloaded-virtual
    -Wnull-dereference -Wdouble-promotion -Wimplicit-fallthrough)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    # GCC 12 at -O3 reports false -Wrestrict inside libstdc++'s inlined std::string copies
    # (GCC bug 105329), e.g. for "text" + std::string.
    target_compile_options(arscore_warnings INTERFACE -Wno-restrict)
  endif()
  if(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    # Spirit X3 grammars mix `a >> b > c` by design (sequence, then expectation).
    target_compile_options(arscore_warnings INTERFACE -Wno-overloaded-shift-op-parentheses)
  endif()
  if(ARSCORE_WARNINGS_AS_ERRORS)
    target_compile_options(arscore_warnings INTERFACE -Werror)
  endif()
elseif(MSVC)
  target_compile_options(arscore_warnings INTERFACE /W4 /permissive-)
  if(ARSCORE_WARNINGS_AS_ERRORS)
    target_compile_options(arscore_warnings INTERFACE /WX)
  endif()
endif()
