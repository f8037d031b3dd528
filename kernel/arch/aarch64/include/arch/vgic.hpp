// SPDX-License-Identifier: Apache-2.0
// Vgic: a vCPU's virtual interrupts (GICv3 list registers and virtual CPU
// interface) and its virtual timer, saved and restored with the vCPU.
//
// List register 0 carries the guest's timer interrupt as a hardware
// interrupt: the physical timer interrupt stays active until the guest
// deactivates the virtual one, so a level-triggered timer cannot storm the
// kernel. The other list registers carry interrupts the guest's VMM injects;
// injections wait in a bitmap while those are full or the vCPU is not
// running.
#pragma once

#include <cstdint>

namespace kestrel::arch {

// Interrupt IDs a VMM may inject: SGIs, PPIs and the SPIs of QEMU's virt
// devices (UART 33 .. virtio-mmio 79).
inline constexpr uint32_t max_injected_intid = 127;

struct Vcpu_interrupts {
  uint64_t list[4];                   // ICH_LR<n>_EL2
  uint64_t control;                   // ICH_VMCR_EL2: the guest's priority mask, group enables
  uint64_t active_priorities;         // ICH_AP1R0_EL2
  uint64_t active_priorities_group0;  // ICH_AP0R0_EL2: a guest can write its ICV_AP0R0_EL1
  uint64_t pending[2];                // injected, not yet in a list register: bit n = INTID n
  uint64_t timer_control;             // CNTV_CTL_EL0
  uint64_t timer_compare;             // CNTV_CVAL_EL0
  bool timer_interrupt_active;        // the physical timer PPI was active at switch-out
};

namespace vgic {

// Once per CPU: how many list registers the CPU has, virtual interface off.
void init_this_cpu();

// Switching: loads `state` into the CPU (virtual interface and timer on), or
// saves the running vCPU's and leaves the timer and interface off.
void restore(const Vcpu_interrupts& state);
void save(Vcpu_interrupts& state);

// The running vCPU's timer fired (its PPI is acknowledged and priority
// dropped, still active): hand it to the guest through list register 0.
void inject_timer();

// Marks `intid` pending for a vCPU; live is true if that vCPU runs on this
// CPU now (its list registers are in the CPU).
void inject(Vcpu_interrupts& state, uint32_t intid, bool live);

// Moves waiting injections of the running vCPU into free list registers;
// asks for a maintenance interrupt if some still wait.
void flush(Vcpu_interrupts& state);

// The maintenance interrupt: list registers ran empty while injections
// wait; stops asking for it and refills them.
void refill(Vcpu_interrupts& state);

// The running vCPU has a virtual interrupt pending (its WFI would wake).
[[nodiscard]] bool live_interrupt_pending(const Vcpu_interrupts& state);

// A saved vCPU's virtual-timer deadline in physical counter ticks, or 0 if
// its timer is off or masked.
[[nodiscard]] uint64_t timer_deadline(const Vcpu_interrupts& state);

}  // namespace vgic
}  // namespace kestrel::arch
