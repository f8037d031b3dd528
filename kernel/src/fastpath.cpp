// SPDX-License-Identifier: Apache-2.0
// Fast path: the two common IPC operations in a straight line.
//
// Why switching straight to the other thread is the scheduler's choice too:
// the running thread always has the highest priority among the threads of
// its CPU that may run (every wake-up on a CPU is followed by a preemption
// check), so a thread of at least its priority that may run now (in the
// window, with budget: Scheduler::keeps_accounting) is as good as any. A
// thread of lower priority is, if nothing woke on the CPU since it was
// running itself (Scheduler::generation unchanged), or if no other thread
// that may run is better (Scheduler::none_better_than, a look at the
// priorities above it; call and reply_recv leave that look to the slow
// path, so that they call no function).
#include <arch/native_switch.hpp>
#include <kestrel/abi/syscall.hpp>
#include <kestrel/arch.hpp>
#include <kestrel/cpu.hpp>
#include <kestrel/endpoint.hpp>
#include <kestrel/fastpath.hpp>
#include <kestrel/ipc.hpp>
#include <kestrel/irq.hpp>
#include <kestrel/kernel_lock.hpp>
#include <kestrel/log.hpp>
#include <kestrel/notification.hpp>
#include <kestrel/partition.hpp>
#include <kestrel/scheduler.hpp>

