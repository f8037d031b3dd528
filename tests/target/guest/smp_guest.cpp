// SPDX-License-Identifier: Apache-2.0
// SMP guest: a bare-metal program whose first vCPU starts the second with
// PSCI CPU_ON (through its VMM) and waits for it to report its MPIDR and the
// context value it was started with. Then PSCI SYSTEM_OFF.
#include <cstdint>

namespace {

constexpr uint64_t uart_data = 0x0900'0000;  // emulated PL011 UARTDR
constexpr uint64_t psci_cpu_on = 0xc400'0003;
constexpr uint64_t psci_system_off = 0x8400'0008;
constexpr uint64_t context_value = 0x5eed;

// Written by vCPU 1, read by vCPU 0 (the MMU is off, so both see memory
// directly; the flag is written last).
volatile uint64_t reported_mpidr = 0;
volatile uint64_t reported_context = 0;
volatile uint32_t reported = 0;

void put(char c) { *reinterpret_cast<volatile uint32_t*>(uart_data) = static_cast<uint8_t>(c); }

void print(const char* text) {
  while (*text != '\0') put(*text++);
}

void print_hex(uint64_t value) {
  print("0x");
  for (int shift = 28; shift >= 0; shift -= 4) put("0123456789abcdef"[(value >> shift) & 0xf]);
}

uint64_t hypercall(uint64_t function, uint64_t a1 = 0, uint64_t a2 = 0, uint64_t a3 = 0) {
  register uint64_t x0 asm("x0") = function;
  register uint64_t x1 asm("x1") = a1;
  register uint64_t x2 asm("x2") = a2;
  register uint64_t x3 asm("x3") = a3;
  asm volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
  return x0;
}

uint64_t mpidr() {
  uint64_t value;
  asm volatile("mrs %0, mpidr_el1" : "=r"(value));
  return value;
}

}  // namespace

// The second vCPU's entry: a stack of its own, then C++.
asm(R"(
.section .text
.global secondary_start
secondary_start:
  adrp x1, secondary_stack_top
  add x1, x1, :lo12:secondary_stack_top
  mov sp, x1
  b secondary_main
.section .bss
.balign 16
secondary_stack:
  .skip 4096
secondary_stack_top:
)");

extern "C" char secondary_start[];

extern "C" [[noreturn]] void secondary_main(uint64_t context) {
  reported_mpidr = mpidr();
  reported_context = context;
  reported = 1;
  for (;;) asm volatile("wfi");  // nothing will wake it: it waits for good
}

extern "C" void guest_main() {
  print("vCPU 0 has MPIDR ");
  print_hex(mpidr() & 0xff'ffff);
  print("\n");
  const uint64_t result = hypercall(psci_cpu_on, 1, reinterpret_cast<uint64_t>(secondary_start), context_value);
  print(result == 0 ? "CPU_ON succeeded\n" : "CPU_ON FAILED\n");
  while (reported == 0) asm volatile("wfe");  // WFE gives up the CPU; vCPU 1 runs elsewhere anyway
  print("vCPU 1 reported MPIDR ");
  print_hex(reported_mpidr & 0xff'ffff);
  print(" and context ");
  print_hex(reported_context);
  print("\n");
  print(hypercall(psci_cpu_on, 1, reinterpret_cast<uint64_t>(secondary_start), 0) == 0 ? "second CPU_ON ACCEPTED\n"
                                                                                       : "second CPU_ON refused\n");
  hypercall(psci_system_off);
}
