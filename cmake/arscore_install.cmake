# Install rules and the exported package configuration, so that consumers can write
#   find_package(arscore CONFIG REQUIRED)
#   target_link_libraries(app PRIVATE arscore::arscore)
include(CMakePackageConfigHelpers)

set(ARSCORE_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/arscore
  CACHE STRING "Where arscore's CMake package files are installed")

install(TARGETS arscore EXPORT arscoreTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/arscore
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_BINARY_DIR}/generated/include/arscore
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT arscoreTargets NAMESPACE arscore::
  DESTINATION ${ARSCORE_INSTALL_CMAKEDIR})

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/arscoreConfig.cmake.in
  ${PROJECT_BINARY_DIR}/arscoreConfig.cmake
  INSTALL_DESTINATION ${ARSCORE_INSTALL_CMAKEDIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/arscoreConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/arscoreConfig.cmake
  ${PROJECT_BINARY_DIR}/arscoreConfigVersion.cmake
  DESTINATION ${ARSCORE_INSTALL_CMAKEDIR})
