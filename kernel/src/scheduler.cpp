// SPDX-License-Identifier: Apache-2.0
// Scheduler: the ready-thread choice.
#include <kestrel/scheduler.hpp>

namespace kestrel {
namespace {

Scheduler schedulers[abi::max_cpus];  // constant-initialised: no constructor runs

}  // namespace

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

bool Scheduler::should_preempt() const {
  const Thread* best = pick_next();
  if (best == nullptr) return false;
  if (current_ == nullptr || current_->state != Thread::State::ready) return true;
  return best->priority() > current_->priority();
}

uint64_t Scheduler::earliest_wakeup() const {
  uint64_t earliest = 0;
  for (uint32_t i = 0; i < count_; ++i) {
    const Thread& thread = *threads_[i];
    if (thread.state != Thread::State::blocked_wait || thread.wake_at == 0) continue;
    if (earliest == 0 || thread.wake_at < earliest) earliest = thread.wake_at;
  }
  return earliest;
}

void Scheduler::wake_sleepers(uint64_t now) {
  for (uint32_t i = 0; i < count_; ++i) {
    Thread& thread = *threads_[i];
    if (thread.state == Thread::State::blocked_wait && thread.wake_at != 0 && thread.wake_at <= now) {
      thread.wake_at = 0;
      thread.state = Thread::State::ready;
    }
  }
}

Scheduler& cpu_scheduler(unsigned cpu) { return schedulers[cpu < abi::max_cpus ? cpu : 0]; }

}  // namespace kestrel
