// SPDX-License-Identifier: Apache-2.0
// EL1 peer guest: runs after the hostile guest (hostile_guest.cpp) on the
// same CPU and checks, three windows in a row, that the EL1 and EL0 state
// it can read is its own reset state, not what the hostile guest left.
#include <cstdint>

#include "guest_console.hpp"

namespace {

using namespace guest;

struct Expected {
  const char* name;
  uint64_t value;
  uint64_t expected;
};

uint64_t virtual_counter() {
  uint64_t value;
  asm volatile("isb\n mrs %0, cntvct_el0" : "=r"(value));
  return value;
}

bool state_is_reset() {
  uint64_t sctlr, tpidrro, tpidr0, cntkctl, tpidr1, contextidr, par, csselr, pmuserenr, mdscr, pmr, ap0, ap1;
  asm volatile("mrs %0, icc_pmr_el1" : "=r"(pmr));
  asm volatile("mrs %0, icc_ap0r0_el1" : "=r"(ap0));
  asm volatile("mrs %0, icc_ap1r0_el1" : "=r"(ap1));
  asm volatile("mrs %0, sctlr_el1" : "=r"(sctlr));
  asm volatile("mrs %0, tpidrro_el0" : "=r"(tpidrro));
  asm volatile("mrs %0, tpidr_el0" : "=r"(tpidr0));
  asm volatile("mrs %0, cntkctl_el1" : "=r"(cntkctl));
  asm volatile("mrs %0, tpidr_el1" : "=r"(tpidr1));
  asm volatile("mrs %0, contextidr_el1" : "=r"(contextidr));
  asm volatile("mrs %0, par_el1" : "=r"(par));
  asm volatile("mrs %0, csselr_el1" : "=r"(csselr));
  asm volatile("mrs %0, pmuserenr_el0" : "=r"(pmuserenr));
  asm volatile("mrs %0, mdscr_el1" : "=r"(mdscr));
  const Expected checks[] = {
      {"SCTLR_EL1", sctlr, 0x30d0'0800},
      {"TPIDRRO_EL0", tpidrro, 0},
      {"TPIDR_EL0", tpidr0, 0},
      {"CNTKCTL_EL1", cntkctl, 0},
      {"TPIDR_EL1", tpidr1, 0},
      {"CONTEXTIDR_EL1", contextidr, 0},
      {"PAR_EL1", par, 0},
      {"CSSELR_EL1", csselr, 0},
      {"PMUSERENR_EL0", pmuserenr, 0},
      {"MDSCR_EL1", mdscr, 0},
      {"ICC_PMR_EL1", pmr, 0},
      {"ICC_AP0R0_EL1", ap0, 0},
      {"ICC_AP1R0_EL1", ap1, 0},
  };
  bool all_reset = true;
  for (const Expected& check : checks) {
    if (check.value == check.expected) continue;
    all_reset = false;
    print("peer: LEAKED ");
    print(check.name);
    print(" = ");
    print_hex(check.value);
    print("\n");
  }
  return all_reset;
}

}  // namespace

extern "C" void guest_main() {
  uint64_t frequency;
  asm volatile("mrs %0, cntfrq_el0" : "=r"(frequency));
  bool all_reset = true;
  for (int round = 0; round < 3; ++round) {
    all_reset = state_is_reset() && all_reset;
    // On to a later window: the hostile guest runs in between.
    const uint64_t until = virtual_counter() + frequency / 100;
    while (virtual_counter() < until) {
    }
  }
  print(all_reset ? "peer: EL1 and EL0 state was the peer's own reset state in every round\n" : "peer: FAILED\n");
  for (;;) asm volatile("wfi");
}
