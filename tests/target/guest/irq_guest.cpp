// SPDX-License-Identifier: Apache-2.0
// Interrupt guest: a bare-metal program at EL1 that takes virtual
// interrupts through its GICv3 CPU interface. It arms its virtual timer and
// waits in WFI (which must block it until the timer fires), arms it again
// and spins (the interrupt then comes while the vCPU runs: the kernel's
// guest-IRQ vector lists it without its general path), then asks its
// VMM, through an emulated doorbell register, to inject an interrupt, and
// waits for that. It prints through the emulated PL011 and ends with PSCI
// SYSTEM_OFF.
#include <cstdint>

#include "guest_console.hpp"

namespace {

using namespace guest;

constexpr uint64_t doorbell = 0x0a00'0200;  // the VMM injects the interrupt ID written here
constexpr uint32_t timer_intid = 27;        // the virtual timer's PPI
constexpr uint32_t doorbell_intid = 48;

volatile uint32_t timer_interrupts = 0;
volatile uint32_t doorbell_interrupts = 0;
volatile uint32_t other_interrupts = 0;

uint64_t virtual_count() {
  uint64_t value;
  asm volatile("isb\n mrs %0, cntvct_el0" : "=r"(value));
  return value;
}

// Waits in WFI until *counter becomes non-zero; returns how many WFIs that
// took.
uint32_t wait_for(volatile uint32_t& counter) {
  uint32_t waits = 0;
  while (counter == 0) {
    asm volatile("wfi");
    ++waits;
  }
  return waits;
}

}  // namespace

extern "C" void guest_irq() {
  uint64_t intid;
  asm volatile("mrs %0, icc_iar1_el1" : "=r"(intid));
  if (intid == timer_intid) {
    asm volatile("msr cntv_ctl_el0, xzr\n isb");  // one-shot: off again
    timer_interrupts = timer_interrupts + 1;
  } else if (intid == doorbell_intid) {
    doorbell_interrupts = doorbell_interrupts + 1;
  } else if (intid < 1020) {
    other_interrupts = other_interrupts + 1;
  } else {
    return;  // spurious: nothing to end
  }
  asm volatile("msr icc_eoir1_el1, %0\n isb" : : "r"(intid));
}

extern "C" [[noreturn]] void guest_unexpected(uint64_t vector);

// No synchronous exception is expected at EL1.
extern "C" void guest_sync() { guest_unexpected(4); }

extern "C" [[noreturn]] void guest_unexpected(uint64_t vector) {
  print("unexpected exception, vector ");
  print_decimal(vector);
  print("\n");
  power_off();
}

extern "C" char guest_vectors[];

extern "C" void guest_main() {
  asm volatile("msr vbar_el1, %0\n isb" : : "r"(guest_vectors));
  // The virtual CPU interface: all priorities admitted, Group 1 on.
  asm volatile("msr icc_pmr_el1, %0\n msr icc_igrpen1_el1, %1\n isb" : : "r"(uint64_t{0xff}), "r"(uint64_t{1}));
  asm volatile("msr daifclr, #2");  // IRQs unmasked

  uint64_t frequency;
  asm volatile("mrs %0, cntfrq_el0" : "=r"(frequency));
  const uint64_t deadline = virtual_count() + frequency / 100;  // 10 ms
  asm volatile("msr cntv_cval_el0, %0\n msr cntv_ctl_el0, %1\n isb" : : "r"(deadline), "r"(uint64_t{1}));
  const uint32_t timer_waits = wait_for(timer_interrupts);
  const bool on_time = virtual_count() >= deadline;
  print("the timer interrupt came after ");
  print_decimal(timer_waits);
  print(timer_waits == 1 ? " WFI, " : " WFIs, ");
  print(on_time ? "not before its deadline\n" : "BEFORE its deadline\n");

  const uint64_t spin_deadline = virtual_count() + frequency / 1000;  // 1 ms
  asm volatile("msr cntv_cval_el0, %0\n msr cntv_ctl_el0, %1\n isb" : : "r"(spin_deadline), "r"(uint64_t{1}));
  uint64_t spins = 0;
  while (timer_interrupts < 2) ++spins;
  print(virtual_count() >= spin_deadline ? "the timer interrupt came while the guest spun, not before its deadline\n"
                                         : "the timer interrupt came BEFORE its deadline while the guest spun\n");

  *reinterpret_cast<volatile uint32_t*>(doorbell) = doorbell_intid;
  const uint32_t doorbell_waits = wait_for(doorbell_interrupts);
  print("interrupt ");
  print_decimal(doorbell_intid);
  print(" from the VMM arrived");
  print(doorbell_waits <= 1 ? "\n" : " after spurious wake-ups\n");
  if (other_interrupts != 0) print("unexpected interrupts arrived\n");
  power_off();
}
