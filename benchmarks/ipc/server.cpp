// SPDX-License-Identifier: Apache-2.0
// IPC benchmark server: serves "service" for client.cpp and times every
// message from the counter value its sender put in word 0 right before the
// svc to its own counter read right after its recv or reply_recv returns
// (one-way Call, 10-word Call, Send). Every reply carries in word 0 the
// counter read right before its reply_recv, for the client to time the
// other direction.
//   label 1: a one-word call; reply one word
//   label 2: a 10-word call (5 in registers, 5 in the IPC buffer); reply
//            with the same 10 words
//   label 3: a one-word send; no reply
//   label 4: the client is done: print the figures, reply
#include <kestrel/syscall.hpp>

#include "timed.hpp"

namespace {

using kestrel::abi::Status;
using kestrel::abi::Syscall;
namespace bench = kestrel::bench;

constexpr uint64_t service = 0;  // slot 0: receive on "service"
constexpr uint64_t console = 1;

enum Label : uint64_t { label_call = 1, label_call10 = 2, label_send = 3, label_done = 4 };

uint64_t ipc_buffer[kestrel::abi::max_message_words];

struct Series {
  const char* name;
  uint64_t samples[bench::rounds];
  uint64_t count;

  void add(uint64_t sample) {
    if (count < bench::rounds) samples[count++] = sample;
  }
};

Series calls{"call_one_way_cross", {}, 0};
Series calls10{"call10_one_way_cross", {}, 0};
Series sends{"send_one_way_cross", {}, 0};

void print(const char* text) { kestrel::console_print(console, text); }

void report(Series& series, uint64_t overhead) {
  if (series.count != bench::rounds) {
    kestrel::console_print_line(console, "FAILED: too few samples for a figure, count ", series.count);
    return;
  }
  bench::print_result(console, series.name, series.samples, overhead);
}

}  // namespace

extern "C" int main() {
  if (kestrel::set_ipc_buffer(ipc_buffer) != Status::ok) print("FAILED: set_ipc_buffer\n");
  const uint64_t overhead = bench::message_overhead();
  uint64_t reply[kestrel::abi::message_register_words] = {};
  auto message = bench::timed_message<true>(Syscall::recv, service, 0, reply);
  for (;;) {
    if (message.status != Status::ok) {
      kestrel::console_print_line(console, "FAILED: receive status ", static_cast<uint64_t>(message.status));
    }
    const uint64_t sample = message.end - message.words[0] - overhead;
    uint64_t reply_length = 0;
    switch (message.label()) {
      case label_call:
        calls.add(sample);
        reply_length = 1;
        break;
      case label_call10:
        calls10.add(sample);
        // Words 5-9 are in ipc_buffer already, where the reply takes them
        // from.
        for (uint64_t i = 1; i < kestrel::abi::message_register_words; ++i) reply[i] = message.words[i];
        reply_length = message.length();
        break;
      case label_send:
        sends.add(sample);
        break;
      case label_done:
        report(calls, overhead);
        report(calls10, overhead);
        report(sends, overhead);
        break;
      default:
        kestrel::console_print_line(console, "FAILED: unknown label ", message.label());
        break;
    }
    message = bench::timed_message<true>(Syscall::reply_recv, service,
                                         kestrel::abi::message_info(message.label(), reply_length), reply);
  }
}
