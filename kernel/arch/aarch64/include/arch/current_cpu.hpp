// SPDX-License-Identifier: Apache-2.0
// Current CPU: the executing CPU's index, from the low four bits of
// TPIDR_EL2, where boot.S put it beside the CPU's kernel stack top.
#pragma once

#include <cstdint>

namespace kestrel::arch {

inline unsigned current_cpu() {
  uint64_t value;
  asm("mrs %0, tpidr_el2" : "=r"(value));  // constant per CPU: not volatile
  return static_cast<unsigned>(value & 0xf);
}

}  // namespace kestrel::arch
