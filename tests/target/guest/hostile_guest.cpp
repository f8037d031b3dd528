// SPDX-License-Identifier: Apache-2.0
// Hostile guest: sets every piece of EL1, EL0, debug and PMU state it can
// reach to values that would hurt whatever runs next on its CPU (the rows
// of docs/cpu-state.md), reports what the trapped registers read back, then
// spins so that its window ends with that state live. The native victim
// and the peer guest on the same CPU (state_victim.cpp, el1_peer_guest.cpp)
// must see none of it.
#include <cstdint>

#include "guest_console.hpp"

namespace {

using namespace guest;

// The victim's code and data (tests/target/images/hostile-guest.capnp).
constexpr uint64_t victim_entry = 0x20'0000;
constexpr uint64_t victim_data = 0x40'0000;
constexpr uint64_t hostile_word = 0x6b65'7374'7265'6c21;

// SCTLR_EL1 with the guest's MMU still off but every EL0 control hostile:
// big-endian EL0 (E0E), DAIF open to EL0 (UMA), and CTR_EL0, DC ZVA, cache
// maintenance, WFI and WFE all trapping (UCT, DZE, UCI, nTWI, nTWE clear).
constexpr uint64_t sctlr_res1 = 0x30d0'0800;
constexpr uint64_t sctlr_hostile = sctlr_res1 | (uint64_t{1} << 24) | (uint64_t{1} << 9);

void print_line(const char* text, uint64_t value) {
  print(text);
  print_hex(value);
  print("\n");
}

}  // namespace

extern "C" void guest_main() {
  // EL0-visible and EL0-governing EL1 state.
  asm volatile("msr sctlr_el1, %0\n isb" : : "r"(sctlr_hostile));
  asm volatile("msr tpidrro_el0, %0" : : "r"(hostile_word));
  asm volatile("msr tpidr_el0, %0" : : "r"(hostile_word));
  asm volatile("msr cntkctl_el1, %0" : : "r"(uint64_t{0x303}));  // EL0 may use both counters and both timers
  // EL1-only state another guest could read.
  asm volatile("msr tpidr_el1, %0" : : "r"(hostile_word));
  asm volatile("msr contextidr_el1, %0" : : "r"(uint64_t{0x1234}));
  asm volatile("msr par_el1, %0" : : "r"(hostile_word & ~uint64_t{1}));
  asm volatile("msr csselr_el1, %0" : : "r"(uint64_t{2}));
  asm volatile("msr actlr_el1, %0" : : "r"(~uint64_t{0}));
  // The virtual CPU interface: priority mask and active priorities.
  asm volatile("msr icc_pmr_el1, %0" : : "r"(uint64_t{0x10}));
  asm volatile("msr icc_ap0r0_el1, %0" : : "r"(uint64_t{1}));
  asm volatile("msr icc_ap1r0_el1, %0" : : "r"(uint64_t{1}));
  // The performance monitors, open to EL0 and counting.
  asm volatile("msr pmuserenr_el0, %0" : : "r"(uint64_t{0xf}));
  asm volatile("msr pmcr_el0, %0" : : "r"(uint64_t{1}));
  asm volatile("msr pmcntenset_el0, %0" : : "r"(uint64_t{1} << 31));
  // Debug: the OS lock open, a breakpoint on the victim's first instruction
  // and a watchpoint on its data, both for EL0; breakpoints, watchpoints
  // and single-step enabled (MDSCR_EL1.MDE, KDE, SS).
  asm volatile("msr oslar_el1, xzr");
  asm volatile("msr dbgbvr0_el1, %0" : : "r"(victim_entry));
  asm volatile("msr dbgbcr0_el1, %0" : : "r"(uint64_t{1} | (2 << 1) | (0xf << 5)));
  asm volatile("msr dbgwvr0_el1, %0" : : "r"(victim_data));
  asm volatile("msr dbgwcr0_el1, %0" : : "r"(uint64_t{1} | (2 << 1) | (3 << 3) | (0xff << 5)));
  asm volatile("msr mdscr_el1, %0\n isb" : : "r"((uint64_t{1} << 15) | (uint64_t{1} << 13) | 1));

  uint64_t value;
  asm volatile("mrs %0, pmuserenr_el0" : "=r"(value));
  print_line("hostile: PMUSERENR_EL0 reads ", value);
  asm volatile("mrs %0, mdscr_el1" : "=r"(value));
  print_line("hostile: MDSCR_EL1 reads ", value);
  asm volatile("mrs %0, oslsr_el1" : "=r"(value));
  print_line("hostile: OSLSR_EL1 reads ", value);
  asm volatile("mrs %0, dbgbcr0_el1" : "=r"(value));
  print_line("hostile: DBGBCR0_EL1 reads ", value);
  asm volatile("mrs %0, actlr_el1" : "=r"(value));
  print_line("hostile: ACTLR_EL1 reads ", value);
  asm volatile("mrs %0, s3_1_c15_c2_0" : "=r"(value));  // an IMPLEMENTATION DEFINED register (CPUACTLR_EL1)
  print_line("hostile: CPUACTLR_EL1 reads ", value);
  print("hostile: every register set, spinning\n");
  for (;;) asm volatile("" ::: "memory");
}
