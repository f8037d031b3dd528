// SPDX-License-Identifier: Apache-2.0
// Passive caller: calls a passive server (which has no window) 50 times and
// measures each round trip. The answers prove the server ran; the round
// trips, far shorter than any window, prove it ran on the caller's time
// instead of waiting for time of its own. With
// KESTREL_FIRST_CALL_STARTS_SERVER the first call, which lends the server
// the time to start up, and the second, which it serves slowly, are not
// timed.
#include "time_check.hpp"

namespace {

constexpr uint64_t service = 0;  // slot 0: call "service"
constexpr uint64_t console = 1;
constexpr uint64_t calls = 50;
constexpr uint64_t quick_us = 100;  // a window here is 2000 us

}  // namespace

extern "C" int main() {
  const uint64_t per_us = time_check::ticks_per_microsecond();
  uint64_t longest = 0;
  bool counted = true;
  for (uint64_t i = 1; i <= calls; ++i) {
    const uint64_t words[5] = {i, 2 * i, 3 * i, 0, 0};
    const uint64_t label = i % 7 + 1;
    const uint64_t start = time_check::now();
    const auto answer = kestrel::call(service, label, words, 3);
    const uint64_t round_trip = time_check::now() - start;
    // The server echoes what it got: count, badge, length, word sum; its
    // label is ours plus one, and its reply is four words long.
    counted = counted && answer.status == kestrel::abi::Status::ok && answer.words[0] == i && answer.words[1] == 1 &&
              answer.words[2] == 3 && answer.words[3] == 6 * i && answer.label() == label + 1 && answer.length() == 4 &&
              answer.badge == 0;
#ifdef KESTREL_FIRST_CALL_STARTS_SERVER
    if (i <= 2) continue;  // the server starts up in the first, works long in the second
#endif
    if (round_trip > longest) longest = round_trip;
  }
  kestrel::console_print(console, counted ? "the passive server answered all 50 calls in order\n"
                                          : "FAILED: wrong answers from the passive server\n");
  time_check::print_decimal(console, "longest round trip: ", longest / per_us, " us");
  kestrel::console_print(console, longest / per_us < quick_us ? "every call was served on the caller's time\n"
                                                              : "FAILED: a call waited for the server's own time\n");
  kestrel::thread_exit();
}
