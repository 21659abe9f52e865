# Libraries arscore is built with. Each comes from a Debian package named in
# scripts/install-deps; nothing is downloaded or vendored.
# Keep in step with cmake/arscoreConfig.cmake.in, which finds the same for consumers.
find_package(Boost 1.74 REQUIRED)            # Spirit X3 and Date_Time (header-only parts)
find_package(fmt 9 CONFIG REQUIRED)
find_package(Eigen3 3.4 CONFIG REQUIRED NO_MODULE)
find_package(nlohmann_json 3.10 CONFIG REQUIRED)
find_package(Threads REQUIRED)              # risk fits and predicts on every core
