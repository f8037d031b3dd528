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

// Index of the executing CPU, 0 .. cpu_count()-1 (inline: on every kernel
// entry).
inline unsigned current_cpu();

// How many CPUs the firmware reports (the boot CPU included).
unsigned present_cpus();

// Starts each secondary CPU with a stack in `stacks` (by CPU index,
// kernel_stack_size() zeroed bytes each; nullptr: the CPU stays off) that
// the firmware reports, and waits until each has checked in; returns how
// many CPUs (including the boot CPU) are online. Called once the kernel's
// MMU is on, so that the new CPUs turn theirs on before they check in.
unsigned start_secondary_cpus(Span<uint8_t* const> stacks);

// True once CPU `cpu` has checked in.
bool cpu_is_online(unsigned cpu);

// Version of the PSCI firmware interface as {major, minor}.
struct Psci_version {
  unsigned major;
  unsigned minor;
};
Psci_version psci_version();

// Turns on the kernel's own MMU: a W^X identity map of the kernel image,
// the given RAM (read-write, never executable; the pages of the VMs'
// pristine copies read-only) and the console, in tables from the
// `page_count` zeroed, page-aligned pages at `table_pages`. Returns how many
// it took; 0 (after a log line) if the map cannot be built, and the MMU
// then stays off.
[[nodiscard]] uint32_t enable_kernel_mmu(Span<const abi::Memory_range> ram, Span<const abi::Pristine_entry> read_only,
                                         uint8_t* table_pages, uint32_t page_count);

// vm_restart (guest_memory.cpp): writes the kernel made to [pa, pa + size)
// through its cacheable map reach memory, where a guest whose MMU and
// caches are off reads it.
void clean_data_cache_to_poc(uint64_t pa, uint64_t size);

// No CPU keeps a translation (stage 1 or 2) or an instruction cached from
// the VM's previous run.
void forget_guest_translations(const Partition& vm);

// Builds the partition's stage-2 translation from its regions and records
// its root in the partition; then the tables that cover each of `windows`
// that is the partition's (abi::Map_window_entry), their last-level entries
// invalid. False (after a log line) if the kernel's page-table memory is
// exhausted.
[[nodiscard]] bool build_address_space(Partition& partition, Span<const abi::Map_window_entry> windows);

// memory_map (map_window.cpp): `pages` pages from `ipa` of `target`'s map
// window (whose tables build_address_space built, entries invalid) map
// [pa, ...) as Normal write-back memory, never executable, read-only or
// read-write; usable by every CPU when this returns. Only writes
// last-level entries.
void map_window_pages(Partition& target, uint64_t ipa, uint64_t pa, uint64_t pages, bool writable);

// memory_unmap: those entries invalid again, and no CPU's TLB holds a
// translation through them when this returns.
void unmap_window_pages(Partition& target, uint64_t ipa, uint64_t pages);

// Every partition's IPA size, 39 or 40 bits (boot-info's kernel memory
// entry), before the first build_address_space; false for another.
[[nodiscard]] bool select_stage2_input_bits(unsigned bits);

// Makes `thread` the one this CPU runs: its partition's stage-2
// translation, the hypervisor controls for its kind (native or vCPU) and a
// vCPU's EL1 registers, virtual interrupts and timer. The general registers
// are the caller's business. FP/SIMD traps unless the thread's values are
// in the registers (arch/fp.hpp: switched lazily, on the thread's first use).
void load_thread(Thread& thread);

// Saves what load_thread loaded of a vCPU (nothing for a native thread), and
// turns the vCPU's timer off on this CPU. Before another thread is loaded or
// the CPU idles.
void save_thread(Thread& thread);

// switch_native_threads (load_thread for a switch between two native
// threads): arch/native_switch.hpp, inline on aarch64 for the fast paths.

// `thread`, which is not running, has just had its saved FP/SIMD state
// reset: if the registers of its CPU still hold its old values, they are
// nobody's now, so that no later switch saves them over the reset state.
void forget_fp_registers(Thread& thread);

// Configures this CPU for running threads: the GIC (the distributor too on
// the boot CPU), the virtual interrupt interface, the timers and the
// hypervisor controls for native threads. False (after a log line) if the CPU
// cannot take interrupts.
[[nodiscard]] bool prepare_cpu(bool boot_cpu);

