// SPDX-License-Identifier: Apache-2.0
// Containment client: calls servers that fault mid-call
// (faulting_server.cpp). Thread "main" calls a passive server on its own CPU
// (a call that is answered, the call it faults in, a call after) and then
// one on another CPU, in the call it faults in; thread "second" calls the
// other-CPU server while it is busy with main's call, so it is queued when
// the server faults. Every call the server cannot answer must come back
// peer_stopped, and the client carries on.
#include <kestrel/syscall.hpp>

namespace {

constexpr uint64_t local_server = 0;   // slot 0: call "local" (passive, this CPU)
constexpr uint64_t remote_server = 1;  // slot 1: call "remote" (CPU 1)
constexpr uint64_t console = 2;
constexpr uint64_t second_stack = 0x90'0000;

using kestrel::abi::Status;

Status call(uint64_t server, uint64_t label, uint64_t& word) {
  const uint64_t none[5] = {};
  const auto answer = kestrel::call(server, label, none, 0);
  word = answer.words[0];
  return answer.status;
}

[[noreturn]] void second() {
  uint64_t word = 0;
  const Status queued = call(remote_server, 1, word);
  kestrel::console_print(console, queued == Status::peer_stopped
                                      ? "second: remote: peer_stopped while queued behind the faulting call\n"
                                      : "second: FAILED: a queued call did not come back peer_stopped\n");
  kestrel::thread_exit();
}

}  // namespace

extern "C" int main() {
  uint64_t sp;
  asm volatile("mov %0, sp" : "=r"(sp));
  if (sp > second_stack) second();

  uint64_t word = 0;
  const Status answered = call(local_server, 1, word);
  const bool answered_42 = answered == Status::ok && word == 42;
  const Status faulted = call(local_server, 2, word);
  const Status after = call(local_server, 1, word);
  kestrel::console_print(console, answered_42 && faulted == Status::peer_stopped && after == Status::peer_stopped
                                      ? "main: local: answered 42, then peer_stopped at the fault and after it\n"
                                      : "main: FAILED: local calls\n");

  const Status remote_faulted = call(remote_server, 2, word);
  const Status remote_after = call(remote_server, 1, word);
  kestrel::console_print(console, remote_faulted == Status::peer_stopped && remote_after == Status::peer_stopped
                                      ? "main: remote: peer_stopped at the fault on the other CPU and after it\n"
                                      : "main: FAILED: remote calls\n");
  kestrel::thread_exit();
}
