// SPDX-License-Identifier: Apache-2.0
// Fake arch: kestrel/arch.hpp's functions as host-side stand-ins that
// record what generic code asked for (fake_arch.hpp) and model the little
// CPU state the IPC core's outcome depends on: which thread is loaded,
// whose stage-2 translation is in force, whether FP/SIMD traps.
#include <arch/fake_arch.hpp>
#include <arch/native_switch.hpp>
#include <kestrel/irq.hpp>
#include <kestrel/partition.hpp>
#include <kestrel/thread.hpp>

namespace kestrel::arch {

namespace fake {

unsigned executing_cpu = 0;
Machine machine;

void reset() {
  machine = Machine{};
  machine.cpus[0].online = true;
  executing_cpu = 0;
}

namespace {

Cpu& cpu_of(const Thread& thread) { return machine.cpus[thread.cpu() < abi::max_cpus ? thread.cpu() : 0]; }

void write_translation(Cpu& cpu, const Partition& partition) {
  cpu.translation_root = partition.translation_root;
  machine.translation_switches.push_back(partition.translation_root);
}

}  // namespace
}  // namespace fake

using fake::machine;

unsigned current_exception_level() { return 2; }

unsigned present_cpus() { return abi::max_cpus; }

unsigned start_secondary_cpus(Span<uint8_t* const>) {
  unsigned online = 0;
  for (const fake::Cpu& cpu : machine.cpus) online += cpu.online ? 1 : 0;
  return online;
}

bool cpu_is_online(unsigned cpu) { return cpu < abi::max_cpus && machine.cpus[cpu].online; }

Psci_version psci_version() { return {1, 1}; }

uint32_t enable_kernel_mmu(Span<const abi::Memory_range>, Span<const abi::Pristine_entry>, uint8_t*,
                           uint32_t page_count) {
  return page_count;
}

bool select_stage2_input_bits(unsigned bits) { return bits == 39 || bits == 40; }

void clean_data_cache_to_poc(uint64_t pa, uint64_t) { machine.cleaned_to_poc.push_back(pa); }

void forget_guest_translations(const Partition& vm) { machine.forgotten_translations.push_back(&vm); }

// A root that names its partition, so tests can tell translations apart.
bool build_address_space(Partition& partition, Span<const abi::Map_window_entry>) {
  partition.translation_root = 0x1'0000'0000 + (uint64_t{partition.index()} + 1) * 0x1000;
  return true;
}

void map_window_pages(Partition& target, uint64_t ipa, uint64_t pa, uint64_t pages, bool writable) {
  machine.window_maps.push_back({&target, ipa, pa, pages, writable});
}

void unmap_window_pages(Partition& target, uint64_t ipa, uint64_t pages) {
  machine.window_unmaps.push_back({&target, ipa, 0, pages, false});
}

void load_thread(Thread& thread) {
  fake::Cpu& cpu = fake::cpu_of(thread);
  machine.loaded.push_back(&thread);
  cpu.loaded = &thread;
  fake::write_translation(cpu, thread.partition());
  cpu.fp_trapping = !thread.fp_in_registers;
}

void save_thread(Thread& thread) { machine.saved.push_back(&thread); }

// As aarch64 does it: the translation is written only between partitions,
// the FP trap only when the two threads' ownership differs.
void switch_native_threads(const Thread& from, const Thread& to) {
  fake::Cpu& cpu = fake::cpu_of(to);
  cpu.loaded = &to;
  if (from.fp_in_registers != to.fp_in_registers) cpu.fp_trapping = !to.fp_in_registers;
  if (&from.partition() != &to.partition()) fake::write_translation(cpu, to.partition());
}

// The fake keeps no FP owner of its own: the thread's flag says whether its
// CPU's registers hold its values (aarch64: it is then that CPU's owner).
void forget_fp_registers(Thread& thread) {
  machine.forgotten_fp.push_back(&thread);
  thread.fp_in_registers = false;
}

bool prepare_cpu(bool) { return true; }

void configure_pmu() {}

bool hardware_random(uint64_t&) { return false; }  // no FEAT_RNG

Span<uint8_t> machine_device_tree() { return {}; }

uint64_t counter_now() { return machine.counter; }

uint64_t counter_frequency() { return machine.frequency; }

void set_kernel_timer(uint64_t deadline) {
  machine.kernel_timers.push_back(deadline);
  machine.cpus[current_cpu()].kernel_timer = deadline;
}

// Reported once, as the interrupts are then taken. An acknowledged device
// interrupt is delivered as the real GIC code delivers it.
Interrupt_events take_interrupts(Thread*, uint32_t acknowledged) {
  Interrupt_events events = machine.interrupt_events;
  machine.interrupt_events = {};
  if (acknowledged < 1020 && device_interrupt(acknowledged)) events.reschedule = true;
  return events;
}

void enable_device_interrupt(uint32_t intid, unsigned cpu) { machine.enabled_interrupts.push_back({intid, cpu}); }

void end_device_interrupt(uint32_t intid) { machine.ended_interrupts.push_back(intid); }

void kick_cpu(unsigned cpu) { machine.kicked_cpus.push_back(cpu); }

// No test sends the interrupt an idle CPU waits for.
void wait_for_interrupt() { throw fake::Cpu_left_kernel("the CPU idles: no thread may run"); }

void spin_wait_hint() {}

bool vcpu_interrupt_pending(const Thread&) { return machine.vcpu_interrupt_pending; }

uint64_t vcpu_timer_deadline(const Thread&) { return machine.vcpu_timer_deadline; }

void vcpu_inject(Thread& vcpu, uint32_t intid, bool live) { machine.injected.push_back({&vcpu, intid, live}); }

void vcpu_before_return(Thread& vcpu) { machine.before_return.push_back(&vcpu); }

void vcpu_take_undefined(Thread& vcpu) { machine.undefined_taken.push_back(&vcpu); }

void release_secondary_cpus() {}

void enter_thread(Thread& thread) {
  throw fake::Cpu_left_kernel(std::string("the CPU enters thread ") + thread.name());
}

void power_off() {
  ++machine.power_offs;
  throw fake::Cpu_left_kernel("the machine powers off");
}

void halt() { throw fake::Cpu_left_kernel("the CPU halts"); }

// The host has no kernel stacks of its own.
uint32_t kernel_stack_use(unsigned) { return 0; }
uint32_t kernel_stack_size() { return 0; }

}  // namespace kestrel::arch
