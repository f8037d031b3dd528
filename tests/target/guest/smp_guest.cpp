// SPDX-License-Identifier: Apache-2.0
// SMP guest: a bare-metal program whose first vCPU starts the second with
// PSCI CPU_ON (through its VMM) and waits for it to report its MPIDR and the
// context value it was started with. Then PSCI SYSTEM_OFF.
#include <cstdint>

#include "guest_console.hpp"

namespace {

using namespace guest;

constexpr uint64_t context_value = 0x5eed;

// Written by vCPU 1, read by vCPU 0 (the MMU is off, so both see memory
// directly; the flag is written last).
volatile uint64_t reported_mpidr = 0;
volatile uint64_t reported_context = 0;
volatile uint32_t reported = 0;

uint64_t mpidr() {
  uint64_t value;
  asm volatile("mrs %0, mpidr_el1" : "=r"(value));
  return value;
}

}  // namespace

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
