// SPDX-License-Identifier: Apache-2.0
// IPC benchmark client: calls server.cpp in another partition, each call
// carrying in word 0 the counter read right before its svc, and times each
// reply from the counter value the server put in its word 0 to its own
// counter read right after the call returns (one-way ReplyRecv, one-word
// and 10-word). Then it sends one-word messages for the server to time.
#include <kestrel/syscall.hpp>

#include "timed.hpp"

namespace {

using kestrel::abi::Status;
using kestrel::abi::Syscall;
namespace bench = kestrel::bench;

constexpr uint64_t service = 0;  // slot 0: call "service"
constexpr uint64_t console = 1;
constexpr uint64_t long_length = 10;

enum Label : uint64_t { label_call = 1, label_call10 = 2, label_send = 3, label_done = 4 };

uint64_t ipc_buffer[kestrel::abi::max_message_words];
uint64_t replies[bench::rounds];
uint64_t replies10[bench::rounds];
int failures = 0;

void check(bool good, const char* what) {
  if (good) return;
  if (failures++ >= 4) return;  // the first few say enough
  bench::Line line;
  line.append("FAILED: ");
  line.append(what);
  line.append("\n");
  kestrel::console_write(console, line.text, line.length);
}

}  // namespace

extern "C" int main() {
  check(kestrel::set_ipc_buffer(ipc_buffer) == Status::ok, "set_ipc_buffer");
  const uint64_t overhead = bench::message_overhead();
  const uint64_t words[kestrel::abi::message_register_words] = {0, 1, 2, 3, 4};

  for (uint64_t i = 0; i < bench::rounds; ++i) {
    const auto reply =
        bench::timed_message<true>(Syscall::call, service, kestrel::abi::message_info(label_call, 1), words);
    check(reply.status == Status::ok && reply.length() == 1, "one-word call");
    replies[i] = reply.end - reply.words[0] - overhead;
  }

  for (uint64_t i = kestrel::abi::message_register_words; i < long_length; ++i) ipc_buffer[i] = i;
  for (uint64_t i = 0; i < bench::rounds; ++i) {
    const auto reply = bench::timed_message<true>(Syscall::call, service,
                                                  kestrel::abi::message_info(label_call10, long_length), words);
    check(reply.status == Status::ok && reply.length() == long_length && reply.words[4] == 4 && ipc_buffer[9] == 9,
          "10-word call");
    replies10[i] = reply.end - reply.words[0] - overhead;
  }

  for (uint64_t i = 0; i < bench::rounds; ++i) {
    const auto sent =
        bench::timed_message<true>(Syscall::send, service, kestrel::abi::message_info(label_send, 1), words);
    check(sent.status == Status::ok, "send");
  }

  const uint64_t none[kestrel::abi::message_register_words] = {};
  check(kestrel::call(service, label_done, none, 0).status == Status::ok, "done call");
  if (failures == 0) {
    bench::print_result(console, "reply_recv_one_way_cross", replies, overhead);
    bench::print_result(console, "reply_recv10_one_way_cross", replies10, overhead);
  }
  kestrel::thread_exit();
}
