# SPDX-License-Identifier: Apache-2.0
# Cross toolchain for the freestanding AArch64 side (kernel and partitions).
# Debian's g++-aarch64-linux-gnu is used as a bare-metal compiler: no libc,
# no start files, no exceptions or RTTI (see target-flags.cmake).
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR aarch64)

set(KESTREL_CROSS_PREFIX "aarch64-linux-gnu-" CACHE STRING "Cross tool prefix")
find_program(KESTREL_CROSS_CXX ${KESTREL_CROSS_PREFIX}g++ REQUIRED)
find_program(KESTREL_CROSS_CC ${KESTREL_CROSS_PREFIX}gcc REQUIRED)
set(CMAKE_C_COMPILER ${KESTREL_CROSS_CC})
set(CMAKE_CXX_COMPILER ${KESTREL_CROSS_CXX})
set(CMAKE_ASM_COMPILER ${KESTREL_CROSS_CC})
set(CMAKE_OBJCOPY ${KESTREL_CROSS_PREFIX}objcopy CACHE FILEPATH "")

# There is no C library to link test programs against.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
