// SPDX-License-Identifier: Apache-2.0
// Passive slow start: a passive server that spins for 20 ms before its
// first receive, then serves like passive_server.cpp. It has no time of its
// own, so the spin may only use the time of a thread waiting to call it.
#include "time_check.hpp"

namespace {

constexpr uint64_t service = 0;  // slot 0: receive on "service"
constexpr uint64_t start_up_us = 20'000;

}  // namespace

extern "C" int main() {
  const uint64_t until = time_check::now() + start_up_us * time_check::ticks_per_microsecond();
  while (time_check::now() < until) {
  }
  uint64_t calls = 0;
  uint64_t answer[5] = {};
  kestrel::Message message = kestrel::receive(service);
  for (;;) {
    answer[0] = ++calls;
    message = kestrel::reply_and_receive(service, message.label(), answer, 1);
  }
}
