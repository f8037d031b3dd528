// SPDX-License-Identifier: Apache-2.0
// Endpoint: the sender queue.
#include <kestrel/abi/limits.hpp>
#include <kestrel/endpoint.hpp>

namespace kestrel {

Endpoint* endpoint_pool = nullptr;  // carved at boot (kernel_objects.cpp)
uint32_t endpoint_capacity = 0;
uint32_t endpoint_count = 0;

void Endpoint::enqueue(Thread& sender) {
  sender.next_sender = nullptr;
  if (last_ != nullptr) {
    last_->next_sender = &sender;
  } else {
    first_ = &sender;
  }
  last_ = &sender;
}

Thread* Endpoint::dequeue() {
  Thread* const sender = first_;
  if (sender == nullptr) return nullptr;
  first_ = sender->next_sender;
  if (first_ == nullptr) last_ = nullptr;
  sender->next_sender = nullptr;
  return sender;
}

bool Endpoint::remove(Thread& sender) {
  Thread* previous = nullptr;
  for (Thread* queued = first_; queued != nullptr; previous = queued, queued = queued->next_sender) {
    if (queued != &sender) continue;
    (previous != nullptr ? previous->next_sender : first_) = sender.next_sender;
    if (last_ == &sender) last_ = previous;
    sender.next_sender = nullptr;
    return true;
  }
  return false;
}

}  // namespace kestrel
