// SPDX-License-Identifier: Apache-2.0
// Arch: what generic kernel code may ask of the architecture layer.
#pragma once

#include <cstdint>

#include <kestrel/abi/boot_info.hpp>
#include <kestrel/span.hpp>

namespace kestrel {
class Partition;
class Thread;
}  // namespace kestrel

namespace kestrel::arch {

// Exception level the kernel runs at (2 on a correct boot).
unsigned current_exception_level();

// Index of the executing CPU, 0 .. cpu_count()-1.
unsigned current_cpu();

// Starts every CPU the firmware reports and waits until each has checked in;
// returns how many CPUs (including the boot CPU) are online.
unsigned start_secondary_cpus();

// True once CPU `cpu` has checked in.
bool cpu_is_online(unsigned cpu);

// Version of the PSCI firmware interface as {major, minor}.
struct Psci_version {
  unsigned major;
  unsigned minor;
};
Psci_version psci_version();

// Turns on the kernel's own MMU: a W^X identity map of the kernel image,
// the given RAM (read-write, never executable) and the console. False (after a
// log line) if it cannot be built; the MMU then stays off.
[[nodiscard]] bool enable_kernel_mmu(Span<const abi::Memory_range> ram);

// Builds the partition's stage-2 translation from its regions and records
// its root in the partition. False (after a log line) if the kernel's
// page-table memory is exhausted.
[[nodiscard]] bool build_address_space(Partition& partition);

// Makes `next` the thread this CPU runs: its partition's stage-2
// translation, the hypervisor controls for its kind (native or vCPU) and a
// vCPU's EL1 registers, saving those of `previous` (may be null) if it is a
// vCPU. The general registers are the caller's business.
void switch_thread(Thread* previous, Thread& next);

// Configures the hypervisor controls for native threads at EL0 (HCR_EL2,
// VTCR_EL2, CPTR_EL2); once per CPU before the first thread runs.
void prepare_native_threads();

// Starts running `thread` on this CPU; the kernel stack is reset.
[[noreturn]] void enter_thread(const Thread& thread);

// Turns the machine off through PSCI SYSTEM_OFF.
[[noreturn]] void power_off();

// Parks this CPU forever with interrupts masked.
[[noreturn]] void halt();

}  // namespace kestrel::arch
