// SPDX-License-Identifier: Apache-2.0
// Syscall arguments: what each system call's registers mean (docs/abi.md),
// read once from the caller's frame. Reading checks nothing; syscall.cpp's
// decode step checks every field before anything happens.
#pragma once

#include <cstdint>

#include <arch/exception.hpp>
#include <kestrel/abi/syscall.hpp>
#include <kestrel/result.hpp>

namespace kestrel::syscall {

// A capability as the caller names it: an index into its partition's table.
struct Capability_slot {
  uint64_t index;
};

// A message's info word as the sender wrote it (length and label unchecked).
struct Message_info {
  uint64_t word;
  [[nodiscard]] constexpr uint64_t length() const { return abi::message_length(word); }
  [[nodiscard]] constexpr uint64_t label() const { return abi::message_label(word); }
};

// thread_exit, yield: no arguments. signal, wait, poll, irq_ack, vcpu_stop,
// system_off, vm_restart: x0 the capability.
struct Capability_arguments {
  Capability_slot capability;
  static Capability_arguments from(const arch::Exception_frame& frame) { return {{frame.x[0]}}; }
};

// console_write: x0 the console, x1 the buffer's address, x2 its length.
struct Console_write_arguments {
  Capability_slot console;
  uint64_t buffer;
  uint64_t length;
  static Console_write_arguments from(const arch::Exception_frame& frame) {
    return {{frame.x[0]}, frame.x[1], frame.x[2]};
  }
};

// call, send, nb_send: x0 the endpoint, x2 the info (x3-x7 the words, which
// ipc.cpp copies straight from the frame).
struct Send_arguments {
  Capability_slot endpoint;
  Message_info info;
  static Send_arguments from(const arch::Exception_frame& frame) { return {{frame.x[0]}, {frame.x[2]}}; }
};

// recv, reply_recv: x0 the endpoint, x1 0 or 1 + a notification's slot;
// reply_recv's x2 the reply's info.
struct Receive_arguments {
  Capability_slot endpoint;
  bool with_notification;
  Capability_slot notification;  // meaningful only with_notification
  Message_info reply_info;
  static Receive_arguments from(const arch::Exception_frame& frame) {
    return {{frame.x[0]}, frame.x[1] != 0, {frame.x[1] - 1}, {frame.x[2]}};
  }
};

// vcpu_inject_interrupt: x0 the vCPU, x1 the interrupt ID.
struct Vcpu_inject_arguments {
  Capability_slot vcpu;
  uint64_t intid;
  static Vcpu_inject_arguments from(const arch::Exception_frame& frame) { return {{frame.x[0]}, frame.x[1]}; }
};

// vcpu_start: x0 the vCPU, x1 its entry (guest-physical), x2 its x0.
struct Vcpu_start_arguments {
  Capability_slot vcpu;
  uint64_t entry;
  uint64_t first_x0;
  static Vcpu_start_arguments from(const arch::Exception_frame& frame) {
    return {{frame.x[0]}, frame.x[1], frame.x[2]};
  }
};

// set_ipc_buffer: x0 the buffer's address, 0 for none.
struct Ipc_buffer_arguments {
  uint64_t address;
  static Ipc_buffer_arguments from(const arch::Exception_frame& frame) { return {frame.x[0]}; }
};

// memory_map: x0 the pool, x1 its first page, x2 the page count, x3 the
// map_into window, x4 its first page, x5 the rights.
struct Memory_map_arguments {
  Capability_slot pool;
  uint64_t pool_page;
  uint64_t pages;
  Capability_slot window;
  uint64_t window_page;
  uint64_t rights;
  static Memory_map_arguments from(const arch::Exception_frame& frame) {
    return {{frame.x[0]}, frame.x[1], frame.x[2], {frame.x[3]}, frame.x[4], frame.x[5]};
  }
};

// memory_unmap: x0 the map_into window, x1 its first page, x2 the page count.
struct Memory_unmap_arguments {
  Capability_slot window;
  uint64_t window_page;
  uint64_t pages;
  static Memory_unmap_arguments from(const arch::Exception_frame& frame) {
    return {{frame.x[0]}, frame.x[1], frame.x[2]};
  }
};

// What a decode step gives (result.hpp).
using kestrel::Decoded;

}  // namespace kestrel::syscall
