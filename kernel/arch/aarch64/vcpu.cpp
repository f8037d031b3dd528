// SPDX-License-Identifier: Apache-2.0
// Vcpu: switching EL1 state and the hypervisor controls between native
// threads and guests, and what a guest's trap means.
#include <arch/exception.hpp>
#include <arch/sysreg.hpp>
#include <arch/vcpu.hpp>
#include <kestrel/abi/syscall.hpp>
#include <kestrel/arch.hpp>
#include <kestrel/notification.hpp>
#include <kestrel/thread.hpp>
#include <kestrel/user_exception.hpp>

namespace kestrel::arch {
namespace {

// One macro per register keeps the save and restore lists from drifting
// apart.
// (clang-format does not settle on a layout for this macro.)
// clang-format off
#define KESTREL_VCPU_REGISTERS(X) \
  X(sctlr_el1) \
  X(ttbr0_el1) \
  X(ttbr1_el1) \
  X(tcr_el1) \
  X(mair_el1) \
  X(amair_el1) \
  X(vbar_el1) \
  X(contextidr_el1) \
  X(tpidr_el1) \
  X(tpidrro_el0) \
  X(sp_el1) \
  X(elr_el1) \
  X(spsr_el1) \
  X(esr_el1) \
  X(far_el1) \
  X(afsr0_el1) \
  X(afsr1_el1) \
  X(par_el1) \
  X(cpacr_el1) \
  X(cntkctl_el1) \
  X(csselr_el1)
// clang-format on

// HCR_EL2 while a vCPU runs: stage 2 on, interrupts and aborts to EL2, SMC,
// WFI and WFE trapped, ACTLR_EL1 and the IMPLEMENTATION DEFINED registers
// trapped (they would change the CPU for every partition), set/way cache
// maintenance trapped (it would act on every partition's cache lines), EL1
// in AArch64; no TGE, so the guest has EL1. ID registers are not trapped
// (TID3 clear): guests see the CPU's own features (docs/cpu-state.md).
constexpr uint64_t hcr_guest = Bitflag<0>::bits(1)      // VM
                               | Bitflag<1>::bits(1)    // SWIO
                               | Bitflag<3>::bits(1)    // FMO
                               | Bitflag<4>::bits(1)    // IMO
                               | Bitflag<5>::bits(1)    // AMO
                               | Bitflag<13>::bits(1)   // TWI
                               | Bitflag<14>::bits(1)   // TWE
                               | Bitflag<19>::bits(1)   // TSC
                               | Bitflag<20>::bits(1)   // TIDCP
                               | Bitflag<21>::bits(1)   // TACR
                               | Bitflag<22>::bits(1)   // TSW
                               | Bitflag<31>::bits(1);  // RW

// Trapped MRS/MSR syndrome (ISS) fields.
using Sysreg_op0 = Bitfield<20, 2>;
using Sysreg_op2 = Bitfield<17, 3>;
using Sysreg_op1 = Bitfield<14, 3>;
using Sysreg_crn = Bitfield<10, 4>;
using Sysreg_rt = Bitfield<5, 5>;
using Sysreg_crm = Bitfield<1, 4>;
using Sysreg_read = Bitflag<0>;

// Data abort syndrome (ISS) fields.
using Abort_access_size = Bitfield<22, 2>;  // SAS: 1 << SAS bytes
using Abort_register = Bitfield<16, 5>;     // SRT
using Abort_write = Bitflag<6>;             // WnR

uint64_t read_hpfar_el2() {
  uint64_t value;
  asm volatile("mrs %0, hpfar_el2" : "=r"(value));
  return value;
}

// The guest-physical address of a stage-2 fault: HPFAR_EL2 holds its page,
// FAR its offset.
uint64_t guest_fault_ipa(const Exception_frame& frame) { return ((read_hpfar_el2() >> 4) << 12) | (frame.far & 0xfff); }

}  // namespace

void save_vcpu_registers(Vcpu_registers& registers) {
#define KESTREL_SAVE(reg) asm volatile("mrs %0, " #reg : "=r"(registers.reg));
  KESTREL_VCPU_REGISTERS(KESTREL_SAVE)
#undef KESTREL_SAVE
}

void restore_vcpu_registers(const Vcpu_registers& registers) {
#define KESTREL_RESTORE(reg) asm volatile("msr " #reg ", %0" : : "r"(registers.reg));
  KESTREL_VCPU_REGISTERS(KESTREL_RESTORE)
#undef KESTREL_RESTORE
  asm volatile("msr vmpidr_el2, %0" : : "r"(registers.virtual_mpidr));
  instruction_barrier();
}

uint64_t hcr_for_guests() { return hcr_guest; }

// The exception entry a CPU makes for an undefined instruction at EL1 or
// EL0 (the Arm ARM's "synchronous exception to EL1"): syndrome, return
// address and state into ESR_EL1, ELR_EL1 and SPSR_EL1, then EL1 with its
// own stack pointer and every interrupt masked, at the vector for where it
// came from.
void vcpu_take_undefined(Thread& vcpu) {
  constexpr uint64_t esr_unknown_32bit = uint64_t{1} << 25;  // EC 0 (unknown reason), IL 1
  constexpr uint64_t mode_el1t = 0b0100;
  constexpr uint64_t mode_el1h = 0b0101;
  const uint64_t mode = vcpu.context.spsr & 0xf;
  const uint64_t vector_offset = mode == mode_el1h ? 0x200 : mode == mode_el1t ? 0x000 : 0x400;
  Vcpu_registers& el1 = vcpu.vcpu_registers;
  el1.esr_el1 = esr_unknown_32bit;
  el1.elr_el1 = vcpu.context.elr;
  el1.spsr_el1 = vcpu.context.spsr;
  vcpu.context.elr = el1.vbar_el1 + vector_offset;
  vcpu.context.spsr = 0x3c0 | mode_el1h;  // D, A, I, F masked
}

bool take_guest_doorbell(Exception_frame& frame, Thread& vcpu) {
  return Abort_write::get(Esr_iss::get(frame.esr)) != 0 && ring_guest_doorbell(vcpu, guest_fault_ipa(frame), frame.elr);
}

// A guest's trap as an exit for its VMM. Returns false for what the kernel
// handles itself (WFI, WFE).
bool decode_vm_exit(const Exception_frame& frame, Thread& vcpu) {
  const auto exception_class = static_cast<Exception_class>(Esr_class::get(frame.esr));
  const uint64_t iss = Esr_iss::get(frame.esr);
  auto exit = [&](abi::Exit_kind kind, uint64_t address, uint64_t value, uint64_t size, uint32_t advance,
                  uint64_t extra = 0) {
    vcpu.message[0] = abi::message_info(abi::kernel_label_base + static_cast<uint64_t>(kind), 5);
    vcpu.message[1] = vcpu.vcpu_index();
    vcpu.message[2] = address;
    vcpu.message[3] = value;
    vcpu.message[4] = size;
    vcpu.message[5] = extra;
    vcpu.resume_advance = advance;
    return true;
  };
  vcpu.exit_register = 31;
  switch (exception_class) {
    case Exception_class::wfi_wfe:
      return false;
    case Exception_class::data_abort_lower:
      if (Data_abort_syndrome_valid::get(iss) != 0) {
        const uint64_t ipa = guest_fault_ipa(frame);
        const auto reg = static_cast<uint32_t>(Abort_register::get(iss));
        const uint64_t size = uint64_t{1} << Abort_access_size::get(iss);
        if (Abort_write::get(iss) != 0) {
          return exit(abi::Exit_kind::mmio_write, ipa, reg == 31 ? 0 : frame.x[reg], size, 4);
        }
        vcpu.exit_register = reg;
        return exit(abi::Exit_kind::mmio_read, ipa, 0, size, 4);
      }
      return exit(abi::Exit_kind::other, frame.far, 0, frame.esr, 0);
    case Exception_class::sysreg_trap: {  // one the kernel does not emulate (cpu_state.cpp)
      const auto rt = static_cast<uint32_t>(Sysreg_rt::get(iss));
      const bool read = Sysreg_read::get(iss) != 0;
      const uint64_t id = abi::system_register_id(Sysreg_op0::get(iss), Sysreg_op1::get(iss), Sysreg_crn::get(iss),
                                                  Sysreg_crm::get(iss), Sysreg_op2::get(iss));
      exit(abi::Exit_kind::system_register, id, read || rt == 31 ? 0 : frame.x[rt], read ? 1 : 0, 4, rt);
      if (read) vcpu.exit_register = rt;
      return true;
    }
    // A hypercall's words: the guest's x0-x3 (function and three
    // arguments, as SMCCC and PSCI use them).
    case Exception_class::hvc_aarch64:  // ELR is already past the HVC
      return exit(abi::Exit_kind::hypercall, frame.x[0], frame.x[1], frame.x[2], 0, frame.x[3]);
    case Exception_class::smc_aarch64:  // trapped by TSC: ELR is the SMC itself
      return exit(abi::Exit_kind::hypercall, frame.x[0], frame.x[1], frame.x[2], 4, frame.x[3]);
    default:
      return exit(abi::Exit_kind::other, frame.far, 0, frame.esr, 0);
  }
}

}  // namespace kestrel::arch
