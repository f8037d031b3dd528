// SPDX-License-Identifier: Apache-2.0
// Window spinner: a high-priority thread that never gives up the CPU for
// 40 ms; only the end of its time window takes the CPU away from it.
#include "time_check.hpp"

namespace {

constexpr uint64_t console = 0;
constexpr uint64_t spin_microseconds = 40'000;

}  // namespace

extern "C" int main() {
  const uint64_t end = time_check::now() + spin_microseconds * time_check::ticks_per_microsecond();
  while (time_check::now() < end) {
  }
  kestrel::console_print(console, "done spinning\n");
  kestrel::thread_exit();
}
