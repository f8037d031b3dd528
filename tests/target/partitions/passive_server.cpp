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
    // What it got, so the caller can check every part of the message went
    // through (the fast path's copy too): count, badge, length, word sum.
    answer[0] = ++calls;
    answer[1] = message.badge;
    answer[2] = message.length();
    answer[3] = message.words[0] + message.words[1] + message.words[2];
    message = kestrel::reply_and_receive(service, message.label() + 1, answer, 4);
  }
}
