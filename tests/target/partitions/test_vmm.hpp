// SPDX-License-Identifier: Apache-2.0
// Test VMM: what the test VMMs (vmm_test.cpp, restart_vmm.cpp) share. Their
// VMs have a vCPU per CPU and an exit endpoint per vCPU's CPU (slots 0..),
// served by the VMM's thread on that CPU: the one whose stack is the i-th
// region from 0x800000, 1 MiB apart (the policies say so). The threads share
// the guest's PL011 line and their own state under one spin lock, held only
// across kernel calls that do not block (the kernel console, vcpu_*,
// vm_restart), never across reply_recv.
#pragma once

#include <kestrel/syscall.hpp>

namespace test_vmm {

inline constexpr uint64_t first_stack = 0x80'0000;
inline constexpr uint64_t stack_spacing = 0x10'0000;
inline constexpr uint64_t uart_data = 0x0900'0000;  // the guest's emulated PL011 data register

// The CPU (and exit endpoint slot) of the calling thread, from its stack.
inline uint64_t this_threads_cpu() {
  uint64_t sp;
  asm volatile("mov %0, sp" : "=r"(sp));
  return (sp - 1 - first_stack) / stack_spacing;
}

inline bool lock_taken = false;

struct Locked {
  Locked() {
    while (__atomic_test_and_set(&lock_taken, __ATOMIC_ACQUIRE)) asm volatile("yield");
  }
  ~Locked() { __atomic_clear(&lock_taken, __ATOMIC_RELEASE); }
  Locked(const Locked&) = delete;
  Locked& operator=(const Locked&) = delete;
};

// An exit the test VMM does not expect: said, and its vCPU is stopped
// (returns the reply flags for that).
inline uint64_t refuse_unexpected(uint64_t console, const kestrel::Exit_message& exit) {
  kestrel::console_print(console, "unexpected exit ");
  kestrel::console_print_hex(console, static_cast<uint64_t>(exit.kind));
  kestrel::console_print(console, " at ");
  kestrel::console_print_hex(console, exit.address);
  kestrel::console_print(console, "; stopping the vCPU\n");
  return kestrel::abi::reply_stop;
}

// The guest's PL011 output, printed a line at a time as "guest says: ...".
class Guest_lines {
 public:
  explicit constexpr Guest_lines(uint64_t console) : console_(console) {}

  void put(char c) {
    if (length_ < sizeof line_) line_[length_++] = c;
    if (c == '\n' || length_ == sizeof line_) {
      kestrel::console_print(console_, "guest says: ");
      kestrel::console_write(console_, line_, length_);
      length_ = 0;
    }
  }
  void forget() { length_ = 0; }  // the guest restarted mid-line

 private:
  uint64_t console_;
  char line_[128] = {};
  uint64_t length_ = 0;
};

}  // namespace test_vmm
