// SPDX-License-Identifier: Apache-2.0
// Cpu: the per-CPU run loop, switching, idling and power-off.
#include <kestrel/arch.hpp>
#include <kestrel/cpu.hpp>
#include <kestrel/irq.hpp>
#include <kestrel/kernel_lock.hpp>
#include <kestrel/log.hpp>
#include <kestrel/notification.hpp>
#include <kestrel/scheduler.hpp>
#include <kestrel/vm_restart.hpp>

namespace kestrel {
namespace {

// Under the kernel lock: CPUs that run threads, and how many of them idle.
unsigned cpus_running_threads = 0;
unsigned cpus_idle = 0;
// The policy's choice (System.noThreadLeft) and whether the moment has been
// logged; under the kernel lock.
bool power_off_when_no_thread_left = false;
bool reported_no_thread_left = false;

// A thread that is ready (its idle CPU has been kicked but has not woken
// yet, or its window or budget has not come yet), sleeps with a deadline or
// waits for an interrupt's notification will (or may) run; one waiting for a
// message may, if some thread still runs or will.
bool some_thread_will_run() {
  if (some_thread_awaits_interrupt()) return true;
  for (unsigned cpu = 0; cpu < abi::max_cpus; ++cpu) {
    const Scheduler& scheduler = cpu_scheduler(cpu);
    if (scheduler.has_ready_thread() || scheduler.earliest_wakeup() != 0) return true;
  }
  return false;
}

// Loads `thread`, which the scheduler has just switched to (its callers
// need it current to program the timer), and runs it: never returns.
[[noreturn]] void start(Thread& thread) {
  arch::load_thread(thread);
  if (thread.is_vcpu()) arch::vcpu_before_return(thread);
  kernel_lock().release();
  arch::enter_thread(thread);
}

// The running thread (or its donor) used up its budget: one log line the
// first time, so that an overrun is seen but cannot flood the log.
void report_overrun(const Scheduler& scheduler) {
  Thread* const current = scheduler.current();
  if (current == nullptr) return;
  Thread* const donor = current->donor();
  if (donor == nullptr || donor->budget_ticks == 0 || donor->budget_left > 0 || donor->overrun_reported) return;
  donor->overrun_reported = true;
  log("partition {}: thread {} used up its budget ({} us per {} us); it waits for its next period "
      "(further overruns are not logged)\n",
      donor->partition().name(), donor->name(), donor->budget_ns() / 1000, donor->period_ns() / 1000);
}

// The kernel timer fired: time moves on, budgets refill, sleepers wake.
void timer_event(Scheduler& scheduler) {
  ++scheduler.generation;  // a window, budget or deadline may have changed
  scheduler.advance(arch::counter_now());
  report_overrun(scheduler);
  scheduler.wake_due();
}

// No thread of this CPU is ready: wait for an interrupt to make one ready.
// Once every CPU idles and no thread sleeps with a deadline, nothing can
// ever make a thread ready again: the policy says whether the machine then
// powers off or keeps idling (it never powers off unasked).
[[noreturn]] void idle(Scheduler& scheduler) {
  scheduler.switch_current(nullptr);
  ++cpus_idle;
  for (;;) {
    if (Thread* next = scheduler.pick_next(); next != nullptr) {
      --cpus_idle;
      scheduler.switch_current(next);
      arch::set_kernel_timer(scheduler.next_event());
      start(*next);
    }
    if (cpus_idle == cpus_running_threads && !some_thread_will_run()) {
      if (power_off_when_no_thread_left) {
        log("boot: no thread is left to run; powering off\n");
        power_off_with_log();
      }
      if (!reported_no_thread_left) {
        reported_no_thread_left = true;
        log("boot: no thread is left to run; idling (the policy's noThreadLeft)\n");
      }
    }
    arch::set_kernel_timer(scheduler.next_event());
    log_flush_if_quiet();
    kernel_lock().release();
    arch::wait_for_interrupt();
    kernel_lock().acquire();
    if (arch::take_interrupts(nullptr).kernel_timer) timer_event(scheduler);
  }
}

}  // namespace

void set_cpus_running_threads(unsigned count) { cpus_running_threads = count; }

void set_power_off_when_no_thread_left(bool power_off) { power_off_when_no_thread_left = power_off; }

void run_threads() {
  Scheduler& scheduler = this_cpu_scheduler();
  scheduler.advance(arch::counter_now());
  if (Thread* first = scheduler.pick_next(); first != nullptr) {
    scheduler.switch_current(first);
    arch::set_kernel_timer(scheduler.next_event());
    start(*first);
  }
  idle(scheduler);
}

namespace {

// Makes `next` (null: none) the running thread instead of the current one,
// and programs the timer for the next event.
void switch_to(Scheduler& scheduler, Thread* next) {
  Thread* const previous = scheduler.current();
  if (next == nullptr || next != previous) {
    if (previous != nullptr) {
      arch::save_thread(*previous);
      // A vCPU in WFI: its own timer, now saved, says when it must wake.
      if (previous->state == Thread::State::blocked_wait) previous->wake_at = arch::vcpu_timer_deadline(*previous);
      // A VM restart waited for it to leave: the restart may have made a
      // better thread ready (its first vCPU, the VMM).
      if (continue_vm_restart(*previous)) next = scheduler.pick_next();
    }
    if (next == nullptr) idle(scheduler);
    arch::load_thread(*next);
    scheduler.switch_current(next);
  }
  // One-shot: the next window end, budget end or deadline, whichever first.
  arch::set_kernel_timer(scheduler.next_event());
}

}  // namespace

void reschedule() {
  Scheduler& scheduler = this_cpu_scheduler();
  scheduler.advance(arch::counter_now());  // charge the time so far to the thread that ran
  scheduler.woke_thread = false;
  switch_to(scheduler, scheduler.pick_next());
}

void preempt_if_better() {
  Scheduler& scheduler = this_cpu_scheduler();
  if (!scheduler.woke_thread) return;
  scheduler.woke_thread = false;
  Thread* const current = scheduler.current();
  if (current != nullptr && !scheduler.may_run(*current)) {
    reschedule();  // its window or budget ended
    return;
  }
  if (Thread* better = scheduler.better_thread(); better != nullptr) {
    scheduler.advance(arch::counter_now());
    switch_to(scheduler, better);
  }
}

void handle_interrupts(uint32_t acknowledged) {
  Scheduler& scheduler = this_cpu_scheduler();
  const arch::Interrupt_events events = arch::take_interrupts(scheduler.current(), acknowledged);
  if (events.kernel_timer) timer_event(scheduler);
  if (!events.kernel_timer && !events.reschedule) return;
  scheduler.woke_thread = true;  // a window, budget or deadline changed, or another CPU woke a thread
  preempt_if_better();
  arch::set_kernel_timer(scheduler.next_event());
}

void make_ready(Thread& thread) {
  thread.state = Thread::State::ready;
  thread.wake_at = 0;
  cpu_scheduler(thread.cpu()).requeue(thread, Scheduler::Queue_end::front);
  ++cpu_scheduler(thread.cpu()).generation;
  if (thread.cpu() == arch::current_cpu()) {
    cpu_scheduler(thread.cpu()).woke_thread = true;
  } else {
    arch::kick_cpu(thread.cpu());
  }
}

void secondary_cpu_main() {
  kernel_lock().acquire();
  if (!arch::prepare_cpu(false)) {
    --cpus_running_threads;  // its threads never run
    kernel_lock().release();
    arch::halt();
  }
  run_threads();
}

}  // namespace kestrel
