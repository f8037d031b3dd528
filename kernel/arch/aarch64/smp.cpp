// SPDX-License-Identifier: Apache-2.0
// SMP: per-CPU stacks and secondary CPU bring-up through PSCI CPU_ON.
//
// The MMU is still off, so exclusive-access atomics are not usable (they
// need Normal memory); each CPU checks in through its own flag instead, with
// release/acquire ordering.
#include <arch/frame_layout.h>
#include <arch/psci.hpp>
#include <arch/sysreg.hpp>
#include <board/board.hpp>
#include <kestrel/arch.hpp>
#include <kestrel/cpu.hpp>
#include <kestrel/log.hpp>

// Stack of CPU n: kernel_cpu_stacks[n]; boot.S points sp at its top.
extern "C" {
alignas(16) uint8_t kernel_cpu_stacks[kestrel::board::max_cpus][KERNEL_STACK_SIZE];
void secondary_entry();
}

namespace kestrel::arch {

uint32_t kernel_stack_use(unsigned cpu) {
  if (cpu >= board::max_cpus) return 0;
  const uint8_t* const stack = kernel_cpu_stacks[cpu];
  uint32_t untouched = 0;
  while (untouched < KERNEL_STACK_SIZE && stack[untouched] == 0) ++untouched;
  return KERNEL_STACK_SIZE - untouched;
}

uint32_t kernel_stack_size() { return KERNEL_STACK_SIZE; }

namespace {

static_assert(board::max_cpus <= 16, "boot.S keeps the CPU index in the low four bits of TPIDR_EL2");

// cpu_online[n] becomes 1 when CPU n runs kernel code.
uint32_t cpu_online[board::max_cpus];

// Becomes 1 when the secondary CPUs may turn their MMUs on and run threads.
// Its own 64-byte line, cleaned to memory by the boot CPU, whose MMU and
// caches are on, for the secondaries, whose are still off.
alignas(64) uint32_t secondaries_released;

bool wait_until_online(unsigned cpu) {
  const uint64_t deadline = read_counter() + read_counter_frequency();  // one second
  while (__atomic_load_n(&cpu_online[cpu], __ATOMIC_ACQUIRE) == 0) {
    if (read_counter() > deadline) return false;
  }
  return true;
}

}  // namespace

unsigned current_exception_level() { return static_cast<unsigned>(Current_el::get(read_current_el())); }

unsigned start_secondary_cpus() {
  const unsigned self = current_cpu();
  __atomic_store_n(&cpu_online[self], 1, __ATOMIC_RELEASE);
  unsigned online = 1;
  for (unsigned cpu = 0; cpu < board::max_cpus; ++cpu) {
    if (cpu == self) continue;
    const uint64_t mpidr = board::mpidr_of_cpu(cpu);
    const int64_t state = psci::affinity_info(mpidr);
    if (state < 0) continue;  // no such CPU
    if (__atomic_load_n(&cpu_online[cpu], __ATOMIC_ACQUIRE) != 0) {
      ++online;
      continue;
    }
    const auto status = psci::cpu_on(mpidr, reinterpret_cast<uint64_t>(&secondary_entry), cpu);
    if (status != psci::Status::success) {
      log("smp: CPU {} did not start: PSCI status {}\n", cpu, static_cast<int64_t>(status));
      continue;
    }
    if (wait_until_online(cpu)) {
      ++online;
    } else {
      log("smp: CPU {} started but did not check in within one second\n", cpu);
    }
  }
  return online;
}

void release_secondary_cpus() {
  __atomic_store_n(&secondaries_released, 1, __ATOMIC_RELEASE);
  asm volatile("dc civac, %0\n dsb sy" : : "r"(&secondaries_released) : "memory");
  send_event();
}

void enable_kernel_mmu_this_cpu();  // kernel_mmu.cpp

bool cpu_is_online(unsigned cpu) {
  return cpu < board::max_cpus && __atomic_load_n(&cpu_online[cpu], __ATOMIC_ACQUIRE) != 0;
}

}  // namespace kestrel::arch

// First C++ code on a secondary CPU; `cpu` is the context id the boot CPU
// passed to CPU_ON. It checks in, waits until the boot CPU has built the
// kernel's translation and every object, then runs its threads.
extern "C" [[noreturn]] void secondary_main(uint64_t cpu) {
  using namespace kestrel::arch;
  __atomic_store_n(&cpu_online[cpu], 1, __ATOMIC_RELEASE);
  send_event();
  while (__atomic_load_n(&secondaries_released, __ATOMIC_ACQUIRE) == 0) wait_for_event();
  enable_kernel_mmu_this_cpu();
  kestrel::secondary_cpu_main();
}
