// SPDX-License-Identifier: Apache-2.0
// Window ticker: a low-priority thread that watches the counter and measures
// each stretch of time it did not have the CPU. Beside a spinning
// higher-priority partition, those stretches must not exceed the spinner's
// window (2000 us) plus the kernel's switch time (the documented bound:
// 100 us).
#include "time_check.hpp"

namespace {

constexpr uint64_t console = 0;
constexpr uint64_t other_window_us = 2000;
constexpr uint64_t bound_us = other_window_us + 100;
#ifndef KESTREL_STRETCHES
#define KESTREL_STRETCHES 5
#endif
constexpr uint64_t stretches_to_watch = KESTREL_STRETCHES;
constexpr uint64_t noticeable_us = 50;  // shorter gaps are interrupts, not windows

}  // namespace

extern "C" int main() {
#ifdef KESTREL_STARTED_FLAG
  // Tells whoever reads this shared page that the ticker has started.
  *reinterpret_cast<volatile uint64_t*>(KESTREL_STARTED_FLAG) = 1;
#endif
  const uint64_t per_us = time_check::ticks_per_microsecond();
  uint64_t longest = 0;
  uint64_t seen = 0;
  uint64_t previous = time_check::now();
  while (seen < stretches_to_watch) {
    const uint64_t current = time_check::now();
    const uint64_t gap = current - previous;
    if (gap > noticeable_us * per_us) {
      ++seen;
      if (gap > longest) longest = gap;
    }
    previous = current;
  }
  time_check::print_decimal(console, "longest time without the CPU: ", longest / per_us, " us");
  kestrel::console_print(
      console, longest / per_us <= bound_us ? "within the bound of the other window + 100 us\n" : "BOUND EXCEEDED\n");
  kestrel::thread_exit();
}
