// SPDX-License-Identifier: Apache-2.0
// Serve: a server's receive loop, after seL4 Microkit's init / protected /
// notified / fault.
//
// A server program defines handler functions, does its start-up in main and
// hands the handlers to kestrel::serve, which never returns:
//
//   #include <kestrel/serve.hpp>
//
//   constexpr uint64_t service = 0;  // slots: kestrel-policy check --summary -
//   constexpr uint64_t bell = 1;
//
//   kestrel::Outgoing add(const kestrel::Incoming& request) {
//     return kestrel::Outgoing(1).add(request.word(0) + request.word(1));
//   }
//   void rung(uint64_t bits) { ... }
//
//   extern "C" int main() {
//     // start-up goes here
//     kestrel::serve({.endpoint = service, .notification = bell, .call = add, .notified = rung});
//   }
//
// serve receives on `endpoint` and, in the same wait, on `notification`
// (recv with x1, docs/abi.md), and hands each message to one handler:
//   a call                  call(request); the Outgoing it returns is the
//                           reply, sent by the next receive (reply_recv)
//   a one-way message       send(request), no reply
//   the notification        notified(bits): its word, the OR of the badges
//                           of every signal since the last time
//   a VM exit or a fault    fault(exit) (a message of the kernel, label
//                           >= abi::kernel_label_base): its Fault_reply
//                           resumes or stops the vCPU or thread
// The kernel cannot tell a call from a send, so the protocol says which
// labels are one-way: is_send(label). Without is_send every message is a
// call, or a send if there is no call handler. (A send answered as a call
// loses its reply: nobody waits for it. A call taken as a send gets an empty
// reply.) A message without a handler gets an empty reply (label 0, no
// words); a fault without a handler stops its sender.
//
// Either slot may be absent: no_notification (only calls) or no_endpoint
// (only notifications: serve waits on the notification). Handlers run one at
// a time on the thread that called serve; they may call other servers and
// print. If a receive fails (a wrong slot in the program, or another thread
// already receiving there), serve ends the thread: the kernel logs it.
#pragma once

#include <cstdint>

#include <kestrel/ipc_buffer.hpp>
#include <kestrel/message.hpp>
#include <kestrel/syscall.hpp>

namespace kestrel {

// "No endpoint" for Server::endpoint.
inline constexpr uint64_t no_endpoint = ~uint64_t{0};

// What a fault handler answers: resume (after the trapping instruction for a
// vCPU, retrying it for a thread) with `value` (an MMIO read's result, a
// hypercall's x0), or stop the sender for good.
struct Fault_reply {
  uint64_t value;
  uint64_t flags;  // abi::Reply_flags

  static constexpr Fault_reply resume(uint64_t value = 0) { return {value, abi::reply_resume}; }
  static constexpr Fault_reply stop() { return {0, abi::reply_stop}; }
};

// The slots and handlers of a server; leave out what it does not need. With
// designated initializers, name the fields in this order.
struct Server {
  uint64_t endpoint = no_endpoint;          // receives here (receive right)
  uint64_t notification = no_notification;  // and waits here (receive right)
  Outgoing (*call)(const Incoming& request) = nullptr;
  void (*send)(const Incoming& message) = nullptr;
  bool (*is_send)(uint64_t label) = nullptr;  // true: a one-way label
  void (*notified)(uint64_t bits) = nullptr;
  Fault_reply (*fault)(const Exit_message& exit) = nullptr;
};

namespace serve_detail {

// One message to its handler; returns the reply (empty if none is due).
inline Outgoing dispatch(const Server& server, const Message& message, const uint64_t* buffer) {
  if (message.is_notification()) {
    if (server.notified != nullptr) server.notified(message.badge);
    return Outgoing();
  }
  if (message.label() >= abi::kernel_label_base) {
    const Fault_reply answer = server.fault != nullptr ? server.fault(exit_of(message)) : Fault_reply::stop();
    return Outgoing().add(answer.value).add(answer.flags);
  }
  const Incoming request(message, buffer);
  const bool one_way = server.is_send != nullptr ? server.is_send(request.label()) : server.call == nullptr;
  if (one_way) {
    if (server.send != nullptr) server.send(request);
    return Outgoing();
  }
  return server.call != nullptr ? server.call(request) : Outgoing();
}

}  // namespace serve_detail

[[noreturn]] inline void serve(const Server& server) {
  if (server.endpoint == no_endpoint) {
    if (server.notification == no_notification) thread_exit();
    for (;;) {
      const Syscall_result word = wait(server.notification);
      if (word.status != abi::Status::ok) thread_exit();
      if (server.notified != nullptr) server.notified(word.value);
    }
  }
  // Taken before the first receive, so long messages arrive whole.
  const uint64_t* buffer = ipc_buffer();
  Message message = receive(server.endpoint, server.notification);
  for (;;) {
    if (message.status != abi::Status::ok) thread_exit();
    const Outgoing reply = serve_detail::dispatch(server, message, buffer);
    message = exchange(abi::Syscall::reply_recv, server.endpoint, reply, server.notification);
  }
}

}  // namespace kestrel
