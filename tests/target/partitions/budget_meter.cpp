// SPDX-License-Identifier: Apache-2.0
// Budget meter: a thread that never gives up the CPU and measures how much
// of it it actually gets. It watches the counter for 20 ms: every step of
// under 50 us it ran, every longer gap it was kept off the CPU. With a
// budget of 500 us per 2000 us (images/budget.capnp) its share must stay
// near a quarter; a kernel that let it overrun would give it all of it.
#include "time_check.hpp"

namespace {

constexpr uint64_t console = 0;
constexpr uint64_t watch_us = 20'000;
constexpr uint64_t gap_us = 50;           // longer: it did not have the CPU
constexpr uint64_t lowest_percent = 20;   // budget 25 %, less the switches
constexpr uint64_t highest_percent = 30;  // and the timer's granularity

}  // namespace

extern "C" int main() {
  const uint64_t per_us = time_check::ticks_per_microsecond();
  const uint64_t start = time_check::now();
  uint64_t previous = start;
  uint64_t ran = 0;
  while (previous - start < watch_us * per_us) {
    const uint64_t current = time_check::now();
    if (current - previous < gap_us * per_us) ran += current - previous;
    previous = current;
  }
  const uint64_t percent = ran * 100 / (previous - start);
  time_check::print_decimal(console, "share of the CPU while spinning: ", percent, " %");
  kestrel::console_print(console, percent >= lowest_percent && percent <= highest_percent
                                      ? "its share stayed within its budget\n"
                                      : "BUDGET NOT HELD\n");
  kestrel::console_print(console, "done spinning\n");
  kestrel::thread_exit();
}
