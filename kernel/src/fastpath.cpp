// SPDX-License-Identifier: Apache-2.0
// Fast path: the two common IPC operations in a straight line.
//
// Why switching straight to the other thread is the scheduler's choice too:
// the running thread always has the highest priority among the threads of
// its CPU that may run (every wake-up on a CPU is followed by a preemption
// check), so a thread of at least its priority that may run now (in the
// window, with budget: Scheduler::keeps_accounting) is as good as any. A
// thread of lower priority is, if no other thread that may run is better
// (Scheduler::none_better_than, a scan of the CPU's threads).
#include <kestrel/abi/syscall.hpp>
#include <kestrel/arch.hpp>
#include <kestrel/endpoint.hpp>
#include <kestrel/fastpath.hpp>
#include <kestrel/scheduler.hpp>

namespace kestrel {
namespace {

using abi::Capability_kind;

// The endpoint capability in x0 if it has `right`, else null.
const abi::Capability_entry* endpoint_in_x0(const Thread& thread, uint32_t right) {
  const abi::Capability_entry* capability = thread.partition().capability(thread.context.x[0]);
  if (capability == nullptr || capability->kind != static_cast<uint32_t>(Capability_kind::endpoint) ||
      (capability->rights & right) == 0) {
    return nullptr;
  }
  return capability;
}

// A message of the thread's that fits in registers and uses no kernel label.
bool fits_in_registers(uint64_t info) {
  return abi::message_length(info) <= abi::message_register_words && abi::message_label(info) < abi::kernel_label_base;
}

// Copies the message in the sender's x2-x7 to the receiver, as ipc.cpp's
// deliver() does: only the message's words.
void copy_message(const arch::Exception_frame& from, arch::Exception_frame& to, uint64_t badge) {
  const uint64_t info = from.x[2];
  to.x[0] = static_cast<uint64_t>(abi::Status::ok);
  to.x[1] = badge;
  to.x[2] = info;
  const uint64_t length = abi::message_length(info);
  for (uint64_t i = 0; i < length; ++i) to.x[3 + i] = from.x[3 + i];
}

Thread* switch_to(Thread& from, Thread& to) {
  to.state = Thread::State::ready;
  cpu_scheduler(from.cpu()).set_current(&to);
  arch::switch_native_threads(from, to);
  return &to;
}

}  // namespace

Thread* fastpath_call(Thread& caller) {
  const uint64_t info = caller.context.x[2];
  if (!fits_in_registers(info)) return nullptr;
  const abi::Capability_entry* capability = endpoint_in_x0(caller, abi::right_send);
  if (capability == nullptr) return nullptr;
  Endpoint& endpoint = endpoint_object(capability->object);
  Thread* const receiver = endpoint.receiver;
  if (receiver == nullptr || receiver->cpu() != caller.cpu() || receiver->is_vcpu()) return nullptr;
  Scheduler& scheduler = cpu_scheduler(caller.cpu());
  // A passive receiver's time is the caller's once it serves the call.
  receiver->serving = &caller;
  if (!scheduler.keeps_accounting(caller, *receiver) ||
      (receiver->priority() < caller.priority() && !scheduler.none_better_than(*receiver, caller))) {
    receiver->serving = nullptr;  // as it was while it waited in receive
    return nullptr;
  }
  receiver->reply_to = &caller;
  endpoint.receiver = nullptr;
  copy_message(caller.context, receiver->context, capability->badge);
  caller.sent_badge = capability->badge;
  caller.kernel_message = false;
  caller.state = Thread::State::blocked_reply;
  return switch_to(caller, *receiver);
}

Thread* fastpath_reply_recv(Thread& replier) {
  Thread* const caller = replier.reply_to;
  const uint64_t info = replier.context.x[2];
  if (caller == nullptr || caller->kernel_message || caller->cpu() != replier.cpu() || !fits_in_registers(info)) {
    return nullptr;
  }
  const abi::Capability_entry* capability = endpoint_in_x0(replier, abi::right_receive);
  if (capability == nullptr) return nullptr;
  Endpoint* const endpoint = &endpoint_object(capability->object);
  if (endpoint->has_senders() || (endpoint->receiver != nullptr && endpoint->receiver != &replier)) {
    return nullptr;
  }
  copy_message(replier.context, caller->context, 0);
  replier.reply_to = nullptr;
  replier.serving = nullptr;
  replier.waited_for_call = true;
  endpoint->receiver = &replier;
  replier.state = Thread::State::blocked_receive;
  return switch_to(replier, *caller);
}

}  // namespace kestrel
