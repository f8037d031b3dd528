# SPDX-License-Identifier: Apache-2.0
# kestrel_add_partition: the one recipe for a partition program, used by the
# in-tree target build (runtime/CMakeLists.txt), by users' own projects
# through find_package(Kestrel), and by `kestrel build`. It needs the
# target Kestrel::partition (start.S, partition.ld, include directories,
# freestanding library) and a directory set up by target-flags.cmake
# (AArch64 cross compiler, freestanding flags, C++20).
include_guard(GLOBAL)

# kestrel_add_partition(NAME SOURCES SOURCE...): the partition program
# NAME.elf from C and C++ sources (start-up code comes with it). Release
# builds with the target side's flags (-O2 -g); Debug with -O0 -g, for
# stepping through it with gdb.
function(kestrel_add_partition name)
  cmake_parse_arguments(PARSE_ARGV 1 PARTITION "" "" "SOURCES")
  if(PARTITION_UNPARSED_ARGUMENTS OR NOT PARTITION_SOURCES)
    message(FATAL_ERROR "kestrel_add_partition(${name}): usage: kestrel_add_partition(NAME SOURCES SOURCE...)")
  endif()
  add_executable(${name} ${PARTITION_SOURCES})
  set_target_properties(${name} PROPERTIES SUFFIX ".elf")
  target_link_libraries(${name} PRIVATE Kestrel::partition)
  # After the build type's own flags (the kernel's Debug is -Og), so it wins.
  target_compile_options(${name} PRIVATE "$<$<AND:$<CONFIG:Debug>,$<COMPILE_LANGUAGE:C,CXX>>:-O0>")
endfunction()
