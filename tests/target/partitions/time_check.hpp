// SPDX-License-Identifier: Apache-2.0
// Time check: the generic timer as the scheduling test partitions read it,
// and decimal output. Under QEMU's -icount these times are deterministic
// (virtual), not wall-clock.
#pragma once

#include <kestrel/syscall.hpp>

namespace time_check {

inline uint64_t now() {
  uint64_t value;
  asm volatile("isb\n mrs %0, cntvct_el0" : "=r"(value));
  return value;
}

inline uint64_t ticks_per_microsecond() {
  uint64_t frequency;
  asm volatile("mrs %0, cntfrq_el0" : "=r"(frequency));
  return frequency / 1'000'000;
}

// "<text><value in decimal><suffix>\n" in one console write.
inline void print_decimal(uint64_t console, const char* text, uint64_t value, const char* suffix) {
  char line[160];
  size_t length = 0;
  for (const char* c = text; *c != '\0' && length < 100; ++c) line[length++] = *c;
  char digits[20];
  int count = 0;
  do {
    digits[count++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0);
  while (count > 0) line[length++] = digits[--count];
  for (const char* c = suffix; *c != '\0' && length < sizeof line - 1; ++c) line[length++] = *c;
  line[length++] = '\n';
  kestrel::console_write(console, line, length);
}

}  // namespace time_check
