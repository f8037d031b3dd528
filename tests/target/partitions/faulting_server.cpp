// SPDX-License-Identifier: Apache-2.0
// Faulting server: answers a call labelled 1 with 42; a call labelled 2 it
// takes, spins for KESTREL_SPIN_US (so that other callers queue behind it),
// then faults on an unmapped address without replying. The containment
// test (images/containment.capnp) checks its callers are not left waiting.
#include "time_check.hpp"

namespace {

constexpr uint64_t service = 0;  // slot 0: receive on its endpoint
constexpr uint64_t unmapped = 0x1000'0000;

}  // namespace

extern "C" int main() {
  const uint64_t answer[5] = {42};
  kestrel::Message message = kestrel::receive(service);
  for (;;) {
    if (message.label() == 2) {
      const uint64_t until = time_check::now() + KESTREL_SPIN_US * time_check::ticks_per_microsecond();
      while (time_check::now() < until) {
      }
      (void)*reinterpret_cast<volatile uint64_t*>(unmapped);
    }
    message = kestrel::reply_and_receive(service, 0, answer, 1);
  }
}
