# SPDX-License-Identifier: Apache-2.0
# Drive the fuzz side as a nested build in <build>/fuzz: the policy compiler
# and its libFuzzer targets, built with clang++-14 (the host side may use any
# compiler; libFuzzer comes with clang). ctest runs each target briefly
# (label `fuzz`); scripts/fuzz runs them for longer.
include(ExternalProject)

find_program(KESTREL_FUZZ_CXX clang++-14)
find_program(KESTREL_FUZZ_CC clang-14)
if(NOT KESTREL_FUZZ_CXX OR NOT KESTREL_FUZZ_CC)
  message(FATAL_ERROR "KESTREL_FUZZ needs clang-14 and clang++-14 (scripts/install-deps installs clang-14 and "
                      "libclang-rt-14-dev); or configure with -DKESTREL_FUZZ=OFF")
endif()
# clang without its runtime libraries (libclang-rt-14-dev, only recommended by
# clang-14) compiles but cannot link a fuzzer: say so now, not mid-build.
set(probe_dir ${CMAKE_BINARY_DIR}/CMakeFiles/fuzz-probe)
file(WRITE ${probe_dir}/probe.cpp
     "#include <cstddef>\n#include <cstdint>\n"
     "extern \"C\" int LLVMFuzzerTestOneInput(const uint8_t*, size_t) { return 0; }\n")
execute_process(COMMAND ${KESTREL_FUZZ_CXX} -fsanitize=fuzzer,address,undefined ${probe_dir}/probe.cpp -o ${probe_dir}/probe
                RESULT_VARIABLE probe_status OUTPUT_VARIABLE probe_output ERROR_VARIABLE probe_output)
if(NOT probe_status EQUAL 0)
  message(FATAL_ERROR "${KESTREL_FUZZ_CXX} cannot link a libFuzzer target with ASan and UBSan (is libclang-rt-14-dev "
                      "installed? scripts/install-deps installs it); or configure with -DKESTREL_FUZZ=OFF:\n${probe_output}")
endif()

set(KESTREL_FUZZ_BINARY_DIR ${CMAKE_BINARY_DIR}/fuzz)
set(KESTREL_FUZZ_FORMATS json capnp)
set(fuzzers)
foreach(format IN LISTS KESTREL_FUZZ_FORMATS)
  list(APPEND fuzzers ${KESTREL_FUZZ_BINARY_DIR}/tests/fuzz/policy_${format}_fuzzer)
endforeach()

ExternalProject_Add(kestrel_fuzz
  SOURCE_DIR ${CMAKE_SOURCE_DIR}
  BINARY_DIR ${KESTREL_FUZZ_BINARY_DIR}
  CMAKE_GENERATOR ${CMAKE_GENERATOR}
  CMAKE_ARGS
    -DKESTREL_SIDE=fuzz
    -DCMAKE_CXX_COMPILER=${KESTREL_FUZZ_CXX}
    -DCMAKE_C_COMPILER=${KESTREL_FUZZ_CC}
    -DCMAKE_EXPORT_COMPILE_COMMANDS=ON
  # Only the fuzz targets and what they link, not the rest of policy/.
  BUILD_COMMAND ${CMAKE_COMMAND} --build <BINARY_DIR> --target fuzzers
  BUILD_ALWAYS TRUE
  INSTALL_COMMAND ""
  BUILD_BYPRODUCTS ${fuzzers}
  USES_TERMINAL_BUILD TRUE)

# A short run of each target over the seed corpus. New inputs go to a corpus
# in the build directory, never into the checked-in seeds; a crash leaves its
# input in <build>/fuzz/artifacts/.
set(KESTREL_FUZZ_TEST_SECONDS 25 CACHE STRING "How long ctest runs each fuzz target")
# Besides the checked-in seeds, the tree's own systems seed each target from
# where they live (copied at configure time into <build>/fuzz/seeds-live), so
# no stale copy of an example sits in tests/fuzz/corpus.
set(live_seeds
  ${CMAKE_SOURCE_DIR}/examples/demo/demo.capnp
  ${CMAKE_SOURCE_DIR}/examples/hello-ipc/hello-ipc.capnp
  ${CMAKE_SOURCE_DIR}/examples/hello-ipc/hello-ipc.json
  ${CMAKE_SOURCE_DIR}/examples/linux/linux.capnp
  ${CMAKE_SOURCE_DIR}/tests/unit/policy/systems/vm-with-vmm.capnp)
foreach(seed IN LISTS live_seeds)
  get_filename_component(name ${seed} NAME)
  get_filename_component(extension ${seed} LAST_EXT)
  string(SUBSTRING ${extension} 1 -1 format)
  configure_file(${seed} ${KESTREL_FUZZ_BINARY_DIR}/seeds-live/${format}/${name} COPYONLY)
endforeach()
foreach(format IN LISTS KESTREL_FUZZ_FORMATS)
  set(corpus ${KESTREL_FUZZ_BINARY_DIR}/corpus-ctest/${format})
  file(MAKE_DIRECTORY ${corpus} ${KESTREL_FUZZ_BINARY_DIR}/artifacts)
  add_test(NAME fuzz.policy_${format}
           COMMAND ${KESTREL_FUZZ_BINARY_DIR}/tests/fuzz/policy_${format}_fuzzer
                   -max_total_time=${KESTREL_FUZZ_TEST_SECONDS} -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
                   -create_missing_dirs=1
                   -dict=${CMAKE_SOURCE_DIR}/tests/fuzz/${format}.dict
                   -artifact_prefix=${KESTREL_FUZZ_BINARY_DIR}/artifacts/${format}-
                   ${corpus} ${CMAKE_SOURCE_DIR}/tests/fuzz/corpus/${format}
                   ${KESTREL_FUZZ_BINARY_DIR}/seeds-live/${format})
  set_tests_properties(fuzz.policy_${format} PROPERTIES LABELS fuzz TIMEOUT 300)
endforeach()
