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
  // Receive on an endpoint (receive right): blocks until a message arrives
  // and returns it ("Messages" below); a call's caller then waits for this
  // thread's reply_recv.
  //   x0 endpoint capability; x1 0, or 1 + the slot of a notification
  //   (receive right) that also ends the wait: its word then comes back as
  //   a message labelled notification_label, the word in x1 (the badge)
  recv = 3,
  // Answer the call received last (a message, "Messages" below), then
  // receive again as recv. Without a call to answer it is just recv.
  //   x0 endpoint capability, x1 as recv, x2 reply info, x3-x7 reply words
  reply_recv = 4,
  // Make a virtual interrupt pending for a vCPU (its VMM's vCPU capability,
  // control right); a vCPU waiting in WFI wakes.
  //   x0 vCPU capability, x1 interrupt ID (0 .. 1019)
  vcpu_inject_interrupt = 5,
  // Send a message on an endpoint (send right) and wait for the reply,
  // which returns as a message.
  //   x0 endpoint capability, x2 info, x3-x7 words
  call = 6,
  // Send a message and continue once it is delivered; blocks while no
  // receiver takes it.
  send = 7,
  // Send a message only if a receiver waits now; otherwise return
  // would_block and drop it.
  nb_send = 8,
  // OR the capability's badge into a notification's word (send right); the
  // owner waiting on it wakes.
  //   x0 notification capability
  signal = 9,
  // Wait until a notification's word is non-zero (receive right), then take
  // it: returns x1 the word (now zero again).
  //   x0 notification capability
  wait = 10,
  // Take a notification's word without blocking: x1 the word, 0 if none.
  poll = 11,
  // The interrupt behind an IRQ capability (control right) was handled: it
  // may fire again.
  //   x0 IRQ capability
  irq_ack = 12,
  // Where the calling thread's IPC buffer is: message words 5 and up are
  // read from and written to it (x0 its address, 8-byte aligned, inside one
  // writable region of the partition; 0: none).
  set_ipc_buffer = 13,
  // Start a vCPU that has not run yet (a VMM answering the guest's PSCI
  // CPU_ON): it begins at EL1 at x1 with x0 = x2, the MMU off. Refused
  // (invalid_argument) if the vCPU has run before.
  //   x0 vCPU capability (control right), x1 entry (guest-physical), x2 its x0
  vcpu_start = 14,
  // Power the machine off (the policy's mayPowerOff); does not return.
  //   x0 power capability (control right)
  system_off = 15,
  // Stop a vCPU for good (a VMM ending its VM: PSCI SYSTEM_OFF). One that
  // waits for its VMM's answer to an exit stops when that answer comes.
  // Stopping a stopped vCPU changes nothing.
  //   x0 vCPU capability (control right)
  vcpu_stop = 16,
  // Restart a VM from its image (a VMM answering PSCI SYSTEM_RESET): every
  // vCPU stops wherever it runs (one waiting for its VMM's answer is not
  // resumed by a late one), guest RAM is zeroed and what the image loaded
  // is copied back from its pristine copy and measured again; then the
  // first vCPU starts at its entry with x0 = the device tree, the others
  // are off until vcpu_start, and no virtual interrupt is pending. Returns
  // once that is done (ok), or measurement_mismatch if the memory differs
  // from the image's digest (the VM then stays stopped, with a log line).
  // invalid_argument: the VM is not restartable (or not running: refused
  // at boot), is the caller's own, or is being restarted already.
  //   x0 vCPU capability of the VM (control right; any of its vCPUs)
  vm_restart = 17,
  // Map pool pages into another partition's map window (the IPCM opening a
  // tunnel, docs/ipcm.md): pages [x1, x1 + x2) of the pool behind a
  // memory_pool capability go to window pages [x4, x4 + x2) of the
  // partition a map_into capability names, as normal write-back memory,
  // never executable, with rights x5 (Map_rights: map_read, or map_read |
  // map_write). Usable by the target as soon as the call returns.
  //   x0 memory_pool capability (control right), x1 first pool page,
  //   x2 page count, x3 map_into capability (control right), x4 first
  //   window page, x5 rights
  // invalid_argument: count 0, a range outside the pool or the window,
  // rights neither 1 nor 3, or a window page already mapped. missing_right:
  // rights beyond the window's.
  memory_map = 18,
  // Unmap window pages that memory_map mapped: once it returns, no CPU can
  // reach the pages through the target any more (its TLB entries are gone
  // on every CPU), so the caller may reuse them.
  //   x0 map_into capability (control right), x1 first window page,
  //   x2 page count
  // invalid_argument: count 0, a range outside the window, or a page in it
  // that is not mapped.
  memory_unmap = 19,
};
// Numbers from here up are not (yet) system calls.
inline constexpr uint64_t syscall_count = 20;

