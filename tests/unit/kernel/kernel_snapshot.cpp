// SPDX-License-Identifier: Apache-2.0
// Kernel snapshot: taking one, and comparing two field by field.
#include "kernel_snapshot.hpp"

#include <gtest/gtest.h>

#include <kestrel/scheduler.hpp>

namespace kestrel::test {
namespace {

// Thread's fields the snapshot leaves out, and why:
//   call_generation: the fast path's own note of when a caller called (a
//     hint for a later fast reply, fastpath.cpp); the slow path never sets it.
//   vcpu_registers, vcpu_interrupts, fp_registers: register blocks only the
//     arch layer saves and loads (the fake does not model them); IPC never
//     writes them.
//   next_to_stop: containment's list, empty between kernel entries.
//   queue_links, first_parked, refill_slot, wakeup_slot: the scheduler's
//     links and heap places; where a thread is (ready_domain, parked_on)
//     and the scheduler's choice (Cpu_snapshot) are compared instead, since
//     the order among equals in a ring may differ between the paths.
// A field added to Thread changes its size: add it to Thread_snapshot (or
// to the list above, with the reason) and update the size here.
static_assert(sizeof(Thread) == 1664,
              "Thread gained or lost a field: compare it in Thread_snapshot or say above why not");

std::string name_of(const Thread* thread) { return thread != nullptr ? thread->name() : "-"; }

int64_t endpoint_index(const Endpoint* endpoint) { return endpoint != nullptr ? endpoint - endpoint_pool : -1; }

int64_t notification_index(const Notification* notification) {
  return notification != nullptr ? notification - &notification_object(0) : -1;
}

Thread_snapshot snapshot_of(const Thread& thread) {
  Thread_snapshot s{};
  s.name = thread.name();
  s.state = static_cast<int>(thread.state);
  s.context = thread.context;
  if (thread.ipc_buffer != nullptr)
    s.ipc_buffer_words.assign(thread.ipc_buffer, thread.ipc_buffer + abi::max_message_words);
  s.ipc_buffer = reinterpret_cast<uint64_t>(thread.ipc_buffer);
  s.wake_at = thread.wake_at;
  s.ready_domain = thread.ready_domain;
  s.parked_on = name_of(thread.parked_on);
  s.budget_left = thread.budget_left;
  s.period_end = thread.period_end;
  s.waited_for_call = thread.waited_for_call;
  s.overrun_reported = thread.overrun_reported;
  s.fp_in_registers = thread.fp_in_registers;
  s.reply_to = name_of(thread.reply_to);
  s.serving = name_of(thread.serving);
  s.next_sender = name_of(thread.next_sender);
  s.donor = name_of(thread.donor());
  s.sent_badge = thread.sent_badge;
  s.kernel_message = thread.kernel_message;
  for (int i = 0; i < 6; ++i) s.message[i] = thread.message[i];
  s.also_waiting_on = notification_index(thread.also_waiting_on);
  s.receiving_on = endpoint_index(thread.receiving_on);
  s.stop_scheduled = thread.stop_scheduled;
  s.stop_when_answered = thread.stop_when_answered;
  s.exit_register = thread.exit_register;
  s.resume_advance = thread.resume_advance;
  return s;
}

// The queue is private: walked on a copy of the endpoint. dequeue() clears
// each thread's link after reading it, so the links are put back.
Endpoint_snapshot snapshot_of(const Endpoint& endpoint) {
  Endpoint_snapshot s{name_of(endpoint.receiver), {}};
  Endpoint copy = endpoint;
  std::vector<std::pair<Thread*, Thread*>> links;
  while (Thread* sender = copy.dequeue()) {
    s.queue.push_back(sender->name());
    links.emplace_back(sender, nullptr);
    if (links.size() > 1) links[links.size() - 2].second = sender;
  }
  for (const auto& [sender, next] : links) sender->next_sender = next;
  return s;
}

Notification_snapshot snapshot_of(const Notification& notification) {
  Notification copy = notification;  // take() on the copy reads the word
  return {copy.take(), name_of(notification.waiter()), notification.bound_to_interrupt};
}

Cpu_snapshot snapshot_of(unsigned cpu) {
  // pick_next may put a stale entry right (scheduler.hpp): the same for
  // both paths, since both snapshots are taken this way.
  Scheduler& scheduler = cpu_scheduler(cpu);
  const arch::fake::Cpu& fake = arch::fake::machine.cpus[cpu];
  return {name_of(scheduler.current()), name_of(scheduler.pick_next()), scheduler.woke_thread, scheduler.next_event(),
          name_of(fake.loaded),         fake.translation_root,          fake.fp_trapping,      fake.kernel_timer};
}

}  // namespace

Kernel_snapshot take_snapshot(Ipc_system& system) {
  Kernel_snapshot s;
  for (const Thread* thread : system.threads()) s.threads.push_back(snapshot_of(*thread));
  for (uint32_t e = 0; e < system.endpoint_count(); ++e) s.endpoints.push_back(snapshot_of(system.endpoint(e)));
  for (uint32_t n = 0; n < system.notification_count(); ++n) {
    s.notifications.push_back(snapshot_of(system.notification(n)));
  }
  for (unsigned cpu = 0; cpu < system.info().platform().cpu_count; ++cpu) s.cpus.push_back(snapshot_of(cpu));
  for (uint32_t p = 0; p < system.partition_count(); ++p) {
    const Partition& partition = system.partition(p);
    s.partitions.push_back({partition.live_threads, name_of(partition.restart_waiter), partition.console_mid_line});
  }
  return s;
}

namespace {

// One field of one object: a failure names both.
#define KESTREL_SAME(object, field)                                                                          \
  do {                                                                                                       \
    if (!(expected.field == actual.field)) {                                                                 \
      ADD_FAILURE() << object << ": " #field " differs: expected " << testing::PrintToString(expected.field) \
                    << ", got " << testing::PrintToString(actual.field);                                     \
      same = false;                                                                                          \
    }                                                                                                        \
  } while (false)

bool same_frame(const std::string& object, const arch::Exception_frame& expected, const arch::Exception_frame& actual) {
  bool same = true;
  for (int r = 0; r < 31; ++r) {
    if (expected.x[r] != actual.x[r]) {
      ADD_FAILURE() << object << ": x" << r << " differs: expected " << expected.x[r] << ", got " << actual.x[r];
      same = false;
    }
  }
  KESTREL_SAME(object, elr);
  KESTREL_SAME(object, spsr);
  KESTREL_SAME(object, esr);
  KESTREL_SAME(object, far);
  KESTREL_SAME(object, sp_el0);
  KESTREL_SAME(object, tpidr_el0);
  KESTREL_SAME(object, acknowledged_intid);
  return same;
}

bool same_thread(const Thread_snapshot& expected, const Thread_snapshot& actual) {
  const std::string object = "thread " + expected.name;
  bool same = same_frame(object, expected.context, actual.context);
  KESTREL_SAME(object, name);
  KESTREL_SAME(object, state);
  KESTREL_SAME(object, ipc_buffer);
  KESTREL_SAME(object, ipc_buffer_words);
  KESTREL_SAME(object, wake_at);
  KESTREL_SAME(object, ready_domain);
  KESTREL_SAME(object, parked_on);
  KESTREL_SAME(object, budget_left);
  KESTREL_SAME(object, period_end);
  KESTREL_SAME(object, waited_for_call);
  KESTREL_SAME(object, overrun_reported);
  KESTREL_SAME(object, fp_in_registers);
  KESTREL_SAME(object, reply_to);
  KESTREL_SAME(object, serving);
  KESTREL_SAME(object, next_sender);
  KESTREL_SAME(object, donor);
  KESTREL_SAME(object, sent_badge);
  KESTREL_SAME(object, kernel_message);
  for (int i = 0; i < 6; ++i) KESTREL_SAME(object, message[i]);
  KESTREL_SAME(object, also_waiting_on);
  KESTREL_SAME(object, receiving_on);
  KESTREL_SAME(object, stop_scheduled);
  KESTREL_SAME(object, stop_when_answered);
  KESTREL_SAME(object, exit_register);
  KESTREL_SAME(object, resume_advance);
  return same;
}

bool same_endpoint(const std::string& object, const Endpoint_snapshot& expected, const Endpoint_snapshot& actual) {
  bool same = true;
  KESTREL_SAME(object, receiver);
  KESTREL_SAME(object, queue);
  return same;
}

bool same_notification(const std::string& object, const Notification_snapshot& expected,
                       const Notification_snapshot& actual) {
  bool same = true;
  KESTREL_SAME(object, word);
  KESTREL_SAME(object, waiter);
  KESTREL_SAME(object, bound_to_interrupt);
  return same;
}

bool same_cpu(const std::string& object, const Cpu_snapshot& expected, const Cpu_snapshot& actual) {
  bool same = true;
  KESTREL_SAME(object, current);
  KESTREL_SAME(object, pick_next);
  KESTREL_SAME(object, woke_thread);
  KESTREL_SAME(object, next_event);
  KESTREL_SAME(object, loaded);
  KESTREL_SAME(object, translation_root);
  KESTREL_SAME(object, fp_trapping);
  KESTREL_SAME(object, kernel_timer);
  return same;
}

bool same_partition(const std::string& object, const Partition_snapshot& expected, const Partition_snapshot& actual) {
  bool same = true;
  KESTREL_SAME(object, live_threads);
  KESTREL_SAME(object, restart_waiter);
  KESTREL_SAME(object, console_mid_line);
  return same;
}

#undef KESTREL_SAME

}  // namespace

bool expect_same(const Kernel_snapshot& expected, const Kernel_snapshot& actual) {
  if (expected.threads.size() != actual.threads.size() || expected.endpoints.size() != actual.endpoints.size() ||
      expected.notifications.size() != actual.notifications.size() || expected.cpus.size() != actual.cpus.size() ||
      expected.partitions.size() != actual.partitions.size()) {
    ADD_FAILURE() << "the snapshots are of different systems";
    return false;
  }
  bool same = true;
  for (size_t i = 0; i < expected.threads.size(); ++i) same &= same_thread(expected.threads[i], actual.threads[i]);
  for (size_t i = 0; i < expected.endpoints.size(); ++i) {
    same &= same_endpoint("endpoint " + std::to_string(i), expected.endpoints[i], actual.endpoints[i]);
  }
  for (size_t i = 0; i < expected.notifications.size(); ++i) {
    same &= same_notification("notification " + std::to_string(i), expected.notifications[i], actual.notifications[i]);
  }
  for (size_t i = 0; i < expected.cpus.size(); ++i) {
    same &= same_cpu("CPU " + std::to_string(i), expected.cpus[i], actual.cpus[i]);
  }
  for (size_t i = 0; i < expected.partitions.size(); ++i) {
    same &= same_partition("partition " + std::to_string(i), expected.partitions[i], actual.partitions[i]);
  }
  return same;
}

}  // namespace kestrel::test
