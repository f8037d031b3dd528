// SPDX-License-Identifier: Apache-2.0
// Interrupts: per-CPU set-up, the kernel's timer (the EL2 physical timer,
// CNTHP, programmed one-shot), taking pending interrupts and cross-CPU
// software interrupts.
#include <arch/gic.hpp>
#include <arch/sysreg.hpp>
#include <arch/vgic.hpp>
#include <board/board.hpp>
#include <kestrel/arch.hpp>
#include <kestrel/irq.hpp>
#include <kestrel/thread.hpp>

namespace kestrel::arch {

void prepare_native_threads();  // address_space.cpp

namespace {

// The SGI that asks a CPU to reschedule.
constexpr uint32_t reschedule_sgi = 0;

// CNTHCTL_EL2 (non-VHE): EL1 and EL0 may read the physical counter
// (EL1PCTEN); the physical timer is the kernel's, so guests' accesses to it
// trap (EL1PCEN clear) and reach their VMM.
constexpr uint64_t cnthctl_guests = Bitflag<0>::bits(1);

// CNTHP_CTL_EL2: on, interrupt not masked.
constexpr uint64_t timer_on = Bitflag<0>::bits(1);

void kernel_timer_off() { asm volatile("msr cnthp_ctl_el2, xzr\n isb"); }

}  // namespace

bool prepare_cpu(bool boot_cpu) {
  if (boot_cpu) gic::init_distributor();
  if (!gic::init_this_cpu()) return false;
  vgic::init_this_cpu();
  asm volatile("msr cnthctl_el2, %0" : : "r"(cnthctl_guests));
  kernel_timer_off();
  prepare_native_threads();
  configure_pmu();
  return true;
}

uint64_t counter_now() {
  instruction_barrier();  // not read early, ahead of what precedes it
  return read_counter();
}

uint64_t counter_frequency() { return read_counter_frequency(); }

// A timer already as asked is not written again: the scheduler asks on
// every switch, mostly for the same deadline, and under QEMU each write
// re-arms a host timer and wakes QEMU's main loop (a system call and a
// lock handed between host threads: about three per disk request of a VM,
// docs/benchmarks.md).
void set_kernel_timer(uint64_t deadline) {
  uint64_t control;
  asm volatile("mrs %0, cnthp_ctl_el2" : "=r"(control));
  const bool on = (control & timer_on) != 0;
  if (deadline == 0) {
    if (on) kernel_timer_off();
    return;
  }
  uint64_t compare;
  asm volatile("mrs %0, cnthp_cval_el2" : "=r"(compare));
  if (on && compare == deadline) return;
  asm volatile("msr cnthp_cval_el2, %0\n msr cnthp_ctl_el2, %1\n isb" : : "r"(deadline), "r"(timer_on));
}

Interrupt_events take_interrupts(Thread* current, uint32_t acknowledged) {
  Interrupt_events events{};
  const bool vcpu_loaded = current != nullptr && current->is_vcpu();
  for (;;) {
    const uint32_t intid = acknowledged < 1020 ? acknowledged : gic::acknowledge();
    acknowledged = no_interrupt;
    if (intid >= 1020) break;  // spurious or special: nothing (more) pending
    gic::priority_drop(intid);
    if (intid == board::virtual_timer_intid && vcpu_loaded) {
      vgic::inject_timer();  // stays active until the guest deactivates it
      continue;
    }
    if (intid == board::hypervisor_timer_intid) {
      kernel_timer_off();  // level-triggered: quiet before it is deactivated
      events.kernel_timer = true;
    } else if (intid == board::gic_maintenance_intid && vcpu_loaded) {
      vgic::refill(current->vcpu_interrupts);
    } else if (intid < 16) {
      events.reschedule = true;
    } else if (intid >= gic::first_spi && device_interrupt(intid)) {
      events.reschedule = true;
      continue;  // stays active until its owner acknowledges it
    }
    gic::deactivate(intid);
  }
  return events;
}

void enable_device_interrupt(uint32_t intid, unsigned cpu) { gic::enable_shared(intid, cpu); }

void end_device_interrupt(uint32_t intid) { gic::deactivate_shared(intid); }

void kick_cpu(unsigned cpu) { gic::send_sgi(cpu, reschedule_sgi); }

void wait_for_interrupt() { asm volatile("dsb sy\n wfi" ::: "memory"); }

void spin_wait_hint() { asm volatile("yield"); }

bool vcpu_interrupt_pending(const Thread& vcpu) { return vgic::live_interrupt_pending(vcpu.vcpu_interrupts); }

uint64_t vcpu_timer_deadline(const Thread& vcpu) { return vgic::timer_deadline(vcpu.vcpu_interrupts); }

void vcpu_inject(Thread& vcpu, uint32_t intid, bool live) { vgic::inject(vcpu.vcpu_interrupts, intid, live); }

void vcpu_before_return(Thread& vcpu) { vgic::flush(vcpu.vcpu_interrupts); }

}  // namespace kestrel::arch
