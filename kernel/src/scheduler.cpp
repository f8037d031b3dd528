// SPDX-License-Identifier: Apache-2.0
// Scheduler: windows, priorities and budgets, without scanning threads.
#include <kestrel/scheduler.hpp>

namespace kestrel {

Scheduler cpu_schedulers[abi::max_cpus];  // constant-initialised: no constructor runs

namespace {

uint64_t earlier(uint64_t a, uint64_t b) {
  if (a == 0) return b;
  if (b == 0) return a;
  return a < b ? a : b;
}

bool spent(const Thread& donor) { return donor.budget_ticks != 0 && donor.budget_left <= 0; }

}  // namespace

void Scheduler::give_memory(const Memory& memory) {
  domains_ = static_cast<Queue*>(memory.domains);
  domain_count_ = memory.domain_count;
  domain_plus_one_ = memory.domain_map;
  map_size_ = memory.map_size;
  refills_.give_slots(memory.refill_slots, memory.heap_capacity);
  wakeups_.give_slots(memory.wakeup_slots, memory.heap_capacity);
}

void Scheduler::configure(const abi::Cpu_plan_entry& plan, Span<const abi::Window_entry> windows, uint64_t frequency,
                          uint64_t epoch) {
  plan_.configure(plan, windows, frequency, epoch);
  frequency_ = frequency;
  now_ = epoch;
  // Number the plan's partitions in the order of their first window.
  uint32_t domains = 0;
  for (const abi::Window_entry& window : windows) {
    if (window.partition >= map_size_ || domain_plus_one_[window.partition] != 0) continue;
    if (domains == unplanned_domain()) break;
    domain_plus_one_[window.partition] = static_cast<uint8_t>(++domains);
  }
  window_ = plan_.at(epoch);
  window_domain_ = domain_of(window_.partition);
}

void Scheduler::add(Thread& thread) {
  if (thread.budget_ns() != 0 && thread.period_ns() != 0 && frequency_ != 0) {
    thread.budget_ticks = Plan::ticks(thread.budget_ns(), frequency_);
    thread.period_ticks = Plan::ticks(thread.period_ns(), frequency_);
    if (thread.budget_ticks == 0) thread.budget_ticks = 1;
    if (thread.period_ticks < thread.budget_ticks) thread.period_ticks = thread.budget_ticks;
    thread.budget_left = static_cast<int64_t>(thread.budget_ticks);
    thread.period_end = now_ + thread.period_ticks;
  }
  requeue(thread);
}

void Scheduler::unlink(Thread& thread) {
  if (thread.ready_domain != 0) {
    domains_[thread.ready_domain - 1].remove(thread, queue_priority(thread));
    thread.ready_domain = 0;
    --queued_;
  } else if (thread.parked_on != nullptr) {
    Parked::remove(thread.parked_on->first_parked, thread);
    thread.parked_on = nullptr;
    --queued_;
  }
}

void Scheduler::requeue(Thread& thread, Queue_end end) {
  if (thread.ready_domain != 0 || thread.parked_on != nullptr) unlink(thread);
  if (thread.state == Thread::State::blocked_wait && thread.wake_at != 0) {
    wakeups_.remove(thread);        // its deadline may have moved
    (void)wakeups_.insert(thread);  // room for every thread of the CPU
  } else if (wakeups_.contains(thread)) {
    wakeups_.remove(thread);
  }
  if (&thread == current_ || thread.state != Thread::State::ready) return;
  Thread* const donor = thread.donor();
  if (donor == nullptr) return;  // a passive server with nobody's time
  if (donor->budget_ticks != 0 && now_ >= donor->period_end) refill(*donor, now_);
  ++queued_;
  if (spent(*donor)) {
    Parked::push_back(donor->first_parked, thread);
    thread.parked_on = donor;
    (void)refills_.insert(*donor);
    return;
  }
  const uint32_t domain = domain_of(donor->partition().index());
  if (end == Queue_end::front) {
    domains_[domain].push_front(thread, queue_priority(thread));
  } else {
    domains_[domain].push_back(thread, queue_priority(thread));
  }
  thread.ready_domain = domain + 1;
}

void Scheduler::switch_current(Thread* next) {
  Thread* const previous = current_;
  const bool previous_yields = current_yields;
  current_yields = false;
  if (next == previous) return;
  current_ = next;
  if (next != nullptr) {
    if (next->ready_domain != 0 || next->parked_on != nullptr) unlink(*next);
    // A donor whose period ended while it waited starts a new one, so that
    // next_event sees its whole budget.
    if (Thread* donor = next->donor(); donor != nullptr) refill(*donor, now_);
  }
  if (previous != nullptr) requeue(*previous, previous_yields ? Queue_end::back : Queue_end::front);
}

void Scheduler::refill(Thread& thread, uint64_t now) {
  if (thread.budget_ticks == 0 || now < thread.period_end) return;
  refills_.remove(thread);  // before its time changes
  const uint64_t periods = (now - thread.period_end) / thread.period_ticks + 1;
  thread.period_end += periods * thread.period_ticks;
  thread.budget_left = static_cast<int64_t>(thread.budget_ticks);
  // Each waiting thread leaves the ring for its queue: the donor has budget.
  while (Thread* waiting = thread.first_parked) requeue(*waiting);
}

void Scheduler::advance(uint64_t now) {
  if (now < now_) now = now_;  // the counter never runs backwards; be sure of it
  if (current_ != nullptr) {
    if (Thread* donor = current_->donor(); donor != nullptr && donor->budget_ticks != 0) {
      refill(*donor, now_);
      donor->budget_left -= static_cast<int64_t>(now - now_);
      if (donor->budget_left <= 0) (void)refills_.insert(*donor);
    }
  }
  now_ = now;
  // Most advances stay in the window in force; at its end, the next one is
  // found from it (constant time, Plan::at).
  if (plan_.configured() && now >= window_.ends_at) {
    window_ = plan_.at(now, plan_.next_hint(window_));
    window_domain_ = domain_of(window_.partition);
  }
}

void Scheduler::wake_due() {
  while (!refills_.empty() && refills_.earliest().period_end <= now_) refill(refills_.earliest(), now_);
  // The running donor's new period starts on time even with budget left.
  if (current_ != nullptr) {
    if (Thread* donor = current_->donor(); donor != nullptr) refill(*donor, now_);
  }
  while (!wakeups_.empty() && wakeups_.earliest().wake_at <= now_) {
    Thread& thread = wakeups_.earliest();
    thread.wake_at = 0;
    thread.state = Thread::State::ready;
    requeue(thread, Queue_end::front);  // leaves the heap
  }
}

Thread* Scheduler::pick_next() {
  Queue& queue = domains_[window_domain_];
  Thread* head = nullptr;
  for (;;) {
    head = queue.first(queue.highest());
    if (head == nullptr || may_run(*head)) break;
    // Stale: its donor changed without a requeue, or its donor's period
    // ended while it waited. Moved, it is met at most once more (refilled).
    requeue(*head);
  }
  Thread* const current = current_ != nullptr && may_run(*current_) ? current_ : nullptr;
  if (head == nullptr) return current;
  if (current == nullptr) return head;
  // Among equals the current thread keeps running unless it yields.
  if (current->priority() > head->priority() || (current->priority() == head->priority() && !current_yields)) {
    return current;
  }
  return head;
}

Thread* Scheduler::better_thread() {
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
  next = earlier(next, refills_.earliest_time());
  return earlier(next, wakeups_.earliest_time());
}

bool Scheduler::none_better_than(const Thread& thread, const Thread& leaving) const {
  if (current_ != nullptr && current_ != &thread && current_ != &leaving && current_->priority() > thread.priority() &&
      may_run(*current_)) {
    return false;
  }
  // A priority above the thread's that holds more than `thread` and
  // `leaving` (which the fast paths never have queued) has a better thread.
  // Conservative: a stale entry there counts as better.
  const Queue& queue = domains_[window_domain_];
  for (uint32_t level = queue.highest(); level != Queue::none && level > thread.priority();
       level = queue.highest_below(level)) {
    for (const Thread* other = queue.first(level); other != nullptr; other = queue.after(*other, level)) {
      if (other != &thread && other != &leaving) return false;
    }
  }
  return true;
}

bool Scheduler::has_ready_thread() const {
  // A passive server with nobody's time to run on will not run by itself:
  // it is on no queue.
  return queued_ != 0 ||
         (current_ != nullptr && current_->state == Thread::State::ready && current_->donor() != nullptr);
}

uint64_t Scheduler::earliest_wakeup() const { return wakeups_.earliest_time(); }

}  // namespace kestrel
