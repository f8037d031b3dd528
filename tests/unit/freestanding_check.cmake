# SPDX-License-Identifier: Apache-2.0
# cmake -DWHAT=... -DCXX=... -DNM=... -DSOURCE=... -DINCLUDES=dir1,dir2 -DOBJECT=... -P freestanding_check.cmake
# Compiles SOURCE for AArch64 with a partition's freestanding flags, then fails
# if the object needs anything but memcpy, memset, memmove or memcmp, which GCC
# may call even in freestanding code and every partition links (freestanding/,
# kestrel_freestanding): an operator new, __cxa_* or libgcc helper would not
# link into a partition. WHAT names the code in the messages ("the VMM device
# models"); INCLUDES is a comma-separated list of include directories.
foreach(variable WHAT CXX NM SOURCE INCLUDES OBJECT)
  if(NOT DEFINED ${variable})
    message(FATAL_ERROR "freestanding_check: -D${variable}=... missing")
  endif()
endforeach()
string(REPLACE "," ";" include_dirs "${INCLUDES}")
list(TRANSFORM include_dirs PREPEND "-I")
execute_process(
  COMMAND ${CXX} -std=c++20 -ffreestanding -fno-exceptions -fno-rtti -fno-threadsafe-statics
          -fno-stack-protector -mgeneral-regs-only -mstrict-align -mno-outline-atomics
          -Wall -Wextra -Werror -Wshadow -Wconversion -O2 ${include_dirs} -c ${SOURCE} -o ${OBJECT}
  RESULT_VARIABLE status ERROR_VARIABLE errors)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "${WHAT}: does not compile freestanding for AArch64:\n${errors}")
endif()
execute_process(COMMAND ${NM} --undefined-only --format=just-symbols ${OBJECT}
  RESULT_VARIABLE status OUTPUT_VARIABLE symbols ERROR_VARIABLE errors)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "${NM} failed: ${errors}")
endif()
string(REGEX REPLACE "\n$" "" symbols "${symbols}")
string(REPLACE "\n" ";" symbols "${symbols}")
set(unexpected "")
foreach(symbol IN LISTS symbols)
  if(NOT symbol MATCHES "^(memcpy|memset|memmove|memcmp)$")
    list(APPEND unexpected ${symbol})
  endif()
endforeach()
if(unexpected)
  message(FATAL_ERROR "${WHAT}: needs symbols a partition does not have: ${unexpected}")
endif()
message("${WHAT}: compiles freestanding for AArch64; undefined symbols: ${symbols}")
