// SPDX-License-Identifier: Apache-2.0
// Scheduler: which thread runs next on one CPU, and when the kernel must
// look again.
//
// Each CPU has its own scheduler holding the threads the policy pins to it,
// and its plan of time windows (plan.hpp). In a window only the window's
// partition runs: its highest-priority ready thread, round-robin among
// equals, preempted as soon as a better thread of the window is ready. A
// thread with a budget runs at most budget ticks per period and then waits
// for its next period. A passive server runs on the time of the call it
// serves: in its caller's window, charged to its caller's budget.
//
// The scheduler keeps time in counter ticks and is told the time (advance);
// it never reads a clock itself, so host tests drive it with a fake one.
//
// No operation scans the CPU's threads (docs/kernel.md, "Scheduler"). A
// thread that may run, other than the current one, waits in the ready queue
// (ready_queue.hpp) of its scheduling domain: the partition whose time it
// runs on (its donor's), one domain per partition of the plan, one for
// partitions the plan never names, and a single one without a plan or on an
// exclusive CPU. A window switch is only a change of domain. A thread whose
// donor's budget is spent waits on that donor's ring until the refill. Spent
// budgets and sleeping vCPUs' deadlines are in two timer heaps
// (timer_heap.hpp). The kernel tells the scheduler of every change of a
// thread's state or donor (requeue, or make_ready which calls it); an entry
// that went stale all the same (a passive server whose lender was served by
// another thread) is put right when pick_next meets it.
#pragma once

#include <cstdint>

#include <kestrel/abi/limits.hpp>
#include <kestrel/plan.hpp>
#include <kestrel/ready_queue.hpp>
#include <kestrel/thread.hpp>
#include <kestrel/timer_heap.hpp>

namespace kestrel {

class Scheduler final {
 public:
  // Its memory, carved at boot (kernel_objects.cpp) before configure: one
  // ready queue per domain (abi::domains_of_cpu), a map of domains by
  // partition (planned, non-exclusive CPUs; empty otherwise), and a slot in
  // each timer heap per thread of the CPU. All zero.
  struct Memory {
    void* domains;  // domain_count ready queues (Scheduler::Domain_queue)
    uint32_t domain_count;
    uint8_t* domain_map;  // map_size bytes
    uint32_t map_size;
    uint16_t* refill_slots;  // heap_capacity each
    uint16_t* wakeup_slots;
    uint32_t heap_capacity;
  };
  void give_memory(const Memory& memory);

  // The CPU's plan and the counter frequency (Hz) that budgets convert at.
  // Without a plan every ready thread may run (as on CPUs no plan names).
  void configure(const abi::Cpu_plan_entry& plan, Span<const abi::Window_entry> windows, uint64_t frequency,
                 uint64_t epoch);

  // Takes a thread pinned to this CPU (after configure): converts its
  // budget to ticks and queues it if it may be.
  void add(Thread& thread);

  // `thread` (of this CPU) changed state or donor, or its budget or
  // deadline changed: put it where it now belongs (its domain's ready queue,
  // its donor's ring, or neither; its deadline in the heap or not). Cheap,
  // and harmless when nothing changed. The current thread stays out of the
  // queues until it is switched away from. `end`: where in its priority it
  // goes if it is queued. As in seL4, a thread that wakes or is preempted
  // goes first (it resumes before its equals), one that yields, boots or
  // is refilled last.
  enum class Queue_end : uint8_t { front, back };
  void requeue(Thread& thread, Queue_end end = Queue_end::back);

  // requeue for a thread that was the current one a moment ago and is
  // still ready (the signal fast path's signaller): it is on no queue or
  // ring, so only its domain's queue changes when its donor has budget in
  // the period in force; anything else takes requeue's whole way. It was
  // preempted: it goes before its equals.
  void requeue_preempted(Thread& thread) {
    Thread* const donor = thread.donor();
    if (donor == nullptr || wakeups_.contains(thread) || thread.ready_domain != 0 || thread.parked_on != nullptr ||
        (donor->budget_ticks != 0 && (donor->budget_left <= 0 || now_ >= donor->period_end))) {
      requeue(thread, Queue_end::front);
      return;
    }
    ++queued_;
    const uint32_t domain = domain_of(donor->partition().index());
    domains_[domain].push_front(thread, queue_priority(thread));
    thread.ready_domain = domain + 1;
  }

