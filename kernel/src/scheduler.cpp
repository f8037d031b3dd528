// SPDX-License-Identifier: Apache-2.0
// Scheduler: windows, priorities and budgets.
#include <kestrel/scheduler.hpp>

namespace kestrel {

Scheduler cpu_schedulers[abi::max_cpus];  // constant-initialised: no constructor runs

namespace {

uint64_t earlier(uint64_t a, uint64_t b) {
  if (a == 0) return b;
  if (b == 0) return a;
  return a < b ? a : b;
}

}  // namespace

void Scheduler::configure(const abi::Cpu_plan_entry& plan, Span<const abi::Window_entry> windows, uint64_t frequency,
                          uint64_t epoch) {
  plan_.configure(plan, windows, frequency, epoch);
  frequency_ = frequency;
  now_ = epoch;
  window_ = plan_.at(epoch);
}

void Scheduler::add(Thread& thread) {
  if (count_ == abi::max_threads) return;
  threads_[count_++] = &thread;
  if (thread.budget_ns() != 0 && thread.period_ns() != 0 && frequency_ != 0) {
    thread.budget_ticks = Plan::ticks(thread.budget_ns(), frequency_);
    thread.period_ticks = Plan::ticks(thread.period_ns(), frequency_);
    if (thread.budget_ticks == 0) thread.budget_ticks = 1;
    if (thread.period_ticks < thread.budget_ticks) thread.period_ticks = thread.budget_ticks;
    thread.budget_left = static_cast<int64_t>(thread.budget_ticks);
    thread.period_end = now_ + thread.period_ticks;
  }
}

void Scheduler::refill(Thread& thread, uint64_t now) const {
  if (thread.budget_ticks == 0 || now < thread.period_end) return;
  const uint64_t periods = (now - thread.period_end) / thread.period_ticks + 1;
  thread.period_end += periods * thread.period_ticks;
  thread.budget_left = static_cast<int64_t>(thread.budget_ticks);
}

void Scheduler::advance(uint64_t now) {
  if (now < now_) now = now_;  // the counter never runs backwards; be sure of it
  if (current_ != nullptr) {
    if (Thread* donor = current_->donor(); donor != nullptr && donor->budget_ticks != 0) {
      refill(*donor, now_);
      donor->budget_left -= static_cast<int64_t>(now - now_);
    }
  }
  now_ = now;
  if (plan_.configured()) window_ = plan_.at(now);
}

void Scheduler::wake_due() {
  for (uint32_t i = 0; i < count_; ++i) {
    Thread& thread = *threads_[i];
    refill(thread, now_);
    if (thread.state == Thread::State::blocked_wait && thread.wake_at != 0 && thread.wake_at <= now_) {
      thread.wake_at = 0;
      thread.state = Thread::State::ready;
    }
  }
}

Thread* Scheduler::pick_next() const {
  uint32_t start = 0;
  for (uint32_t i = 0; i < count_; ++i) {
    if (threads_[i] == current_) start = i + 1;
  }
  Thread* best = nullptr;
  for (uint32_t n = 0; n < count_; ++n) {
    Thread* candidate = threads_[(start + n) % count_];
    if (!may_run(*candidate)) continue;
    if (best == nullptr || candidate->priority() > best->priority()) best = candidate;
  }
  return best;
}

Thread* Scheduler::better_thread() const {
  Thread* const best = pick_next();
  if (best == nullptr || best == current_) return nullptr;
  if (current_ == nullptr || !may_run(*current_) || best->priority() > current_->priority()) return best;
  return nullptr;
}

uint64_t Scheduler::next_event() const {
  uint64_t next = 0;
  if (plan_.configured() && !plan_.exclusive()) next = window_.ends_at;
  if (current_ != nullptr) {
    const Thread* donor = current_->donor();
    if (donor != nullptr && donor->budget_ticks != 0 && donor->budget_left > 0) {
      next = earlier(next, now_ + static_cast<uint64_t>(donor->budget_left));
    }
  }
  for (uint32_t i = 0; i < count_; ++i) {
    const Thread& thread = *threads_[i];
    if (thread.budget_ticks != 0 && thread.budget_left <= 0) next = earlier(next, thread.period_end);
    if (thread.state == Thread::State::blocked_wait && thread.wake_at != 0) next = earlier(next, thread.wake_at);
  }
  return next;
}

bool Scheduler::none_better_than(const Thread& thread, const Thread& leaving) const {
  for (uint32_t i = 0; i < count_; ++i) {
    const Thread& other = *threads_[i];
    if (&other == &thread || &other == &leaving || other.priority() <= thread.priority()) continue;
    if (may_run(other)) return false;
  }
  return true;
}

bool Scheduler::has_ready_thread() const {
  for (uint32_t i = 0; i < count_; ++i) {
    // A passive server with nobody's time to run on will not run by itself.
    if (threads_[i]->state == Thread::State::ready && threads_[i]->donor() != nullptr) return true;
  }
  return false;
}

uint64_t Scheduler::earliest_wakeup() const {
  uint64_t earliest = 0;
  for (uint32_t i = 0; i < count_; ++i) {
    const Thread& thread = *threads_[i];
    if (thread.state != Thread::State::blocked_wait || thread.wake_at == 0) continue;
    earliest = earlier(earliest, thread.wake_at);
  }
  return earliest;
}

}  // namespace kestrel
