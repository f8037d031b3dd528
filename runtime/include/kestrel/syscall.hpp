// SPDX-License-Identifier: Apache-2.0
// Syscall wrappers: the partition side of abi/include/kestrel/abi/syscall.hpp.
#pragma once

#include <cstddef>
#include <cstdint>

#include <kestrel/abi/syscall.hpp>

namespace kestrel {

struct Syscall_result {
  abi::Status status;
  uint64_t value;  // x1 on return
};

inline Syscall_result syscall(abi::Syscall number, uint64_t a0 = 0, uint64_t a1 = 0, uint64_t a2 = 0, uint64_t a3 = 0,
                              uint64_t a4 = 0, uint64_t a5 = 0) {
  register uint64_t x0 asm("x0") = a0;
  register uint64_t x1 asm("x1") = a1;
  register uint64_t x2 asm("x2") = a2;
  register uint64_t x3 asm("x3") = a3;
  register uint64_t x4 asm("x4") = a4;
  register uint64_t x5 asm("x5") = a5;
  register uint64_t x8 asm("x8") = static_cast<uint64_t>(number);
  asm volatile("svc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5) : "r"(x8) : "memory");
  return {static_cast<abi::Status>(x0), x1};
}

inline abi::Status console_write(uint64_t console, const char* text, size_t length) {
  return syscall(abi::Syscall::console_write, console, reinterpret_cast<uint64_t>(text), length).status;
}

inline abi::Status console_print(uint64_t console, const char* text) {
  size_t length = 0;
  while (text[length] != '\0') ++length;
  return console_write(console, text, length);
}

// "0x" and 16 hexadecimal digits.
inline abi::Status console_print_hex(uint64_t console, uint64_t value) {
  char text[19] = "0x";
  for (int i = 0; i < 16; ++i) text[2 + i] = "0123456789abcdef"[(value >> (60 - 4 * i)) & 0xf];
  text[18] = '\0';
  return console_print(console, text);
}

// `text`, `value` in hexadecimal and a newline, in one console_write (so
// that lines from other CPUs cannot land inside it). Text past 100 bytes is
// cut.
inline abi::Status console_print_line(uint64_t console, const char* text, uint64_t value) {
  char line[128];
  size_t length = 0;
  while (text[length] != '\0' && length < 100) {
    line[length] = text[length];
    ++length;
  }
  line[length++] = '0';
  line[length++] = 'x';
  for (int i = 0; i < 16; ++i) line[length++] = "0123456789abcdef"[(value >> (60 - 4 * i)) & 0xf];
  line[length++] = '\n';
  return console_write(console, line, length);
}

inline void yield() { syscall(abi::Syscall::yield); }

// A message as recv, reply_recv and call return it (see "Messages" in
// abi/syscall.hpp): words 0-4 from registers, the rest in the IPC buffer.
struct Message {
  abi::Status status;
  uint64_t badge;
  uint64_t info;
  uint64_t words[abi::message_register_words];

  uint64_t label() const { return abi::message_label(info); }
  uint64_t length() const { return abi::message_length(info); }
  // recv's wait ended by the notification it also waited on: its word is
  // in `badge`.
  bool is_notification() const { return label() == abi::notification_label; }
};

// "No notification" for receive's second argument.
inline constexpr uint64_t no_notification = ~uint64_t{0};

// The message-passing calls all use this register layout: x0 capability, x2
// info, x3-x7 words in; x0 status, x1 badge, x2 info, x3-x7 words out.
inline Message message_syscall(abi::Syscall number, uint64_t capability, uint64_t info, const uint64_t* words,
                               uint64_t notification = no_notification) {
  register uint64_t x0 asm("x0") = capability;
  register uint64_t x1 asm("x1") = notification == no_notification ? 0 : notification + 1;
  register uint64_t x2 asm("x2") = info;
  register uint64_t x3 asm("x3") = words[0];
  register uint64_t x4 asm("x4") = words[1];
  register uint64_t x5 asm("x5") = words[2];
  register uint64_t x6 asm("x6") = words[3];
  register uint64_t x7 asm("x7") = words[4];
  register uint64_t x8 asm("x8") = static_cast<uint64_t>(number);
  asm volatile("svc #0"
               : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5), "+r"(x6), "+r"(x7)
               : "r"(x8)
               : "memory");
  return {static_cast<abi::Status>(x0), x1, x2, {x3, x4, x5, x6, x7}};
}

// Words 5 and up of messages go through the IPC buffer, which the thread
// names once (ipc_buffer_size bytes of its writable memory).
inline abi::Status set_ipc_buffer(uint64_t* buffer) {
  return syscall(abi::Syscall::set_ipc_buffer, reinterpret_cast<uint64_t>(buffer)).status;
}

// Calls on endpoint capability `endpoint` with `label` and the first
// `length` of `words` (words past 5 must also be in the IPC buffer).
inline Message call(uint64_t endpoint, uint64_t label, const uint64_t (&words)[5], uint64_t length = 5) {
  return message_syscall(abi::Syscall::call, endpoint, abi::message_info(label, length), words);
}
inline abi::Status send(uint64_t endpoint, uint64_t label, const uint64_t (&words)[5], uint64_t length = 5) {
  return message_syscall(abi::Syscall::send, endpoint, abi::message_info(label, length), words).status;
}
inline abi::Status nb_send(uint64_t endpoint, uint64_t label, const uint64_t (&words)[5], uint64_t length = 5) {
  return message_syscall(abi::Syscall::nb_send, endpoint, abi::message_info(label, length), words).status;
}

// Receives on `endpoint`; with a notification slot, a signal on that
// notification ends the wait too (Message::is_notification).
inline Message receive(uint64_t endpoint, uint64_t notification = no_notification) {
  constexpr uint64_t none[5] = {};
  return message_syscall(abi::Syscall::recv, endpoint, 0, none, notification);
}
inline Message reply_and_receive(uint64_t endpoint, uint64_t label, const uint64_t (&words)[5], uint64_t length = 5,
                                 uint64_t notification = no_notification) {
  return message_syscall(abi::Syscall::reply_recv, endpoint, abi::message_info(label, length), words, notification);
}

// A VM exit or a thread fault (abi::Exit_kind), as a message of the kernel.
struct Exit_message {
  abi::Status status;
  uint64_t vcpu;
  abi::Exit_kind kind;  // 0 if the message is not the kernel's
  uint64_t address;     // hypercalls: the guest's x0
  uint64_t value;       // x1
  uint64_t size;        // x2
  uint64_t extra;       // x3
  // The receive ended on its notification instead (recv's x1).
  bool notified() const { return static_cast<uint64_t>(kind) == abi::notification_label - abi::kernel_label_base; }
};

inline Exit_message exit_of(const Message& message) {
  const uint64_t label = message.label();
  const auto kind =
      label >= abi::kernel_label_base ? static_cast<abi::Exit_kind>(label - abi::kernel_label_base) : abi::Exit_kind{};
  return {message.status,   message.words[0], kind, message.words[1], message.words[2],
          message.words[3], message.words[4]};
}

inline Exit_message recv(uint64_t endpoint, uint64_t notification = no_notification) {
  return exit_of(receive(endpoint, notification));
}

// Answers the exit received last with `value` and Reply_flags, then
// receives the next one.
inline Exit_message reply_recv(uint64_t endpoint, uint64_t value, uint64_t flags,
                               uint64_t notification = no_notification) {
  const uint64_t words[5] = {value, flags, 0, 0, 0};
  return exit_of(reply_and_receive(endpoint, 0, words, 2, notification));
}

// Notifications: signal ORs the capability's badge into the word; wait
// blocks until it is non-zero and takes it; poll takes it without blocking.
inline abi::Status signal(uint64_t notification) { return syscall(abi::Syscall::signal, notification).status; }
inline Syscall_result wait(uint64_t notification) { return syscall(abi::Syscall::wait, notification); }
inline Syscall_result poll(uint64_t notification) { return syscall(abi::Syscall::poll, notification); }

// The interrupt behind IRQ capability `irq` is handled; it may fire again.
inline abi::Status irq_ack(uint64_t irq) { return syscall(abi::Syscall::irq_ack, irq).status; }

// Makes virtual interrupt `intid` pending for the vCPU behind capability
// `vcpu` (a VMM's control of its guest's vCPU).
inline abi::Status vcpu_inject_interrupt(uint64_t vcpu, uint32_t intid) {
  return syscall(abi::Syscall::vcpu_inject_interrupt, vcpu, intid).status;
}

// Starts the not-yet-started vCPU behind capability `vcpu` at `entry` with
// x0 = `context` (PSCI CPU_ON on the guest's behalf).
inline abi::Status vcpu_start(uint64_t vcpu, uint64_t entry, uint64_t context) {
  return syscall(abi::Syscall::vcpu_start, vcpu, entry, context).status;
}

// Stops the vCPU behind capability `vcpu` for good (its VM is off); one
// waiting for this VMM's answer to an exit stops when it is answered.
inline abi::Status vcpu_stop(uint64_t vcpu) { return syscall(abi::Syscall::vcpu_stop, vcpu).status; }

// Restarts the VM of the vCPU in `vcpu_slot` (any of its vCPUs; the control
// right) from its image, as PSCI SYSTEM_RESET asks: returns once its RAM is
// what the image loaded again and its first vCPU is at its entry (ok), or
// measurement_mismatch if the restored memory differs from the image's (the
// VM stays stopped). The VMM resets its own device models.
inline abi::Status vm_restart(uint64_t vcpu_slot) { return syscall(abi::Syscall::vm_restart, vcpu_slot).status; }

// Maps `pages` pages of the pool in `pool_slot` (a memory_pool capability),
// from `pool_page`, into the window in `map_into_slot` (a map_into
// capability) at `window_page`, with `rights` (abi::map_read, or
// abi::map_read | abi::map_write); the IPCM opening a tunnel (docs/ipcm.md).
inline abi::Status memory_map(uint64_t pool_slot, uint64_t pool_page, uint64_t pages, uint64_t map_into_slot,
                              uint64_t window_page, uint64_t rights) {
  return syscall(abi::Syscall::memory_map, pool_slot, pool_page, pages, map_into_slot, window_page, rights).status;
}

// Unmaps `pages` window pages from `window_page` that memory_map mapped
// through `map_into_slot`; when it returns (ok), no CPU can reach them
// through the window any more.
inline abi::Status memory_unmap(uint64_t map_into_slot, uint64_t window_page, uint64_t pages) {
  return syscall(abi::Syscall::memory_unmap, map_into_slot, window_page, pages).status;
}

// Powers the machine off through the power capability in slot `power`
// (mayPowerOff in the policy); returns only with the status of a refusal.
inline abi::Status system_off(uint64_t power) { return syscall(abi::Syscall::system_off, power).status; }

// runtime/start.S calls it by number when main returns.
static_assert(static_cast<uint64_t>(abi::Syscall::thread_exit) == 1, "runtime/start.S's thread_exit number");

[[noreturn]] inline void thread_exit() {
  syscall(abi::Syscall::thread_exit);
  for (;;) {
  }
}

}  // namespace kestrel
