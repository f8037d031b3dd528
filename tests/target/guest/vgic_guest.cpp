// SPDX-License-Identifier: Apache-2.0
// vGIC guest: a bare-metal program with two vCPUs that exercises what a
// Linux guest needs of the kernel's virtual GIC and exits:
//   - SGIs between its vCPUs (ICC_SGI1R_EL1, by target list and to "all
//     others"), routed by the kernel without the VMM;
//   - an interrupt injected again while it is active is taken a second
//     time once the guest has ended it (pending while active);
//   - a system register the kernel leaves to the VMM (CNTP_CTL_EL0): the
//     read's answer comes back in the register; a write the VMM refuses
//     comes back as an undefined-instruction exception at that instruction;
//   - PSCI CPU_OFF of vCPU 1, then CPU_ON of it again from reset.
// Its VMM is vmm_test.cpp built for two vCPUs.
#include <cstdint>

#include "guest_console.hpp"

namespace {

using namespace guest;

constexpr uint64_t doorbell = 0x0a00'0200;  // the VMM injects the interrupt ID written here
constexpr uint64_t psci_cpu_off = 0x8400'0002;
constexpr uint32_t doorbell_intid = 48;
constexpr uint32_t targeted_sgi = 3;
constexpr uint32_t broadcast_sgi = 5;

// Shared between the vCPUs (MMU off: memory is seen directly).
volatile uint32_t sgis_taken[2][16];
volatile uint32_t doorbells_taken = 0;
volatile uint32_t undefined_taken = 0;
volatile uint64_t undefined_syndrome = 0;
volatile uint64_t undefined_at = 0;
volatile uint64_t secondary_context = 0;
volatile uint32_t secondary_done = 0;

uint64_t vcpu_index() {
  uint64_t mpidr;
  asm volatile("mrs %0, mpidr_el1" : "=r"(mpidr));
  return mpidr & 0xff;
}

void send_sgi(uint64_t value) { asm volatile("msr icc_sgi1r_el1, %0\n isb" : : "r"(value)); }
uint64_t sgi_to(uint32_t intid, uint64_t target_list) { return (uint64_t{intid} << 24) | target_list; }
uint64_t sgi_to_all_others(uint32_t intid) { return (uint64_t{intid} << 24) | (uint64_t{1} << 40); }

extern "C" char guest_vectors[];

void enable_interrupts() {
  asm volatile("msr vbar_el1, %0\n isb" : : "r"(guest_vectors));
  asm volatile("msr icc_pmr_el1, %0\n msr icc_igrpen1_el1, %1\n isb" : : "r"(uint64_t{0xff}), "r"(uint64_t{1}));
  asm volatile("msr daifclr, #2");
}

// Waits in WFI until `value` reaches `at_least`. Interrupts are masked from
// the check to the WFI: an interrupt that came between them would otherwise
// be taken before the WFI, which would then wait for one more that never
// comes (it happened: vCPU 1's broadcast SGI, once in a few hundred runs).
// A pending interrupt ends a WFI even while masked; unmasked after it, the
// handler runs, and the loop checks again.
void wait_until(volatile uint32_t& value, uint32_t at_least) {
  for (;;) {
    asm volatile("msr daifset, #2" ::: "memory");
    if (value >= at_least) break;
    asm volatile("wfi");
    asm volatile("msr daifclr, #2\n isb" ::: "memory");
  }
  asm volatile("msr daifclr, #2" ::: "memory");
}

}  // namespace

extern "C" [[noreturn]] void guest_unexpected(uint64_t vector) {
  print("unexpected exception, vector ");
  print_decimal(vector);
  print("\n");
  power_off();
}