  Thread* current() const { return current_; }
  // A direct switch between two threads that are on no queue (the fast
  // paths: the one leaving blocks, the one coming was blocked).
  void set_current(Thread* thread) { current_ = thread; }
  // Any other switch: the thread leaving goes back to its queue if it may
  // still run some time (before its equals if it was preempted, after them
  // if it yielded), `next` (nullptr: none) leaves its own.
  void switch_current(Thread* next);

  // The current thread asked to yield: the next switch_current puts it
  // after its equals (seL4's tcbSchedAppend; a preempted thread goes first,
  // tcbSchedEnqueue). Cleared by that switch, or by one that keeps it.
  bool current_yields = false;

  // Moves time on to `now`: charges the time since the last call to the
  // current thread's donor and finds the window in force. Cheap: called on
  // every switch.
  void advance(uint64_t now);

  // After advance(), on a timer event: refills the budgets whose period
  // ended and wakes sleeping vCPUs whose deadline passed.
  void wake_due();

  // A direct switch from `from` to `to` (the fast path's) keeps the time
  // accounting right: `to` runs on the same donor's time, or neither has a
  // budget; and `to` may run in the window in force.
  [[nodiscard]] bool keeps_accounting(const Thread& from, const Thread& to) const {
    return keeps_accounting_to_donor(from, to.donor());
  }
  // The same for a thread that will run on `to_donor`'s time (a fast path
  // decides before it changes whom that thread serves).
  [[nodiscard]] bool keeps_accounting_to_donor(const Thread& from, const Thread* to_donor) const {
    const Thread* from_donor = from.donor();
    if (to_donor == nullptr || from_donor == nullptr) return false;
    if (to_donor != from_donor && (to_donor->budget_ticks != 0 || from_donor->budget_ticks != 0)) return false;
    if (to_donor->budget_ticks != 0 && to_donor->budget_left <= 0) return false;
    return !plan_.configured() || plan_.exclusive() || to_donor->partition().index() == window_.partition;
  }

  // No thread but `thread` and `leaving` (which is about to block) that may
  // run has a higher priority than `thread`: switching to it directly is
  // what pick_next would do, up to the order among equals.
  [[nodiscard]] bool none_better_than(const Thread& thread, const Thread& leaving) const;

  // Whether `thread` may run in the window in force: ready, in the window
  // (on its own or its caller's time), and with budget left.
  [[nodiscard]] bool may_run(const Thread& thread) const {
    if (thread.state != Thread::State::ready) return false;
    const Thread* donor = thread.donor();
    if (donor == nullptr) return false;
    if (donor->budget_ticks != 0 && donor->budget_left <= 0) return false;
    if (!plan_.configured() || plan_.exclusive()) return true;
    return donor->partition().index() == window_.partition;
  }

  // The thread to run now: the highest-priority thread that may run; among
  // equals the current thread, unless it yields (then the first of the
  // others, and it goes to the back of its priority). nullptr if none may.
  // Not const: it drops the stale entries it meets.
  [[nodiscard]] Thread* pick_next();

  // A thread that may run is better than the current one, or the current
  // one may not run any more.
  [[nodiscard]] bool should_preempt() {
    return better_thread() != nullptr || (current_ != nullptr && !may_run(*current_));
  }

  // The thread to switch to instead of the current one, which keeps running
  // otherwise (no rotation among equals): pick_next() if it is better than
  // the current thread or the current thread may not run; else nullptr.
  [[nodiscard]] Thread* better_thread();

  // Set when a thread of this CPU becomes ready (the kernel then checks for
  // preemption before it returns to a thread), cleared by that check.
  bool woke_thread = false;

