// SPDX-License-Identifier: Apache-2.0
// Containment: when a thread stops, no other thread is left waiting on it.
//
// A server that faults or exits mid-call must not stop its clients: its
// caller gets peer_stopped, and once its partition has no thread left,
// every thread queued to send to the partition's endpoints does too (and
// later calls fail at once, in decode). A vCPU or a faulted thread waiting
// for its VMM or fault handler cannot go on without the answer, so it stops
// as well; that may release further waiters, so stopping works through a
// list instead of recursing (the kernel stack stays bounded).
#include <kestrel/abi/syscall.hpp>
#include <kestrel/cpu.hpp>
#include <kestrel/endpoint.hpp>
#include <kestrel/ipc.hpp>
#include <kestrel/log.hpp>
#include <kestrel/notification.hpp>
#include <kestrel/partition.hpp>
#include <kestrel/scheduler.hpp>

namespace kestrel {
namespace {

// Threads still to stop, linked through Thread::next_to_stop (under the
// kernel lock; empty between kernel entries).
Thread* to_stop = nullptr;

void schedule_stop(Thread& thread) {
  if (thread.state == Thread::State::stopped || thread.stop_scheduled) return;
  thread.stop_scheduled = true;
  thread.next_to_stop = to_stop;
  to_stop = &thread;
}

// `waiter` waited for a thread that will never answer.
void release(Thread& waiter) {
  if (waiter.kernel_message) {
    log("partition {}: {} stopped: its {} stopped\n", waiter.partition().name(), waiter.name(),
        waiter.is_vcpu() ? "VMM" : "fault handler");
    schedule_stop(waiter);
    return;
  }
  waiter.context.x[0] = static_cast<uint64_t>(abi::Status::peer_stopped);
  make_ready(waiter);
}

void release_senders_to(const Partition& partition) {
  for (uint32_t e = 0; e < endpoint_count; ++e) {
    Endpoint& endpoint = endpoint_object(e);
    if (endpoint.server != &partition) continue;
    while (Thread* sender = endpoint.dequeue()) release(*sender);
  }
}

void stop_one(Thread& thread) {
  thread.state = Thread::State::stopped;
  stop_receiving(thread);
  if (thread.also_waiting_on != nullptr) {
    thread.also_waiting_on->forget_waiter();
    thread.also_waiting_on = nullptr;
  }
  if (Thread* const caller = thread.reply_to; caller != nullptr) {
    thread.reply_to = nullptr;
    release(*caller);
  }
  thread.serving = nullptr;                     // a passive server's donated time goes back
  cpu_scheduler(thread.cpu()).requeue(thread);  // off its ready queue
  Partition& partition = thread.partition();
  if (partition.live_threads > 0 && --partition.live_threads == 0) {
    release_senders_to(partition);
    signal_stop(partition);
  }
}

}  // namespace

void stop_thread(Thread& thread) {
  schedule_stop(thread);
  while (to_stop != nullptr) {
    Thread& next = *to_stop;
    to_stop = next.next_to_stop;
    next.next_to_stop = nullptr;
    next.stop_scheduled = false;
    stop_one(next);
  }
}

void signal_stop(const Partition& partition) {
  for (const abi::Stop_signal_entry& signal : partition.stop_signals()) {
    notification_object(signal.notification).signal(uint64_t{1} << (signal.bit & 63));
  }
}

bool endpoint_server_stopped(const Endpoint& endpoint) {
  return endpoint.server != nullptr && endpoint.server->live_threads == 0;
}

}  // namespace kestrel
