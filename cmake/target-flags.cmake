# SPDX-License-Identifier: Apache-2.0
# Flags for freestanding AArch64 code: the kernel and every partition, in
# the tree and, through the Kestrel package (KestrelConfig.cmake), in users'
# own projects.
set(CMAKE_CXX_STANDARD 20)
set(CMAKE_CXX_STANDARD_REQUIRED ON)
set(CMAKE_CXX_EXTENSIONS OFF)

# -mstrict-align: early boot runs with the MMU off, where all data memory is
#   Device memory and an unaligned access faults.
# -mno-outline-atomics: atomics inline (LL/SC on Armv8.0), not calls to
#   libgcc helpers that test for LSE at run time.
set(KESTREL_TARGET_COMPILE_OPTIONS
  -ffreestanding -fno-exceptions
  -fno-asynchronous-unwind-tables -fno-unwind-tables -fno-stack-protector
  -fno-pie -fno-common -ffunction-sections -fdata-sections
  -mstrict-align -mno-outline-atomics
  -Wall -Wextra -Werror -Wshadow -Wconversion)
# C++ only: GCC warns about them for C (partition programs may have C
# sources), and -Werror makes that an error.
set(KESTREL_TARGET_CXX_OPTIONS -fno-rtti -fno-threadsafe-statics)
# Cortex-A53 erratum 843419: Debian's GCC has ld fix it, by default with
# stubs as well as ADR rewrites; a stub may push the code after it to the
# next 4 KiB page (4 KiB of the kernel's 64 KiB of text, depending on where
# an ADRP happens to fall). Everything an image links is within ADR's
# +-1 MiB, so the rewrites alone fix every site, at no cost in size.
set(KESTREL_TARGET_LINK_OPTIONS -nostdlib -nostartfiles -static -no-pie
  -Wl,--gc-sections -Wl,--build-id=none -Wl,-z,noexecstack -Wl,--fix-cortex-a53-843419=adr)
add_compile_options("$<$<COMPILE_LANGUAGE:C,CXX>:${KESTREL_TARGET_COMPILE_OPTIONS}>"
                    "$<$<COMPILE_LANGUAGE:CXX>:${KESTREL_TARGET_CXX_OPTIONS}>")
# For the kernel and the bare-metal test guests only (target_compile_options;
# partition programs may use FP/SIMD, which the kernel switches lazily):
# -mgeneral-regs-only: the kernel never touches FP/SIMD (but for the save
#   and load of kernel/arch/aarch64/fp.cpp), so it need not save a thread's
#   FP state on entry; a guest's EL1 starts with FP/SIMD trapped
#   (CPACR_EL1.FPEN zero).
set(KESTREL_GENERAL_REGS_ONLY "$<$<COMPILE_LANGUAGE:C,CXX>:-mgeneral-regs-only>")
add_compile_options("$<$<COMPILE_LANGUAGE:ASM>:-ffreestanding>")
add_compile_options(-g)
if(NOT CMAKE_BUILD_TYPE)
  set(CMAKE_BUILD_TYPE Release)
endif()
set(CMAKE_CXX_FLAGS_RELEASE "-O2")
set(CMAKE_C_FLAGS_RELEASE "-O2")
set(CMAKE_CXX_FLAGS_DEBUG "-Og")
