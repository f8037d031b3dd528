// SPDX-License-Identifier: Apache-2.0
// Scheduler: which thread runs next on the boot CPU.
//
// The kernel core's first slice: a thread runs until it exits, faults or
// yields; the highest-priority ready thread runs next, round-robin among
// equals. Timer preemption, time windows, passive servers and the other CPUs
// come with the scheduling issue.
#pragma once

#include <cstdint>

#include <kestrel/abi/limits.hpp>
#include <kestrel/thread.hpp>

namespace kestrel {

class Scheduler final {
 public:
  void add(Thread& thread);
  Thread* current() const { return current_; }

  // The thread to run now: the highest-priority ready thread, preferring the
  // ones after the current thread among equals (so yield rotates). nullptr if
  // no thread is ready.
  [[nodiscard]] Thread* pick_next() const;
  void set_current(Thread* thread) { current_ = thread; }

 private:
  Thread* threads_[abi::max_threads] = {};
  uint32_t count_ = 0;
  Thread* current_ = nullptr;
};

// The boot CPU's scheduler.
Scheduler& boot_cpu_scheduler();

}  // namespace kestrel
