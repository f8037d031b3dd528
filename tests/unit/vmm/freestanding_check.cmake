# SPDX-License-Identifier: Apache-2.0
# cmake -DCXX=... -DNM=... -DSOURCE=... -DINCLUDE=... -DOBJECT=... -P freestanding_check.cmake
# Compiles SOURCE (which includes every VMM device model) for AArch64 with the
# VMM partition's freestanding flags, then fails if the object needs anything
# but memcpy, memset, memmove or memcmp, which GCC may call even in
# freestanding code and every partition links (freestanding/, kestrel_freestanding):
# an operator new, __cxa_* or libgcc helper would not link into a partition.
foreach(variable CXX NM SOURCE INCLUDE OBJECT)
  if(NOT DEFINED ${variable})
    message(FATAL_ERROR "freestanding_check: -D${variable}=... missing")
  endif()
endforeach()
execute_process(
  COMMAND ${CXX} -std=c++20 -ffreestanding -fno-exceptions -fno-rtti -fno-threadsafe-statics
          -fno-stack-protector -mgeneral-regs-only -mstrict-align -mno-outline-atomics
          -Wall -Wextra -Werror -Wshadow -Wconversion -O2 -I${INCLUDE} -c ${SOURCE} -o ${OBJECT}
  RESULT_VARIABLE status ERROR_VARIABLE errors)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "the VMM device models do not compile freestanding for AArch64:\n${errors}")
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
  message(FATAL_ERROR "the VMM device models need symbols a partition does not have: ${unexpected}")
endif()
message("VMM device models compile freestanding for AArch64; undefined symbols: ${symbols}")