extern "C" void guest_irq() {
  uint64_t intid;
  asm volatile("mrs %0, icc_iar1_el1" : "=r"(intid));
  if (intid >= 1020) return;  // spurious
  if (intid < 16) {
    sgis_taken[vcpu_index() & 1][intid] = sgis_taken[vcpu_index() & 1][intid] + 1;
  } else if (intid == doorbell_intid) {
    // The first time, ask for the same interrupt again while this one is
    // still active: it must come back once this handler ends it.
    if (doorbells_taken == 0) *reinterpret_cast<volatile uint32_t*>(doorbell) = doorbell_intid;
    doorbells_taken = doorbells_taken + 1;
  }
  asm volatile("msr icc_eoir1_el1, %0\n isb" : : "r"(intid));
}

// The undefined-instruction exception the VMM asked for: note it and step
// over the refused instruction.
extern "C" void guest_sync() {
  uint64_t esr;
  uint64_t elr;
  asm volatile("mrs %0, esr_el1\n mrs %1, elr_el1" : "=r"(esr), "=r"(elr));
  undefined_syndrome = esr;
  undefined_at = elr;
  undefined_taken = undefined_taken + 1;
  asm volatile("msr elr_el1, %0" : : "r"(elr + 4));
}

extern "C" [[noreturn]] void secondary_main(uint64_t context) {
  enable_interrupts();
  secondary_context = context;
  if (context == 1) {
    wait_until(sgis_taken[1][targeted_sgi], 1);  // vCPU 0's SGI by target list
    send_sgi(sgi_to_all_others(broadcast_sgi));
  }
  secondary_done = static_cast<uint32_t>(context);
  hypercall(psci_cpu_off);
  print("CPU_OFF RETURNED\n");
  for (;;) asm volatile("wfi");
}

extern "C" void guest_main() {
  enable_interrupts();
  const uint64_t entry = reinterpret_cast<uint64_t>(secondary_start);
  print(hypercall(psci_cpu_on, 1, entry, 1) == 0 ? "vCPU 1 started\n" : "CPU_ON FAILED\n");
  send_sgi(sgi_to(targeted_sgi, 0b10));  // Aff0 1: vCPU 1
  wait_until(sgis_taken[0][broadcast_sgi], 1);
  send_sgi(sgi_to(targeted_sgi, 0b01));  // itself
  wait_until(sgis_taken[0][targeted_sgi], 1);
  print("SGIs: vCPU 1 took ");
  print_decimal(sgis_taken[1][targeted_sgi]);
  print(" targeted, vCPU 0 took ");
  print_decimal(sgis_taken[0][broadcast_sgi]);
  print(" broadcast and ");
  print_decimal(sgis_taken[0][targeted_sgi]);
  print(" to itself\n");

  *reinterpret_cast<volatile uint32_t*>(doorbell) = doorbell_intid;
  wait_until(doorbells_taken, 2);
  print("the interrupt injected while active was taken again\n");

  uint64_t control;
  asm volatile("mrs %0, cntp_ctl_el0" : "=r"(control));
  print("CNTP_CTL_EL0 reads ");
  print_hex(control);
  print(" from the VMM\n");
  uint64_t refused_at;
  asm volatile("adr %0, 1f\n 1: msr cntp_cval_el0, %1" : "=&r"(refused_at) : "r"(uint64_t{0x1234}));
  print(undefined_taken == 1 && undefined_at == refused_at ? "the refused write took an undefined exception there"
                                                           : "NO undefined exception at the refused write");
  print(", EC ");
  print_hex(undefined_syndrome >> 26);
  print("\n");

  // vCPU 1 powers itself off; then it can be started again, from reset.
  while (secondary_done != 1) asm volatile("wfe");
  uint64_t result = 0;
  for (int attempt = 0; attempt < 1000; ++attempt) {
    result = hypercall(psci_cpu_on, 1, entry, 2);
    if (result == 0) break;
  }
  print(result == 0 ? "vCPU 1 started again after CPU_OFF\n" : "CPU_ON after CPU_OFF FAILED\n");
  while (secondary_done != 2) asm volatile("wfe");
  print("vCPU 1 ran again with context ");
  print_hex(secondary_context);
  print("\n");
  power_off();
}
