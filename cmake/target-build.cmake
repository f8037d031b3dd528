# SPDX-License-Identifier: Apache-2.0
# Drive the AArch64 side as a nested build in <build>/target.
include(ExternalProject)

set(KESTREL_TARGET_BINARY_DIR ${CMAKE_BINARY_DIR}/target)
set(KESTREL_TARGET_BUILD_TYPE "Release" CACHE STRING "Build type of the AArch64 images")

# Images the host side refers to (target tests, the demo command).
set(KESTREL_KERNEL_ELF ${KESTREL_TARGET_BINARY_DIR}/kernel/kestrel.elf)
set(KESTREL_KERNEL_BENCH_ELF ${KESTREL_TARGET_BINARY_DIR}/kernel/kestrel-bench.elf)
set(KESTREL_KERNEL_COUNTING_ELF ${KESTREL_TARGET_BINARY_DIR}/kernel/kestrel-counting.elf)
set(KESTREL_KERNEL_TESTS_ELF ${KESTREL_TARGET_BINARY_DIR}/tests/target/kernel/kernel-tests.elf)
# The Kestrel package in the build tree (cmake/kestrel-package.cmake), for
# find_package(Kestrel): what `kestrel build` compiles programs with.
set(KESTREL_PACKAGE_DIR ${KESTREL_TARGET_BINARY_DIR}/package)
# The kernel built with the test key (tests/target/keys), for signing tests.
set(KESTREL_KERNEL_SIGNED_ELF ${KESTREL_TARGET_BINARY_DIR}/tests/target/kernel/kestrel-signed.elf)
set(KESTREL_BOOT_PUBLIC_KEY "" CACHE FILEPATH
    "Ed25519 public key the kernel requires boot-info to be signed with (kestrel-image keygen)")

ExternalProject_Add(kestrel_target
  SOURCE_DIR ${CMAKE_SOURCE_DIR}
  BINARY_DIR ${KESTREL_TARGET_BINARY_DIR}
  CMAKE_GENERATOR ${CMAKE_GENERATOR}
  CMAKE_ARGS
    -DKESTREL_SIDE=target
    -DCMAKE_TOOLCHAIN_FILE=${CMAKE_SOURCE_DIR}/cmake/aarch64-toolchain.cmake
    -DCMAKE_BUILD_TYPE=${KESTREL_TARGET_BUILD_TYPE}
    -DCMAKE_EXPORT_COMPILE_COMMANDS=ON
    -DKESTREL_BOOT_PUBLIC_KEY=${KESTREL_BOOT_PUBLIC_KEY}
  BUILD_ALWAYS TRUE
  INSTALL_COMMAND ""
  BUILD_BYPRODUCTS ${KESTREL_KERNEL_ELF} ${KESTREL_KERNEL_BENCH_ELF} ${KESTREL_KERNEL_COUNTING_ELF} ${KESTREL_KERNEL_TESTS_ELF} ${KESTREL_KERNEL_SIGNED_ELF}
  USES_TERMINAL_BUILD TRUE)

# `cmake --install BUILD --prefix PREFIX` installs the Kestrel package, which
# the target side holds (cmake/kestrel-package.cmake); DESTDIR passes through
# the environment.
install(CODE "
  execute_process(COMMAND \"${CMAKE_COMMAND}\" --install \"${KESTREL_TARGET_BINARY_DIR}\" --prefix \"\${CMAKE_INSTALL_PREFIX}\"
                  RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR \"installing the target side (${KESTREL_TARGET_BINARY_DIR}) failed; is it built?\")
  endif()")