// Sets up the performance monitors on this CPU: closed to partitions in
// the kernel, readable by them in the benchmark kernel (pmu_*.cpp; each
// kernel image links one).
void configure_pmu();

// Entropy (entropy.cpp). A random number from the CPU (FEAT_RNG's RNDR):
// false without FEAT_RNG or when it had none to give.
[[nodiscard]] bool hardware_random(uint64_t& value);
// The bytes where the machine may have left a device tree for the kernel
// (QEMU's virt: the start of RAM, below the kernel); they need not hold one.
Span<uint8_t> machine_device_tree();

// Once at boot, before anything is hashed (sha256_select.cpp): makes SHA-256
// use the CPU's SHA-2 instructions if ID_AA64ISAR0_EL1 says it has them
// (true), else leaves it on the portable code (false).
bool select_sha256_blocks();

// The system counter (ticks since boot) and its frequency in Hz.
uint64_t counter_now();
uint64_t counter_frequency();

// Programs this CPU's kernel timer to interrupt at counter value `deadline`;
// 0 turns it off.
void set_kernel_timer(uint64_t deadline);

// What the interrupts pending on this CPU ask of generic code, once each is
// taken. A vCPU's own timer and list-register upkeep are handled inside.
// Device interrupts go to device_interrupt() (irq.hpp) as they are taken.
struct Interrupt_events {
  bool kernel_timer;  // the kernel timer fired
  bool reschedule;    // a thread of this CPU may have become ready
};
// `acknowledged`: an interrupt the exception entry took already (it is
// handled first), or no_interrupt.
inline constexpr uint32_t no_interrupt = 1023;
Interrupt_events take_interrupts(Thread* current, uint32_t acknowledged = no_interrupt);

// Device (shared) interrupts: routed to CPU `cpu` and enabled; ended (made
// inactive, so it may fire again) once its owner has handled it.
void enable_device_interrupt(uint32_t intid, unsigned cpu);
void end_device_interrupt(uint32_t intid);

// Asks CPU `cpu` to look at its scheduler again (a software interrupt).
void kick_cpu(unsigned cpu);

// Waits until an interrupt is pending (interrupts stay masked, so it is
// taken with take_interrupts).
void wait_for_interrupt();

// A hint inside spin loops.
void spin_wait_hint();

// vCPUs' virtual interrupts. `live`: the vCPU is loaded on this CPU.
[[nodiscard]] bool vcpu_interrupt_pending(const Thread& vcpu);   // loaded vCPU: would WFI wake?
[[nodiscard]] uint64_t vcpu_timer_deadline(const Thread& vcpu);  // saved vCPU: 0 if none
void vcpu_inject(Thread& vcpu, uint32_t intid, bool live);
void vcpu_before_return(Thread& vcpu);  // loaded vCPU: fill its list registers
// A saved vCPU takes an undefined-instruction exception at its current pc
// when it next runs, as a CPU without the instruction would (its VMM's
// answer to an exit it will not emulate).
void vcpu_take_undefined(Thread& vcpu);

// Lets the secondary CPUs, parked since start_secondary_cpus, continue into
// secondary_cpu_main (with the kernel's MMU turned on as on this CPU).
void release_secondary_cpus();

// Starts running `thread` on this CPU from its saved registers; the kernel
// stack is abandoned.
[[noreturn]] void enter_thread(Thread& thread);

// Turns the machine off through PSCI SYSTEM_OFF.
[[noreturn]] void power_off();

// The deepest use of CPU `cpu`'s kernel stack so far, in bytes (0 for a
// CPU without one), and the size of each stack. A lower bound: the stacks
// start zeroed (.bss, the kernel objects area) and the bytes below the deepest non-zero one count
// as unused (each frame's lowest words, the saved frame pointer and link
// register, are never zero).
uint32_t kernel_stack_use(unsigned cpu);
uint32_t kernel_stack_size();

// Parks this CPU forever with interrupts masked.
[[noreturn]] void halt();

}  // namespace kestrel::arch

#include <arch/current_cpu.hpp>
