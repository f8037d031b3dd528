// SPDX-License-Identifier: Apache-2.0
// Passive server: serves calls on the caller's time. It answers each call
// with the number of calls so far; it has no time window of its own, so it
// runs only while it serves a call.
#include <kestrel/syscall.hpp>

namespace {

constexpr uint64_t service = 0;  // slot 0: receive on "service"

}  // namespace

extern "C" int main() {
  uint64_t calls = 0;
  uint64_t answer[5] = {};
  kestrel::Message message = kestrel::receive(service);
  for (;;) {
    answer[0] = ++calls;
    message = kestrel::reply_and_receive(service, message.label(), answer, 1);
  }
}
