// SPDX-License-Identifier: Apache-2.0
// Vcpu: the EL1 register state a vCPU owns, which the kernel switches when a
// vCPU runs (native threads have none: they run with HCR_EL2.TGE = 1).
#pragma once

#include <cstdint>

namespace kestrel::arch {

struct Vcpu_registers {
  uint64_t sctlr_el1;
  uint64_t ttbr0_el1;
  uint64_t ttbr1_el1;
  uint64_t tcr_el1;
  uint64_t mair_el1;
  uint64_t amair_el1;
  uint64_t vbar_el1;
  uint64_t contextidr_el1;
  uint64_t tpidr_el1;
  uint64_t tpidrro_el0;
  uint64_t sp_el1;
  uint64_t elr_el1;
  uint64_t spsr_el1;
  uint64_t esr_el1;
  uint64_t far_el1;
  uint64_t afsr0_el1;
  uint64_t afsr1_el1;
  uint64_t par_el1;
  uint64_t cpacr_el1;
  uint64_t cntkctl_el1;
  uint64_t csselr_el1;
  // Not saved (it never changes): the MPIDR_EL1 the guest reads, VMPIDR_EL2.
  uint64_t virtual_mpidr;
  // The guest's debug registers are trapped (cpu_state.hpp): what it last
  // wrote to MDSCR_EL1 and the OS lock, returned on reads, never applied.
  uint64_t mdscr_shadow;
  uint64_t os_lock_shadow;

  // vCPU `index` of its VM out of reset: MMU and caches off (SCTLR_EL1 holds
  // only its RES1 bits), everything else zero, and an MPIDR whose affinity
  // is its index (Aff0 = index % 16, Aff1 = index / 16, as QEMU numbers
  // CPUs; bit 31 is RES1).
  static constexpr Vcpu_registers at_reset(uint32_t index) {
    Vcpu_registers registers{};
    registers.sctlr_el1 = 0x30d0'0800;
    registers.virtual_mpidr = (uint64_t{1} << 31) | ((index / 16) << 8) | (index % 16);
    registers.os_lock_shadow = 1;  // locked out of reset, as on hardware
    return registers;
  }
};

void save_vcpu_registers(Vcpu_registers& registers);
void restore_vcpu_registers(const Vcpu_registers& registers);

}  // namespace kestrel::arch
