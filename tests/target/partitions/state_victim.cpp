// SPDX-License-Identifier: Apache-2.0
// State victim: a native partition on the same CPU as the hostile guest
// (tests/target/guest/hostile_guest.cpp). Its main thread checks, in three
// of its windows, that the EL0 state it runs under is the kernel's native
// reset state: TPIDRRO_EL0 and TPIDR_EL0 zero, little-endian accesses,
// CTR_EL0 readable, DC ZVA and cache maintenance by VA allowed, and no
// breakpoint, watchpoint or single-step exception on its first instruction
// or its data. Two probe threads then read what native threads may not:
// the cycle counter (thread "pmu") and the physical counter ("counter");
// the kernel must stop both. Then it powers the machine off.
#include <kestrel/syscall.hpp>

#include "time_check.hpp"

namespace {

constexpr uint64_t console = 0;
constexpr uint64_t power = 1;
constexpr uint64_t pmu_stack = 0x90'0000;      // thread "pmu" runs on the stack region here
constexpr uint64_t counter_stack = 0xa0'0000;  // thread "counter"
constexpr uint64_t watched_data = 0x40'0000;   // the hostile guest's watchpoint

alignas(64) volatile uint8_t zero_block[256];

bool failed(const char* what) {
  kestrel::console_print(console, "FAILED: ");
  kestrel::console_print(console, what);
  kestrel::console_print(console, "\n");
  return false;
}

bool el0_state_is_native() {
  bool ok = true;
  uint64_t value;
  asm volatile("mrs %0, tpidrro_el0" : "=r"(value));
  if (value != 0) ok = failed("TPIDRRO_EL0 is not zero");
  asm volatile("mrs %0, tpidr_el0" : "=r"(value));
  if (value != 0) ok = failed("TPIDR_EL0 is not zero");
  volatile uint32_t word = 0x0102'0304;
  if (*reinterpret_cast<volatile uint8_t*>(&word) != 0x04) ok = failed("EL0 loads and stores are big-endian");
  asm volatile("mrs %0, ctr_el0" : "=r"(value));  // traps unless SCTLR_EL1.UCT
  if (value == 0) ok = failed("CTR_EL0 reads zero");
  uint64_t dczid;
  asm volatile("mrs %0, dczid_el0" : "=r"(dczid));
  if ((dczid & 0x10) != 0) {
    ok = failed("DC ZVA is prohibited (DCZID_EL0.DZP)");
  } else {
    const uint64_t block = uint64_t{4} << (dczid & 0xf);
    for (uint64_t i = 0; i < block && i < sizeof zero_block; ++i) zero_block[i] = 0xff;
    asm volatile("dc zva, %0" : : "r"(zero_block) : "memory");  // traps unless SCTLR_EL1.DZE
    for (uint64_t i = 0; i < block && i < sizeof zero_block; ++i) {
      if (zero_block[i] != 0) ok = failed("DC ZVA did not zero its block");
    }
  }
  asm volatile("dc cvau, %0\n dsb ish" : : "r"(zero_block) : "memory");  // traps unless SCTLR_EL1.UCI
  value = *reinterpret_cast<volatile uint64_t*>(watched_data);           // the guest's watchpoint, if it stayed armed
  asm volatile("" : : "r"(value));
  return ok;
}

[[noreturn]] void probe(const char* what, uint64_t (*read)()) {
  const uint64_t value = read();
  kestrel::console_print(console, "FAILED: read ");
  kestrel::console_print(console, what);
  kestrel::console_print_hex(console, value);
  kestrel::console_print(console, "\n");
  kestrel::thread_exit();
}

uint64_t read_cycle_counter() {
  uint64_t value;
  asm volatile("mrs %0, pmccntr_el0" : "=r"(value));
  return value;
}

uint64_t read_physical_counter() {
  uint64_t value;
  asm volatile("mrs %0, cntpct_el0" : "=r"(value));
  return value;
}

}  // namespace

extern "C" int main() {
  uint64_t sp;
  asm volatile("mov %0, sp" : "=r"(sp));
  if (sp > counter_stack) probe("the physical counter ", read_physical_counter);
  if (sp > pmu_stack) probe("the cycle counter ", read_cycle_counter);
  const uint64_t per_us = time_check::ticks_per_microsecond();
  bool all_native = true;
  for (int round = 0; round < 3; ++round) {
    all_native = el0_state_is_native() && all_native;
    // On to a later window: the hostile guest runs in between.
    const uint64_t until = time_check::now() + 10'000 * per_us;
    while (time_check::now() < until) {
    }
  }
  kestrel::console_print(console, all_native ? "EL0 state was the native reset state in every round\n" : "FAILED\n");
  kestrel::console_print(console, "powering off\n");
  kestrel::system_off(power);
  kestrel::thread_exit();
}
