// SPDX-License-Identifier: Apache-2.0
// Fake arch: what host tests see of the architecture layer that generic
// kernel code calls (kestrel/arch.hpp). Instead of touching hardware, each
// call is recorded here, and the answers the hardware would give are set
// here, so a test can drive the kernel's IPC core and check what it asked
// for: stage-2 switches, timers, interrupts ended, TLB maintenance.
//
// Host code (std containers allowed); never built into a kernel image.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include <kestrel/abi/limits.hpp>
#include <kestrel/arch.hpp>

namespace kestrel::arch::fake {

// What a CPU would hold in its registers: the thread loaded on it, its
// stage-2 translation (VTTBR: the partition's root), whether FP/SIMD traps,
// and the kernel timer's deadline.
struct Cpu {
  const Thread* loaded = nullptr;
  uint64_t translation_root = 0;
  bool fp_trapping = true;
  uint64_t kernel_timer = 0;
  bool online = false;
};

struct Interrupt_enable {
  uint32_t intid;
  unsigned cpu;
};

struct Injection {
  const Thread* vcpu;
  uint32_t intid;
  bool live;
};

// Thrown where the hardware would never come back to the caller, so a test
// can watch the kernel get there: a CPU with nothing to run waits for an
// interrupt no test sends, enter_thread leaves the kernel for good,
// power_off and halt stop the machine.
struct Cpu_left_kernel : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// map_window_pages and unmap_window_pages (pa and writable: map only).
struct Window_change {
  const Partition* target;
  uint64_t ipa;
  uint64_t pa;
  uint64_t pages;
  bool writable;
};

struct Machine {
  // Answers the arch layer gives.
  uint64_t counter = 1'000'000;  // ticks since boot (counter_now)
  uint64_t frequency = 1'000'000'000;
  bool vcpu_interrupt_pending = false;  // what vcpu_interrupt_pending says of any vCPU
  uint64_t vcpu_timer_deadline = 0;     // what vcpu_timer_deadline says of any vCPU
  Interrupt_events interrupt_events{};  // what take_interrupts reports (once)

  Cpu cpus[abi::max_cpus];

  // Every request, in the order made.
  std::vector<const Thread*> loaded;           // load_thread
  std::vector<const Thread*> saved;            // save_thread
  std::vector<uint64_t> translation_switches;  // each stage-2 root written (VTTBR)
  std::vector<uint64_t> kernel_timers;         // set_kernel_timer deadlines (0: off)
  std::vector<Interrupt_enable> enabled_interrupts;
  std::vector<uint32_t> ended_interrupts;                // end_device_interrupt
  std::vector<unsigned> kicked_cpus;                     // kick_cpu
  std::vector<const Partition*> forgotten_translations;  // TLB and i-cache maintenance for a VM
  std::vector<uint64_t> cleaned_to_poc;                  // clean_data_cache_to_poc start addresses
  std::vector<const Thread*> forgotten_fp;               // forget_fp_registers
  std::vector<Injection> injected;                       // vcpu_inject
  std::vector<const Thread*> before_return;              // vcpu_before_return
  std::vector<const Thread*> undefined_taken;            // vcpu_take_undefined
  std::vector<Window_change> window_maps;                // map_window_pages: entries written
  std::vector<Window_change> window_unmaps;              // unmap_window_pages: entries cleared, TLBs invalidated
  std::string console;                                   // the kernel console's text
  unsigned power_offs = 0;
};

extern Machine machine;

// A fresh machine: CPU 0 executing and online, nothing recorded.
void reset();

}  // namespace kestrel::arch::fake