  // Counts the events that can make a thread of this CPU better than the
  // running one: wake-ups (from any CPU) and timer events. While it stays
  // the same, no thread has become better (see fastpath.cpp).
  uint64_t generation = 0;

  // The next tick at which advance() may change the choice (a window ends,
  // the current donor's budget runs out, a budget is refilled, a vCPU's
  // deadline comes), 0 if none.
  [[nodiscard]] uint64_t next_event() const;

  // Some thread is ready, whether or not it may run now (a passive server
  // without a donor does not count: only a message can give it time).
  [[nodiscard]] bool has_ready_thread() const;

  // The earliest time (ticks) a sleeping thread wants to wake, 0 if none
  // sleeps with a deadline.
  [[nodiscard]] uint64_t earliest_wakeup() const;

  // The partition whose window is in force (boot-info index), or
  // abi::no_index without a plan.
  uint32_t window_partition() const { return plan_.configured() ? window_.partition : abi::no_index; }

 private:
  // Threads by their place in the thread pool (thread.hpp), in 16 bits.
  struct Pool_index {
    static uint32_t index_of(const Thread& thread) { return static_cast<uint32_t>(&thread - thread_pool); }
    static Thread& at(uint32_t index) { return thread_pool[index]; }
  };
  static_assert(abi::max_threads <= 0x10000 - 1, "queues keep thread numbers in 16 bits");

 public:
  using Domain_queue = Ready_queue<Thread, &Thread::queue_links, Pool_index>;

 private:
  using Queue = Domain_queue;
  // One domain per partition of the plan (at most one per window), and
  // the last for partitions it never names.
  uint32_t unplanned_domain() const { return domain_count_ - 1; }
  using Parked = Ring<Thread, &Thread::queue_links>;
  static uint64_t refill_time(const Thread& thread) { return thread.period_end; }
  static uint64_t wakeup_time(const Thread& thread) { return thread.wake_at; }

  // The domain of threads running on `partition`'s time.
  uint32_t domain_of(uint32_t partition) const {
    if (!plan_.configured() || plan_.exclusive()) return 0;
    const uint32_t plus_one = partition < map_size_ ? domain_plus_one_[partition] : 0;
    return plus_one != 0 ? plus_one - 1 : unplanned_domain();
  }
  static uint32_t queue_priority(const Thread& thread) {
    return thread.priority() < Priority_bitmap::levels ? thread.priority() : Priority_bitmap::levels - 1;
  }
  // Takes `thread` off its ready queue or its donor's ring.
  void unlink(Thread& thread);
  // A new period for a donor whose period has ended: a full budget, and
  // the threads waiting for it back in their queues.
  void refill(Thread& thread, uint64_t now);

  Thread* current_ = nullptr;
  Plan plan_;
  Plan::Window window_{};  // zero, so the schedulers stay in .bss; valid once configured
  uint32_t window_domain_ = 0;
  uint64_t frequency_ = 0;
  uint64_t now_ = 0;
  uint32_t queued_ = 0;                 // threads in the ready queues or on donors' rings
  uint8_t* domain_plus_one_ = nullptr;  // by partition; 0: not in the plan
  uint32_t map_size_ = 0;
  Queue* domains_ = nullptr;
  uint32_t domain_count_ = 0;
  Timer_heap<Thread, &Thread::refill_slot, refill_time, Pool_index> refills_;
  Timer_heap<Thread, &Thread::wakeup_slot, wakeup_time, Pool_index> wakeups_;
};

// Every CPU's scheduler (scheduler.cpp).
extern Scheduler cpu_schedulers[abi::max_cpus];

// The scheduler of CPU `cpu` (< abi::max_cpus), and of the executing CPU.
inline Scheduler& cpu_scheduler(unsigned cpu) { return cpu_schedulers[cpu < abi::max_cpus ? cpu : 0]; }
inline Scheduler& this_cpu_scheduler();  // defined in cpu.hpp (target only)

}  // namespace kestrel
