// SPDX-License-Identifier: Apache-2.0
// Sysreg: accessors for the AArch64 system registers the kernel uses, and
// their fields.
#pragma once

#include <cstdint>

#include <kestrel/bitfield.hpp>

namespace kestrel::arch {

#define KESTREL_SYSREG_READ(function, reg)       \
  inline uint64_t function() {                   \
    uint64_t value;                              \
    asm volatile("mrs %0, " #reg : "=r"(value)); \
    return value;                                \
  }
#define KESTREL_SYSREG_WRITE(function, reg) \
  inline void function(uint64_t value) { asm volatile("msr " #reg ", %0" : : "r"(value)); }

KESTREL_SYSREG_READ(read_current_el, CurrentEL)
KESTREL_SYSREG_READ(read_mpidr, mpidr_el1)
KESTREL_SYSREG_READ(read_midr, midr_el1)
KESTREL_SYSREG_READ(read_counter, cntpct_el0)
KESTREL_SYSREG_READ(read_counter_frequency, cntfrq_el0)
KESTREL_SYSREG_READ(read_esr_el2, esr_el2)
KESTREL_SYSREG_READ(read_vbar_el2, vbar_el2)

#undef KESTREL_SYSREG_READ
#undef KESTREL_SYSREG_WRITE

using Current_el = Bitfield<2, 2>;  // CurrentEL.EL

// ESR_ELx: exception syndrome.
using Esr_class = Bitfield<26, 6>;              // EC
using Esr_iss = Bitfield<0, 25>;                // ISS
using Data_abort_far_not_valid = Bitflag<10>;   // ISS.FnV of a data abort
using Data_abort_syndrome_valid = Bitflag<24>;  // ISS.ISV: access size, register and direction are valid

// Exception classes (ESR_ELx.EC) the kernel names.
enum class Exception_class : uint8_t {
  unknown = 0x00,
  wfi_wfe = 0x01,
  fp_simd_access = 0x07,
  illegal_state = 0x0e,
  svc_aarch64 = 0x15,
  hvc_aarch64 = 0x16,
  smc_aarch64 = 0x17,
  sysreg_trap = 0x18,
  instruction_abort_lower = 0x20,
  instruction_abort_same = 0x21,
  pc_alignment = 0x22,
  data_abort_lower = 0x24,
  data_abort_same = 0x25,
  sp_alignment = 0x26,
  serror = 0x2f,
  breakpoint_lower = 0x30,
  software_step_lower = 0x32,
  watchpoint_lower = 0x34,
  bkpt_aarch32 = 0x38,
  brk_aarch64 = 0x3c,
};

inline void instruction_barrier() { asm volatile("isb" ::: "memory"); }
inline void data_sync_barrier() { asm volatile("dsb sy" ::: "memory"); }
inline void send_event() { asm volatile("sev" ::: "memory"); }
inline void wait_for_event() { asm volatile("wfe" ::: "memory"); }

}  // namespace kestrel::arch
