// SPDX-License-Identifier: Apache-2.0
// Boot tests: the state the boot code leaves the CPU in, exception entry and
// return, PSCI and secondary CPU bring-up.
#include "ktest.hpp"

#include <arch/frame_layout.h>
#include <arch/exception.hpp>
#include <arch/psci.hpp>
#include <arch/sysreg.hpp>
#include <board/board.hpp>
#include <kestrel/arch.hpp>

extern "C" char exception_vectors[];

using namespace kestrel;

KTEST(boot, runs_at_el2) { KEXPECT_EQ(arch::current_exception_level(), 2u); }

KTEST(boot, vector_table_is_installed) {
  KEXPECT_EQ(arch::read_vbar_el2(), reinterpret_cast<uint64_t>(exception_vectors));
  KEXPECT_EQ(reinterpret_cast<uint64_t>(exception_vectors) % 2048, 0u);
}

namespace {

constexpr uint64_t test_brk_immediate = 0x4b;
uint64_t hook_calls = 0;
uint64_t hook_seen_esr = 0;

// Claims the test's own `brk`, resumes after it, and changes x0 so the test
// can see that the frame written here is what eret restores.
bool claim_test_brk(arch::Exception_frame& frame) {
  ++hook_calls;
  hook_seen_esr = frame.esr;
  if (arch::Esr_class::get(frame.esr) != static_cast<uint64_t>(arch::Exception_class::brk_aarch64)) return false;
  frame.elr += 4;
  frame.x[0] = 0x600d;
  frame.x[19] = frame.x[19] + 1;
  return true;
}

}  // namespace

KTEST(exceptions, brk_is_taken_and_frame_restored) {
  arch::set_kernel_exception_hook(claim_test_brk);
  uint64_t x0_after = 0;
  uint64_t x19_after = 0;
  asm volatile(
      "mov x0, #1\n"
      "mov x19, #41\n"
      "brk #0x4b\n"
      "mov %0, x0\n"
      "mov %1, x19\n"
      : "=r"(x0_after), "=r"(x19_after)
      :
      : "x0", "x19", "memory");
  arch::set_kernel_exception_hook(nullptr);
  KEXPECT_EQ(hook_calls, 1u);
  KEXPECT_EQ(arch::Esr_class::get(hook_seen_esr), static_cast<uint64_t>(arch::Exception_class::brk_aarch64));
  KEXPECT_EQ(arch::Esr_iss::get(hook_seen_esr), test_brk_immediate);
  KEXPECT_EQ(x0_after, 0x600du);
  KEXPECT_EQ(x19_after, 42u);
}

KTEST(psci, version_is_at_least_0_2) {
  const auto version = arch::psci_version();
  KEXPECT_TRUE(version.major > 0 || version.minor >= 2);
}

KTEST(psci, affinity_info_rejects_absent_cpu) {
  // Aff3 = 0xff names a CPU that QEMU virt never has.
  KEXPECT_EQ(arch::psci::affinity_info(0xff'0000'0000), static_cast<int64_t>(arch::psci::Status::invalid_parameters));
}

// Stacks for the secondary CPUs, as the kernel objects area would give them.
alignas(16) uint8_t secondary_stacks[board::max_cpus][KERNEL_STACK_SIZE];

KTEST(smp, only_cpus_with_a_stack_come_online) {
  unsigned present = 0;
  for (unsigned cpu = 0; cpu < board::max_cpus; ++cpu) {
    if (arch::psci::affinity_info(board::mpidr_of_cpu(cpu)) >= 0) ++present;
  }
  KEXPECT_EQ(arch::present_cpus(), present);
  // No stacks: a CPU the system does not use is never started.
  uint8_t* stacks[board::max_cpus] = {};
  KEXPECT_EQ(arch::start_secondary_cpus(Span<uint8_t* const>{stacks, board::max_cpus}), 1u);
  for (unsigned cpu = 1; cpu < board::max_cpus; ++cpu) KEXPECT_TRUE(!arch::cpu_is_online(cpu));
  for (unsigned cpu = 1; cpu < board::max_cpus; ++cpu) stacks[cpu] = secondary_stacks[cpu];
  const unsigned online = arch::start_secondary_cpus(Span<uint8_t* const>{stacks, board::max_cpus});
  log("[ktest]   {} CPUs present, {} online\n", present, online);
  KEXPECT_EQ(online, present);
  for (unsigned cpu = 0; cpu < present; ++cpu) KEXPECT_TRUE(arch::cpu_is_online(cpu));
  KEXPECT_TRUE(!arch::cpu_is_online(board::max_cpus));
  // Each started CPU ran on its own stack (its first frames are there).
  for (unsigned cpu = 1; cpu < present; ++cpu) KEXPECT_TRUE(arch::kernel_stack_use(cpu) != 0);
}
