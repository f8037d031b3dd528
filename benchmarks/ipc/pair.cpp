// SPDX-License-Identifier: Apache-2.0
// IPC benchmark, two threads of one partition (one address space): "caller"
// calls "answerer" on the partition's own endpoint. As between partitions
// (client.cpp, server.cpp), word 0 of each message carries the counter read
// right before the svc: the answerer times the call, the caller the reply.
// Both threads run this program; "caller" has its stack in the region at
// caller_stack (see ipc-bench.capnp).
#include <kestrel/syscall.hpp>

#include "timed.hpp"

namespace {

using kestrel::abi::Status;
using kestrel::abi::Syscall;
namespace bench = kestrel::bench;

constexpr uint64_t receive_slot = 0;  // slot 0: receive on "pair-service"
constexpr uint64_t call_slot = 1;     // slot 1: call it
constexpr uint64_t console = 2;
constexpr uint64_t caller_stack = 0x90'0000;
constexpr uint64_t label_done = 2;

uint64_t call_samples[bench::rounds];
uint64_t reply_samples[bench::rounds];

[[noreturn]] void answer() {
  const uint64_t overhead = bench::message_overhead();
  uint64_t reply[kestrel::abi::message_register_words] = {};
  auto message = bench::timed_message<true>(Syscall::recv, receive_slot, 0, reply);
  uint64_t calls = 0;
  while (message.label() != label_done) {
    if (message.status != Status::ok) kestrel::console_print(console, "FAILED: receive\n");
    if (calls < bench::rounds) call_samples[calls++] = message.end - message.words[0] - overhead;
    message = bench::timed_message<true>(Syscall::reply_recv, receive_slot, kestrel::abi::message_info(1, 1), reply);
  }
  if (calls == bench::rounds) bench::print_result(console, "call_one_way_same", call_samples, overhead);
  kestrel::thread_exit();  // the caller's last call stays unanswered: it has finished
}

[[noreturn]] void call() {
  const uint64_t overhead = bench::message_overhead();
  const uint64_t words[kestrel::abi::message_register_words] = {};
  bool good = true;
  for (uint64_t i = 0; i < bench::rounds; ++i) {
    const auto reply = bench::timed_message<true>(Syscall::call, call_slot, kestrel::abi::message_info(1, 1), words);
    good = good && reply.status == Status::ok;
    reply_samples[i] = reply.end - reply.words[0] - overhead;
  }
  if (good) {
    bench::print_result(console, "reply_recv_one_way_same", reply_samples, overhead);
  } else {
    kestrel::console_print(console, "FAILED: a call within the partition\n");
  }
  bench::timed_message<true>(Syscall::call, call_slot, kestrel::abi::message_info(label_done, 0), words);
  kestrel::thread_exit();
}

}  // namespace

extern "C" int main() {
  uint64_t sp;
  asm volatile("mov %0, sp" : "=r"(sp));
  if (sp > caller_stack) call();
  answer();
}
