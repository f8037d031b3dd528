// SPDX-License-Identifier: Apache-2.0
// Bench: what every program of the IPC benchmark shares, the guest included
// (so nothing here calls the kernel): how many rounds, the cycle counter,
// and the RESULT line scripts/bench reads.
//
// Under QEMU -icount shift=0 the cycle counter counts executed instructions,
// at EL2 too in the benchmark kernel, so a figure is the instructions
// between two counter reads, less the reads' own cost ("overhead": the same
// sequence with a nop where the svc or the store was).
#pragma once

#include <cstddef>
#include <cstdint>

namespace kestrel::bench {

// The first rounds fill QEMU's translation cache and settle the
// scheduler's round-robin position; only the rest are reported.
inline constexpr uint64_t warm_up = 16;
inline constexpr uint64_t measured = 200;
inline constexpr uint64_t rounds = warm_up + measured;

// Twin runs that measure a sequence's overhead; the smallest one counts.
inline constexpr uint64_t overhead_runs = 16;

inline uint64_t read_cycles() {
  uint64_t value;
  asm volatile("mrs %0, pmccntr_el0" : "=r"(value));
  return value;
}

// One line of text, built in place so that it reaches the console in one
// write (lines of other partitions cannot land inside it).
struct Line {
  char text[192];
  size_t length = 0;

  void append(const char* part) {
    while (*part != '\0' && length < sizeof text) text[length++] = *part++;
  }
  void append_decimal(uint64_t value) {
    char digits[20];
    size_t count = 0;
    do {
      digits[count++] = static_cast<char>('0' + value % 10);
      value /= 10;
    } while (value != 0);
    while (count > 0 && length < sizeof text) text[length++] = digits[--count];
  }
};

// Insertion sort: a few hundred samples, and no library to call.
inline void sort(uint64_t* samples, size_t count) {
  for (size_t i = 1; i < count; ++i) {
    const uint64_t value = samples[i];
    size_t j = i;
    for (; j > 0 && samples[j - 1] > value; --j) samples[j] = samples[j - 1];
    samples[j] = value;
  }
}

// "RESULT <name> min=.. median=.. max=.. samples=.. overhead=..\n" over the
// measured rounds of `samples` (all `rounds` of them; the warm-up ones are
// skipped). Sorts them in place. The median of an even count is the upper
// of the middle two.
inline Line result_line(const char* name, uint64_t* samples, uint64_t overhead) {
  uint64_t* const kept = samples + warm_up;
  sort(kept, measured);
  Line line;
  line.append("RESULT ");
  line.append(name);
  line.append(" min=");
  line.append_decimal(kept[0]);
  line.append(" median=");
  line.append_decimal(kept[measured / 2]);
  line.append(" max=");
  line.append_decimal(kept[measured - 1]);
  line.append(" samples=");
  line.append_decimal(measured);
  line.append(" overhead=");
  line.append_decimal(overhead);
  line.append("\n");
  return line;
}

}  // namespace kestrel::bench
