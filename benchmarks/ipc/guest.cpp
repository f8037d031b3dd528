// SPDX-License-Identifier: Apache-2.0
// IPC benchmark guest: a bare-metal program at EL1 (start-up and linker
// script from tests/target/guest) that times the round trip of an MMIO exit
// to its user-level VMM (vmm.cpp): counter read, a store to an emulated
// register, counter read; and its virtual timer's interrupt, from a spin
// loop to its handler (guest_timer.S). It prints its RESULT lines through
// the emulated PL011, then asks for PSCI SYSTEM_OFF.
#include <cstdint>

#include "bench.hpp"

namespace {

namespace bench = kestrel::bench;

constexpr uint64_t uart_data = 0x0900'0000;       // emulated PL011 UARTDR
constexpr uint64_t bench_register = 0x0a00'0000;  // the VMM answers stores here at once
constexpr uint64_t psci_system_off = 0x8400'0008;

uint64_t samples[bench::rounds];

// The virtual timer fires this many counter ticks after it is armed (a few
// hundred instructions under -icount shift=0: well inside the spin loop).
constexpr uint64_t timer_delay_ticks = 16;

void put(char c) { *reinterpret_cast<volatile uint32_t*>(uart_data) = static_cast<uint8_t>(c); }

void print(const char* text, uint64_t length) {
  for (uint64_t i = 0; i < length; ++i) put(text[i]);
}

void print(const char* text) {
  while (*text != '\0') put(*text++);
}

// The instructions from before the store to after it, the exit included.
uint64_t timed_store() {
  uint64_t start;
  uint64_t end;
  asm volatile("mrs %[start], pmccntr_el0\n\tstr %w[value], [%[address]]\n\tmrs %[end], pmccntr_el0"
               : [start] "=&r"(start), [end] "=r"(end)
               : [value] "r"(1), [address] "r"(bench_register)
               : "memory");
  return end - start;
}

// The same with a nop for the store.
uint64_t overhead() {
  uint64_t best = ~uint64_t{0};
  for (uint64_t i = 0; i < bench::overhead_runs; ++i) {
    uint64_t start;
    uint64_t end;
    asm volatile("mrs %[start], pmccntr_el0\n\tnop\n\tmrs %[end], pmccntr_el0"
                 : [start] "=&r"(start), [end] "=r"(end)
                 :
                 : "memory");
    if (end - start < best) best = end - start;
  }
  return best;
}

uint64_t virtual_count() {
  uint64_t value;
  asm volatile("isb\n mrs %0, cntvct_el0" : "=r"(value));
  return value;
}

}  // namespace

extern "C" uint64_t timer_round(uint64_t deadline);  // guest_timer.S
extern "C" char timer_vectors[];

extern "C" [[noreturn]] void guest_unexpected(uint64_t vector) {
  print("FAILED: unexpected exception at EL1\n");
  (void)vector;
  register uint64_t x0 asm("x0") = psci_system_off;
  asm volatile("hvc #0" : "+r"(x0) : : "memory");
  for (;;) asm volatile("wfi");
}

// The virtual timer's interrupt through the vGIC: the kernel lists it in a
// list register as a hardware interrupt when it fires while the guest runs.
void time_the_virtual_timer() {
  asm volatile("msr vbar_el1, %0\n isb" : : "r"(timer_vectors));
  // The virtual CPU interface: every priority admitted, Group 1 on.
  asm volatile("msr icc_pmr_el1, %0\n msr icc_igrpen1_el1, %1\n isb" : : "r"(uint64_t{0xff}), "r"(uint64_t{1}));
  for (uint64_t i = 0; i < bench::rounds; ++i) samples[i] = timer_round(virtual_count() + timer_delay_ticks);
  const bench::Line line = bench::result_line("vtimer_to_guest_handler", samples, 0);
  print(line.text, line.length);
}

extern "C" void guest_main() {
  uint64_t current_el;
  asm volatile("mrs %0, CurrentEL" : "=r"(current_el));
  if (((current_el >> 2) & 3) != 1) print("FAILED: the guest is not at EL1\n");
  const uint64_t cost = overhead();
  for (uint64_t i = 0; i < bench::rounds; ++i) samples[i] = timed_store() - cost;
  const bench::Line line = bench::result_line("vm_mmio_exit_round_trip", samples, cost);
  print(line.text, line.length);
  time_the_virtual_timer();
  register uint64_t x0 asm("x0") = psci_system_off;
  asm volatile("hvc #0" : "+r"(x0) : : "memory");
}
