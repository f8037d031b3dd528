# SPDX-License-Identifier: Apache-2.0
# kestrel_signing: Ed25519 key pairs, key files and boot-info signatures on the host, with libsodium.
# Included from sysimage/CMakeLists.txt; paths are relative to this file, so
# it works whichever directory includes it.
find_package(PkgConfig REQUIRED)
# GLOBAL, so that targets in sibling directories linking kestrel_signing can
# resolve libsodium; guarded, because tests/unit creates the same target for
# its Ed25519 oracle.
if(NOT TARGET PkgConfig::SODIUM)
  pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET GLOBAL libsodium)
endif()

add_library(kestrel_signing STATIC ${CMAKE_CURRENT_LIST_DIR}/src/signing.cpp)
target_include_directories(kestrel_signing PUBLIC ${CMAKE_CURRENT_LIST_DIR}/include)
target_link_libraries(kestrel_signing PRIVATE PkgConfig::SODIUM)
