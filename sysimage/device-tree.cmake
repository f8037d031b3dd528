# SPDX-License-Identifier: Apache-2.0
# kestrel_device_tree: guest device trees generated on the host with libfdt.
# Included from sysimage/CMakeLists.txt; paths are relative to this file, so
# it works whichever directory includes it.
# libfdt-dev ships no pkg-config file, so find it by hand.
find_path(FDT_INCLUDE_DIR libfdt.h REQUIRED)
find_library(FDT_LIBRARY fdt REQUIRED)
if(NOT TARGET kestrel_libfdt)
  # GLOBAL so that tests/unit, a sibling directory, can link it to parse trees back.
  add_library(kestrel_libfdt UNKNOWN IMPORTED GLOBAL)
  set_target_properties(kestrel_libfdt PROPERTIES IMPORTED_LOCATION ${FDT_LIBRARY}
                        INTERFACE_INCLUDE_DIRECTORIES ${FDT_INCLUDE_DIR})
endif()

add_library(kestrel_device_tree STATIC
  ${CMAKE_CURRENT_LIST_DIR}/src/device_tree.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/device_tree_overlay.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/dtc.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/guest_description_check.cpp)
target_include_directories(kestrel_device_tree PUBLIC ${CMAKE_CURRENT_LIST_DIR}/include)
target_link_libraries(kestrel_device_tree PRIVATE kestrel_libfdt)
