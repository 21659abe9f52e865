# ARSCORE_SANITIZE_PYTHON_PRELOAD: what a Python process must preload to import an
# ASan-built extension (empty when not sanitizing). Used by the pytest and example tests.
set(ARSCORE_SANITIZE_PYTHON_PRELOAD "")
if(CMAKE_CXX_FLAGS MATCHES "-fsanitize=[^ ]*address")
  # An ASan-built extension inside a plain interpreter needs the ASan runtime preloaded.
  # libstdc++ is preloaded too: the interpreter does not link it, and ASan's __cxa_throw
  # interceptor must find it when it starts, or the first C++ exception aborts.
  execute_process(COMMAND ${CMAKE_CXX_COMPILER} -print-file-name=libasan.so
    OUTPUT_VARIABLE asan_runtime OUTPUT_STRIP_TRAILING_WHITESPACE)
  execute_process(COMMAND ${CMAKE_CXX_COMPILER} -print-file-name=libstdc++.so
    OUTPUT_VARIABLE cxx_runtime OUTPUT_STRIP_TRAILING_WHITESPACE)
  set(ARSCORE_SANITIZE_PYTHON_PRELOAD "${asan_runtime} ${cxx_runtime}")
endif()
