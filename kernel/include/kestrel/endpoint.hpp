// SPDX-License-Identifier: Apache-2.0
// Endpoint: where messages meet their receiver: calls and sends of native
// threads, and the kernel's own messages (a vCPU's exits for its VMM, a
// thread's faults for its fault handler).
#pragma once

#include <kestrel/abi/limits.hpp>
#include <kestrel/notification.hpp>
#include <kestrel/thread.hpp>

namespace kestrel {

class Partition;

class Endpoint final {
 public:
  // The partition that receives on it (set at boot): a thread queued here
  // lends its time to that partition's passive servers still starting up.
  Partition* server = nullptr;

  // A thread blocked in recv on this endpoint, if any.
  Thread* receiver = nullptr;

  // Takes the waiting receiver (nullptr if none); if it also waited on a
  // notification (recv with x1), it no longer does. Inline: the fast path
  // uses it.
  [[nodiscard]] Thread* take_receiver() {
    Thread* const taken = receiver;
    receiver = nullptr;
    if (taken != nullptr && taken->also_waiting_on != nullptr) {
      taken->also_waiting_on->forget_waiter();
      taken->also_waiting_on = nullptr;
    }
    return taken;
  }

  // Senders whose message waits for a receiver, oldest first.
  void enqueue(Thread& sender);
  [[nodiscard]] Thread* dequeue();
  // Takes `sender` out of the queue wherever it is (its VM restarts); false
  // if it was not queued here.
  bool remove(Thread& sender);
  [[nodiscard]] bool has_senders() const { return first_ != nullptr; }

 private:
  Thread* first_ = nullptr;
  Thread* last_ = nullptr;
};

// Every endpoint (endpoint.cpp): endpoint_capacity of them (at least one),
// carved at boot; endpoint_count is how many boot-info has.
extern Endpoint* endpoint_pool;
extern uint32_t endpoint_capacity;
extern uint32_t endpoint_count;

// Endpoint `index` of boot-info (the boot-info reader has checked every
// index that refers to one; a bad one names endpoint 0, never past the pool).
inline Endpoint& endpoint_object(uint32_t index) { return endpoint_pool[index < endpoint_capacity ? index : 0]; }

}  // namespace kestrel
