// SPDX-License-Identifier: Apache-2.0
// Syscall: the system-call ABI between partitions and the kernel, shared by
// both (docs/abi.md explains it).
//
// A native thread calls the kernel with `svc #0`: the system-call number in
// x8, arguments in x0-x5. On return x0 holds a Status and x1-x5 any results;
// every other register is preserved. Capabilities are named by their index
// in the calling partition's capability table (the summary of kestrel-policy
// lists the slots). Numbers and codes never change meaning once released.
#pragma once

#include <cstdint>

namespace kestrel::abi {

enum class Syscall : uint64_t {
  console_write = 0,  // x0 console capability, x1 buffer address, x2 length (<= console_write_max)
  thread_exit = 1,    // the calling thread stops for good; never returns
  yield = 2,          // let another ready thread of the same priority run
  // Receive on an endpoint (receive right): blocks until a message arrives.
  // So far the only messages are VM exits (Exit_kind); the IPC issue adds
  // calls from other partitions.
  //   x0 endpoint capability
  //   returns x1 vCPU index, x2 Exit_kind, x3 guest-physical address (MMIO)
  //   or the guest's x0 (HVC/SMC), x4 the value written (MMIO write) or the
  //   guest's x1, x5 the access size in bytes (MMIO) or the exit's ESR
  recv = 3,
  // Answer the exit received last, then receive again (as recv).
  //   x0 endpoint capability, x1 the value an MMIO read returns or the
  //   guest's new x0 (HVC/SMC), x2 Reply_flags
  reply_recv = 4,
  // Make a virtual interrupt pending for a vCPU (its VMM's vCPU capability,
  // control right); a vCPU waiting in WFI wakes.
  //   x0 vCPU capability, x1 interrupt ID (0 .. 127)
  vcpu_inject_interrupt = 5,
};
// Numbers from here up are not (yet) system calls.
inline constexpr uint64_t syscall_count = 6;

enum class Exit_kind : uint64_t {
  mmio_read = 1,   // a load from an address the VM has no memory at
  mmio_write = 2,  // a store to one
  hypercall = 3,   // HVC or SMC (PSCI, for instance)
  other = 4,       // any other trap; x5 holds its ESR
  // A native thread's fault, sent to its fault handler (Thread.faultHandler
  // in the policy): x3 the faulting address (FAR), x4 the pc, x5 the ESR.
  // Replying with reply_resume retries the instruction; reply_stop stops the
  // thread.
  thread_fault = 5,
};

enum Reply_flags : uint64_t {
  reply_resume = 1U << 0,  // continue the vCPU after the trapping instruction
  reply_stop = 1U << 1,    // stop the vCPU for good
};

enum class Status : uint64_t {
  ok = 0,
  invalid_syscall = 1,        // no such system-call number
  invalid_capability = 2,     // the index is outside the partition's capability table
  wrong_capability_type = 3,  // the capability is of another kind than the call needs
  missing_right = 4,          // the capability lacks the right the call needs
  invalid_argument = 5,       // an argument is out of range (e.g. too long)
  bad_address = 6,            // a buffer is not in the partition's readable (or writable) memory
  would_deadlock = 7,         // receiving now could never return (no other thread can send)
};

inline constexpr uint64_t console_write_max = 256;  // bytes per console_write

}  // namespace kestrel::abi
