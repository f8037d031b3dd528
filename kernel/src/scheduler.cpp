// SPDX-License-Identifier: Apache-2.0
// Scheduler: the ready-thread choice.
#include <kestrel/scheduler.hpp>

namespace kestrel {

void Scheduler::add(Thread& thread) {
  if (count_ < abi::max_threads) threads_[count_++] = &thread;
}

Thread* Scheduler::pick_next() const {
  uint32_t start = 0;
  for (uint32_t i = 0; i < count_; ++i) {
    if (threads_[i] == current_) start = i + 1;
  }
  Thread* best = nullptr;
  for (uint32_t n = 0; n < count_; ++n) {
    Thread* candidate = threads_[(start + n) % count_];
    if (candidate->state != Thread::State::ready) continue;
    if (best == nullptr || candidate->priority() > best->priority()) best = candidate;
  }
  return best;
}

Scheduler& boot_cpu_scheduler() {
  static Scheduler scheduler;  // constant-initialised: no guard, no constructor call
  return scheduler;
}

}  // namespace kestrel
