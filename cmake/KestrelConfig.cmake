# SPDX-License-Identifier: Apache-2.0
# The Kestrel package: find_package(Kestrel) in a project of one's own that
# builds partition programs, from a build tree (BUILD/target/package) or an
# installed prefix (PREFIX/lib/cmake/Kestrel). The project must be configured
# with the package's cross toolchain, which only a toolchain file can set:
#
#   cmake -S . -B build -DCMAKE_TOOLCHAIN_FILE=<package>/aarch64-toolchain.cmake -DKestrel_DIR=<package>
#
# It then has what the in-tree target side has: the freestanding flags of
# target-flags.cmake for the whole directory, the targets Kestrel::partition
# and Kestrel::freestanding, and kestrel_add_partition(NAME SOURCES ...).
if(NOT CMAKE_SYSTEM_NAME STREQUAL "Generic" OR NOT CMAKE_SYSTEM_PROCESSOR STREQUAL "aarch64")
  set(${CMAKE_FIND_PACKAGE_NAME}_FOUND FALSE)
  set(${CMAKE_FIND_PACKAGE_NAME}_NOT_FOUND_MESSAGE "Kestrel builds AArch64 partition programs: configure this \
project with -DCMAKE_TOOLCHAIN_FILE=${CMAKE_CURRENT_LIST_DIR}/aarch64-toolchain.cmake (in a fresh build directory)")
  return()
endif()
# start.S is assembly.
get_property(kestrel_languages GLOBAL PROPERTY ENABLED_LANGUAGES)
if(NOT "ASM" IN_LIST kestrel_languages)
  enable_language(ASM)
endif()
unset(kestrel_languages)

include(${CMAKE_CURRENT_LIST_DIR}/target-flags.cmake)
if(NOT TARGET Kestrel::partition)
  include(${CMAKE_CURRENT_LIST_DIR}/KestrelTargets.cmake)
endif()
include(${CMAKE_CURRENT_LIST_DIR}/kestrel-partition.cmake)
