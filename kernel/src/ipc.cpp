// SPDX-License-Identifier: Apache-2.0
// IPC: message transfer between threads.
#include <kestrel/abi/syscall.hpp>
#include <kestrel/arch.hpp>
#include <kestrel/cpu.hpp>
#include <kestrel/ipc.hpp>
#include <kestrel/log.hpp>
#include <kestrel/notification.hpp>
#include <kestrel/partition.hpp>

namespace kestrel {
namespace {

using abi::Status;

// Where a message comes from: an info word, the first five words and the
// sender's IPC buffer for the rest.
struct Message_source {
  uint64_t info;
  const uint64_t* words;   // message_register_words of them
  const uint64_t* buffer;  // indexed by word number; null if no words beyond the registers
};

// A thread's message in its registers: x2 the info, x3-x7 the words.
Message_source registers_of(const Thread& sender, const arch::Exception_frame& registers) {
  return {registers.x[2], &registers.x[3], sender.ipc_buffer};
}

Message_source source_of(const Thread& sender) {
  if (sender.kernel_message) return {sender.message[0], &sender.message[1], nullptr};
  return registers_of(sender, sender.context);
}

// Puts the message into the receiver's registers (its live frame, or its
// saved context while it is blocked) and IPC buffer. Only the message's words
// are written: the receiver's other registers keep its own values, so
// nothing of the sender's registers leaks.
void deliver(const Message_source& message, uint64_t badge, Thread& receiver, arch::Exception_frame& registers) {
  uint64_t length = abi::message_length(message.info);
  if (length > abi::message_register_words && (receiver.ipc_buffer == nullptr || message.buffer == nullptr)) {
    length = abi::message_register_words;  // the rest has nowhere to go
  }
  registers.x[0] = static_cast<uint64_t>(Status::ok);
  registers.x[1] = badge;
  registers.x[2] = abi::message_info(abi::message_label(message.info), length);
  const uint64_t in_registers = length < abi::message_register_words ? length : abi::message_register_words;
  for (uint64_t i = 0; i < in_registers; ++i) registers.x[3 + i] = message.words[i];
  for (uint64_t i = abi::message_register_words; i < length; ++i) receiver.ipc_buffer[i] = message.buffer[i];
}

// The reply to a VM exit or a fault: an MMIO or system-register read's value
// or a hypercall's result, then resume, stop, power off the sender, or (a
// vCPU) make it take an undefined-instruction exception.
void answer_kernel_message(Thread& sender, uint64_t value, uint64_t flags) {
  const bool undefined = (flags & abi::reply_undefined) != 0 && sender.is_vcpu();
  if (undefined) {
    arch::vcpu_take_undefined(sender);
  } else {
    write_exit_answer(sender, value);
  }
  if (sender.stop_when_answered) {
    sender.stop_when_answered = false;
    flags = abi::reply_stop;
  }
  if ((flags & abi::reply_power_off) != 0 && sender.is_vcpu()) {
    // Off, not stopped: vcpu_start may bring it back (PSCI CPU_ON).
    sender.state = Thread::State::inactive;
    return;
  }
  if ((flags & (abi::reply_stop | abi::reply_power_off)) != 0) {
    if (sender.is_vcpu()) {
      log("partition {}: {} stopped by its VMM\n", sender.partition().name(), sender.name());
    } else {
      log("partition {}: thread {} stopped by its fault handler\n", sender.partition().name(), sender.name());
    }
    stop_thread(sender);
    return;
  }
  if ((flags & abi::reply_resume) != 0 && !undefined) sender.context.elr += sender.resume_advance;
  make_ready(sender);
}

// The receiver takes `sender`'s message; a caller then waits for the reply.
void hand_over(Thread& sender, const Message_source& message, Thread& receiver, arch::Exception_frame& registers,
               bool wants_reply) {
  deliver(message, sender.sent_badge, receiver, registers);
  receiver.serving = &sender;  // a passive receiver runs on the sender's time
  if (wants_reply) {
    receiver.reply_to = &sender;
    sender.state = Thread::State::blocked_reply;
  }
}

// A passive server of the endpoint's partition that has not reached its
// first receive has no time of its own: `sender`, now waiting for it, lends
// it its own until it receives (thread.hpp, donor()).
void lend_time_to_starting_servers(const Endpoint& endpoint, Thread& sender) {
  const Partition* const server = endpoint.server;
  if (server == nullptr) return;
  for (uint32_t i = 0; i < server->thread_count(); ++i) {
    Thread& thread = thread_object(server->first_thread() + i);
    if (!thread.is_passive() || thread.waited_for_call || thread.state != Thread::State::ready) continue;
    if (thread.serving != nullptr && thread.serving->waits_to_send()) continue;  // it has a lender
    thread.serving = &sender;
    make_ready(thread);  // its CPU looks again: it may run now
  }
}

void queue(Thread& sender, Endpoint& endpoint, Thread::State state) {
  sender.state = state;
  endpoint.enqueue(sender);
  lend_time_to_starting_servers(endpoint, sender);
}

}  // namespace

void write_exit_answer(Thread& sender, uint64_t value) {
  const auto kind = static_cast<abi::Exit_kind>(abi::message_label(sender.message[0]) - abi::kernel_label_base);
  if (kind == abi::Exit_kind::mmio_read && sender.exit_register < 31) {
    const uint64_t size = sender.message[4];
    sender.context.x[sender.exit_register] = size >= 8 ? value : value & ((uint64_t{1} << (8 * size)) - 1);
  } else if (kind == abi::Exit_kind::system_register && sender.exit_register < 31) {
    sender.context.x[sender.exit_register] = value;
  } else if (kind == abi::Exit_kind::hypercall) {
    sender.context.x[0] = value;
  }
}

Result ipc_call(Thread& caller, arch::Exception_frame& frame, Endpoint& endpoint, uint64_t badge) {
  caller.sent_badge = badge;
  caller.kernel_message = false;
  // The caller runs, so it is the best choice of its CPU now; while no
  // thread but the receiver wakes there (the generation stays), it still is
  // when the receiver answers, and the reply_recv fast path may go straight
  // back to it (fastpath.cpp, as after a fast call).
  Scheduler& scheduler = cpu_scheduler(caller.cpu());
  if (Thread* receiver = endpoint.take_receiver(); receiver != nullptr) {
    hand_over(caller, registers_of(caller, frame), *receiver, receiver->context, true);
    make_ready(*receiver);
    caller.call_generation = scheduler.generation;
    return Result::blocked();
  }
  caller.call_generation = scheduler.generation;
  queue(caller, endpoint, Thread::State::blocked_call);
  return Result::blocked();
}

Result ipc_send(Thread& sender, arch::Exception_frame& frame, Endpoint& endpoint, uint64_t badge) {
  if (const Result sent = ipc_send_if_received(sender, frame, endpoint, badge); sent.ok()) return sent;
  // Status ok is what the sender finds in x0 once a receiver took it.
  frame.x[0] = static_cast<uint64_t>(Status::ok);
  queue(sender, endpoint, Thread::State::blocked_send);
  return Result::blocked();
}

Result ipc_send_if_received(Thread& sender, arch::Exception_frame& frame, Endpoint& endpoint, uint64_t badge) {
  sender.sent_badge = badge;
  sender.kernel_message = false;
  Thread* const receiver = endpoint.take_receiver();
  if (receiver == nullptr) return Result::done(Status::would_block);
  hand_over(sender, registers_of(sender, frame), *receiver, receiver->context, false);
  make_ready(*receiver);
  return Result::done();
}

Result ipc_receive(Thread& receiver, arch::Exception_frame& frame, Endpoint& endpoint, Notification* also) {
  receiver.waited_for_call = true;  // a passive server runs on callers' time from now on
  receiver.serving = nullptr;       // done with the last message
  if (Thread* sender = endpoint.dequeue(); sender != nullptr) {
    const bool wants_reply = sender->state == Thread::State::blocked_call;
    hand_over(*sender, source_of(*sender), receiver, frame, wants_reply);
    if (!wants_reply) make_ready(*sender);
    return Result::done();
  }
  if (endpoint.receiver != nullptr && endpoint.receiver != &receiver) return Result::done(Status::would_deadlock);
  if (also != nullptr) {
    const auto [status, word] = also->wait_beside_endpoint(receiver);
    if (status != Status::ok) return Result::done(status);
    if (word != 0) {
      frame.x[1] = word;
      frame.x[2] = abi::message_info(abi::notification_label, 0);
      return Result::done();
    }
  }
  endpoint.receiver = &receiver;
  receiver.receiving_on = &endpoint;
  receiver.state = Thread::State::blocked_receive;
  return Result::blocked();
}

void stop_receiving(Thread& receiver) {
  if (receiver.receiving_on != nullptr && receiver.receiving_on->receiver == &receiver) {
    receiver.receiving_on->receiver = nullptr;
  }
  receiver.receiving_on = nullptr;
}

void ipc_reply(Thread& replier, const arch::Exception_frame& frame) {
  Thread* const caller = replier.reply_to;
  if (caller == nullptr) return;
  replier.reply_to = nullptr;  // one reply per call
  if (caller->kernel_message) {
    answer_kernel_message(*caller, frame.x[3], frame.x[4]);
    return;
  }
  deliver(registers_of(replier, frame), 0, *caller, caller->context);
  make_ready(*caller);
}

void ipc_send_kernel_message(Thread& sender, Endpoint& endpoint) {
  sender.sent_badge = 0;
  sender.kernel_message = true;
  if (endpoint_server_stopped(endpoint)) {
    log("partition {}: {} stopped: its {} has no thread left\n", sender.partition().name(), sender.name(),
        sender.is_vcpu() ? "VMM" : "fault handler");
    stop_thread(sender);
    return;
  }
  if (Thread* receiver = endpoint.take_receiver(); receiver != nullptr) {
    hand_over(sender, source_of(sender), *receiver, receiver->context, true);
    make_ready(*receiver);
    return;
  }
  queue(sender, endpoint, Thread::State::blocked_call);
}

}  // namespace kestrel
