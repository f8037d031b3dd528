// SPDX-License-Identifier: Apache-2.0
// Result: what an invoke step (ipc, notification, vm_restart) tells the
// system-call handler: the status for the caller's x0, and whether the CPU
// must pick another thread; and Decoded, what a decode step gives it.
#pragma once

#include <cstdint>

#include <kestrel/abi/syscall.hpp>

namespace kestrel {

class [[nodiscard]] Result final {
 public:
  // Done: `status` goes to the caller's x0 (any other result, such as a
  // message or a notification's word, is in its registers already).
  static constexpr Result done(abi::Status status = abi::Status::ok) { return Result{static_cast<uint64_t>(status)}; }

  // Done (ok), and the caller gives up the CPU (yield).
  static constexpr Result done_then_reschedule() { return Result{reschedule_bit}; }

  // The caller blocked, or stopped for good: its x0 is written by whoever
  // ends the wait (a reply, a signal, a restart finishing; a preset value
  // for send), and the CPU picks another thread.
  static constexpr Result blocked() { return Result{reschedule_bit | status_later_bit}; }

  [[nodiscard]] constexpr abi::Status status() const { return static_cast<abi::Status>(bits_ & status_mask); }
  [[nodiscard]] constexpr bool ok() const { return status() == abi::Status::ok; }
  [[nodiscard]] constexpr bool reschedule() const { return (bits_ & reschedule_bit) != 0; }
  // Whether the status is the caller's x0 now (false: once it is woken).
  [[nodiscard]] constexpr bool status_now() const { return (bits_ & status_later_bit) == 0; }

 private:
  // One word, so that it travels in a register between the invoke steps
  // and the handler (the slow paths' figures count every instruction).
  static constexpr uint64_t status_mask = 0xffff'ffff;
  static constexpr uint64_t reschedule_bit = uint64_t{1} << 32;
  static constexpr uint64_t status_later_bit = uint64_t{1} << 33;
  constexpr explicit Result(uint64_t bits) : bits_(bits) {}

  uint64_t bits_;
};
static_assert(sizeof(Result) == 8);

// What a decode step gives: a status, and if it is ok, the call's checked
// operands (`Invocation`), which its invoke step uses and cannot fail with.
template <typename Invocation>
struct [[nodiscard]] Decoded {
  abi::Status status;
  Invocation invocation;

  static constexpr Decoded failed(abi::Status why) { return {why, {}}; }
  static constexpr Decoded ok(Invocation checked) { return {abi::Status::ok, checked}; }
};

}  // namespace kestrel
