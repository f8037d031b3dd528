// SPDX-License-Identifier: Apache-2.0
// Rogue: a partition that misbehaves, to show that the kernel contains it.
// Its thread "snoop" reads alpha's memory, which is not mapped in rogue's
// address space: the kernel stops the thread and logs the fault. Its thread
// "hog" spins for 100 ms without pause, at a budget of 1 ms in every 4 ms:
// the kernel takes the CPU from it at each budget's end, logs the first
// overrun, and the other partitions keep their time. Both threads run this
// program; "hog" has its stack in region "hog-stack", above snoop's.
#include <kestrel/console.hpp>
#include <kestrel/slots.hpp>

namespace {

constexpr uint64_t alpha_data = 0x4800'0000;  // alpha's data, at this physical address (demo.capnp)
constexpr uint64_t spin_microseconds = 100'000;

// One console client per thread: a client buffers its line.
constinit kestrel::Console snoop_console(kestrel::slots::call_console, "rogue");
constinit kestrel::Console hog_console(kestrel::slots::call_console, "rogue");

uint64_t counter() {
  uint64_t value;
  asm volatile("isb\n mrs %0, cntvct_el0" : "=r"(value));
  return value;
}

[[noreturn]] void snoop() {
  snoop_console.printf("snoop: reading alpha's memory at 0x%lx\n", alpha_data);
  const uint64_t stolen = *reinterpret_cast<volatile uint64_t*>(alpha_data);
  snoop_console.printf("snoop: read 0x%lx: ISOLATION BROKEN\n", stolen);  // never reached: the kernel stops the thread
  kestrel::thread_exit();
}

[[noreturn]] void hog() {
  uint64_t frequency;
  asm volatile("mrs %0, cntfrq_el0" : "=r"(frequency));
  hog_console.printf("hog: spinning for %lu ms without pause\n", spin_microseconds / 1000);
  const uint64_t end = counter() + spin_microseconds * (frequency / 1'000'000);
  while (counter() < end) {
  }
  hog_console.printf("hog: done spinning\n");
  kestrel::signal(kestrel::slots::signal_done);
  kestrel::thread_exit();
}

}  // namespace

extern "C" int main() {
  uint64_t sp;
  asm volatile("mov %0, sp" : "=r"(sp));
  if (sp > kestrel::memory::hog_stack_address) hog();
  snoop();
}
