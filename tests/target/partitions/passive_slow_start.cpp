// SPDX-License-Identifier: Apache-2.0
// Passive slow start: a passive server that, before its first receive,
// waits until the ticker has started (a flag in a page the ticker shares)
// and then spins for 20 ms; then it serves like passive_server.cpp, but
// spends another 20 ms on the second call. It has
// no time of its own, so all this may only use the time of a thread waiting
// to call it. (Waiting for the ticker makes the spin fall where the ticker
// watches: were the server to run in any window, the ticker would never get
// the CPU at all.)
#include "time_check.hpp"

namespace {

constexpr uint64_t service = 0;  // slot 0: receive on "service"
constexpr uint64_t start_up_us = 20'000;
constexpr uint64_t ticker_started = 0x300'0000;  // the "started" channel's page

}  // namespace

extern "C" int main() {
  while (*reinterpret_cast<volatile uint64_t*>(ticker_started) == 0) {
  }
  const uint64_t until = time_check::now() + start_up_us * time_check::ticks_per_microsecond();
  while (time_check::now() < until) {
  }
  uint64_t calls = 0;
  uint64_t answer[5] = {};
  kestrel::Message message = kestrel::receive(service);
  for (;;) {
    // What it got, so the caller can check every part of the message went
    // through (the fast path's copy too): count, badge, length, word sum.
    answer[0] = ++calls;
    if (calls == 2) {  // long work while serving: still only on the caller's time
      const uint64_t busy_until = time_check::now() + start_up_us * time_check::ticks_per_microsecond();
      while (time_check::now() < busy_until) {
      }
    }
    answer[1] = message.badge;
    answer[2] = message.length();
    answer[3] = message.words[0] + message.words[1] + message.words[2];
    message = kestrel::reply_and_receive(service, message.label() + 1, answer, 4);
  }
}