// memory_map's rights (x5), and a map window's most (Map_window_entry).
enum Map_rights : uint64_t {
  map_read = 1U << 0,
  map_write = 1U << 1,  // only with map_read
};
inline constexpr uint64_t max_map_window_pages = uint64_t{1} << 20;  // 4 GiB

// Messages. A sender puts an info word in x2 and the first
// message_register_words words in x3-x7; the others follow in its IPC buffer
// at the same word index (word 5 at byte offset 40). The receiver gets x0
// ok, x1 the badge of the sender's capability (0 for a reply), x2 the info
// and the words in x3-x7 and its own IPC buffer. Words beyond what the
// receiver's IPC buffer holds are dropped: the info's length says how many
// arrived.
inline constexpr uint64_t message_register_words = 5;
inline constexpr uint64_t max_message_words = 64;
inline constexpr uint64_t ipc_buffer_size = max_message_words * 8;

// Info word: length (words) in bits 0-6, the sender's label in bits 8-63.
inline constexpr uint64_t info_length_mask = 0x7f;
inline constexpr unsigned info_label_shift = 8;
constexpr uint64_t message_info(uint64_t label, uint64_t length) { return (label << info_label_shift) | length; }
constexpr uint64_t message_length(uint64_t info) { return info & info_length_mask; }
constexpr uint64_t message_label(uint64_t info) { return info >> info_label_shift; }

// Labels from kernel_label_base up mark messages the kernel makes: VM exits
// and thread faults, label kernel_label_base + Exit_kind. Senders cannot use
// them.
inline constexpr uint64_t kernel_label_base = uint64_t{1} << 55;
// What recv returns when the notification it also waits on (x1) ends the
// wait: this label, no words, the notification's word as the badge (x1).
inline constexpr uint64_t notification_label = kernel_label_base + 0x100;

// A VM exit or a thread fault, as a message of five words: the vCPU index
// (thread faults: 0), then by kind:
//   mmio_read / mmio_write: guest-physical address, value written, size (bytes), 0
//   hypercall: the guest's x0 (e.g. a PSCI function), x1, x2, x3
//   other: FAR, 0, ESR, 0
//   thread_fault: faulting address (FAR), pc, ESR, 0
//   system_register: the register (system_register_id), the value written
//     (0 for a read), 1 for a read (0 for a write), the guest's register
//     number Rt (31: xzr)
// The reply's words: the value (an MMIO or system-register read's result,
// the guest's new x0 after a hypercall), then Reply_flags.
enum class Exit_kind : uint64_t {
  mmio_read = 1,   // a load from an address the VM has no memory at
  mmio_write = 2,  // a store to one
  hypercall = 3,   // HVC or SMC (PSCI, for instance)
  other = 4,       // any other trap; x5 holds its ESR
  // A native thread's fault, sent to its fault handler (Thread.faultHandler
  // in the policy). Replying with reply_resume retries the instruction;
  // reply_stop stops the thread.
  thread_fault = 5,
  // An MRS or MSR of a system register the kernel neither gives the guest
  // nor emulates itself.
  system_register = 6,
};

// A system register as system_register exits name it: one hex digit per
// field of the MRS/MSR encoding, op0 op1 CRn CRm op2 (ICC_SGI1R_EL1,
// S3_0_C12_C11_5, is 0x30cb5).
constexpr uint64_t system_register_id(uint64_t op0, uint64_t op1, uint64_t crn, uint64_t crm, uint64_t op2) {
  return (op0 << 16) | (op1 << 12) | (crn << 8) | (crm << 4) | op2;
}

enum Reply_flags : uint64_t {
  reply_resume = 1U << 0,  // continue the vCPU after the trapping instruction
  reply_stop = 1U << 1,    // stop the vCPU for good
  // The guest takes an undefined-instruction exception at the trapping
  // instruction, as if the register or instruction did not exist (vCPUs only).
  reply_undefined = 1U << 2,
  // The vCPU is off (PSCI CPU_OFF): it does not run until its VMM starts it
  // again with vcpu_start, from reset. A native thread is stopped instead.
  reply_power_off = 1U << 3,
};

enum class Status : uint64_t {
  ok = 0,
  invalid_syscall = 1,        // no such system-call number
  invalid_capability = 2,     // the index is outside the partition's capability table
  wrong_capability_type = 3,  // the capability is of another kind than the call needs
  missing_right = 4,          // the capability lacks the right the call needs
  invalid_argument = 5,       // an argument is out of range (e.g. too long)
  bad_address = 6,            // a buffer is not in the partition's readable (or writable) memory
  would_deadlock = 7,         // another thread already waits to receive on that endpoint or notification
  would_block = 8,            // nb_send: no receiver was waiting; the message is dropped
  peer_stopped = 9,           // the partition that serves the endpoint has no thread left, or the
                              // thread serving the call stopped before it replied
  measurement_mismatch = 10,  // vm_restart: the restored memory is not what the image measured
};

inline constexpr uint64_t console_write_max = 256;  // bytes per console_write

}  // namespace kestrel::abi
