// SPDX-License-Identifier: Apache-2.0
// CPU state: what the kernel sets, resets and traps so that no partition's
// CPU state reaches another (docs/cpu-state.md).
//
// The cheapest correct choice for each register: debug and PMU registers
// are trapped for everyone, so their real values never change after boot
// and need no switching; EL1 state is switched for vCPUs only (vcpu.cpp),
// and the few EL1 registers that govern EL0 are reset to fixed values after
// a vCPU ran, never on a switch between native threads.
#include <arch/cpu_state.hpp>
#include <arch/sysreg.hpp>
#include <arch/vcpu.hpp>
#include <kestrel/bitfield.hpp>
#include <kestrel/thread.hpp>
#include <kestrel/virtual_interrupts.hpp>

namespace kestrel::arch {
namespace {

// SCTLR_EL1 for native threads. With HCR_EL2.TGE = 1 only its M bit is
// ignored: its EL0 controls still apply, so a guest's value must not stay.
// Little-endian at EL0 (E0E clear); EL0 may read CTR_EL0 (UCT), zero
// blocks with DC ZVA (DZE) and clean or invalidate its own lines by VA
// (UCI), which stage 2 confines to its own memory; no DAIF access (UMA
// clear); SP alignment checked (SA0); WFI and WFE reach HCR_EL2's traps
// (nTWI, nTWE). RES1 bits of Armv8.0 set.
constexpr uint64_t sctlr_res1 = 0x30d0'0800;
using Sctlr_sa = Bitflag<3>;
using Sctlr_sa0 = Bitflag<4>;
using Sctlr_dze = Bitflag<14>;
using Sctlr_uct = Bitflag<15>;
using Sctlr_ntwi = Bitflag<16>;
using Sctlr_ntwe = Bitflag<18>;
using Sctlr_uci = Bitflag<26>;
constexpr uint64_t sctlr_native = sctlr_res1 | Sctlr_sa::bits(1) | Sctlr_sa0::bits(1) | Sctlr_dze::bits(1) |
                                  Sctlr_uct::bits(1) | Sctlr_ntwi::bits(1) | Sctlr_ntwe::bits(1) | Sctlr_uci::bits(1);

// CNTKCTL_EL1 for native threads (with TGE set it still governs EL0): they
// may read the virtual counter and its frequency (EL0VCTEN), as on seL4;
// the physical counter and the timers stay the kernel's.
constexpr uint64_t cntkctl_native = Bitflag<1>::bits(1);
// CPACR_EL1.FPEN 0b11: with TGE set (and E2H clear) it still applies at
// EL0, where a trap would reach EL2 as an unknown instruction; open, so
// that only CPTR_EL2.TFP decides (lazy switching, arch/fp.hpp). A guest's
// value must not stay.
constexpr uint64_t cpacr_native = Bitfield<20, 2>::bits(3);

// MDCR_EL2 fields.
using Mdcr_hpmn = Bitfield<0, 5>;  // counters 0..HPMN-1 belong to EL1/EL0
using Mdcr_tpmcr = Bitflag<5>;     // PMCR_EL0 accesses trap
using Mdcr_tpm = Bitflag<6>;       // every PMU register access traps
using Mdcr_tda = Bitflag<9>;       // debug register accesses trap (DCC too)
using Mdcr_tdosa = Bitflag<10>;    // OS lock and power-down register accesses trap
using Mdcr_tdra = Bitflag<11>;     // debug ROM address register accesses trap
using Pmcr_counters = Bitfield<11, 5>;

constexpr uint64_t mdcr_debug_trapped = Mdcr_tda::bits(1) | Mdcr_tdosa::bits(1) | Mdcr_tdra::bits(1);
constexpr uint64_t mdcr_pmu_trapped = Mdcr_tpm::bits(1) | Mdcr_tpmcr::bits(1);

// ID_AA64DFR0_EL1: how many breakpoints and watchpoints (minus one).
using Dfr0_breakpoints = Bitfield<12, 4>;
using Dfr0_watchpoints = Bitfield<20, 4>;

// Breakpoint (kind b) or watchpoint (kind w) n off: its control and value
// registers zero. The register number is part of the instruction, hence a
// case per number.
#define KESTREL_CLEAR_DEBUG_PAIR(kind, n)                                                  \
  case n:                                                                                  \
    asm volatile("msr dbg" #kind "cr" #n "_el1, xzr\n msr dbg" #kind "vr" #n "_el1, xzr"); \
    break;
// (clang-format does not settle on a layout for this macro.)
// clang-format off
#define KESTREL_CLEAR_DEBUG_PAIRS(kind) \
  KESTREL_CLEAR_DEBUG_PAIR(kind, 0) KESTREL_CLEAR_DEBUG_PAIR(kind, 1) \
  KESTREL_CLEAR_DEBUG_PAIR(kind, 2) KESTREL_CLEAR_DEBUG_PAIR(kind, 3) \
  KESTREL_CLEAR_DEBUG_PAIR(kind, 4) KESTREL_CLEAR_DEBUG_PAIR(kind, 5) \
  KESTREL_CLEAR_DEBUG_PAIR(kind, 6) KESTREL_CLEAR_DEBUG_PAIR(kind, 7) \
  KESTREL_CLEAR_DEBUG_PAIR(kind, 8) KESTREL_CLEAR_DEBUG_PAIR(kind, 9) \
  KESTREL_CLEAR_DEBUG_PAIR(kind, 10) KESTREL_CLEAR_DEBUG_PAIR(kind, 11) \
  KESTREL_CLEAR_DEBUG_PAIR(kind, 12) KESTREL_CLEAR_DEBUG_PAIR(kind, 13) \
  KESTREL_CLEAR_DEBUG_PAIR(kind, 14) KESTREL_CLEAR_DEBUG_PAIR(kind, 15)
// clang-format on

void clear_breakpoint(unsigned n) {
  switch (n) {
    KESTREL_CLEAR_DEBUG_PAIRS(b)
    default:
      break;
  }
}

void clear_watchpoint(unsigned n) {
  switch (n) {
    KESTREL_CLEAR_DEBUG_PAIRS(w)
    default:
      break;
  }
}
#undef KESTREL_CLEAR_DEBUG_PAIRS
#undef KESTREL_CLEAR_DEBUG_PAIR

// A trapped system-register access (ESR class 0x18): its ISS fields.
using Sysreg_op0 = Bitfield<20, 2>;
using Sysreg_op2 = Bitfield<17, 3>;
using Sysreg_op1 = Bitfield<14, 3>;
using Sysreg_crn = Bitfield<10, 4>;
using Sysreg_rt = Bitfield<5, 5>;
using Sysreg_crm = Bitfield<1, 4>;
using Sysreg_read = Bitflag<0>;

struct Sysreg_access {
  uint64_t op0, op1, crn, crm, op2;
  bool is(uint64_t o0, uint64_t o1, uint64_t n, uint64_t m, uint64_t o2) const {
    return op0 == o0 && op1 == o1 && crn == n && crm == m && op2 == o2;
  }
  bool debug() const { return op0 == 2; }  // every debug register, DCC included
  bool pmu() const {
    return (op0 == 3 && op1 == 3 && crn == 9 && crm >= 12) ||  // PMCR_EL0 .. PMOVSSET_EL0, PMUSERENR_EL0
           (op0 == 3 && op1 == 3 && crn == 14 && crm >= 8) ||  // PMEVCNTR<n>, PMEVTYPER<n>, PMCCFILTR
           (op0 == 3 && op1 == 0 && crn == 9 && crm == 14);    // PMINTENSET_EL1, PMINTENCLR_EL1
  }
  bool auxiliary_control() const { return is(3, 0, 1, 0, 1); }  // ACTLR_EL1 (HCR_EL2.TACR)
  // ICC_SGI1R_EL1, ICC_ASGI1R_EL1 and ICC_SGI0R_EL1: always trapped while
  // HCR_EL2.IMO and FMO are set.
  bool group1_sgi() const { return is(3, 0, 12, 11, 5) || is(3, 1, 12, 11, 6); }
  bool group0_sgi() const { return is(3, 2, 12, 11, 7); }
  // DC ISW, DC CSW, DC CISW (HCR_EL2.TSW).
  bool set_way_maintenance() const {
    return op0 == 1 && op1 == 0 && crn == 7 && (crm == 6 || crm == 10 || crm == 14) && op2 == 2;
  }
  bool implementation_defined() const { return op0 == 3 && (crn == 11 || crn == 15); }  // HCR_EL2.TIDCP
};

// ICC_SGI1R_EL1 fields. A vCPU's affinity is Aff0 = index % 16, Aff1 =
// index / 16 (vcpu.hpp), so a target list (Aff0 bits) reaches vCPUs Aff1 *
// 16 + n; range selectors and Aff2/Aff3 other than 0 name no vCPU.
using Sgi_target_list = Bitfield<0, 16>;
using Sgi_affinity1 = Bitfield<16, 8>;
using Sgi_intid = Bitfield<24, 4>;
using Sgi_affinity2 = Bitfield<32, 8>;
using Sgi_all_others = Bitflag<40>;  // IRM
using Sgi_range = Bitfield<44, 4>;
using Sgi_affinity3 = Bitfield<48, 8>;

void send_sgi_from_guest(Thread& vcpu, uint64_t value) {
  const auto intid = static_cast<uint32_t>(Sgi_intid::get(value));
  if (Sgi_all_others::get(value) != 0) {
    send_virtual_sgi(vcpu, intid, true, 0, 0);
  } else if (Sgi_affinity2::get(value) == 0 && Sgi_affinity3::get(value) == 0 && Sgi_range::get(value) == 0) {
    send_virtual_sgi(vcpu, intid, false, static_cast<uint32_t>(Sgi_affinity1::get(value)) * 16,
                     static_cast<uint16_t>(Sgi_target_list::get(value)));
  }
}

}  // namespace

void prepare_cpu_state() {
  uint64_t pmcr;
  asm volatile("mrs %0, pmcr_el0" : "=r"(pmcr));
  // The same for native threads and vCPUs, so it is written once here and
  // never on a switch.
  const uint64_t mdcr = Mdcr_hpmn::bits(Pmcr_counters::get(pmcr)) | mdcr_debug_trapped |
                        (pmu_open_to_partitions() ? 0 : mdcr_pmu_trapped);

  // The OS lock disables every debug exception but BRK; MDSCR_EL1 zero
  // turns breakpoints, watchpoints and single-step off as well.
  asm volatile("msr oslar_el1, %0" : : "r"(uint64_t{1}));
  asm volatile("msr mdscr_el1, xzr");
  uint64_t dfr0;
  asm volatile("mrs %0, id_aa64dfr0_el1" : "=r"(dfr0));
  for (unsigned n = 0; n <= Dfr0_breakpoints::get(dfr0); ++n) clear_breakpoint(n);
  for (unsigned n = 0; n <= Dfr0_watchpoints::get(dfr0); ++n) clear_watchpoint(n);
  asm volatile("msr mdcr_el2, %0" : : "r"(mdcr));
  // Guests read the CPU's own MIDR_EL1 (VPIDR_EL2 resets to an UNKNOWN value).
  asm volatile("msr vpidr_el2, %0" : : "r"(read_midr()));
  reset_el0_state_after_guest();
}

void reset_el0_state_after_guest() {
  asm volatile("msr sctlr_el1, %0" : : "r"(sctlr_native));
  asm volatile("msr tpidrro_el0, xzr");
  asm volatile("msr cntkctl_el1, %0" : : "r"(cntkctl_native));
  asm volatile("msr cpacr_el1, %0" : : "r"(cpacr_native));
}

bool emulate_guest_system_register(Exception_frame& frame, Thread& vcpu) {
  const uint64_t iss = Esr_iss::get(frame.esr);
  const Sysreg_access access{Sysreg_op0::get(iss), Sysreg_op1::get(iss), Sysreg_crn::get(iss), Sysreg_crm::get(iss),
                             Sysreg_op2::get(iss)};
  if (!access.debug() && !access.pmu() && !access.auxiliary_control() && !access.implementation_defined() &&
      !access.group1_sgi() && !access.group0_sgi() && !access.set_way_maintenance()) {
    return false;
  }
  const auto rt = static_cast<unsigned>(Sysreg_rt::get(iss));
  const bool read = Sysreg_read::get(iss) != 0;
  const uint64_t written = rt == 31 ? 0 : frame.x[rt];
  Vcpu_registers& shadow = vcpu.vcpu_registers;
  uint64_t value = 0;
  if (access.is(2, 0, 0, 2, 2)) {  // MDSCR_EL1: kept, never applied
    if (read) {
      value = shadow.mdscr_shadow;
    } else {
      shadow.mdscr_shadow = written;
    }
  } else if (access.is(2, 0, 1, 0, 4)) {  // OSLAR_EL1
    shadow.os_lock_shadow = written & 1;
  } else if (access.is(2, 0, 1, 1, 4)) {  // OSLSR_EL1: the OS lock is implemented (OSLM 0b10)
    value = Bitflag<3>::bits(1) | Bitflag<1>::bits(shadow.os_lock_shadow);
  } else if (access.group1_sgi() && !read) {
    send_sgi_from_guest(vcpu, written);
  }
  // Group 0 SGIs are ignored: a guest's group 0 is never enabled, since the
  // kernel injects every interrupt as group 1. Set/way maintenance is a
  // no-op (docs/cpu-state.md): it would act on every partition's lines.
  if (read && rt != 31) frame.x[rt] = value;
  frame.elr += 4;
  return true;
}

}  // namespace kestrel::arch
