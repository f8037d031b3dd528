// SPDX-License-Identifier: Apache-2.0
// SMP: per-CPU stacks and secondary CPU bring-up through PSCI CPU_ON.
//
// CPU 0 boots on the one stack in .bss. The boot CPU starts the others only
// once its MMU is on and the kernel objects area is carved, and only those
// the system runs threads on, each on a stack carved there: a CPU the
// system does not use is never started (it stays off in the firmware), so
// it costs no stack and no scheduler.
//
// A new CPU's MMU is off at first, and its data accesses are then
// non-cacheable. It turns its MMU on (with the boot CPU's tables) before it
// checks in, so that every flag the CPUs share is read and written through
// the cache by both; before that it touches only its stack, which the boot
// CPU cleaned and invalidated from its cache after zeroing it, so that no
// dirty line of the boot CPU can later overwrite what the new CPU wrote.
#include <arch/frame_layout.h>
#include <arch/psci.hpp>
#include <arch/sysreg.hpp>
#include <board/board.hpp>
#include <kestrel/arch.hpp>
#include <kestrel/cpu.hpp>
#include <kestrel/log.hpp>

// The boot CPU's stack (boot.S points sp at its top).
extern "C" {
alignas(16) uint8_t kernel_boot_stack[KERNEL_STACK_SIZE];
void secondary_entry();
}

namespace kestrel::arch {

namespace {

static_assert(board::max_cpus <= 16, "boot.S keeps the CPU index in the low four bits of TPIDR_EL2");

// Each CPU's stack, once it has one: the boot CPU's, then those it starts.
uint8_t* kernel_stacks[board::max_cpus] = {kernel_boot_stack};

// cpu_online[n] becomes 1 when CPU n runs kernel code.
uint32_t cpu_online[board::max_cpus];

// Becomes 1 when the secondary CPUs may run threads.
uint32_t secondaries_released;

bool wait_until_online(unsigned cpu) {
  const uint64_t deadline = read_counter() + read_counter_frequency();  // one second
  while (__atomic_load_n(&cpu_online[cpu], __ATOMIC_ACQUIRE) == 0) {
    if (read_counter() > deadline) return false;
  }
  return true;
}

// Writes back and drops every cache line of [begin, begin + size).
void clean_and_invalidate(const uint8_t* begin, uint64_t size) {
  constexpr uint64_t line = 64;  // the smallest data cache line of any Armv8-A core
  const uint64_t first = reinterpret_cast<uint64_t>(begin) & ~(line - 1);
  for (uint64_t address = first; address < reinterpret_cast<uint64_t>(begin) + size; address += line) {
    asm volatile("dc civac, %0" : : "r"(address) : "memory");
  }
  asm volatile("dsb sy" ::: "memory");
}

}  // namespace

uint32_t kernel_stack_use(unsigned cpu) {
  if (cpu >= board::max_cpus || kernel_stacks[cpu] == nullptr) return 0;
  const uint8_t* const stack = kernel_stacks[cpu];
  uint32_t untouched = 0;
  while (untouched < KERNEL_STACK_SIZE && stack[untouched] == 0) ++untouched;
  return KERNEL_STACK_SIZE - untouched;
}

uint32_t kernel_stack_size() { return KERNEL_STACK_SIZE; }

unsigned current_exception_level() { return static_cast<unsigned>(Current_el::get(read_current_el())); }

unsigned present_cpus() {
  unsigned present = 0;
  for (unsigned cpu = 0; cpu < board::max_cpus; ++cpu) {
    if (psci::affinity_info(board::mpidr_of_cpu(cpu)) >= 0) ++present;
  }
  return present;
}

unsigned start_secondary_cpus(Span<uint8_t* const> stacks) {
  const unsigned self = current_cpu();
  __atomic_store_n(&cpu_online[self], 1, __ATOMIC_RELEASE);
  unsigned online = 1;
  for (unsigned cpu = 0; cpu < board::max_cpus; ++cpu) {
    if (cpu == self) continue;
    if (__atomic_load_n(&cpu_online[cpu], __ATOMIC_ACQUIRE) != 0) {
      ++online;
      continue;
    }
    if (cpu >= stacks.size() || stacks[cpu] == nullptr) continue;  // the system does not use it
    const uint64_t mpidr = board::mpidr_of_cpu(cpu);
    if (psci::affinity_info(mpidr) < 0) continue;  // no such CPU
    uint8_t* const stack = stacks[cpu];
    clean_and_invalidate(stack, KERNEL_STACK_SIZE);
    kernel_stacks[cpu] = stack;
    // The context id: the stack's top (16-byte aligned) with the CPU's
    // index in its low four bits, as boot.S keeps it in TPIDR_EL2.
    const uint64_t context = (reinterpret_cast<uint64_t>(stack) + KERNEL_STACK_SIZE) | cpu;
    const auto status = psci::cpu_on(mpidr, reinterpret_cast<uint64_t>(&secondary_entry), context);
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
  asm volatile("dsb sy" ::: "memory");
  send_event();
}

void enable_kernel_mmu_this_cpu();  // kernel_mmu.cpp

bool cpu_is_online(unsigned cpu) {
  return cpu < board::max_cpus && __atomic_load_n(&cpu_online[cpu], __ATOMIC_ACQUIRE) != 0;
}

}  // namespace kestrel::arch

// First C++ code on a secondary CPU; `cpu` is the index boot.S took from
// the context id. It turns its MMU on (the boot CPU's is on, see
// start_secondary_cpus), checks in, waits until the boot CPU has created
// every object, then runs its threads.
extern "C" [[noreturn]] void secondary_main(uint64_t cpu) {
  using namespace kestrel::arch;
  enable_kernel_mmu_this_cpu();
  __atomic_store_n(&cpu_online[cpu], 1, __ATOMIC_RELEASE);
  send_event();
  while (__atomic_load_n(&secondaries_released, __ATOMIC_ACQUIRE) == 0) wait_for_event();
  kestrel::secondary_cpu_main();
}
