# SPDX-License-Identifier: Apache-2.0
# Compiles freestanding_check.cpp as the IPCM partition will be compiled and
# refuses any undefined symbol but the memory functions every partition
# links. -DCXX, -DNM, -DSOURCE, -DIPCM_INCLUDE, -DABI_INCLUDE, -DOBJECT.
foreach(variable CXX NM SOURCE IPCM_INCLUDE ABI_INCLUDE OBJECT)
  if(NOT DEFINED ${variable})
    message(FATAL_ERROR "freestanding_check: -D${variable}=... missing")
  endif()
endforeach()
execute_process(
  COMMAND ${CXX} -std=c++20 -ffreestanding -fno-exceptions -fno-rtti -fno-threadsafe-statics
          -fno-stack-protector -mgeneral-regs-only -mstrict-align -mno-outline-atomics
          -Wall -Wextra -Werror -Wshadow -Wconversion -O2 -I${IPCM_INCLUDE} -I${ABI_INCLUDE}
          -c ${SOURCE} -o ${OBJECT}
  RESULT_VARIABLE status ERROR_VARIABLE errors)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "the IPCM core does not compile freestanding for AArch64:\n${errors}")
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
  message(FATAL_ERROR "the IPCM core needs symbols a partition does not have: ${unexpected}")
endif()
message("the IPCM core compiles freestanding for AArch64; undefined symbols: ${symbols}")
