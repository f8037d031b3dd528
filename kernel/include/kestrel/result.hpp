// SPDX-License-Identifier: Apache-2.0
// Result: what an invoke step (ipc, notification, vm_restart) tells the
// system-call handler: the status for the caller's x0, and whether the CPU
// must pick another thread.
#pragma once

#include <kestrel/abi/syscall.hpp>

namespace kestrel {

class [[nodiscard]] Result final {
 public:
  // Done: `status` goes to the caller's x0 (any other result, such as a
  // message or a notification's word, is in its registers already).
  static constexpr Result done(abi::Status status = abi::Status::ok) { return {status, false, true}; }

  // Done (ok), and the caller gives up the CPU (yield).
  static constexpr Result done_then_reschedule() { return {abi::Status::ok, true, true}; }

  // The caller blocked, or stopped for good: its x0 is written by whoever
  // ends the wait (a reply, a signal, a restart finishing; a preset value
  // for send), and the CPU picks another thread.
  static constexpr Result blocked() { return {abi::Status::ok, true, false}; }

  [[nodiscard]] constexpr abi::Status status() const { return status_; }
  [[nodiscard]] constexpr bool ok() const { return status_ == abi::Status::ok; }
  [[nodiscard]] constexpr bool reschedule() const { return reschedule_; }
  // Whether the status is the caller's x0 now (false: once it is woken).
  [[nodiscard]] constexpr bool status_now() const { return status_now_; }

 private:
  constexpr Result(abi::Status status, bool reschedule, bool status_now)
      : status_(status), reschedule_(reschedule), status_now_(status_now) {}

  abi::Status status_;
  bool reschedule_;
  bool status_now_;
};

}  // namespace kestrel
