// SPDX-License-Identifier: Apache-2.0
// Vgic: a vCPU's virtual interrupts (GICv3 list registers and virtual CPU
// interface) and its virtual timer, saved and restored with the vCPU.
//
// List register 0 carries the guest's timer interrupt as a hardware
// interrupt: the physical timer interrupt stays active until the guest
// deactivates the virtual one, so a level-triggered timer cannot storm the
// kernel. The other list registers (every one the CPU has) carry interrupts
// the guest's VMM injects and SGIs between the VM's vCPUs; injections wait
// in a bitmap of every INTID while those are full or the vCPU is not
// running, and the maintenance interrupt refills them.
#pragma once

#include <cstdint>

namespace kestrel::arch {

// Interrupt IDs a vCPU can be given: SGIs, PPIs and every SPI (32-1019).
inline constexpr uint32_t max_injected_intid = 1019;
// GICv3 allows at most 16 list registers and 4 active-priority registers
// per group (7 bits of preemption priority).
inline constexpr unsigned max_list_registers = 16;
inline constexpr unsigned max_active_priority_registers = 4;

struct Vcpu_interrupts {
  uint64_t list[max_list_registers];                                 // ICH_LR<n>_EL2
  uint64_t control;                                                  // ICH_VMCR_EL2: priority mask, group enables
  uint32_t active_priorities[max_active_priority_registers];         // ICH_AP1R<n>_EL2
  uint32_t active_priorities_group0[max_active_priority_registers];  // ICH_AP0R<n>_EL2: ICV_AP0R<n>_EL1 are writable
  uint64_t pending[(max_injected_intid + 64) / 64];                  // injected, not yet listed: bit n = INTID n
  uint32_t pending_summary;     // bit w set: pending[w] may be non-zero (so the common "nothing waits" costs one test)
  uint64_t timer_control;       // CNTV_CTL_EL0
  uint64_t timer_compare;       // CNTV_CVAL_EL0
  bool timer_interrupt_active;  // the physical timer PPI was active at switch-out
};

namespace vgic {

// Once per CPU: how many list and active-priority registers the CPU has,
// virtual interface off.
void init_this_cpu();

// Switching: loads `state` into the CPU (virtual interface and timer on), or
// saves the running vCPU's and leaves the timer and interface off.
void restore(const Vcpu_interrupts& state);
void save(Vcpu_interrupts& state);

// The running vCPU's timer fired (its PPI is acknowledged and priority
// dropped, still active): hand it to the guest through list register 0.
void inject_timer();

// Marks `intid` pending for a vCPU; live is true if that vCPU runs on this
// CPU now (its list registers are in the CPU). An interrupt that is already
// pending stays pending once (an edge, not a count); one that is active
// becomes pending again, to be taken once the guest has finished with it.
void inject(Vcpu_interrupts& state, uint32_t intid, bool live);

// Moves waiting injections of the running vCPU into list registers; asks
// for a maintenance interrupt if some still wait.
void flush(Vcpu_interrupts& state);

// The maintenance interrupt: list registers ran out of pending interrupts
// while injections wait; stops asking for it and refills them.
void refill(Vcpu_interrupts& state);

// The running vCPU has a virtual interrupt pending (its WFI would wake).
[[nodiscard]] bool live_interrupt_pending(const Vcpu_interrupts& state);

// A saved vCPU's virtual-timer deadline in physical counter ticks, or 0 if
// its timer is off or masked.
[[nodiscard]] uint64_t timer_deadline(const Vcpu_interrupts& state);

}  // namespace vgic
}  // namespace kestrel::arch