namespace kestrel {
namespace {

using abi::Capability_kind;

// The endpoint a capability names and the scheduler of a thread's CPU,
// without endpoint_object's and cpu_scheduler's clamps (four and three
// instructions on every fast path): the boot-info reader refused any
// capability whose object index is out of range (capability_object_invalid)
// and any thread whose CPU is not one of the platform's (cpu_out_of_range),
// and neither changes after boot.
Endpoint& endpoint_named_by(const abi::Capability_entry& capability) { return endpoint_pool[capability.object]; }
Scheduler& scheduler_of(const Thread& thread) { return cpu_schedulers[thread.cpu()]; }

// A message the sender may send that arrives whole: it fits in registers,
// or both threads have IPC buffers for the rest (otherwise the slow path
// decides what is refused or cut). No kernel label.
[[gnu::always_inline]] inline bool arrives_whole(const Thread& sender, const Thread& receiver) {
  const uint64_t info = sender.context.x[2];
  if (abi::message_label(info) >= abi::kernel_label_base) return false;
  const uint64_t length = abi::message_length(info);
  if (length <= abi::message_register_words) return true;  // the common case first
  return length <= abi::max_message_words && sender.ipc_buffer != nullptr && receiver.ipc_buffer != nullptr;
}

// Copies the sender's message (x2-x7, then its IPC buffer) to the receiver,
// as ipc.cpp's deliver() does: only the message's words.
[[gnu::always_inline]] inline void copy_message(const Thread& sender, Thread& receiver, uint64_t badge) {
  const arch::Exception_frame& from = sender.context;
  arch::Exception_frame& to = receiver.context;
  const uint64_t info = from.x[2];
  const uint64_t length = abi::message_length(info);
  to.x[0] = static_cast<uint64_t>(abi::Status::ok);
  to.x[1] = badge;
  // Rebuilt from label and length, as deliver() does: the bits between
  // them are not passed on, so a receiver cannot tell the paths apart.
  to.x[2] = abi::message_info(abi::message_label(info), length);
  // Unrolled, shortest first: a loop, or a switch's jump, costs a one-word
  // message (the common case) twice its copy.
  static_assert(abi::message_register_words == 5);
  if (length <= abi::message_register_words) {
    if (length == 0) return;
    to.x[3] = from.x[3];
    if (length == 1) return;
    to.x[4] = from.x[4];
    if (length == 2) return;
    to.x[5] = from.x[5];
    if (length == 3) return;
    to.x[6] = from.x[6];
    if (length == 4) return;
    to.x[7] = from.x[7];
    return;
  }
  for (uint64_t i = 0; i < abi::message_register_words; ++i) to.x[3 + i] = from.x[3 + i];
  for (uint64_t i = abi::message_register_words; i < length; ++i) receiver.ipc_buffer[i] = sender.ipc_buffer[i];
}

[[gnu::always_inline]] inline Thread* switch_to(Scheduler& scheduler, Thread& from, Thread& to) {
  to.state = Thread::State::ready;
  scheduler.set_current(&to);
  arch::switch_native_threads(from, to);
  return &to;
}

// How often each fast path was taken, in test kernels only (under the
// kernel lock, like every fast path).
struct Fastpath_counts {
  uint64_t call;
  uint64_t reply_recv;
  uint64_t send;
  uint64_t signal;
  uint64_t interrupt;
  uint64_t vm_exit;
  uint64_t exit_answer;
};
[[maybe_unused]] Fastpath_counts taken{};

[[gnu::always_inline]] inline void count_taken([[maybe_unused]] uint64_t& counter) {
#ifdef KESTREL_COUNT_FASTPATHS
  ++counter;
#endif
}

// A thread that has replied waits on `endpoint` again, as ipc_receive
// leaves it (reply_recv's receive half).
[[gnu::always_inline]] inline void wait_in_receive(Thread& replier, Endpoint& endpoint) {
  replier.reply_to = nullptr;
  replier.serving = nullptr;
  replier.waited_for_call = true;
  endpoint.receiver = &replier;
  replier.receiving_on = &endpoint;
  replier.state = Thread::State::blocked_receive;
}

// The VMM thread that answered `vcpu`'s exit goes back to waiting on its
// endpoint, and the vCPU resumes past the trapping instruction with the
// answer in its register.
Thread* answer_exit(Scheduler& scheduler, Thread& replier, Thread& vcpu, Endpoint& endpoint) {
  write_exit_answer(vcpu, replier.context.x[3]);
  vcpu.context.elr += vcpu.resume_advance;
  wait_in_receive(replier, endpoint);
  vcpu.state = Thread::State::ready;
  scheduler.set_current(&vcpu);
  arch::save_thread(replier);
  arch::load_thread(vcpu);
  arch::vcpu_before_return(vcpu);  // interrupts injected while it waited
  count_taken(taken.exit_answer);
  return &vcpu;
}

// reply_recv answering a vCPU's exit: only a plain resume (no stop, power
// off or undefined instruction), by the passive VMM thread of the vCPU's
// CPU that took the exit on the vCPU's time, so giving the time back
// changes neither budget nor window.
Thread* fastpath_answer_exit(Thread& replier, Thread& vcpu) {
  if (!vcpu.is_vcpu() || vcpu.cpu() != replier.cpu() || vcpu.state != Thread::State::blocked_reply ||
      vcpu.stop_when_answered || vcpu.partition().restart_waiter != nullptr ||
      replier.context.x[4] != abi::reply_resume || replier.serving != &vcpu || !replier.is_passive() ||
      vcpu.is_passive()) {
    return nullptr;
  }
  const abi::Capability_entry* capability =
      replier.partition().capability(replier.context.x[0], Capability_kind::endpoint, abi::right_receive);
  if (capability == nullptr) return nullptr;
  Endpoint& endpoint = endpoint_named_by(*capability);
  if (endpoint.has_senders() || (endpoint.receiver != nullptr && endpoint.receiver != &replier)) return nullptr;
  Scheduler& scheduler = scheduler_of(replier);
  // As for a native caller: still the best choice if nothing woke on this
  // CPU since the exit; otherwise look.
  const bool unchanged = vcpu.call_generation == scheduler.generation;
  if (vcpu.priority() < replier.priority() && !unchanged && !scheduler.none_better_than(vcpu, replier)) {
    return nullptr;
  }
  return answer_exit(scheduler, replier, vcpu, endpoint);
}

// These two are forced inline: left to GCC, Send and Signal move by a few
// instructions either way.
//
// The thread whose time `woken` runs on once woken by `waker` (a send or a
// signal): its own, or for a passive thread that has reached its first
// receive the waker's, if the waker has time of its own. nullptr: the slow
// path's (keeps_accounting_to_donor refuses it).
[[gnu::always_inline]] inline const Thread* donor_once_woken(const Thread& waker, const Thread& woken) {
  if (!woken.is_passive()) return &woken;
  if (!woken.waited_for_call || waker.is_passive()) return nullptr;
  return &waker;
}

// `woken` preempts `running`, which stays ready: the switch, and `running`
// back in its queue, first of its priority (send, signal, interrupt).
[[gnu::always_inline]] inline Thread* switch_preempting(Scheduler& scheduler, Thread& running, Thread& woken) {
  ++scheduler.generation;  // a thread woke
  Thread* const next = switch_to(scheduler, running, woken);
  scheduler.requeue_preempted(running);
  return next;
}

// A signal to a thread waiting on another CPU: it gets the word and is
// queued there, its CPU is kicked (make_ready), and the signaller goes on,
// as the general path would leave them. A passive waiter would run on the
// signaller's time on another CPU: the general path's.
Thread* signal_across_cpus(Thread& signaller, Thread& waiter, Notification& notification, uint64_t badge) {
  if (waiter.is_passive()) return nullptr;
  waiter.serving = &signaller;
  waiter.context.x[0] = static_cast<uint64_t>(abi::Status::ok);
  waiter.context.x[1] = notification.signal_to_waiter(badge);
  signaller.context.x[0] = static_cast<uint64_t>(abi::Status::ok);
  make_ready(waiter);
  count_taken(taken.signal);
  return &signaller;
}

}  // namespace

Thread* fastpath_vm_exit(Thread& vcpu) {
  const uint32_t exits = vcpu.fault_endpoint();
  if (vcpu.state != Thread::State::ready || exits == abi::no_index || vcpu.partition().restart_waiter != nullptr) {
    return nullptr;
  }
  Endpoint& endpoint = endpoint_object(exits);
  Thread* const vmm = endpoint.receiver;
  // A passive VMM thread of this CPU waiting for the exit runs on the
  // vCPU's time, in its window; of at least the vCPU's priority, it is as
  // good a choice as the vCPU was.
  if (vmm == nullptr || vmm->cpu() != vcpu.cpu() || vmm->is_vcpu() || !vmm->is_passive() || !vmm->waited_for_call ||
      vmm->priority() < vcpu.priority() || vcpu.is_passive()) {
    return nullptr;
  }
  Scheduler& scheduler = scheduler_of(vcpu);
  (void)endpoint.take_receiver();  // the receiver checked above
  arch::Exception_frame& to = vmm->context;
  to.x[0] = static_cast<uint64_t>(abi::Status::ok);
  to.x[1] = 0;  // exits carry no badge
  to.x[2] = vcpu.message[0];
  for (uint64_t i = 0; i < abi::message_register_words; ++i) to.x[3 + i] = vcpu.message[1 + i];
  vmm->serving = &vcpu;
  vmm->reply_to = &vcpu;
  vmm->state = Thread::State::ready;
  vcpu.sent_badge = 0;
  vcpu.kernel_message = true;
  vcpu.state = Thread::State::blocked_reply;
  vcpu.call_generation = scheduler.generation;
  scheduler.set_current(vmm);
  arch::save_thread(vcpu);
  arch::load_thread(*vmm);
  count_taken(taken.vm_exit);
  return vmm;
}

namespace {

// The two bodies, forced inline into both their callers: the plain
// functions (fastpath.hpp, which the host tests call) and the vectors'
// entries, which add the kernel lock. Neither calls a function on its way
// (the switch is inline too), so the common case keeps its values in
// scratch registers, without a prologue that saves a dozen of them.
[[gnu::always_inline]] inline Thread* call_body(Thread& caller) {
  const abi::Capability_entry* capability =
      caller.partition().capability(caller.context.x[0], Capability_kind::endpoint, abi::right_send);
  if (capability == nullptr) return nullptr;
  Endpoint& endpoint = endpoint_named_by(*capability);
  Thread* const receiver = endpoint.receiver;
  if (receiver == nullptr || receiver->cpu() != caller.cpu() || receiver->is_vcpu() ||
      !arrives_whole(caller, *receiver)) {
    return nullptr;
  }
  Scheduler& scheduler = scheduler_of(caller);
  // A passive receiver runs on the caller's time once it serves the call:
  // the same budget, the window the caller runs in. A thread with time of
  // its own is checked in full (its donor is itself, whoever it serves). A
  // passive one waiting in receive has always reached its first receive;
  // should one not have, the slow path lends it time.
  const bool donated = receiver->is_passive() && receiver->waited_for_call;
  if (receiver->is_passive() && !donated) return nullptr;
  // A receiver of lower priority may still be the best choice, but finding
  // out is a look at the ready queues: the slow path's. So is the
  // accounting of a passive caller (whose donor is found by a walk). Each
  // would cost the common case a function call, and with it a dozen
  // registers saved and restored.
  if (receiver->priority() < caller.priority()) return nullptr;
  if (!donated && (caller.is_passive() || !scheduler.keeps_accounting_to_donor(caller, receiver))) return nullptr;
  (void)endpoint.take_receiver();  // the receiver checked above
  receiver->serving = &caller;
  receiver->reply_to = &caller;
  copy_message(caller, *receiver, capability->badge);
  caller.sent_badge = capability->badge;
  caller.kernel_message = false;
  caller.state = Thread::State::blocked_reply;
  caller.call_generation = scheduler.generation;
  count_taken(taken.call);
  return switch_to(scheduler, caller, *receiver);
}

[[gnu::always_inline]] inline Thread* reply_recv_body(Thread& replier) {
  // A receive that also waits on a notification is the slow path's.
  if (replier.context.x[1] != 0) return nullptr;
  Thread* const caller = replier.reply_to;
  if (caller == nullptr) return nullptr;
  if (caller->kernel_message) return fastpath_answer_exit(replier, *caller);
  if (caller->cpu() != replier.cpu() || !arrives_whole(replier, *caller)) return nullptr;
  const abi::Capability_entry* capability =
      replier.partition().capability(replier.context.x[0], Capability_kind::endpoint, abi::right_receive);
  if (capability == nullptr) return nullptr;
  Endpoint* const endpoint = &endpoint_named_by(*capability);
  if (endpoint->has_senders() || (endpoint->receiver != nullptr && endpoint->receiver != &replier)) {
    return nullptr;
  }
  Scheduler& scheduler = scheduler_of(replier);
  // A passive replier ran on this caller's time: giving it back changes
  // neither budget nor window. Anything else is checked (below).
  const bool returned = replier.serving == caller && replier.is_passive() && !caller->is_passive();
  // The caller must be the best choice once the replier blocks. It was
  // when it called; if the replier serves that very call and nothing has
  // woken or timed out on this CPU since, it still is.
  const bool unchanged = replier.serving == caller && caller->call_generation == scheduler.generation;
  // As for a call, what would need a look at the ready queues or a donor
  // walk is the slow path's: a caller of lower priority after something
  // changed, and the accounting when either is passive but not returning
  // time lent (otherwise each is its own donor).
  if (caller->priority() < replier.priority() && !unchanged) return nullptr;
  if (!returned &&
      (replier.is_passive() || caller->is_passive() || !scheduler.keeps_accounting_to_donor(replier, caller))) {
    return nullptr;
  }
  copy_message(replier, *caller, 0);
  wait_in_receive(replier, *endpoint);
  count_taken(taken.reply_recv);
  return switch_to(scheduler, replier, *caller);
}

}  // namespace

Thread* fastpath_call(Thread& caller) { return call_body(caller); }
Thread* fastpath_reply_recv(Thread& replier) { return reply_recv_body(replier); }

extern "C" Thread* call_fastpath_locked(Thread* caller) {
  kernel_lock().acquire();
  Thread* const next = call_body(*caller);
  kernel_lock().release();
  return next;
}

extern "C" Thread* reply_recv_fastpath_locked(Thread* replier) {
  kernel_lock().acquire();
  Thread* const next = reply_recv_body(*replier);
  kernel_lock().release();
  return next;
}

Thread* fastpath_send(Thread& sender) {
  const abi::Capability_entry* capability =
      sender.partition().capability(sender.context.x[0], Capability_kind::endpoint, abi::right_send);
  if (capability == nullptr) return nullptr;
  Endpoint& endpoint = endpoint_named_by(*capability);
  Thread* const receiver = endpoint.receiver;
  // A native receiver of this CPU that preempts the sender: it is then
  // better than every thread that may run, as the sender was.
  if (receiver == nullptr || receiver->cpu() != sender.cpu() || receiver->is_vcpu() ||
      receiver->priority() <= sender.priority() || !arrives_whole(sender, *receiver)) {
    return nullptr;
  }
  Scheduler& scheduler = scheduler_of(sender);
  // A passive receiver runs on the sender's time (as for a call).
  const Thread* const donor = donor_once_woken(sender, *receiver);
  if (donor == nullptr || !scheduler.keeps_accounting_to_donor(sender, donor)) return nullptr;
  (void)endpoint.take_receiver();  // the receiver checked above
  receiver->serving = &sender;
  copy_message(sender, *receiver, capability->badge);
  sender.sent_badge = capability->badge;
  sender.kernel_message = false;
  sender.context.x[0] = static_cast<uint64_t>(abi::Status::ok);
  count_taken(taken.send);
  return switch_preempting(scheduler, sender, *receiver);
}

Thread* fastpath_interrupt(Thread& current, uint32_t intid) {
  const Irq_binding* const irq = irq_binding(intid);
  if (irq == nullptr || current.is_vcpu()) return nullptr;
  Notification& notification = notification_object(irq->notification);
  Thread* const waiter = notification.waiter();
  // As for a signal, with no signaller: a passive waiter would have nobody's
  // time (the slow path leaves it ready but unable to run).
  if (waiter == nullptr || waiter->state != Thread::State::blocked_notification || waiter->cpu() != current.cpu() ||
      waiter->is_vcpu() || waiter->is_passive() || waiter->priority() <= current.priority()) {
    return nullptr;
  }
  Scheduler& scheduler = scheduler_of(current);
  if (!scheduler.keeps_accounting_to_donor(current, waiter)) return nullptr;
  waiter->serving = nullptr;
  waiter->context.x[0] = static_cast<uint64_t>(abi::Status::ok);
  waiter->context.x[1] = notification.signal_to_waiter(irq->badge);
  count_taken(taken.interrupt);
  return switch_preempting(scheduler, current, *waiter);
}

Thread* fastpath_signal(Thread& signaller) {
  const abi::Capability_entry* capability =
      signaller.partition().capability(signaller.context.x[0], Capability_kind::notification, abi::right_send);
  if (capability == nullptr || capability->badge == 0) return nullptr;
  Notification& notification = notification_object(capability->object);
  Thread* const waiter = notification.waiter();
  // Only a plain wait (a receive beside an endpoint is the slow path's) by a
  // native thread: on another CPU (a doorbell), or on this one if it
  // preempts the signaller: it is then better than every thread that may
  // run, as the signaller was.
  if (waiter == nullptr || waiter->state != Thread::State::blocked_notification || waiter->is_vcpu()) return nullptr;
  if (waiter->cpu() != signaller.cpu()) return signal_across_cpus(signaller, *waiter, notification, capability->badge);
  if (waiter->priority() <= signaller.priority()) return nullptr;
  Scheduler& scheduler = scheduler_of(signaller);
  // A passive waiter runs on the signaller's time once woken.
  const Thread* const donor = donor_once_woken(signaller, *waiter);
  if (donor == nullptr || !scheduler.keeps_accounting_to_donor(signaller, donor)) return nullptr;
  waiter->serving = &signaller;
  waiter->context.x[0] = static_cast<uint64_t>(abi::Status::ok);
  waiter->context.x[1] = notification.signal_to_waiter(capability->badge);
  signaller.context.x[0] = static_cast<uint64_t>(abi::Status::ok);
  count_taken(taken.signal);
  return switch_preempting(scheduler, signaller, *waiter);
}

void log_fastpath_counts() {
#ifdef KESTREL_COUNT_FASTPATHS
  log("boot: fast paths taken: call {}, reply_recv {}, send {}, signal {}, interrupt {}, vm_exit {}, exit_answer {}\n",
      taken.call, taken.reply_recv, taken.send, taken.signal, taken.interrupt, taken.vm_exit, taken.exit_answer);
#endif
}

}  // namespace kestrel
