// SPDX-License-Identifier: Apache-2.0
// Scheduler: which thread runs next on one CPU.
//
// Each CPU has its own scheduler holding the threads the policy pins to it.
// A thread runs until it blocks, exits, faults or yields, or until a
// higher-priority thread of its CPU becomes ready; the highest-priority ready
// thread runs next, round-robin among equals. Time windows, budgets and
// passive servers come with the scheduling issue.
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

  // A ready thread of higher priority than the current one (or any ready
  // thread if none runs): a reason to preempt.
  [[nodiscard]] bool should_preempt() const;

  // The earliest time (counter ticks) a sleeping thread wants to wake, 0 if
  // none sleeps with a deadline.
  [[nodiscard]] uint64_t earliest_wakeup() const;

  // Makes every sleeping thread whose deadline is at or before `now` ready.
  void wake_sleepers(uint64_t now);

 private:
  Thread* threads_[abi::max_threads] = {};
  uint32_t count_ = 0;
  Thread* current_ = nullptr;
};

// The scheduler of CPU `cpu` (< abi::max_cpus), and of the executing CPU.
Scheduler& cpu_scheduler(unsigned cpu);
Scheduler& this_cpu_scheduler();

}  // namespace kestrel
