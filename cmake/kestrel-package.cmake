# SPDX-License-Identifier: Apache-2.0
# The Kestrel package (target side, after freestanding/ and runtime/, which
# add their targets to the export set KestrelTargets): written to
# BUILD/target/package for use from the build tree, and installed to
# PREFIX/lib/cmake/Kestrel by `cmake --install BUILD --prefix PREFIX`
# (cmake/target-build.cmake forwards the host side's install to this side).
# The same files either way; only KestrelTargets.cmake differs, as CMake
# writes it for each place. docs/building.md shows how a project uses it.
set(KESTREL_PACKAGE_FILES
  ${CMAKE_SOURCE_DIR}/cmake/KestrelConfig.cmake
  ${CMAKE_SOURCE_DIR}/cmake/kestrel-partition.cmake
  ${CMAKE_SOURCE_DIR}/cmake/target-flags.cmake
  ${CMAKE_SOURCE_DIR}/cmake/aarch64-toolchain.cmake)
set(package_directory ${CMAKE_BINARY_DIR}/package)
foreach(file IN LISTS KESTREL_PACKAGE_FILES)
  get_filename_component(name ${file} NAME)
  configure_file(${file} ${package_directory}/${name} COPYONLY)
endforeach()
export(EXPORT KestrelTargets NAMESPACE Kestrel:: FILE ${package_directory}/KestrelTargets.cmake)

install(FILES ${KESTREL_PACKAGE_FILES} DESTINATION lib/cmake/Kestrel)
install(EXPORT KestrelTargets NAMESPACE Kestrel:: DESTINATION lib/cmake/Kestrel)
