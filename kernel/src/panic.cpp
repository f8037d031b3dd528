// SPDX-License-Identifier: Apache-2.0
// Panic and the C++ runtime hooks a freestanding kernel still needs.
#include <kestrel/arch.hpp>
#include <kestrel/fastpath.hpp>
#include <kestrel/log.hpp>

namespace kestrel {

namespace {

// How deep each online CPU's kernel stack went: the margin left, for
// choosing KERNEL_STACK_SIZE (docs/kernel.md, "Memory").
void log_kernel_stack_use() {
  uint32_t deepest = 0;
  unsigned cpu_of_deepest = 0;
  for (unsigned cpu = 0; cpu < abi::max_cpus; ++cpu) {
    if (const uint32_t used = arch::kernel_stack_use(cpu); used > deepest) {
      deepest = used;
      cpu_of_deepest = cpu;
    }
  }
  if (deepest == 0) return;
  log("boot: deepest kernel stack use {} bytes (CPU {}) of {}\n", deepest, cpu_of_deepest, arch::kernel_stack_size());
  // Every target test forbids this line: a margin of at least half.
  if (deepest > arch::kernel_stack_size() / 2) log("boot: WARNING: kernel stack more than half used\n");
}

}  // namespace

[[noreturn]] void power_off_with_log() {
  log_kernel_stack_use();
  log_fastpath_counts();
  log_flush_now();
  arch::power_off();
}

[[noreturn]] void panic_stop() { power_off_with_log(); }

}  // namespace kestrel

// Called if a pure virtual function is ever reached through a vtable.
extern "C" void __cxa_pure_virtual() { kestrel::panic("pure virtual function called"); }
